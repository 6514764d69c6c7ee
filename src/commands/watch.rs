//! `hybridctl watch`: polls the from-site's health and the alarm, decides with `plan::watch`
//! (streaks, unknowns, latch, failback readiness) and acts through the same runbook as the
//! manual commands, with actor `watch`. Runs as a service (systemd `Type=notify`, watchdog,
//! SIGTERM finishes the current step and exits 0, SIGHUP reloads the file), once for cron
//! (`--once`), or without writing anything (`--observe`). State persists in the coordination
//! table (several hosts: one active, the others standing by) or in a local file.

pub(crate) mod act;
mod capacity;
mod dr_auto;
mod drill;
mod health;
mod metrics;
mod overflow;
mod poll;
mod role;
mod server;
pub(crate) mod signals;
pub mod store;

use std::time::Duration;

use crate::aws::AwsContext;
use crate::cli::WatchArgs;
use crate::error::{Error, ExitStatus, Result};
use crate::notify::{self, EventKind};
use crate::plan::watch::{self as plan, ActionKind, Evaluated, LastAction, WatchState};
use crate::render::{self, Output};
use crate::report::{Outcome, WATCH_SCHEMA, WatchAction, WatchEvaluation};
use crate::settings::Settings;
use crate::topology::{SKEW_MARGIN, Severity, Watch};

use role::{Change, Guard, Role};
use signals::Signals;
use store::Store;

pub fn run(
    s: &Settings,
    args: &WatchArgs,
    out: &Output,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitStatus> {
    let s = prepared(s)?;
    // A one-off evaluation serves nothing; the file's address is for the running watcher.
    let listen = match args.once || args.unlatch.is_some() {
        true => None,
        false => server::address(
            args.listen,
            s.topology.watch.as_ref().expect("prepared"),
            &s.topology.file,
        )?,
    };
    rt.block_on(async {
        // Bound before anything else: a bad or taken address fails the start at once.
        let listener = match listen {
            Some(a) => Some(server::bind(a).await?),
            None => None,
        };
        let ctx = AwsContext::load(&s.aws).await?;
        let table = crate::runbook::table_client(&s, &ctx);
        if let Some(what) = args.unlatch {
            return unlatch(&s, table, args, what, out).await;
        }
        let signals = Signals::install()
            .map_err(|e| Error::Operational(anyhow::anyhow!("cannot catch signals: {e}")))?;
        let mut w = Watcher::new(s, ctx, table, args, out, signals, "watch");
        if let Some(l) = listener {
            w.serve(l);
        }
        let status = w.main().await;
        crate::aws::on_error(None);
        status
    })
}

/// The settings the watcher runs with: the file's `watch` section, or its defaults.
pub(crate) fn prepared(s: &Settings) -> Result<Settings> {
    let w = ready_for_watch(&s.topology)?;
    let mut s = s.clone();
    s.topology.watch = Some(w);
    Ok(s)
}

/// What a watcher (or the lambda, or `lambda package`) needs beyond a valid file: a failover
/// section, and a lease long enough for the poll interval. Returns the watch settings in force.
pub(crate) fn ready_for_watch(topo: &crate::topology::Topology) -> Result<Watch> {
    if topo.failover.is_none() {
        return Err(Error::Usage {
            message: format!("watch needs a failover section in {}", topo.file.display()),
            hint: Some("set failover.from and failover.to (see hybridctl.example.yaml)".into()),
        });
    }
    let w = topo.watch.clone().unwrap_or_default();
    if let Some(c) = &topo.coordination
        && c.lease < crate::topology::min_watch_lease(w.interval)
    {
        return Err(Error::usage(format!(
            "{}: with watch, the lease must be at least {}s: the {}s skew margin plus three polls of watch.interval",
            topo.at("coordination.lease"),
            crate::topology::min_watch_lease(w.interval)
                .as_secs_f64()
                .ceil(),
            SKEW_MARGIN.as_secs()
        )));
    }
    Ok(w)
}

/// What the lambda (its cold start and `lambda package`) needs beyond `ready_for_watch`: a
/// Lambda cannot run Terraform, so automatic DR with dr.terraform needs
/// dr.auto.skip_terraform: true (the lambda then only moves Route 53 to `building`).
pub(crate) fn ready_for_lambda(topo: &crate::topology::Topology) -> Result<()> {
    if let Some(dr) = &topo.dr
        && let Some(a) = &dr.auto
        && dr.terraform.is_some()
        && !a.skip_terraform
    {
        return Err(Error::Usage {
            message: format!(
                "{}: hybridctl lambda cannot run Terraform, and dr.auto with dr.terraform would start it",
                topo.at("dr.auto")
            ),
            hint: Some(
                "set dr.auto.skip_terraform: true (the lambda then moves Route 53 to `building` and notifies that the DR stack must be built), or run automatic DR from `hybridctl watch`".into(),
            ),
        });
    }
    Ok(())
}

/// One watcher: `watch` runs its loop; `lambda` makes one evaluation per scheduled event.
pub(crate) struct Watcher<'a> {
    pub(crate) s: Settings,
    pub(crate) ctx: AwsContext,
    args: &'a WatchArgs,
    out: &'a Output,
    guard: Guard,
    store: Store,
    signals: Signals,
    /// `--once`: the exit status of the evaluation.
    worst: ExitStatus,
    /// The state as last read or decided; None: read it from the store before deciding.
    state: Option<WatchState>,
    /// Saves that failed in a row (the state stays in memory meanwhile).
    save_failures: u32,
    /// After a failed action: no new attempt before this, and how many failed in a row.
    backoff: Option<(std::time::Instant, u32)>,
    notifier: std::sync::Arc<notify::Notifier>,
    deliveries: tokio::task::JoinSet<()>,
    /// The Prometheus client when the file has `overflow` (an error: why it cannot query).
    prom: Option<std::sync::Arc<std::result::Result<crate::metrics::Client, String>>>,
    /// Who acts, for the journal, the history and the log lines: `watch` or `lambda`.
    actor: &'static str,
    /// The coordination table: warnings journaled outside a run go to the shared history too.
    table: Option<aws_sdk_dynamodb::Client>,
    /// The metrics and health endpoint's data, when it serves (`watch.listen`, `--listen`).
    endpoint: Option<std::sync::Arc<server::Endpoint>>,
    /// When `hybridctl_capacity_short` was last computed (only with an endpoint).
    capacity: capacity::Check,
    /// The HTTP clients of the file's probes (None: it has none).
    prober: Option<crate::probe::Prober>,
}

