//! `shift-traffic`, `failover`, `failback` against the lab, through the real SDK.

// These structs mirror the JSON schema with deny_unknown_fields; not every field is read.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, AuthenticateOidcActionConfig, ForwardActionConfig, RuleCondition,
    TargetGroupStickinessConfig, TargetGroupTuple,
};
use serde::Deserialize;
use serde_json::json;

use crate::support::{Account, Seeded, repo, rt, w};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    schema: String,
    command: String,
    dry_run: bool,
    outcome: String,
    message: String,
    reason: Option<String>,
    services: Vec<Change>,
    journal: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Change {
    name: String,
    before: BTreeMap<String, u32>,
    target: BTreeMap<String, u32>,
    steps: Vec<BTreeMap<String, u32>>,
    gates: Vec<Gate>,
    now: Option<BTreeMap<String, u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Gate {
    name: String,
    passed: bool,
    forced: bool,
    message: String,
}

/// Runs a traffic command with `-o json`, checks the exit code, parses the report.
fn run(s: &Seeded, args: &[&str], code: i32) -> Report {
    let out = s
        .hybridctl()
        .args(args)
        .args(["-o", "json"])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(
        out.status.code(),
        Some(code),
        "{args:?}\nstdout: {stdout}\nstderr: {stderr}"
    );
    let r: Report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(r.schema, "hybridctl.traffic/v1");
    r
}

fn force_health(s: &Seeded, service: &str, site: &str, ids: &[&str], state: &str) {
    s.force_health(service, site, ids, state);
}

fn set_alarm(s: &Seeded, state: aws_sdk_cloudwatch::types::StateValue) {
    s.set_alarm(state);
}

/// Starts a gradual onprem=0 aws=100 shift (10 points a step, 2 s apart) with `extra` flags,
/// makes the AWS site unhealthy one second in, and returns the exit code and the report.
fn gradual_shift_then_unhealthy(s: &Seeded, extra: &[&str]) -> (Option<i32>, Report) {
    let child = s
        .hybridctl_std()
        .args([
            "shift-traffic",
            "onprem=0",
            "aws=100",
            "--step",
            "10",
            "--interval",
            "2s",
            "--yes",
            "-o",
            "json",
        ])
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_step_verified(s, "1/4");
    force_health(s, "web", "aws", &["10.0.1.10", "10.0.2.10"], "unhealthy");
    let out = child.wait_with_output().unwrap();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), report)
}

