//! The one runbook every command that changes AWS goes through:
//!
//! lock (per resource, before the reads the plan is made from) -> lease -> read -> plan ->
//! show -> confirm -> open the journal -> for each write: signal and lease check, fresh reads
//! with gates and concurrency re-checked, `intent` record, write, read back, `outcome` record,
//! tag -> report. Commands supply the reads, the plan and each write (`WriteStep`); the order,
//! the records and the refusals live here, once.

pub mod history;
pub mod lease;
pub mod lock;

use std::time::Duration;

use crate::error::{Error, Result};
use crate::journal::{self, Body, Held, Journal, Record, WriteResult};
use crate::render::Output;
use crate::report::ExitFacts;
use crate::settings::Settings;
use crate::signal::Interrupt;
use history::History;
use lease::{Lease, LeaseError};
use lock::{Holder, LockError, Locks};

/// Why the runbook stopped before or at a write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Halt {
    /// A gate failed on fresh reads (before the first write: a refusal; later: stop or
    /// roll back, as the command says).
    Gate(String),
    /// The resource is not what this run planned from or last wrote.
    Concurrent(String),
    /// A read, a write, the read-back or the journal failed (exit 3).
    Failed(String),
    /// The lease was lost or could not be renewed (exit 3).
    Lease(String),
    /// SIGINT, SIGTERM or SIGHUP.
    Interrupted,
}

/// What will be written to one resource, for the `intent` record.
#[derive(Debug, Clone)]
pub struct Intent {
    pub resource: String,
    pub service: Option<String>,
    pub to: Held,
    /// What it held before, when a later run needs it (a scale-out that failback gives back).
    pub before: Option<Held>,
}

/// One write of a change (which may touch several resources at once). The runbook calls the
/// methods in order and records each transition.
#[allow(async_fn_in_trait)] // used with static dispatch inside the crate only
pub trait WriteStep {
    /// The step's label in the journal: `2/5`, `recovered`.
    fn label(&self) -> String;
    /// Fresh reads: the gates and the concurrency check, immediately before the write.
    async fn precheck(&mut self) -> Result<(), Halt>;
    fn intents(&self) -> Vec<Intent>;
    fn forced_gates(&self) -> Vec<String>;
    /// Whether the write is an AWS call that must finish within the lease the fence renewed
    /// (every API write). Terraform is not: it runs for as long as it runs, the lease renewed
    /// meanwhile, its own state lock guarding what it writes.
    fn fenced(&self) -> bool {
        true
    }
    async fn write(&mut self) -> Result<(), String>;
    /// Reads back until AWS holds the step, or says why not.
    async fn verify(&mut self) -> Result<(), String>;
    /// What AWS holds per intent's resource after the step, as far as this step knows.
    fn now(&self, resource: &str) -> Option<Held>;
    /// Tags what was written and verified (`hybridctl:last-change`); `value` gives the tag
    /// for a resource (it names the resource's lease generation).
    async fn tag(&mut self, value: &(dyn Fn(&str) -> String + Sync)) -> Result<(), String>;
}

/// What a run starts with.
pub struct Begin {
    pub command: &'static str,
    pub reason: Option<String>,
    /// The things this run may change (rule/listener ARNs, the DR record).
    pub resources: Vec<String>,
    pub lock_timeout: Duration,
    /// The coordination table's client, when the topology has a coordination section.
    pub dynamodb: Option<aws_sdk_dynamodb::Client>,
    /// `--no-lease`: go ahead without the cross-host lease (needs a reason; refused when the
    /// table is reachable and a live lease exists).
    pub no_lease: bool,
    /// Who acts when it is not the person at the terminal: `watch`, `lambda`.
    pub actor: Option<&'static str>,
    /// The signals to honour, when the caller catches them itself (`watch` reloads on SIGHUP
    /// rather than stopping); None: SIGINT, SIGTERM and SIGHUP, caught here.
    pub interrupt: Option<Interrupt>,
}

/// `--no-lease` is break glass: it needs a reason, checked before any AWS call.
pub fn check_no_lease(no_lease: bool, reason: Option<&str>) -> Result<()> {
    if no_lease && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(Error::Usage {
            message: "--no-lease needs --reason: it is journaled and tagged".into(),
            hint: Some(
                "e.g. --no-lease --reason \"DynamoDB unreachable during the incident\"".into(),
            ),
        });
    }
    Ok(())
}

