//! Drills, decided without I/O: the weights a drill holds, whether one may start, how a poll
//! during the hold is judged, and when `watch`'s schedule makes one due.
//!
//! The rule for a failure during the hold (docs/drill.md): a drill tests the receiving site
//! (failover.to) with the traffic of failover.from. Trouble on the receiving side (an outcome
//! alarm, its healthy targets below failover.min_healthy_targets, a metrics threshold) fails
//! the drill and traffic returns to failover.from, which is healthy. A real failure of
//! failover.from (failover.alarm in ALARM, or its healthy targets below the minimum) aborts
//! the drill: traffic is not returned to a failing site; it stays where the drill put it, and
//! the failover logic (`watch`, or a person's `failover`) takes over from there.

use serde::{Deserialize, Serialize};

use crate::plan::traffic::Weights;
use crate::plan::watch::LastDrill;
use crate::topology::{Date, Drill, DrillSchedule, Failover, Service};

/// How a drill ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DrillOutcome {
    Passed,
    Failed,
    Aborted,
    Refused,
    /// A signal ended the hold; traffic was returned first.
    Interrupted,
    /// `--dry-run`: the preflight passed and the shift's plan was shown.
    Planned,
}

impl DrillOutcome {
    pub fn word(self) -> &'static str {
        match self {
            DrillOutcome::Passed => "passed",
            DrillOutcome::Failed => "failed",
            DrillOutcome::Aborted => "aborted",
            DrillOutcome::Refused => "refused",
            DrillOutcome::Interrupted => "interrupted",
            DrillOutcome::Planned => "planned",
        }
    }
}

/// The weights during the drill: failover.to takes `share`% of the service's traffic from
/// failover.from (100: all of failover.from's); other sites keep theirs.
pub fn drill_weights(
    svc: &Service,
    f: &Failover,
    live: &Weights,
    share: u32,
) -> Result<Weights, String> {
    let from = live.get(&f.from).copied().unwrap_or(0);
    let to = live.get(&f.to).copied().unwrap_or(0);
    if from == 0 {
        return Err(format!(
            "service `{}`: {} carries no traffic (failed over, or shifted away): there is nothing to drill",
            svc.name, f.from
        ));
    }
    let total: u64 = live.values().map(|&v| u64::from(v)).sum();
    let pool = u64::from(from) + u64::from(to);
    let wanted = if share >= 100 {
        pool
    } else {
        ((total * u64::from(share) + 50) / 100).min(pool)
    };
    if wanted <= u64::from(to) {
        return Err(format!(
            "service `{}`: {} already takes {}% of the traffic, the drill's share is {share}%: nothing to move",
            svc.name,
            f.to,
            crate::plan::format_percent(f64::from(to), total as f64)
        ));
    }
    let mut w = live.clone();
    w.insert(f.to.clone(), wanted as u32);
    w.insert(f.from.clone(), (pool - wanted) as u32);
    Ok(w)
}

/// What one poll during the hold read; None: that read failed (it counts neither way).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HoldPoll {
    /// failover.alarm, when set and read: its name, and whether it is in ALARM.
    pub failover_alarm: Option<(String, bool)>,
    /// The outcome alarms in ALARM.
    pub outcome_alarms: Vec<String>,
    pub from_healthy: Option<u32>,
    pub to_healthy: Option<u32>,
    pub metrics: Option<MetricsReading>,
    /// `services.S.probes` of failover.from and failover.to, when set: (passed, what it saw).
    pub from_probe: Option<(bool, String)>,
    pub to_probe: Option<(bool, String)>,
}

/// The receiving target group's CloudWatch metrics since the shift.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricsReading {
    pub requests: f64,
    pub errors_5xx: f64,
    /// The highest TargetResponseTime p99 of a period (None: no datapoint).
    pub p99_seconds: Option<f64>,
}

impl MetricsReading {
    /// 5xx / requests; None without requests.
    pub fn rate_5xx(&self) -> Option<f64> {
        (self.requests > 0.0).then(|| self.errors_5xx / self.requests)
    }
}

/// How a poll during the hold is judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Hold,
    /// The receiving side failed the drill: return.
    Failed(String),
    /// A real failure of failover.from: no return.
    Aborted(String),
}

