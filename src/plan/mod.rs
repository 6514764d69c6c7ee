//! Pure planning and conclusions: no I/O, no AWS. Commands feed observed state in.

pub mod binlog;
pub mod dr;
pub mod status;
pub mod traffic;
