//! `shift-traffic`, `failover`, `failback`: read the full actions -> plan (pure) -> the
//! runbook (lock, show, confirm, per-step fresh gates and concurrency, write-ahead journal,
//! write, read back, tag) -> report. On any failure or signal the report says what AWS holds.

mod apply;
mod capacity;
mod overflow;
mod read;
mod write;

use std::collections::HashMap;
use std::time::Duration;

use super::live;
use crate::aws::elbv2::TargetState;
use crate::aws::{AwsContext, cloudwatch, dms};
use crate::cli::ChangeArgs;
use crate::error::{Error, ExitStatus, Result};
use crate::journal::Body;
use crate::notify::{self, Event};
use crate::plan::traffic::{self as plan, Intent, Weights};
use crate::render::{self, Output};
use crate::report::{ExitFacts, Outcome, ServiceChange, TRAFFIC_SCHEMA, TrafficReport};
use crate::runbook::{Begin, Runbook};
use crate::settings::Settings;
use crate::topology::{Service, Topology};

/// What the user asked for, beyond the shared flags.
pub struct Request<'a> {
    pub kind: Kind,
    pub weights: &'a [String],
    pub change: &'a ChangeArgs,
    pub if_alarm: bool,
    pub if_ok_for: Option<Duration>,
    /// Who acts (`watch`, `lambda`) when not the person at the terminal.
    pub actor: Option<&'static str>,
    /// The caller's signal handling (see `runbook::Begin::interrupt`).
    pub interrupt: Option<crate::signal::Interrupt>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Shift,
    Failover,
    Failback,
    /// Overflow's shift: `weights` like `Shift`, journaled and tagged as `overflow`.
    Overflow,
    /// A drill's shift or return: `weights` like `Shift`, journaled and tagged as `drill`.
    Drill,
}

pub fn run(
    s: &Settings,
    req: &Request<'_>,
    out: &Output,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitStatus> {
    let topo = &s.topology;
    let services = select(topo, &req.change.service, req.change.all)?;
    let intent = match req.kind {
        Kind::Shift => {
            Intent::Shift(plan::parse_assignments(req.weights, &services).map_err(Error::usage)?)
        }
        Kind::Failover => Intent::Failover,
        Kind::Failback => Intent::Failback,
        Kind::Overflow => {
            Intent::Overflow(plan::parse_assignments(req.weights, &services).map_err(Error::usage)?)
        }
        Kind::Drill => {
            Intent::Drill(plan::parse_assignments(req.weights, &services).map_err(Error::usage)?)
        }
    };
    check_request(topo, req, &intent)?;
    let (report, facts, hint, run) = rt.block_on(async {
        let ctx = AwsContext::load(&s.aws).await?;
        execute(s, req, &services, &intent, out, &ctx).await
    })?;
    let printed = render::traffic::print(out, &report);
    if matches!(report.outcome, Outcome::Failed | Outcome::Interrupted) {
        out.note(&format!("error: {}", report.message));
        if let Some(h) = hint {
            out.note(&format!("hint: {h}"));
        }
    }
    // After the outcome is known and shown; a notification never changes the exit code.
    let event = Event::from_traffic(&report, &s.identity.who(), &s.clock.rfc3339());
    notify::after_run(s, out, rt, report.command, run.as_deref(), event);
    printed?;
    Ok(report.outcome.exit_status(ExitFacts {
        gates_pass: report.gates_pass(),
        ..facts
    }))
}

/// What a change run ends with: the report, the exit facts, the hint of an AWS error and the
/// run's id (None when no runbook began).
pub type Executed = (TrafficReport, ExitFacts, Option<String>, Option<String>);

/// The change itself, inside a runtime (for `run`, and for `watch` and `lambda`, which render
/// and notify the report themselves).
pub async fn execute(
    s: &Settings,
    req: &Request<'_>,
    services: &[&Service],
    intent: &Intent,
    out: &Output,
    ctx: &AwsContext,
) -> Result<Executed> {
    let flow = Flow {
        s,
        elb: ctx.elbv2(),
        elb_write: ctx.elbv2_writer(),
        ctx,
        services,
        intent,
        req,
        out,
        hint: Default::default(),
        run: Default::default(),
        capacity: Default::default(),
    };
    let (report, facts) = flow.run().await?;
    Ok((report, facts, flow.hint.into_inner(), flow.run.into_inner()))
}

/// Usage errors found before any AWS call.
fn check_request(topo: &Topology, req: &Request<'_>, intent: &Intent) -> Result<()> {
    crate::runbook::check_no_lease(req.change.no_lease, req.change.reason.as_deref())?;
    if matches!(req.kind, Kind::Failover | Kind::Failback) && topo.failover.is_none() {
        return Err(Error::Usage {
            message: format!(
                "{} needs a failover section in {}",
                intent.command(),
                topo.file.display()
            ),
            hint: Some("set failover.from and failover.to (see hybridctl.example.yaml)".into()),
        });
    }
    let has_alarm = topo
        .failover
        .as_ref()
        .and_then(|f| f.alarm.as_ref())
        .is_some();
    if (req.if_alarm || req.if_ok_for.is_some()) && !has_alarm {
        return Err(Error::usage(
            "--if-alarm and --if-ok-for need failover.alarm in the topology file",
        ));
    }
    Ok(())
}

/// With several services, acting on all of them must be asked for.
fn select<'a>(topo: &'a Topology, names: &[String], all: bool) -> Result<Vec<&'a Service>> {
    if names.is_empty() && !all && topo.services.len() > 1 {
        let known: Vec<&str> = topo.services.iter().map(|s| s.name.as_str()).collect();
        return Err(Error::Usage {
            message: format!(
                "the file has {} services: name them with --service or pass --all",
                known.len()
            ),
            hint: Some(format!("services: {}", known.join(", "))),
        });
    }
    live::select(topo, names)
}

