//! Drill weights, hold verdicts and the schedule's calendar, table-driven.

use std::path::Path;
use std::time::Duration;

use super::*;
use crate::topology::{self, DrillWindow, Topology, parse_date, parse_window};

const BASE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/base.yaml"));

fn topo() -> Topology {
    topology::parse(Path::new("t.yaml"), BASE).unwrap()
}

fn w(pairs: &[(&str, u32)]) -> Weights {
    pairs.iter().map(|(s, v)| (s.to_string(), *v)).collect()
}

/// 2026-12-22 was a Tuesday; 10:30 UTC.
const TUE_1030: i64 = 1_797_935_400;

#[test]
fn civil_dates_and_weekdays() {
    assert_eq!(civil(0).0, parse_date("1970-01-01").unwrap());
    assert_eq!(civil(0).1, 3 * 1440, "a Thursday");
    let (d, m) = civil(TUE_1030);
    assert_eq!(format_date(d), "2026-12-22");
    assert_eq!(m, 1440 + 630);
    assert_eq!(format_date(civil(951_782_400).0), "2000-02-29");
}

#[test]
fn drill_weights_move_the_share_to_failover_to() {
    let t = topo();
    let (svc, f) = (&t.services[0], t.failover.as_ref().unwrap());
    let cases = [
        (
            w(&[("onprem", 40), ("aws", 60)]),
            100,
            Ok(w(&[("onprem", 0), ("aws", 100)])),
        ),
        (
            w(&[("onprem", 40), ("aws", 60)]),
            80,
            Ok(w(&[("onprem", 20), ("aws", 80)])),
        ),
        (
            w(&[("onprem", 70), ("aws", 30)]),
            50,
            Ok(w(&[("onprem", 50), ("aws", 50)])),
        ),
        (
            w(&[("onprem", 4), ("aws", 6)]),
            75,
            Ok(w(&[("onprem", 2), ("aws", 8)])),
        ),
    ];
    for (live, share, want) in cases {
        assert_eq!(
            drill_weights(svc, f, &live, share),
            want,
            "{live:?} {share}"
        );
    }
    let e = drill_weights(svc, f, &w(&[("onprem", 0), ("aws", 100)]), 100).unwrap_err();
    assert!(e.contains("carries no traffic"), "{e}");
    let e = drill_weights(svc, f, &w(&[("onprem", 40), ("aws", 60)]), 50).unwrap_err();
    assert!(e.contains("already takes 60%"), "{e}");
}

#[test]
fn the_hold_is_judged_by_the_side_that_failed() {
    let t = topo();
    let f = t.failover.as_ref().unwrap();
    let cfg = Drill {
        max_5xx_rate: Some(0.01),
        max_p99_seconds: Some(1.5),
        ..Drill::default()
    };
    let ok = HoldPoll {
        failover_alarm: Some(("a".into(), false)),
        outcome_alarms: vec![],
        from_healthy: Some(2),
        to_healthy: Some(2),
        metrics: Some(MetricsReading {
            requests: 1000.0,
            errors_5xx: 5.0,
            p99_seconds: Some(0.4),
        }),
        from_probe: Some((true, "HTTP 200".into())),
        to_probe: Some((true, "HTTP 200".into())),
    };
    assert_eq!(judge(&cfg, f, &ok), Verdict::Hold);
    let unread = HoldPoll::default();
    assert_eq!(
        judge(&cfg, f, &unread),
        Verdict::Hold,
        "unknown counts neither way"
    );
    type Edit = fn(&mut HoldPoll);
    let cases: [(Edit, &str, bool); 8] = [
        (
            |p| p.from_probe = Some((false, "HTTP 500".into())),
            "the probe of onprem failed (HTTP 500): a real failure of onprem",
            true,
        ),
        (
            |p| p.to_probe = Some((false, "no answer within 2s".into())),
            "the probe of aws failed with the drill's traffic (no answer within 2s)",
            false,
        ),
        (
            |p| p.failover_alarm = Some(("a".into(), true)),
            "went into ALARM: a real failure of onprem",
            true,
        ),
        (
            |p| p.from_healthy = Some(0),
            "onprem has 0 healthy target(s)",
            true,
        ),
        (
            |p| p.outcome_alarms = vec!["web-5xx".into()],
            "outcome alarm web-5xx went into ALARM",
            false,
        ),
        (
            |p| p.to_healthy = Some(0),
            "aws has 0 healthy target(s) with the drill's traffic",
            false,
        ),
        (
            |p| p.metrics.as_mut().unwrap().errors_5xx = 42.0,
            "the 5xx rate of aws was 0.0420 (42 of 1000 requests), above drill.metrics.max_5xx_rate 0.01",
            false,
        ),
        (
            |p| p.metrics.as_mut().unwrap().p99_seconds = Some(2.25),
            "TargetResponseTime p99 of aws was 2.250s, above drill.metrics.max_p99_seconds 1.5s",
            false,
        ),
    ];
    for (edit, words, aborted) in cases {
        let mut p = ok.clone();
        edit(&mut p);
        match judge(&cfg, f, &p) {
            Verdict::Aborted(m) if aborted => assert!(m.contains(words), "{m}"),
            Verdict::Failed(m) if !aborted => assert!(m.contains(words), "{m}"),
            v => panic!("{words}: {v:?}"),
        }
    }
    // Both sides failing: the drill does not return to the failing from-site.
    let mut both = ok.clone();
    both.from_healthy = Some(0);
    both.outcome_alarms = vec!["x".into()];
    assert!(matches!(judge(&cfg, f, &both), Verdict::Aborted(_)));
}

