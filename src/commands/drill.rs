//! `hybridctl drill`: preflight -> shift to failover.to through the runbook -> hold, judging
//! each poll (`plan::drill::judge`) -> return to the weights before through the runbook ->
//! record (journal `kind: drill`, the shared history, the watcher's state) -> report.
//! `watch` runs the same drill (`Drill::run`) on its schedule.

pub(crate) mod hold;
mod model;

pub(crate) use model::Drill;
use model::{Ended, Preflight};

use crate::aws::AwsContext;
use crate::cli::{ChangeArgs, DrillArgs, OnFailure};
use crate::commands::traffic::{self, Kind, Request};
use crate::error::{Error, ExitStatus, Result};
use crate::journal::Body;
use crate::plan::drill::{DrillOutcome, MetricsReading};
use crate::plan::traffic::{Intent, Weights, format_weights};
use crate::plan::watch::{LastDrill, WatchState};
use crate::render::{self, Output};
use crate::report::{DRILL_SCHEMA, DrillReport, DrillRow, Outcome};
use crate::settings::Settings;
use crate::signal::{Interrupt, Signal};
use crate::topology::{Service, Topology};

pub fn run(
    s: &Settings,
    args: &DrillArgs,
    out: &Output,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitStatus> {
    let topo = &s.topology;
    let f = topo.failover.as_ref().ok_or_else(|| Error::Usage {
        message: format!("drill needs a failover section in {}", topo.file.display()),
        hint: Some("set failover.from and failover.to (see docs/drill.md)".into()),
    })?;
    let services = select(topo, &args.service, args.all)?;
    let cfg = configured(topo, args)?;
    let reason = args.reason.clone().unwrap_or_else(|| "drill".into());
    let rows = rt.block_on(async {
        let ctx = AwsContext::load(&s.aws).await?;
        let stop = Interrupt::install()
            .map_err(|e| Error::Operational(anyhow::anyhow!("cannot catch signals: {e}")))?;
        let table = crate::runbook::table_client(s, &ctx);
        let mut rows = Vec::new();
        for svc in services {
            let d = Drill {
                s,
                ctx: &ctx,
                svc,
                f,
                cfg: &cfg,
                out,
                stop: stop.clone(),
                actor: None,
                reason: &reason,
                yes: args.yes,
                dry_run: args.dry_run,
            };
            let row = d.run().await;
            if !args.dry_run && row.outcome != DrillOutcome::Planned {
                record(s, table.as_ref(), &row, None, &reason, out).await;
            }
            rows.push(row);
            if stop.is_set() {
                break;
            }
        }
        Ok::<_, Error>((rows, stop.signal()))
    })?;
    let (rows, signal) = rows;
    let report = DrillReport {
        schema: DRILL_SCHEMA,
        dry_run: args.dry_run,
        outcome: worst(&rows),
        reason: args.reason.clone(),
        drills: rows.iter().map(|r| r.row.clone()).collect(),
    };
    render::drill::print(out, &report)?;
    Ok(exit_status(&rows, signal))
}

/// The drill's settings: the file's `drill:` (or its defaults), then the flags.
fn configured(topo: &Topology, args: &DrillArgs) -> Result<crate::topology::Drill> {
    let mut cfg = topo.drill.clone().unwrap_or_default();
    if args.failover {
        cfg.share = 100;
    }
    if let Some(n) = args.share {
        cfg.share = n;
    }
    if let Some(h) = args.hold {
        if h < std::time::Duration::from_secs(1) {
            return Err(Error::usage("--hold must be at least 1s"));
        }
        cfg.hold = h;
    }
    Ok(cfg)
}

/// With several services, drilling all of them must be asked for.
fn select<'a>(topo: &'a Topology, names: &[String], all: bool) -> Result<Vec<&'a Service>> {
    if names.is_empty() && !all && topo.services.len() > 1 {
        let known: Vec<&str> = topo.services.iter().map(|s| s.name.as_str()).collect();
        return Err(Error::Usage {
            message: format!(
                "the file has {} services: name the one to drill with --service, or pass --all",
                known.len()
            ),
            hint: Some(format!("services: {}", known.join(", "))),
        });
    }
    let services = super::live::select(topo, names)?;
    if let Some(d) = services
        .iter()
        .find(|s| s.dns().is_some() && !names.is_empty())
    {
        return Err(Error::Usage {
            message: format!(
                "service `{}` is routed by Route 53: a drill's hold reads ALB target groups and their CloudWatch metrics, which a dns service has none of",
                d.name
            ),
            hint: Some("practise a dns service's failover with failover and failback".into()),
        });
    }
    // --all: the ALB services (a dns service has nothing a drill's hold can read).
    Ok(services.into_iter().filter(|s| s.alb().is_some()).collect())
}

