//! Targets, steps, ramps and gates, table-driven.

use std::path::Path;

use super::*;
use crate::topology::{self, Topology};

const BASE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/base.yaml"));

fn topo() -> Topology {
    topology::parse(Path::new("t.yaml"), BASE).unwrap()
}

fn w(pairs: &[(&str, u32)]) -> Weights {
    pairs.iter().map(|(s, v)| (s.to_string(), *v)).collect()
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

#[test]
fn assignments_are_checked_before_any_call() {
    let t = topo();
    let svcs: Vec<&Service> = t.services.iter().collect();
    assert_eq!(
        parse_assignments(&args(&["onprem=20", "aws=80"]), &svcs),
        Ok(vec![("onprem".into(), 20), ("aws".into(), 80)])
    );
    let bad = [
        (vec![], "name at least one SITE=WEIGHT"),
        (vec!["onprem"], "is not SITE=WEIGHT"),
        (vec!["onprem=x"], "whole number"),
        (vec!["onprem=-1"], "whole number"),
        (vec!["onprem=1000"], "out of range 0..999"),
        (vec!["gcp=10"], "has no site `gcp`"),
        (vec!["aws=1", "aws=2"], "named twice"),
    ];
    for (a, msg) in bad {
        let err = parse_assignments(&args(&a), &svcs).unwrap_err();
        assert!(err.contains(msg), "{a:?}: {err}");
    }
}

#[test]
fn targets_per_intent() {
    let t = topo();
    let svc = &t.services[0];
    let f = t.failover.as_ref();
    let live = w(&[("onprem", 40), ("aws", 60)]);
    assert_eq!(
        target(&Intent::Failover, svc, f, &live).unwrap(),
        w(&[("onprem", 0), ("aws", 100)])
    );
    assert_eq!(
        target(
            &Intent::Failback,
            svc,
            f,
            &w(&[("onprem", 0), ("aws", 100)])
        )
        .unwrap(),
        live
    );
    assert_eq!(
        target(&Intent::Shift(vec![("onprem".into(), 20)]), svc, f, &live).unwrap(),
        w(&[("onprem", 20), ("aws", 60)])
    );
    // Weights keep their total; beyond 999 they are scaled down.
    assert_eq!(
        target(
            &Intent::Failover,
            svc,
            f,
            &w(&[("onprem", 600), ("aws", 600)])
        )
        .unwrap(),
        w(&[("onprem", 0), ("aws", 999)])
    );
    // From nothing, failover still sends everything to `to`.
    assert_eq!(
        target(&Intent::Failover, svc, f, &w(&[("onprem", 0), ("aws", 0)])).unwrap(),
        w(&[("onprem", 0), ("aws", 100)])
    );
    let err = target(
        &Intent::Shift(vec![("onprem".into(), 0), ("aws".into(), 0)]),
        svc,
        f,
        &live,
    )
    .unwrap_err();
    assert!(err.contains("every weight would be 0"));
}

#[test]
fn same_split_is_relative() {
    assert!(same_split(
        &w(&[("a", 40), ("b", 60)]),
        &w(&[("a", 400), ("b", 600)])
    ));
    assert!(!same_split(
        &w(&[("a", 40), ("b", 60)]),
        &w(&[("a", 60), ("b", 40)])
    ));
    assert!(!same_split(
        &w(&[("a", 0), ("b", 0)]),
        &w(&[("a", 0), ("b", 0)])
    ));
}

#[test]
fn gradual_steps_move_at_most_n_points() {
    let from = w(&[("onprem", 40), ("aws", 60)]);
    let to = w(&[("onprem", 0), ("aws", 100)]);
    let s = steps(&from, &to, Some(10));
    assert_eq!(
        s,
        vec![
            w(&[("onprem", 30), ("aws", 70)]),
            w(&[("onprem", 20), ("aws", 80)]),
            w(&[("onprem", 10), ("aws", 90)]),
            to.clone()
        ]
    );
    assert_eq!(steps(&from, &to, None), vec![to.clone()]);
    assert_eq!(steps(&from, &to, Some(50)), vec![to.clone()]);
    // Uneven: 40 points in steps of 15 -> 3 steps, none larger than 15.
    let s = steps(&from, &to, Some(15));
    assert_eq!(s.len(), 3);
    let mut prev = 40i64;
    for step in &s {
        let p = i64::from(step["onprem"]) * 100 / i64::from(step.values().sum::<u32>());
        assert!((prev - p).abs() <= 15, "{s:?}");
        prev = p;
    }
    // The last step is exactly the target, even on another scale.
    let to = w(&[("onprem", 0), ("aws", 999)]);
    assert_eq!(steps(&from, &to, Some(25)).last(), Some(&to));
}

#[test]
fn failback_ramp_follows_the_file() {
    let mut t = topo();
    let f = t.failover.as_mut().unwrap();
    f.failback_steps = vec![10, 25, 40];
    let normal = w(&[("onprem", 40), ("aws", 60)]);
    let ramp = failback_ramp(&normal, &w(&[("onprem", 0), ("aws", 100)]), f);
    assert_eq!(
        ramp,
        vec![
            w(&[("onprem", 10), ("aws", 90)]),
            w(&[("onprem", 25), ("aws", 75)]),
            normal.clone()
        ]
    );
    // Already part way back: steps below the current share are skipped.
    let ramp = failback_ramp(&normal, &w(&[("onprem", 20), ("aws", 80)]), f);
    assert_eq!(
        ramp,
        vec![w(&[("onprem", 25), ("aws", 75)]), normal.clone()]
    );
}

#[test]
fn gates() {
    let plan = vec![
        w(&[("onprem", 20), ("aws", 80)]),
        w(&[("onprem", 0), ("aws", 100)]),
    ];
    let healthy: IndexMap<String, u32> = [("onprem".to_string(), 0), ("aws".to_string(), 2)].into();
    let g = health_gates("web", &plan, &healthy, 1);
    assert_eq!(
        g.iter()
            .map(|g| (g.name.as_str(), g.passed))
            .collect::<Vec<_>>(),
        [("health web/onprem", false), ("health web/aws", true)]
    );

    let running = task(Some(TaskStatus::Running));
    assert!(replication_gate(Some(&running), Some(3.0), 30.0).passed);
    assert!(
        !replication_gate(Some(&running), None, 30.0).passed,
        "no datapoint is no evidence"
    );
    assert!(!replication_gate(Some(&running), Some(45.0), 30.0).passed);
    let stopped = replication_gate(Some(&task(Some(TaskStatus::Stopped))), Some(1.0), 30.0);
    assert!(!stopped.passed);
    assert!(
        stopped.message.contains("is stopped"),
        "{}",
        stopped.message
    );
    let no_status = replication_gate(Some(&task(None)), Some(1.0), 30.0);
    assert!(!no_status.passed);
    assert!(
        no_status.message.contains("is unknown"),
        "{}",
        no_status.message
    );
    assert!(!replication_gate(None, None, 30.0).passed);

    assert!(!alarm_gate("a", Some(&alarm(Some(AlarmState::Alarm)))).passed);
    assert!(alarm_gate("a", Some(&alarm(Some(AlarmState::Ok)))).passed);
    let insufficient = alarm_gate("a", Some(&alarm(Some(AlarmState::InsufficientData))));
    assert!(insufficient.passed);
    assert_eq!(insufficient.message, "alarm a is INSUFFICIENT_DATA");
    assert!(alarm_gate("a", Some(&alarm(None))).passed);
    assert!(!alarm_gate("a", None).passed);

    let mut gs = vec![Gate::new("x", false, "m"), Gate::new("y", true, "m")];
    assert!(!decide(&mut gs.clone(), false));
    assert!(decide(&mut gs, true));
    assert!(gs[0].forced && !gs[1].forced);
}

#[test]
fn weights_read_well() {
    assert_eq!(
        format_weights(&w(&[("onprem", 40), ("aws", 60)])),
        "onprem 40 (40%) | aws 60 (60%)"
    );
    assert_eq!(
        format_weights(&w(&[("a", 1), ("b", 2)])),
        "a 1 (33.3%) | b 2 (66.7%)"
    );
}

fn task(status: Option<TaskStatus>) -> Task {
    Task {
        arn: "arn:aws:dms:ap-northeast-2:123456789012:task:T".into(),
        id: "t".into(),
        status,
        stop_reason: None,
        last_failure_message: None,
        migration_type: None,
        source_endpoint_arn: None,
        replication_instance_arn: None,
        recovery_checkpoint: None,
    }
}

fn alarm(state: Option<AlarmState>) -> Alarm {
    Alarm {
        name: "a".into(),
        state,
        reason: None,
        since: None,
        since_epoch: None,
    }
}

fn alarm_since(state: AlarmState, since: i64) -> Alarm {
    Alarm {
        since_epoch: Some(since),
        ..alarm(Some(state))
    }
}

#[test]
fn if_alarm_acts_only_in_alarm() {
    let table = [
        (Some(alarm(Some(AlarmState::Alarm))), None),
        (
            Some(alarm(Some(AlarmState::Ok))),
            Some("no action: alarm a is OK"),
        ),
        (
            Some(alarm(Some(AlarmState::InsufficientData))),
            Some("no action: alarm a is INSUFFICIENT_DATA"),
        ),
        (Some(alarm(None)), Some("no action: alarm a is UNKNOWN")),
        (None, Some("no action: alarm a is missing")),
    ];
    for (a, want) in table {
        assert_eq!(if_alarm("a", a.as_ref()).as_deref(), want, "{a:?}");
    }
}

#[test]
fn if_ok_for_needs_a_quiet_alarm_long_enough_and_strict_gates() {
    let min = std::time::Duration::from_secs(600);
    let now = 10_000;
    let table = [
        (Some(alarm_since(AlarmState::Ok, now - 600)), true, None),
        (Some(alarm_since(AlarmState::Ok, now - 3600)), true, None),
        (
            Some(alarm_since(AlarmState::Ok, now - 599)),
            true,
            Some("no action: the alarm has not been OK for 10m yet (9m59s)"),
        ),
        (
            Some(alarm_since(AlarmState::Alarm, now - 3600)),
            true,
            Some("no action: the alarm has not been OK for 10m yet"),
        ),
        (
            None,
            true,
            Some("no action: the alarm has not been OK for 10m yet"),
        ),
        (
            Some(alarm_since(AlarmState::Ok, now - 3600)),
            false,
            Some("no action: a gate does not pass"),
        ),
    ];
    for (a, strict, want) in table {
        assert_eq!(
            if_ok_for(a.as_ref(), now, min, strict).as_deref(),
            want,
            "{a:?}"
        );
    }
}

#[test]
fn a_failed_gate_refuses_before_the_first_write_then_stops_or_rolls_back() {
    let table = [
        (0, false, AfterGate::Refuse),
        (0, true, AfterGate::Refuse),
        (1, false, AfterGate::Stop),
        (3, true, AfterGate::RollBack),
    ];
    for (step, rollback, want) in table {
        assert_eq!(after_gate_failure(step, rollback), want, "step {step}");
    }
}

#[test]
fn failback_gates_are_judged_on_one_set_of_reads() {
    let steps = vec![
        w(&[("onprem", 10), ("aws", 90)]),
        w(&[("onprem", 40), ("aws", 60)]),
    ];
    let healthy: IndexMap<String, u32> = [("onprem".to_string(), 2), ("aws".to_string(), 0)]
        .into_iter()
        .collect();
    let running = task(Some(TaskStatus::Running));
    let quiet = alarm(Some(AlarmState::Ok));
    let fb = FailbackEvidence {
        replication: Some((Some(&running), Some(5.0))),
        max_cdc_latency_s: 30.0,
        alarm: Some(("a", Some(&quiet))),
    };
    let g = super::gates("web", &steps, &healthy, 1, Some(&fb));
    let verdicts: Vec<(&str, bool)> = g.iter().map(|g| (g.name.as_str(), g.passed)).collect();
    assert_eq!(
        verdicts,
        [
            ("health web/onprem", true),
            ("health web/aws", false),
            ("replication", true),
            ("alarm", true)
        ]
    );
    // The same function with other reads: lag above the limit, alarm firing.
    let firing = alarm(Some(AlarmState::Alarm));
    let fb = FailbackEvidence {
        replication: Some((Some(&running), Some(45.0))),
        alarm: Some(("a", Some(&firing))),
        ..fb
    };
    let g = super::gates("web", &steps[1..], &healthy, 1, Some(&fb));
    let failed: Vec<&str> = g
        .iter()
        .filter(|g| !g.passed)
        .map(|g| g.name.as_str())
        .collect();
    assert_eq!(failed, ["health web/aws", "replication", "alarm"]);
    // Shift and failover: health only.
    assert_eq!(super::gates("web", &steps, &healthy, 1, None).len(), 2);
}

#[test]
fn a_rollback_is_gated_on_the_sites_it_raises() {
    let a = w(&[("onprem", 30), ("aws", 70)]);
    let b = w(&[("onprem", 40), ("aws", 60)]);
    assert_eq!(rising_sites(&a, &b), ["onprem"]);
    assert_eq!(rising_sites(&b, &a), ["aws"]);
    assert!(rising_sites(&a, &w(&[("onprem", 300), ("aws", 700)])).is_empty());
}

#[test]
fn the_last_change_tag_says_which_command_set_the_weights() {
    for (tag, kind) in [
        (
            Some("2025-01-01T00:00:00Z failover by ops@h1: maintenance"),
            LastChange::Failover,
        ),
        (
            Some("2025-01-01T00:00:00Z failover by watch on ops@h1 - lease 3"),
            LastChange::Failover,
        ),
        (
            Some("2025-01-01T00:00:00Z overflow by watch on ops@h1: watch: overflow enter"),
            LastChange::Overflow,
        ),
        (
            Some("2025-01-01T00:00:00Z shift-traffic by ops@h1: overflow enter"),
            LastChange::Other,
        ),
        (
            Some("2025-01-01T00:00:00Z failback by ops@h1"),
            LastChange::Other,
        ),
        (Some("set by hand"), LastChange::Unknown),
        (Some(""), LastChange::Unknown),
        (None, LastChange::Unknown),
    ] {
        assert_eq!(LastChange::of(tag), kind, "{tag:?}");
    }
    assert_eq!(Intent::Overflow(vec![]).command(), "overflow");
}