/// Why a run could not begin.
#[derive(Debug)]
pub enum NotBegun {
    /// Locked or leased elsewhere: exit 1, nothing changed.
    Busy(String),
    /// The lock or the lease could not be taken at all: exit 3.
    Failed(String),
    /// A signal arrived while waiting for a lock: nothing was changed.
    Interrupted(crate::signal::Signal),
}

impl NotBegun {
    /// How a run that could not begin ends: outcome, message, exit facts.
    pub fn end(self) -> (crate::report::Outcome, String, ExitFacts) {
        use crate::report::Outcome;
        match self {
            NotBegun::Busy(m) => (Outcome::Refused, m, ExitFacts::default()),
            NotBegun::Failed(m) => (Outcome::Failed, m, ExitFacts::default()),
            NotBegun::Interrupted(sig) => (
                Outcome::Interrupted,
                format!(
                    "interrupted by {} while waiting for a lock: nothing was changed",
                    sig.name()
                ),
                ExitFacts {
                    signal: Some(sig),
                    ..ExitFacts::default()
                },
            ),
        }
    }
}

pub struct Runbook<'a> {
    pub settings: &'a Settings,
    pub out: &'a Output,
    pub interrupt: Interrupt,
    command: &'static str,
    actor: Option<&'static str>,
    reason: Option<String>,
    run: String,
    _locks: Option<Locks>,
    lease: Lease,
    journal: Option<Journal>,
    journal_error: Option<String>,
    history: Option<History>,
}

