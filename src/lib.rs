//! hybridctl: operations for hybrid on-premises + AWS deployments.
//!
//! Data flows one way: parse (`cli`) -> resolve (`topology`, `aws::resolve`) -> plan (pure)
//! -> execute (`aws`) -> render (`render`). `run` is the only entry point `main` needs.

// AwsError (~128 bytes: service, operation, code, message, request id, hint) travels in
// Result: it is built at most a few times per run, so boxing it would buy nothing measurable
// and cost every caller a deref.
#![allow(clippy::result_large_err)]

pub mod aws;
pub mod cli;
pub mod commands;
pub mod duration;
pub mod error;
pub mod journal;
mod logging;
pub mod plan;
pub mod render;
pub mod sql;
pub mod terraform;
pub mod topology;

use cli::{Cli, Command};
use commands::traffic::Kind;
use error::{Error, ExitStatus};

/// Runs one command and says how the process should end. Errors are printed here, to stderr.
pub fn run(cli: Cli) -> ExitStatus {
    logging::init(cli.global.verbose, cli.global.quiet);
    let out = render::Output::new(&cli.global);
    let result = match &cli.command {
        Command::Validate(_) => commands::validate::run(&cli.global, &out),
        Command::Status(args) => commands::status::run(&cli.global, args, &out),
        Command::ShiftTraffic(a) => commands::traffic::run(
            &cli.global,
            traffic(Kind::Shift, &a.weights, &a.change, false, None),
            &out,
        ),
        Command::Failover(a) => commands::traffic::run(
            &cli.global,
            traffic(Kind::Failover, &[], &a.change, a.if_alarm, None),
            &out,
        ),
        Command::Dms(cli::DmsCommand::CheckBinlog(a)) => commands::dms::run(&cli.global, a, &out),
        Command::Dr(cli::DrCommand::Status) => commands::dr::status(&cli.global, &out),
        Command::Dr(cli::DrCommand::Provision(a)) => commands::dr::provision(&cli.global, a, &out),
        Command::Dr(cli::DrCommand::Failback(a)) => commands::dr::failback(&cli.global, a, &out),
        Command::Failback(a) => commands::traffic::run(
            &cli.global,
            traffic(Kind::Failback, &[], &a.change, false, a.if_ok_for),
            &out,
        ),
        Command::Generate(args) => commands::generate::run(args, &out),
    };
    match result {
        Ok(status) => status,
        Err(Error::Operational(e)) if is_broken_pipe(&e) => ExitStatus::Success,
        Err(e) => {
            let _ = e.report(&mut std::io::stderr().lock());
            e.exit_status()
        }
    }
}

fn traffic<'a>(
    kind: Kind,
    weights: &'a [String],
    change: &'a cli::ChangeArgs,
    if_alarm: bool,
    if_ok_for: Option<std::time::Duration>,
) -> commands::traffic::Request<'a> {
    commands::traffic::Request {
        kind,
        weights,
        change,
        if_alarm,
        if_ok_for,
    }
}

/// stdout closed early (`hybridctl status | head`) is not a failure (ripgrep does the same).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// A multi-threaded runtime for the commands that call AWS.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            Error::Operational(anyhow::Error::new(e).context("cannot start the async runtime"))
        })
}
