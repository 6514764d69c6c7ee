//! `hybridctl overflow` and the overflow part of `status`: against Debian's real Prometheus
//! (end to end, through the lab's ALB) and against a controllable query API (the edge cases).

// These structs mirror the JSON schema with deny_unknown_fields; not every field is read.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::json;

use crate::support::prom::{FakeProm, RealProm, vector};
use crate::support::{Account, Seeded, w};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    schema: String,
    services: Vec<Row>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    service: String,
    value: Option<f64>,
    reading: String,
    above: f64,
    below: f64,
    for_seconds: u64,
    in_overflow: bool,
    verdict: String,
    live: Option<BTreeMap<String, u32>>,
    target: Option<BTreeMap<String, u32>>,
    message: String,
}

const QUERY: &str = "avg(onprem_cluster_cpu_utilization)";

/// The seeded topology plus metrics and overflow for `web`; `prometheus` and `overflow` are
/// extra keys for each section.
fn configure(s: &Seeded, address: &str, prometheus: &str, overflow: &str) {
    let mut text = std::fs::read_to_string(&s.config).unwrap();
    text.push_str(&format!(
        "metrics:\n  prometheus:\n    address: {address}\n    headers: {{ X-Scope-OrgID: ops }}\n{prometheus}\
         overflow:\n  web:\n    query: {QUERY}\n    above: 0.80\n    below: 0.65\n    weights: {{ onprem: 30, aws: 70 }}\n{overflow}"
    ));
    std::fs::write(&s.config, text).unwrap();
}

/// Runs `overflow ARGS -o json`; the exit code, the report and stderr.
fn overflow(s: &Seeded, args: &[&str], env: &[(&str, &str)]) -> (i32, Report, String) {
    let mut cmd = s.hybridctl();
    cmd.arg("overflow").args(args).args(["-o", "json"]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    let r: Report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}\nstdout: {stdout}\nstderr: {stderr}"));
    assert_eq!(r.schema, "hybridctl.overflow/v1");
    (out.status.code().unwrap(), r, stderr)
}

/// Evaluates with `--apply --yes` until `verdict` is applied (each run is one cron tick); the
/// runs before it must all be `stay` with nothing moved. Returns how many runs it took.
fn apply_until(s: &Seeded, verdict: &str, before: &BTreeMap<String, u32>) -> usize {
    let deadline = Instant::now() + Duration::from_secs(60);
    for runs in 1.. {
        let (code, r, stderr) = overflow(s, &["--apply", "--yes"], &[]);
        let row = &r.services[0];
        if row.verdict == verdict {
            assert_eq!(code, 0, "the change was applied: {stderr}");
            return runs;
        }
        assert_eq!(
            (code, row.verdict.as_str()),
            (0, "stay"),
            "{row:?}\n{stderr}"
        );
        assert_eq!(
            &s.weights("web"),
            before,
            "nothing moves before `for` has passed"
        );
        assert!(Instant::now() < deadline, "never {verdict}: {row:?}");
    }
    unreachable!()
}

#[test]
fn real_prometheus_overflow_enters_holds_between_and_leaves() {
    let s = Account::new().seed(1);
    let exporter = FakeProm::start();
    exporter.set(json!({"value": 0.9}));
    let prom = RealProm::start(exporter.port);
    configure(&s, &prom.address(), "", "    for: 2s\n");
    prom.wait_for(QUERY, "0.9");

    // Hot: enters only after `for` (2 s) of readings >= above, measured across runs.
    let runs = apply_until(&s, "enter", &w(40, 60));
    assert!(
        runs >= 2,
        "the first reading starts the streak; it cannot enter at once"
    );
    assert_eq!(
        s.weights("web"),
        w(30, 70),
        "the overflow split is live in the ALB rule"
    );

    // Between the thresholds: however long, nothing moves.
    exporter.set(json!({"value": 0.7}));
    prom.wait_for(QUERY, "0.7");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        let (code, r, _) = overflow(&s, &["--apply", "--yes"], &[]);
        assert_eq!((code, r.services[0].verdict.as_str()), (0, "stay"));
        assert!(r.services[0].in_overflow);
        assert_eq!(s.weights("web"), w(30, 70));
    }

    // Cool: back to the file's weights after `for` of readings < below.
    exporter.set(json!({"value": 0.5}));
    prom.wait_for(QUERY, "0.5");
    apply_until(&s, "leave", &w(30, 70));
    assert_eq!(s.weights("web"), w(40, 60));
    let (code, r, _) = overflow(&s, &[], &[]);
    assert_eq!((code, r.services[0].verdict.as_str()), (0, "stay"));
    assert!(!r.services[0].in_overflow);
}

