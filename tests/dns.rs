//! Services routed by Route 53 weighted records (`services.S.dns`, seed 004's NHN <-> AWS
//! switch) against the lab: shift/failover/failback through the one runbook with the INSYNC
//! wait and the read-back, the health gates (Route 53's 18 % rule and the site's probe), a
//! concurrent Route 53 change, `status`, `watch` on a failing probe, `validate`.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{Account, Seeded, lab, rt};
use crate::watch::Running;

const RECORD: &str = "api.ticket.example.com.";

/// The lab with the ALB service `web` and the dns service `ticket` (onprem: nhn-lb 100,
/// aws: aws-alb 0), with `extra` appended to the file.
fn seeded(extra: &str) -> Seeded {
    let s = Account::new().seed_with(json!({"services": 1, "dns_service": true}));
    if !extra.is_empty() {
        let text = std::fs::read_to_string(&s.config).unwrap();
        std::fs::write(&s.config, format!("{text}{extra}")).unwrap();
    }
    s
}

/// The ticket service with probes for both sites (lab `/_probe/NAME`, unique to the account).
/// Timeouts of seconds: a loaded machine's lab can take over half a second to answer.
fn with_probes(s: &Seeded) {
    let text = std::fs::read_to_string(&s.config).unwrap();
    let base = lab().endpoint();
    let id = &s.account.id;
    let probes = format!(
        "    weights: {{ onprem: 100, aws: 0 }}\n    probes:\n      onprem: {{ url: \"{base}/_probe/nhn-{id}\", timeout: 5s }}\n      aws: {{ url: \"{base}/_probe/aws-{id}\" }}\n"
    );
    let text = text.replacen("    weights: { onprem: 100, aws: 0 }\n", &probes, 1);
    std::fs::write(&s.config, text).unwrap();
}

fn probe(s: &Seeded, site: &str, how: Value) {
    lab().ctl(&format!("probe/{site}-{}", s.account.id), &how);
}

/// The ticket records as Route 53 holds them: SetIdentifier -> the whole record (JSON).
fn records(s: &Seeded) -> BTreeMap<String, Value> {
    let zone = s.res("/zone_id");
    let out = rt()
        .block_on(
            s.context()
                .route53()
                .list_resource_record_sets()
                .hosted_zone_id(zone)
                .start_record_name(RECORD)
                .start_record_type(aws_sdk_route53::types::RrType::A)
                .send(),
        )
        .unwrap();
    out.resource_record_sets()
        .iter()
        .filter(|r| r.name() == RECORD)
        .map(|r| {
            (
                r.set_identifier().unwrap_or_default().to_string(),
                json!({
                    "weight": r.weight(),
                    "ttl": r.ttl(),
                    "health_check": r.health_check_id(),
                    "values": r.resource_records().iter().map(|v| v.value().to_string()).collect::<Vec<_>>(),
                    "alias": r.alias_target().map(|a| a.dns_name().to_string()),
                }),
            )
        })
        .collect()
}

fn weights(s: &Seeded) -> (i64, i64) {
    let r = records(s);
    (
        r["nhn-lb"]["weight"].as_i64().unwrap(),
        r["aws-alb"]["weight"].as_i64().unwrap(),
    )
}

/// The ticket record's health check of a SetIdentifier.
fn health_check(s: &Seeded, id: &str) -> String {
    s.res(&format!("/ticket_health_checks/{id}"))
}