pub fn judge(cfg: &Drill, f: &Failover, poll: &HoldPoll) -> Verdict {
    let min = f.min_healthy_targets;
    if let Some((name, true)) = &poll.failover_alarm {
        return Verdict::Aborted(format!(
            "failover.alarm {name} went into ALARM: a real failure of {}",
            f.from
        ));
    }
    if let Some(n) = poll.from_healthy.filter(|&n| n < min) {
        return Verdict::Aborted(format!(
            "{} has {n} healthy target(s), below failover.min_healthy_targets {min}: a real failure of {}",
            f.from, f.from
        ));
    }
    if let Some((false, why)) = &poll.from_probe {
        return Verdict::Aborted(format!(
            "the probe of {} failed ({why}): a real failure of {}",
            f.from, f.from
        ));
    }
    if let Some(name) = poll.outcome_alarms.first() {
        return Verdict::Failed(format!("outcome alarm {name} went into ALARM"));
    }
    if let Some((false, why)) = &poll.to_probe {
        return Verdict::Failed(format!(
            "the probe of {} failed with the drill's traffic ({why})",
            f.to
        ));
    }
    if let Some(n) = poll.to_healthy.filter(|&n| n < min) {
        return Verdict::Failed(format!(
            "{} has {n} healthy target(s) with the drill's traffic, below failover.min_healthy_targets {min}",
            f.to
        ));
    }
    if let Some(m) = &poll.metrics {
        if let (Some(max), Some(rate)) = (cfg.max_5xx_rate, m.rate_5xx())
            && rate > max
        {
            return Verdict::Failed(format!(
                "the 5xx rate of {} was {:.4} ({} of {} requests), above drill.metrics.max_5xx_rate {max}",
                f.to, rate, m.errors_5xx, m.requests
            ));
        }
        if let (Some(max), Some(p99)) = (cfg.max_p99_seconds, m.p99_seconds)
            && p99 > max
        {
            return Verdict::Failed(format!(
                "TargetResponseTime p99 of {} was {p99:.3}s, above drill.metrics.max_p99_seconds {max}s",
                f.to
            ));
        }
    }
    Verdict::Hold
}

/// Why a drill may not start now on the schedule's calendar (None: it may), at `now` (epoch
/// seconds): a blocked date, or outside every allowed window.
pub fn calendar_refusal(s: &DrillSchedule, now: i64) -> Option<String> {
    let (date, minute) = civil(now);
    if s.blocked_dates.contains(&date) {
        return Some(format!(
            "{} is a blocked date (drill.schedule.blocked_dates)",
            format_date(date)
        ));
    }
    if !s.allowed_windows.is_empty() && window_start(s, now).is_none() {
        return Some(format!(
            "{} {:02}:{:02} UTC is outside every drill.schedule.allowed_windows",
            DAY_NAMES[(minute / 1440) as usize],
            (minute % 1440) / 60,
            minute % 60
        ));
    }
    None
}

/// Whether `watch` starts a drill now: the calendar allows it, `every` has passed since the
/// last passed drill (or none passed), and no drill began in this window already (with no
/// windows: within `every`). Err says why not.
pub fn due(s: &DrillSchedule, now: i64, last: Option<&LastDrill>) -> Result<(), String> {
    if let Some(m) = calendar_refusal(s, now) {
        return Err(m);
    }
    let every = s.every.as_secs() as i64;
    if let Some(p) = last.and_then(|l| l.last_passed)
        && now - p < every
    {
        return Err(format!("a drill passed {}s ago", now - p));
    }
    let began = last.and_then(|l| l.started.or(Some(l.time)));
    let taken_since = window_start(s, now).unwrap_or(now - every);
    if let Some(b) = began.filter(|&b| b >= taken_since) {
        return Err(format!(
            "a drill already began in this window ({}s ago)",
            now - b
        ));
    }
    Ok(())
}

/// Whether the last passed drill is older than `every` (or none passed): `drill-overdue`.
pub fn overdue(s: &DrillSchedule, now: i64, last: Option<&LastDrill>) -> Option<String> {
    let every = s.every.as_secs() as i64;
    match last.and_then(|l| l.last_passed) {
        Some(p) if now - p <= every => None,
        Some(p) => Some(format!(
            "the last passed drill was {} ago, drill.schedule.every is {}",
            crate::duration::format(std::time::Duration::from_secs((now - p) as u64)),
            crate::duration::format(s.every)
        )),
        None => Some(format!(
            "no drill has passed yet (drill.schedule.every {})",
            crate::duration::format(s.every)
        )),
    }
}

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEK_MINUTES: i64 = 7 * 1440;

/// When the allowed window `now` is in began (epoch seconds), None outside every window.
fn window_start(s: &DrillSchedule, now: i64) -> Option<i64> {
    let (_, minute) = civil(now);
    let minute = i64::from(minute);
    let now_minute_start = now - now.rem_euclid(60);
    s.allowed_windows
        .iter()
        .filter_map(|w| {
            let (start, end) = (i64::from(w.start), i64::from(w.end));
            // Minutes since the window opened, this week or (wrapping) last.
            let since = (minute - start).rem_euclid(WEEK_MINUTES);
            let len = (end - start).rem_euclid(WEEK_MINUTES);
            (since < len).then_some(now_minute_start - since * 60)
        })
        .max()
}

/// The UTC date and the minute of the week (Monday 00:00 = 0) of epoch seconds `t`.
pub fn civil(t: i64) -> (Date, u32) {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // 1970-01-01 was a Thursday (3 with Monday = 0).
    let weekday = (days + 3).rem_euclid(7);
    let minute = (weekday * 1440 + secs / 60) as u32;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (Date { year, month, day }, minute)
}

pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

#[cfg(test)]
mod tests;
