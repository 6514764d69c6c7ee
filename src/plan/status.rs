//! What `status` concludes from live state: a mode per service and findings with severities.
//! Pure: the observed state comes in, the report goes out.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde::Serialize;

use crate::aws::cloudwatch::{Alarm, AlarmState, CdcLatency};
use crate::aws::dms::{Task, TaskStatus};
use crate::aws::elbv2::{Forward, TargetHealthState, TargetState};
use crate::aws::rds::{Instance, ParameterApplyStatus};
use crate::aws::route53::WeightedRecord;
use crate::plan::traffic::LastChange;
use crate::topology::{Service, Topology};

mod view;

pub use view::{AlarmView, CdcLatencyView, ParameterGroupView, SourceView, TaskView};

pub const SCHEMA: &str = "hybridctl.status/v1";

/// A section that could not be read, shown in its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionError {
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl From<crate::error::AwsError> for SectionError {
    fn from(e: crate::error::AwsError) -> Self {
        SectionError {
            message: e.to_string(),
            hint: e.hint,
        }
    }
}

/// Everything `status` read, section by section.
#[derive(Debug, Clone)]
pub struct Observed {
    pub traffic: Result<Vec<LiveService>, SectionError>,
    pub alarms: Option<Result<Vec<Alarm>, SectionError>>,
    pub replication: Option<Result<LiveReplication, SectionError>>,
    pub dr: Option<Result<LiveDr, SectionError>>,
}

#[derive(Debug, Clone)]
pub struct LiveService {
    pub name: String,
    /// None: the rule or listener has no forward action.
    pub forward: Option<Forward>,
    /// The `hybridctl:last-change` tag on the rule or listener.
    pub last_change: Option<String>,
    /// Target group ARN -> its targets.
    pub health: HashMap<String, Vec<TargetState>>,
}

#[derive(Debug, Clone)]
pub struct LiveReplication {
    pub task: Option<Task>,
    pub cdc: CdcLatency,
    pub source: Option<Instance>,
}

#[derive(Debug, Clone)]
pub struct LiveDr {
    pub records: Vec<WeightedRecord>,
    pub ready: Option<Vec<TargetState>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    Normal,
    FailedOver,
    Shifted,
    Drift,
    Unknown,
    /// The live weights are the service's overflow split (`overflow.<service>.weights`).
    Overflow,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Normal => "normal",
            Mode::FailedOver => "failed-over",
            Mode::Shifted => "shifted",
            Mode::Drift => "drift",
            Mode::Unknown => "unknown",
            Mode::Overflow => "overflow",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Health {
    pub healthy: u32,
    pub unhealthy: u32,
    pub other: u32,
}

impl Health {
    pub fn total(&self) -> u32 {
        self.healthy + self.unhealthy + self.other
    }

