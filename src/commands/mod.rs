//! One module per subcommand: gather -> plan -> apply -> a Serialize report.

mod control;
pub mod dms;
pub mod dr;
pub mod generate;
mod live;
pub mod status;
pub mod traffic;
pub mod validate;
