//! `hybridctl drill` and `watch`'s scheduled drills against the lab: the real binary, real
//! signals, the real SDK. The hold is seconds long; the schedule runs on `HYBRIDCTL_NOW`.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit, StateValue};
use serde_json::{Value, json};

use crate::support::{Account, Seeded, rt, w};

/// Tuesday 2026-12-22 10:30 UTC.
const TUE_1030: u64 = 1_797_935_400;

/// A seeded deployment with a `drill:` section (YAML flow mapping body) appended.
fn seeded(drill: &str) -> Seeded {
    with_drill(Account::new().seed(1), drill)
}

fn with_drill(s: Seeded, drill: &str) -> Seeded {
    let mut text = std::fs::read_to_string(&s.config).unwrap();
    text.push_str(&format!("drill: {{ {drill} }}\n"));
    std::fs::write(&s.config, text).unwrap();
    for name in ["web-5xx-high", "deploy-in-progress"] {
        create_alarm(&s, name);
    }
    s
}

fn create_alarm(s: &Seeded, name: &str) {
    let cw = s.context().cloudwatch();
    rt().block_on(
        cw.put_metric_alarm()
            .alarm_name(name)
            .namespace("AWS/ApplicationELB")
            .metric_name("HTTPCode_Target_5XX_Count")
            .statistic(aws_sdk_cloudwatch::types::Statistic::Sum)
            .period(60)
            .evaluation_periods(1)
            .threshold(10.0)
            .comparison_operator(
                aws_sdk_cloudwatch::types::ComparisonOperator::GreaterThanThreshold,
            )
            .send(),
    )
    .unwrap();
}

fn set_alarm(s: &Seeded, name: &str, state: StateValue) {
    rt().block_on(
        s.context()
            .cloudwatch()
            .set_alarm_state()
            .alarm_name(name)
            .state_value(state)
            .state_reason("set by the test")
            .send(),
    )
    .unwrap();
}

