//! What the mutating commands report: one `Outcome` with one exhaustive mapping to exit
//! codes, and the report documents (`hybridctl.traffic/v1`, `hybridctl.dr-run/v1`,
//! `hybridctl.dr-status/v1`). Data only: built by `commands`, printed by `render`, journaled by
//! `runbook`. Public JSON is built from these structs, never from AWS adapter structs.

use serde::{Deserialize, Serialize};

use crate::error::ExitStatus;
use crate::plan::dr::{ProvisionState, StageName};
use crate::plan::traffic::{Gate, Weights};
use crate::signal::Signal;

pub const TRAFFIC_SCHEMA: &str = "hybridctl.traffic/v1";
pub const DR_RUN_SCHEMA: &str = "hybridctl.dr-run/v1";
pub const DR_STATUS_SCHEMA: &str = "hybridctl.dr-status/v1";
pub const DR_PENDING_SCHEMA: &str = "hybridctl.dr-pending/v1";

/// `dr pending -o json`.
#[derive(Debug, Clone, Serialize)]
pub struct DrPendingReport {
    pub schema: &'static str,
    pub pending: Vec<DrPendingView>,
}

/// One automatic DR waiting for approval.
#[derive(Debug, Clone, Serialize)]
pub struct DrPendingView {
    pub run: String,
    /// RFC 3339.
    pub since: String,
    /// RFC 3339: at this time the watcher applies dr.auto.approve.on_timeout.
    pub deadline: String,
    pub trigger: String,
}
pub const LEASES_SCHEMA: &str = "hybridctl.leases/v1";

/// How a change ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Written and verified.
    Applied,
    /// Already in the target state: nothing written.
    NoOp,
    /// --if-alarm / --if-ok-for conditions not met: nothing written.
    NoAction,
    /// --dry-run.
    Planned,
    /// A gate failed, the lock is held elsewhere, or the change was not confirmed, before
    /// anything was written.
    Refused,
    /// The resource changed under us before a write (or before a rollback).
    ConcurrentChange,
    /// A gate failed between steps; traffic stayed where it was.
    Stopped,
    /// A gate failed between steps; traffic went back to where it started.
    RolledBack,
    /// A write, a read or the journal failed.
    Failed,
    /// SIGINT, SIGTERM or SIGHUP.
    Interrupted,
}

/// What besides the outcome decides the exit code.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExitFacts {
    /// Every gate passed or was forced (a dry run whose gates refuse exits 1).
    pub gates_pass: bool,
    /// The signal that interrupted the run.
    pub signal: Option<Signal>,
    /// A journal append failed: the record of the change is incomplete (exit 3).
    pub journal_failed: bool,
}