fn schedule(windows: &[&str], blocked: &[&str]) -> DrillSchedule {
    DrillSchedule {
        every: Duration::from_secs(7 * 86_400),
        allowed_windows: windows.iter().map(|w| parse_window(w).unwrap()).collect(),
        blocked_dates: blocked.iter().map(|d| parse_date(d).unwrap()).collect(),
    }
}

fn last(time: i64, started: i64, passed: Option<i64>) -> LastDrill {
    LastDrill {
        outcome: if passed.is_some() { "passed" } else { "failed" }.into(),
        time,
        last_passed: passed,
        started: Some(started),
    }
}

#[test]
fn the_schedule_fires_inside_a_window_once_and_never_on_a_blocked_date() {
    let s = schedule(&["Tue:10:00-Tue:16:00"], &["2026-12-29"]);
    assert_eq!(due(&s, TUE_1030, None), Ok(()));
    let e = due(&s, TUE_1030 - 3600, None).unwrap_err();
    assert!(e.contains("Tue 09:30 UTC is outside every"), "{e}");
    assert!(due(&s, TUE_1030 + 6 * 3600, None).is_err(), "16:30");
    // Began at 10:30 and failed: not again in this window, again in next week's.
    let l = last(TUE_1030 + 600, TUE_1030, None);
    let e = due(&s, TUE_1030 + 3600, Some(&l)).unwrap_err();
    assert!(e.contains("already began in this window"), "{e}");
    // Next Tuesday is blocked.
    let e = due(&s, TUE_1030 + 7 * 86_400, Some(&l)).unwrap_err();
    assert!(e.contains("2026-12-29 is a blocked date"), "{e}");
    assert_eq!(due(&s, TUE_1030 + 14 * 86_400, Some(&l)), Ok(()));
    // Passed: not due until `every` has passed.
    let p = last(TUE_1030 + 600, TUE_1030, Some(TUE_1030 + 600));
    assert!(due(&s, TUE_1030 + 14 * 86_400, Some(&p)).is_ok());
    let p = last(
        TUE_1030 + 14 * 86_400,
        TUE_1030 + 14 * 86_400,
        Some(TUE_1030 + 14 * 86_400),
    );
    assert!(due(&s, TUE_1030 + 21 * 86_400 - 60, Some(&p)).is_err());
    // A window across the week's end.
    let s = schedule(&["Sun:22:00-Mon:02:00"], &[]);
    let mon_0100 = TUE_1030 - 86_400 - 630 * 60 + 60 * 60;
    assert_eq!(civil(mon_0100).1, 60);
    assert_eq!(due(&s, mon_0100, None), Ok(()));
    assert_eq!(
        window_start(&s, mon_0100),
        Some(mon_0100 - 3 * 3600),
        "opened Sunday 22:00"
    );
    let _ = DrillWindow { start: 0, end: 1 };
}

#[test]
fn overdue_after_every_without_a_passed_drill() {
    let s = schedule(&[], &[]);
    assert!(
        overdue(&s, TUE_1030, None)
            .unwrap()
            .contains("no drill has passed yet")
    );
    let p = last(TUE_1030, TUE_1030, Some(TUE_1030));
    assert_eq!(overdue(&s, TUE_1030 + 7 * 86_400, Some(&p)), None);
    let m = overdue(&s, TUE_1030 + 8 * 86_400, Some(&p)).unwrap();
    assert!(m.contains("192h ago"), "{m}");
}