impl<'a> Watcher<'a> {
    pub(crate) fn new(
        s: Settings,
        ctx: AwsContext,
        table: Option<aws_sdk_dynamodb::Client>,
        args: &'a WatchArgs,
        out: &'a Output,
        signals: Signals,
        actor: &'static str,
    ) -> Watcher<'a> {
        let notifier = std::sync::Arc::new(notify::Notifier::new(&s.topology, &s.env));
        let prom = overflow::client(&s).map(std::sync::Arc::new);
        let prober = crate::probe::Prober::of(&s.topology);
        Watcher {
            guard: Guard::new(&s, table.clone(), args.observe),
            store: Store::open(&s, table.clone(), args.observe),
            table,
            s,
            ctx,
            args,
            out,
            signals,
            worst: ExitStatus::Success,
            state: None,
            save_failures: 0,
            backoff: None,
            notifier,
            deliveries: tokio::task::JoinSet::new(),
            prom,
            actor,
            endpoint: None,
            capacity: capacity::Check::default(),
            prober,
        }
    }

    /// Serves `/metrics`, `/healthz` and `/readyz` on `listener` from now on; failed AWS calls
    /// are counted from now on.
    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let e = std::sync::Arc::new(server::Endpoint {
            metrics: metrics::Metrics::new(&self.s.topology),
            health: std::sync::Mutex::new(health::Health::new(
                self.cfg().interval,
                std::time::Instant::now(),
            )),
        });
        let counted = e.clone();
        crate::aws::on_error(Some(Box::new(move |service, code| {
            counted.metrics.aws_error(service, code)
        })));
        match listener.local_addr() {
            Ok(a) => self.log(&format!("serving http://{a}/metrics, /healthz and /readyz")),
            Err(e) => tracing::warn!("the metrics endpoint's address is unknown: {e}"),
        }
        server::serve(listener, e.clone());
        self.endpoint = Some(e);
    }

    fn cfg(&self) -> &Watch {
        self.s.topology.watch.as_ref().expect("prepared")
    }

    async fn main(&mut self) -> Result<ExitStatus> {
        let mode = if self.args.observe {
            " (observe: nothing is written)"
        } else {
            ""
        };
        self.log(&format!(
            "watching {} service(s) every {}{mode}; state in {}",
            self.s.topology.services.len(),
            crate::duration::format(self.cfg().interval),
            self.store.describe()
        ));
        let mut ready = false;
        loop {
            if self.signals.take_reload() {
                self.reload();
            }
            self.tick().await;
            if !ready {
                ready = true;
                signals::systemd(&[sd_notify::NotifyState::Ready]);
            }
            signals::systemd(&[sd_notify::NotifyState::Watchdog]);
            if self.args.once || self.signals.stop.is_set() {
                break;
            }
            self.signals.pause(self.cfg().interval).await;
            if self.signals.stop.is_set() {
                break;
            }
        }
        signals::systemd(&[sd_notify::NotifyState::Stopping]);
        self.guard.release().await;
        self.drain().await;
        if let Some(sig) = self.signals.stop.signal() {
            self.log(&format!("{}: stopped", sig.name()));
        }
        Ok(if self.args.once {
            self.worst
        } else {
            ExitStatus::Success
        })
    }

    /// One poll: the role, the reads, the decision, the action, the state, the line.
    async fn tick(&mut self) {
        let started = std::time::Instant::now();
        let line = self.evaluation().await;
        if let Some(e) = &self.endpoint {
            let ok = health::failure(&line).is_none();
            let lease = self.guard.lease_expiry_ms();
            let at = ok.then(|| self.s.clock.epoch_ms());
            e.metrics.polled(&line, started.elapsed(), lease, at);
            e.health().polled(&line, std::time::Instant::now());
        }
        self.emit(&line);
    }

    /// One evaluation, as `tick` makes it, without writing the line: takes (or keeps) the
    /// watcher lease, and evaluates only when active.
    pub(crate) async fn evaluation(&mut self) -> WatchEvaluation {
        let (role, change) = self.guard.ensure(&self.s, &self.signals.stop).await;
        if let Some(c) = change {
            self.role_changed(c).await;
        }
        let mut line = WatchEvaluation {
            schema: WATCH_SCHEMA,
            time: self.s.clock.rfc3339(),
            host: self.s.identity.host.clone(),
            role: match (&role, self.args.observe) {
                (_, true) => "observe",
                (Role::Active, _) => "active",
                (Role::Standby(_), _) => "standby",
            },
            active: match &role {
                Role::Standby(who) => Some(who.clone()),
                Role::Active => None,
            },
            services: Vec::new(),
            events: Vec::new(),
            action: None,
            latched: None,
            overflow: Vec::new(),
            drill: None,
            dr_auto: None,
            error: None,
        };
        if role == Role::Active {
            self.evaluate(&mut line).await;
        }
        line
    }

    /// Gives the watcher lease up (the lambda, after each event: a `watch` on another host
    /// takes it at its next poll).
    pub(crate) async fn release(&mut self) {
        self.guard.release().await;
    }

    /// The lambda's alarm event: a failover of `a.services` through the runbook, only while
    /// the alarm is (re-read) in ALARM, then recorded in the stored state as this watcher's own.
    pub(crate) async fn failover_on_alarm(&mut self, a: &plan::Action) -> act::Acted {
        self.log(&format!(
            "failover of {}: {}",
            a.services.join(", "),
            a.reason
        ));
        let how = act::How {
            actor: self.actor,
            if_alarm: true,
        };
        let acted = act::act(&self.s, &self.ctx, a, &self.signals.stop, self.out, how).await;
        self.log(&format!(
            "failover {}: {}",
            outcome_word(acted.outcome),
            acted.message
        ));
        if !matches!(acted.outcome, Outcome::NoOp | Outcome::NoAction) {
            if let Err(e) = self.record(a, &acted).await {
                self.log(&format!("error: the watch state was not updated: {e}"));
            }
            self.notify_action(&acted).await;
        }
        acted
    }

    /// Records a failover made outside an evaluation (the lambda's alarm event) in the stored
    /// state, as the watcher's own: it counts for the latch and is failed back automatically.
    /// A write that loses a race with a watcher is tried again on the fresh state.
    async fn record(&mut self, a: &plan::Action, acted: &act::Acted) -> Result<(), String> {
        let now = self.s.clock.epoch();
        let cfg = self.cfg().clone();
        let mut last = String::new();
        // The in-memory state may be behind the store (a lambda invocation starts from it).
        self.state = None;
        for _ in 0..3 {
            let mut state = self.store.load().await?;
            if acted.outcome == Outcome::Applied {
                state.failed_over(&a.services, now, &cfg);
            }
            state.last_action = Some(LastAction::new(
                now,
                a,
                outcome_word(acted.outcome),
                &acted.message,
            ));
            match self.store.save(&state).await {
                Ok(()) => {
                    self.state = Some(state);
                    return Ok(());
                }
                Err(store::SaveError::Conflict(m)) => last = m,
                Err(store::SaveError::Failed(m)) => return Err(m),
            }
        }
        Err(last)
    }

    async fn evaluate(&mut self, line: &mut WatchEvaluation) {
        let mut state = match self.state.take() {
            Some(st) => st,
            None => match self.store.load().await {
                Ok(st) => st,
                Err(e) => {
                    self.fail(line, format!("no evaluation: {e}"));
                    return;
                }
            },
        };
        let (seen, polls) = poll::observe(&self.s, &self.ctx, self.prober.as_ref()).await;
        let now = self.s.clock.epoch();
        let cfg = self.cfg().clone();
        let names: Vec<String> = self
            .s
            .topology
            .services
            .iter()
            .map(|x| x.name.clone())
            .collect();
        state.prune(&names, now, plan::secs(cfg.window));
        let d = plan::evaluate(&mut state, &seen, &cfg, now);
        for e in &d.events {
            self.log(&render::watch::event_line(e));
            if e.notifies() {
                self.notify_event(e).await;
            }
        }
        if let Some(a) = &d.action {
            line.action = Some(match self.held_back(a) {
                Some(skip) => skip,
                None => self.perform(&mut state, a, now).await,
            });
        }
        line.dr_auto = self.dr_auto(&mut state, seen.dr.as_ref(), now).await;
        // A failover (or failback) decided this poll goes first; overflow waits a poll.
        if d.action.is_none()
            && let Some(prom) = self.prom.clone()
        {
            line.overflow = self.overflow(&mut state, &prom, &polls).await;
        }
        // Only on a quiet poll: no failover, failback or overflow change this poll.
        if d.action.is_none()
            && line.overflow.iter().all(|o| o.outcome.is_none())
            && let Some(w) = self.scheduled_drill(&mut state).await
        {
            line.drill = Some(w);
        }
        state.last_evaluation = Some(Evaluated {
            time: now,
            host: self.s.identity.host.clone(),
            role: line.role.to_string(),
        });
        line.services = render::watch::service_lines(&polls, &state);
        line.events = d.events;
        line.latched = state.latched.clone();
        if let Some(e) = &self.endpoint {
            let view = metrics::View {
                polls: &polls,
                state: &state,
                overflow: &line.overflow,
                now,
            };
            e.metrics.services(&self.s.topology, &view);
            let short = self.capacity.due(&self.ctx, &self.s.topology, &polls).await;
            for (service, site, is_short) in short {
                e.metrics.capacity_short(&service, &site, is_short);
            }
        }
        self.save(state, line).await;
    }

    /// Saves the state; it stays in memory whatever happens, except after a conflict (someone
    /// else wrote it: it is read again before the next decision).
    async fn save(&mut self, state: WatchState, line: &mut WatchEvaluation) {
        match self.store.save(&state).await {
            Ok(()) => {
                self.save_failures = 0;
                self.state = Some(state);
            }
            Err(store::SaveError::Conflict(m)) => {
                self.log(&m);
                self.state = None;
            }
            Err(store::SaveError::Failed(m)) => {
                self.save_failures += 1;
                self.state = Some(state);
                if self.save_failures == 3 {
                    let alert = format!(
                        "the watch state cannot be saved ({m}): the watcher goes on from memory, but a restart or a standby would start from the last saved state"
                    );
                    self.notify_simple(EventKind::Failed, Severity::Critical, &alert)
                        .await;
                }
                self.fail(line, m);
            }
        }
    }

    /// A due action not tried now: a failed attempt's backoff (throttling, an outage) runs.
    fn held_back(&self, a: &plan::Action) -> Option<WatchAction> {
        let (until, failures) = self.backoff?;
        let left = until.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return None;
        }
        let m = format!(
            "{} failed attempt(s) in a row: the next one in {}",
            failures,
            crate::duration::format(Duration::from_secs(left.as_secs().max(1)))
        );
        self.log(&format!("{:?} of {} is due; {m}", a.kind, a.services.join(", ")).to_lowercase());
        Some(WatchAction::of(a, "backing-off", m))
    }

    /// Runs the decided action (or says what it would do, with --observe).
    async fn perform(&mut self, state: &mut WatchState, a: &plan::Action, now: i64) -> WatchAction {
        let verb = match a.kind {
            ActionKind::Failover => "failover",
            ActionKind::Failback => "failback",
        };
        if self.args.observe {
            self.log(&format!(
                "would run {verb} of {} ({}): --observe writes nothing",
                a.services.join(", "),
                a.reason
            ));
            return WatchAction::of(a, "observed", "--observe: nothing was written".into());
        }
        // The reads took time: the lease must still be ours before anything is written.
        if let (Role::Standby(who), _) = self.guard.ensure(&self.s, &self.signals.stop).await {
            self.log(&format!(
                "the watcher lease went to {who} during the poll: standing down, nothing written"
            ));
            self.state = None;
            return WatchAction::of(a, "standby", format!("the watcher lease went to {who}"));
        }
        self.log(&format!(
            "{verb} of {}: {}",
            a.services.join(", "),
            a.reason
        ));
        self.acting(Some(format!("{verb} of {}", a.services.join(", "))));
        let mut acted = self.keeping_role(a).await;
        self.acting(None);
        self.note_backoff(acted.outcome);
        // The watcher has no --force: the command-line advice does not apply to it.
        acted.message = acted
            .message
            .replace(". --force overrides, and is journaled", "");
        let cfg = self.cfg().clone();
        match (a.kind, acted.outcome) {
            (ActionKind::Failover, Outcome::Applied) => state.failed_over(&a.services, now, &cfg),
            (ActionKind::Failback, Outcome::Applied | Outcome::NoOp) => {
                state.failed_back(&a.services)
            }
            _ => {}
        }
        // Refused before any plan: a person's command holds the lock or the lease. It wins;
        // the watcher tries again next poll and never breaks it.
        let busy = acted.outcome == Outcome::Refused
            && acted.report.as_ref().is_some_and(|r| r.services.is_empty());
        let outcome = if busy {
            "waiting"
        } else {
            outcome_word(acted.outcome)
        };
        self.log(&format!("{verb} {outcome}: {}", acted.message));
        if !matches!(acted.outcome, Outcome::Applied | Outcome::NoOp) {
            self.worst = ExitStatus::No;
        }
        let notify = match acted.outcome {
            Outcome::Refused if busy => false,
            Outcome::Refused if a.kind == ActionKind::Failover => {
                state.refusal_to_notify(&a.services)
            }
            Outcome::NoOp => false,
            _ => true,
        };
        if notify {
            self.notify_action(&acted).await;
        }
        if let Some(l) = state.latched.as_ref().filter(|l| l.since == now) {
            let m = format!("LATCHED: {}", l.why);
            self.log(&m);
            self.notify_simple(EventKind::Latched, Severity::Critical, &m)
                .await;
        }
        state.last_action = Some(LastAction::new(now, a, outcome, &acted.message));
        WatchAction::of(a, outcome, acted.message)
    }

    /// Overflow's queries and decisions; a due shift goes through the runbook.
    async fn overflow(
        &mut self,
        state: &mut WatchState,
        prom: &std::result::Result<crate::metrics::Client, String>,
        polls: &[crate::report::ServicePoll],
    ) -> Vec<crate::report::OverflowLine> {
        let now_ms = self.s.clock.epoch_ms();
        let (mut lines, due) = overflow::evaluate(
            &self.s,
            (prom, &self.ctx.elbv2()),
            polls,
            &mut state.overflow,
            now_ms,
        )
        .await;
        for d in due {
            self.log(&format!("{}: {}", d.service, d.reason));
            let outcome = if self.args.observe {
                "observed".to_string()
            } else if let (Role::Standby(_), _) =
                self.guard.ensure(&self.s, &self.signals.stop).await
            {
                "standby".to_string()
            } else {
                self.overflow_shift(state, &d).await
            };
            if let Some(l) = lines.iter_mut().find(|l| l.service == d.service) {
                l.outcome = Some(outcome);
                l.in_overflow = state
                    .overflow
                    .get(&d.service)
                    .is_some_and(|s| s.in_overflow);
            }
        }
        lines
    }

    async fn overflow_shift(&mut self, state: &mut WatchState, d: &overflow::Due) -> String {
        let mut quiet = self.out.clone();
        quiet.quiet = true;
        let acted = act::shift(
            &self.s,
            &self.ctx,
            &d.service,
            &d.target,
            &d.reason,
            &self.signals.stop,
            &quiet,
            self.actor,
        )
        .await;
        if acted.outcome == Outcome::Applied {
            state
                .overflow
                .entry(d.service.clone())
                .or_default()
                .applied(d.verdict);
        } else if acted.outcome != Outcome::NoOp {
            self.worst = ExitStatus::No;
        }
        let word = outcome_word(acted.outcome);
        self.log(&format!(
            "{}: overflow {word}: {}",
            d.service, acted.message
        ));
        if acted.outcome != Outcome::NoOp {
            self.notify_action(&acted).await;
        }
        word.to_string()
    }

    /// After a failed action, the next attempt waits: one interval, doubling, at most 5 minutes.
    fn note_backoff(&mut self, outcome: Outcome) {
        if outcome != Outcome::Failed {
            self.backoff = None;
            return;
        }
        let failures = self.backoff.map_or(0, |(_, n)| n) + 1;
        let wait =
            (self.cfg().interval * 2u32.saturating_pow(failures - 1)).min(Duration::from_secs(300));
        self.backoff = Some((std::time::Instant::now() + wait, failures));
    }

    /// The action, with the watcher lease renewed meanwhile (a failback ramp takes minutes).
    async fn keeping_role(&mut self, a: &plan::Action) -> act::Acted {
        let every = self.guard.renew_every();
        // One line per decision: the runbook's plan tables are not printed under a watcher.
        let mut quiet = self.out.clone();
        quiet.quiet = true;
        let how = act::How {
            actor: self.actor,
            if_alarm: false,
        };
        let action = act::act(&self.s, &self.ctx, a, &self.signals.stop, &quiet, how);
        tokio::pin!(action);
        loop {
            let renew = async {
                match every {
                    Some(d) => tokio::time::sleep(d).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                done = &mut action => return done,
                () = renew => {
                    // The runbook's own per-resource lease fences the writes; losing the
                    // watcher lease here only means another watcher may act after this one.
                    if let (Role::Standby(who), _) = self.guard.ensure(&self.s, &self.signals.stop).await {
                        tracing::warn!("the watcher lease went to {who} while an action ran");
                    }
                }
            }
        }
    }

    async fn role_changed(&mut self, c: Change) {
        // Whatever the change, the next decision starts from the stored state.
        self.state = None;
        match c {
            Change::BecameActive {
                took_over_from: Some((from, died)),
            } => {
                let how = if died {
                    "its lease expired"
                } else {
                    "it stopped and released it"
                };
                let m = format!(
                    "active: took over from {from} ({how}), continuing from the stored state"
                );
                self.log(&m);
                if died {
                    self.notify_simple(EventKind::LeaseTakenOver, Severity::Warning, &m)
                        .await;
                }
            }
            Change::BecameActive {
                took_over_from: None,
            } if !self.args.once => self.log("active"),
            Change::BecameActive { .. } => {}
            Change::BecameStandby(who) => self.log(&format!("standing by: {who} is active")),
            Change::Lost(m) => self.log(&m),
            Change::Unavailable(m) => {
                let m = format!("NOT WATCHING: {m}; no watcher can act until this is fixed");
                self.log(&m);
                self.notify_simple(EventKind::Failed, Severity::Critical, &m)
                    .await;
            }
        }
    }

    /// SIGHUP: the file read again; an invalid file keeps the running one and says why.
    fn reload(&mut self) {
        let file = self.s.topology.file.clone();
        match crate::topology::load(&file) {
            Err(e) => self.log(&format!(
                "SIGHUP: {} is invalid, still running with the previous topology:\n{e}",
                file.display()
            )),
            Ok(t) if t.failover.is_none() => self.log(&format!(
                "SIGHUP: {} has no failover section, still running with the previous topology",
                file.display()
            )),
            Ok(mut t) => {
                let old = &self.s.topology;
                let restart = format!(
                    "{:?}{:?}{:?}{:?}",
                    old.aws.region,
                    old.coordination.as_ref().map(|c| &c.dynamodb_table),
                    old.journal,
                    old.watch
                        .as_ref()
                        .map(|w| (w.listen, w.listen_allow_remote))
                ) != format!(
                    "{:?}{:?}{:?}{:?}",
                    t.aws.region,
                    t.coordination.as_ref().map(|c| &c.dynamodb_table),
                    t.journal,
                    t.watch.as_ref().map(|w| (w.listen, w.listen_allow_remote))
                );
                if restart {
                    self.log("SIGHUP: aws, coordination, journal and watch.listen changes take effect at the next restart");
                }
                (t.aws, t.coordination, t.journal) = (
                    old.aws.clone(),
                    old.coordination.clone(),
                    old.journal.clone(),
                );
                let interval = t.watch.get_or_insert_with(Watch::default).interval;
                if let Some(c) = &t.coordination
                    && c.lease < crate::topology::min_watch_lease(interval)
                {
                    self.log(&format!(
                        "SIGHUP: watch.interval {} needs a lease of at least {}s, and the running lease is {}s (lease changes need a restart): still running with the previous topology",
                        crate::duration::format(interval),
                        crate::topology::min_watch_lease(interval).as_secs_f64().ceil(),
                        c.lease.as_secs()
                    ));
                    return;
                }
                self.s.topology = t;
                self.notifier =
                    std::sync::Arc::new(notify::Notifier::new(&self.s.topology, &self.s.env));
                self.prom = overflow::client(&self.s).map(std::sync::Arc::new);
                self.prober = crate::probe::Prober::of(&self.s.topology);
                if let Some(e) = &self.endpoint {
                    e.metrics.reset_services(&self.s.topology);
                    e.health().set_interval(interval);
                }
                self.log(&format!("SIGHUP: reloaded {}", file.display()));
            }
        }
    }

    /// Tells `/healthz` an action runs (the loop is alive while it holds the poll up).
    fn acting(&self, what: Option<String>) {
        if let Some(e) = &self.endpoint {
            e.health().acting(what);
        }
    }

    fn fail(&mut self, line: &mut WatchEvaluation, e: String) {
        self.log(&format!("error: {e}"));
        line.error = Some(e);
        self.worst = ExitStatus::Failure;
    }

    fn emit(&self, line: &WatchEvaluation) {
        if self.out.is_json()
            && let Err(e) = self.out.json_line(line)
        {
            tracing::warn!("cannot write the evaluation: {e}");
        }
    }

    pub(crate) fn log(&self, m: &str) {
        self.out.note(&format!("{}: {m}", self.actor));
    }

    async fn notify_event(&mut self, e: &plan::Event) {
        let kind = match e {
            plan::Event::UnknownAlert { .. } => EventKind::Unknown,
            plan::Event::Latched { .. } => EventKind::Latched,
            _ => EventKind::ReadyForFailback,
        };
        let m = render::watch::event_line(e);
        self.notify_simple(kind, kind.default_severity(), &m).await;
    }

    async fn notify_action(&mut self, acted: &act::Acted) {
        let time = self.s.clock.rfc3339();
        let event = match &acted.report {
            Some(r) => notify::Event::from_traffic(r, self.actor, &time),
            None => Some(
                notify::Event::new(EventKind::Failed, self.actor, self.actor, &time)
                    .message(acted.message.clone()),
            ),
        };
        if let Some(e) = event {
            self.deliver(e);
        }
    }

    async fn notify_simple(&mut self, kind: EventKind, severity: Severity, message: &str) {
        let e = notify::Event::new(kind, self.actor, self.actor, self.s.clock.rfc3339())
            .severity(severity)
            .message(message);
        self.deliver(e);
    }

    /// Sends in the background: a slow or failing receiver never delays a poll or an action.
    /// Failures are noted and journaled; the watcher waits for what is in flight on exit.
    fn deliver(&mut self, event: notify::Event) {
        if self.notifier.is_empty() {
            return;
        }
        let (notifier, s, out) = (self.notifier.clone(), self.s.clone(), self.out.clone());
        let (actor, table) = (self.actor, self.table.clone());
        self.deliveries.spawn(async move {
            let failures = notifier.send(&event).await;
            let reason = event.reason.as_deref();
            notify::report_failures(&s, table.as_ref(), &out, actor, reason, None, &failures).await;
        });
    }

    /// A stop signal (SIGTERM, SIGINT) has arrived.
    pub(crate) fn stopping(&self) -> bool {
        self.signals.stop.is_set()
    }

    /// Forgets the state in memory: the next evaluation reads it from the store (the lambda,
    /// at each event: a warm sandbox may have slept while a watcher elsewhere wrote it).
    pub(crate) fn forget(&mut self) {
        self.state = None;
    }

    /// On the way out: what is in flight is delivered (each bounded by the notify policy).
    /// The lambda drains after each event, since a sandbox is frozen once it has answered.
    pub(crate) async fn drain(&mut self) {
        while self.deliveries.join_next().await.is_some() {}
    }
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Applied => "applied",
        Outcome::NoOp => "no-op",
        Outcome::NoAction => "no-action",
        Outcome::Planned => "planned",
        Outcome::Refused => "refused",
        Outcome::ConcurrentChange => "concurrent-change",
        Outcome::Stopped => "stopped",
        Outcome::RolledBack => "rolled-back",
        Outcome::Failed => "failed",
        Outcome::Interrupted => "interrupted",
    }
}

