//! Traffic changes, planned without I/O: where each service goes, in which steps, and which
//! safety gates pass. `shift-traffic`, `failover` and `failback` differ only in the intent.

use indexmap::IndexMap;
use serde::Serialize;

use crate::aws::cloudwatch::{Alarm, AlarmState};
use crate::aws::dms::{Task, TaskStatus};
use crate::topology::{Failover, MAX_ALB_WEIGHT, Service};

/// Site -> ALB weight, in the file's site order.
pub type Weights = IndexMap<String, u32>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    /// Set these sites' weights; other sites keep theirs.
    Shift(Vec<(String, u32)>),
    /// `failover.from` to 0; `failover.to` takes its share.
    Failover,
    /// Back to the file's weights.
    Failback,
    /// Overflow's shift (by `overflow --apply` or `watch`): set these sites' weights, like
    /// `Shift`, recorded under its own name so that the record says overflow set them.
    Overflow(Vec<(String, u32)>),
    /// A drill's shift or return (`hybridctl drill`, `watch`'s schedule): set these sites'
    /// weights, like `Shift`, recorded and tagged as `drill`.
    Drill(Vec<(String, u32)>),
}

impl Intent {
    pub fn command(&self) -> &'static str {
        match self {
            Intent::Shift(_) => "shift-traffic",
            Intent::Failover => "failover",
            Intent::Failback => "failback",
            Intent::Overflow(_) => OVERFLOW_COMMAND,
            Intent::Drill(_) => "drill",
        }
    }
}

/// The command name overflow's changes are journaled and tagged under.
pub const OVERFLOW_COMMAND: &str = "overflow";

/// What made the last change hybridctl recorded on a rule or listener, read from its
/// `hybridctl:last-change` tag (`TIME COMMAND by WHO...`, written by the runbook after each
/// verified write). It says who set the live weights: a failover in force is known from it,
/// not guessed from the split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LastChange {
    /// `failover` (by a person, `watch` or the lambda).
    Failover,
    /// Overflow's own shift.
    Overflow,
    /// Another hybridctl command (`shift-traffic`, `failback`).
    Other,
    /// No tag, one that could not be read, or one hybridctl did not write.
    Unknown,
}

impl LastChange {
    pub fn of(tag: Option<&str>) -> LastChange {
        let mut words = tag.unwrap_or_default().split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some(_), Some(c), Some("by")) if c == Intent::Failover.command() => {
                LastChange::Failover
            }
            (Some(_), Some(OVERFLOW_COMMAND), Some("by")) => LastChange::Overflow,
            (Some(_), Some(_), Some("by")) => LastChange::Other,
            _ => LastChange::Unknown,
        }
    }
}

/// The live weights by site, or why they cannot be changed safely (drift: the rule forwards
/// to groups the file does not know, or not to ones it does).
pub fn live_weights(
    svc: &Service,
    fwd: Option<&crate::aws::elbv2::Forward>,
) -> Result<Weights, String> {
    let kind = match svc.alb() {
        Some((_, Some(_))) => "rule",
        _ => "listener default action",
    };
    let fwd =
        fwd.ok_or_else(|| format!("service `{}`: the {kind} has no forward action", svc.name))?;
    let mut w = Weights::new();
    for t in &svc.targets {
        let arn = t
            .target_group()
            .map(ToString::to_string)
            .unwrap_or_default();
        let g = fwd
            .target_groups
            .iter()
            .find(|g| g.arn == arn)
            .ok_or_else(|| {
                format!(
                    "service `{}`: the {kind} does not forward to site {}'s target group",
                    svc.name, t.site
                )
            })?;
        w.insert(t.site.clone(), g.weight.max(0) as u32);
    }
    if let Some(g) = fwd.target_groups.iter().find(|g| {
        !svc.targets
            .iter()
            .any(|t| t.target_group().is_some_and(|a| a.to_string() == g.arn))
    }) {
        return Err(format!(
            "service `{}`: the {kind} forwards to {}, which the file does not know",
            svc.name, g.arn
        ));
    }
    Ok(w)
}