impl Outcome {
    /// The one mapping from how a change ended to how the process ends.
    pub fn exit_status(self, facts: ExitFacts) -> ExitStatus {
        let status = match self {
            // A signal during the last write: the change completed, but a Jenkins abort or a
            // `systemctl stop` must not read as success.
            Outcome::Applied | Outcome::NoOp | Outcome::NoAction => facts
                .signal
                .map_or(ExitStatus::Success, Signal::exit_status),
            Outcome::Planned if facts.gates_pass => ExitStatus::Success,
            Outcome::Planned
            | Outcome::Refused
            | Outcome::ConcurrentChange
            | Outcome::Stopped
            | Outcome::RolledBack => ExitStatus::No,
            Outcome::Failed => ExitStatus::Failure,
            Outcome::Interrupted => facts
                .signal
                .map_or(ExitStatus::Interrupted, Signal::exit_status),
        };
        match status {
            ExitStatus::Success | ExitStatus::No if facts.journal_failed => ExitStatus::Failure,
            s => s,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
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
}

// ------------------------------------------------------------------ traffic

#[derive(Debug, Clone, Serialize)]
pub struct ServiceChange {
    pub name: String,
    pub before: Weights,
    pub target: Weights,
    /// The planned steps, in order (a rollback adds its write to `written`, not here).
    pub steps: Vec<Weights>,
    pub gates: Vec<Gate>,
    /// What AWS holds at the end (read back); when AWS could not be read at the end, the last
    /// state this run verified; None when nothing was ever read.
    pub now: Option<Weights>,
}

#[derive(Debug, Serialize)]
pub struct TrafficReport {
    pub schema: &'static str,
    pub command: &'static str,
    pub dry_run: bool,
    pub outcome: Outcome,
    pub message: String,
    pub reason: Option<String>,
    pub services: Vec<ServiceChange>,
    pub journal: Option<String>,
    /// SIGTERM, SIGINT or SIGHUP, when one arrived while the last write was in flight: the
    /// change completed (outcome `applied`), and the exit code is the signal's (143/130/129).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interrupted_by: Option<&'static str>,
    /// The capacity steps (docs/capacity.md): sites scaled before they took more traffic.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capacity: Vec<CapacityView>,
}

/// One AWS site's capacity step in a traffic change.
#[derive(Debug, Clone, Serialize)]
pub struct CapacityView {
    pub service: String,
    pub site: String,
    /// The ECS service's ARN, or `autoscaling:REGION:autoScalingGroupName/NAME`.
    pub resource: String,
    /// `ECS prod/web`, `ASG web-asg`.
    pub scaler: String,
    /// Tasks or instances the new share needs, and why.
    pub need: Option<u32>,
    pub why: Option<String>,
    /// The sizes before (`{min, desired, max}`), and after this run's write (None: none).
    pub before: crate::plan::capacity::Sizes,
    pub after: Option<crate::plan::capacity::Sizes>,
    /// Healthy targets when the gate last read the target group.
    pub healthy: Option<u32>,
    /// planned, scaled, ready, timed-out.
    pub state: &'static str,
}

impl TrafficReport {
    pub fn gates_pass(&self) -> bool {
        self.services
            .iter()
            .flat_map(|s| &s.gates)
            .all(|g| g.passed || g.forced)
    }
}

// ------------------------------------------------------------------ dr

/// How one DR step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepOutcome {
    #[serde(rename = "planned")]
    Planned,
    #[serde(rename = "done earlier")]
    DoneEarlier,
    #[serde(rename = "done")]
    Done,
    /// Already in its target state (or superseded): nothing written.
    #[serde(rename = "skipped")]
    Skipped,
    #[serde(rename = "refused")]
    Refused,
    #[serde(rename = "failed")]
    Failed,
    #[serde(rename = "interrupted")]
    Interrupted,
    /// A gate's verdicts (dr failback's primary health).
    #[serde(rename = "pass")]
    Pass,
    #[serde(rename = "forced")]
    Forced,
    #[serde(rename = "fail")]
    Fail,
}

impl StepOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            StepOutcome::Planned => "planned",
            StepOutcome::DoneEarlier => "done earlier",
            StepOutcome::Done => "done",
            StepOutcome::Skipped => "skipped",
            StepOutcome::Refused => "refused",
            StepOutcome::Failed => "failed",
            StepOutcome::Interrupted => "interrupted",
            StepOutcome::Pass => "pass",
            StepOutcome::Forced => "forced",
            StepOutcome::Fail => "fail",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub step: String,
    pub outcome: StepOutcome,
    pub message: String,
}

impl StepReport {
    pub fn new(step: impl Into<String>, outcome: StepOutcome, message: impl Into<String>) -> Self {
        StepReport {
            step: step.into(),
            outcome,
            message: message.into(),
        }
    }
}

/// Where Route 53 is: a stage from dr.weights, or `custom` (the records match none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LiveStage {
    Normal,
    Building,
    Recovered,
    Custom,
    /// A run stopped before its first DNS write (dr-run reports only).
    Unchanged,
}