/// `watch --unlatch --reason TEXT`: a person takes responsibility; the watcher acts again.
/// The state is saved first (conditional on its revision, so a running watcher's next save
/// reads it again rather than overwriting it), then journaled.
async fn unlatch(
    s: &Settings,
    table: Option<aws_sdk_dynamodb::Client>,
    args: &WatchArgs,
    what: crate::cli::Unlatch,
    out: &Output,
) -> Result<ExitStatus> {
    let reason = args.reason.clone().unwrap_or_default();
    if reason.trim().is_empty() {
        return Err(Error::usage(
            "--unlatch needs a non-empty --reason: it is journaled",
        ));
    }
    let op = |m: String| Error::Operational(anyhow::anyhow!(m));
    let mut store = Store::open(s, table.clone(), false);
    let mut state = store.load().await.map_err(op)?;
    let latch = match what {
        crate::cli::Unlatch::Failover => state.latched.take().map(|l| {
            state.failovers.clear();
            l.why
        }),
        crate::cli::Unlatch::Dr => state.dr_auto.latched.take().map(|l| {
            state.dr_auto.bad_since = None;
            l.why
        }),
    };
    let Some(why) = latch else {
        out.note(match what {
            crate::cli::Unlatch::Failover => "the watcher is not latched: nothing to do",
            crate::cli::Unlatch::Dr => "automatic DR is not latched: nothing to do",
        });
        return Ok(ExitStatus::Success);
    };
    store.save(&state).await.map_err(|e| match e {
        store::SaveError::Conflict(m) => {
            op(format!("{m}; the latch was kept: run --unlatch again"))
        }
        store::SaveError::Failed(m) => op(format!("{m}; the latch was kept")),
    })?;
    let message = format!(
        "watch {} latch cleared by {}: was {}",
        match what {
            crate::cli::Unlatch::Failover => "failover",
            crate::cli::Unlatch::Dr => "dr",
        },
        s.identity.who(),
        why
    );
    let journaled = crate::runbook::journal_warnings(
        s,
        table.as_ref(),
        "watch --unlatch",
        Some(&reason),
        None,
        &[message],
    )
    .await;
    out.note(&format!(
        "the latch is cleared (it was: {why}); the watcher acts again at its next poll"
    ));
    if let Err(e) = journaled {
        return Err(op(format!(
            "the latch is cleared, but the journal {} did not take the record: {e}",
            s.journal.display()
        )));
    }
    Ok(ExitStatus::Success)
}
