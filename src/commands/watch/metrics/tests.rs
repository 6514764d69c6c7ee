use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::plan::watch::{LastDrill, ServiceState};
use crate::report::{ServicePoll, WATCH_SCHEMA};

const BASE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/base.yaml"));

fn topo() -> Topology {
    crate::topology::parse(Path::new("t.yaml"), BASE).unwrap()
}

fn line(role: &'static str) -> WatchEvaluation {
    WatchEvaluation {
        schema: WATCH_SCHEMA,
        dr_auto: None,
        time: String::new(),
        host: "h".into(),
        role,
        active: None,
        services: Vec::new(),
        events: Vec::new(),
        action: None,
        latched: None,
        overflow: Vec::new(),
        drill: None,
        error: None,
    }
}

fn poll(weights: &[(&str, u32)]) -> ServicePoll {
    ServicePoll {
        probes: Vec::new(),
        service: "web".into(),
        poll: "good",
        why: None,
        healthy: Some(2),
        targets: Some(3),
        weights: Some(weights.iter().map(|(k, v)| (k.to_string(), *v)).collect()),
    }
}

/// The value of the one sample whose name and labels start `prefix`.
fn value(text: &str, prefix: &str) -> Option<f64> {
    let mut found = text
        .lines()
        .filter(|l| !l.starts_with('#') && l.starts_with(prefix))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap());
    let v = found.next();
    assert!(found.next().is_none(), "more than one {prefix}");
    v
}

#[test]
fn a_poll_sets_the_service_series_from_the_file_s_names() {
    let t = topo();
    let m = Metrics::new(&t);
    let mut state = WatchState::default();
    state.services.insert(
        "web".into(),
        ServiceState {
            bad: 2,
            good_since: Some(100),
            ..Default::default()
        },
    );
    let polls = [poll(&[("onprem", 40), ("aws", 60), ("elsewhere", 7)])];
    let view = View {
        polls: &polls,
        state: &state,
        overflow: &[],
        now: 130,
    };
    m.services(&t, &view);
    m.polled(
        &line("active"),
        Duration::from_millis(20),
        Some(1_800_000_123_456),
        Some(1_800_000_000_500),
    );
    let text = m.encode();
    let w = |site: &str| {
        value(
            &text,
            &format!("hybridctl_weight{{service=\"web\",site=\"{site}\"}}"),
        )
    };
    assert_eq!(w("onprem"), Some(40.0));
    assert_eq!(w("aws"), Some(60.0));
    assert_eq!(
        w("elsewhere"),
        None,
        "a site not in the file is not a label"
    );
    assert_eq!(
        value(
            &text,
            "hybridctl_targets_healthy{service=\"web\",site=\"onprem\"}"
        ),
        Some(2.0)
    );
    assert_eq!(
        value(&text, "hybridctl_targets{service=\"web\",site=\"onprem\"}"),
        Some(3.0)
    );
    assert_eq!(
        value(&text, "hybridctl_bad_streak{service=\"web\"}"),
        Some(2.0)
    );
    assert_eq!(
        value(&text, "hybridctl_good_for_seconds{service=\"web\"}"),
        Some(30.0)
    );
    assert_eq!(
        value(&text, "hybridctl_mode{service=\"web\",mode=\"normal\"}"),
        Some(1.0)
    );
    assert_eq!(
        value(&text, "hybridctl_mode{service=\"web\",mode=\"failover\"}"),
        Some(0.0)
    );
    assert_eq!(value(&text, "hybridctl_latched "), Some(0.0));
    assert_eq!(value(&text, "hybridctl_is_leader "), Some(1.0));
    assert_eq!(
        value(&text, "hybridctl_lease_expiry_timestamp_seconds "),
        Some(1_800_000_123.456)
    );
    assert_eq!(
        value(&text, "hybridctl_last_successful_poll_timestamp_seconds "),
        Some(1_800_000_000.5)
    );
    assert_eq!(
        value(&text, "hybridctl_poll_duration_seconds_count "),
        Some(1.0)
    );
    assert_eq!(
        value(
            &text,
            "hybridctl_capacity_short{service=\"web\",site=\"aws\"}"
        ),
        Some(0.0)
    );
    // Prometheus' text format 0.0.4, not OpenMetrics: no EOF marker.
    assert!(!text.contains("# EOF"));
}