/// One reading against the fake query API with `for: 0s`: the exit code, row and stderr.
fn one(s: &Seeded, fake: &FakeProm, answer: serde_json::Value, status: u16) -> (i32, Row, String) {
    fake.set(json!({"status": status, "body": answer}));
    let (code, mut r, stderr) = overflow(s, &[], &[]);
    (code, r.services.remove(0), stderr)
}

#[test]
fn query_answers_without_a_number_and_errors() {
    let s = Account::new().seed(1);
    let fake = FakeProm::start();
    configure(&s, &fake.address(), "    timeout: 1s\n", "    for: 0s\n");

    // --dry-run records nothing; a plain run records the streaks beside the journal.
    let state = s
        .account
        .dir
        .path()
        .join("state/hybridctl/overflow-state.json");
    fake.answer_value("0.95");
    let (code, _, _) = overflow(&s, &["--dry-run"], &[]);
    assert_eq!(code, 1);
    assert!(!state.exists(), "--dry-run wrote {}", state.display());
    let apply_alone = s
        .hybridctl()
        .args(["overflow", "--apply"])
        .output()
        .unwrap();
    assert_eq!(apply_alone.status.code(), Some(2), "--apply needs --yes");

    let (code, row, _) = one(&s, &fake, vector(&["0.95"]), 200);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert!(saved["web"]["above_since_ms"].is_i64(), "{saved}");
    assert_eq!(saved["web"]["in_overflow"], false);
    assert_eq!(
        (code, row.verdict.as_str(), row.value),
        (1, "enter", Some(0.95)),
        "{row:?}"
    );
    assert_eq!(row.target, Some(w(30, 70)));
    let st = fake.state();
    assert_eq!(st["last_query"], QUERY);
    assert_eq!(st["last_headers"]["x-scope-orgid"], "ops", "{st}");

    for (body, reading) in [
        (vector(&["NaN"]), "no data (NaN)"),
        (vector(&["+Inf"]), "no data (infinite)"),
        (vector(&[]), "no data (empty result)"),
        (
            json!({"status":"success","data":{"resultType":"scalar","result":[1795443110.774,"NaN"]}}),
            "no data (NaN)",
        ),
    ] {
        let (code, row, _) = one(&s, &fake, body, 200);
        assert_eq!(
            (code, row.verdict.as_str(), row.value),
            (0, "stay", None),
            "{row:?}"
        );
        assert_eq!(row.reading, reading);
        assert!(
            row.message.contains("counts neither way"),
            "on_no_data: hold: {row:?}"
        );
    }

    let (code, row, stderr) = one(&s, &fake, vector(&["0.9", "0.2"]), 200);
    assert_eq!((code, row.verdict.as_str()), (3, "stay"));
    assert!(
        row.message
            .contains(&format!("query `{QUERY}`: gives 2 series")),
        "{row:?}"
    );
    assert!(
        row.message.contains(&fake.address()),
        "the address is named: {row:?}"
    );
    assert!(stderr.contains("error: Prometheus at"), "{stderr}");

    let bad = json!({"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected end of input"});
    let (code, row, _) = one(&s, &fake, bad, 400);
    assert_eq!(code, 3);
    assert!(
        row.message
            .contains("HTTP 400 Bad Request: bad_data: 1:5: parse error"),
        "{row:?}"
    );

    // A redirect is not followed (it could take the query and its headers elsewhere, and the
    // answer from there would move traffic): an error that says so.
    fake.set(json!({"status": 302, "body": "", "location": "http://localhost:9/api/v1/query"}));
    let (code, r, stderr) = overflow(&s, &[], &[]);
    assert_eq!((code, r.services[0].value), (3, None), "{stderr}");
    assert!(
        r.services[0].message.contains("HTTP 302 Found"),
        "{:?}",
        r.services[0]
    );
    assert!(stderr.contains("redirects are not followed"), "{stderr}");

    // A huge answer is refused, not held in memory.
    fake.set(json!({"status": 200, "body": vector(&["0.99"]), "location": null, "pad": 5 << 20}));
    let (code, r, _) = overflow(&s, &[], &[]);
    assert_eq!(code, 3);
    assert!(
        r.services[0]
            .message
            .contains("the answer is larger than 4 MiB"),
        "{:?}",
        r.services[0]
    );
    fake.set(json!({"pad": 0}));
    assert_eq!(s.weights("web"), w(40, 60), "an error never moves traffic");
}

