//! Snapshots of what a person sees from every command (table output: exit code, stdout and
//! stderr) against the lab. They pin today's behaviour so that a refactor can be checked against
//! it; everything that changes from run to run is filtered in `snap`.

use serde_json::json;

use crate::support::{Account, Seeded, repo, write};

/// Runs `hybridctl ARGS` from `cmd`, checks the exit code and snapshots exit code, stdout and
/// stderr as `name`, with ids, ARNs, times, durations, ports, user@host and paths filtered.
fn snap(name: &str, mut cmd: assert_cmd::Command, args: &[&str], code: i32) {
    let out = cmd.args(args).output().unwrap();
    let text = format!(
        "exit {}\n----- stdout\n{}----- stderr\n{}",
        out.status
            .code()
            .map_or("by a signal".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(code), "{args:?}\n{text}");
    insta::with_settings!({
        description => format!("hybridctl {}", args.join(" ")),
        omit_expression => true,
        filters => vec![
            (r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?", "[TIME]"),
            (r"dr-terraform-[0-9TZ-]+\.log", "dr-terraform-[TIME].log"),
            (r"arn:aws:[^\s,;)]+", "[ARN]"),
            (r"\b\d{12}\b", "[ACCOUNT]"),
            (r"zone [0-9A-Z]+", "zone [ZONE_ID]"),
            (r"/change/[0-9A-Z]+", "/change/[CHANGE_ID]"),
            (r"\b\d+(\.\d+)?(ns|µs|us|ms)\b", "[DURATION]"),
            (r"OK for \d[0-9hms]*", "OK for [DURATION]"),
            (r" by [^\s@]+@[^\s:]+", " by [USER]@[HOST]"),
            (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
            (r"(/[^\s/:;,]+)*/\.tmp[0-9A-Za-z]+", "[TMP]"),
            (r"(/[^\s/:;,]+)*/tests/fake-terraform/", "[REPO]/tests/fake-terraform/"),
        ],
    }, {
        insta::assert_snapshot!(name, text);
    });
}

/// A seeded lab with the Terraform directory the topology names and the stand-in terraform
/// (tests/fake-terraform) first on PATH, in `mode`.
fn dr(s: &Seeded, mode: &str) -> assert_cmd::Command {
    std::fs::create_dir_all(s.account.dir.path().join("infra/dr")).unwrap();
    let path = format!(
        "{}:{}",
        repo().join("tests/fake-terraform").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = s.hybridctl();
    cmd.env("PATH", path)
        .env("FAKE_TF_MODE", mode)
        .env("FAKE_TF_VARS", "-var=cluster_name=dr-eks");
    cmd
}

#[test]
fn validate() {
    let acct = Account::new();
    let base = include_str!("data/base.yaml");
    write(acct.dir.path(), "ok.yaml", base);
    snap(
        "validate_ok",
        acct.hybridctl(),
        &["validate", "-c", "ok.yaml"],
        0,
    );
    let bad = base
        .replace("aws: 60 }", "aws: 1000 }")
        .replace("from: onprem", "from: dc1")
        .replace("port: 3306", "port: 70000")
        .replace("region: ap-southeast-1", "region: singapore")
        .replace("timeout: 30m", "timeout: soon");
    write(acct.dir.path(), "bad.yaml", &bad);
    snap(
        "validate_several_problems",
        acct.hybridctl(),
        &["validate", "-c", "bad.yaml"],
        2,
    );
    let syntax = base.replace(
        "kind: onprem, description",
        "kind: onprem, zone: a, description",
    );
    write(acct.dir.path(), "syntax.yaml", &syntax);
    snap(
        "validate_unknown_field",
        acct.hybridctl(),
        &["validate", "-c", "syntax.yaml"],
        2,
    );
}

#[test]
fn status_normal() {
    let s = Account::new().seed(1);
    snap("status_normal", s.hybridctl(), &["status"], 0);
}

#[test]
fn status_failed_over_by_hybridctl() {
    let s = Account::new().seed(1);
    s.hybridctl()
        .args(["failover", "--yes", "--reason", "drill"])
        .assert()
        .success();
    // "OK for 1s" sits in a wrapped table cell: a longer duration would move the wrap, which
    // no filter can undo. Setting the alarm just before keeps it at 0s or 1s.
    s.set_alarm(aws_sdk_cloudwatch::types::StateValue::Ok);
    snap("status_failed_over", s.hybridctl(), &["status"], 1);
}

#[test]
fn status_degraded_replication_and_alarm() {
    let s = Account::new().seed(1);
    s.set_alarm(aws_sdk_cloudwatch::types::StateValue::Alarm);
    s.account.ctl(
        "dms-task",
        json!({"task_arn": s.res("/dms_task"), "status": "failed", "stop_reason": "FAILED",
               "last_failure_message": "Error reading binary log"}),
    );
    s.disable_backups();
    s.force_health("web", "aws", &["10.0.1.10"], "unhealthy");
    snap("status_degraded", s.hybridctl(), &["status"], 1);
}

#[test]
fn shift_traffic() {
    let s = Account::new().seed(1);
    let args = ["shift-traffic", "onprem=30", "aws=70"];
    snap(
        "shift_traffic_dry_run",
        s.hybridctl(),
        &[&args[..], &["--dry-run"]].concat(),
        0,
    );
    snap(
        "shift_traffic_applied",
        s.hybridctl(),
        &[&args[..], &["--yes", "--reason", "load test"]].concat(),
        0,
    );
    snap(
        "shift_traffic_no_op",
        s.hybridctl(),
        &[&args[..], &["--yes"]].concat(),
        0,
    );
    snap(
        "shift_traffic_without_yes",
        s.hybridctl(),
        &["shift-traffic", "onprem=40", "aws=60"],
        2,
    );
    snap(
        "shift_traffic_bad_weight",
        s.hybridctl(),
        &["shift-traffic", "onprem=1000", "aws=0", "--yes"],
        2,
    );
    snap(
        "shift_traffic_gradual",
        s.hybridctl(),
        &[
            "shift-traffic",
            "onprem=0",
            "aws=100",
            "--step",
            "20",
            "--interval",
            "1s",
            "--yes",
        ],
        0,
    );
}

#[test]
fn failover() {
    let s = Account::new().seed(1);
    snap(
        "failover_dry_run",
        s.hybridctl(),
        &["failover", "--dry-run"],
        0,
    );
    snap(
        "failover_if_alarm_no_action",
        s.hybridctl(),
        &["failover", "--if-alarm", "--yes"],
        0,
    );
    snap(
        "failover_applied",
        s.hybridctl(),
        &["failover", "--yes", "--reason", "drill"],
        0,
    );
    snap("failover_no_op", s.hybridctl(), &["failover", "--yes"], 0);
}

#[test]
fn failover_refused_by_the_health_gate() {
    let s = Account::new().seed(1);
    s.force_health("web", "aws", &["10.0.1.10", "10.0.2.10"], "unhealthy");
    snap(
        "failover_refused_dry_run",
        s.hybridctl(),
        &["failover", "--dry-run"],
        1,
    );
    snap("failover_refused", s.hybridctl(), &["failover", "--yes"], 1);
    snap(
        "failover_forced",
        s.hybridctl(),
        &[
            "failover",
            "--yes",
            "--force",
            "--reason",
            "checks are wrong",
        ],
        0,
    );
}

#[test]
fn failback() {
    let s = Account::new().seed(1);
    s.put_cdc_latency(2.0);
    s.hybridctl().args(["failover", "--yes"]).assert().success();
    s.set_alarm(aws_sdk_cloudwatch::types::StateValue::Alarm);
    snap(
        "failback_refused_by_the_alarm",
        s.hybridctl(),
        &["failback", "--yes"],
        1,
    );
    s.set_alarm(aws_sdk_cloudwatch::types::StateValue::Ok);
    snap(
        "failback_dry_run",
        s.hybridctl(),
        &["failback", "--dry-run"],
        0,
    );
    snap(
        "failback_applied",
        s.hybridctl(),
        &["failback", "--yes", "--reason", "onprem is back"],
        0,
    );
}

#[test]
fn check_binlog_rds() {
    let s = Account::new().seed(1);
    snap(
        "check_binlog_rds_ok",
        s.hybridctl(),
        &["dms", "check-binlog", "--no-sql"],
        0,
    );
    s.disable_backups();
    snap(
        "check_binlog_rds_backups_off",
        s.hybridctl(),
        &["dms", "check-binlog", "--no-sql"],
        1,
    );
}

#[test]
fn dr_provision_with_terraform_then_failback() {
    let s = Account::new().seed(1);
    snap("dr_status_normal", dr(&s, "success"), &["dr", "status"], 0);
    snap(
        "dr_provision_dry_run",
        dr(&s, "success"),
        &["dr", "provision", "--dry-run"],
        0,
    );
    snap(
        "dr_provision_applied",
        dr(&s, "success"),
        &["dr", "provision", "--yes", "--reason", "Seoul outage"],
        0,
    );
    snap(
        "dr_status_recovered",
        dr(&s, "success"),
        &["dr", "status"],
        0,
    );
    snap(
        "dr_provision_no_op",
        dr(&s, "success"),
        &["dr", "provision", "--yes"],
        0,
    );
    snap(
        "dr_failback_dry_run",
        dr(&s, "success"),
        &["dr", "failback", "--dry-run", "--destroy"],
        0,
    );
    snap(
        "dr_failback_applied_destroy",
        dr(&s, "success"),
        &["dr", "failback", "--yes", "--destroy"],
        0,
    );
}

#[test]
fn dr_provision_skip_terraform_then_failback() {
    let s = Account::new().seed(1);
    snap(
        "dr_provision_skip_terraform_dry_run",
        dr(&s, "success"),
        &["dr", "provision", "--skip-terraform", "--dry-run"],
        0,
    );
    snap(
        "dr_provision_skip_terraform",
        dr(&s, "success"),
        &["dr", "provision", "--skip-terraform", "--yes"],
        0,
    );
    s.account.ctl(
        "route53-health",
        json!({"health_check_id": s.res("/health_checks/prod"), "healthy": false}),
    );
    snap(
        "dr_failback_refused_dry_run",
        dr(&s, "success"),
        &["dr", "failback", "--dry-run"],
        1,
    );
    snap(
        "dr_failback_refused",
        dr(&s, "success"),
        &["dr", "failback", "--yes"],
        1,
    );
    s.account.ctl(
        "route53-health",
        json!({"health_check_id": s.res("/health_checks/prod"), "healthy": true}),
    );
    snap(
        "dr_failback_applied",
        dr(&s, "success"),
        &["dr", "failback", "--yes"],
        0,
    );
    snap(
        "dr_failback_no_op",
        dr(&s, "success"),
        &["dr", "failback", "--yes"],
        0,
    );
}

#[test]
fn dr_provision_refused_and_failed() {
    let s = Account::new().seed(1);
    s.account.ctl(
        "route53-health",
        json!({"health_check_id": s.res("/health_checks/dr-ecs"), "healthy": false}),
    );
    // The dry run has no gate step: it plans what the real run then refuses.
    snap(
        "dr_provision_refused_dry_run",
        dr(&s, "success"),
        &["dr", "provision", "--skip-terraform", "--dry-run"],
        1,
    );
    snap(
        "dr_provision_refused",
        dr(&s, "success"),
        &["dr", "provision", "--yes"],
        1,
    );
    s.account.ctl(
        "route53-health",
        json!({"health_check_id": s.res("/health_checks/dr-ecs"), "healthy": true}),
    );
    snap(
        "dr_provision_terraform_failed",
        dr(&s, "error"),
        &["dr", "provision", "--yes"],
        3,
    );
    snap(
        "dr_status_in_progress",
        dr(&s, "success"),
        &["dr", "status"],
        1,
    );
}