    pub fn of(targets: &[TargetState]) -> Health {
        let mut h = Health::default();
        for t in targets {
            match t.state {
                Some(TargetHealthState::Healthy) => h.healthy += 1,
                Some(TargetHealthState::Unhealthy) => h.unhealthy += 1,
                _ => h.other += 1,
            }
        }
        h
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetIssue {
    pub site: String,
    pub id: String,
    #[serde(serialize_with = "TargetHealthState::serialize_option")]
    pub state: Option<TargetHealthState>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceReport {
    pub name: String,
    pub mode: Mode,
    /// Site -> live ALB weight.
    pub weights: IndexMap<String, i64>,
    /// Site -> share of traffic in percent (0 when nothing is forwarded).
    pub percent: IndexMap<String, f64>,
    pub health: IndexMap<String, Health>,
    pub unhealthy_targets: Vec<TargetIssue>,
    pub stickiness: bool,
    /// Target groups the rule forwards to that the file does not know.
    pub unknown_target_groups: Vec<String>,
    /// Sites of the file the rule does not forward to.
    pub missing_sites: Vec<String>,
    /// The last change hybridctl made (its tag on the rule or listener): when, what, who.
    pub last_change: Option<String>,
    /// What the rule sends to target groups the file does not know: their weight and share
    /// (`percent` above is of the same total, so the shares add up to 100). Left out when
    /// there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownGroup>,
    /// The overflow query's reading and thresholds; left out for services without overflow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overflow: Option<OverflowView>,
}

/// A service's overflow at a glance: the value now and the thresholds it is judged by.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverflowView {
    /// None when the query gave no number (see `reading`).
    pub value: Option<f64>,
    /// The value as text, `no data (NaN)`, or the query's error.
    pub reading: String,
    pub above: f64,
    pub below: f64,
    pub for_seconds: u64,
    /// The live weights are the overflow split.
    pub in_overflow: bool,
}

/// Adds each service's overflow reading (service -> value or why none) to a concluded report,
/// with an info finding per service in overflow and a warning per query that failed.
pub fn with_overflow(
    topo: &Topology,
    report: &mut StatusReport,
    readings: &HashMap<String, (Option<f64>, String, bool)>,
) {
    for svc in &mut report.services {
        let Some(o) = topo.overflow_of(&svc.name) else {
            continue;
        };
        let (value, reading, failed) =
            readings
                .get(&svc.name)
                .cloned()
                .unwrap_or((None, "not read".into(), true));
        let in_overflow = svc.mode == Mode::Overflow;
        if in_overflow {
            report.findings.push(Finding {
                severity: Severity::Info,
                code: "overflow",
                message: format!(
                    "{}: in overflow (the overflow split is live; {reading} now, leaves below {})",
                    svc.name, o.below
                ),
            });
        }
        if failed {
            report.findings.push(Finding {
                severity: Severity::Warning,
                code: "overflow-query",
                message: format!("{}: the overflow query failed: {reading}", svc.name),
            });
        }
        svc.overflow = Some(OverflowView {
            value,
            reading,
            above: o.above,
            below: o.below,
            for_seconds: o.sustain.as_secs(),
            in_overflow,
        });
    }
    settle_findings(report);
}

/// The Capacity section (docs/capacity.md): per service and AWS site with `capacity`, what its
/// scaler holds, and the findings `capacity-unknown`, `deployment-failed`, `capacity-short`.
/// `reads`: (service, site) -> what was read.
pub fn with_capacity(
    topo: &Topology,
    report: &mut StatusReport,
    reads: Vec<(
        String,
        String,
        Result<Option<crate::plan::capacity::Live>, String>,
    )>,
) {
    for (service, site, read) in reads {
        let Some(cap) = topo
            .services
            .iter()
            .find(|s| s.name == service)
            .and_then(|s| s.capacity.iter().find(|c| c.site == site))
        else {
            continue;
        };
        let svc = report.services.iter().find(|s| s.name == service);
        let share = svc
            .and_then(|s| s.percent.get(&site))
            .copied()
            .unwrap_or(0.0)
            / 100.0;
        let healthy = svc
            .and_then(|s| s.health.get(&site))
            .map_or(0, |h| h.healthy);
        let at = topo.at(&format!("services.{service}.capacity.{site}"));
        let (row, found) = crate::plan::capacity::judge(&service, cap, &at, read, share, healthy);
        report.capacity.push(row);
        for (critical, code, message) in found {
            report.findings.push(Finding {
                severity: if critical {
                    Severity::Critical
                } else {
                    Severity::Warning
                },
                code,
                message,
            });
        }
    }
    settle_findings(report);
}

/// Sorts findings added after `conclude` and lowers an `ok` verdict when one is serious.
fn settle_findings(report: &mut StatusReport) {
    report.findings.sort_by_key(|f| f.severity);
    let serious = report
        .findings
        .iter()
        .any(|f| f.severity <= Severity::Warning);
    if report.verdict == "ok" && serious {
        report.verdict = "degraded";
        report.ok = false;
    }
}

/// `clock-skew` (critical): this host's clock is too far from AWS's (`skew_ms`, measured on
/// the coordination table's answers) for leases: changes from this host are refused.
pub fn with_clock_skew(report: &mut StatusReport, skew_ms: Option<i64>) {
    let Some(ms) = skew_ms else { return };
    if ms.unsigned_abs() <= crate::aws::clock::SKEW_LIMIT.as_millis() as u64 {
        return;
    }
    report.findings.push(Finding {
        severity: Severity::Critical,
        code: "clock-skew",
        message: format!(
            "{}; until then every change from this host is refused (exit 3)",
            crate::aws::clock::describe(ms)
        ),
    });
    settle_findings(report);
}

/// A target group the rule forwards to that the topology file does not know.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnknownGroup {
    pub arn: String,
    pub weight: i64,
    pub percent: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlarmsReport {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<SectionError>,
    pub alarms: Vec<AlarmView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReplicationReport {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<SectionError>,
    pub task: Option<TaskView>,
    pub cdc_latency: CdcLatencyView,
    pub source: Option<SourceView>,
}

/// A Route 53 weight for a person: the number, or `no weight`.
pub fn weight_text(w: Option<i64>) -> String {
    w.map_or_else(|| "no weight".into(), |w| w.to_string())
}

#[derive(Debug, Clone, Serialize)]
pub struct DrRecord {
    /// None: not a weighted record.
    pub set_identifier: Option<String>,
    pub weight: Option<i64>,
    pub health_check_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DrReport {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<SectionError>,
    /// The named stage the records match, or `custom`.
    pub stage: Option<String>,
    pub records: Vec<DrRecord>,
    pub ready: Option<Health>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub schema: &'static str,
    pub ok: bool,
    /// ok, degraded (findings) or error (a section could not be read)
    pub verdict: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic_error: Option<SectionError>,
    pub services: Vec<ServiceReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alarms: Option<AlarmsReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replication: Option<ReplicationReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dr: Option<DrReport>,
    /// The watcher's stored state, when a watcher has run (`hybridctl watch`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watch: Option<crate::plan::watch::WatchStatus>,
    /// Per service and AWS site with `capacity`: what carries it (docs/capacity.md).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capacity: Vec<crate::plan::capacity::Row>,
    /// The last drill per service (docs/drill.md), when one has run.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub drills: Vec<DrillView>,
    /// Per service and site with a probe (`services.S.probes`): hybridctl's own HTTP check.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<StatusProbe>,
    pub findings: Vec<Finding>,
}

/// A service's last drill, for `status`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrillView {
    pub service: String,
    /// passed | failed | aborted | refused | interrupted
    pub outcome: String,
    /// When it ended (RFC 3339).
    pub time: String,
    /// When the last passed drill ended (RFC 3339), if one did.
    pub last_passed: Option<String>,
}

/// The Drills section and `drill-overdue` (warning): with `drill.schedule`, a service without
/// a passed drill within `every`.
pub fn with_drills(
    topo: &Topology,
    report: &mut StatusReport,
    drills: &std::collections::BTreeMap<String, crate::plan::watch::LastDrill>,
    now: i64,
) {
    let time = |t: i64| crate::aws::rfc3339(&aws_smithy_types::DateTime::from_secs(t));
    let schedule = topo.drill.as_ref().and_then(|d| d.schedule.as_ref());
    for svc in &report.services {
        let last = drills.get(&svc.name);
        if let Some(l) = last.filter(|l| l.outcome != "none") {
            report.drills.push(DrillView {
                service: svc.name.clone(),
                outcome: l.outcome.clone(),
                time: time(l.time),
                last_passed: l.last_passed.map(time),
            });
        }
        // A dns service is never drilled (`drill` refuses it): never overdue.
        let drilled = topo.service(&svc.name).is_some_and(|s| s.alb().is_some());
        if let Some(m) = schedule
            .filter(|_| drilled)
            .and_then(|s| crate::plan::drill::overdue(s, now, last))
        {
            report.findings.push(Finding {
                severity: Severity::Warning,
                code: "drill-overdue",
                message: format!("{}: {m}", svc.name),
            });
        }
    }
    settle_findings(report);
}

/// One probe's result in `status`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusProbe {
    pub service: String,
    #[serde(flatten)]
    pub result: crate::probe::ProbeResult,
}

impl StatusReport {
    pub fn has_errors(&self) -> bool {
        self.traffic_error.is_some()
            || self.alarms.as_ref().is_some_and(|a| a.error.is_some())
            || self.replication.as_ref().is_some_and(|r| r.error.is_some())
            || self.dr.as_ref().is_some_and(|d| d.error.is_some())
    }
}

/// The conclusions. `now` is epoch seconds (for "alarm OK for ...").
pub fn conclude(topo: &Topology, services: &[&Service], obs: Observed, now: i64) -> StatusReport {
    let mut findings = Vec::new();
    let (services_out, traffic_error) = match obs.traffic {
        Ok(live) => (
            services
                .iter()
                .map(|svc| {
                    let l = live.iter().find(|l| l.name == svc.name);
                    service_report(topo, svc, l, &mut findings)
                })
                .collect(),
            None,
        ),
        Err(e) => (Vec::new(), Some(e)),
    };
    let alarms = obs
        .alarms
        .map(|a| alarm_findings(topo, a, &services_out, now, &mut findings));
    let split = services_out
        .iter()
        .any(|s| s.weights.values().filter(|&&w| w > 0).count() > 1);
    let replication = obs
        .replication
        .map(|r| replication_findings(topo, r, split, &mut findings));
    let dr = obs.dr.map(|d| dr_findings(topo, d, &mut findings));
    if topo.coordination.is_none() {
        findings.push(Finding {
            severity: Severity::Info,
            code: "no-coordination",
            message: "no coordination section: changes are coordinated only between runs on the \
                      same host (a lock per service); two hosts can change the same traffic at \
                      once. docs/coordination.md sets up the DynamoDB lease and shared history"
                .into(),
        });
    }
    findings.sort_by_key(|f| f.severity);
    let mut report = StatusReport {
        schema: SCHEMA,
        ok: false,
        verdict: "ok",
        traffic_error,
        services: services_out,
        alarms,
        replication,
        dr,
        watch: None,
        capacity: Vec::new(),
        drills: Vec::new(),
        probes: Vec::new(),
        findings,
    };
    let serious = report
        .findings
        .iter()
        .any(|f| f.severity <= Severity::Warning);
    report.verdict = if report.has_errors() {
        "error"
    } else if serious {
        "degraded"
    } else {
        "ok"
    };
    report.ok = report.verdict == "ok";
    report
}

fn service_report(
    topo: &Topology,
    svc: &Service,
    live: Option<&LiveService>,
    findings: &mut Vec<Finding>,
) -> ServiceReport {
    let fwd = forwarded(svc, live);
    let total = fwd.total();
    let last = crate::plan::traffic::LastChange::of(live.and_then(|l| l.last_change.as_deref()));
    let mode = mode_of(topo, svc, live.is_some().then_some(last), &fwd, total);
    let (health, unhealthy_targets) = site_health(topo, svc, live, &fwd.weights, total, findings);
    if mode == Mode::Drift {
        findings.push(drift_finding(svc, &fwd.unknown_arns(), &fwd.missing));
    }
    if live.is_some_and(|l| l.forward.is_some()) && total == 0 {
        findings.push(Finding {
            severity: Severity::Critical,
            code: "all-weights-zero",
            message: format!(
                "{}: every target group's weight is 0: an ALB has no defined behaviour for that (hybridctl refuses to write it); set the weights with hybridctl shift-traffic",
                svc.name
            ),
        });
    }
    if fwd.stickiness {
        findings.push(Finding {
            severity: Severity::Info,
            code: "stickiness",
            message: format!(
                "{}: target group stickiness is on: weight changes apply to new sessions only",
                svc.name
            ),
        });
    }
    ServiceReport {
        name: svc.name.clone(),
        mode,
        percent: percent_of(&fwd.weights, total),
        unknown: fwd
            .unknown
            .iter()
            .map(|(arn, w)| UnknownGroup {
                arn: arn.clone(),
                weight: *w,
                percent: share(*w, total),
            })
            .collect(),
        unknown_target_groups: fwd.unknown_arns(),
        weights: fwd.weights,
        health,
        unhealthy_targets,
        stickiness: fwd.stickiness,
        missing_sites: fwd.missing,
        last_change: live.and_then(|l| l.last_change.clone()),
        overflow: None,
    }
}

/// What the live rule forwards, mapped onto the file's sites.
struct Forwarded {
    /// Site -> live weight; 0 for a site the rule does not forward to.
    weights: IndexMap<String, i64>,
    /// Target groups the rule forwards to that the file does not know, with their weights.
    unknown: Vec<(String, i64)>,
    /// Sites of the file the rule does not forward to.
    missing: Vec<String>,
    stickiness: bool,
}

impl Forwarded {
    /// Everything the rule sends, unknown groups included: the base of every percentage.
    fn total(&self) -> i64 {
        self.weights.values().sum::<i64>() + self.unknown.iter().map(|(_, w)| w).sum::<i64>()
    }

    fn unknown_arns(&self) -> Vec<String> {
        self.unknown.iter().map(|(a, _)| a.clone()).collect()
    }
}

fn forwarded(svc: &Service, live: Option<&LiveService>) -> Forwarded {
    let mut weights: IndexMap<String, i64> =
        svc.targets.iter().map(|t| (t.site.clone(), 0)).collect();
    let mut unknown = Vec::new();
    let mut seen_sites = Vec::new();
    let mut stickiness = false;
    if let Some(fwd) = live.and_then(|l| l.forward.as_ref()) {
        stickiness = fwd.stickiness.as_ref().is_some_and(|s| s.enabled);
        for g in &fwd.target_groups {
            match svc.targets.iter().find(|t| svc.health_key(t) == g.arn) {
                Some(t) => {
                    weights[&t.site] = i64::from(g.weight);
                    seen_sites.push(t.site.clone());
                }
                None => unknown.push((g.arn.clone(), i64::from(g.weight))),
            }
        }
    }
    let missing: Vec<String> = svc
        .targets
        .iter()
        .filter(|t| !seen_sites.contains(&t.site))
        .map(|t| t.site.clone())
        .collect();
    Forwarded {
        weights,
        unknown,
        missing,
        stickiness,
    }
}

/// Share of traffic per site in percent, to one decimal (0 when nothing is forwarded).
fn percent_of(weights: &IndexMap<String, i64>, total: i64) -> IndexMap<String, f64> {
    weights
        .iter()
        .map(|(s, &w)| (s.clone(), share(w, total)))
        .collect()
}

/// `w` of `total` in percent, to one decimal; 0 when nothing is forwarded.
fn share(w: i64, total: i64) -> f64 {
    let p = if total > 0 {
        (w as f64) * 100.0 / total as f64
    } else {
        0.0
    };
    (p * 10.0).round() / 10.0
}

/// Drift wins over the split: a rule that forwards elsewhere is not "normal" whatever its weights.
/// A failover's split is `failed-over` unless the record of the last change (`last`, None: the
/// rule is unread) says overflow set it: a failover is known from who set the weights, not
/// from whether they look like the overflow split.
fn mode_of(
    topo: &Topology,
    svc: &Service,
    last: Option<LastChange>,
    fwd: &Forwarded,
    total: i64,
) -> Mode {
    let weights = &fwd.weights;
    let failover_split = topo.failover.as_ref().is_some_and(|f| {
        weights.get(&f.from) == Some(&0) && weights.get(&f.to).copied() == Some(total) && total > 0
    });
    let Some(last) = last else {
        return Mode::Unknown;
    };
    if !fwd.unknown.is_empty() || !fwd.missing.is_empty() {
        Mode::Drift
    } else if same_split(svc, weights) {
        Mode::Normal
    } else if failover_split && last != LastChange::Overflow {
        Mode::FailedOver
    } else if is_overflow_split(topo, svc, weights) {
        Mode::Overflow
    } else if failover_split {
        Mode::FailedOver
    } else {
        Mode::Shifted
    }
}

fn is_overflow_split(topo: &Topology, svc: &Service, weights: &IndexMap<String, i64>) -> bool {
    let Some(o) = topo.overflow_of(&svc.name) else {
        return false;
    };
    let live: crate::plan::traffic::Weights = weights
        .iter()
        .map(|(s, &w)| (s.clone(), u32::try_from(w).unwrap_or(0)))
        .collect();
    crate::plan::traffic::same_split(&live, &crate::plan::overflow::overflow_weights(o))
}

/// Health per site and the targets that are not healthy; a finding for each site whose health
/// does not fit the traffic it gets.
fn site_health(
    topo: &Topology,
    svc: &Service,
    live: Option<&LiveService>,
    weights: &IndexMap<String, i64>,
    total: i64,
    findings: &mut Vec<Finding>,
) -> (IndexMap<String, Health>, Vec<TargetIssue>) {
    let mut health = IndexMap::new();
    let mut unhealthy_targets = Vec::new();
    for t in &svc.targets {
        let targets = live
            .and_then(|l| l.health.get(&svc.health_key(t)))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let h = Health::of(targets);
        health.insert(t.site.clone(), h);
        for x in targets.iter().filter(|x| !x.is_healthy()) {
            unhealthy_targets.push(TargetIssue {
                site: t.site.clone(),
                id: x.id.clone(),
                state: x.state.clone(),
                reason: x.reason.clone(),
            });
        }
        let w = weights.get(&t.site).copied().unwrap_or(0);
        findings.extend(health_finding(topo, svc, &t.site, targets, h, w, total));
    }
    (health, unhealthy_targets)
}

/// One site's health against its weight `w` (of `total`): none, or the most serious finding.
fn health_finding(
    topo: &Topology,
    svc: &Service,
    site: &str,
    targets: &[TargetState],
    h: Health,
    w: i64,
    total: i64,
) -> Option<Finding> {
    let reasons = reasons_of(targets);
    let min = topo.failover.as_ref().map_or(1, |f| f.min_healthy_targets);
    if w > 0 && h.healthy == 0 && svc.dns().is_some() {
        Some(Finding {
            severity: Severity::Critical,
            code: "no-healthy-target",
            message: format!(
                "{}: site {} gets {}% of the weight but fails its checks ({reasons}); Route 53 answers with its record only while no healthy record is left, and this host's probe fails where users may too: fix the site or shift its weight away (hybridctl shift-traffic / failover)",
                svc.name,
                site,
                super::format_percent(w as f64, total as f64),
                reasons = reasons.trim_start_matches([';', ':', ' ']),
            ),
        })
    } else if w > 0 && h.healthy == 0 {
        Some(Finding {
            severity: Severity::Critical,
            code: "no-healthy-target",
            message: format!(
                "{}: site {} gets {}% of traffic but has no healthy target ({}/{} healthy{reasons}); the ALB fails open, so those users get errors: fix the targets or shift its weight away (hybridctl shift-traffic / failover)",
                svc.name,
                site,
                super::format_percent(w as f64, total as f64),
                h.healthy,
                h.total()
            ),
        })
    } else if w > 0 && h.healthy < min && svc.alb().is_some() {
        Some(Finding {
            severity: Severity::Warning,
            code: "below-min-healthy",
            message: format!(
                "{}: site {} has {} healthy target(s), fewer than failover.min_healthy_targets {min}{reasons}: restore capacity before it gets more traffic",
                svc.name, site, h.healthy
            ),
        })
    } else if w == 0 && (h.unhealthy > 0 || (h.total() > 0 && h.healthy == 0)) {
        Some(Finding {
            severity: Severity::Info,
            code: "unhealthy-idle-site",
            message: format!(
                "{}: site {} (weight 0) has {} unhealthy target(s){reasons}: fix them before failing back",
                svc.name,
                site,
                h.unhealthy + h.other
            ),
        })
    } else {
        None
    }
}

fn drift_finding(svc: &Service, unknown: &[String], missing: &[String]) -> Finding {
    let mut what = Vec::new();
    let dns = svc.dns().is_some();
    if !unknown.is_empty() {
        what.push(if dns {
            format!(
                "include records the file does not know ({})",
                unknown.join(", ")
            )
        } else {
            format!(
                "forwards to target groups the file does not know ({})",
                unknown.join(", ")
            )
        });
    }
    if !missing.is_empty() {
        what.push(if dns {
            format!("have no record for site(s) {}", missing.join(", "))
        } else {
            format!("does not forward to site(s) {}", missing.join(", "))
        });
    }
    Finding {
        severity: Severity::Warning,
        code: "drift",
        message: format!(
            "{}: the {} {}: someone changed it outside hybridctl, or the file is out of date; reconcile them",
            svc.name,
            match svc.alb() {
                Some((_, Some(_))) => "rule",
                Some((_, None)) => "listener default action",
                None => "weighted records",
            },
            what.join(" and ")
        ),
    }
}

/// Same split as the file: weights are relative, so 40/60 equals 400/600.
fn same_split(svc: &Service, live: &IndexMap<String, i64>) -> bool {
    let file_total: i64 = svc.targets.iter().map(|t| i64::from(t.weight)).sum();
    let live_total: i64 = live.values().sum();
    live_total > 0
        && svc.targets.iter().all(|t| {
            live.get(&t.site).copied().unwrap_or(0) * file_total == i64::from(t.weight) * live_total
        })
}

fn reasons_of(targets: &[TargetState]) -> String {
    let mut reasons: Vec<&str> = targets
        .iter()
        .filter(|t| !t.is_healthy())
        .filter_map(|t| t.reason.as_deref())
        .collect();
    reasons.sort();
    reasons.dedup();
    if reasons.is_empty() {
        String::new()
    } else {
        format!(": {}", reasons.join(", "))
    }
}

fn alarm_findings(
    topo: &Topology,
    alarms: Result<Vec<Alarm>, SectionError>,
    services: &[ServiceReport],
    now: i64,
    findings: &mut Vec<Finding>,
) -> AlarmsReport {
    let alarms = match alarms {
        Ok(a) => a,
        Err(e) => {
            return AlarmsReport {
                error: Some(e),
                alarms: Vec::new(),
            };
        }
    };
    if let Some(f) = &topo.failover
        && let Some(name) = &f.alarm
    {
        match alarms.iter().find(|a| &a.name == name) {
            None => findings.push(Finding {
                severity: Severity::Warning,
                code: "alarm-missing",
                message: format!("failover alarm {name} does not exist in CloudWatch: create it or fix failover.alarm"),
            }),
            Some(a) => {
                let not_failed_over: Vec<&str> = services
                    .iter()
                    .filter(|s| s.mode != Mode::FailedOver)
                    .map(|s| s.name.as_str())
                    .collect();
                let failed_over: Vec<&str> = services
                    .iter()
                    .filter(|s| s.mode == Mode::FailedOver)
                    .map(|s| s.name.as_str())
                    .collect();
                if a.state == Some(AlarmState::Alarm) && !not_failed_over.is_empty() {
                    findings.push(Finding {
                        severity: Severity::Warning,
                        code: "alarm-not-failed-over",
                        message: format!(
                            "alarm {name} is in ALARM but {} still send(s) traffic to {}: consider hybridctl failover",
                            not_failed_over.join(", "),
                            f.from
                        ),
                    });
                }
                if a.state == Some(AlarmState::Ok) && !failed_over.is_empty() {
                    let since = a
                        .since_epoch
                        .map(|t| format!(" for {}", crate::duration::format(std::time::Duration::from_secs((now - t).max(0) as u64))))
                        .unwrap_or_default();
                    findings.push(Finding {
                        severity: Severity::Warning,
                        code: "failed-over-alarm-ok",
                        message: format!(
                            "{} failed over while alarm {name} has been OK{since}: consider hybridctl failback",
                            failed_over.join(", ")
                        ),
                    });
                }
            }
        }
    }
    AlarmsReport {
        error: None,
        alarms: alarms.into_iter().map(AlarmView::from).collect(),
    }
}

fn replication_findings(
    topo: &Topology,
    r: Result<LiveReplication, SectionError>,
    split: bool,
    findings: &mut Vec<Finding>,
) -> ReplicationReport {
    let live = match r {
        Ok(l) => l,
        Err(e) => {
            return ReplicationReport {
                error: Some(e),
                task: None,
                cdc_latency: CdcLatencyView::default(),
                source: None,
            };
        }
    };
    match &live.task {
        None => findings.push(Finding {
            severity: Severity::Critical,
            code: "dms-task-missing",
            message:
                "the DMS task in replication.dms_task_arn does not exist: data is not replicating"
                    .into(),
        }),
        Some(t) if split && matches!(t.status, Some(TaskStatus::Failed | TaskStatus::Stopped)) => {
            let why = t
                .last_failure_message
                .as_deref()
                .or(t.stop_reason.as_deref())
                .map(|m| format!(" ({m})"))
                .unwrap_or_default();
            findings.push(Finding {
                severity: Severity::Critical,
                code: "dms-task-not-running",
                message: format!(
                    "DMS task {} is {}{why} while traffic is split between sites: writes on one site do not reach the other; fix the cause and restart the task",
                    t.id,
                    t.status_text()
                ),
            });
        }
        Some(_) => {}
    }
    if let Some(f) = &topo.failover {
        let worst = [live.cdc.source_seconds, live.cdc.target_seconds]
            .into_iter()
            .flatten()
            .fold(None::<f64>, |m, v| Some(m.map_or(v, |m| m.max(v))));
        if let Some(lag) = worst
            && lag > f.max_cdc_latency.as_secs_f64()
        {
            findings.push(Finding {
                severity: Severity::Warning,
                code: "cdc-latency-high",
                message: format!(
                    "DMS CDC latency is {lag:.0}s, above failover.max_cdc_latency {}: failback would lose or conflict with recent writes; wait or check the task",
                    crate::duration::format(f.max_cdc_latency)
                ),
            });
        }
    }
    if let Some(db) = &live.source {
        if db.backup_retention_days == 0 {
            findings.push(Finding {
                severity: Severity::Critical,
                code: "rds-backups-off",
                message: format!(
                    "RDS {} has automated backups off: RDS writes no binlog without them, so DMS CDC cannot work; aws rds modify-db-instance --db-instance-identifier {} --backup-retention-period 7 --apply-immediately",
                    db.id, db.id
                ),
            });
        }
        for g in db
            .parameter_groups
            .iter()
            .filter(|g| g.apply_status == Some(ParameterApplyStatus::PendingReboot))
        {
            findings.push(Finding {
                severity: Severity::Warning,
                code: "parameter-group-pending-reboot",
                message: format!(
                    "RDS {}: parameter group {} is pending-reboot: its changes (binlog settings) are not in effect until the instance reboots",
                    db.id, g.name
                ),
            });
        }
    }
    ReplicationReport {
        error: None,
        task: live.task.map(TaskView::from),
        cdc_latency: live.cdc.into(),
        source: live.source.map(SourceView::from),
    }
}

fn dr_findings(
    topo: &Topology,
    d: Result<LiveDr, SectionError>,
    findings: &mut Vec<Finding>,
) -> DrReport {
    let live = match d {
        Ok(l) => l,
        Err(e) => {
            return DrReport {
                error: Some(e),
                stage: None,
                records: Vec::new(),
                ready: None,
            };
        }
    };
    let Some(dr) = &topo.dr else {
        return DrReport {
            error: None,
            stage: None,
            records: Vec::new(),
            ready: None,
        };
    };
    let stage = crate::plan::dr::stage_of(&dr.stages, &live.records)
        .map(|s| s.name.clone())
        .unwrap_or_else(|| "custom".into());
    if stage != "normal" {
        let weights: Vec<String> = live
            .records
            .iter()
            .map(|r| format!("{} {}", r.name(), weight_text(r.weight)))
            .collect();
        findings.push(Finding {
            severity: Severity::Warning,
            code: "dr-not-normal",
            message: format!(
                "Route 53 records of {} are in stage {stage} ({}), not normal: users are served by the DR region; run hybridctl dr failback once the primary is healthy",
                dr.dns.record,
                weights.join(" | ")
            ),
        });
    }
    DrReport {
        error: None,
        stage: Some(stage),
        records: live
            .records
            .iter()
            .map(|r| DrRecord {
                set_identifier: r.set_identifier.clone(),
                weight: r.weight,
                health_check_id: r.health_check_id.clone(),
            })
            .collect(),
        ready: live.ready.as_deref().map(Health::of),
    }
}

#[cfg(test)]
mod tests;
