//! `watch`'s metrics and health endpoint (`watch.listen`, `--listen`) against the lab: the
//! real binary, a real scrape checked by promtool, Debian's Prometheus scraping it, the lab's
//! per-account call counter proving a scrape calls no AWS API.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::prom::{RealProm, http, promtool};
use crate::support::repo;
use crate::watch::{Running, coordinated, host, seeded};

/// Starts a watcher and returns it with the port it serves on (from its start line).
pub(crate) fn serving(cmd: Command) -> (Running, u16) {
    let mut r = Running::start(cmd);
    let l = r.wait_for("the endpoint's address", 30, |o, l| {
        !o && l.contains("serving http://")
    });
    let port = l
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|x| x.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {l}"));
    (r, port)
}

pub(crate) fn scrape(port: u16) -> String {
    let (status, body) = http(port, "GET", "/metrics", "");
    assert_eq!(status, 200, "{body}");
    body
}

/// The value of the one sample named `series` exactly (name and labels as written).
pub(crate) fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

fn promtool_check_metrics(text: &str) -> (bool, String) {
    use std::io::Write;
    let mut child = Command::new(promtool())
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

#[test]
fn the_scrape_matches_the_poll_passes_promtool_and_prometheus_stores_the_weights() {
    let s = seeded("interval: 1s, listen: \"127.0.0.1:0\"");
    let (mut r, port) = serving(host(&s, "a"));
    let line = r.json("an active poll", 30, |v| v["role"] == "active");
    let text = scrape(port);
    let web = &line["services"][0];
    for site in ["onprem", "aws"] {
        assert_eq!(
            sample(
                &text,
                &format!("hybridctl_weight{{service=\"web\",site=\"{site}\"}}")
            ),
            web["weights"][site].as_f64(),
            "{site}: {line}\n{text}"
        );
    }
    assert_eq!(
        sample(
            &text,
            "hybridctl_targets_healthy{service=\"web\",site=\"onprem\"}"
        ),
        web["healthy"].as_f64(),
        "{line}\n{text}"
    );
    assert_eq!(
        sample(&text, "hybridctl_targets{service=\"web\",site=\"onprem\"}"),
        Some(2.0)
    );
    assert_eq!(
        sample(&text, "hybridctl_bad_streak{service=\"web\"}"),
        web["bad_streak"].as_f64()
    );
    assert_eq!(
        sample(&text, "hybridctl_mode{service=\"web\",mode=\"normal\"}"),
        Some(1.0)
    );
    assert_eq!(sample(&text, "hybridctl_is_leader"), Some(1.0));
    assert_eq!(sample(&text, "hybridctl_latched"), Some(0.0));
    assert!(
        sample(&text, "hybridctl_poll_duration_seconds_count").unwrap() >= 1.0,
        "{text}"
    );
    let polled = sample(&text, "hybridctl_last_successful_poll_timestamp_seconds").unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!((now - polled).abs() < 30.0, "{polled} vs {now}");
    let (ok, said) = promtool_check_metrics(&text);
    assert!(ok && said.trim().is_empty(), "promtool: {said}\n{text}");
    // The real server scrapes it and answers a PromQL query with the watcher's weight.
    let prom = RealProm::start(port);
    prom.wait_for(
        "hybridctl_weight{service=\"web\",site=\"onprem\"}",
        &web["weights"]["onprem"].to_string(),
    );
    prom.wait_for("up", "1");
    r.signal("TERM");
    assert_eq!(r.exit(20), Some(0), "{}", r.log());
}

#[test]
fn twenty_scrapes_between_polls_make_no_aws_call() {
    let s = seeded("interval: 1h, listen: \"127.0.0.1:0\"");
    let (mut r, port) = serving(host(&s, "a"));
    r.json("the first poll", 30, |v| v["role"] == "active");
    let before = s.account.calls();
    assert!(!before.is_empty(), "the poll called AWS");
    for _ in 0..20 {
        assert!(scrape(port).contains("hybridctl_weight{"));
    }
    assert_eq!(http(port, "GET", "/healthz", "").0, 200);
    assert_eq!(http(port, "GET", "/readyz", "").0, 200);
    assert_eq!(s.account.calls(), before, "a scrape called AWS");
}

#[test]
fn healthz_turns_503_within_three_intervals_of_failing_polls_and_back() {
    let s = seeded("interval: 1s, listen: \"127.0.0.1:0\"");
    let (mut r, port) = serving(host(&s, "a"));
    r.json("an active poll", 30, |v| v["role"] == "active");
    let (status, body) = http(port, "GET", "/healthz", "");
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with("ok: the last poll succeeded"), "{body}");
    s.account.ctl(
        "faults",
        json!({"operation": "DescribeRules", "kind": "http500", "count": -1}),
    );
    let failing = Instant::now();
    let body = loop {
        let (status, body) = http(port, "GET", "/healthz", "");
        if status == 503 {
            break body;
        }
        assert_eq!(status, 200, "{body}");
        assert!(
            failing.elapsed() < Duration::from_secs(10),
            "still healthy: {body}\n{}",
            r.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let after = failing.elapsed();
    // 3 x 1 s after the last good poll (which ended before the fault) plus one poll's reads.
    assert!(after <= Duration::from_secs(5), "503 after {after:?}");
    assert!(
        body.starts_with("unhealthy: no successful poll for"),
        "{body}"
    );
    assert!(body.contains("the weights of web unread"), "{body}");
    let text = scrape(port);
    let errors: f64 = text
        .lines()
        .filter(|l| l.starts_with("hybridctl_aws_errors_total{aws_service=\"elbv2\""))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<f64>().unwrap())
        .sum();
    assert!(errors >= 3.0, "{text}");
    // Still the leader and ready: only the reads fail.
    assert_eq!(http(port, "GET", "/readyz", "").0, 200);
    s.account.ctl("faults", json!({"clear": true}));
    let deadline = Instant::now() + Duration::from_secs(10);
    while http(port, "GET", "/healthz", "").0 != 200 {
        assert!(Instant::now() < deadline, "never healthy again");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(http(port, "GET", "/nope", "").0, 404);
    assert_eq!(http(port, "POST", "/metrics", "").0, 405);
}

#[test]
fn readyz_and_is_leader_for_the_active_watcher_and_the_standby() {
    let s = coordinated("interval: 1s, listen: \"127.0.0.1:0\"");
    let (mut a, pa) = serving(host(&s, "a"));
    a.json("host a active", 30, |v| v["role"] == "active");
    let (mut b, pb) = serving(host(&s, "b"));
    b.json("host b standing by", 30, |v| v["role"] == "standby");
    let (status, body) = http(pa, "GET", "/readyz", "");
    assert_eq!(
        (status, body.trim()),
        (200, "ready: active (holds the watcher lease)")
    );
    let (status, body) = http(pb, "GET", "/readyz", "");
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with("ready: standing by: watch by "), "{body}");
    assert_eq!(http(pb, "GET", "/healthz", "").0, 200);
    let (ta, tb) = (scrape(pa), scrape(pb));
    assert_eq!(sample(&ta, "hybridctl_is_leader"), Some(1.0));
    assert_eq!(sample(&tb, "hybridctl_is_leader"), Some(0.0));
    // Both see the one lease's expiry: a's own, b's as last read (a renews every poll).
    let (ea, eb) = (
        sample(&ta, "hybridctl_lease_expiry_timestamp_seconds").unwrap(),
        sample(&tb, "hybridctl_lease_expiry_timestamp_seconds").unwrap(),
    );
    assert!((ea - eb).abs() < 5.0, "{ea} vs {eb}");
    assert!(
        sample(&tb, "hybridctl_weight{service=\"web\",site=\"onprem\"}").is_none(),
        "a standby reads no service: {tb}"
    );
    for r in [&mut a, &mut b] {
        r.signal("TERM");
        assert_eq!(r.exit(20), Some(0), "{}", r.log());
    }
}

#[test]
fn drill_gauges_come_from_the_watch_state_and_are_absent_before_a_drill() {
    let s = seeded("interval: 1h, listen: \"127.0.0.1:0\"");
    let (mut r, port) = serving(host(&s, "a"));
    let start = r.wait_for("the state's place", 30, |o, l| {
        !o && l.contains("state in ")
    });
    r.json("the first poll", 30, |v| v["role"] == "active");
    let text = scrape(port);
    assert!(
        !text.lines().any(|l| l.starts_with("hybridctl_drill_")),
        "{text}"
    );
    r.signal("TERM");
    assert_eq!(r.exit(20), Some(0), "{}", r.log());
    // What issue 25.1's drill records in the state.
    let path = start.rsplit("state in ").next().unwrap().trim();
    let mut state: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    state["drills"] =
        json!({"web": {"outcome": "failed", "time": 1_800_000_000, "last_passed": 1_799_000_000}});
    std::fs::write(path, state.to_string()).unwrap();
    let (mut r, port) = serving(host(&s, "a"));
    r.json("the first poll", 30, |v| v["role"] == "active");
    let text = scrape(port);
    assert_eq!(
        sample(
            &text,
            "hybridctl_drill_last_outcome{service=\"web\",outcome=\"failed\"}"
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            "hybridctl_drill_last_timestamp_seconds{service=\"web\"}"
        ),
        Some(1.8e9)
    );
    assert_eq!(
        sample(
            &text,
            "hybridctl_drill_last_passed_timestamp_seconds{service=\"web\"}"
        ),
        Some(1.799e9)
    );
}

#[test]
fn a_non_loopback_address_needs_listen_allow_remote_in_the_file_and_for_the_flag() {
    let s = seeded("interval: 1s, listen: \"0.0.0.0:9464\"");
    let out = s.hybridctl_std().args(["validate"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let at = format!("error: {}:", s.config.display());
    let l = err
        .lines()
        .find(|l| l.contains("watch.listen"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(l.starts_with(&at), "{l}");
    assert!(
        l.contains("0.0.0.0:9464 is not a loopback address") && l.contains("listen_allow_remote"),
        "{l}"
    );
    // FILE:LINE:COL of the key, on the appended watch line.
    let lines = std::fs::read_to_string(&s.config).unwrap().lines().count();
    assert!(l[at.len()..].starts_with(&format!("{lines}:")), "{l}");
    let out = host(&s, "a").args(["watch"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(s.account.calls().values().sum::<u64>(), 0);

    let s = seeded("interval: 1s");
    let out = host(&s, "a")
        .args(["watch", "--listen", "0.0.0.0:9464"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("error: --listen 0.0.0.0:9464 is not a loopback address"),
        "{err}"
    );
    assert!(
        err.contains("hint: add watch.listen_allow_remote: true"),
        "{err}"
    );
    let out = host(&s, "a")
        .args(["watch", "--listen", "localhost:9464"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("expected IP:PORT"), "{err}");
    assert_eq!(s.account.calls().values().sum::<u64>(), 0);
}

#[test]
fn a_port_in_use_exits_3_and_an_address_not_of_this_host_exits_2_before_any_aws_call() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let s = seeded("interval: 1s");
    let out = host(&s, "a")
        .args(["watch", "--listen", &format!("127.0.0.1:{port}")])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains(&format!(
            "error: cannot listen on 127.0.0.1:{port} for /metrics"
        )) && err.contains("another process holds it"),
        "{err}"
    );
    // 192.0.2.1 (TEST-NET-1) is no address of this host: binding it sends nothing.
    let s = seeded("interval: 1s, listen: \"192.0.2.1:9464\", listen_allow_remote: true");
    let out = host(&s, "a").args(["watch"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot listen on 192.0.2.1:9464"), "{err}");
    assert_eq!(s.account.calls().values().sum::<u64>(), 0);
}

#[test]
fn promtool_accepts_the_shipped_alert_rules() {
    let rules = repo().join("docs/prometheus/alerts.yml");
    let out = Command::new(promtool())
        .args(["check", "rules"])
        .arg(&rules)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("SUCCESS: 5 rules found"), "{said}");
    // The dashboard is JSON and queries only the watcher's own series (and `up`).
    let dash: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("docs/grafana/hybridctl.json")).unwrap(),
    )
    .unwrap();
    let exprs: Vec<&str> = dash["panels"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["targets"].as_array().into_iter().flatten())
        .filter_map(|t| t["expr"].as_str())
        .collect();
    assert!(exprs.len() >= 8, "{exprs:?}");
    assert!(exprs.iter().any(|e| e.contains("hybridctl_weight")));
}
