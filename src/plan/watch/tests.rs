use std::time::Duration;

use super::*;

fn cfg() -> Watch {
    Watch {
        interval: Duration::from_secs(10),
        fail_after: 3,
        unknown_after: 4,
        hold: Duration::from_secs(1800),
        ok_for: Duration::from_secs(900),
        auto_failback: false,
        max_auto_failovers: 1,
        window: Duration::from_secs(6 * 3600),
        listen: None,
        listen_allow_remote: false,
    }
}

fn obs(poll: Poll, live: Live) -> Observation {
    Observation {
        services: vec![Seen {
            service: "web".into(),
            poll,
            live,
        }],
        dr: None,
        replication: None,
    }
}

fn bad() -> Poll {
    Poll::Bad("onprem has 0 healthy targets (at least 1 needed)".into())
}

#[test]
fn fails_over_after_fail_after_bad_polls_in_a_row() {
    let (mut st, c) = (WatchState::default(), cfg());
    for t in 0..2 {
        let d = evaluate(&mut st, &obs(bad(), Live::Normal), &c, t * 10);
        assert_eq!(d.action, None);
    }
    let d = evaluate(&mut st, &obs(bad(), Live::Normal), &c, 20);
    let a = d.action.expect("a failover is due");
    assert_eq!(a.kind, ActionKind::Failover);
    assert_eq!(a.services, vec!["web".to_string()]);
    assert!(
        a.reason
            .starts_with("watch: 3 bad polls in a row (web: bad: onprem has 0")
    );
}

#[test]
fn a_flapping_target_never_triggers() {
    let (mut st, c) = (WatchState::default(), cfg());
    for t in 0..20 {
        let poll = if t % 3 == 2 { Poll::Good } else { bad() };
        let d = evaluate(&mut st, &obs(poll, Live::Normal), &c, t * 10);
        assert_eq!(d.action, None, "poll {t}");
    }
}

#[test]
fn unknown_neither_counts_nor_resets_and_alerts_once() {
    let (mut st, c) = (WatchState::default(), cfg());
    evaluate(&mut st, &obs(bad(), Live::Normal), &c, 0);
    evaluate(&mut st, &obs(bad(), Live::Normal), &c, 10);
    let mut alerts = 0;
    for t in 2..8 {
        let d = evaluate(
            &mut st,
            &obs(Poll::Unknown("throttled".into()), Live::Unknown),
            &c,
            t * 10,
        );
        assert_eq!(d.action, None);
        alerts += d
            .events
            .iter()
            .filter(|e| matches!(e, Event::UnknownAlert { .. }))
            .count();
    }
    assert_eq!(alerts, 1, "one alert per unknown streak");
    assert_eq!(
        st.services["web"].bad, 2,
        "unknown does not reset the bad streak"
    );
    let d = evaluate(&mut st, &obs(bad(), Live::Normal), &c, 80);
    assert!(
        d.action.is_some(),
        "the third bad poll completes the streak"
    );
}

#[test]
fn latches_after_max_auto_failovers_and_waits_for_a_person() {
    let (mut st, mut c) = (WatchState::default(), cfg());
    c.max_auto_failovers = 2;
    st.failed_over(&["web".into()], 0, &c);
    assert_eq!(st.latched, None, "one of two used");
    st.failed_back(&["web".into()]);
    st.failed_over(&["web".into()], 100, &c);
    let latch = st.latched.clone().expect("latched at the budget");
    assert!(
        latch.why.contains("2 automatic failover(s) within 6h"),
        "{}",
        latch.why
    );
    // Back to normal by a person, then bad again: no action, one latched event.
    let mut latched_events = 0;
    for t in 0..6 {
        let d = evaluate(&mut st, &obs(bad(), Live::Normal), &c, 200 + t * 10);
        assert_eq!(d.action, None);
        latched_events += d
            .events
            .iter()
            .filter(|e| matches!(e, Event::Latched { .. }))
            .count();
    }
    assert_eq!(latched_events, 1);
}

#[test]
fn the_window_forgets_old_failovers() {
    let (mut st, c) = (WatchState::default(), cfg());
    st.failovers = vec![0];
    assert_eq!(st.failovers_in_window(6 * 3600 - 1, 6 * 3600), 1);
    st.prune(&["web".into()], 6 * 3600, 6 * 3600);
    assert!(st.failovers.is_empty());
    assert_eq!(st.latched, None);
    let _ = c;
}