/// A dns service's live weights by site from its weighted records, or why they cannot be
/// changed safely: a site's SetIdentifier has no weighted record, or a weighted record of the
/// name is not one of the file's (Route 53 would send it a share hybridctl cannot see).
pub fn record_weights(
    svc: &Service,
    records: &[crate::aws::route53::WeightedRecord],
) -> Result<Weights, String> {
    let name = svc.dns().map_or("", |d| d.record.as_str());
    let mut w = Weights::new();
    for t in &svc.targets {
        let id = t.set_id().unwrap_or_default();
        let weight = records
            .iter()
            .find(|r| r.set_identifier.as_deref() == Some(id))
            .and_then(|r| r.weight)
            .ok_or_else(|| {
                format!(
                    "service `{}`: {name} has no weighted record with SetIdentifier `{id}` (site {})",
                    svc.name, t.site
                )
            })?;
        w.insert(
            t.site.clone(),
            weight.clamp(0, crate::topology::MAX_R53_WEIGHT) as u32,
        );
    }
    if let Some(r) = records.iter().find(|r| {
        !svc.targets
            .iter()
            .any(|t| t.set_id() == r.set_identifier.as_deref())
    }) {
        return Err(format!(
            "service `{}`: {name} has a record with SetIdentifier `{}`, which the file does not know",
            svc.name,
            r.name()
        ));
    }
    Ok(w)
}

/// `SITE=WEIGHT` arguments, checked against the services' sites before any AWS call.
pub fn parse_assignments(
    args: &[String],
    services: &[&Service],
) -> Result<Vec<(String, u32)>, String> {
    if args.is_empty() {
        return Err("name at least one SITE=WEIGHT, e.g. onprem=20 aws=80".into());
    }
    let mut out: Vec<(String, u32)> = Vec::new();
    for a in args {
        let (site, weight) = a
            .split_once('=')
            .ok_or_else(|| format!("`{a}` is not SITE=WEIGHT (e.g. onprem=20)"))?;
        if site.trim().is_empty() {
            return Err(format!(
                "`{a}`: the site name before `=` is empty (SITE=WEIGHT, e.g. onprem=20)"
            ));
        }
        if weight.trim().is_empty() {
            return Err(format!(
                "`{a}`: the weight after `=` is empty (a whole number 0..{MAX_ALB_WEIGHT})"
            ));
        }
        let weight: u32 = weight
            .trim()
            .parse()
            .map_err(|_| format!("`{a}`: the weight must be a whole number 0..{MAX_ALB_WEIGHT}"))?;
        if weight > MAX_ALB_WEIGHT as u32 {
            return Err(format!(
                "`{a}`: weight {weight} is out of range 0..{MAX_ALB_WEIGHT}"
            ));
        }
        if out.iter().any(|(s, _)| s == site) {
            return Err(format!("site `{site}` is named twice"));
        }
        for svc in services {
            if weight > svc.max_weight() {
                return Err(format!(
                    "`{a}`: weight {weight} is out of range 0..{} for service `{}` (Route 53 weights are 0..255)",
                    svc.max_weight(),
                    svc.name
                ));
            }
            if !svc.targets.iter().any(|t| t.site == site) {
                let sites: Vec<&str> = svc.targets.iter().map(|t| t.site.as_str()).collect();
                return Err(format!(
                    "service `{}` has no site `{site}` (its sites: {})",
                    svc.name,
                    sites.join(", ")
                ));
            }
        }
        out.push((site.to_string(), weight));
    }
    // Every site of a service named, all at 0: refused here, before any AWS call.
    for svc in services {
        let all_named = svc
            .targets
            .iter()
            .all(|t| out.iter().any(|(s, _)| *s == t.site));
        if all_named && out.iter().all(|(_, w)| *w == 0) {
            return Err(format!(
                "service `{}`: every weight would be 0, {}",
                svc.name,
                all_zero_words(svc)
            ));
        }
    }
    Ok(out)
}

/// The weights a service should end with.
pub fn target(
    intent: &Intent,
    svc: &Service,
    failover: Option<&Failover>,
    live: &Weights,
) -> Result<Weights, String> {
    let mut w = live.clone();
    match intent {
        Intent::Shift(pairs) | Intent::Overflow(pairs) | Intent::Drill(pairs) => {
            for (site, v) in pairs {
                w.insert(site.clone(), *v);
            }
        }
        Intent::Failover => {
            let f = failover.ok_or("the topology file has no failover section")?;
            let moved = w.get(&f.from).copied().unwrap_or(0);
            w.insert(f.from.clone(), 0);
            *w.entry(f.to.clone()).or_insert(0) += moved;
            if w.get(&f.to) == Some(&0) {
                // Nothing flowed anywhere: send it all to `to`.
                w.insert(f.to.clone(), 100);
            }
            w = fit(w, svc.max_weight());
        }
        Intent::Failback => {
            w = svc
                .targets
                .iter()
                .map(|t| (t.site.clone(), t.weight))
                .collect();
        }
    }
    if w.values().all(|&v| v == 0) {
        return Err(format!(
            "service `{}`: every weight would be 0, {}",
            svc.name,
            all_zero_words(svc)
        ));
    }
    Ok(w)
}

