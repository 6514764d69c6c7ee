//! The overflow decision against an injected clock: readings come in one at a time with the
//! time they were read, as `watch` and cron runs feed them.

use std::path::Path;

use super::*;
use crate::topology;

const BASE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/base.yaml"));
const OVERFLOW: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/overflow.yaml"
));

fn topo(edit: impl Fn(String) -> String) -> Topology {
    topology::parse(Path::new("t.yaml"), &edit(format!("{BASE}{OVERFLOW}"))).unwrap()
}

const MIN: i64 = 60_000;

/// Feeds `(minute, reading)` pairs and returns each verdict; applies what is due.
fn run(
    cfg: &Overflow,
    start: OverflowState,
    feed: &[(i64, Reading)],
) -> (Vec<Verdict>, OverflowState) {
    let mut st = start;
    let mut out = Vec::new();
    for &(minute, r) in feed {
        let d = decide(cfg, &st, r, minute * MIN);
        st = d.state;
        st.applied(d.verdict);
        out.push(d.verdict);
    }
    (out, st)
}

use Reading::{NoData, Unknown, Value};
use Verdict::{Enter, Leave, Stay};

#[test]
fn enters_after_sustained_high_and_leaves_after_sustained_low() {
    let t = topo(|s| s);
    let cfg = t.overflow_of("web").unwrap();
    let (v, st) = run(
        cfg,
        OverflowState::default(),
        &[
            (0, Value(0.85)),
            (1, Value(0.9)),
            (2, Value(0.81)),
            (3, Value(0.8)),
        ],
    );
    assert_eq!(
        v,
        [Stay, Stay, Stay, Enter],
        "0.80 >= above counts, 3m after the first"
    );
    assert!(st.in_overflow);
    let (v, st) = run(
        cfg,
        st,
        &[
            (4, Value(0.7)),
            (5, Value(0.6)),
            (7, Value(0.5)),
            (8, Value(0.64)),
        ],
    );
    assert_eq!(
        v,
        [Stay, Stay, Stay, Leave],
        "0.7 is not < below 0.65; low from minute 5"
    );
    assert!(!st.in_overflow);
}

#[test]
fn between_the_thresholds_nothing_moves_and_streaks_end() {
    let t = topo(|s| s);
    let cfg = t.overflow_of("web").unwrap();
    let (v, st) = run(
        cfg,
        OverflowState::default(),
        &[
            (0, Value(0.9)),
            (2, Value(0.7)),
            (3, Value(0.9)),
            (5, Value(0.9)),
            (6, Value(0.9)),
        ],
    );
    assert_eq!(
        v,
        [Stay, Stay, Stay, Stay, Enter],
        "the streak restarts at minute 3"
    );
    let (v, _) = run(
        cfg,
        st,
        &[(7, Value(0.7)), (20, Value(0.7)), (40, Value(0.79))],
    );
    assert_eq!(
        v,
        [Stay, Stay, Stay],
        "in the band, overflow holds however long"
    );
}

#[test]
fn unknown_counts_neither_way_and_does_not_reset() {
    let t = topo(|s| s);
    let cfg = t.overflow_of("web").unwrap();
    let (v, st) = run(
        cfg,
        OverflowState::default(),
        &[(0, Value(0.9)), (1, Unknown), (2, NoData), (3, Unknown)],
    );
    assert_eq!(v, [Stay, Stay, Stay, Stay], "unknown readings never enter");
    assert_eq!(st.above_since_ms, Some(0), "nor end the streak");
    let (v, _) = run(cfg, st, &[(4, Value(0.95))]);
    assert_eq!(v, [Enter], "the streak from minute 0 still counts");
}

#[test]
fn on_no_data_normal_counts_as_below() {
    let t = topo(|s| s.replace("on_no_data: hold", "on_no_data: normal"));
    let cfg = t.overflow_of("web").unwrap();
    let start = OverflowState {
        in_overflow: true,
        ..Default::default()
    };
    let (v, _) = run(cfg, start.clone(), &[(0, NoData), (3, NoData)]);
    assert_eq!(v, [Stay, Leave]);
    let (v, _) = run(cfg, start, &[(0, Unknown), (3, Unknown), (10, Unknown)]);
    assert_eq!(v, [Stay, Stay, Stay], "an error is never no-data");
}

#[test]
fn zero_for_acts_on_the_first_reading() {
    let t = topo(|s| s.replace("for: 3m", "for: 0s"));
    let cfg = t.overflow_of("web").unwrap();
    let (v, _) = run(
        cfg,
        OverflowState::default(),
        &[(0, Value(0.8)), (1, Value(0.1))],
    );
    assert_eq!(v, [Enter, Leave]);
}

#[test]
fn the_decision_says_value_and_threshold() {
    let t = topo(|s| s);
    let cfg = t.overflow_of("web").unwrap();
    let d = decide(
        cfg,
        &OverflowState {
            above_since_ms: Some(0),
            ..Default::default()
        },
        Value(0.91),
        3 * MIN,
    );
    assert_eq!(d.verdict, Enter);
    assert_eq!(d.why, "0.91 >= above 0.8 for 3m");
}