impl<'a> Runbook<'a> {
    /// Catches signals and, unless `dry_run`, takes the locks and the lease of every resource.
    pub async fn begin(
        settings: &'a Settings,
        out: &'a Output,
        begin: Begin,
        dry_run: bool,
    ) -> Result<Runbook<'a>, NotBegun> {
        let interrupt = match begin.interrupt.clone() {
            Some(i) => i,
            None => Interrupt::install()
                .map_err(|e| NotBegun::Failed(format!("cannot catch signals: {e}")))?,
        };
        let mut rb = Runbook {
            settings,
            out,
            interrupt,
            command: begin.command,
            actor: begin.actor,
            reason: begin.reason.clone(),
            run: run_id(settings),
            _locks: None,
            lease: Lease::default(),
            journal: None,
            journal_error: None,
            history: None,
        };
        if dry_run {
            return Ok(rb);
        }
        let id = &settings.identity;
        let holder = Holder {
            pid: id.pid,
            user: id.user.clone(),
            host: id.host.clone(),
            command: match begin.actor {
                Some(a) => format!("{} ({a})", begin.command),
                None => begin.command.to_string(),
            },
            since: settings.clock.rfc3339(),
        };
        let on_wait = |resource: &str, h: Option<&Holder>| {
            let who = h
                .map(Holder::describe)
                .unwrap_or_else(|| "another run".into());
            out.note(&format!("waiting for {who} to release {resource}"));
        };
        let locks = lock::acquire(
            &settings.journal,
            &begin.resources,
            &holder,
            begin.lock_timeout,
            &on_wait,
            &rb.interrupt,
        )
        .await
        .map_err(|e| match e {
            LockError::Busy { .. } => NotBegun::Busy(e.to_string()),
            LockError::Io(m) => NotBegun::Failed(m),
            LockError::Interrupted => {
                NotBegun::Interrupted(rb.interrupt.signal().unwrap_or(crate::signal::Signal::Int))
            }
        })?;
        rb._locks = Some(locks);
        rb.take_lease(&begin, &holder).await?;
        Ok(rb)
    }

    /// The cross-host lease (with a coordination table), or `--no-lease`'s break glass.
    async fn take_lease(&mut self, begin: &Begin, holder: &Holder) -> Result<(), NotBegun> {
        let (Some(client), Some(c)) = (&begin.dynamodb, &self.settings.topology.coordination)
        else {
            return Ok(());
        };
        let table = c.dynamodb_table.clone();
        self.history = Some(History::new(client.clone(), table.clone()));
        self.lease = Lease::table(client.clone(), table, c.lease);
        let who = crate::aws::dynamodb::Taker {
            user: &holder.user,
            host: &holder.host,
            pid: holder.pid,
            command: &holder.command,
            reason: self.reason.as_deref(),
            since: &holder.since,
            version: &self.run,
        };
        match self.lease.acquire(&begin.resources, &who).await {
            Ok(()) if begin.no_lease => {
                self.out.note(
                    "--no-lease: the coordination table is reachable, so the lease was taken as usual",
                );
                Ok(())
            }
            Ok(()) => Ok(()),
            Err(LeaseError::Held(m)) if begin.no_lease => Err(NotBegun::Busy(format!(
                "--no-lease refused: the coordination table is reachable and {m}"
            ))),
            Err(LeaseError::Held(m)) => Err(NotBegun::Busy(m)),
            // The table answers, so break glass does not apply: the clock must be fixed.
            Err(LeaseError::Skew(m)) => Err(NotBegun::Failed(format!("{m}; nothing was changed"))),
            // Break glass: DynamoDB itself cannot be used. Journaled and tagged as NO LEASE.
            Err(LeaseError::Unavailable(m) | LeaseError::Lost(m)) if begin.no_lease => {
                tracing::warn!("--no-lease: {m}");
                self.lease = Lease::Unleased(self.reason.clone().unwrap_or_default());
                Ok(())
            }
            Err(LeaseError::Unavailable(m) | LeaseError::Lost(m)) => {
                Err(NotBegun::Failed(format!(
                    "{m}; nothing was changed. If DynamoDB itself is down, --no-lease --reason TEXT goes ahead without the lease (journaled and tagged)"
                )))
            }
        }
    }

    /// Shows the plan (stderr). `-o json` never shows it; `-q` hides it unless a person is
    /// about to be asked to confirm it.
    pub fn show_plan(&self, text: &str, will_ask: bool) {
        self.out.plan(text, will_ask);
    }

    /// `--yes` goes ahead; a terminal is asked; without a terminal the run is refused (exit 2).
    /// A signal while asking counts as no.
    pub async fn confirm(&mut self, yes: bool, what: &str) -> Result<bool> {
        if yes {
            return Ok(true);
        }
        if !self.out.stdin_is_tty {
            return Err(Error::Usage {
                message: format!(
                    "refusing to change {what} without confirmation: stdin is not a terminal"
                ),
                hint: Some("pass --yes in scripts, cron and CI (and --dry-run to preview)".into()),
            });
        }
        self.out.prompt("Apply this change? [y/N] ");
        let answer = tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map(|_| line)
        });
        let interrupt = self.interrupt.clone();
        let asked = async {
            tokio::select! {
                line = answer => Some(line.ok().and_then(|l| l.ok()).unwrap_or_default()),
                _ = interrupt.wait() => None,
            }
        };
        // The lease is renewed while a person reads the plan; lost meanwhile, the run stops.
        match self.renewing(asked, true).await {
            (_, Some(e)) => Err(Error::Operational(anyhow::anyhow!(
                "{}; nothing was changed",
                lease_message(e)
            ))),
            (Some(Some(line)), None) => Ok(matches!(
                line.trim().to_ascii_lowercase().as_str(),
                "y" | "yes"
            )),
            _ => Ok(false),
        }
    }

    /// Opens the journal: before the first write, so that a journal that cannot take records
    /// refuses the change with nothing written.
    pub fn open_journal(&mut self) -> Result<(), String> {
        let path = &self.settings.journal;
        let j = Journal::open(path).map_err(|e| {
            format!(
                "the journal {} cannot be written ({e}); nothing was changed: fix its path (journal: in the topology file) or its permissions",
                path.display()
            )
        })?;
        self.journal = Some(j);
        Ok(())
    }

    pub fn command(&self) -> &'static str {
        self.command
    }

    /// The id that joins this run's journal records.
    pub fn run_id(&self) -> &str {
        &self.run
    }

    pub fn journal_path(&self) -> Option<String> {
        self.journal
            .as_ref()
            .map(|j| j.path().display().to_string())
    }

    /// Appends a record (fsynced), then sends it to the shared history; a local failure is
    /// remembered (the report says so, exit 3) and returned.
    pub fn record(&mut self, body: Body) -> Result<(), String> {
        let lease = body.resource().and_then(|r| self.lease.note(r));
        let record = Record {
            body,
            schema: journal::SCHEMA,
            time: self.settings.clock.rfc3339(),
            run: self.run.clone(),
            user: self.settings.identity.user.clone(),
            host: self.settings.identity.host.clone(),
            pid: Some(self.settings.identity.pid),
            command: self.command.to_string(),
            reason: self.reason.clone(),
            lease,
            actor: self.actor.map(str::to_string),
        };
        let Some(j) = self.journal.as_mut() else {
            return Err("the journal is not open".into());
        };
        j.append(&record).map_err(|e| {
            let m = format!("cannot append to the journal {}: {e}", j.path().display());
            tracing::error!("{m}");
            self.journal_error.get_or_insert(m.clone());
            m
        })?;
        if let Some(h) = self.history.as_mut() {
            let ms = self.settings.clock.epoch_ms();
            h.send(&record, ms);
        }
        Ok(())
    }

    /// The first journal failure, if any: the report must say the record is incomplete.
    pub fn journal_error(&self) -> Option<&str> {
        self.journal_error.as_deref()
    }

    /// Between steps: the lease is renewed meanwhile; a signal or a lost lease ends the wait.
    pub async fn wait(&mut self, d: Duration) -> Result<(), Halt> {
        let interrupt = self.interrupt.clone();
        match self.renewing(interrupt.sleep(d), true).await {
            (_, Some(e)) => Err(lease_halt(e)),
            (Some(true), None) => Err(Halt::Interrupted),
            _ => Ok(()),
        }
    }

    /// One write, in the runbook's order: fresh reads and gates (the lease renewed meanwhile),
    /// the fence (proof that the lease is still this run's, and the deadline the write must
    /// meet), `intent`, write, read-back, `outcome`, tag. On `Err`, nothing more may be
    /// written by the caller except a rollback (itself a `step`).
    pub async fn step(&mut self, w: &mut impl WriteStep) -> Result<(), Halt> {
        if self.interrupt.is_set() {
            return Err(Halt::Interrupted);
        }
        match self.renewing(w.precheck(), true).await {
            (_, Some(e)) => return Err(lease_halt(e)),
            (Some(checked), None) => checked?,
            (None, None) => unreachable!("only a lost lease cuts the reads short"),
        }
        if self.interrupt.is_set() {
            return Err(Halt::Interrupted);
        }
        let deadline = self.lease.fence().await.map_err(lease_halt)?;
        let label = w.label();
        let intents = w.intents();
        for i in &intents {
            self.record(Body::Intent {
                resource: i.resource.clone(),
                service: i.service.clone(),
                step: label.clone(),
                to: i.to.clone(),
                forced_gates: w.forced_gates(),
                before: i.before.clone(),
            })
            .map_err(|m| Halt::Failed(format!("{m}; nothing more was written")))?;
        }
        // The write and its read-back run to completion even when a signal arrives meanwhile,
        // so that the record says what AWS holds. A fenced write is abandoned at the lease's
        // deadline: past it, another host may hold the lease.
        let fenced = w.fenced();
        let mut abandoned = false;
        let write = async {
            match deadline {
                Some(d) if fenced => match tokio::time::timeout_at(d.into(), w.write()).await {
                    Ok(r) => r,
                    Err(_) => {
                        abandoned = true;
                        Err("the write did not answer before the lease it was fenced by ran out; it was abandoned and may or may not have been applied".into())
                    }
                },
                _ => w.write().await,
            }
        };
        let (written, mut lost) = self.renewing(write, false).await;
        if abandoned {
            // AWS may still apply it: nobody may take the lease before it expires.
            self.lease.keep_until_expiry();
        }
        let result = match written.expect("a write is never cut short") {
            Err(m) => Err((WriteResult::Failed, m)),
            Ok(()) => {
                let (verified, also_lost) = self.renewing(w.verify(), false).await;
                lost = lost.or(also_lost);
                verified
                    .expect("a read-back is never cut short")
                    .map_err(|m| (WriteResult::NotVerified, m))
            }
        };
        let (result, message) = match &result {
            Ok(()) => (WriteResult::Verified, None),
            Err((WriteResult::Failed, m)) if self.interrupt.is_set() => {
                (WriteResult::Interrupted, Some(m.clone()))
            }
            Err((r, m)) => (*r, Some(m.clone())),
        };
        for i in &intents {
            let _ = self.record(Body::Outcome {
                resource: i.resource.clone(),
                service: i.service.clone(),
                step: label.clone(),
                result,
                now: w.now(&i.resource),
                message: message.clone(),
            });
        }
        if let Some(m) = message {
            // A write cut short by a signal (Terraform passed SIGINT) is an interruption; a
            // read-back that failed is a failure whatever arrived meanwhile.
            if result == WriteResult::Interrupted {
                return Err(Halt::Interrupted);
            }
            return Err(Halt::Failed(m));
        }
        // Verified, but the lease was lost meanwhile: the tag (a write too) is not written.
        if let Some(e) = lost {
            return Err(lease_halt(e));
        }
        self.tag_fenced(w, deadline).await
    }

    /// The tag is a write: within the lease the write was fenced by, else fenced again. A
    /// signal that arrived meanwhile stops the run before the next write.
    async fn tag_fenced(
        &mut self,
        w: &mut impl WriteStep,
        deadline: Option<std::time::Instant>,
    ) -> Result<(), Halt> {
        let deadline = match deadline {
            Some(d)
                if d.saturating_duration_since(std::time::Instant::now())
                    >= lease::MIN_WRITE_BUDGET =>
            {
                Some(d)
            }
            Some(_) => self.lease.fence().await.map_err(lease_halt)?,
            None => None,
        };
        self.tag(w, deadline).await;
        Ok(())
    }

    /// Runs `work` while renewing the lease every quarter of its length. With `cut`, a lost
    /// lease ends it at once (None: waits, reads, prompts); a write is never cut short, and its
    /// result comes with the loss. Returns the result and, if the lease was lost, why.
    async fn renewing<T>(
        &mut self,
        work: impl std::future::Future<Output = T>,
        cut: bool,
    ) -> (Option<T>, Option<LeaseError>) {
        if self.lease.renew_due().is_none() {
            return (Some(work.await), None);
        }
        let mut lost = None;
        // A renewal that failed is tried again a second later, not at once.
        let mut not_before = std::time::Instant::now();
        tokio::pin!(work);
        loop {
            // Due a quarter of the lease after the last renewal, however short each wait is.
            let due = self
                .lease
                .renew_due()
                .unwrap_or_else(|| std::time::Instant::now() + Duration::from_secs(3600))
                .max(not_before);
            tokio::select! {
                done = &mut work => return (Some(done), lost),
                _ = tokio::time::sleep_until(due.into()), if lost.is_none() => {
                    not_before = std::time::Instant::now() + Duration::from_secs(1);
                    if lost.is_none()
                        && let Err(e) = self.lease.renew().await
                    {
                        tracing::warn!("{}", lease_message(e.clone()));
                        if cut {
                            return (None, Some(e));
                        }
                        lost = Some(e);
                    }
                }
            }
        }
    }

    /// Tags what this step wrote and verified, before `deadline` (the lease's); a failed or
    /// abandoned tag is a warning, journaled.
    async fn tag(&mut self, w: &mut impl WriteStep, deadline: Option<std::time::Instant>) {
        let who = match self.actor {
            Some(a) => format!("{a} on {}", self.settings.identity.who()),
            None => self.settings.identity.who(),
        };
        let base = format!(
            "{} {} by {who}",
            self.settings.clock.rfc3339(),
            self.command,
        );
        let (lease, reason) = (&self.lease, &self.reason);
        let value = |resource: &str| {
            let mut v = base.clone();
            if let Some(note) = lease.note(resource) {
                v.push_str(&format!(" - {note}"));
            }
            // `NO LEASE: REASON` already says why.
            if let Some(r) = reason.as_ref().filter(|_| !lease.unleased()) {
                v.push_str(": ");
                v.push_str(r);
            }
            v
        };
        let tagged = match deadline {
            Some(d) => tokio::time::timeout_at(d.into(), w.tag(&value))
                .await
                .unwrap_or_else(|_| Err("it did not answer before the lease ran out".into())),
            None => w.tag(&value).await,
        };
        if let Err(e) = tagged {
            let m = format!("the change is verified, but tagging it failed: {e}");
            tracing::warn!("{m}");
            let _ = self.record(Body::Warning { message: m });
        }
    }

    /// Releases the lease; the locks go with `self`. Returns what the exit code needs.
    pub async fn finish(mut self) -> ExitFacts {
        self.lease.release().await;
        if let Some(mut h) = self.history.take() {
            for e in h.finish().await {
                let m = format!(
                    "the shared history did not take a record ({e}); the local journal has it"
                );
                self.out.note(&format!("warning: {m}"));
                if self.journal.is_some() {
                    let _ = self.record(Body::Warning { message: m });
                }
            }
        }
        ExitFacts {
            gates_pass: true,
            signal: self.interrupt.signal(),
            journal_failed: self.journal_error.is_some(),
        }
    }
}