/// One set of reads: everything a plan or a re-check is judged on.
pub(crate) struct Seen {
    pub routes: HashMap<String, live::Live>,
    pub health: HashMap<String, Vec<TargetState>>,
    pub alarm: Option<cloudwatch::Alarm>,
    /// The DMS task and its latest CDC target latency (failback only).
    pub replication: Option<(Option<dms::Task>, Option<f64>)>,
}

/// One service's plan, with the action list it was made from (then: as last verified).
pub(crate) struct Planned<'a> {
    pub svc: &'a Service,
    /// The rule's actions or the records, as planned from (then: as last verified).
    pub live: live::Live,
    pub change: ServiceChange,
    /// The state this run last verified (at first: what the plan read).
    pub verified: Weights,
    /// A write was sent and not verified: what AWS holds is unknown until read.
    pub uncertain: bool,
    /// The weights of the last write sent (to recognise them in a read after a failure).
    pub sent: Option<Weights>,
    /// Writes verified, rollback included.
    pub written: usize,
    /// How `change.now` was last known.
    pub read: ReadState,
    /// A Route 53 change of this service that was written and not yet INSYNC when the run
    /// stopped waiting for it (a signal): resolvers may still answer the old weights.
    pub insync_pending: Option<String>,
}

/// How a service's state at the end is known, for the words of the report.
#[derive(Debug, Clone, Default)]
pub(crate) enum ReadState {
    /// Read from AWS (the plan's read, or the last one).
    #[default]
    Fresh,
    /// AWS could not be read: the last state this run verified.
    LastVerified,
    /// A write was sent and did not read back; AWS answered `now`, which may not be final.
    Unconfirmed,
    /// A write was sent and AWS could not be read.
    Unread,
}