/// 128+N for a signal; 3 when an AWS call or a write failed; 1 when a drill did not pass.
fn exit_status(rows: &[Ran], signal: Option<Signal>) -> ExitStatus {
    if let Some(sig) = signal {
        return sig.exit_status();
    }
    if rows.iter().any(|r| r.failed_call) {
        return ExitStatus::Failure;
    }
    if rows
        .iter()
        .all(|r| matches!(r.outcome, DrillOutcome::Passed | DrillOutcome::Planned))
    {
        ExitStatus::Success
    } else {
        ExitStatus::No
    }
}

fn worst(rows: &[Ran]) -> DrillOutcome {
    let rank = |o: DrillOutcome| match o {
        DrillOutcome::Planned => 0,
        DrillOutcome::Passed => 1,
        DrillOutcome::Refused => 2,
        DrillOutcome::Failed => 3,
        DrillOutcome::Aborted => 4,
        DrillOutcome::Interrupted => 5,
    };
    rows.iter()
        .map(|r| r.outcome)
        .max_by_key(|o| rank(*o))
        .unwrap_or(DrillOutcome::Refused)
}

/// One drill's end: the report's row and what the exit code and the records need.
pub(crate) struct Ran {
    pub outcome: DrillOutcome,
    pub row: DrillRow,
    /// An AWS call or a runbook write failed (exit 3).
    pub failed_call: bool,
    /// The journal run id of the shift (the drill's record joins it).
    pub run: Option<String>,
    /// When the drill began (epoch seconds).
    pub began: i64,
}