/// Why every weight 0 is refused, in the words of the service's route.
fn all_zero_words(svc: &Service) -> &'static str {
    match svc.dns() {
        Some(_) => "and Route 53 would answer with every record alike, a split nobody chose",
        None => "and an ALB has no defined behaviour for that",
    }
}

/// Scales weights down proportionally when one exceeds the route's maximum (`limit`).
fn fit(w: Weights, limit: u32) -> Weights {
    let max = w.values().copied().max().unwrap_or(0);
    if max <= limit {
        return w;
    }
    w.into_iter()
        .map(|(s, v)| {
            (
                s,
                ((u64::from(v) * u64::from(limit)) / u64::from(max)) as u32,
            )
        })
        .collect()
}

/// The same split: weights are relative, so 40/60 equals 400/600.
pub fn same_split(a: &Weights, b: &Weights) -> bool {
    let (ta, tb): (u64, u64) = (
        a.values().map(|&v| u64::from(v)).sum(),
        b.values().map(|&v| u64::from(v)).sum(),
    );
    ta > 0
        && tb > 0
        && a.len() == b.len()
        && a.iter().all(|(s, &v)| {
            b.get(s)
                .is_some_and(|&w| u64::from(v) * tb == u64::from(w) * ta)
        })
}

fn percents(w: &Weights) -> Vec<f64> {
    let total: f64 = w.values().map(|&v| f64::from(v)).sum();
    w.values()
        .map(|&v| {
            if total > 0.0 {
                f64::from(v) * 100.0 / total
            } else {
                0.0
            }
        })
        .collect()
}

/// Integer weights summing to 100 that are closest to `pcts` (largest remainder).
fn round_to_100(pcts: &[f64]) -> Vec<u32> {
    let mut floors: Vec<u32> = pcts.iter().map(|p| p.floor() as u32).collect();
    let short = 100u32.saturating_sub(floors.iter().sum());
    let mut order: Vec<usize> = (0..pcts.len()).collect();
    order.sort_by(|&a, &b| (pcts[b] - pcts[b].floor()).total_cmp(&(pcts[a] - pcts[a].floor())));
    for &i in order.iter().take(short as usize) {
        floors[i] += 1;
    }
    floors
}

/// The weights to write, in order; the last is exactly `to`. With `step_points`, no site's
/// share moves more than that many percentage points in one step.
pub fn steps(from: &Weights, to: &Weights, step_points: Option<u32>) -> Vec<Weights> {
    let Some(step) = step_points.filter(|&s| s > 0) else {
        return vec![to.clone()];
    };
    let (p0, p1) = (percents(from), percents(to));
    let delta = p0
        .iter()
        .zip(&p1)
        .map(|(a, b)| (b - a).abs())
        .fold(0.0, f64::max);
    let k = (delta / f64::from(step)).ceil().max(1.0) as u32;
    let mut out = Vec::new();
    for j in 1..k {
        let frac = f64::from(j) / f64::from(k);
        let pcts: Vec<f64> = p0
            .iter()
            .zip(&p1)
            .map(|(a, b)| a + (b - a) * frac)
            .collect();
        let w: Weights = to.keys().cloned().zip(round_to_100(&pcts)).collect();
        if out.last() != Some(&w) && !same_split(&w, from) {
            out.push(w);
        }
    }
    out.push(to.clone());
    out
}

/// Failback by the file's `failback_steps`: the `from` site's weight at each step, the `to`
/// site taking the rest of the normal total; then the normal weights.
pub fn failback_ramp(normal: &Weights, live: &Weights, f: &Failover) -> Vec<Weights> {
    let total: u32 = normal.values().sum();
    let others: u32 = normal
        .iter()
        .filter(|(s, _)| **s != f.from && **s != f.to)
        .map(|(_, &v)| v)
        .sum();
    let normal_from = normal.get(&f.from).copied().unwrap_or(0);
    let live_from_share = percents(live)
        .get(live.get_index_of(&f.from).unwrap_or(usize::MAX))
        .copied()
        .unwrap_or(0.0);
    let mut out: Vec<Weights> = Vec::new();
    for &s in &f.failback_steps {
        let share = f64::from(s) * 100.0 / f64::from(total.max(1));
        if s >= normal_from || share <= live_from_share || s + others > total {
            continue;
        }
        let mut w = normal.clone();
        w.insert(f.from.clone(), s);
        w.insert(f.to.clone(), total - s - others);
        out.push(w);
    }
    out.push(normal.clone());
    out
}