fn drill(s: &Seeded, extra: &[&str]) -> (i32, Value, String) {
    let out = s
        .hybridctl()
        .args(["drill", "--yes", "-o", "json"])
        .args(extra)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        out.status.code().unwrap_or(-1),
        doc,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn spawn(s: &Seeded, extra: &[&str]) -> Child {
    s.hybridctl_std()
        .args(["drill", "--yes", "-o", "json"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: Child) -> (i32, Value, String) {
    let out = child.wait_with_output().unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        doc,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Waits until the web rule holds `want` (the drill's shift landed).
fn wait_for_weights(s: &Seeded, want: &std::collections::BTreeMap<String, u32>) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while &s.weights("web") != want {
        assert!(Instant::now() < deadline, "the rule never held {want:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn drill_records(s: &Seeded) -> Vec<Value> {
    s.journal_records()
        .into_iter()
        .filter(|r| r["kind"] == "drill")
        .collect()
}

#[test]
fn a_drill_shifts_holds_returns_and_passes_and_history_kind_drill_lists_it() {
    let s = seeded("hold: 2s");
    let (code, doc, err) = drill(&s, &[]);
    assert_eq!(code, 0, "{err}\n{doc}");
    assert_eq!(doc["schema"], "hybridctl.drill/v1");
    let d = &doc["drills"][0];
    assert_eq!(d["outcome"], "passed", "{d}");
    assert_eq!(d["before"], json!({"onprem": 40, "aws": 60}));
    assert_eq!(d["during"], json!({"onprem": 0, "aws": 100}));
    assert_eq!(d["after"], json!({"onprem": 40, "aws": 60}));
    assert_eq!(d["returned"], true);
    assert!(d["held_seconds"].as_u64().unwrap() >= 2, "{d}");
    assert_eq!(s.weights("web"), w(40, 60));
    assert_eq!(s.modifies(), 2, "one shift, one return");
    // The shift and the return are ordinary runbook changes, recorded as `drill`.
    let changes: Vec<Value> = s
        .journal_records()
        .into_iter()
        .filter(|r| r["kind"] == "change")
        .collect();
    assert_eq!(changes.len(), 2);
    assert!(
        changes
            .iter()
            .all(|c| c["command"] == "drill" && c["outcome"] == "applied")
    );
    let drills = drill_records(&s);
    assert_eq!(drills.len(), 1);
    assert_eq!(drills[0]["outcome"], "passed");
    assert_eq!(
        drills[0]["run"], changes[0]["run"],
        "joined to the shift's run"
    );
    assert!(s.last_change_tag("web").unwrap().contains(" drill by "));
    let out = s
        .hybridctl()
        .args(["history", "--kind", "drill", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let h: Value = serde_json::from_slice(&out.stdout).unwrap();
    let records = h["records"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{h}");
    assert_eq!(records[0]["kind"], "drill");
    assert_eq!(records[0]["service"], "web");
}

#[test]
fn the_return_goes_to_the_weights_before_the_drill_not_the_files() {
    let s = seeded("hold: 1s, share: 50");
    let (onprem, aws) = (
        s.res("/services/web/target_groups/onprem"),
        s.res("/services/web/target_groups/aws"),
    );
    s.set_forward(&[(onprem.as_str(), 70), (aws.as_str(), 30)], false);
    let (code, doc, err) = drill(&s, &[]);
    assert_eq!(code, 0, "{err}\n{doc}");
    let d = &doc["drills"][0];
    assert_eq!(d["during"], json!({"onprem": 50, "aws": 50}));
    assert_eq!(d["after"], json!({"onprem": 70, "aws": 30}));
    assert_eq!(s.weights("web"), w(70, 30), "not the file's 40/60");
}

#[test]
fn an_outcome_alarm_ends_the_drill_early_failed_and_the_traffic_returns() {
    let s = seeded("hold: 60s, outcome_alarms: [web-5xx-high]");
    let started = Instant::now();
    let child = spawn(&s, &[]);
    wait_for_weights(&s, &w(0, 100));
    set_alarm(&s, "web-5xx-high", StateValue::Alarm);
    let (code, doc, err) = finish(child);
    assert_eq!(code, 1, "{err}\n{doc}");
    assert!(started.elapsed() < Duration::from_secs(40), "ended early");
    let d = &doc["drills"][0];
    assert_eq!(d["outcome"], "failed");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("outcome alarm web-5xx-high went into ALARM"),
        "{d}"
    );
    assert_eq!(s.weights("web"), w(40, 60), "returned");
    assert_eq!(drill_records(&s)[0]["outcome"], "failed");
}

#[test]
fn a_blocking_alarm_keeps_the_drill_from_starting() {
    let s = seeded("hold: 1s, blocking_alarms: [deploy-in-progress]");
    set_alarm(&s, "deploy-in-progress", StateValue::Alarm);
    let (code, doc, err) = drill(&s, &[]);
    assert_eq!(code, 1, "{err}");
    let d = &doc["drills"][0];
    assert_eq!(d["outcome"], "refused");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("blocking alarm deploy-in-progress is in ALARM"),
        "{d}"
    );
    assert_eq!(s.modifies(), 0, "nothing written");
    assert_eq!(drill_records(&s)[0]["outcome"], "refused");
    // --dry-run writes nothing at all, not even the drill's record.
    set_alarm(&s, "deploy-in-progress", StateValue::Ok);
    let before = s.journal_records().len();
    let (code, doc, _) = drill(&s, &["--dry-run"]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["drills"][0]["outcome"], "planned");
    assert_eq!(s.modifies(), 0);
    assert_eq!(s.journal_records().len(), before);
}

#[test]
fn a_real_failure_of_the_from_site_during_the_hold_aborts_without_returning_to_it() {
    let s = seeded("hold: 60s");
    let child = spawn(&s, &[]);
    wait_for_weights(&s, &w(0, 100));
    s.force_health("web", "onprem", &["10.20.0.11", "10.20.0.12"], "unhealthy");
    let (code, doc, err) = finish(child);
    assert_eq!(code, 1, "{err}\n{doc}");
    let d = &doc["drills"][0];
    assert_eq!(d["outcome"], "aborted", "{d}");
    assert_eq!(d["returned"], false);
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("a real failure of onprem"),
        "{d}"
    );
    assert_eq!(
        s.weights("web"),
        w(0, 100),
        "not returned to the failing site"
    );
    assert_eq!(s.modifies(), 1, "the shift only");
}

#[test]
fn sigterm_during_the_hold_returns_the_traffic_first_then_exits_143() {
    let s = seeded("hold: 60s");
    let child = spawn(&s, &[]);
    wait_for_weights(&s, &w(0, 100));
    let pid = child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let (code, doc, err) = finish(child);
    assert_eq!(code, 143, "{err}\n{doc}");
    let d = &doc["drills"][0];
    assert_eq!(d["outcome"], "interrupted");
    assert_eq!(d["returned"], true);
    assert_eq!(s.weights("web"), w(40, 60), "returned before exiting");
}

fn put_metrics(s: &Seeded, name: &str, values: &[f64], unit: StandardUnit) {
    let tg = s.res("/services/web/target_groups/aws");
    let tg = tg.rsplit(':').next().unwrap().to_string();
    let listener = s.res("/services/web/listener_arn");
    let lb: Vec<&str> = listener
        .rsplit(':')
        .next()
        .unwrap()
        .split('/')
        .skip(1)
        .take(3)
        .collect();
    let lb = lb.join("/");
    // One datum a call, as the other tests put them.
    for v in values {
        let datum = MetricDatum::builder()
            .metric_name(name)
            .dimensions(Dimension::builder().name("TargetGroup").value(&tg).build())
            .dimensions(Dimension::builder().name("LoadBalancer").value(&lb).build())
            .value(*v)
            .unit(unit.clone())
            .build();
        let req = s
            .context()
            .cloudwatch()
            .put_metric_data()
            .namespace("AWS/ApplicationELB")
            .metric_data(datum);
        rt().block_on(req.send()).unwrap();
    }
}

#[test]
fn metrics_thresholds_fail_a_drill_with_the_numbers() {
    let s = seeded("hold: 2s, metrics: { max_5xx_rate: 0.01, max_p99_seconds: 1.5 }");
    put_metrics(&s, "RequestCount", &[400.0, 100.0], StandardUnit::Count);
    put_metrics(
        &s,
        "HTTPCode_Target_5XX_Count",
        &[20.0, 1.0],
        StandardUnit::Count,
    );
    let (code, doc, err) = drill(&s, &[]);
    assert_eq!(code, 1, "{err}\n{doc}");
    let d = &doc["drills"][0];
    assert_eq!(d["outcome"], "failed");
    assert!(
        d["message"].as_str().unwrap().contains(
            "the 5xx rate of aws was 0.0420 (21 of 500 requests), above drill.metrics.max_5xx_rate 0.01"
        ),
        "{d}"
    );
    assert_eq!(d["metrics"]["requests"], json!(500.0));
    assert_eq!(s.weights("web"), w(40, 60), "returned");

    // p99 (the lab models CloudWatch's percentiles): 2 slow requests in 100.
    let s = seeded("hold: 2s, metrics: { max_p99_seconds: 1.5 }");
    let mut times = vec![0.1; 98];
    times.extend([3.0, 3.0]);
    put_metrics(&s, "TargetResponseTime", &times, StandardUnit::Seconds);
    let (code, doc, err) = drill(&s, &[]);
    assert_eq!(code, 1, "{err}\n{doc}");
    let m = doc["drills"][0]["message"].as_str().unwrap().to_string();
    assert!(
        m.contains(
            "TargetResponseTime p99 of aws was 3.000s, above drill.metrics.max_p99_seconds 1.5s"
        ),
        "{m}"
    );
}

fn watch_once(s: &Seeded, host: &str, at: u64) -> (i32, Vec<Value>, String) {
    let out = crate::watch::host(s, host)
        .args(["watch", "--once", "-o", "json"])
        .env("HYBRIDCTL_NOW", at.to_string())
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        out.status.code().unwrap_or(-1),
        lines,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn history_drills(s: &Seeded, at: u64) -> Vec<Value> {
    let out = s
        .hybridctl()
        .args([
            "history", "--kind", "drill", "--since", "1000000h", "-o", "json",
        ])
        .env("HYBRIDCTL_NOW", at.to_string())
        .output()
        .unwrap();
    let h: Value = serde_json::from_slice(&out.stdout).unwrap();
    h["records"].as_array().unwrap().clone()
}

#[test]
fn the_schedule_fires_once_per_window_across_two_watch_hosts_and_never_outside_it() {
    let s = Account::new().seed_with(json!({"services": 1, "coordination": "13s"}));
    let s = crate::watch::with_watch(s, "interval: 1s");
    let s = with_drill(
        s,
        "hold: 1s, schedule: { every: 7d, allowed_windows: [\"Tue:10:00-Tue:16:00\"], blocked_dates: [\"2026-12-29\"] }",
    );
    // Monday: outside the window, no drill.
    let (code, lines, err) = watch_once(&s, "a", TUE_1030 - 86_400);
    assert_eq!(code, 0, "{err}");
    assert!(lines[0]["drill"].is_null(), "{}", lines[0]);
    assert_eq!(s.modifies(), 0);
    // Tuesday 10:30: host a drills.
    let (code, lines, err) = watch_once(&s, "a", TUE_1030);
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines[0]["drill"], "web: passed", "{err}");
    assert_eq!(s.weights("web"), w(40, 60));
    // Host b, later in the same window, is the leader now (a released the lease): no drill.
    let (code, lines, err) = watch_once(&s, "b", TUE_1030 + 3600);
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines[0]["role"], "active", "{}", lines[0]);
    assert!(lines[0]["drill"].is_null(), "{}", lines[0]);
    let drills = history_drills(&s, TUE_1030 + 3600);
    assert_eq!(drills.len(), 1, "{drills:?}");
    assert_eq!(drills[0]["actor"], "watch");
    // Next Tuesday is a blocked date; the one after is a new window.
    let (_, lines, _) = watch_once(&s, "b", TUE_1030 + 7 * 86_400);
    assert!(lines[0]["drill"].is_null(), "{}", lines[0]);
    let (_, lines, err) = watch_once(&s, "b", TUE_1030 + 14 * 86_400);
    assert_eq!(lines[0]["drill"], "web: passed", "{err}");
    assert_eq!(history_drills(&s, TUE_1030 + 14 * 86_400).len(), 2);
}

#[test]
fn status_shows_the_last_drill_and_drill_overdue_once_every_has_passed() {
    let s = seeded("hold: 1s, schedule: { every: 1h }");
    let status = |at: u64| -> (i32, Value) {
        let out = s
            .hybridctl()
            .args(["status", "-o", "json"])
            .env("HYBRIDCTL_NOW", at.to_string())
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            serde_json::from_slice(&out.stdout).unwrap(),
        )
    };
    let codes = |v: &Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    let (code, v) = status(TUE_1030);
    assert_eq!(code, 1, "{v}");
    assert!(
        codes(&v).contains(&"drill-overdue".to_string()),
        "never drilled: {v}"
    );
    let out = s
        .hybridctl()
        .args(["drill", "--yes"])
        .env("HYBRIDCTL_NOW", TUE_1030.to_string())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (code, v) = status(TUE_1030 + 600);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["drills"][0]["service"], "web");
    assert_eq!(v["drills"][0]["outcome"], "passed");
    assert!(!codes(&v).contains(&"drill-overdue".to_string()));
    let (code, v) = status(TUE_1030 + 7200);
    assert_eq!(code, 1);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "drill-overdue")
        .unwrap_or_else(|| panic!("{v}"))
        .clone();
    assert_eq!(f["severity"], "warning");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("web: the last passed drill was"),
        "{f}"
    );
}

#[test]
fn a_failing_probe_of_the_receiving_site_fails_the_drill_and_of_the_from_site_aborts_it() {
    // Issue 25: the hold polls hybridctl's own probes too (services.S.probes).
    let base = crate::support::lab().endpoint();
    for (site, outcome, returned) in [("aws", "failed", true), ("onprem", "aborted", false)] {
        let s = seeded("hold: 4s");
        let id = s.account.id.clone();
        let probes = format!(
            "    weights: {{ onprem: 40, aws: 60 }}\n    probes:\n      onprem: {{ url: \"{base}/_probe/onprem-{id}\" }}\n      aws: {{ url: \"{base}/_probe/aws-{id}\" }}\n"
        );
        let text = std::fs::read_to_string(&s.config).unwrap().replacen(
            "    weights: { onprem: 40, aws: 60 }\n",
            &probes,
            1,
        );
        std::fs::write(&s.config, text).unwrap();
        crate::support::lab().ctl(&format!("probe/{site}-{id}"), &json!({"status": 500}));
        let (code, doc, err) = drill(&s, &[]);
        assert_eq!(code, 1, "{site}: {err}\n{doc}");
        let d = &doc["drills"][0];
        assert_eq!(d["outcome"], outcome, "{d}");
        assert_eq!(d["returned"], returned, "{d}");
        assert!(
            d["message"]
                .as_str()
                .unwrap_or_default()
                .contains(&format!("the probe of {site} failed")),
            "{d}"
        );
    }
}