#[test]
fn ready_for_failback_after_hold_and_ok_for_notified_once() {
    let (mut st, c) = (WatchState::default(), cfg());
    st.failed_over(&["web".into()], 0, &c);
    let ready = |d: &Decision| {
        d.events
            .iter()
            .filter(|e| matches!(e, Event::ReadyForFailback { .. }))
            .count()
    };
    // Good from t=0: ok_for (15m) passes before hold (30m); nothing before 30m.
    let mut t = 0;
    while t < 1800 {
        let d = evaluate(&mut st, &obs(Poll::Good, Live::FailedOver), &c, t);
        assert_eq!(ready(&d), 0, "t={t}");
        t += 60;
    }
    let d = evaluate(&mut st, &obs(Poll::Good, Live::FailedOver), &c, 1800);
    assert_eq!(ready(&d), 1);
    assert_eq!(d.action, None, "auto_failback is off");
    let d = evaluate(&mut st, &obs(Poll::Good, Live::FailedOver), &c, 1810);
    assert_eq!(ready(&d), 0, "notified once");
}

#[test]
fn a_bad_poll_restarts_ok_for_and_replication_blocks_readiness() {
    let (mut st, mut c) = (WatchState::default(), cfg());
    c.auto_failback = true;
    c.max_auto_failovers = 3;
    st.failed_over(&["web".into()], 0, &c);
    evaluate(&mut st, &obs(Poll::Good, Live::FailedOver), &c, 0);
    evaluate(&mut st, &obs(bad(), Live::FailedOver), &c, 1000);
    let d = evaluate(&mut st, &obs(Poll::Good, Live::FailedOver), &c, 1800);
    assert_eq!(d.action, None, "good only since 1800");
    let mut o = obs(Poll::Good, Live::FailedOver);
    o.replication = Some(Err("CDC latency 120 s > 30 s".into()));
    let d = evaluate(&mut st, &o, &c, 1800 + 900);
    assert_eq!(d.action, None, "the replication gate fails");
    let d = evaluate(&mut st, &obs(Poll::Good, Live::FailedOver), &c, 1800 + 900);
    let a = d.action.expect("auto failback");
    assert_eq!(a.kind, ActionKind::Failback);
}

#[test]
fn a_manual_failover_is_ready_but_never_failed_back_automatically() {
    let (mut st, mut c) = (WatchState::default(), cfg());
    c.auto_failback = true;
    let d = evaluate(&mut st, &obs(Poll::Good, Live::FailedOver), &c, 0);
    assert!(d.events.contains(&Event::SeenFailedOver {
        service: "web".into()
    }));
    let d = evaluate(&mut st, &obs(Poll::Good, Live::FailedOver), &c, 3600);
    assert!(
        d.events
            .iter()
            .any(|e| matches!(e, Event::ReadyForFailback { .. }))
    );
    assert_eq!(d.action, None);
    let d = evaluate(&mut st, &obs(Poll::Good, Live::Normal), &c, 3700);
    assert!(d.events.contains(&Event::SeenBack {
        service: "web".into()
    }));
    assert_eq!(st.services["web"].failed_over_at, None);
}

#[test]
fn only_the_services_whose_streak_reached_fail_over() {
    let (mut st, c) = (WatchState::default(), cfg());
    let two = |a: Poll, b: Poll| Observation {
        services: vec![
            Seen {
                service: "web".into(),
                poll: a,
                live: Live::Normal,
            },
            Seen {
                service: "api".into(),
                poll: b,
                live: Live::Normal,
            },
        ],
        dr: None,
        replication: None,
    };
    evaluate(&mut st, &two(bad(), Poll::Good), &c, 0);
    evaluate(&mut st, &two(bad(), bad()), &c, 10);
    let d = evaluate(&mut st, &two(bad(), bad()), &c, 20);
    assert_eq!(d.action.unwrap().services, vec!["web".to_string()]);
}

#[test]
fn state_round_trips_through_json_and_tolerates_missing_fields() {
    let (mut st, c) = (WatchState::default(), cfg());
    evaluate(&mut st, &obs(bad(), Live::Normal), &c, 0);
    let text = serde_json::to_string(&st).unwrap();
    let back: WatchState = serde_json::from_str(&text).unwrap();
    assert_eq!(back, st);
    let old: WatchState = serde_json::from_str(r#"{"services":{"web":{"bad":2}}}"#).unwrap();
    assert_eq!(old.services["web"].bad, 2);
}