/// A safety check and its verdict. A failed gate refuses the change unless `--force`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gate {
    pub name: String,
    pub passed: bool,
    /// Failed but overridden by --force (and journaled as such).
    pub forced: bool,
    pub message: String,
}

impl Gate {
    pub fn new(name: impl Into<String>, passed: bool, message: impl Into<String>) -> Gate {
        Gate {
            name: name.into(),
            passed,
            forced: false,
            message: message.into(),
        }
    }
}

/// The sites that get weight > 0 at any step, in order of first appearance.
fn receiving(plan: &[Weights]) -> Vec<&String> {
    let mut sites: Vec<&String> = Vec::new();
    for w in plan {
        for (site, &v) in w {
            if v > 0 && !sites.contains(&site) {
                sites.push(site);
            }
        }
    }
    sites
}

/// Sites that get weight > 0 at any step need `min` healthy targets.
pub fn health_gates(
    service: &str,
    plan: &[Weights],
    healthy: &IndexMap<String, u32>,
    min: u32,
) -> Vec<Gate> {
    receiving(plan)
        .into_iter()
        .map(|site| {
            let h = healthy.get(site).copied().unwrap_or(0);
            Gate::new(
                format!("health {service}/{site}"),
                h >= min,
                format!("{site} has {h} healthy target(s); it needs {min} to receive traffic"),
            )
        })
        .collect()
}

/// Before failing back: DMS must be running with CDC latency within the limit, or writes made
/// in AWS during the failover have not reached the `from` site yet. `task`: None when the task
/// does not exist.
pub fn replication_gate(
    task: Option<&Task>,
    cdc_target_seconds: Option<f64>,
    max_seconds: f64,
) -> Gate {
    match (task, cdc_target_seconds) {
        (None, _) => Gate::new(
            "replication",
            false,
            "the DMS task does not exist: data written during the failover cannot reach back",
        ),
        (Some(t), _) if t.status != Some(TaskStatus::Running) => Gate::new(
            "replication",
            false,
            format!(
                "the DMS task is {}, not running: writes made during the failover may not have reached back",
                t.status_text()
            ),
        ),
        (Some(_), Some(lag)) if lag > max_seconds => Gate::new(
            "replication",
            false,
            format!(
                "CDC latency (target) is {lag:.0}s, above failover.max_cdc_latency {max_seconds:.0}s: wait until replication catches up"
            ),
        ),
        (Some(_), Some(lag)) => Gate::new(
            "replication",
            true,
            format!("DMS task running, CDC latency {lag:.0}s"),
        ),
        // No datapoint is no evidence: the lag may be anything (CloudWatch stops publishing
        // when the task is stuck, too). --force overrides, and is journaled.
        (Some(_), None) => Gate::new(
            "replication",
            false,
            "the DMS task is running but CloudWatch has no CDCLatencyTarget datapoint in the last 5 minutes: replication lag is unknown, so writes made during the failover may not have reached back",
        ),
    }
}

/// Before failing back: the failover alarm must not be firing. `alarm`: None when it does not
/// exist.
pub fn alarm_gate(name: &str, alarm: Option<&Alarm>) -> Gate {
    match alarm {
        Some(a) if a.state == Some(AlarmState::Alarm) => Gate::new(
            "alarm",
            false,
            format!("alarm {name} is in ALARM: the reason for the failover is still there"),
        ),
        Some(a) => Gate::new("alarm", true, format!("alarm {name} is {}", a.state_text())),
        None => Gate::new("alarm", false, format!("alarm {name} does not exist")),
    }
}

/// What a failback's extra gates are judged on: the DMS task status and CDC latency, and the
/// failover alarm's state.
#[derive(Debug, Clone, Copy)]
pub struct FailbackEvidence<'a> {
    /// The DMS task (None: it does not exist) and its CDC target latency; None: the topology
    /// has no replication section.
    pub replication: Option<(Option<&'a Task>, Option<f64>)>,
    pub max_cdc_latency_s: f64,
    /// The alarm's name and the alarm (None: it does not exist); None: no alarm configured.
    pub alarm: Option<(&'a str, Option<&'a Alarm>)>,
}

/// Every gate of one service's remaining steps, judged on one set of reads: health of every
/// site that will get weight, then (failback) replication and the alarm. The same function
/// judges the plan and each fresh re-check before a write.
pub fn gates(
    service: &str,
    steps: &[Weights],
    healthy: &IndexMap<String, u32>,
    min: u32,
    failback: Option<&FailbackEvidence<'_>>,
) -> Vec<Gate> {
    let mut out = health_gates(service, steps, healthy, min);
    out.extend(failback_gates(failback));
    out
}

