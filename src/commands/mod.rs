//! One module per subcommand: gather -> plan -> apply (through `runbook`) -> a report.

pub mod coordination;
pub mod dms;
pub mod dr;
pub mod drill;
pub mod generate;
pub mod iam_policy;
pub mod init;
pub mod lambda;
mod live;
pub mod overflow;
pub mod status;
pub mod traffic;
pub mod validate;
pub mod watch;