fn run(s: &Seeded, args: &[&str]) -> (Option<i32>, Value, String) {
    let out = s
        .hybridctl_std()
        .args(args)
        .args(["--service", "ticket", "-o", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {stderr}\n{}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code(), v, stderr)
}

fn calls(s: &Seeded, op: &str) -> u64 {
    s.account.calls().get(op).copied().unwrap_or(0)
}

/// Waits (up to 20 s) until the lab has seen `n` calls of `op`.
fn wait_calls(s: &Seeded, op: &str, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while calls(s, op) < n {
        assert!(Instant::now() < deadline, "{:?}", s.account.calls());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn failover_failback_and_shift_of_a_dns_service_wait_for_insync_and_read_back() {
    let s = seeded("");
    let before = records(&s);
    // Route 53 answers PENDING twice before INSYNC: the run waits, then reads back.
    s.account.ctl("r53-pending", json!({"polls": 2}));
    let (code, r, stderr) = run(&s, &["failover", "--yes"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(r["outcome"], "applied", "{r}");
    let m = r["message"].as_str().unwrap();
    assert!(
        m.contains("ticket: Route 53 in sync; resolvers follow within the record's TTL (60 s)"),
        "{m}"
    );
    assert!(stderr.contains("to be INSYNC"), "{stderr}");
    assert_eq!(weights(&s), (0, 100));
    assert!(
        calls(&s, "route53:GetChange") >= 3,
        "{:?}",
        s.account.calls()
    );
    assert_eq!(
        calls(&s, "route53:ChangeResourceRecordSets"),
        1,
        "one batch"
    );
    assert_eq!(
        calls(&s, "elasticloadbalancing:ModifyRule"),
        0,
        "the ALB service is not touched"
    );
    // Only the weights changed: TTL, values and health checks are sent back as read.
    let after = records(&s);
    for id in ["nhn-lb", "aws-alb"] {
        for key in ["ttl", "health_check", "values", "alias"] {
            assert_eq!(before[id][key], after[id][key], "{id} {key}");
        }
    }
    // The journal says what was written to which record set, and what AWS held after.
    let journal = s.journal_records();
    let resource = format!("route53:{}:{RECORD}:A", s.res("/zone_id"));
    let outcome = journal
        .iter()
        .find(|j| j["kind"] == "outcome" && j["resource"] == resource.as_str())
        .unwrap_or_else(|| panic!("{journal:#?}"));
    assert_eq!(outcome["now"], json!({"onprem": 0, "aws": 100}));

    let (code, r, stderr) = run(&s, &["failback", "--yes", "--force"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(r["outcome"], "applied", "{r}");
    assert_eq!(weights(&s), (100, 0));

    let (code, r, stderr) = run(&s, &["shift-traffic", "onprem=128", "aws=127", "--yes"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(r["outcome"], "applied", "{r}");
    assert_eq!(weights(&s), (128, 127));

    // Route 53's range: 0..255.
    let out = s
        .hybridctl()
        .args([
            "shift-traffic",
            "onprem=300",
            "aws=0",
            "--yes",
            "--service",
            "ticket",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("Route 53 weights are 0..255"), "{stderr}");
    assert_eq!(weights(&s), (128, 127));
}

#[test]
fn a_failing_health_check_or_probe_of_the_receiving_site_refuses_the_failover() {
    let s = seeded("");
    with_probes(&s);
    // Route 53: 2 of 15 checkers report success (13 %, not more than 18 %): unhealthy.
    lab().ctl(
        "route53-health",
        &json!({"health_check_id": health_check(&s, "aws-alb"), "failing": 13, "reason": "connection timed out"}),
    );
    let (code, r, _) = run(&s, &["failover", "--yes"]);
    assert_eq!(code, Some(1), "{r}");
    assert_eq!(r["outcome"], "refused");
    let m = r["message"].as_str().unwrap();
    assert!(
        m.contains("aws is unhealthy") && m.contains("2/15 checkers report success"),
        "{m}"
    );
    assert_eq!(calls(&s, "route53:ChangeResourceRecordSets"), 0);
    assert_eq!(weights(&s), (100, 0));

    // 3 of 15 (20 %) is healthy by Route 53's rule; now the probe of aws fails.
    lab().ctl(
        "route53-health",
        &json!({"health_check_id": health_check(&s, "aws-alb"), "failing": 12}),
    );
    probe(&s, "aws", json!({"status": 500}));
    let (code, r, _) = run(&s, &["failover", "--yes"]);
    assert_eq!(code, Some(1), "{r}");
    let m = r["message"].as_str().unwrap();
    assert!(
        m.contains("3/15 checkers report success") && m.contains("HTTP 500"),
        "{m}"
    );
    assert_eq!(weights(&s), (100, 0));

    // Both pass: it goes.
    probe(&s, "aws", json!({"status": 200}));
    let (code, r, _) = run(&s, &["failover", "--yes"]);
    assert_eq!(code, Some(0), "{r}");
    assert_eq!(weights(&s), (0, 100));
}

#[test]
fn a_concurrent_route53_change_is_detected_and_never_overwritten() {
    let s = seeded("");
    // The plan's health reads wait until another client has changed the weights.
    s.account.ctl(
        "faults",
        json!({"operation": "GetHealthCheckStatus", "kind": "hold", "gate": "plan", "count": 2}),
    );
    let other = std::thread::spawn({
        let zone = s.res("/zone_id");
        let ctx = s.context();
        let account = s.account.id.clone();
        let hc = health_check(&s, "nhn-lb");
        move || {
            let deadline = Instant::now() + Duration::from_secs(20);
            while lab().ctl("calls", &json!({"account": account}))["calls"]
                ["route53:GetHealthCheckStatus"]
                .as_u64()
                .unwrap_or(0)
                < 1
            {
                assert!(Instant::now() < deadline, "no health read");
                std::thread::sleep(Duration::from_millis(20));
            }
            use aws_sdk_route53::types::{
                Change, ChangeAction, ChangeBatch, ResourceRecord, ResourceRecordSet, RrType,
            };
            let rec = ResourceRecordSet::builder()
                .name(RECORD)
                .r#type(RrType::A)
                .set_identifier("nhn-lb")
                .weight(70)
                .ttl(60)
                .health_check_id(hc)
                .resource_records(
                    ResourceRecord::builder()
                        .value("203.0.113.40")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap();
            let batch = ChangeBatch::builder()
                .changes(
                    Change::builder()
                        .action(ChangeAction::Upsert)
                        .resource_record_set(rec)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap();
            rt().block_on(
                ctx.route53()
                    .change_resource_record_sets()
                    .hosted_zone_id(zone)
                    .change_batch(batch)
                    .send(),
            )
            .unwrap();
            lab().ctl("release", &json!({"account": account, "gate": "plan"}));
        }
    });
    let (code, r, stderr) = run(&s, &["failover", "--yes"]);
    other.join().unwrap();
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(r["outcome"], "concurrent-change", "{r}");
    let m = r["message"].as_str().unwrap();
    assert!(
        m.contains("changed concurrently") && m.contains("AWS holds onprem 70"),
        "{m}"
    );
    assert_eq!(weights(&s), (70, 0), "the other client's change stands");
    assert_eq!(
        calls(&s, "route53:ChangeResourceRecordSets"),
        1,
        "only theirs"
    );
}

#[test]
fn status_shows_a_dns_services_weights_and_each_sites_route53_and_probe_verdict() {
    let s = seeded("");
    with_probes(&s);
    lab().ctl(
        "route53-health",
        &json!({"health_check_id": health_check(&s, "aws-alb"), "healthy": false}),
    );
    let out = s
        .hybridctl()
        .args(["status", "-o", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let ticket = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "ticket")
        .unwrap_or_else(|| panic!("{v:#}"));
    assert_eq!(
        ticket["weights"],
        json!({"onprem": 100, "aws": 0}),
        "{ticket:#}"
    );
    assert_eq!(ticket["mode"], "normal", "{ticket:#}");
    assert_eq!(ticket["health"]["onprem"]["healthy"], 1, "{ticket:#}");
    assert_eq!(ticket["health"]["aws"]["unhealthy"], 1, "{ticket:#}");
    let issue = ticket["unhealthy_targets"][0]["reason"].as_str().unwrap();
    assert!(
        issue.contains("0/15 checkers report success") && issue.contains("probe"),
        "{issue}"
    );
    let probes = v["probes"].as_array().unwrap();
    assert!(
        probes
            .iter()
            .any(|p| p["service"] == "ticket" && p["site"] == "onprem"),
        "{probes:?}"
    );
}

#[test]
fn watch_fails_over_a_dns_service_on_a_failing_probe_within_fail_after_x_interval_plus_2s() {
    let s = seeded("watch: { interval: 1s, fail_after: 2 }\n");
    with_probes(&s);
    let mut w = Running::start(s.hybridctl_std());
    let ticket = |v: &Value| {
        v["services"]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["service"] == "ticket").cloned())
            .unwrap_or(Value::Null)
    };
    w.json("a good poll of ticket", 30, |v| ticket(v)["poll"] == "good");
    probe(&s, "nhn", json!({"status": 503}));
    let failing = Instant::now();
    let line = w.json("the failover", 30, |v| {
        v["action"]["kind"] == "failover" && v["action"]["services"] == json!(["ticket"])
    });
    let took = failing.elapsed();
    assert_eq!(line["action"]["outcome"], "applied", "{line}\n{}", w.log());
    assert!(
        took <= Duration::from_secs(4),
        "took {took:?}:\n{}",
        w.log()
    );
    let reason = line["action"]["reason"].as_str().unwrap();
    assert!(
        reason.contains("the probe of onprem fails: HTTP 503"),
        "{reason}"
    );
    assert_eq!(weights(&s), (0, 100));
    assert_eq!(
        s.weights("web"),
        crate::support::w(40, 60),
        "the ALB service is healthy and untouched"
    );
    w.signal("TERM");
    assert_eq!(w.exit(20), Some(0));
}

#[test]
fn validate_locates_dns_service_mistakes_and_normalises_the_record() {
    let s = seeded("");
    let good = std::fs::read_to_string(&s.config).unwrap();
    let check = |from: &str, to: &str, want: &str, key: &str| {
        let text = good.replacen(from, to, 1);
        assert_ne!(text, good, "{from}");
        std::fs::write(&s.config, &text).unwrap();
        let out = s.hybridctl().args(["validate"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{to}: {stderr}");
        assert!(
            stderr.contains(want) && stderr.contains(key),
            "{to}: {stderr}"
        );
        assert!(stderr.contains("hybridctl.yaml:"), "located: {stderr}");
    };
    check(
        "weights: { onprem: 100, aws: 0 }",
        "weights: { onprem: 256, aws: 0 }",
        "out of range",
        "services.ticket.weights.onprem",
    );
    check(
        "set_ids: { onprem: nhn-lb, aws: aws-alb }",
        "set_ids: { onprem: nhn-lb }",
        "1 sites: a dns service splits between 2 and 5",
        "services.ticket.dns.set_ids",
    );
    check(
        "set_ids: { onprem: nhn-lb, aws: aws-alb }",
        "set_ids: { onprem: nhn-lb, aws: nhn-lb }",
        "already another site's",
        "services.ticket.dns.set_ids.aws",
    );
    check(
        "type: A,",
        "type: MX,",
        "use A, AAAA or CNAME",
        "services.ticket.dns.type",
    );
    check(
        "  ticket:\n",
        &format!(
            "  ticket:\n    listener_arn: {}\n",
            s.res("/services/web/listener_arn")
        ),
        "`dns` replaces listener_arn",
        "services.ticket.listener_arn",
    );
    // The record without its trailing dot is valid, and read as the same name.
    std::fs::write(&s.config, &good).unwrap();
    assert!(good.contains("record: api.ticket.example.com,"));
    let out = s.hybridctl().args(["validate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let (code, r, stderr) = run(&s, &["failover", "--yes", "--dry-run"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(r["outcome"], "planned", "{r}");
}

#[test]
fn every_call_on_a_dns_service_is_allowed_by_its_commands_policy_scoped_to_the_record() {
    let s = seeded("watch: { interval: 1s }\n");
    with_probes(&s);
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("status", vec!["status"]),
        ("failover", vec!["failover", "--service", "ticket", "--yes"]),
        (
            "failback",
            vec!["failback", "--service", "ticket", "--yes", "--force"],
        ),
        (
            "shift-traffic",
            vec![
                "shift-traffic",
                "onprem=50",
                "aws=50",
                "--service",
                "ticket",
                "--yes",
            ],
        ),
        ("watch", vec!["watch", "--once"]),
    ];
    for (command, args) in runs {
        s.account.reset_calls();
        let out = s.hybridctl().args(&args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let calls = s.account.calls();
        assert!(
            calls.keys().any(|c| c.starts_with("route53:")),
            "{command}: {calls:?}"
        );
        let allowed = crate::iam::allowed(&s, command);
        for call in calls.keys() {
            let action = crate::iam::iam_action(call);
            assert!(
                allowed.contains(&action),
                "{command} called {call}, which `iam-policy {command}` does not allow: {allowed:?}"
            );
        }
    }
    // The write is scoped to the zone, UPSERT of the service's record name and type only.
    let out = s
        .hybridctl()
        .args(["iam-policy", "failover"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let upsert = doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|st| st["Sid"] == "UpsertServiceRecordWeights")
        .unwrap_or_else(|| panic!("{doc:#}"));
    assert_eq!(
        upsert["Action"],
        json!(["route53:ChangeResourceRecordSets"])
    );
    assert_eq!(
        upsert["Resource"],
        json!([format!(
            "arn:aws:route53:::hostedzone/{}",
            s.res("/zone_id")
        )])
    );
    let cond = &upsert["Condition"]["ForAllValues:StringEquals"];
    assert_eq!(
        cond["route53:ChangeResourceRecordSetsNormalizedRecordNames"],
        json!(["api.ticket.example.com"])
    );
    assert_eq!(
        cond["route53:ChangeResourceRecordSetsActions"],
        json!(["UPSERT"])
    );
}

#[test]
fn sigterm_while_route53_is_pending_stops_waiting_and_says_what_route53_holds() {
    let s = seeded("");
    // Never INSYNC: without the signal the run would wait 5 minutes.
    s.account.ctl("r53-pending", json!({"polls": -1}));
    let child = s
        .hybridctl_std()
        .args(["failover", "--service", "ticket", "--yes", "-o", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_calls(&s, "route53:GetChange", 2);
    let sent = Instant::now();
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        sent.elapsed() < Duration::from_secs(5),
        "{:?}",
        sent.elapsed()
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{stderr}");
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["outcome"], "applied", "{r}");
    assert_eq!(r["interrupted_by"], "SIGTERM", "{r}");
    let m = r["message"].as_str().unwrap();
    assert!(
        m.contains("was not confirmed INSYNC when the run stopped waiting"),
        "{m}"
    );
    assert_eq!(weights(&s), (0, 100));
    // The journal says Route 53 holds the new weights (read back, not assumed).
    let journal = s.journal_records();
    let outcome = journal
        .iter()
        .find(|j| j["kind"] == "outcome")
        .unwrap_or_else(|| panic!("{journal:#?}"));
    assert_eq!(
        outcome["now"],
        json!({"onprem": 0, "aws": 100}),
        "{outcome}"
    );
    s.account.ctl("r53-pending", json!({"polls": 0}));
}

#[test]
fn the_lambda_fails_a_dns_service_over_on_the_alarm_with_its_policy() {
    use crate::lambda::{ALARM, Function, eventbridge, set_alarm};
    let s =
        Account::new().seed_with(json!({"services": 1, "dns_service": true, "coordination": "2m"}));
    set_alarm(&s, "ALARM");
    s.account.reset_calls();
    let f = Function::open(&s).start();
    let r = f.response(eventbridge(ALARM, "ALARM"));
    assert_eq!(r["outcome"], "applied", "{r}\n{}", f.log());
    assert_eq!(weights(&s), (0, 100), "{r}");
    assert_eq!(s.weights("web"), crate::support::w(0, 100), "{r}");
    let m = r["message"].as_str().unwrap();
    assert!(m.contains("ticket: Route 53 in sync"), "{m}");
    let allowed = crate::iam::allowed(&s, "lambda");
    for call in s.account.calls().keys() {
        assert!(
            allowed.contains(&crate::iam::iam_action(call)),
            "the lambda called {call}, which `iam-policy lambda` does not allow: {allowed:?}"
        );
    }
}

#[test]
fn overflow_moves_a_dns_services_excess_to_aws_and_back() {
    use crate::support::prom::FakeProm;
    let prom = FakeProm::start();
    prom.answer_value("0.95");
    let s = seeded("");
    let mut text = std::fs::read_to_string(&s.config).unwrap();
    text.push_str(&format!(
        "metrics:\n  prometheus: {{ address: {} }}\noverflow:\n  ticket: {{ query: up, above: 0.8, below: 0.6, for: 0s, weights: {{ onprem: 70, aws: 30 }} }}\n",
        prom.address()
    ));
    std::fs::write(&s.config, text).unwrap();
    let apply = || {
        let out = s
            .hybridctl()
            .args(["overflow", "--apply", "--yes", "-o", "json"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["services"][0].clone()
    };
    let row = apply();
    assert_eq!(row["verdict"], "enter", "{row}");
    assert_eq!(weights(&s), (70, 30));
    prom.answer_value("0.4");
    let row = apply();
    assert_eq!(row["verdict"], "leave", "{row}");
    assert_eq!(weights(&s), (100, 0));
}

/// `init --zone-id ZONE --record NAME` against the lab's zone.
fn init(s: &Seeded, record: &str) -> assert_cmd::Command {
    let mut cmd = s.account.hybridctl();
    cmd.args([
        "--endpoint-url",
        &lab().endpoint(),
        "--region",
        "ap-northeast-2",
    ])
    .args(["init", "--zone-id", &s.res("/zone_id"), "--record", record]);
    cmd
}

#[test]
fn init_drafts_a_dns_service_from_the_weighted_records_and_it_validates() {
    let s = seeded("");
    let zone = s.res("/zone_id");
    let out_file = s.account.dir.path().join("draft.yaml");
    let out = init(&s, "api.ticket.example.com")
        .args(["-o", "json", "--out"])
        .arg(&out_file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["zone_id"], zone.as_str(), "{r}");
    assert_eq!(r["listener_arn"], Value::Null, "{r}");
    let text = std::fs::read_to_string(&out_file).unwrap();
    // NHN's address is not AWS; the alias to the ALB is.
    assert!(text.contains("onprem: \"nhn-lb\""), "{text}");
    assert!(text.contains("aws: \"aws-alb\""), "{text}");
    assert!(
        text.contains("failover:\n  from: onprem\n  to: aws"),
        "{text}"
    );
    let v = s
        .account
        .hybridctl()
        .arg("-c")
        .arg(&out_file)
        .args(["status", "-o", "json"])
        .output()
        .unwrap();
    let st: Value = serde_json::from_slice(&v.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&v.stderr)));
    assert_eq!(
        st["services"][0]["weights"],
        json!({"onprem": 100, "aws": 0}),
        "{st:#}"
    );
    // A name without weighted records: refused, nothing written.
    let out = init(&s, "nothing.ticket.example.com").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("has no weighted records"), "{stderr}");
    // --zone-id and --listener-arn are one or the other.
    let out = s
        .account
        .hybridctl()
        .args([
            "init",
            "--zone-id",
            &zone,
            "--record",
            "x",
            "--listener-arn",
        ])
        .arg(s.res("/services/web/listener_arn"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn status_is_critical_when_the_site_carrying_a_dns_services_weight_fails_its_checks() {
    let s = seeded("");
    // min_healthy_targets 2 is about target groups: it says nothing of a dns site's one check.
    let text = std::fs::read_to_string(&s.config)
        .unwrap()
        .replace("min_healthy_targets: 1", "min_healthy_targets: 2");
    std::fs::write(&s.config, text).unwrap();
    let status = |s: &Seeded| {
        let out = s
            .hybridctl()
            .args(["status", "--service", "ticket", "-o", "json"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), v)
    };
    let (code, v) = status(&s);
    assert_eq!(code, Some(0), "{v:#}");
    lab().ctl(
        "route53-health",
        &json!({"health_check_id": health_check(&s, "nhn-lb"), "healthy": false}),
    );
    let (code, v) = status(&s);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "no-healthy-target")
        .unwrap_or_else(|| panic!("{v:#}"));
    let m = f["message"].as_str().unwrap();
    assert!(
        m.contains("ticket: site onprem gets 100% of the weight but fails its checks"),
        "{m}"
    );
    assert!(m.contains("0/15 checkers report success"), "{m}");
    assert_eq!(code, Some(1), "{v:#}");
}

#[test]
fn two_hosts_failing_over_one_dns_service_the_lease_on_the_record_set_lets_one_write() {
    use crate::coordination::host;
    let s =
        Account::new().seed_with(json!({"services": 1, "dns_service": true, "coordination": "2m"}));
    // Host a holds the lease while its plan's health reads wait; host b asks meanwhile.
    s.account.ctl(
        "faults",
        json!({"operation": "GetHealthCheckStatus", "kind": "hold", "gate": "a", "count": 2}),
    );
    let spawn = |name: &str| {
        host(&s, name)
            .args(["failover", "--service", "ticket", "--yes", "-o", "json"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn("a");
    wait_calls(&s, "route53:GetHealthCheckStatus", 1);
    let b = spawn("b").wait_with_output().unwrap();
    s.account.ctl("release", json!({"gate": "a"}));
    let a = a.wait_with_output().unwrap();
    assert_eq!(
        a.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
    assert_eq!(
        b.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&b.stderr)
    );
    let r: Value = serde_json::from_slice(&b.stdout).unwrap();
    assert_eq!(r["outcome"], "refused", "{r}");
    let m = r["message"].as_str().unwrap();
    assert!(
        m.contains(&format!("route53:{}:{RECORD}:A", s.res("/zone_id")))
            && m.contains("is leased by failover by "),
        "{m}"
    );
    // When it can be taken if its holder dies: the expiry plus the clock margin (review 8).
    let at = |after: &str| {
        let t = m.split(after).nth(1).unwrap_or_else(|| panic!("{m}"));
        let end = t.find('Z').unwrap_or_else(|| panic!("{m}"));
        crate::support::epoch_of(&t[..=end])
    };
    let (expires, from) = (at("expires "), at("can be taken from "));
    assert!((from - expires - 10.0).abs() < 0.01, "{m}");
    assert_eq!(weights(&s), (0, 100));
    assert_eq!(
        calls(&s, "route53:ChangeResourceRecordSets"),
        1,
        "only the winner wrote"
    );
}

// The hostile review of the dns services (each failed on the code before its fix).

#[test]
fn review_1_a_lost_route53_write_is_sent_once_never_retried_behind_the_runbooks_back() {
    let s = seeded("");
    s.account.ctl(
        "faults",
        json!({"operation": "ChangeResourceRecordSets", "kind": "drop", "count": 1}),
    );
    let (code, r, stderr) = run(&s, &["failover", "--yes"]);
    assert_eq!(code, Some(3), "{stderr}");
    assert_eq!(r["outcome"], "failed", "{r}");
    assert_eq!(
        calls(&s, "route53:ChangeResourceRecordSets"),
        1,
        "one attempt: a retried batch could land after a later step's"
    );
    // What Route 53 holds is read and said.
    assert_eq!(weights(&s), (100, 0));
    assert_eq!(
        r["services"][0]["now"],
        json!({"onprem": 100, "aws": 0}),
        "{r}"
    );
}

#[test]
fn review_2_one_record_set_is_one_lease_however_the_file_spells_it() {
    let s = seeded("");
    let zone = s.res("/zone_id");
    let text = std::fs::read_to_string(&s.config)
        .unwrap()
        .replace(
            &format!("zone_id: {zone},"),
            &format!("zone_id: /hostedzone/{zone},"),
        )
        .replace(
            "record: api.ticket.example.com,",
            "record: API.Ticket.example.com.,",
        );
    std::fs::write(&s.config, text).unwrap();
    let (code, r, stderr) = run(&s, &["failover", "--yes"]);
    assert_eq!(code, Some(0), "{stderr}\n{r}");
    let resource = format!("route53:{zone}:{RECORD}:A");
    assert!(
        s.journal_records()
            .iter()
            .any(|j| j["resource"] == resource.as_str()),
        "{:#?}",
        s.journal_records()
    );
    let out = s
        .hybridctl()
        .args(["iam-policy", "failover"])
        .output()
        .unwrap();
    let doc = String::from_utf8_lossy(&out.stdout);
    assert!(
        doc.contains(&format!("\"arn:aws:route53:::hostedzone/{zone}\"")),
        "{doc}"
    );
    assert!(!doc.contains("hostedzone//hostedzone"), "{doc}");
}

#[test]
fn review_3_a_signal_before_the_insync_wait_asks_route53_rather_than_assuming_pending() {
    let s = seeded("");
    s.account.ctl(
        "faults",
        json!({"operation": "ChangeResourceRecordSets", "kind": "hold", "gate": "w", "count": 1}),
    );
    let child = s
        .hybridctl_std()
        .args(["failover", "--service", "ticket", "--yes", "-o", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_calls(&s, "route53:ChangeResourceRecordSets", 1);
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    s.account.ctl("release", json!({"gate": "w"}));
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{stderr}");
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let m = r["message"].as_str().unwrap();
    // The lab has the change INSYNC at once: asked, and said so.
    assert!(
        calls(&s, "route53:GetChange") >= 1,
        "{:?}",
        s.account.calls()
    );
    assert!(m.contains("ticket: Route 53 in sync"), "{m}");
    assert!(!m.contains("not confirmed INSYNC"), "{m}");
}

#[test]
fn review_4_and_6_an_unread_health_check_or_a_missing_record_is_unknown_for_that_site_only() {
    let s = seeded("");
    s.account.ctl(
        "faults",
        json!({"operation": "GetHealthCheckStatus", "kind": "denied", "count": -1}),
    );
    let out = s
        .hybridctl()
        .args(["status", "-o", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let svc = |name: &str| {
        v["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{v:#}"))
    };
    assert_eq!(
        svc("web")["health"]["aws"]["healthy"],
        2,
        "the ALB service is still shown"
    );
    assert_eq!(svc("ticket")["health"]["aws"]["healthy"], 0, "{v:#}");
    assert_eq!(svc("ticket")["health"]["aws"]["other"], 1, "unknown: {v:#}");
    // The receiving site's health is unknown: a refusal that says why (not exit 3).
    let (code, r, _) = run(&s, &["failover", "--yes"]);
    assert_eq!(code, Some(1), "{r}");
    assert!(r["message"].as_str().unwrap().contains("unread"), "{r}");
    assert_eq!(weights(&s), (100, 0));
    s.account.ctl("faults", json!({"clear": true}));
    // A site whose record is gone is not healthy either.
    let zone = s.res("/zone_id");
    let rec = rt()
        .block_on(
            s.context()
                .route53()
                .list_resource_record_sets()
                .hosted_zone_id(&zone)
                .start_record_name(RECORD)
                .send(),
        )
        .unwrap()
        .resource_record_sets()
        .iter()
        .find(|r| r.set_identifier() == Some("aws-alb"))
        .cloned()
        .unwrap();
    use aws_sdk_route53::types::{Change, ChangeAction, ChangeBatch};
    rt().block_on(
        s.context()
            .route53()
            .change_resource_record_sets()
            .hosted_zone_id(&zone)
            .change_batch(
                ChangeBatch::builder()
                    .changes(
                        Change::builder()
                            .action(ChangeAction::Delete)
                            .resource_record_set(rec)
                            .build()
                            .unwrap(),
                    )
                    .build()
                    .unwrap(),
            )
            .send(),
    )
    .unwrap();
    let out = s
        .hybridctl()
        .args(["status", "--service", "ticket", "-o", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["services"][0]["health"]["aws"]["healthy"], 0, "{v:#}");
    assert_eq!(v["services"][0]["missing_sites"], json!(["aws"]), "{v:#}");
}

#[test]
fn review_7_validate_refuses_the_dr_record_and_an_empty_label() {
    let s = seeded("");
    let good = std::fs::read_to_string(&s.config).unwrap();
    for (from, to, says) in [
        (
            "record: api.ticket.example.com,",
            "record: ticket.example.com.,",
            "this is the DR runbook's record (dr.dns)",
        ),
        (
            "record: api.ticket.example.com,",
            "record: api..ticket.example.com,",
            "has an empty label",
        ),
    ] {
        std::fs::write(&s.config, good.replacen(from, to, 1)).unwrap();
        let out = s.hybridctl().args(["validate"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.contains(says) && stderr.contains("services.ticket.dns.record"),
            "{stderr}"
        );
    }
}