/// Appends `warning` records for something done outside a change's runbook (a lease broken,
/// the watcher unlatched, a notification not delivered) to the local journal, under run id
/// `run` (or a new one), and then to the shared history when there is a coordination table,
/// as every journal record is. A local failure is the error; a history failure is a warning.
pub async fn journal_warnings(
    s: &Settings,
    table: Option<&aws_sdk_dynamodb::Client>,
    command: &str,
    reason: Option<&str>,
    run: Option<&str>,
    messages: &[String],
) -> Result<(), String> {
    journal_warnings_as(s, table, command, reason, run, messages, None).await
}

/// `journal_warnings` for automation: the records name `actor` (`watch`, `lambda`).
pub async fn journal_warnings_as(
    s: &Settings,
    table: Option<&aws_sdk_dynamodb::Client>,
    command: &str,
    reason: Option<&str>,
    run: Option<&str>,
    messages: &[String],
    actor: Option<&str>,
) -> Result<(), String> {
    let bodies = messages
        .iter()
        .map(|m| Body::Warning { message: m.clone() })
        .collect();
    let who = Who {
        command,
        reason,
        run,
        actor,
    };
    journal_records(s, table, &who, bodies).await
}

/// Who writes records outside a change's runbook.
pub struct Who<'a> {
    pub command: &'a str,
    pub reason: Option<&'a str>,
    /// The run id to join (None: a new one).
    pub run: Option<&'a str>,
    pub actor: Option<&'a str>,
}

