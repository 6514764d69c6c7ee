//! `hybridctl status` against the lab: every mode and finding from a real lab state.
// These structs mirror the JSON schema with deny_unknown_fields; fields exist to be checked,
// not all are read.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use crate::support::{Account, Seeded, rt};

// The JSON schema, strictly: a renamed or added field fails here.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Status {
    schema: String,
    ok: bool,
    verdict: String,
    traffic_error: Option<SectionError>,
    services: Vec<ServiceJ>,
    alarms: Option<Alarms>,
    replication: Option<Replication>,
    dr: Option<Dr>,
    findings: Vec<Finding>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionError {
    message: String,
    hint: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceJ {
    name: String,
    mode: String,
    weights: BTreeMap<String, i64>,
    percent: BTreeMap<String, f64>,
    health: BTreeMap<String, Health>,
    unhealthy_targets: Vec<TargetIssue>,
    stickiness: bool,
    unknown_target_groups: Vec<String>,
    missing_sites: Vec<String>,
    last_change: Option<String>,
    #[serde(default)]
    unknown: Vec<UnknownJ>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct UnknownJ {
    arn: String,
    weight: i64,
    percent: f64,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Health {
    healthy: u32,
    unhealthy: u32,
    other: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetIssue {
    site: String,
    id: String,
    state: String,
    reason: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Alarms {
    error: Option<SectionError>,
    alarms: Vec<Alarm>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Alarm {
    name: String,
    state: String,
    reason: Option<String>,
    since: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Replication {
    error: Option<SectionError>,
    task: Option<Task>,
    cdc_latency: Cdc,
    source: Option<Instance>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Task {
    arn: String,
    id: String,
    status: String,
    stop_reason: Option<String>,
    last_failure_message: Option<String>,
    migration_type: Option<String>,
    source_endpoint_arn: Option<String>,
    replication_instance_arn: Option<String>,
    recovery_checkpoint: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cdc {
    source_seconds: Option<f64>,
    target_seconds: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Instance {
    id: String,
    status: String,
    engine: String,
    engine_version: String,
    backup_retention_days: i32,
    parameter_groups: Vec<ParameterGroup>,
    address: Option<String>,
    read_replica_source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterGroup {
    name: String,
    apply_status: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Dr {
    error: Option<SectionError>,
    stage: Option<String>,
    records: Vec<DrRecord>,
    ready: Option<Health>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DrRecord {
    set_identifier: String,
    weight: i64,
    health_check_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Finding {
    severity: String,
    code: String,
    message: String,
}

/// Runs `status -o json`, checks the exit code, returns the parsed document.
fn status_json(s: &Seeded, code: i32, extra: &[&str]) -> Status {
    let out = s
        .hybridctl()
        .args(["status", "-o", "json"])
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(code),
        "stderr: {stderr}\nstdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let doc: Status = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(doc.schema, "hybridctl.status/v1");
    doc
}

/// The findings, except `no-coordination` (every lab topology without a coordination
/// section has it; `without_coordination_status_says_so` checks it).
fn codes(doc: &Status) -> Vec<(String, String)> {
    doc.findings
        .iter()
        .filter(|f| f.code != "no-coordination")
        .map(|f| (f.severity.clone(), f.code.clone()))
        .collect()
}

fn pair(sev: &str, code: &str) -> (String, String) {
    (sev.to_string(), code.to_string())
}

fn set_weights(s: &Seeded, onprem: i32, aws: i32) {
    let (o, a) = (
        s.res("/services/web/target_groups/onprem"),
        s.res("/services/web/target_groups/aws"),
    );
    s.set_forward(&[(&o, onprem), (&a, aws)], false);
}

fn force_unhealthy(s: &Seeded, site: &str, ids: &[&str]) {
    s.force_health("web", site, ids, "unhealthy");
}

fn set_alarm(s: &Seeded, state: aws_sdk_cloudwatch::types::StateValue) {
    s.set_alarm(state);
}

#[test]
fn normal_state_is_ok_and_complete() {
    let s = Account::new().seed(1);
    let doc = status_json(&s, 0, &[]);
    assert!(
        doc.ok && doc.verdict == "ok" && codes(&doc).is_empty(),
        "{:?}",
        doc.findings
    );
    assert!(doc.traffic_error.is_none());
    let web = &doc.services[0];
    assert_eq!((web.name.as_str(), web.mode.as_str()), ("web", "normal"));
    assert_eq!(
        web.weights,
        BTreeMap::from([("onprem".into(), 40), ("aws".into(), 60)])
    );
    assert_eq!(web.percent["aws"], 60.0);
    assert_eq!(
        web.health["onprem"],
        Health {
            healthy: 2,
            unhealthy: 0,
            other: 0
        }
    );
    assert!(!web.stickiness && web.unhealthy_targets.is_empty());
    let alarms = doc.alarms.unwrap();
    assert_eq!(
        (
            alarms.alarms[0].name.as_str(),
            alarms.alarms[0].state.as_str()
        ),
        ("onprem-requestcount-high", "OK")
    );
    let rep = doc.replication.unwrap();
    assert_eq!(rep.task.unwrap().status, "running");
    let db = rep.source.unwrap();
    assert_eq!(
        (
            db.backup_retention_days,
            db.parameter_groups[0].apply_status.as_str()
        ),
        (7, "in-sync")
    );
    let dr = doc.dr.unwrap();
    assert_eq!(dr.stage.as_deref(), Some("normal"));
    assert_eq!(dr.records.len(), 3);
    assert_eq!(
        dr.ready,
        Some(Health {
            healthy: 2,
            unhealthy: 0,
            other: 0
        })
    );
}

#[test]
fn failed_over_while_the_alarm_is_ok_suggests_failback() {
    let s = Account::new().seed(1);
    set_weights(&s, 0, 100);
    let doc = status_json(&s, 1, &[]);
    assert_eq!(doc.services[0].mode, "failed-over");
    assert_eq!(codes(&doc), [pair("warning", "failed-over-alarm-ok")]);
    // With the alarm firing, failed over is the right place to be.
    set_alarm(&s, aws_sdk_cloudwatch::types::StateValue::Alarm);
    let doc = status_json(&s, 0, &[]);
    assert_eq!(doc.services[0].mode, "failed-over");
}

#[test]
fn the_last_change_by_hybridctl_is_shown() {
    let s = Account::new().seed(1);
    assert_eq!(status_json(&s, 0, &[]).services[0].last_change, None);
    s.hybridctl()
        .args([
            "shift-traffic",
            "onprem=30",
            "aws=70",
            "--yes",
            "--reason",
            "load test",
        ])
        .assert()
        .success();
    let doc = status_json(&s, 0, &[]);
    let change = doc.services[0].last_change.as_deref().expect("the tag");
    assert!(
        change.contains(" shift-traffic by ") && change.ends_with(": load test"),
        "{change}"
    );
    let out = s.hybridctl().arg("status").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("web last changed "));
}

#[test]
fn shifted_is_a_mode_not_a_problem() {
    let s = Account::new().seed(1);
    set_weights(&s, 20, 80);
    let doc = status_json(&s, 0, &[]);
    assert_eq!(doc.services[0].mode, "shifted");
    assert_eq!(doc.services[0].percent["onprem"], 20.0);
}

#[test]
fn drift_when_the_rule_forwards_to_an_unknown_group() {
    let s = Account::new().seed(2);
    let rogue = s.res("/services/svc01/target_groups/aws");
    s.set_forward(
        &[
            (&s.res("/services/web/target_groups/onprem"), 40),
            (&rogue, 60),
        ],
        false,
    );
    let doc = status_json(&s, 1, &["--service", "web"]);
    let web = &doc.services[0];
    assert_eq!(web.mode, "drift");
    assert_eq!(web.unknown_target_groups, [rogue]);
    assert_eq!(web.missing_sites, ["aws"]);
    assert_eq!(codes(&doc), [pair("warning", "drift")]);
}

#[test]
fn a_weighted_site_with_no_healthy_target_is_critical() {
    let s = Account::new().seed(1);
    force_unhealthy(&s, "onprem", &["10.20.0.11", "10.20.0.12"]);
    let doc = status_json(&s, 1, &[]);
    assert_eq!(codes(&doc), [pair("critical", "no-healthy-target")]);
    assert!(doc.findings[0].message.contains("Target.Timeout"));
    let web = &doc.services[0];
    assert_eq!(
        web.health["onprem"],
        Health {
            healthy: 0,
            unhealthy: 2,
            other: 0
        }
    );
    assert_eq!(
        web.unhealthy_targets[0].reason.as_deref(),
        Some("Target.Timeout")
    );
}

#[test]
fn unhealthy_targets_on_an_idle_site_and_stickiness_are_info() {
    let s = Account::new().seed(1);
    set_alarm(&s, aws_sdk_cloudwatch::types::StateValue::Alarm);
    let (o, a) = (
        s.res("/services/web/target_groups/onprem"),
        s.res("/services/web/target_groups/aws"),
    );
    s.set_forward(&[(&o, 0), (&a, 100)], true);
    force_unhealthy(&s, "onprem", &["10.20.0.11"]);
    let doc = status_json(&s, 0, &[]);
    assert_eq!(
        codes(&doc),
        [
            pair("info", "unhealthy-idle-site"),
            pair("info", "stickiness")
        ]
    );
    assert!(doc.services[0].stickiness);
}

#[test]
fn alarm_in_alarm_without_failover_is_a_warning() {
    let s = Account::new().seed(1);
    set_alarm(&s, aws_sdk_cloudwatch::types::StateValue::Alarm);
    let doc = status_json(&s, 1, &[]);
    assert_eq!(codes(&doc), [pair("warning", "alarm-not-failed-over")]);
    assert_eq!(
        doc.alarms.unwrap().alarms[0].reason.as_deref(),
        Some("set by the test")
    );
}

#[test]
fn replication_findings_from_lab_states() {
    let s = Account::new().seed(1);
    let task = s.res("/dms_task");
    s.account.ctl(
        "dms-task",
        json!({"task_arn": task, "status": "failed", "stop_reason": "FAILED",
        "last_failure_message": "Error reading binary log"}),
    );
    let doc = status_json(&s, 1, &[]);
    assert_eq!(codes(&doc), [pair("critical", "dms-task-not-running")]);
    assert!(doc.findings[0].message.contains("Error reading binary log"));

    let s = Account::new().seed(1);
    s.put_cdc_latency(45.0);
    let doc = status_json(&s, 1, &[]);
    assert_eq!(codes(&doc), [pair("warning", "cdc-latency-high")]);
    assert_eq!(
        doc.replication.unwrap().cdc_latency.target_seconds,
        Some(45.0)
    );

    let s = Account::new().seed(1);
    s.disable_backups();
    s.account.ctl(
        "rds-apply-status",
        json!({"instance": "hybrid-mariadb", "status": "pending-reboot"}),
    );
    let doc = status_json(&s, 1, &[]);
    assert_eq!(
        codes(&doc),
        [
            pair("critical", "rds-backups-off"),
            pair("warning", "parameter-group-pending-reboot")
        ]
    );
}

#[test]
fn dr_records_out_of_the_normal_stage() {
    use aws_sdk_route53::types::{Change, ChangeAction, ChangeBatch};
    let s = Account::new().seed(1);
    let client = s.context().route53();
    let rt = rt();
    let zone = s.res("/zone_id");
    let records = rt
        .block_on(hybridctl::aws::route53::weighted_records(
            &client,
            &zone,
            "ticket.example.com.",
            "A",
        ))
        .unwrap();
    let building = BTreeMap::from([("prod", 0), ("dr-eks", 0), ("dr-ecs", 100)]);
    let changes: Vec<Change> = records
        .iter()
        .map(|r| {
            let mut rec = r.raw.clone();
            rec.weight = Some(building[r.name()]);
            Change::builder()
                .action(ChangeAction::Upsert)
                .resource_record_set(rec)
                .build()
                .unwrap()
        })
        .collect();
    rt.block_on(
        client
            .change_resource_record_sets()
            .hosted_zone_id(&zone)
            .change_batch(
                ChangeBatch::builder()
                    .set_changes(Some(changes))
                    .build()
                    .unwrap(),
            )
            .send(),
    )
    .unwrap();
    let doc = status_json(&s, 1, &[]);
    assert_eq!(doc.dr.as_ref().unwrap().stage.as_deref(), Some("building"));
    assert_eq!(codes(&doc), [pair("warning", "dr-not-normal")]);
}

#[test]
fn a_failed_section_is_shown_in_place_and_exits_3() {
    let s = Account::new().seed(1);
    s.account.fault("DescribeReplicationTasks", "http500", 1);
    let doc = status_json(&s, 3, &[]);
    assert_eq!(doc.verdict, "error");
    let err = doc.replication.unwrap().error.expect("replication error");
    assert!(
        err.message
            .starts_with("dms DescribeReplicationTasks failed: InternalFailure"),
        "{}",
        err.message
    );
    assert_eq!(doc.services[0].mode, "normal", "traffic is still shown");
    assert_eq!(doc.dr.unwrap().stage.as_deref(), Some("normal"));

    // The table says so too, in place.
    s.account.fault("DescribeReplicationTasks", "http500", 1);
    let out = s.hybridctl().arg("status").output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Replication\n  error: dms DescribeReplicationTasks failed"),
        "{text}"
    );
    assert!(text.contains("web      normal"), "{text}");
}

#[test]
fn unknown_service_is_a_usage_error() {
    let s = Account::new().seed(1);
    s.hybridctl()
        .args(["status", "--service", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no service `nope`"));
    assert!(s.account.calls().is_empty());
}

/// AWS calls for S services: ceil(S/20) DescribeRules + ceil(S/20) DescribeTags (the
/// last-change tag) + one DescribeTargetHealth per target group (2 per service + the DR ready
/// group) + 1 DescribeAlarms + 3 replication + 1 DR.
#[test]
fn call_count_is_bounded_for_1_10_and_40_services() {
    for n in [1u64, 10, 40] {
        let s = Account::new().seed(n as u32);
        status_json(&s, 0, &[]);
        let calls = s.account.calls();
        let want: BTreeMap<String, u64> = [
            ("elasticloadbalancing:DescribeRules", n.div_ceil(20)),
            ("elasticloadbalancing:DescribeTags", n.div_ceil(20)),
            ("elasticloadbalancing:DescribeTargetHealth", 2 * n + 1),
            ("monitoring:DescribeAlarms", 1),
            ("dms:DescribeReplicationTasks", 1),
            ("monitoring:GetMetricData", 1),
            ("rds:DescribeDBInstances", 1),
            ("route53:ListResourceRecordSets", 1),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        assert_eq!(calls, want, "{n} services");
    }
}

/// ELBv2 throttles Describe* calls per account with a token bucket: 40 tokens, 10 a second. At
/// 40 services `status` makes 85 of them. The lab enforces that bucket; hybridctl runs with one
/// attempt per call (support sets AWS_MAX_ATTEMPTS=1), so a single throttle would be exit 3.
#[test]
fn forty_services_stay_within_elbv2_rate_limit() {
    let s = Account::new().seed(40);
    s.account.ctl(
        "faults",
        json!({"operation": "elasticloadbalancing:Describe*", "kind": "ratelimit",
               "capacity": 40, "refill_per_s": 10}),
    );
    let started = std::time::Instant::now();
    let doc = status_json(&s, 0, &[]);
    let elapsed = started.elapsed();
    assert_eq!(doc.services.len(), 40);
    let stats = s.account.ctl("fault-stats", json!({}));
    assert_eq!(stats["faults"][0]["throttled"], 0, "{stats}");
    let describes: u64 = s
        .account
        .calls()
        .iter()
        .filter(|(k, _)| k.starts_with("elasticloadbalancing:Describe"))
        .map(|(_, v)| v)
        .sum();
    assert_eq!(describes, 85);
    // In the main region 84 (the DR ready group is in the DR region, with its own bucket):
    // 36 at once, the other 48 at 9 a second (90% of the documented bucket).
    assert!(elapsed >= Duration::from_millis(5_300), "{elapsed:?}");
}

/// An account whose ELBv2 limit AWS raised (the lab's bucket: 400 at once, 100 a second) and a
/// topology that says so: hybridctl stops pacing at the documented 40/10, and is still never
/// throttled. The same run without the setting paces (its debug log says so).
#[test]
fn a_raised_elbv2_limit_in_the_topology_lifts_the_pacing() {
    let s = Account::new().seed(40);
    s.account.ctl(
        "faults",
        json!({"operation": "elasticloadbalancing:Describe*", "kind": "ratelimit",
               "capacity": 400, "refill_per_s": 100}),
    );
    let pacing_lines = |s: &Seeded| {
        let out = s
            .hybridctl()
            .args(["status", "-o", "json"])
            .env("HYBRIDCTL_LOG", "hybridctl::aws::budget=debug")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| l.contains("pacing: waiting"))
            .count()
    };
    // 84 Describe* calls in the main region: past the documented budget's 36, calls wait (how
    // many depends on how fast the first ones went, as tokens come back meanwhile).
    let documented = pacing_lines(&s);
    assert!(documented > 0, "{documented}");
    let text = std::fs::read_to_string(&s.config).unwrap();
    assert!(text.contains("\naws:\n"), "{text}");
    let raised = text.replacen(
        "\naws:\n",
        "\naws:\n  elbv2_describe_limit: { burst: 400, per_second: 100 }\n",
        1,
    );
    std::fs::write(&s.config, raised).unwrap();
    assert_eq!(pacing_lines(&s), 0);
    let stats = s.account.ctl("fault-stats", json!({}));
    assert_eq!(stats["faults"][0]["throttled"], 0, "{stats}");
}

#[test]
fn table_output_snapshot() {
    let s = Account::new().seed(1);
    force_unhealthy(&s, "onprem", &["10.20.0.11", "10.20.0.12"]);
    let out = s
        .hybridctl()
        .args(["status", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().all(|l| l.chars().count() <= 100),
        "wider than 100 columns:\n{text}"
    );
    insta::with_settings!({filters => vec![
        (r"\d{4}-\d{2}-\d{2}T[0-9:.]+Z", "[TIME]"),
    ]}, {
        insta::assert_snapshot!("status_table_no_healthy_onprem", text);
    });
}

#[test]
fn color_only_when_asked() {
    let s = Account::new().seed(1);
    let plain = s.hybridctl().arg("status").output().unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\x1b'));
    let colored = s
        .hybridctl()
        .args(["status", "--color", "always"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&colored.stdout).contains("\x1b[1;32mOK"));
}

#[test]
fn verbose_logs_each_aws_call_to_stderr() {
    let s = Account::new().seed(1);
    let out = s
        .hybridctl()
        .args(["status", "-v", "-o", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("DescribeRules: ok (HTTP 200) in"),
        "{stderr}"
    );
    assert!(
        stderr.contains("GetMetricData: ok (HTTP 200) in"),
        "{stderr}"
    );
    serde_json::from_slice::<Status>(&out.stdout).expect("stdout is still one JSON document");
}

#[test]
fn watch_prints_one_line_per_change_when_not_a_terminal() {
    let s = Account::new().seed(1);
    let mut child = s
        .hybridctl_std()
        .args(["status", "--watch", "1s"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    force_unhealthy(&s, "onprem", &["10.20.0.11", "10.20.0.12"]);
    std::thread::sleep(Duration::from_millis(2500));
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let count = |needle: &str| text.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(count("verdict ok"), 1, "{text}");
    assert_eq!(
        count("service web normal weights onprem=40,aws=60 healthy onprem=2/2,aws=2/2"),
        1,
        "{text}"
    );
    assert_eq!(count("verdict degraded"), 1, "{text}");
    assert_eq!(count("critical no-healthy-target"), 1, "{text}");
}

#[test]
fn access_denied_names_the_iam_action() {
    let s = Account::new().seed(1);
    s.account.fault("DescribeReplicationTasks", "denied", 1);
    let doc = status_json(&s, 3, &[]);
    let err = doc.replication.unwrap().error.expect("replication error");
    assert!(
        err.message
            .starts_with("dms DescribeReplicationTasks failed: AccessDeniedException"),
        "{}",
        err.message
    );
    assert_eq!(
        err.hint.as_deref(),
        Some(
            "the caller lacks the IAM permission dms:DescribeReplicationTasks; grant it to the role or user hybridctl runs as"
        )
    );
    s.account.fault("DescribeRules", "denied", 1);
    let out = s.hybridctl().arg("status").output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "hint: the caller lacks the IAM permission elasticloadbalancing:DescribeRules"
        ),
        "{text}"
    );
}

#[test]
fn no_credentials_is_a_clear_error_with_a_hint() {
    let s = Account::new().seed(1);
    let out = s
        .hybridctl()
        .args(["status", "-o", "json"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let doc: Status = serde_json::from_slice(&out.stdout).unwrap();
    let err = doc.traffic_error.expect("traffic error");
    assert!(
        err.hint
            .as_deref()
            .unwrap_or_default()
            .contains("no AWS credentials were found"),
        "{err:?}"
    );
    assert!(s.account.calls().is_empty(), "nothing reached AWS");
}

/// Replaces what differs between two runs on the same lab state: ARNs and ids (a new moto
/// account each run), times.
fn normalize(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::String(s) if s.starts_with("arn:aws:") => *s = "[ARN]".into(),
        Value::String(s)
            if s.len() >= 20 && s.as_bytes()[4] == b'-' && s.as_bytes()[10] == b'T' =>
        {
            *s = "[TIME]".into()
        }
        Value::String(s) => {
            for (i, w) in s
                .clone()
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .enumerate()
            {
                let _ = i;
                if w.len() >= 12
                    && w.chars().any(|c| c.is_ascii_digit())
                    && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && w.contains('-')
                {
                    *s = s.replace(w, "[ID]");
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(normalize),
        Value::Object(o) => o.values_mut().for_each(normalize),
        _ => {}
    }
}

/// `hybridctl.status/v1` is built from report structs, not adapter structs: the document for
/// the seeded lab state is the committed sample, which the release before the runbook
/// refactor produced (`SAMPLE_UPDATE=1` rewrites it).
#[test]
fn status_v1_matches_the_committed_sample() {
    let s = Account::new().seed(1);
    let out = s
        .hybridctl()
        .args(["status", "-o", "json"])
        .output()
        .unwrap();
    assert!(out.status.code() == Some(0) || out.status.code() == Some(1));
    let mut got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // The one addition since that release (the coordination issue): an info finding for a
    // topology without a coordination section, checked by `without_coordination_status_says_so`.
    let findings = got["findings"].as_array_mut().unwrap();
    let before = findings.len();
    findings.retain(|f| f["code"] != "no-coordination");
    assert_eq!(
        before,
        findings.len() + 1,
        "the no-coordination finding is there"
    );
    normalize(&mut got);
    let path = crate::support::repo().join("tests/data/status-v1.sample.json");
    let text = serde_json::to_string_pretty(&got).unwrap() + "\n";
    if std::env::var_os("SAMPLE_UPDATE").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let want = std::fs::read_to_string(&path).expect("the committed sample");
    assert_eq!(
        text, want,
        "hybridctl.status/v1 changed for the same lab state"
    );
}

#[test]
fn the_split_on_drift_is_of_everything_aws_sends() {
    // 30 to a group the file does not know, 70 to the file's aws group: not "aws 100%".
    let s = Account::new().seed(2);
    let rogue = s.res("/services/svc01/target_groups/aws");
    s.set_forward(
        &[
            (&rogue, 30),
            (&s.res("/services/web/target_groups/aws"), 70),
        ],
        false,
    );
    let doc = status_json(&s, 1, &["--service", "web"]);
    let web = &doc.services[0];
    assert_eq!(web.mode, "drift");
    assert_eq!(
        web.percent,
        BTreeMap::from([("onprem".into(), 0.0), ("aws".into(), 70.0)])
    );
    assert_eq!(
        web.unknown,
        [UnknownJ {
            arn: rogue,
            weight: 30,
            percent: 30.0
        }]
    );
    let out = s
        .hybridctl()
        .args(["status", "--service", "web"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("onprem 0% | aws 70% | unknown svc01-aws 30%"),
        "{text}"
    );
}

#[test]
fn all_weights_zero_is_critical() {
    let s = Account::new().seed(1);
    set_weights(&s, 0, 0);
    let doc = status_json(&s, 1, &[]);
    assert!(!doc.ok);
    assert!(
        codes(&doc).contains(&pair("critical", "all-weights-zero")),
        "{:?}",
        codes(&doc)
    );
}

#[test]
fn without_coordination_status_says_so() {
    let s = Account::new().seed(1);
    let doc = status_json(&s, 0, &[]);
    assert!(doc.ok, "an info finding is not a problem");
    assert!(
        doc.findings
            .iter()
            .any(|f| f.severity == "info" && f.code == "no-coordination")
    );
    let s = Account::new().seed_with(json!({"services": 1, "coordination": "2m"}));
    let doc = status_json(&s, 0, &[]);
    assert!(doc.findings.iter().all(|f| f.code != "no-coordination"));
}
