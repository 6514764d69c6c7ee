//! `hybridctl overflow`: query each service's utilization once, decide (pure, with the
//! streaks kept in a state file across runs), print, and with `--apply --yes` make the due
//! change through `shift-traffic`'s runbook.

pub mod state;

use std::collections::HashMap;

use super::live;
use super::traffic::{self, Kind, Request};
use crate::aws::AwsContext;
use crate::cli::{ChangeArgs, OnFailure, OverflowArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::metrics::{self, Sample};
use crate::plan::overflow::{self as plan, LiveSplit, OverflowState, Reading, Verdict};
use crate::plan::traffic::{LastChange, Weights, format_weights};
use crate::render::{self, Output};
use crate::report::{OVERFLOW_SCHEMA, OverflowReport, OverflowRow};
use crate::settings::Settings;
use crate::topology::{Overflow, Service, Topology};

pub use state::{States, load_state, save_state};

/// One service evaluated: its report row and what to do.
struct Evaluated<'a> {
    cfg: &'a Overflow,
    row: OverflowRow,
    due: Option<(Verdict, Weights)>,
    failed: bool,
}

pub fn run(
    s: &Settings,
    args: &OverflowArgs,
    out: &Output,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitStatus> {
    let topo = &s.topology;
    let cfgs = select(topo, &args.service)?;
    let prom = topo
        .prometheus
        .as_ref()
        .ok_or_else(|| Error::usage("overflow needs metrics.prometheus in the topology file"))?;
    let client = metrics::Client::new(prom, &s.env).map_err(|e| Error::Usage {
        message: e.message,
        hint: e.hint,
    })?;
    let services: Vec<&Service> = cfgs
        .iter()
        .filter_map(|c| topo.service(&c.service))
        .collect();
    let (samples, (actions, last)) = rt.block_on(async {
        let queries = futures::future::join_all(cfgs.iter().map(|c| client.query(&c.query)));
        let reads = async {
            let ctx = AwsContext::load(&s.aws).await?;
            let elb = ctx.elbv2();
            let actions = match live::routes(&ctx, &elb, &services).await {
                Ok(a) => a,
                Err(e) => return Err(Error::from(live::explain(&elb, topo, &services, e).await)),
            };
            // Who set the weights, where a failover may be in force (its `from` at 0).
            let maybe: Vec<&Service> = services
                .iter()
                .copied()
                .filter(|svc| {
                    actions
                        .get(&svc.name)
                        .and_then(|l| l.weights(svc).ok())
                        .is_some_and(|w| plan::from_at_zero(topo, svc, &w))
                })
                .collect();
            let last = live::last_changes(&elb, &maybe).await;
            Ok((actions, last))
        };
        let (samples, reads) = tokio::join!(queries, reads);
        Ok::<_, Error>((samples, reads?))
    })?;
    let mut states = load_state(s)?;
    let now = s.clock.epoch_ms();
    let evaluated: Vec<Evaluated> = cfgs
        .iter()
        .zip(samples)
        .map(|(cfg, sample)| {
            let st = states.entry(cfg.service.clone()).or_default();
            let last = last
                .get(&cfg.service)
                .copied()
                .unwrap_or(LastChange::Unknown);
            evaluate(topo, cfg, (sample, last), &actions, st, now)
        })
        .collect();
    if !args.dry_run {
        save_state(s, &states)?;
    }
    let report = OverflowReport {
        schema: OVERFLOW_SCHEMA,
        services: evaluated.iter().map(|e| e.row.clone()).collect(),
    };
    render::overflow::print(out, &report)?;
    for e in evaluated.iter().filter(|e| e.failed) {
        out.note(&format!("error: {}", e.row.message));
    }
    let mut status = exit_status(&evaluated);
    if args.apply {
        status = apply(s, args, out, rt, &evaluated, &mut states)?;
    }
    Ok(status)
}

fn exit_status(evaluated: &[Evaluated]) -> ExitStatus {
    if evaluated.iter().any(|e| e.failed) {
        ExitStatus::Failure
    } else if evaluated
        .iter()
        .any(|e| e.due.is_some() || e.row.verdict == "refused")
    {
        ExitStatus::No
    } else {
        ExitStatus::Success
    }
}

/// The services to evaluate: those named (each must have overflow), else all with overflow.
fn select<'a>(topo: &'a Topology, names: &[String]) -> Result<Vec<&'a Overflow>> {
    if topo.overflow.is_empty() {
        return Err(Error::Usage {
            message: format!("{} has no overflow section", topo.file.display()),
            hint: Some("see docs/overflow.md".into()),
        });
    }
    if names.is_empty() {
        return Ok(topo.overflow.iter().collect());
    }
    live::select(topo, names)?;
    names
        .iter()
        .map(|n| {
            topo.overflow_of(n).ok_or_else(|| {
                Error::usage(format!(
                    "service `{n}` has no overflow section in {}",
                    topo.file.display()
                ))
            })
        })
        .collect()
}

pub fn reading_of(
    sample: &std::result::Result<Sample, metrics::QueryError>,
) -> (Reading, Option<f64>, String) {
    match sample {
        Ok(Sample::Value(v)) => (Reading::Value(*v), Some(*v), format!("{v}")),
        Ok(Sample::NoData(n)) => (Reading::NoData, None, n.as_str().to_string()),
        Err(e) => (Reading::Unknown, None, format!("error: {}", e.message)),
    }
}