/// Appends records made outside a change's runbook (warnings, a drill's end) to the local
/// journal and then to the shared history, as the runbook does with its own.
pub async fn journal_records(
    s: &Settings,
    table: Option<&aws_sdk_dynamodb::Client>,
    who: &Who<'_>,
    bodies: Vec<Body>,
) -> Result<(), String> {
    let mut j = Journal::open(&s.journal)
        .map_err(|e| format!("the journal {} cannot be written: {e}", s.journal.display()))?;
    let run = who.run.map_or_else(|| run_id(s), str::to_string);
    let mut history = match (table, &s.topology.coordination) {
        (Some(client), Some(c)) => Some(History::new(client.clone(), c.dynamodb_table.clone())),
        _ => None,
    };
    for body in bodies {
        let record = Record {
            body,
            schema: journal::SCHEMA,
            time: s.clock.rfc3339(),
            run: run.clone(),
            user: s.identity.user.clone(),
            host: s.identity.host.clone(),
            pid: Some(s.identity.pid),
            command: who.command.to_string(),
            reason: who.reason.map(str::to_string),
            lease: None,
            actor: who.actor.map(str::to_string),
        };
        j.append(&record)
            .map_err(|e| format!("cannot append to the journal {}: {e}", s.journal.display()))?;
        if let Some(h) = history.as_mut() {
            h.send(&record, s.clock.epoch_ms());
        }
    }
    if let Some(mut h) = history {
        for e in h.finish().await {
            tracing::warn!(
                "the shared history did not take a record ({e}); the local journal has it"
            );
        }
    }
    Ok(())
}

/// The coordination table's client, in `coordination.region` (default: the deployment's).
pub fn table_client(
    s: &Settings,
    ctx: &crate::aws::AwsContext,
) -> Option<aws_sdk_dynamodb::Client> {
    let c = s.topology.coordination.as_ref()?;
    Some(match &c.region {
        Some(r) => ctx.in_region(r).dynamodb(),
        None => ctx.dynamodb(),
    })
}

fn lease_halt(e: LeaseError) -> Halt {
    Halt::Lease(lease_message(e))
}

fn lease_message(e: LeaseError) -> String {
    match e {
        LeaseError::Held(m)
        | LeaseError::Lost(m)
        | LeaseError::Unavailable(m)
        | LeaseError::Skew(m) => m,
    }
}

/// A run id: time, host and pid are unique enough to join one run's records.
fn run_id(s: &Settings) -> String {
    let t = s
        .clock
        .now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0);
    format!("{t:x}-{}-{}", s.identity.host, s.identity.pid)
}