impl LiveStage {
    pub fn of(stage: Option<StageName>) -> LiveStage {
        match stage {
            Some(StageName::Normal) => LiveStage::Normal,
            Some(StageName::Building) => LiveStage::Building,
            Some(StageName::Recovered) => LiveStage::Recovered,
            None => LiveStage::Custom,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LiveStage::Normal => "normal",
            LiveStage::Building => "building",
            LiveStage::Recovered => "recovered",
            LiveStage::Custom => "custom",
            LiveStage::Unchanged => "unchanged",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DrRunReport {
    pub schema: &'static str,
    pub command: &'static str,
    pub dry_run: bool,
    pub outcome: Outcome,
    pub message: String,
    pub stage: LiveStage,
    pub steps: Vec<StepReport>,
    /// As in the traffic report: a signal that arrived during the last write of an applied run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interrupted_by: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordView {
    /// None: not a weighted record.
    pub set_identifier: Option<String>,
    pub weight: Option<i64>,
    pub health_check_id: Option<String>,
    /// Route 53's verdict: healthy while more than 18% of its checkers report success. None:
    /// no health check on the record.
    pub healthy: Option<bool>,
    /// `13/15 checkers report success`.
    pub checkers: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ReadyView {
    pub healthy: u32,
    pub total: u32,
    pub min_healthy_targets: u32,
}

#[derive(Debug, Serialize)]
pub struct DrStatusReport {
    pub schema: &'static str,
    pub record: String,
    pub zone_id: String,
    pub stage: LiveStage,
    pub records: Vec<RecordView>,
    pub ready: Option<ReadyView>,
    pub provision: ProvisionState,
}

// ------------------------------------------------------------------ coordination

/// A live lease, for `lease status`.
#[derive(Debug, Serialize)]
pub struct LeaseView {
    /// The resource it covers (what `lease break` takes).
    pub id: String,
    /// `user@host`.
    pub holder: String,
    pub pid: u32,
    pub command: String,
    pub reason: Option<String>,
    pub since: String,
    pub expires: String,
    /// The fencing generation (in the journal and the rule's tag).
    pub generation: u64,
    /// `live`, or `in-margin`: expired, but no other host may take it before `taken_after`
    /// (the expiry plus the clock-skew margin), so changes are still refused.
    pub state: &'static str,
    /// When another host may take it: the expiry plus the skew margin.
    pub taken_after: String,
}

#[derive(Debug, Serialize)]
pub struct LeasesReport {
    pub schema: &'static str,
    pub table: String,
    pub leases: Vec<LeaseView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(gates_pass: bool, signal: Option<Signal>, journal_failed: bool) -> ExitFacts {
        ExitFacts {
            gates_pass,
            signal,
            journal_failed,
        }
    }

    #[test]
    fn every_outcome_has_one_exit_code() {
        use ExitStatus as E;
        let ok = facts(true, None, false);
        let table = [
            (Outcome::Applied, ok, E::Success),
            (Outcome::NoOp, ok, E::Success),
            (Outcome::NoAction, ok, E::Success),
            (Outcome::Planned, ok, E::Success),
            (Outcome::Planned, facts(false, None, false), E::No),
            (Outcome::Refused, ok, E::No),
            (Outcome::ConcurrentChange, ok, E::No),
            (Outcome::Stopped, ok, E::No),
            (Outcome::RolledBack, ok, E::No),
            (Outcome::Failed, ok, E::Failure),
            (Outcome::Interrupted, ok, E::Interrupted),
            (
                Outcome::Interrupted,
                facts(true, Some(Signal::Term), false),
                E::Terminated,
            ),
            (
                Outcome::Interrupted,
                facts(true, Some(Signal::Hup), false),
                E::HangUp,
            ),
            (Outcome::Applied, facts(true, None, true), E::Failure),
            (
                Outcome::Applied,
                facts(true, Some(Signal::Term), false),
                E::Terminated,
            ),
            (Outcome::Stopped, facts(true, None, true), E::Failure),
            (
                Outcome::Interrupted,
                facts(true, Some(Signal::Int), true),
                E::Interrupted,
            ),
        ];
        for (outcome, f, want) in table {
            assert_eq!(outcome.exit_status(f), want, "{outcome:?} {f:?}");
        }
    }

    #[test]
    fn outcome_words_match_serde() {
        for o in [
            Outcome::Applied,
            Outcome::NoOp,
            Outcome::NoAction,
            Outcome::Planned,
            Outcome::Refused,
            Outcome::ConcurrentChange,
            Outcome::Stopped,
            Outcome::RolledBack,
            Outcome::Failed,
            Outcome::Interrupted,
        ] {
            assert_eq!(serde_json::to_value(o).unwrap(), o.as_str());
        }
        for s in [
            StepOutcome::DoneEarlier,
            StepOutcome::Fail,
            StepOutcome::Done,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}

// ------------------------------------------------------------------ watch

pub const WATCH_SCHEMA: &str = "hybridctl.watch.evaluation/v1";

/// One line of `watch -o json`: one evaluation (or a standby's poll).
#[derive(Debug, Clone, Serialize)]
pub struct WatchEvaluation {
    pub schema: &'static str,
    pub time: String,
    pub host: String,
    /// active | standby | observe
    pub role: &'static str,
    /// The active watcher, as a standby sees it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<String>,
    pub services: Vec<WatchServiceLine>,
    pub events: Vec<crate::plan::watch::Event>,
    pub action: Option<WatchAction>,
    pub latched: Option<crate::plan::watch::Latch>,
    /// Services with `overflow`: the value, the verdict and what a due shift did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overflow: Vec<OverflowLine>,
    /// A scheduled drill this evaluation ran: `SERVICE: OUTCOME`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drill: Option<String>,
    /// Automatic DR (`dr.auto`), when the file has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dr_auto: Option<DrAutoLine>,
    /// Why the evaluation is incomplete (the state could not be read or written).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WatchServiceLine {
    pub service: String,
    /// good | bad | unknown
    pub poll: &'static str,
    pub why: Option<String>,
    /// Healthy targets of the from-site (null: unread).
    pub healthy: Option<u32>,
    /// Live weights (null: unread).
    pub weights: Option<crate::plan::traffic::Weights>,
    /// The service's probes, per site (left out when it has none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<crate::probe::ProbeResult>,
    pub bad_streak: u32,
    pub unknown_streak: u32,
    /// RFC 3339; null when not failed over.
    pub failed_over_since: Option<String>,
    pub good_since: Option<String>,
}

/// What automatic DR did this poll, for the JSON line.
#[derive(Debug, Clone, Serialize)]
pub struct DrAutoLine {
    /// good | bad | unknown, with why.
    pub poll: String,
    /// The pending DR waiting for approval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending: Option<crate::plan::dr_auto::Pending>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latched: Option<crate::plan::dr_auto::DrLatch>,
    /// asked | started: OUTCOME | aborted | observed | error: ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

/// What one service looked like in this poll, for the JSON line and `status`.
#[derive(Debug, Clone, Serialize)]
pub struct ServicePoll {
    pub service: String,
    /// good | bad | unknown
    pub poll: &'static str,
    pub why: Option<String>,
    /// Healthy targets of the from-site (None: unread).
    pub healthy: Option<u32>,
    /// Registered targets of the from-site (None: unread); for the metrics only.
    #[serde(skip)]
    pub targets: Option<u32>,
    pub weights: Option<crate::plan::traffic::Weights>,
    /// The service's probes (`services.S.probes`), per site.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<crate::probe::ProbeResult>,
}

/// One service's overflow in this poll, for the JSON line.
#[derive(Debug, Clone, Serialize)]
pub struct OverflowLine {
    pub service: String,
    pub value: Option<f64>,
    /// The reading in words: the number, `empty`, `NaN`, or `error: ...`.
    pub reading: String,
    pub in_overflow: bool,
    pub verdict: crate::plan::overflow::Verdict,
    /// What the shift did (applied, refused, ...), when one was due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WatchAction {
    /// failover | failback
    pub kind: crate::plan::watch::ActionKind,
    pub services: Vec<String>,
    pub reason: String,
    /// applied, refused, failed, ... or `observed` (--observe).
    pub outcome: String,
    pub message: String,
}

impl WatchAction {
    pub fn of(a: &crate::plan::watch::Action, outcome: &str, message: String) -> WatchAction {
        WatchAction {
            kind: a.kind,
            services: a.services.clone(),
            reason: a.reason.clone(),
            outcome: outcome.to_string(),
            message,
        }
    }
}

pub const OVERFLOW_SCHEMA: &str = "hybridctl.overflow/v1";

/// `hybridctl overflow`: one evaluation per service with overflow configured.
#[derive(Debug, Clone, Serialize)]
pub struct OverflowReport {
    pub schema: &'static str,
    pub services: Vec<OverflowRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverflowRow {
    pub service: String,
    /// The query's number; None when it gave none (see `reading`).
    pub value: Option<f64>,
    /// The value as text, `no data (NaN)`, or the query's error.
    pub reading: String,
    pub above: f64,
    pub below: f64,
    /// `for`, in seconds.
    pub for_seconds: u64,
    pub in_overflow: bool,
    /// enter, leave, stay or refused.
    pub verdict: &'static str,
    /// Site -> the live ALB weight; None when the rule could not be read.
    pub live: Option<Weights>,
    /// Site -> the weights a due change writes.
    pub target: Option<Weights>,
    pub message: String,
}

pub const DRILL_SCHEMA: &str = "hybridctl.drill/v1";

/// `hybridctl drill`: one row per service drilled, in order.
#[derive(Debug, Clone, Serialize)]
pub struct DrillReport {
    pub schema: &'static str,
    pub dry_run: bool,
    /// The worst outcome of the drills: refused < passed ... as the exit code ranks them.
    pub outcome: crate::plan::drill::DrillOutcome,
    pub reason: Option<String>,
    pub drills: Vec<DrillRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DrillRow {
    pub service: String,
    pub outcome: crate::plan::drill::DrillOutcome,
    /// What ended it, with the numbers.
    pub message: String,
    pub share: u32,
    pub hold_seconds: u64,
    /// The weights before the drill: the return goes back to these.
    pub before: Option<Weights>,
    /// The weights held during the drill.
    pub during: Option<Weights>,
    /// What AWS holds at the end, as last read or verified.
    pub after: Option<Weights>,
    /// Whether traffic was returned to `before` (false: refused, aborted, or the return failed).
    pub returned: bool,
    /// RFC 3339.
    pub started: String,
    pub ended: String,
    /// How long the traffic was held (seconds).
    pub held_seconds: u64,
    /// The receiving target group's metrics over the hold, when read.
    pub metrics: Option<crate::plan::drill::MetricsReading>,
    /// The journal run ids of the shift and the return.
    pub runs: Vec<String>,
}
