//! hybridctl: operations for hybrid on-premises + AWS deployments.
//!
//! Data flows one way: parse (`cli`) -> resolve once (`settings`: environment, topology, AWS
//! settings, journal, clock) -> plan (`plan`, pure) -> execute (`aws`, through `runbook` for
//! every change) -> report (`report`) -> render (`render`). `run` is the only entry point
//! `main` needs.

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
pub mod metrics;
pub mod notify;
pub mod pattern;
pub mod plan;
pub mod probe;
pub mod render;
pub mod report;
pub mod runbook;
pub mod settings;
pub mod signal;
pub mod sql;
pub mod statefile;
pub mod terraform;
pub mod topology;

use cli::{Cli, ColorChoice, Command, GlobalArgs, OutputFormat};
use commands::traffic::{Kind, Request};
use error::{Error, ExitStatus, Result};
use render::Output;
use settings::{Env, Settings};

/// Runs one command and says how the process should end. Errors are printed here, to stderr.
pub fn run(cli: Cli) -> ExitStatus {
    let env = Env::capture();
    let out = output(&cli.global, &env);
    let g = &cli.global;
    logging::init(
        g.verbose,
        g.quiet,
        env.get("HYBRIDCTL_LOG"),
        out.stderr_color,
    );
    match dispatch(&cli, &out, env) {
        Ok(status) => status,
        Err(Error::Operational(e)) if is_broken_pipe(&e) => ExitStatus::Success,
        Err(e) => {
            let _ = e.report(&mut std::io::stderr().lock());
            e.exit_status()
        }
    }
}

fn output(g: &GlobalArgs, env: &Env) -> Output {
    let format = match g.output {
        OutputFormat::Table => render::Format::Table,
        OutputFormat::Json => render::Format::Json,
    };
    let color = match g.color {
        ColorChoice::Auto => render::Color::Auto,
        ColorChoice::Always => render::Color::Always,
        ColorChoice::Never => render::Color::Never,
    };
    Output::new(format, color, g.quiet, env)
}

fn dispatch(cli: &Cli, out: &Output, env: Env) -> Result<ExitStatus> {
    let g = &cli.global;
    match &cli.command {
        Command::Generate(args) => return commands::generate::run(args, out),
        Command::Validate(_) => return commands::validate::run(&g.config, &env, out),
        Command::IamPolicy(args) => return commands::iam_policy::run(args, &g.config, out),
        // Resolves its own settings: an invalid file must fail the Lambda init, not just exit.
        Command::Lambda(args) => return commands::lambda::run(g, args, out, env),
        _ => {}
    }
    let flags = aws::Flags {
        profile: g.profile.clone(),
        region: g.region.clone(),
        endpoint_url: g.endpoint_url.clone(),
    };
    if let Command::Init(args) = &cli.command {
        return commands::init::run(args, &flags, &env, out, &runtime()?);
    }
    let s = Settings::resolve(&g.config, &flags, env)?;
    let rt = runtime()?;
    let traffic = |kind, weights: &[String], change, if_alarm, if_ok_for| {
        let req = Request {
            kind,
            weights,
            change,
            if_alarm,
            if_ok_for,
            actor: None,
            interrupt: None,
        };
        commands::traffic::run(&s, &req, out, &rt)
    };
    match &cli.command {
        Command::Status(a) => commands::status::run(&s, a, out, &rt),
        Command::ShiftTraffic(a) => traffic(Kind::Shift, &a.weights, &a.change, false, None),
        Command::Failover(a) => traffic(Kind::Failover, &[], &a.change, a.if_alarm, None),
        Command::Failback(a) => traffic(Kind::Failback, &[], &a.change, false, a.if_ok_for),
        Command::Watch(a) => commands::watch::run(&s, a, out, &rt),
        Command::Dms(cli::DmsCommand::CheckBinlog(a)) => commands::dms::run(&s, a, out, &rt),
        Command::Dr(cli::DrCommand::Status) => commands::dr::status(&s, out, &rt),
        Command::Dr(cli::DrCommand::Provision(a)) => commands::dr::provision(&s, a, out, &rt),
        Command::Dr(cli::DrCommand::Failback(a)) => commands::dr::failback(&s, a, out, &rt),
        Command::Dr(cli::DrCommand::Pending) => commands::dr::pending(&s, out, &rt),
        Command::Dr(cli::DrCommand::Approve(a)) => commands::dr::answer(&s, a, true, out, &rt),
        Command::Dr(cli::DrCommand::Deny(a)) => commands::dr::answer(&s, a, false, out, &rt),
        Command::Lease(cli::LeaseCommand::Status) => {
            commands::coordination::lease_status(&s, out, &rt)
        }
        Command::Lease(cli::LeaseCommand::Break(a)) => {
            commands::coordination::lease_break(&s, a, out, &rt)
        }
        Command::History(a) => commands::coordination::history(&s, a, out, &rt),
        Command::Overflow(a) => commands::overflow::run(&s, a, out, &rt),
        Command::Drill(a) => commands::drill::run(&s, a, out, &rt),
        Command::Generate(_)
        | Command::Validate(_)
        | Command::IamPolicy(_)
        | Command::Init(_)
        | Command::Lambda(_) => {
            unreachable!("handled above")
        }
    }
}

/// stdout closed early (`hybridctl status | head`) is not a failure (ripgrep does the same).
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The one async runtime of a run, for the commands that call AWS.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            Error::Operational(anyhow::Error::new(e).context("cannot start the async runtime"))
        })
}
