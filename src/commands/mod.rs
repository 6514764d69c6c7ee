//! One module per subcommand: gather -> plan -> apply -> a Serialize report.

pub mod generate;
pub mod status;
pub mod validate;
