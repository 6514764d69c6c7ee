//! One integration test binary (`autotests = false`) so the AWS crates link once.

mod support;

mod binlog;
mod capacity;
mod cli;
mod coordination;
mod demo;
mod dns;
mod dr;
mod dr_auto;
mod drill;
mod fencing;
mod iam;
mod init;
mod lab_sdk;
mod lambda;
mod notify;
mod output;
mod overflow;
mod probes;
mod release;
mod review21_23;
mod schema;
mod snapshots;
mod status;
mod terminal;
mod traffic;
mod validate;
mod watch;
mod watch_metrics;