pub(crate) struct Flow<'a> {
    pub s: &'a Settings,
    pub ctx: &'a AwsContext,
    pub elb: aws_sdk_elasticloadbalancingv2::Client,
    /// For ModifyRule/ModifyListener: no SDK retries (see `AwsContext::elbv2_writer`).
    pub elb_write: aws_sdk_elasticloadbalancingv2::Client,
    pub services: &'a [&'a Service],
    pub intent: &'a Intent,
    pub req: &'a Request<'a>,
    pub out: &'a Output,
    /// The hint of the AWS error that stopped the run, if one did.
    pub hint: std::cell::RefCell<Option<String>>,
    /// The run id of the journal records, once the runbook began.
    pub run: std::cell::RefCell<Option<String>>,
    /// The capacity steps as they went, for the report.
    pub capacity: std::cell::RefCell<Vec<crate::report::CapacityView>>,
}

/// Why no plan could be made.
enum PlanError {
    /// AWS does not match the file: a refusal (exit 1).
    Drift(String),
    /// The request cannot be planned (every weight 0): a usage error (exit 2).
    Usage(String),
}

/// How the preparation ended: a report without writes, or a plan to apply.
enum Prepared<'a> {
    Done(Outcome, String, Vec<ServiceChange>),
    Apply(Vec<Planned<'a>>, Vec<Grow<'a>>),
}

/// One AWS site's capacity step in a change (`capacity.rs`): scaled before the weights move.
pub(crate) struct Grow<'a> {
    pub svc: &'a Service,
    pub cap: &'a crate::topology::Capacity,
    pub target_group: String,
    pub need: crate::plan::capacity::Need,
    pub from: crate::plan::capacity::Sizes,
    pub scale: crate::plan::capacity::Scale,
}

impl<'a> Flow<'a> {
    fn args(&self) -> &ChangeArgs {
        self.req.change
    }

    async fn run(&self) -> Result<(TrafficReport, ExitFacts)> {
        let begin = Begin {
            command: self.intent.command(),
            reason: self.args().reason.clone(),
            resources: self
                .services
                .iter()
                .map(|s| s.resource())
                .chain(self.capacity_resources())
                .collect(),
            lock_timeout: self.args().lock_timeout,
            dynamodb: crate::runbook::table_client(self.s, self.ctx),
            no_lease: self.args().no_lease,
            actor: self.req.actor,
            interrupt: self.req.interrupt.clone(),
        };
        let mut rb = match Runbook::begin(self.s, self.out, begin, self.args().dry_run).await {
            Ok(rb) => rb,
            Err(e) => {
                let (o, m, facts) = e.end();
                return Ok((self.report(o, m, vec![], None), facts));
            }
        };
        *self.run.borrow_mut() = Some(rb.run_id().to_string());
        let prepared = match self.prepare(&mut rb).await {
            Ok(p) => p,
            Err(e) => {
                // Nothing was written; the lease is given back before the error is reported.
                rb.finish().await;
                return Err(e);
            }
        };
        let (outcome, message, changes) = match prepared {
            // A signal that arrived while nothing was written still ends the run as interrupted.
            Prepared::Done(o, m, c)
                if rb.interrupt.is_set()
                    && matches!(o, Outcome::NoOp | Outcome::NoAction | Outcome::Planned) =>
            {
                let sig = rb.interrupt.signal().map_or("a signal", |s| s.name());
                (
                    Outcome::Interrupted,
                    format!("interrupted by {sig}: {m}"),
                    c,
                )
            }
            // Failback with the weights already back: a scale-out kept after a capacity step
            // that timed out (traffic never moved) is still given back.
            Prepared::Done(Outcome::NoOp, m, c)
                if self.req.kind == Kind::Failback && !self.args().dry_run =>
            {
                self.give_back_only(&mut rb, m, c).await
            }
            Prepared::Done(o, m, c) => (o, m, c),
            Prepared::Apply(mut planned, grows) => self.change(&mut rb, &mut planned, &grows).await,
        };
        let journal = rb.journal_path();
        let message = match rb.journal_error() {
            Some(e) => format!("{message}; the journal is incomplete: {e}"),
            None => message,
        };
        let interrupted_by = late_signal(&rb, outcome);
        let facts = rb.finish().await;
        let message = match interrupted_by {
            Some(sig) => format!("{message} ({})", late_words(sig)),
            None => message,
        };
        let mut report = self.report(outcome, message, changes, journal);
        report.interrupted_by = interrupted_by;
        Ok((report, facts))
    }