impl Drill<'_> {
    pub async fn run(&self) -> Ran {
        let began = self.s.clock.epoch();
        let mut ran = self.ran(began);
        let pre = match hold::preflight(self).await {
            Ok(p) => p,
            Err(hold::NotStarted::Refused(m)) => return ran.end(DrillOutcome::Refused, m),
            Err(hold::NotStarted::Failed(m)) => {
                ran.failed_call = true;
                return ran.end(DrillOutcome::Refused, m);
            }
        };
        ran.row.before = Some(pre.before.clone());
        ran.row.during = Some(pre.during.clone());
        self.out.note(&format!(
            "drill: {}: {} -> {} for {}",
            self.svc.name,
            format_weights(&pre.before),
            format_weights(&pre.during),
            crate::duration::format(self.cfg.hold)
        ));
        let shift = self
            .change(&pre.during, "shift", self.stop.clone(), self.dry_run)
            .await;
        ran.run = shift.run.clone();
        ran.row.runs.extend(shift.run.clone());
        ran.row.after = shift.now.clone();
        match shift.outcome {
            Outcome::Planned => return ran.end(DrillOutcome::Planned, shift.message),
            Outcome::Applied => {}
            Outcome::Refused | Outcome::NoAction | Outcome::NoOp => {
                return ran.end(DrillOutcome::Refused, shift.message);
            }
            _ => {
                ran.failed_call = !matches!(shift.outcome, Outcome::Interrupted);
                let m = format!("the drill's shift did not complete: {}", shift.message);
                let moved = shift.now.as_ref().is_some_and(|n| n != &pre.before);
                let outcome = match shift.outcome {
                    Outcome::Interrupted => DrillOutcome::Interrupted,
                    _ => DrillOutcome::Failed,
                };
                if moved {
                    return self.back(ran, &pre, outcome, m).await;
                }
                return ran.end(outcome, m);
            }
        }
        let held_from = std::time::Instant::now();
        let (ended, metrics) = match self.stop.signal() {
            // A signal during the shift's write: the shift completed; return at once.
            Some(sig) => (Ended::Interrupted(sig), None),
            None => hold::hold(self).await,
        };
        ran.row.held_seconds = held_from.elapsed().as_secs();
        ran.row.metrics = metrics;
        match ended {
            Ended::Passed => {
                let m = format!(
                    "held {} on {} with no outcome alarm, health or threshold failing{}",
                    crate::duration::format(self.cfg.hold),
                    format_weights(&pre.during),
                    metrics.map(|m| metrics_words(&m)).unwrap_or_default()
                );
                self.back(ran, &pre, DrillOutcome::Passed, m).await
            }
            Ended::Failed(m) => self.back(ran, &pre, DrillOutcome::Failed, m).await,
            Ended::Interrupted(sig) => {
                let m = format!("interrupted by {} during the hold", sig.name());
                self.back(ran, &pre, DrillOutcome::Interrupted, m).await
            }
            Ended::Aborted(m) => {
                let m = format!(
                    "{m}; traffic stays on {} (not returned to a failing site): the failover logic takes over (watch, or `hybridctl failover`)",
                    format_weights(&pre.during)
                );
                ran.end(DrillOutcome::Aborted, m)
            }
        }
    }

    fn ran(&self, began: i64) -> Ran {
        Ran {
            outcome: DrillOutcome::Refused,
            row: DrillRow {
                service: self.svc.name.clone(),
                outcome: DrillOutcome::Refused,
                message: String::new(),
                share: self.cfg.share,
                hold_seconds: self.cfg.hold.as_secs(),
                before: None,
                during: None,
                after: None,
                returned: false,
                started: self.s.clock.rfc3339(),
                ended: String::new(),
                held_seconds: 0,
                metrics: None,
                runs: Vec::new(),
            },
            failed_call: false,
            run: None,
            began,
        }
    }

    /// Returns to the weights before the drill through the runbook; the return is not cut
    /// short by the signal that may have ended the hold.
    async fn back(&self, mut ran: Ran, pre: &Preflight, outcome: DrillOutcome, m: String) -> Ran {
        let back = self
            .change(&pre.before, "return", Interrupt::manual(), false)
            .await;
        ran.row.runs.extend(back.run.clone());
        if back.now.is_some() {
            ran.row.after = back.now.clone();
        }
        match back.outcome {
            Outcome::Applied | Outcome::NoOp => {
                ran.row.returned = true;
                let m = format!("{m}; returned to {}", format_weights(&pre.before));
                ran.end(outcome, m)
            }
            _ => {
                ran.failed_call = true;
                let m = format!(
                    "{m}; the return to {} did not complete: {}",
                    format_weights(&pre.before),
                    back.message
                );
                let outcome = match outcome {
                    DrillOutcome::Passed => DrillOutcome::Failed,
                    o => o,
                };
                ran.end(outcome, m)
            }
        }
    }

    /// One runbook write of explicit weights (`drill` in the journal and the tag).
    async fn change(
        &self,
        target: &Weights,
        what: &str,
        interrupt: Interrupt,
        dry_run: bool,
    ) -> Changed {
        let weights: Vec<String> = target.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let change = ChangeArgs {
            service: vec![self.svc.name.clone()],
            all: false,
            dry_run,
            // The return is part of a drill already confirmed.
            yes: self.yes || what == "return",
            force: false,
            reason: Some(format!("drill {what}: {}", self.reason)),
            step: None,
            interval: std::time::Duration::from_secs(30),
            on_failure: OnFailure::Stop,
            no_lease: false,
            lock_timeout: std::time::Duration::from_secs(30),
        };
        let req = Request {
            kind: Kind::Drill,
            weights: &weights,
            change: &change,
            if_alarm: false,
            if_ok_for: None,
            actor: self.actor,
            interrupt: Some(interrupt),
        };
        let pairs: Vec<(String, u32)> = target.iter().map(|(k, v)| (k.clone(), *v)).collect();
        let executed = traffic::execute(
            self.s,
            &req,
            &[self.svc],
            &Intent::Drill(pairs),
            self.out,
            self.ctx,
        )
        .await;
        match executed {
            Ok((report, _, hint, run)) => Changed {
                outcome: report.outcome,
                message: match hint.filter(|_| report.outcome == Outcome::Failed) {
                    Some(h) => format!("{} (hint: {h})", report.message),
                    None => report.message.clone(),
                },
                now: report.services.first().and_then(|c| c.now.clone()),
                run,
            },
            Err(e) => Changed {
                outcome: Outcome::Failed,
                message: e.to_string(),
                now: None,
                run: None,
            },
        }
    }
}