/// Decides one service; the state's streaks advance, `in_overflow` follows the live split.
fn evaluate<'a>(
    topo: &Topology,
    cfg: &'a Overflow,
    (sample, last): (std::result::Result<Sample, metrics::QueryError>, LastChange),
    actions: &HashMap<String, live::Live>,
    st: &mut OverflowState,
    now_ms: i64,
) -> Evaluated<'a> {
    let (reading, value, text) = reading_of(&sample);
    let svc = topo
        .service(&cfg.service)
        .expect("validated: overflow names a service");
    let live = actions
        .get(&svc.name)
        .ok_or_else(|| format!("AWS returned no actions for service `{}`", svc.name))
        .and_then(|l| l.weights(svc));
    // Known from the record of who set the weights, not from the split.
    let failed_over = live
        .as_ref()
        .is_ok_and(|w| plan::failover_in_force(topo, svc, w, last));
    // A failover's split says nothing about overflow: the memory stays for the failback.
    if !failed_over {
        let split = live
            .as_ref()
            .map_or(LiveSplit::Other, |w| plan::live_split(svc, cfg, w));
        st.observe_live(split);
    }
    let d = plan::decide(cfg, st, reading, now_ms);
    *st = d.state.clone();
    let target = match d.verdict {
        Verdict::Enter => Some(plan::overflow_weights(cfg)),
        Verdict::Leave => Some(plan::normal_weights(svc)),
        Verdict::Stay => None,
    };
    let (verdict, message, due) = match (&live, target) {
        (Err(e), _) => ("stay", e.clone(), None),
        (Ok(_), Some(_)) if failed_over => (
            "refused",
            format!(
                "{}; refused: a failover is in force ({}) and wins over overflow",
                d.why,
                plan::failover_evidence(topo, last)
            ),
            None,
        ),
        (Ok(_), Some(t)) => (verb(d.verdict), d.why.clone(), Some((d.verdict, t))),
        // The memory of overflow is kept for the failback, which lands on the split while
        // overflow holds; the message says why nothing moves now.
        (Ok(_), None) if failed_over => (
            "stay",
            format!(
                "{}; a failover is in force ({}): overflow changes nothing until the failback",
                d.why,
                plan::failover_evidence(topo, last)
            ),
            None,
        ),
        (Ok(_), None) => ("stay", d.why.clone(), None),
    };
    let failed = sample.is_err() || live.is_err();
    let message = match &sample {
        Err(e) => e.message.clone(),
        Ok(_) => message,
    };
    Evaluated {
        cfg,
        row: OverflowRow {
            service: cfg.service.clone(),
            value,
            reading: text,
            above: cfg.above,
            below: cfg.below,
            for_seconds: cfg.sustain.as_secs(),
            in_overflow: st.in_overflow,
            verdict,
            live: live.ok(),
            target: due.as_ref().map(|(_, t)| t.clone()),
            message,
        },
        due,
        failed,
    }
}

fn verb(v: Verdict) -> &'static str {
    match v {
        Verdict::Enter => "enter",
        Verdict::Leave => "leave",
        Verdict::Stay => "stay",
    }
}

/// Each due change through `shift-traffic`'s runbook; the state records what was applied.
fn apply(
    s: &Settings,
    args: &OverflowArgs,
    out: &Output,
    rt: &tokio::runtime::Runtime,
    evaluated: &[Evaluated],
    states: &mut States,
) -> Result<ExitStatus> {
    let mut worst = exit_status(evaluated);
    if worst == ExitStatus::No {
        worst = ExitStatus::Success;
    }
    for e in evaluated {
        let Some((verdict, target)) = &e.due else {
            if e.row.verdict == "refused" {
                worst = worse(worst, ExitStatus::No);
            }
            continue;
        };
        let weights: Vec<String> = target.iter().map(|(s, w)| format!("{s}={w}")).collect();
        let what = if *verdict == Verdict::Enter {
            "enter"
        } else {
            "leave"
        };
        let change = change_args(
            &e.cfg.service,
            args.yes,
            format!("overflow {what}: {}", e.row.message),
        );
        out.note(&format!(
            "overflow: {} {what} -> {}",
            e.cfg.service,
            format_weights(target)
        ));
        let req = Request {
            kind: Kind::Overflow,
            weights: &weights,
            change: &change,
            if_alarm: false,
            if_ok_for: None,
            actor: None,
            interrupt: None,
        };
        let status = traffic::run(s, &req, &out.nested(), rt)?;
        if status == ExitStatus::Success {
            states
                .entry(e.cfg.service.clone())
                .or_default()
                .applied(*verdict);
            save_state(s, states)?;
        }
        worst = worse(worst, status);
    }
    Ok(worst)
}

fn change_args(service: &str, yes: bool, reason: String) -> ChangeArgs {
    ChangeArgs {
        service: vec![service.to_string()],
        all: false,
        dry_run: false,
        yes,
        force: false,
        reason: Some(reason),
        step: None,
        interval: std::time::Duration::from_secs(30),
        on_failure: OnFailure::Stop,
        no_lease: false,
        lock_timeout: std::time::Duration::from_secs(30),
    }
}

fn worse(a: ExitStatus, b: ExitStatus) -> ExitStatus {
    if b.code() > a.code() { b } else { a }
}