    /// Read, plan, show, confirm: everything before the first write.
    async fn prepare(&self, rb: &mut Runbook<'_>) -> Result<Prepared<'a>> {
        let (seen, landing) = tokio::join!(
            self.observe(
                self.services,
                self.req.if_alarm || self.req.if_ok_for.is_some(),
            ),
            self.failback_landing(&rb.interrupt),
        );
        let seen = seen?;
        if self.req.if_alarm {
            let (name, alarm) = self.alarm_state(&seen);
            if let Some(m) = plan::if_alarm(name, alarm) {
                return Ok(Prepared::Done(Outcome::NoAction, m, vec![]));
            }
        }
        let mut planned = match self.plan(&seen, &landing) {
            Ok(p) => p,
            Err(PlanError::Drift(m)) => return Ok(Prepared::Done(Outcome::Refused, m, vec![])),
            Err(PlanError::Usage(m)) => return Err(Error::usage(m)),
        };
        let changes = |p: Vec<Planned<'_>>| p.into_iter().map(|p| p.change).collect();
        if planned.iter().all(|p| p.change.steps.is_empty()) {
            let names: Vec<&str> = planned.iter().map(|p| p.svc.name.as_str()).collect();
            let m = format!(
                "nothing to do: {} already at the target weights",
                names.join(", ")
            );
            return Ok(Prepared::Done(Outcome::NoOp, m, changes(planned)));
        }
        let force = self.args().force;
        // Every service's gates are decided (marked forced), not only up to the first failure.
        let decided: Vec<bool> = planned
            .iter_mut()
            .map(|p| plan::decide(&mut p.change.gates, force))
            .collect();
        let gates_pass = decided.into_iter().all(|ok| ok);
        if let Some(min) = self.req.if_ok_for {
            let strict = planned
                .iter()
                .flat_map(|p| &p.change.gates)
                .all(|g| g.passed);
            let now = self.s.clock.epoch();
            if let Some(m) = plan::if_ok_for(seen.alarm.as_ref(), now, min, strict) {
                return Ok(Prepared::Done(Outcome::NoAction, m, changes(planned)));
            }
        }
        // Capacity before traffic: a site that takes a larger share is scaled first.
        let grows = match self.plan_capacity(&planned, &seen).await {
            Ok(g) => g,
            Err(m) => return Ok(Prepared::Done(Outcome::Refused, m, changes(planned))),
        };
        if self.args().dry_run {
            let m = if gates_pass {
                "dry run: nothing was changed"
            } else {
                "dry run: the gates refuse this change"
            };
            return Ok(Prepared::Done(Outcome::Planned, m.into(), changes(planned)));
        }
        let shown: Vec<&ServiceChange> = planned.iter().map(|p| &p.change).collect();
        let text = render::traffic::plan_text(
            self.intent.command(),
            &self.s.topology,
            &shown,
            self.out.stderr_width,
        );
        let text = text + &self.capacity_plan_text(&grows);
        rb.show_plan(&text, !self.args().yes && gates_pass);
        if !gates_pass {
            let m = self.gate_refusal(&planned);
            return Ok(Prepared::Done(Outcome::Refused, m, changes(planned)));
        }
        if !rb.confirm(self.args().yes, "traffic").await? {
            let m = match rb.interrupt.signal() {
                Some(sig) => format!(
                    "interrupted by {} at the prompt: nothing was changed",
                    sig.name()
                ),
                None => "not confirmed: nothing was changed".into(),
            };
            let outcome = if rb.interrupt.is_set() {
                Outcome::Interrupted
            } else {
                Outcome::Refused
            };
            return Ok(Prepared::Done(outcome, m, changes(planned)));
        }
        Ok(Prepared::Apply(planned, grows))
    }

    /// Why a plan whose gates failed is refused. The plan on stderr names the gate; without it
    /// (-q, -o json) the message does.
    fn gate_refusal(&self, planned: &[Planned<'a>]) -> String {
        let above = if self.out.shows_plan(false) {
            " (see above)".to_string()
        } else {
            planned
                .iter()
                .flat_map(|p| &p.change.gates)
                .find(|g| !g.passed && !g.forced)
                .map(|g| format!(" ({}: {})", g.name, g.message))
                .unwrap_or_default()
        };
        format!(
            "refused: a safety gate failed{above}; nothing was changed. --force overrides, and is journaled"
        )
    }

    /// Opens the journal, applies every step, records the end; returns the report's parts.
    async fn change(
        &self,
        rb: &mut Runbook<'_>,
        planned: &mut [Planned<'a>],
        grows: &[Grow<'a>],
    ) -> (Outcome, String, Vec<ServiceChange>) {
        if let Err(m) = rb.open_journal() {
            let changes = planned.iter().map(|p| p.change.clone()).collect();
            return (Outcome::Failed, m, changes);
        }
        let (outcome, message) = match self.grow(rb, grows).await {
            Ok(()) => self.apply(rb, planned).await,
            Err(ended) => {
                // Traffic was not moved: the report and the records say what AWS holds.
                self.read_now(planned).await;
                ended
            }
        };
        // Failback gives the capacity back once the weights are verified on the way back.
        let message = if outcome == Outcome::Applied && self.req.kind == Kind::Failback {
            let notes = self.give_back(rb).await;
            if notes.is_empty() {
                message
            } else {
                format!("{message}; {}", notes.join("; "))
            }
        } else {
            message
        };
        let interrupted_by = late_signal(rb, outcome);
        for p in planned.iter().filter(|p| !p.change.steps.is_empty()) {
            let _ = rb.record(Body::Change {
                service: p.svc.name.clone(),
                before: p.change.before.clone(),
                after: p.change.now.clone(),
                target: p.change.target.clone(),
                steps: p.change.steps.len(),
                written: Some(p.written),
                forced_gates: forced(p),
                outcome,
                message: message.clone(),
                interrupted_by: interrupted_by.map(str::to_string),
            });
        }
        (
            outcome,
            message,
            planned.iter().map(|p| p.change.clone()).collect(),
        )
    }

    fn report(
        &self,
        outcome: Outcome,
        message: String,
        services: Vec<ServiceChange>,
        journal: Option<String>,
    ) -> TrafficReport {
        TrafficReport {
            schema: TRAFFIC_SCHEMA,
            command: self.intent.command(),
            dry_run: self.args().dry_run,
            outcome,
            message,
            reason: self.args().reason.clone(),
            services,
            journal,
            interrupted_by: None,
            capacity: self.capacity.borrow().clone(),
        }
    }
}

/// A signal that arrived while the last write was in flight, when the change was completed
/// (outcome `applied`): the report and the journal say so, and the exit code is the signal's.
pub(crate) fn late_words(sig: &str) -> String {
    format!(
        "{sig} arrived during the last write: the change was completed and verified, then the run stopped"
    )
}

pub(crate) fn late_signal(rb: &Runbook<'_>, outcome: Outcome) -> Option<&'static str> {
    (outcome == Outcome::Applied)
        .then(|| rb.interrupt.signal().map(|s| s.name()))
        .flatten()
}

fn forced(p: &Planned<'_>) -> Vec<String> {
    p.change
        .gates
        .iter()
        .filter(|g| g.forced)
        .map(|g| g.name.clone())
        .collect()
}