/// Failback's gates beyond health: replication, then the alarm.
pub fn failback_gates(failback: Option<&FailbackEvidence<'_>>) -> Vec<Gate> {
    let mut out = Vec::new();
    if let Some(fb) = failback {
        if let Some((task, lag)) = fb.replication {
            out.push(replication_gate(task, lag, fb.max_cdc_latency_s));
        }
        if let Some((name, alarm)) = fb.alarm {
            out.push(alarm_gate(name, alarm));
        }
    }
    out
}

/// A dns service's health gates: every site that gets weight > 0 at any step must pass its
/// checks (`healthy` 1: the record's Route 53 health check and the site's probe pass; `why`
/// says what each check saw).
pub fn dns_health_gates(
    service: &str,
    plan: &[Weights],
    healthy: &IndexMap<String, u32>,
    why: &IndexMap<String, String>,
) -> Vec<Gate> {
    receiving(plan)
        .into_iter()
        .map(|site| {
            let ok = healthy.get(site).copied().unwrap_or(0) > 0;
            let seen = why.get(site).map_or("not read", String::as_str);
            let message = if ok {
                format!("{site}: {seen}")
            } else {
                format!("{site} is unhealthy ({seen}); it must pass to receive traffic")
            };
            Gate::new(format!("health {service}/{site}"), ok, message)
        })
        .collect()
}

/// `--if-alarm`: None to go ahead, or why there is nothing to do.
pub fn if_alarm(name: &str, alarm: Option<&Alarm>) -> Option<String> {
    match alarm {
        Some(a) if a.state == Some(AlarmState::Alarm) => None,
        Some(a) => Some(format!("no action: alarm {name} is {}", a.state_text())),
        None => Some(format!("no action: alarm {name} is missing")),
    }
}

/// `--if-ok-for`: None to go ahead, or why not. `now` is the clock's epoch seconds.
pub fn if_ok_for(
    alarm: Option<&Alarm>,
    now: i64,
    min: std::time::Duration,
    gates_strictly_pass: bool,
) -> Option<String> {
    let ok_for = alarm
        .filter(|a| a.state == Some(AlarmState::Ok))
        .and_then(|a| a.since_epoch)
        .map(|t| now - t);
    if ok_for.is_none_or(|s| s < min.as_secs() as i64) {
        let so_far = ok_for
            .map(|s| {
                format!(
                    " ({})",
                    crate::duration::format(std::time::Duration::from_secs(s.max(0) as u64))
                )
            })
            .unwrap_or_default();
        return Some(format!(
            "no action: the alarm has not been OK for {} yet{so_far}",
            crate::duration::format(min)
        ));
    }
    (!gates_strictly_pass).then(|| "no action: a gate does not pass".to_string())
}

/// Sites whose share of traffic grows from `from` to `to`. A rollback is gated on these only:
/// moving traffic away from a failing site is what a rollback is for.
pub fn rising_sites(from: &Weights, to: &Weights) -> Vec<String> {
    let (a, b) = (percents(from), percents(to));
    to.keys()
        .zip(a.iter().zip(&b))
        .filter(|(_, (x, y))| y > x)
        .map(|(s, _)| s.clone())
        .collect()
}

/// What a gate that fails on the fresh reads before a write means for the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterGate {
    /// Before the first write: nothing was changed, the change is refused.
    Refuse,
    /// Between steps: traffic stays where the last verified step left it.
    Stop,
    /// Between steps, with `--on-failure rollback`: back to the starting weights.
    RollBack,
}

/// Stop or roll back: decided by the step that was about to be written (0-based) and the flag.
pub fn after_gate_failure(step: usize, rollback: bool) -> AfterGate {
    match (step, rollback) {
        (0, _) => AfterGate::Refuse,
        (_, true) => AfterGate::RollBack,
        (_, false) => AfterGate::Stop,
    }
}

/// Applies `--force`: failed gates are marked forced; returns whether the plan may proceed.
pub fn decide(gates: &mut [Gate], force: bool) -> bool {
    let mut ok = true;
    for g in gates.iter_mut().filter(|g| !g.passed) {
        if force {
            g.forced = true;
        } else {
            ok = false;
        }
    }
    ok
}

pub fn format_weights(w: &Weights) -> String {
    let total: u32 = w.values().sum();
    w.iter()
        .map(|(s, &v)| {
            let p = super::format_percent(f64::from(v), f64::from(total));
            format!("{s} {v} ({p}%)")
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

#[cfg(test)]
mod tests;
