//! `drill:`: the drill's share, hold, alarms and thresholds, and `watch`'s schedule (windows
//! `Day:HH:MM-Day:HH:MM` UTC, blocked dates `YYYY-MM-DD`).

use std::time::Duration;

use super::checker::Checker;
use crate::topology::model::{Date, Drill, DrillSchedule, DrillWindow, Failover};
use crate::topology::values::MAX_ALARM_NAME;
use crate::topology::wire::{self, Scalar};

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub fn check_drill(c: &mut Checker, d: wire::Drill, failover: Option<&Failover>) -> Drill {
    if failover.is_none() {
        c.fail(
            "drill",
            "`drill` needs a `failover` section: a drill moves traffic from failover.from to failover.to",
        );
    }
    let share = d
        .share
        .as_ref()
        .and_then(|v| c.whole("drill.share", v, 1..=100, "share"))
        .map_or(100, |v| v as u32);
    let hold = c.duration("drill.hold", d.hold.as_deref(), "30m");
    if !(Duration::from_secs(1)..=Duration::from_secs(24 * 3600)).contains(&hold) {
        c.fail("drill.hold", "a drill holds 1s to 24h");
    }
    let outcome_alarms = alarms(c, "drill.outcome_alarms", d.outcome_alarms);
    let blocking_alarms = alarms(c, "drill.blocking_alarms", d.blocking_alarms);
    let (mut max_5xx_rate, mut max_p99_seconds) = (None, None);
    if let Some(m) = d.metrics {
        max_5xx_rate = number(c, "drill.metrics.max_5xx_rate", m.max_5xx_rate.as_ref());
        if max_5xx_rate.is_some_and(|r| !(0.0..=1.0).contains(&r)) {
            c.fail(
                "drill.metrics.max_5xx_rate",
                "a rate is 0 to 1 (0.01: 1% of the requests)",
            );
        }
        max_p99_seconds = number(
            c,
            "drill.metrics.max_p99_seconds",
            m.max_p99_seconds.as_ref(),
        );
        if max_p99_seconds.is_some_and(|s| s <= 0.0) {
            c.fail(
                "drill.metrics.max_p99_seconds",
                "a latency threshold is above 0 seconds",
            );
        }
    }
    let schedule = d.schedule.map(|s| check_schedule(c, s));
    Drill {
        share,
        hold,
        outcome_alarms,
        blocking_alarms,
        max_5xx_rate,
        max_p99_seconds,
        schedule,
    }
}

fn alarms(c: &mut Checker, path: &str, names: Option<Vec<String>>) -> Vec<String> {
    let names = names.unwrap_or_default();
    for (i, n) in names.iter().enumerate() {
        if n.is_empty() || n.chars().count() > MAX_ALARM_NAME {
            c.fail(
                format!("{path}[{i}]"),
                "an alarm name is 1 to 255 characters",
            );
        }
    }
    names
}

fn number(c: &mut Checker, path: &str, v: Option<&Scalar>) -> Option<f64> {
    match v? {
        Scalar::Int(i) => Some(*i as f64),
        Scalar::Float(f) if f.is_finite() => Some(*f),
        other => {
            let found = c.found(path, other);
            c.fail(path, format!("expected a number, found {found}"));
            None
        }
    }
}

fn check_schedule(c: &mut Checker, s: wire::DrillSchedule) -> DrillSchedule {
    let every = match days(&s.every) {
        Some(d) => d,
        None => c.duration("drill.schedule.every", Some(&s.every), "168h"),
    };
    if !(Duration::from_secs(3600)..=Duration::from_secs(90 * 24 * 3600)).contains(&every) {
        c.fail(
            "drill.schedule.every",
            "a drill schedule is every 1h to 90 days (2160h)",
        );
    }
    let mut allowed_windows = Vec::new();
    for (i, w) in s.allowed_windows.unwrap_or_default().iter().enumerate() {
        match parse_window(w) {
            Ok(w) => allowed_windows.push(w),
            Err(m) => c.fail(format!("drill.schedule.allowed_windows[{i}]"), m),
        }
    }
    let mut blocked_dates = Vec::new();
    for (i, d) in s.blocked_dates.unwrap_or_default().iter().enumerate() {
        match parse_date(d) {
            Ok(d) => blocked_dates.push(d),
            Err(m) => c.fail(format!("drill.schedule.blocked_dates[{i}]"), m),
        }
    }
    DrillSchedule {
        every,
        allowed_windows,
        blocked_dates,
    }
}

/// `7d`: whole days, which `every` takes besides a duration.
fn days(text: &str) -> Option<Duration> {
    let n: u64 = text.trim().strip_suffix('d')?.parse().ok()?;
    Some(Duration::from_secs(n.saturating_mul(86_400)))
}

/// `Tue:10:00-Tue:16:00` (UTC) as minutes since Monday 00:00.
pub fn parse_window(text: &str) -> Result<DrillWindow, String> {
    let bad = || {
        format!(
            "`{text}` is not a window Day:HH:MM-Day:HH:MM (UTC, days Mon..Sun, like Tue:10:00-Tue:16:00)"
        )
    };
    let (a, b) = text.trim().split_once('-').ok_or_else(bad)?;
    let point = |p: &str| -> Option<u32> {
        let mut parts = p.split(':');
        let (d, h, m) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || h.len() != 2 || m.len() != 2 {
            return None;
        }
        let day = DAYS.iter().position(|x| *x == d)? as u32;
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60).then_some(day * 24 * 60 + h * 60 + m)
    };
    let (start, end) = (point(a).ok_or_else(bad)?, point(b).ok_or_else(bad)?);
    if start == end {
        return Err(format!(
            "`{text}`: the window is empty (it starts where it ends)"
        ));
    }
    Ok(DrillWindow { start, end })
}

/// `2026-12-24`, a real date.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let bad = || format!("`{text}` is not a date YYYY-MM-DD");
    let mut parts = text.trim().split('-');
    let (y, m, d) = (
        parts.next().ok_or_else(bad)?,
        parts.next().ok_or_else(bad)?,
        parts.next().ok_or_else(bad)?,
    );
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u32 = m.parse().map_err(|_| bad())?;
    let day: u32 = d.parse().map_err(|_| bad())?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if day == 0 || day > days {
        return Err(format!("`{text}` is not a date: {y}-{m} has {days} days"));
    }
    Ok(Date { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_dates() {
        assert_eq!(
            parse_window("Tue:10:00-Tue:16:00"),
            Ok(DrillWindow {
                start: 24 * 60 + 600,
                end: 24 * 60 + 960
            })
        );
        assert_eq!(
            parse_window("Sun:22:00-Mon:02:00").map(|w| (w.start, w.end)),
            Ok((6 * 24 * 60 + 22 * 60, 120))
        );
        for bad in [
            "Tue:10:00",
            "tue:10:00-Tue:11:00",
            "Tue:24:00-Wed:01:00",
            "Tue:10:0-Tue:11:00",
            "Tue:10:00-Tue:10:00",
        ] {
            assert!(parse_window(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_date("2028-02-29"),
            Ok(Date {
                year: 2028,
                month: 2,
                day: 29
            })
        );
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-12-24",
            "2026-04-31",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }
}