#[test]
fn aws_error_codes_and_outcomes_are_bounded() {
    let m = Metrics::new(&topo());
    m.aws_error(crate::aws::Service::Elbv2, "Throttling");
    m.aws_error(crate::aws::Service::Elbv2, "SomethingNew-1234");
    m.aws_error(crate::aws::Service::Elbv2, "SomethingElse");
    let mut l = line("active");
    l.overflow.push(crate::report::OverflowLine {
        service: "web".into(),
        value: Some(0.9),
        reading: "0.9".into(),
        in_overflow: true,
        verdict: crate::plan::overflow::Verdict::Enter,
        outcome: Some("a word nobody planned".into()),
    });
    m.polled(&l, Duration::ZERO, None, None);
    let text = m.encode();
    assert!(
        text.contains("# TYPE hybridctl_aws_errors_total counter"),
        "{text}"
    );
    assert_eq!(
        value(
            &text,
            "hybridctl_aws_errors_total{aws_service=\"elbv2\",code=\"Throttling\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &text,
            "hybridctl_aws_errors_total{aws_service=\"elbv2\",code=\"other\"}"
        ),
        Some(2.0)
    );
    assert_eq!(
        value(
            &text,
            "hybridctl_actions_total{kind=\"overflow\",outcome=\"other\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        value(&text, "hybridctl_lease_expiry_timestamp_seconds "),
        None
    );
    assert_eq!(
        value(&text, "hybridctl_last_successful_poll_timestamp_seconds "),
        None
    );
}

#[test]
fn drill_series_are_absent_until_the_state_has_a_drill() {
    let t = topo();
    let m = Metrics::new(&t);
    let mut state = WatchState::default();
    let view = |state: &WatchState| {
        m.services(
            &t,
            &View {
                polls: &[],
                state,
                overflow: &[],
                now: 0,
            },
        )
    };
    view(&state);
    let text = m.encode();
    assert!(
        !text.lines().any(|l| l.starts_with("hybridctl_drill_")),
        "{text}"
    );
    state.drills = BTreeMap::from([(
        "web".to_string(),
        LastDrill {
            outcome: "failed".into(),
            time: 1_800_000_000,
            last_passed: None,
            started: None,
        },
    )]);
    view(&state);
    let text = m.encode();
    assert_eq!(
        value(
            &text,
            "hybridctl_drill_last_outcome{service=\"web\",outcome=\"failed\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &text,
            "hybridctl_drill_last_timestamp_seconds{service=\"web\"}"
        ),
        Some(1.8e9)
    );
    assert_eq!(
        value(&text, "hybridctl_drill_last_passed_timestamp_seconds"),
        None
    );
    state.drills.get_mut("web").unwrap().outcome = "passed".into();
    state.drills.get_mut("web").unwrap().last_passed = Some(1_800_000_100);
    view(&state);
    let text = m.encode();
    assert_eq!(
        value(
            &text,
            "hybridctl_drill_last_outcome{service=\"web\",outcome=\"failed\"}"
        ),
        None
    );
    assert_eq!(
        value(
            &text,
            "hybridctl_drill_last_outcome{service=\"web\",outcome=\"passed\"}"
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &text,
            "hybridctl_drill_last_passed_timestamp_seconds{service=\"web\"}"
        ),
        Some(1_800_000_100.0)
    );
}

#[test]
fn a_standby_reports_no_service_series() {
    let t = topo();
    let m = Metrics::new(&t);
    let polls = [poll(&[("onprem", 40), ("aws", 60)])];
    let state = WatchState::default();
    m.services(
        &t,
        &View {
            polls: &polls,
            state: &state,
            overflow: &[],
            now: 0,
        },
    );
    m.polled(&line("standby"), Duration::ZERO, None, Some(1000));
    let text = m.encode();
    assert_eq!(value(&text, "hybridctl_weight"), None);
    assert_eq!(value(&text, "hybridctl_latched"), None);
    assert_eq!(value(&text, "hybridctl_is_leader "), Some(0.0));
    assert_eq!(
        value(&text, "hybridctl_last_successful_poll_timestamp_seconds "),
        Some(1.0)
    );
}