/// Every journal record, in order.
fn records(s: &Seeded) -> Vec<serde_json::Value> {
    let p = s.account.dir.path().join("state/hybridctl/journal.jsonl");
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The journal's per-service summaries (`kind: change`), one per service and run.
fn journal(s: &Seeded) -> Vec<serde_json::Value> {
    records(s)
        .into_iter()
        .filter(|r| r["kind"] == "change")
        .collect()
}

#[test]
fn failover_and_failback_on_a_rule() {
    let s = Account::new().seed(1);
    // Replication evidence for the failback gate: a recent CDC latency datapoint.
    s.put_cdc_latency(2.0);
    let r = run(&s, &["failover", "--yes", "--reason", "drill"], 0);
    assert_eq!(r.outcome, "applied");
    assert_eq!(r.services[0].now, Some(w(0, 100)));
    assert_eq!(s.weights("web"), w(0, 100));
    assert_eq!(
        s.account.calls().get("elasticloadbalancing:ModifyRule"),
        Some(&1)
    );

    let j = journal(&s);
    assert_eq!(j.len(), 1);
    assert_eq!(j[0]["command"], "failover");
    assert_eq!(j[0]["reason"], "drill");
    assert_eq!(j[0]["service"], "web");
    assert_eq!(j[0]["before"], json!({"onprem": 40, "aws": 60}));
    assert_eq!(j[0]["after"], json!({"onprem": 0, "aws": 100}));
    assert_eq!(j[0]["outcome"], "applied");
    assert!(j[0]["user"].is_string() && j[0]["host"].is_string() && j[0]["time"].is_string());

    let tags = rt()
        .block_on(hybridctl::aws::elbv2::tag_values(
            &s.context().elbv2(),
            &[s.res("/services/web/rule_arn")],
            "hybridctl:last-change",
        ))
        .unwrap();
    let tag = tags.values().next().expect("the rule is tagged");
    assert!(
        tag.contains(" failover by ") && tag.ends_with(": drill"),
        "{tag}"
    );

    let r = run(&s, &["failback", "--yes"], 0);
    assert_eq!(r.outcome, "applied");
    assert_eq!(s.weights("web"), w(40, 60));
    assert_eq!(journal(&s).len(), 2);
}

#[test]
fn failover_on_a_listener_default_action() {
    let s = Account::new().seed_with(json!({"services": 1, "listener_service": true}));
    s.put_cdc_latency(2.0);
    let client = s.context().elbv2();
    let listener = s.res("/services/api/listener_arn");
    let describe = || {
        rt().block_on(client.describe_listeners().listener_arns(&listener).send())
            .unwrap()
            .listeners()[0]
            .clone()
    };
    let before = describe();
    let r = run(&s, &["failover", "--service", "api", "--yes"], 0);
    assert_eq!(r.outcome, "applied");
    assert_eq!(s.weights("api"), w(0, 100));
    assert_eq!(s.weights("web"), w(40, 60), "other services are untouched");
    let calls = s.account.calls();
    assert_eq!(calls.get("elasticloadbalancing:ModifyListener"), Some(&1));
    assert_eq!(calls.get("elasticloadbalancing:ModifyRule"), None);
    // Field by field, the listener is what it was but for the weights.
    let mut restored = describe();
    for action in restored.default_actions.iter_mut().flatten() {
        for g in action
            .forward_config
            .as_mut()
            .and_then(|f| f.target_groups.as_mut())
            .into_iter()
            .flatten()
        {
            let onprem =
                g.target_group_arn() == Some(s.res("/services/api/target_groups/onprem").as_str());
            g.weight = Some(if onprem { 40 } else { 60 });
        }
    }
    assert_eq!(before, restored, "only the weights may differ");

    run(
        &s,
        &[
            "shift-traffic",
            "--service",
            "api",
            "onprem=10",
            "aws=90",
            "--yes",
        ],
        0,
    );
    assert_eq!(s.weights("api"), w(10, 90));
    assert_eq!(
        run(&s, &["failback", "--service", "api", "--yes"], 0).outcome,
        "applied"
    );
    assert_eq!(s.weights("api"), w(40, 60));
}

#[test]
fn several_services_need_all_or_service() {
    let s = Account::new().seed(3);
    let out = s.hybridctl().args(["failover", "--yes"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--service or pass --all"));
    assert!(s.account.calls().is_empty());

    let r = run(&s, &["failover", "--all", "--yes"], 0);
    assert_eq!(r.services.len(), 3);
    for svc in ["web", "svc01", "svc02"] {
        assert_eq!(s.weights(svc), w(0, 100), "{svc}");
    }
    assert_eq!(
        s.account.calls().get("elasticloadbalancing:ModifyRule"),
        Some(&3)
    );
}

#[test]
fn bad_weights_exit_2_before_any_call() {
    let s = Account::new().seed(1);
    for (args, says) in [
        (vec!["onprem=1000", "aws=0"], "out of range 0..999"),
        (vec!["gcp=10"], "has no site `gcp`"),
        (vec!["onprem=0", "aws=0"], "every weight would be 0"),
        (vec!["onprem=ten"], "whole number"),
        (vec!["=10"], "`=10`: the site name before `=` is empty"),
        (vec!["onprem="], "`onprem=`: the weight after `=` is empty"),
    ] {
        let out = s
            .hybridctl()
            .arg("shift-traffic")
            .args(&args)
            .arg("--yes")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(
        s.account.calls().is_empty(),
        "no AWS call at all: {:?}",
        s.account.calls()
    );
    assert_eq!(s.weights("web"), w(40, 60));
}

#[test]
fn health_gate_refuses_and_force_overrides() {
    let s = Account::new().seed(1);
    force_health(&s, "web", "aws", &["10.0.1.10", "10.0.2.10"], "unhealthy");
    let r = run(&s, &["failover", "--yes"], 1);
    assert_eq!(r.outcome, "refused");
    let gate = r.services[0]
        .gates
        .iter()
        .find(|g| g.name == "health web/aws")
        .unwrap();
    assert!(!gate.passed && !gate.forced);
    assert_eq!(s.modifies(), 0);
    assert_eq!(s.weights("web"), w(40, 60));

    let r = run(
        &s,
        &[
            "failover",
            "--yes",
            "--force",
            "--reason",
            "aws is fine, checks are wrong",
        ],
        0,
    );
    assert_eq!(r.outcome, "applied");
    assert!(r.services[0].gates.iter().any(|g| g.forced));
    assert_eq!(s.weights("web"), w(0, 100));
    assert_eq!(journal(&s)[0]["forced_gates"], json!(["health web/aws"]));
}

#[test]
fn failback_gates_replication_latency_and_alarm() {
    // DMS task stopped: writes made in AWS may not have reached on-prem.
    let s = Account::new().seed(1);
    run(&s, &["failover", "--yes"], 0);
    s.account.ctl("dms-task", json!({"task_arn": s.res("/dms_task"), "status": "stopped", "stop_reason": "STOPPED_BY_USER"}));
    let r = run(&s, &["failback", "--yes"], 1);
    assert!(
        r.services[0]
            .gates
            .iter()
            .any(|g| g.name == "replication" && !g.passed && g.message.contains("stopped"))
    );
    assert_eq!(s.weights("web"), w(0, 100));
    let r = run(&s, &["failback", "--yes", "--force"], 0);
    assert_eq!(r.outcome, "applied");

    // CDC latency above failover.max_cdc_latency.
    let s = Account::new().seed(1);
    run(&s, &["failover", "--yes"], 0);
    s.put_cdc_latency(120.0);
    let r = run(&s, &["failback", "--yes"], 1);
    assert!(
        r.services[0]
            .gates
            .iter()
            .any(|g| g.name == "replication" && g.message.contains("120s")),
        "{:?}",
        r.services[0].gates
    );
    assert_eq!(
        run(&s, &["failback", "--yes", "--force"], 0).outcome,
        "applied"
    );

    // The failover alarm still in ALARM.
    let s = Account::new().seed(1);
    run(&s, &["failover", "--yes"], 0);
    set_alarm(&s, aws_sdk_cloudwatch::types::StateValue::Alarm);
    let r = run(&s, &["failback", "--yes"], 1);
    assert!(
        r.services[0]
            .gates
            .iter()
            .any(|g| g.name == "alarm" && !g.passed)
    );
    assert_eq!(s.weights("web"), w(0, 100));
    let r = run(&s, &["failback", "--yes", "--force"], 0);
    assert!(
        r.services[0]
            .gates
            .iter()
            .any(|g| g.name == "alarm" && g.forced)
    );
    assert_eq!(s.weights("web"), w(40, 60));
}

#[test]
fn dry_run_and_non_tty_without_yes_write_nothing() {
    let s = Account::new().seed(1);
    let r = run(&s, &["failover", "--dry-run"], 0);
    assert_eq!((r.outcome.as_str(), r.dry_run), ("planned", true));
    assert_eq!(r.services[0].target, w(0, 100));
    assert_eq!(s.modifies(), 0);

    force_health(&s, "web", "aws", &["10.0.1.10", "10.0.2.10"], "unhealthy");
    run(&s, &["failover", "--dry-run"], 1);

    let out = s
        .hybridctl()
        .args(["shift-traffic", "onprem=20", "aws=80", "--force"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pass --yes"));
    assert_eq!(s.modifies(), 0);
    assert_eq!(s.weights("web"), w(40, 60));
}

#[test]
fn idempotent_no_write_when_already_there() {
    let s = Account::new().seed(1);
    run(&s, &["failover", "--yes"], 0);
    s.account.reset_calls();
    let r = run(&s, &["failover", "--yes"], 0);
    assert_eq!(r.outcome, "no-op");
    run(&s, &["shift-traffic", "onprem=0", "aws=100", "--yes"], 0);
    assert_eq!(s.modifies(), 0);
    assert_eq!(journal(&s).len(), 1);
}

#[test]
fn concurrent_change_is_detected() {
    let s = Account::new().seed(1);
    // Hold the plan's health reads until another writer has changed the rule: the change lands
    // between the plan and the write, in that order on any machine.
    s.account.ctl(
        "faults",
        json!({"operation": "DescribeTargetHealth", "kind": "hold", "gate": "plan", "count": 2}),
    );
    let other = std::thread::spawn({
        let rule = s.res("/services/web/rule_arn");
        let (o, a) = (
            s.res("/services/web/target_groups/onprem"),
            s.res("/services/web/target_groups/aws"),
        );
        let ctx = s.context();
        let account = s.account.id.clone();
        let lab = crate::support::lab();
        move || {
            // Once the plan's (slowed) health read has begun.
            let deadline = std::time::Instant::now() + Duration::from_secs(20);
            while lab.ctl("calls", &json!({"account": account}))["calls"]
                ["elasticloadbalancing:DescribeTargetHealth"]
                .as_u64()
                .unwrap_or(0)
                < 1
            {
                assert!(std::time::Instant::now() < deadline, "no health read");
                std::thread::sleep(Duration::from_millis(20));
            }
            let fc = ForwardActionConfig::builder()
                .target_groups(
                    TargetGroupTuple::builder()
                        .target_group_arn(o)
                        .weight(10)
                        .build(),
                )
                .target_groups(
                    TargetGroupTuple::builder()
                        .target_group_arn(a)
                        .weight(90)
                        .build(),
                )
                .build();
            rt().block_on(
                ctx.elbv2()
                    .modify_rule()
                    .rule_arn(rule)
                    .actions(
                        Action::builder()
                            .r#type(ActionTypeEnum::Forward)
                            .forward_config(fc)
                            .build(),
                    )
                    .send(),
            )
            .unwrap();
            lab.ctl("release", &json!({"account": account, "gate": "plan"}));
        }
    });
    let out = s
        .hybridctl_std()
        .args(["failover", "--yes", "-o", "json"])
        .output()
        .unwrap();
    other.join().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r.outcome, "concurrent-change");
    assert!(r.message.contains("changed concurrently"), "{}", r.message);
    assert_eq!(
        s.weights("web"),
        w(10, 90),
        "the other writer's change stands"
    );
}

#[test]
fn a_failed_write_reports_what_aws_holds() {
    let s = Account::new().seed(1);
    s.account.fault("ModifyRule", "http500", 1);
    let r = run(&s, &["failover", "--yes"], 3);
    assert_eq!(r.outcome, "failed");
    assert!(
        r.message.contains("the write failed")
            && r.message
                .contains("AWS now holds: web onprem 40 (40%) | aws 60 (60%) (unchanged)"),
        "{}",
        r.message
    );
    assert_eq!(r.services[0].now, Some(w(40, 60)));
    assert_eq!(journal(&s)[0]["outcome"], "failed");
}

#[test]
fn a_change_that_does_not_read_back_fails_with_the_state() {
    let s = Account::new().seed(1);
    // Every read-back replays the answer from before the write, as an unconverged ALB would.
    s.account.fault("DescribeRules", "stale", 10);
    let started = std::time::Instant::now();
    let r = run(&s, &["failover", "--yes"], 3);
    assert_eq!(r.outcome, "failed");
    assert!(
        r.message.contains("did not read back after 5 attempts"),
        "{}",
        r.message
    );
    assert!(r.message.contains("AWS now holds: web"), "{}", r.message);
    assert!(
        started.elapsed() >= Duration::from_secs(4),
        "read-back retries are spaced"
    );
}

#[test]
fn gradual_shift_stops_when_a_gate_fails_mid_way() {
    let s = Account::new().seed(1);
    let (code, r) = gradual_shift_then_unhealthy(&s, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(r.outcome, "stopped");
    assert_eq!(r.services[0].steps.len(), 4);
    assert_eq!(r.services[0].now, Some(w(30, 70)), "{}", r.message);
    assert_eq!(s.weights("web"), w(30, 70));
    assert!(r.message.contains("before step 2"), "{}", r.message);
}

#[test]
fn gradual_shift_rolls_back_when_asked() {
    let s = Account::new().seed(1);
    let (code, r) = gradual_shift_then_unhealthy(&s, &["--on-failure", "rollback"]);
    assert_eq!(code, Some(1));
    assert_eq!(r.outcome, "rolled-back");
    assert_eq!(s.weights("web"), w(40, 60));
    assert_eq!(journal(&s)[0]["outcome"], "rolled-back");
}

#[test]
fn ctrl_c_stops_after_the_current_call() {
    let s = Account::new().seed(1);
    let child = s
        .hybridctl_std()
        .args([
            "shift-traffic",
            "onprem=0",
            "aws=100",
            "--step",
            "20",
            "--interval",
            "30s",
            "--yes",
            "-o",
            "json",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_step_verified(&s, "1/2");
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r.outcome, "interrupted");
    assert_eq!(s.weights("web"), w(20, 80));
    assert!(
        r.message
            .contains("AWS now holds: web onprem 20 (20%) | aws 80 (80%)"),
        "{}",
        r.message
    );
}

#[test]
fn if_alarm_acts_only_on_alarm() {
    let s = Account::new().seed(1);
    let r = run(&s, &["failover", "--if-alarm", "--yes"], 0);
    assert_eq!(r.outcome, "no-action");
    assert!(r.message.contains("alarm onprem-requestcount-high is OK"));
    assert_eq!(s.modifies(), 0);
    set_alarm(&s, aws_sdk_cloudwatch::types::StateValue::Alarm);
    assert_eq!(
        run(&s, &["failover", "--if-alarm", "--yes"], 0).outcome,
        "applied"
    );
    assert_eq!(
        run(&s, &["failover", "--if-alarm", "--yes"], 0).outcome,
        "no-op"
    );
    assert_eq!(s.weights("web"), w(0, 100));
}

#[test]
fn if_ok_for_waits_for_a_quiet_alarm() {
    let s = Account::new().seed(1);
    s.put_cdc_latency(2.0);
    run(&s, &["failover", "--yes"], 0);
    let r = run(&s, &["failback", "--if-ok-for", "1h", "--yes"], 0);
    assert_eq!(r.outcome, "no-action");
    assert!(
        r.message.contains("has not been OK for 1h"),
        "{}",
        r.message
    );
    assert_eq!(s.weights("web"), w(0, 100));
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(
        run(&s, &["failback", "--if-ok-for", "1s", "--yes"], 0).outcome,
        "applied"
    );
    assert_eq!(s.weights("web"), w(40, 60));
    // A failing gate also means no action (exit 0), not a refusal.
    run(&s, &["failover", "--yes"], 0);
    s.account.ctl(
        "dms-task",
        json!({"task_arn": s.res("/dms_task"), "status": "failed"}),
    );
    assert_eq!(
        run(&s, &["failback", "--if-ok-for", "1s", "--yes"], 0).outcome,
        "no-action"
    );
}

#[test]
fn a_second_run_waits_for_the_lock_then_gives_up() {
    let s = Account::new().seed(1);
    let dir = s.account.dir.path().join("state/hybridctl");
    std::fs::create_dir_all(&dir).unwrap();
    // The lock of the service's rule, held by something that wrote no holder into it.
    let rule = s.res("/services/web/rule_arn");
    let locks = hybridctl::runbook::lock::dir(&dir.join("journal.jsonl"));
    std::fs::create_dir_all(&locks).unwrap();
    let held = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(locks.join(hybridctl::runbook::lock::file_name(&rule)))
        .unwrap();
    held.lock().unwrap();
    let r = run(&s, &["failover", "--yes", "--lock-timeout", "1s"], 1);
    assert_eq!(r.outcome, "refused");
    assert!(
        r.message
            .contains(&format!("{rule} is locked by another hybridctl run")),
        "{}",
        r.message
    );
    assert!(s.account.calls().is_empty());
    drop(held);
    run(&s, &["failover", "--yes", "--lock-timeout", "1s"], 0);
}

#[test]
fn everything_but_the_weights_is_preserved() {
    let s = Account::new().seed(1);
    let client = s.context().elbv2();
    let rt = rt();
    // A rule with conditions, an authenticate-oidc action before the forward, stickiness.
    let (o, a) = (
        s.res("/services/web/target_groups/onprem"),
        s.res("/services/web/target_groups/aws"),
    );
    let oidc = Action::builder()
        .r#type(ActionTypeEnum::AuthenticateOidc)
        .order(1)
        .authenticate_oidc_config(
            AuthenticateOidcActionConfig::builder()
                .issuer("https://idp.example.com")
                .authorization_endpoint("https://idp.example.com/auth")
                .token_endpoint("https://idp.example.com/token")
                .user_info_endpoint("https://idp.example.com/userinfo")
                .client_id("hybrid")
                .client_secret("oidc-s3cret")
                .scope("openid")
                .build(),
        )
        .build();
    let forward = Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .order(2)
        .forward_config(
            ForwardActionConfig::builder()
                .target_groups(
                    TargetGroupTuple::builder()
                        .target_group_arn(&o)
                        .weight(40)
                        .build(),
                )
                .target_groups(
                    TargetGroupTuple::builder()
                        .target_group_arn(&a)
                        .weight(60)
                        .build(),
                )
                .target_group_stickiness_config(
                    TargetGroupStickinessConfig::builder()
                        .enabled(true)
                        .duration_seconds(600)
                        .build(),
                )
                .build(),
        )
        .build();
    let rule = rt
        .block_on(
            client
                .create_rule()
                .listener_arn(s.res("/listener"))
                .priority(77)
                .conditions(
                    RuleCondition::builder()
                        .field("path-pattern")
                        .values("/checkout/*")
                        .build(),
                )
                .actions(oidc)
                .actions(forward)
                .send(),
        )
        .unwrap()
        .rules()[0]
        .rule_arn()
        .unwrap()
        .to_string();
    let text = std::fs::read_to_string(&s.config)
        .unwrap()
        .replace(&s.res("/services/web/rule_arn"), &rule);
    std::fs::write(&s.config, text).unwrap();
    let describe = || {
        rt.block_on(client.describe_rules().rule_arns(&rule).send())
            .unwrap()
            .rules()[0]
            .clone()
    };
    let before = describe();
    let oidc_secret =
        |arn: &str| s.account.ctl("oidc-secret", json!({"arn": arn}))["secrets"].clone();
    assert_eq!(
        before.actions()[0]
            .authenticate_oidc_config()
            .unwrap()
            .client_secret(),
        None,
        "ELBv2 (and the lab) never return the OIDC client secret"
    );

    // ModifyRule needs the secret or UseExistingClientSecret: hybridctl sends the latter, and
    // ELBv2 keeps the secret it holds.
    run(&s, &["failover", "--yes"], 0);
    let after = describe();
    assert_eq!(oidc_secret(&rule), json!(["oidc-s3cret"]));

    // Field by field: everything equal once the weights are put back.
    let mut restored = after.clone();
    for action in restored.actions.iter_mut().flatten() {
        if let Some(groups) = action
            .forward_config
            .as_mut()
            .and_then(|f| f.target_groups.as_mut())
        {
            for g in groups {
                g.weight = Some(if g.target_group_arn() == Some(o.as_str()) {
                    40
                } else {
                    60
                });
            }
        }
    }
    assert_eq!(before, restored, "only the weights may differ");
    assert_eq!(
        after.actions()[0].r#type(),
        Some(&ActionTypeEnum::AuthenticateOidc)
    );
    let fwd = after.actions()[1].forward_config().unwrap();
    assert_eq!(
        fwd.target_groups()
            .iter()
            .map(|g| g.weight())
            .collect::<Vec<_>>(),
        [Some(0), Some(100)]
    );
    assert_eq!(
        fwd.target_group_stickiness_config()
            .unwrap()
            .duration_seconds(),
        Some(600)
    );
    assert_eq!(after.priority(), Some("77"));
}

// ------------------------------------------------------------------ the change runbook

/// Polls `cond` every 50 ms for up to 20 s (a lab call count, a journal record).
fn wait_until(what: &str, cond: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !cond() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn calls_of(s: &Seeded, op: &str) -> u64 {
    s.account.calls().get(op).copied().unwrap_or(0)
}

/// A gradual `onprem=0 aws=100` shift, 20 points a step, `interval` apart, in the background.
fn spawn_gradual(s: &Seeded, interval: &str, extra: &[&str]) -> std::process::Child {
    s.hybridctl_std()
        .args([
            "shift-traffic",
            "onprem=0",
            "aws=100",
            "--step",
            "20",
            "--interval",
            interval,
        ])
        .args(["--yes", "-o", "json"])
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until step 1 of a background change is verified (its outcome record is journaled).
fn wait_step_verified(s: &Seeded, step: &str) {
    wait_until(&format!("step {step} verified"), || {
        records(s)
            .iter()
            .any(|r| r["kind"] == "outcome" && r["step"] == step && r["result"] == "verified")
    });
}

fn finish(child: std::process::Child) -> (Option<i32>, Report, String) {
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let r = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{stderr}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code(), r, stderr)
}

fn last_change_tag(s: &Seeded) -> Option<String> {
    rt().block_on(hybridctl::aws::elbv2::tag_values(
        &s.context().elbv2(),
        &[s.res("/services/web/rule_arn")],
        hybridctl::aws::elbv2::LAST_CHANGE_TAG,
    ))
    .unwrap()
    .into_values()
    .next()
}

#[test]
fn defect_1_gates_are_rechecked_on_fresh_reads_before_the_first_write() {
    let s = Account::new().seed(1);
    // The plan reads the two target groups' health (aws healthy: the gate passes). The re-read
    // right before the write is slowed; meanwhile the aws site loses its targets.
    s.account.ctl(
        "faults",
        json!({"operation": "DescribeTargetHealth", "kind": "latency",
        "latency_ms": 1500, "count": 2, "after": 2}),
    );
    let child = s
        .hybridctl_std()
        .args(["failover", "--yes", "-o", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("the pre-write health read", || {
        calls_of(&s, "elasticloadbalancing:DescribeTargetHealth") >= 3
    });
    force_health(&s, "web", "aws", &["10.0.1.10", "10.0.2.10"], "unhealthy");
    let (code, r, stderr) = finish(child);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(r.outcome, "refused");
    assert!(
        r.message
            .contains("before step 1: aws has 0 healthy target(s)"),
        "{}",
        r.message
    );
    assert_eq!(s.modifies(), 0);
    assert_eq!(s.weights("web"), w(40, 60));
}

#[test]
fn defect_2_and_5_a_concurrent_change_between_steps_is_never_overwritten_nor_tagged() {
    let s = Account::new().seed(1);
    let child = spawn_gradual(&s, "3s", &["--on-failure", "rollback"]);
    wait_step_verified(&s, "1/2");
    let tag_after_step_1 = last_change_tag(&s).expect("step 1 is tagged once verified");
    assert!(
        tag_after_step_1.contains("shift-traffic by"),
        "{tag_after_step_1}"
    );
    // Another client writes 50/50 with stickiness; and the receiving site goes unhealthy.
    other_client_writes_50_50(&s);
    force_health(&s, "web", "aws", &["10.0.1.10", "10.0.2.10"], "unhealthy");
    let (code, r, stderr) = finish(child);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(r.outcome, "concurrent-change");
    assert!(
        r.message.contains("AWS holds onprem 50 (50%) | aws 50 (50%), this run last saw onprem 20 (20%) | aws 80 (80%)"),
        "both states are reported: {}",
        r.message
    );
    assert_eq!(
        s.weights("web"),
        w(50, 50),
        "the other client's change stands"
    );
    assert_eq!(r.services[0].now, Some(w(50, 50)));
    assert_eq!(
        last_change_tag(&s),
        Some(tag_after_step_1),
        "no tag for what this run did not write"
    );
}

/// Runs a gradual shift, sends `signal` once step 1 is verified, returns the exit code, report
/// and journal.
fn signal_mid_shift(signal: &str) -> (Seeded, Option<i32>, Option<Report>, Vec<serde_json::Value>) {
    let s = Account::new().seed(1);
    let child = spawn_gradual(&s, "30s", &[]);
    wait_step_verified(&s, "1/2");
    std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let report = serde_json::from_slice(&out.stdout).ok();
    let j = records(&s);
    (s, out.status.code(), report, j)
}

#[test]
fn defect_4_sigterm_and_sighup_report_journal_and_exit_143_129() {
    for (signal, code, name) in [("-TERM", 143, "SIGTERM"), ("-HUP", 129, "SIGHUP")] {
        let (s, got, r, j) = signal_mid_shift(signal);
        assert_eq!(got, Some(code), "{signal}");
        let r = r.expect("a report on stdout");
        assert_eq!(r.outcome, "interrupted");
        assert!(
            r.message.contains(&format!("interrupted by {name}")),
            "{}",
            r.message
        );
        assert_eq!(r.services[0].now, Some(w(20, 80)));
        assert_eq!(s.weights("web"), w(20, 80));
        let kinds: Vec<&str> = j.iter().map(|r| r["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["intent", "outcome", "change"], "{signal}: {j:?}");
        assert_eq!(j[2]["outcome"], "interrupted");
        assert_eq!(j[2]["after"], json!({"onprem": 20, "aws": 80}));
        assert!(last_change_tag(&s).is_some());
    }
}

#[test]
fn defect_4_sigkill_leaves_the_write_ahead_records() {
    let (s, code, r, j) = signal_mid_shift("-KILL");
    assert_eq!(code, None, "killed by a signal");
    assert!(r.is_none());
    // The intent was journaled before the write, the outcome after it; nothing claims more.
    assert_eq!(j.len(), 2, "{j:?}");
    assert_eq!(j[0]["kind"], "intent");
    assert_eq!(j[0]["to"], json!({"onprem": 20, "aws": 80}));
    assert_eq!(j[0]["resource"], s.res("/services/web/rule_arn"));
    assert_eq!(j[1]["kind"], "outcome");
    assert_eq!(j[1]["now"], json!({"onprem": 20, "aws": 80}));
    assert_eq!(s.weights("web"), w(20, 80));
    // The kernel released the lock with the process: the next run goes ahead.
    run(&s, &["failover", "--yes", "--lock-timeout", "1s"], 0);
}

#[test]
fn defect_6_an_unwritable_journal_refuses_before_any_write() {
    let s = Account::new().seed(1);
    let dir = s.account.dir.path().join("a-directory");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(&s.config).unwrap();
    std::fs::write(&s.config, format!("{text}\njournal: {}\n", dir.display())).unwrap();
    let r = run(&s, &["failover", "--yes"], 3);
    assert_eq!(r.outcome, "failed");
    assert!(
        r.message.contains("cannot be written") && r.message.contains("nothing was changed"),
        "{}",
        r.message
    );
    assert_eq!(s.modifies(), 0);
    assert_eq!(s.weights("web"), w(40, 60));
}

#[test]
fn defect_7_aws_unreachable_mid_change_keeps_the_last_verified_state() {
    let s = Account::new().seed(1);
    let child = spawn_gradual(&s, "2s", &[]);
    wait_step_verified(&s, "1/2");
    s.account.ctl(
        "faults",
        json!({"operation": "*", "kind": "drop", "count": -1}),
    );
    let (code, r, stderr) = finish(child);
    assert_eq!(code, Some(3), "{stderr}");
    assert_eq!(r.outcome, "failed");
    assert_eq!(
        r.services[0].now,
        Some(w(20, 80)),
        "the last verified state"
    );
    assert!(
        r.message.contains("cannot read AWS before step 2"),
        "{}",
        r.message
    );
    assert!(
        !r.message.contains('{') && !r.message.contains('\n'),
        "one line, no Debug dump: {}",
        r.message
    );
    assert!(
        stderr.contains("hint: the AWS endpoint is unreachable"),
        "{stderr}"
    );
    let change = journal(&s);
    assert_eq!(change[0]["after"], json!({"onprem": 20, "aws": 80}));
    assert_eq!(change[0]["written"], 1);
}

#[test]
fn defect_9_a_rollback_keeps_the_record_of_what_was_written() {
    let s = Account::new().seed(1);
    let (code, r) = gradual_shift_then_unhealthy(&s, &["--on-failure", "rollback"]);
    assert_eq!(code, Some(1));
    assert_eq!(r.outcome, "rolled-back");
    assert_eq!(
        r.services[0].steps.len(),
        4,
        "the planned steps stay in the report"
    );
    let j = journal(&s);
    assert_eq!(j[0]["steps"], 4);
    assert_eq!(j[0]["written"], 2, "step 1 and the rollback");
    let rollback: Vec<_> = records(&s)
        .into_iter()
        .filter(|r| r["kind"] == "intent" && r["step"] == "rollback")
        .collect();
    assert_eq!(rollback.len(), 1);
    assert_eq!(rollback[0]["to"], json!({"onprem": 40, "aws": 60}));
}

#[test]
fn a_busy_lock_names_its_holder_and_other_services_are_not_blocked() {
    let s = Account::new().seed(2);
    let child = s
        .hybridctl_std()
        .args([
            "shift-traffic",
            "onprem=0",
            "aws=100",
            "--service",
            "web",
            "--step",
            "20",
        ])
        .args(["--interval", "30s", "--yes", "-o", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_step_verified(&s, "1/2");
    let r = run(
        &s,
        &[
            "failover",
            "--service",
            "web",
            "--yes",
            "--lock-timeout",
            "1s",
        ],
        1,
    );
    assert_eq!(r.outcome, "refused");
    let pid = child.id().to_string();
    assert!(
        r.message
            .contains(&format!("is locked by shift-traffic (pid {pid}, "))
            && r.message.contains(" since 20"),
        "{}",
        r.message
    );
    // Another service's rule has its own lock.
    let other = run(
        &s,
        &[
            "failover",
            "--service",
            "svc01",
            "--yes",
            "--lock-timeout",
            "1s",
        ],
        0,
    );
    assert_eq!(other.outcome, "applied");
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let (code, _, _) = finish(child);
    assert_eq!(code, Some(143));
}

/// Another client's change: 50/50 with stickiness 3600 s.
fn other_client_writes_50_50(s: &Seeded) {
    let (o, a) = (
        s.res("/services/web/target_groups/onprem"),
        s.res("/services/web/target_groups/aws"),
    );
    s.set_forward(&[(&o, 50), (&a, 50)], true);
}

#[test]
fn defect_2_the_rollback_write_checks_for_a_concurrent_change_too() {
    let s = Account::new().seed(1);
    // DescribeRules: plan, step 1 re-read, step 1 read-back, step 2 re-read; the 5th read (the
    // rollback's re-read) is slowed while another client writes.
    s.account.ctl(
        "faults",
        json!({"operation": "DescribeRules", "kind": "latency",
        "latency_ms": 1500, "count": 1, "after": 4}),
    );
    let child = spawn_gradual(&s, "2s", &["--on-failure", "rollback"]);
    wait_step_verified(&s, "1/2");
    force_health(&s, "web", "aws", &["10.0.1.10", "10.0.2.10"], "unhealthy");
    wait_until("the rollback's re-read", || {
        calls_of(&s, "elasticloadbalancing:DescribeRules") >= 5
    });
    other_client_writes_50_50(&s);
    let (code, r, stderr) = finish(child);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(r.outcome, "concurrent-change", "{}", r.message);
    assert!(
        r.message.contains("the rollback was not written"),
        "{}",
        r.message
    );
    assert!(r.message.contains("AWS holds onprem 50 (50%) | aws 50 (50%), this run last saw onprem 20 (20%) | aws 80 (80%)"), "{}", r.message);
    assert_eq!(
        s.weights("web"),
        w(50, 50),
        "the other client's change stands"
    );
}

#[test]
fn failback_without_a_cdc_latency_datapoint_is_refused_until_forced() {
    let s = Account::new().seed(1);
    run(&s, &["failover", "--yes"], 0);
    let r = run(&s, &["failback", "--yes"], 1);
    assert_eq!(r.outcome, "refused");
    let g = r.services[0]
        .gates
        .iter()
        .find(|g| g.name == "replication")
        .unwrap();
    assert!(
        !g.passed && g.message.contains("no CDCLatencyTarget datapoint"),
        "{}",
        g.message
    );
    assert_eq!(s.weights("web"), w(0, 100));
    let r = run(&s, &["failback", "--yes", "--force"], 0);
    assert_eq!(r.outcome, "applied");
    assert_eq!(
        journal(&s).last().unwrap()["forced_gates"],
        json!(["replication"])
    );
}

#[test]
fn an_arn_aws_does_not_know_is_named_with_its_key_and_place() {
    let s = Account::new().seed(1);
    let rule = s.res("/services/web/rule_arn");
    let (base, _id) = rule.rsplit_once('/').unwrap();
    let gone = format!("{base}/ffffffffffffffff");
    let text = std::fs::read_to_string(&s.config).unwrap();
    std::fs::write(&s.config, text.replace(&rule, &gone)).unwrap();
    let out = s.hybridctl().args(["failover", "--yes"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let file = s.config.display().to_string();
    assert!(stderr.contains(&format!("{file}:")), "{stderr}");
    assert!(
        stderr.contains(&format!(
            ": services.web.rule_arn = {gone}: AWS has no such resource"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: check the ARN in the topology file"),
        "{stderr}"
    );
    assert_eq!(s.modifies(), 0);
    // status says the same in its traffic section.
    let out = s.hybridctl().args(["status"]).output().unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(3), "{all}");
    assert!(all.contains("services.web.rule_arn"), "{all}");
}

#[test]
fn a_rollback_never_sends_more_traffic_to_a_site_without_healthy_targets() {
    let s = Account::new().seed(1);
    s.put_cdc_latency(2.0);
    // 40/60 -> 80/20 in steps of 20; the aws site loses its targets after step 1. Rolling back
    // to 40/60 would raise aws (0 healthy) from 40% to 60%: the rollback is refused too.
    let child = s
        .hybridctl_std()
        .args([
            "shift-traffic",
            "onprem=80",
            "aws=20",
            "--step",
            "20",
            "--interval",
            "3s",
        ])
        .args(["--on-failure", "rollback", "--yes", "-o", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_step_verified(&s, "1/2");
    force_health(&s, "web", "aws", &["10.0.1.10", "10.0.2.10"], "unhealthy");
    let (code, r, stderr) = finish(child);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(r.outcome, "stopped", "{}", r.message);
    assert!(
        r.message.contains("the rollback was not written either"),
        "{}",
        r.message
    );
    assert_eq!(s.weights("web"), w(60, 40), "left at step 1");
}

#[test]
fn a_signal_during_the_reads_or_the_lock_wait_is_an_interruption() {
    let s = Account::new().seed(1);
    // Already at the target: without the signal this would be "nothing to do", exit 0.
    s.account.ctl(
        "faults",
        json!({"operation": "DescribeRules", "kind": "latency", "latency_ms": 2000, "count": 1}),
    );
    let child = s
        .hybridctl_std()
        .args([
            "shift-traffic",
            "onprem=40",
            "aws=60",
            "--yes",
            "-o",
            "json",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("the slow read", || {
        calls_of(&s, "elasticloadbalancing:DescribeRules") >= 1
    });
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let (code, r, _) = finish(child);
    assert_eq!(code, Some(143));
    assert_eq!(r.outcome, "interrupted");
    // Waiting for another run's lock: a signal ends the wait at once.
    let holder = spawn_gradual(&s, "30s", &[]);
    wait_step_verified(&s, "1/2");
    let waiter = s
        .hybridctl_std()
        .args(["failover", "--yes", "--lock-timeout", "60s", "-o", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let sent = std::time::Instant::now();
    std::process::Command::new("kill")
        .args(["-TERM", &waiter.id().to_string()])
        .status()
        .unwrap();
    let (code, r, _) = finish(waiter);
    assert!(
        sent.elapsed() < Duration::from_secs(5),
        "not after the holder finished"
    );
    assert_eq!(code, Some(143));
    assert!(
        r.message
            .contains("while waiting for a lock: nothing was changed"),
        "{}",
        r.message
    );
    std::process::Command::new("kill")
        .args(["-TERM", &holder.id().to_string()])
        .status()
        .unwrap();
    finish(holder);
}

/// The gradual shift's progress bar on a real terminal (stderr on a pty, as an operator runs
/// it): drawn with indicatif's bar and redraws; on a pipe (Jenkins) plain lines, no bar, no
/// escape codes. stdout carries the same JSON report either way.
#[test]
fn the_progress_bar_is_drawn_on_a_terminal_and_absent_on_a_pipe() {
    let args = [
        "shift-traffic",
        "onprem=0",
        "aws=100",
        "--step",
        "25",
        "--interval",
        "1s",
        "--yes",
        "-o",
        "json",
    ];
    let s = Account::new().seed(1);
    let cmd = s.hybridctl_std();
    let python = std::env::var_os("HYBRIDCTL_LAB_PYTHON")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo().join(".lab/venv/bin/python"));
    let mut run = std::process::Command::new(python);
    run.arg(repo().join("tests/support/pty_run.py"))
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .args(args)
        .current_dir(cmd.get_current_dir().unwrap());
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => run.env(k, v),
            None => run.env_remove(k),
        };
    }
    let out = run.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], 0, "{v}");
    let report: Report = serde_json::from_str(v["stdout"].as_str().unwrap()).unwrap();
    assert_eq!(report.outcome, "applied");
    let tty = v["tty"].as_str().unwrap();
    // The template `{spinner} [{bar:20}] step {pos}/{len} ...`: half done is ten `=`.
    assert!(tty.contains("] step 1/2"), "{tty:?}");
    assert!(tty.contains("[=========="), "{tty:?}");
    assert!(tty.contains("\u{1b}["), "redraws use escape codes: {tty:?}");
    assert!(
        !tty.contains("step 1/2: "),
        "no plain step lines on a terminal: {tty:?}"
    );

    // Back to 40/60, then the same shift with stderr on a pipe.
    s.hybridctl()
        .args(["shift-traffic", "onprem=40", "aws=60", "--yes"])
        .assert()
        .success();
    let out = s.hybridctl().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("step 1/2: "), "{stderr}");
    assert!(!stderr.contains("[=========="), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    let report: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report.outcome, "applied");
}

#[test]
fn a_signal_during_the_last_write_is_applied_but_ends_with_the_signal() {
    // Issue 22.2: a Jenkins abort or `systemctl stop` during the final ModifyRule must not read
    // as success: outcome applied (the change was completed and verified), interrupted_by,
    // exit 128 + N.
    for (sig, code, target) in [("TERM", 143, (0, 100)), ("HUP", 129, (40, 60))] {
        let s = Account::new().seed(1);
        if target == (40, 60) {
            s.hybridctl().args(["failover", "--yes"]).assert().success();
        }
        s.account.ctl(
            "faults",
            json!({"operation": "ModifyRule", "kind": "latency", "latency_ms": 2000, "count": 1}),
        );
        let before = s.modifies();
        let verb = if target == (0, 100) {
            "failover"
        } else {
            "failback"
        };
        let child = s
            .hybridctl_std()
            .args([verb, "--yes", "--force", "-o", "json"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while s.modifies() == before {
            assert!(std::time::Instant::now() < deadline, "no ModifyRule");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::process::Command::new("kill")
            .args([&format!("-{sig}"), &child.id().to_string()])
            .status()
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(code),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(r["outcome"], "applied", "{r}");
        assert_eq!(r["interrupted_by"], format!("SIG{sig}"), "{r}");
        assert!(
            r["message"]
                .as_str()
                .unwrap()
                .contains("arrived during the last write"),
            "{r}"
        );
        assert_eq!(s.weights("web"), w(target.0, target.1));
        let change = s
            .journal_records()
            .into_iter()
            .rev()
            .find(|r| r["kind"] == "change")
            .unwrap();
        assert_eq!(change["outcome"], "applied", "{change}");
        assert_eq!(change["interrupted_by"], format!("SIG{sig}"), "{change}");
    }
}

#[test]
fn a_partial_failure_of_all_reports_what_aws_holds_for_every_service() {
    // Issue 22.4: of two services written at once, one write is refused; the one that went
    // out is read back once and reported with what AWS holds, never `null`.
    let s = Account::new().seed(2);
    s.account.ctl(
        "faults",
        json!({"operation": "ModifyRule", "kind": "http500", "count": 1, "after": 1}),
    );
    let out = s
        .hybridctl()
        .args(["failover", "--all", "--yes", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["outcome"], "failed", "{r}");
    let services = r["services"].as_array().unwrap();
    assert_eq!(services.len(), 2, "{r}");
    let mut written = 0;
    for svc in services {
        let name = svc["name"].as_str().unwrap();
        let now: BTreeMap<String, u32> = serde_json::from_value(svc["now"].clone())
            .unwrap_or_else(|e| panic!("{name}: now is {} ({e}): {r}", svc["now"]));
        assert_eq!(
            now,
            s.weights(name),
            "{name}: the report says what AWS holds"
        );
        written += usize::from(now == w(0, 100));
    }
    assert_eq!(written, 1, "one write went out, one was refused: {r}");
    // The journal's change records say the same.
    let after: Vec<serde_json::Value> = s
        .journal_records()
        .into_iter()
        .filter(|j| j["kind"] == "change")
        .map(|j| j["after"].clone())
        .collect();
    assert_eq!(after.len(), 2);
    assert!(after.iter().all(|a| !a.is_null()), "{after:?}");
}