#[test]
fn state_round_trips_through_json() {
    let st = OverflowState {
        in_overflow: true,
        above_since_ms: None,
        below_since_ms: Some(1_795_443_110_774),
        seen_ms: Some(1_795_443_120_000),
    };
    let text = serde_json::to_string(&st).unwrap();
    assert_eq!(serde_json::from_str::<OverflowState>(&text).unwrap(), st);
    // A record written before `seen_ms` existed still reads.
    let old = r#"{"in_overflow":true,"above_since_ms":null,"below_since_ms":null}"#;
    assert_eq!(
        serde_json::from_str::<OverflowState>(old).unwrap().seen_ms,
        None
    );
}

fn weights(pairs: &[(&str, u32)]) -> Weights {
    pairs.iter().map(|(s, w)| (s.to_string(), *w)).collect()
}

#[test]
fn failover_wins_and_failback_returns_to_the_overflow_split() {
    let t = topo(|s| s);
    let svc = t.service("web").unwrap();
    let cfg = t.overflow_of("web");
    assert!(failover_in_force(
        &t,
        svc,
        &weights(&[("onprem", 0), ("aws", 100)]),
        LastChange::Failover
    ));
    assert!(!failover_in_force(
        &t,
        svc,
        &weights(&[("onprem", 30), ("aws", 70)]),
        LastChange::Failover
    ));
    let cfg = cfg.unwrap();
    let (split, normal) = (
        weights(&[("onprem", 30), ("aws", 70)]),
        weights(&[("onprem", 40), ("aws", 60)]),
    );
    let lands = |reading, remembered| failback_target(svc, cfg, reading, "v", remembered).0;
    // Hot: the overflow split, whatever was remembered.
    assert_eq!(lands(Reading::Value(0.9), false), split);
    // Cool: the file's weights, whatever was remembered.
    assert_eq!(lands(Reading::Value(0.1), true), normal);
    // Between the thresholds, or no reading: what it was before the failover.
    assert_eq!(lands(Reading::Value(0.7), true), split);
    assert_eq!(lands(Reading::Value(0.7), false), normal);
    assert_eq!(lands(Reading::Unknown, true), split);
    assert_eq!(lands(Reading::Unknown, false), normal);
    let (_, why) = failback_target(svc, cfg, Reading::Value(0.9), "0.9", false);
    assert!(why.contains("overflow holds (0.9 >= above 0.8)"), "{why}");
}

#[test]
fn live_weights_name_the_split() {
    let t = topo(|s| s);
    let svc = t.service("web").unwrap();
    let cfg = t.overflow_of("web").unwrap();
    assert_eq!(
        live_split(svc, cfg, &weights(&[("onprem", 300), ("aws", 700)])),
        LiveSplit::Overflow
    );
    assert_eq!(
        live_split(svc, cfg, &weights(&[("onprem", 40), ("aws", 60)])),
        LiveSplit::Normal
    );
    assert_eq!(
        live_split(svc, cfg, &weights(&[("onprem", 0), ("aws", 100)])),
        LiveSplit::Other
    );
    let mut st = OverflowState::default();
    st.observe_live(LiveSplit::Overflow);
    assert!(st.in_overflow);
    st.observe_live(LiveSplit::Other);
    assert!(st.in_overflow);
    st.observe_live(LiveSplit::Normal);
    assert!(!st.in_overflow);
}

/// Issue 22: an overflow split that gives `failover.from` 0 ({onprem: 0, aws: 100}, which
/// `validate` now refuses; set here on the model as an older file had it) looks exactly like a
/// failover. Whether a failover is in force comes from the record of who set the weights,
/// never from the split: the old guard (`from` at 0 unless the live weights are the overflow
/// split) let overflow undo the failover.
#[test]
fn a_failover_in_force_is_known_from_the_record_not_from_the_split() {
    let mut t = topo(|s| s);
    t.overflow[0].weights = vec![("onprem".into(), 0), ("aws".into(), 100)];
    let svc = t.service("web").unwrap().clone();
    let cfg = t.overflow_of("web").unwrap().clone();
    let failed_over = weights(&[("onprem", 0), ("aws", 100)]);
    assert_eq!(live_split(&svc, &cfg, &failed_over), LiveSplit::Overflow);
    for (last, in_force) in [
        (LastChange::Failover, true),
        // A `from` at 0 that no record explains (a change in the console): failover wins.
        (LastChange::Unknown, true),
        (LastChange::Other, true),
        // Overflow set it: overflow may take it back.
        (LastChange::Overflow, false),
    ] {
        assert_eq!(
            failover_in_force(&t, &svc, &failed_over, last),
            in_force,
            "{last:?}"
        );
    }
    // With `from` above 0 no failover is in force, whatever the record says.
    for last in [LastChange::Failover, LastChange::Unknown] {
        assert!(!failover_in_force(
            &t,
            &svc,
            &weights(&[("onprem", 40), ("aws", 60)]),
            last
        ));
    }
    let why = failover_evidence(&t, LastChange::Failover);
    assert!(
        why.contains("last change recorded on the rule is a failover"),
        "{why}"
    );
    let why = failover_evidence(&t, LastChange::Unknown);
    assert!(
        why.contains("onprem is at 0, and no hybridctl record"),
        "{why}"
    );
}