#[test]
fn a_hanging_server_times_out_and_a_wrong_token_is_refused_unprinted() {
    let s = Account::new().seed(1);
    let fake = FakeProm::start();
    configure(
        &s,
        &fake.address(),
        "    timeout: 1s\n    bearer_token_env: HYBRIDCTL_PROM_TOKEN\n",
        "    for: 0s\n",
    );
    fake.set(json!({"status": 200, "body": vector(&["0.5"]), "token": "right-t0ken"}));
    let ok = [("HYBRIDCTL_PROM_TOKEN", "right-t0ken")];
    let (code, r, stderr) = overflow(&s, &["-v"], &ok);
    assert_eq!((code, r.services[0].value), (0, Some(0.5)), "{stderr}");
    assert!(
        stderr.contains("prometheus instant query") && stderr.contains("elapsed_ms"),
        "-v logs the query and its duration: {stderr}"
    );
    assert!(stderr.contains(QUERY), "{stderr}");
    assert!(!stderr.contains("right-t0ken"), "the token is never logged");

    let (code, r, stderr) = overflow(&s, &["-v"], &[("HYBRIDCTL_PROM_TOKEN", "wr0ng-s3cret")]);
    assert_eq!(code, 3);
    assert!(
        r.services[0].message.contains("HTTP 401 Unauthorized"),
        "{:?}",
        r.services[0]
    );
    assert!(
        !format!("{r:?}{stderr}").contains("wr0ng-s3cret"),
        "the token is never printed"
    );

    let out = s
        .hybridctl()
        .args(["overflow"])
        .env_remove("HYBRIDCTL_PROM_TOKEN")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a token variable that is not set is a usage error"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("HYBRIDCTL_PROM_TOKEN, which is not set")
    );

    fake.set(json!({"delay": 10}));
    let started = Instant::now();
    let (code, r, _) = overflow(&s, &[], &ok);
    assert_eq!(code, 3);
    assert!(
        r.services[0].message.contains("no answer within 1s"),
        "{:?}",
        r.services[0]
    );
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "the timeout bounds the wait"
    );
}

/// A CA and a server certificate for 127.0.0.1, made with openssl.
fn make_certs(dir: &std::path::Path) {
    let run = |args: &[&str]| {
        let out = std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=hybridctl test CA",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    std::fs::write(dir.join("san.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n").unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "san.ext",
    ]);
}

#[test]
fn tls_with_a_ca_file() {
    let s = Account::new().seed(1);
    let certs = tempfile::tempdir().unwrap();
    make_certs(certs.path());
    let fake = FakeProm::start_tls(
        &certs.path().join("server.pem"),
        &certs.path().join("server.key"),
        &json!({"status": 200, "body": vector(&["0.42"])}),
    );
    let ca = certs.path().join("ca.pem");
    configure(
        &s,
        &fake.address(),
        &format!("    ca_file: {}\n", ca.display()),
        "    for: 0s\n",
    );
    let (code, r, stderr) = overflow(&s, &[], &[]);
    assert_eq!((code, r.services[0].value), (0, Some(0.42)), "{stderr}");

    let s2 = Account::new().seed(1);
    configure(&s2, &fake.address(), "", "    for: 0s\n");
    let (code, r, _) = overflow(&s2, &[], &[]);
    assert_eq!(code, 3, "without the CA the server is not trusted");
    assert!(
        r.services[0].message.contains("certificate"),
        "{:?}",
        r.services[0]
    );
}