impl Ran {
    fn end(mut self, outcome: DrillOutcome, message: String) -> Ran {
        self.outcome = outcome;
        self.row.outcome = outcome;
        self.row.message = message;
        self.row.ended = crate::aws::rfc3339(&aws_smithy_types::DateTime::from(
            std::time::SystemTime::now(),
        ));
        self
    }
}

struct Changed {
    outcome: Outcome,
    message: String,
    now: Option<Weights>,
    run: Option<String>,
}

fn metrics_words(m: &MetricsReading) -> String {
    let rate = m
        .rate_5xx()
        .map(|r| {
            format!(
                "5xx rate {r:.4} ({} of {} requests)",
                m.errors_5xx, m.requests
            )
        })
        .unwrap_or_else(|| "no requests".into());
    let p99 = m
        .p99_seconds
        .map(|p| format!(", p99 {p:.3}s"))
        .unwrap_or_default();
    format!(" ({rate}{p99})")
}

/// The drill's end in the journal and the shared history (`kind: drill`, joined to the
/// shift's run), and in the watcher's state (`drills`), which `status` and the metrics read.
pub(crate) async fn record(
    s: &Settings,
    table: Option<&aws_sdk_dynamodb::Client>,
    ran: &Ran,
    actor: Option<&str>,
    reason: &str,
    out: &Output,
) {
    if let Err(e) = journal(s, table, ran, actor, reason).await {
        out.note(&format!(
            "warning: the drill's record was not journaled: {e}"
        ));
    }
    let mut store = crate::commands::watch::store::Store::open(s, table.cloned(), false);
    for _ in 0..3 {
        let mut state = match store.load().await {
            Ok(st) => st,
            Err(e) => {
                out.note(&format!("warning: the watch state was not updated: {e}"));
                return;
            }
        };
        remember(&mut state, ran, s.clock.epoch());
        match store.save(&state).await {
            Ok(()) => return,
            Err(crate::commands::watch::store::SaveError::Conflict(_)) => continue,
            Err(crate::commands::watch::store::SaveError::Failed(e)) => {
                out.note(&format!("warning: the watch state was not updated: {e}"));
                return;
            }
        }
    }
}

pub(crate) async fn journal(
    s: &Settings,
    table: Option<&aws_sdk_dynamodb::Client>,
    ran: &Ran,
    actor: Option<&str>,
    reason: &str,
) -> std::result::Result<(), String> {
    let r = &ran.row;
    let body = Body::Drill {
        service: r.service.clone(),
        outcome: r.outcome.word().to_string(),
        message: r.message.clone(),
        before: r.before.clone(),
        during: r.during.clone(),
        after: r.after.clone(),
        share: r.share,
        hold_seconds: r.hold_seconds,
        started: r.started.clone(),
        metrics: r.metrics,
    };
    let who = crate::runbook::Who {
        command: "drill",
        reason: Some(reason),
        run: ran.run.as_deref(),
        actor,
    };
    crate::runbook::journal_records(s, table, &who, vec![body]).await
}

/// The drill in the watcher's state: its outcome, when it ended, the last passed one.
pub(crate) fn remember(state: &mut WatchState, ran: &Ran, now: i64) {
    let prev = state.drills.get(&ran.row.service);
    let last_passed = match ran.outcome {
        DrillOutcome::Passed => Some(now),
        _ => prev.and_then(|p| p.last_passed),
    };
    state.drills.insert(
        ran.row.service.clone(),
        LastDrill {
            outcome: ran.outcome.word().to_string(),
            time: now,
            last_passed,
            started: Some(ran.began),
        },
    );
}