#[test]
fn validate_locates_overflow_mistakes() {
    let s = Account::new().seed(1);
    configure(&s, "http://127.0.0.1:9", "", "    for: 2s\n");
    let text = std::fs::read_to_string(&s.config)
        .unwrap()
        .replace("below: 0.65", "below: 0.9");
    std::fs::write(&s.config, &text).unwrap();
    let line = text.lines().position(|l| l.contains("below: 0.9")).unwrap() + 1;
    let out = s.hybridctl().args(["validate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("hybridctl.yaml:{line}:12: overflow.web.below: below (0.9) must be less than above (0.8)")),
        "{stderr}"
    );
}

#[test]
fn overflow_is_refused_while_failed_over() {
    let s = Account::new().seed(1);
    let fake = FakeProm::start();
    configure(&s, &fake.address(), "", "    for: 0s\n");
    fake.answer_value("0.95");
    let (onprem, aws) = (
        s.res("/services/web/target_groups/onprem"),
        s.res("/services/web/target_groups/aws"),
    );
    s.set_forward(&[(&onprem, 0), (&aws, 100)], false);
    s.account.reset_calls();
    let (code, r, _) = overflow(&s, &["--apply", "--yes"], &[]);
    assert_eq!(
        (code, r.services[0].verdict.as_str()),
        (1, "refused"),
        "{:?}",
        r.services[0]
    );
    assert!(r.services[0].message.contains("failover is in force"));
    assert_eq!(s.weights("web"), w(0, 100), "failover wins");
    assert!(
        !s.account
            .calls()
            .contains_key("elasticloadbalancing:ModifyRule")
    );
}

/// Runs a traffic command; its exit code and its output (stderr, then stdout).
fn traffic(s: &Seeded, args: &[&str]) -> (i32, String) {
    let out = s.hybridctl().args(args).output().unwrap();
    (
        out.status.code().unwrap(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        ),
    )
}

#[test]
fn a_failback_while_overflow_holds_returns_to_the_overflow_split() {
    let s = Account::new().seed(1);
    let fake = FakeProm::start();
    configure(&s, &fake.address(), "", "    for: 0s\n");
    fake.answer_value("0.95");
    // Nothing failed over: a failback has nothing to undo, and moves nothing however hot.
    let (code, out) = traffic(&s, &["failback", "--yes", "--force"]);
    assert_eq!((code, s.weights("web")), (0, w(40, 60)), "{out}");
    let (code, r, _) = overflow(&s, &["--apply", "--yes"], &[]);
    assert_eq!((code, r.services[0].verdict.as_str()), (0, "enter"));
    assert_eq!(s.weights("web"), w(30, 70));
    assert_eq!(traffic(&s, &["failover", "--yes"]).0, 0);
    assert_eq!(s.weights("web"), w(0, 100));
    // While failed over, overflow says why nothing moves, and remembers the split.
    let (code, r, _) = overflow(&s, &[], &[]);
    assert_eq!((code, r.services[0].verdict.as_str()), (0, "stay"));
    assert!(r.services[0].in_overflow, "{:?}", r.services[0]);
    assert!(
        r.services[0].message.contains("a failover is in force"),
        "{:?}",
        r.services[0]
    );
    // Still hot: the failback lands on the overflow split, not on the file's 40/60. (--force:
    // the lab's DMS task has no CDC latency datapoint, so the replication gate cannot pass.)
    let (code, stderr) = traffic(&s, &["failback", "--yes", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(s.weights("web"), w(30, 70), "{stderr}");
    assert!(
        stderr.contains("overflow holds (0.95 >= above 0.8)"),
        "{stderr}"
    );
    // Between the thresholds, in overflow before the failover: the split again (hysteresis).
    assert_eq!(traffic(&s, &["failover", "--yes"]).0, 0);
    fake.answer_value("0.7");
    let (code, stderr) = traffic(&s, &["failback", "--yes", "--force"]);
    assert_eq!((code, s.weights("web")), (0, w(30, 70)), "{stderr}");
    assert!(
        stderr.contains("between below 0.65 and above 0.8"),
        "{stderr}"
    );
    // Prometheus unreachable: what it was before the failover, and the error says why.
    assert_eq!(traffic(&s, &["failover", "--yes"]).0, 0);
    fake.set(json!({"status": 500, "body": {"status": "error", "errorType": "internal", "error": "down"}}));
    let (code, stderr) = traffic(&s, &["failback", "--yes", "--force"]);
    assert_eq!((code, s.weights("web")), (0, w(30, 70)), "{stderr}");
    assert!(stderr.contains("no reading (error:"), "{stderr}");
    // Cool: the file's weights.
    assert_eq!(traffic(&s, &["failover", "--yes"]).0, 0);
    fake.answer_value("0.2");
    let (code, stderr) = traffic(&s, &["failback", "--yes", "--force"]);
    assert_eq!((code, s.weights("web")), (0, w(40, 60)), "{stderr}");
    assert!(stderr.contains("overflow does not hold (0.2)"), "{stderr}");
}

#[test]
fn the_newer_record_of_overflow_decides_where_a_failback_lands() {
    let s = Account::new().seed(1);
    let fake = FakeProm::start();
    configure(&s, &fake.address(), "", "    for: 0s\n");
    let mut text = std::fs::read_to_string(&s.config).unwrap();
    text.push_str("watch: { interval: 1s }\n");
    std::fs::write(&s.config, text).unwrap();
    // The overflow command enters (its record: in overflow)...
    fake.answer_value("0.95");
    assert_eq!(overflow(&s, &["--apply", "--yes"], &[]).0, 0);
    assert_eq!(s.weights("web"), w(30, 70));
    // ...then the watcher leaves it (its newer record: not in overflow).
    fake.answer_value("0.2");
    let out = s.hybridctl().args(["watch", "--once"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(s.weights("web"), w(40, 60));
    // Failed over, then failed back between the thresholds: the newer record says the service
    // was not in overflow, so the failback lands on the file's weights.
    assert_eq!(traffic(&s, &["failover", "--yes"]).0, 0);
    fake.answer_value("0.7");
    let (code, out) = traffic(&s, &["failback", "--yes", "--force"]);
    assert_eq!((code, s.weights("web")), (0, w(40, 60)), "{out}");
    assert!(out.contains("overflow does not hold (0.7)"), "{out}");
}

#[test]
fn ctrl_c_does_not_wait_for_a_slow_prometheus_during_a_failback() {
    let s = Account::new().seed(1);
    let fake = FakeProm::start();
    configure(&s, &fake.address(), "    timeout: 30s\n", "    for: 0s\n");
    assert_eq!(traffic(&s, &["failover", "--yes"]).0, 0);
    fake.set(json!({"status": 200, "body": vector(&["0.95"]), "delay": 25}));
    let mut child = s
        .hybridctl_std()
        .args(["failback", "--yes", "--force"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while fake.state()["queries"] == 0 {
        assert!(Instant::now() < deadline, "the failback sent no query");
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = Instant::now();
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let code = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st.code();
        }
        assert!(
            sent.elapsed() < Duration::from_secs(10),
            "still waiting for Prometheus after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code, Some(130));
    assert_eq!(s.weights("web"), w(0, 100), "nothing was written");
}

#[test]
fn overflow_is_refused_when_aws_has_no_healthy_targets() {
    let s = Account::new().seed(1);
    let fake = FakeProm::start();
    configure(&s, &fake.address(), "", "    for: 0s\n");
    fake.answer_value("0.95");
    s.force_health("web", "aws", &["10.0.1.10", "10.0.2.10"], "unhealthy");
    let (code, r, stderr) = overflow(&s, &["--apply", "--yes"], &[]);
    assert_eq!(r.services[0].verdict, "enter");
    assert_eq!(code, 1, "the traffic path's health gate refuses: {stderr}");
    assert!(stderr.contains("healthy"), "{stderr}");
    assert_eq!(
        s.weights("web"),
        w(40, 60),
        "no weight moves to a site with no healthy targets"
    );
    // Not applied: the next run still wants to enter.
    let (code, r, _) = overflow(&s, &[], &[]);
    assert_eq!(
        (
            code,
            r.services[0].verdict.as_str(),
            r.services[0].in_overflow
        ),
        (1, "enter", false)
    );
}

#[test]
fn status_shows_overflow_mode_value_and_thresholds() {
    let s = Account::new().seed(1);
    let fake = FakeProm::start();
    configure(&s, &fake.address(), "", "    for: 3m\n");
    fake.answer_value("0.91");
    let (onprem, aws) = (
        s.res("/services/web/target_groups/onprem"),
        s.res("/services/web/target_groups/aws"),
    );
    s.set_forward(&[(&onprem, 30), (&aws, 70)], false);
    let out = s
        .hybridctl()
        .args(["status", "-o", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let web = &v["services"][0];
    assert_eq!(web["mode"], "overflow", "{web}");
    assert_eq!(web["overflow"]["value"], 0.91);
    assert_eq!(
        (
            web["overflow"]["above"].as_f64(),
            web["overflow"]["below"].as_f64()
        ),
        (Some(0.8), Some(0.65))
    );
    assert_eq!(web["overflow"]["in_overflow"], true);
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "overflow")
    );
    let table = s.hybridctl().args(["status"]).output().unwrap();
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("web overflow: 0.91 (enter >= 0.8, leave < 0.65, for 3m); in overflow"),
        "{text}"
    );
}

/// `overflow.web.weights` of the file replaced by `split`.
fn with_split(s: &Seeded, split: &str) {
    let text = std::fs::read_to_string(&s.config)
        .unwrap()
        .replace("weights: { onprem: 30, aws: 70 }", split);
    std::fs::write(&s.config, text).unwrap();
}

/// Issue 22: a split that gives `failover.from` 0 is a failover's split (while it is live,
/// overflow cannot tell who set it, and leaving it undid a failover); one proportional to the
/// normal weights changes nothing. `validate` refuses both, with FILE:LINE:COL and key path,
/// and so does every command that loads the file.
#[test]
fn validate_refuses_an_overflow_split_a_failover_could_have_made_or_that_changes_nothing() {
    let s = Account::new().seed(1);
    configure(&s, "http://127.0.0.1:9", "", "    for: 0s\n");
    for (split, at, says) in [
        (
            "weights: { onprem: 0, aws: 100 }",
            ("overflow.web.weights.onprem", 24),
            "the overflow split gives failover.from `onprem` 0, as a failover does",
        ),
        (
            "weights: { onprem: 4, aws: 6 }",
            ("overflow.web.weights", 14),
            "the overflow split is the normal weights ({ onprem: 40, aws: 60 }) or proportional to them",
        ),
    ] {
        with_split(&s, split);
        let text = std::fs::read_to_string(&s.config).unwrap();
        let line = text.lines().position(|l| l.contains(split)).unwrap() + 1;
        for args in [&["validate"][..], &["overflow", "--apply", "--yes"][..]] {
            let out = s.hybridctl().args(args).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
            assert!(
                stderr.contains(&format!("hybridctl.yaml:{line}:{}: {}: {says}", at.1, at.0)),
                "{args:?}: {stderr}"
            );
        }
        let back = text.replace(split, "weights: { onprem: 30, aws: 70 }");
        std::fs::write(&s.config, back).unwrap();
    }
    assert_eq!(s.weights("web"), w(40, 60), "nothing changed");
}

/// Issue 22's scenario: in overflow, then a manual failover while on-prem is healthy
/// (maintenance), then the value cools. Neither `overflow --apply` nor `watch` writes the
/// normal weights back, and `status` says failed-over: the failover is known from the
/// record of who set the weights (the rule's last-change tag), which overflow's own changes
/// carry under their own name.
#[test]
fn overflow_and_watch_leave_a_manual_failover_alone_after_the_value_cools() {
    let s = Account::new().seed(1);
    let fake = FakeProm::start();
    configure(&s, &fake.address(), "", "    for: 0s\n");
    let mut text = std::fs::read_to_string(&s.config).unwrap();
    text.push_str("watch: { interval: 1s }\n");
    std::fs::write(&s.config, text).unwrap();
    fake.answer_value("0.95");
    let (code, r, stderr) = overflow(&s, &["--apply", "--yes"], &[]);
    assert_eq!(
        (code, r.services[0].verdict.as_str()),
        (0, "enter"),
        "{stderr}"
    );
    let tag = s.last_change_tag("web").expect("overflow tags its change");
    assert!(
        tag.contains(" overflow by "),
        "recorded as overflow's: {tag}"
    );

    let (code, out) = traffic(&s, &["failover", "--yes", "--reason", "maintenance"]);
    assert_eq!((code, s.weights("web")), (0, w(0, 100)), "{out}");
    fake.answer_value("0.2");
    s.account.reset_calls();
    let (code, r, stderr) = overflow(&s, &["--apply", "--yes"], &[]);
    let row = &r.services[0];
    assert_eq!(
        (code, row.verdict.as_str()),
        (1, "refused"),
        "{row:?}\n{stderr}"
    );
    assert!(
        row.message
            .contains("a failover is in force (the last change recorded on the rule is a failover"),
        "{row:?}"
    );
    assert_eq!(s.weights("web"), w(0, 100), "the failover stays");
    assert_eq!(s.modifies(), 0);

    let out = s
        .hybridctl()
        .args(["watch", "--once", "-o", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        s.weights("web"),
        w(0, 100),
        "the watcher leaves it too: {stdout}"
    );
    assert_eq!(s.modifies(), 0);

    let out = s
        .hybridctl()
        .args(["status", "-o", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["services"][0]["mode"], "failed-over", "{v}");
    assert_eq!(v["services"][0]["overflow"]["in_overflow"], false, "{v}");
}

/// The record decides, not the split: a `from` at 0 that overflow itself set (an older file's
/// split gave on-prem 0, since fixed as `validate` asks) is taken back when the value cools.
/// The split alone would have read as a failover and held it forever.
#[test]
fn overflow_takes_back_a_from_at_zero_split_its_own_record_says_it_set() {
    let s = Account::new().seed(1);
    let fake = FakeProm::start();
    configure(&s, &fake.address(), "", "    for: 0s\n");
    let (onprem, aws) = (
        s.res("/services/web/target_groups/onprem"),
        s.res("/services/web/target_groups/aws"),
    );
    s.set_forward(&[(&onprem, 0), (&aws, 100)], false);
    let rule = s.res("/services/web/rule_arn");
    hybridctl_rt_tag(
        &s,
        &rule,
        "2025-01-01T00:00:00Z overflow by ops@h1: overflow enter",
    );
    let state = s
        .account
        .dir
        .path()
        .join("state/hybridctl/overflow-state.json");
    std::fs::create_dir_all(state.parent().unwrap()).unwrap();
    std::fs::write(
        &state,
        r#"{"web":{"in_overflow":true,"above_since_ms":null,"below_since_ms":null}}"#,
    )
    .unwrap();
    fake.answer_value("0.2");
    let (code, r, stderr) = overflow(&s, &["--apply", "--yes"], &[]);
    assert_eq!(
        (code, r.services[0].verdict.as_str()),
        (0, "leave"),
        "{:?}\n{stderr}",
        r.services[0]
    );
    assert_eq!(s.weights("web"), w(40, 60));

    // The same split with a failover's record (or none, a change by hand) is held.
    for tag in [Some("2025-01-01T00:00:00Z failover by ops@h1"), None] {
        s.set_forward(&[(&onprem, 0), (&aws, 100)], false);
        match tag {
            Some(t) => hybridctl_rt_tag(&s, &rule, t),
            None => hybridctl_rt_tag(&s, &rule, "set by hand"),
        }
        std::fs::write(
            &state,
            r#"{"web":{"in_overflow":true,"above_since_ms":null,"below_since_ms":null}}"#,
        )
        .unwrap();
        let (code, r, _) = overflow(&s, &["--apply", "--yes"], &[]);
        assert_eq!(
            (code, r.services[0].verdict.as_str()),
            (1, "refused"),
            "{tag:?}"
        );
        assert_eq!(s.weights("web"), w(0, 100), "{tag:?}");
    }
}

/// Tags `arn` as another client would.
fn hybridctl_rt_tag(s: &Seeded, arn: &str, value: &str) {
    crate::support::rt()
        .block_on(hybridctl::aws::elbv2::tag(
            &s.context().elbv2(),
            arn,
            hybridctl::aws::elbv2::LAST_CHANGE_TAG,
            value,
        ))
        .unwrap();
}
