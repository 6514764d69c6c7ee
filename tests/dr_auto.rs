//! Automatic DR (`dr.auto`) against the lab: `watch --once` with `HYBRIDCTL_NOW` for `for` and
//! the approval's deadline, two "hosts" (their own state folders) sharing the coordination
//! table, the stand-in terraform first on PATH, and the lambda's refusals.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::{Value, json};

use crate::support::{Account, Seeded, repo, rt};

const T0: u64 = 1_800_000_000;

/// The seeded lab with a coordination table, a watcher that never fails over by itself, and
/// `auto` (YAML lines under `dr.auto:`, indented by four) in the dr section.
fn seeded(auto: &str) -> Seeded {
    let s = Account::new().seed_with(json!({"services": 1, "coordination": "2m"}));
    std::fs::create_dir_all(s.account.dir.path().join("infra/dr")).unwrap();
    let text = std::fs::read_to_string(&s.config).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        if line.starts_with("  ready:") {
            out.push_str("  auto:\n");
            out.push_str(auto);
        }
    }
    out.push_str("watch: { fail_after: 1000 }\n");
    std::fs::write(&s.config, out).unwrap();
    s
}

fn host(s: &Seeded, name: &str, at: u64) -> Command {
    let mut cmd = s.hybridctl_std();
    let path = format!(
        "{}:{}",
        repo().join("tests/fake-terraform").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    cmd.env(
        "XDG_STATE_HOME",
        s.account.dir.path().join(format!("host-{name}")),
    )
    .env("HYBRIDCTL_NOW", at.to_string())
    .env("PATH", path)
    .env("FAKE_TF_MODE", "success")
    .env("FAKE_TF_VARS", "-var=cluster_name=dr-eks")
    .env("FAKE_TF_CALLS", s.account.dir.path().join("tf-calls.log"));
    cmd
}

/// One `watch --once` on host `name`: its JSON line's `dr_auto` and stderr.
fn once(s: &Seeded, name: &str, at: u64) -> (Value, String) {
    let out = host(s, name, at)
        .args(["watch", "--once", "-o", "json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let line: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {err}"));
    (line["dr_auto"].clone(), err)
}

fn prod_failing(s: &Seeded, failing: bool) {
    s.account.ctl(
        "route53-health",
        json!({"health_check_id": s.res("/health_checks/prod"), "healthy": !failing}),
    );
}

fn weights(s: &Seeded) -> BTreeMap<String, i64> {
    let client = s.context().route53();
    rt().block_on(hybridctl::aws::route53::weighted_records(
        &client,
        &s.res("/zone_id"),
        "ticket.example.com.",
        "A",
    ))
    .unwrap()
    .into_iter()
    .map(|r| (r.set_identifier.unwrap(), r.weight.unwrap()))
    .collect()
}

fn stage(prod: i64, eks: i64, ecs: i64) -> BTreeMap<String, i64> {
    BTreeMap::from([
        ("prod".into(), prod),
        ("dr-eks".into(), eks),
        ("dr-ecs".into(), ecs),
    ])
}

fn changes(s: &Seeded) -> u64 {
    s.account
        .calls()
        .get("route53:ChangeResourceRecordSets")
        .copied()
        .unwrap_or(0)
}

fn run(s: &Seeded, name: &str, at: u64, args: &[&str]) -> (Option<i32>, String, String) {
    let out = host(s, name, at).args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The shared history's records (newest first).
fn history(s: &Seeded) -> Vec<Value> {
    let (code, out, err) = run(s, "c", T0, &["history", "-o", "json", "--limit", "200"]);
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    v["records"].as_array().cloned().unwrap_or_default()
}

#[test]
fn dr_auto_fires_once_after_for_with_terraform_and_not_on_unknown() {
    let s = seeded("    when: { health_check_failing: prod }\n    for: 3m\n");
    prod_failing(&s, true);
    let (dr, err) = once(&s, "a", T0);
    assert!(
        dr["poll"]
            .as_str()
            .unwrap()
            .starts_with("bad: the Route 53 health check of prod fails"),
        "{dr}\n{err}"
    );
    assert!(dr["action"].is_null(), "{dr}");
    // Past `for`, but this poll cannot read the records: unknown never fires.
    s.account
        .fault("route53:ListResourceRecordSets", "throttle", 1);
    let (dr, err) = once(&s, "a", T0 + 200);
    assert!(
        dr["poll"].as_str().unwrap().starts_with("unknown"),
        "{dr}\n{err}"
    );
    assert!(dr["action"].is_null(), "{dr}");
    assert_eq!(changes(&s), 0);
    // Bad again and 200 s since the streak began: the provision runs, Terraform included.
    let (dr, err) = once(&s, "a", T0 + 200);
    assert_eq!(dr["action"], "started: applied", "{dr}\n{err}");
    assert!(
        err.contains(
            "automatic DR: dr provision (dr.auto: the Route 53 health check of prod fails"
        ),
        "{err}"
    );
    assert!(
        err.contains("terraform"),
        "terraform's progress is in the log: {err}"
    );
    assert_eq!(weights(&s), stage(0, 100, 0));
    let tf = std::fs::read_to_string(s.account.dir.path().join("tf-calls.log")).unwrap();
    assert!(tf.lines().any(|l| l.starts_with("apply")), "{tf}");
    assert!(
        dr["latched"]["why"]
            .as_str()
            .unwrap()
            .contains("watch --unlatch dr")
    );
    let provisioned = history(&s)
        .into_iter()
        .filter(|r| r["command"] == "dr provision")
        .collect::<Vec<_>>();
    assert!(!provisioned.is_empty());
    assert!(
        provisioned.iter().all(|r| r["actor"] == "watch"),
        "{provisioned:?}"
    );
    // One outage, one DR: the next polls (still bad) start nothing.
    let before = changes(&s);
    let (dr, _) = once(&s, "a", T0 + 400);
    assert!(dr["action"].is_null(), "{dr}");
    assert_eq!(changes(&s), before);
    // A person unlatches; journaled.
    let (code, _, err) = run(
        &s,
        "a",
        T0 + 500,
        &["watch", "--unlatch", "dr", "--reason", "DR drill over"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("the latch is cleared"), "{err}");
    let (dr, _) = once(&s, "a", T0 + 510);
    assert!(dr["latched"].is_null(), "{dr}");
}

const APPROVE: &str = "    when: { health_check_failing: prod }\n    for: 0s\n    skip_terraform: true\n    approve: { required: true, timeout: 15m, on_timeout: ON }\n";

/// Fires with an approval: the pending DR's run id.
fn asked(s: &Seeded) -> String {
    prod_failing(s, true);
    let (dr, err) = once(s, "a", T0);
    assert_eq!(dr["action"], "asked", "{dr}\n{err}");
    let run = dr["pending"]["run"].as_str().unwrap().to_string();
    assert!(
        err.contains(&format!(
            "DR pending approval: hybridctl dr approve {run}, or dr deny {run}; "
        )) && err.contains(" at 2027-01-15T08:15:00Z"),
        "{err}"
    );
    assert_eq!(
        weights(s),
        stage(100, 0, 0),
        "nothing moves before the approval"
    );
    run
}

#[test]
fn approved_from_a_second_host_proceeds_and_the_approver_is_recorded() {
    let s = seeded(&APPROVE.replace("ON", "abort"));
    let run = asked(&s);
    // `dr pending -o json` from the other host: the contract's shape.
    let (code, out, err) = run_(&s, "b", T0 + 30, &["dr", "pending", "-o", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "hybridctl.dr-pending/v1");
    let items = v["pending"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{v}");
    let keys: Vec<&str> = items[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["deadline", "run", "since", "trigger"], "{v}");
    assert_eq!(items[0]["run"], run.as_str());
    assert_eq!(items[0]["since"], "2027-01-15T08:00:00Z");
    assert_eq!(items[0]["deadline"], "2027-01-15T08:15:00Z");
    // Still waiting: the watcher keeps asking nobody and moves nothing.
    let (dr, _) = once(&s, "a", T0 + 30);
    assert!(dr["action"].is_null(), "{dr}");
    let (code, out, err) = run_(
        &s,
        "b",
        T0 + 60,
        &["dr", "approve", &run, "--reason", "confirmed outage"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains(&format!("automatic DR {run} approved by")),
        "{out}"
    );
    // A second answer is refused.
    let (code, _, err) = run_(&s, "b", T0 + 61, &["dr", "deny", &run]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("already approved"), "{err}");
    let (dr, err) = once(&s, "a", T0 + 90);
    assert_eq!(dr["action"], "started: applied", "{dr}\n{err}");
    assert_eq!(weights(&s), stage(0, 100, 0));
    let h = history(&s);
    let approval = h
        .iter()
        .find(|r| r["command"] == "dr approve")
        .expect("the approval is in the shared history");
    assert_eq!(approval["run"], run.as_str());
    assert!(
        approval["message"]
            .as_str()
            .unwrap()
            .contains("approved by"),
        "{approval}"
    );
    let provision = h.iter().find(|r| r["command"] == "dr provision").unwrap();
    assert_eq!(provision["actor"], "watch");
    assert!(
        provision["reason"]
            .as_str()
            .unwrap()
            .contains("approved by"),
        "{provision}"
    );
    let (_, out, _) = run_(&s, "b", T0 + 100, &["dr", "pending", "-o", "json"]);
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap()["pending"],
        json!([])
    );
}

fn run_(s: &Seeded, name: &str, at: u64, args: &[&str]) -> (Option<i32>, String, String) {
    run(s, name, at, args)
}

#[test]
fn deny_aborts_and_latches() {
    let s = seeded(&APPROVE.replace("ON", "abort"));
    let run = asked(&s);
    let (code, _, err) = run_(
        &s,
        "b",
        T0 + 10,
        &["dr", "deny", &run, "--reason", "false alarm"],
    );
    assert_eq!(code, Some(0), "{err}");
    let (dr, err) = once(&s, "a", T0 + 20);
    assert_eq!(dr["action"], "aborted", "{dr}\n{err}");
    assert!(err.contains("false alarm"), "{err}");
    let (dr, _) = once(&s, "a", T0 + 30);
    assert!(dr["action"].is_null(), "latched: {dr}");
    assert_eq!(weights(&s), stage(100, 0, 0));
    assert_eq!(changes(&s), 0);
}

#[test]
fn the_deadline_aborts_or_proceeds_as_configured() {
    let s = seeded(&APPROVE.replace("ON", "abort"));
    let run = asked(&s);
    let (dr, _) = once(&s, "a", T0 + 899);
    assert!(dr["action"].is_null(), "{dr}");
    // A late approval is refused.
    let (code, _, err) = run_(&s, "b", T0 + 900, &["dr", "approve", &run]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("deadline"), "{err}");
    let (dr, err) = once(&s, "a", T0 + 900);
    assert_eq!(dr["action"], "aborted", "{dr}\n{err}");
    assert_eq!(weights(&s), stage(100, 0, 0));

    let s = seeded(&APPROVE.replace("ON", "proceed"));
    asked(&s);
    let (dr, err) = once(&s, "a", T0 + 900);
    assert_eq!(dr["action"], "started: applied", "{dr}\n{err}");
    assert_eq!(weights(&s), stage(0, 100, 0));
}

#[test]
fn validate_refuses_an_approval_without_a_coordination_table() {
    let s = Account::new().seed(1);
    let text = std::fs::read_to_string(&s.config).unwrap().replace(
        "  ready:",
        "  auto:\n    when: { alarm: x }\n    approve: { required: true }\n  ready:",
    );
    std::fs::write(&s.config, text).unwrap();
    let out = s.hybridctl().args(["validate"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("dr.auto.approve.required"), "{err}");
    assert!(err.contains("needs a coordination section"), "{err}");
}

#[test]
fn lambda_refuses_dr_auto_with_terraform_unless_skip_terraform() {
    let s = seeded("    when: { alarm: onprem-requestcount-high }\n    for: 0s\n");
    let zip = s.account.dir.path().join("fn.zip");
    let out = s
        .hybridctl()
        .args(["lambda", "package", "--out"])
        .arg(&zip)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("hybridctl lambda cannot run Terraform"),
        "{err}"
    );
    assert!(err.contains("dr.auto.skip_terraform: true"), "{err}");
    assert!(!zip.exists());
    let text = std::fs::read_to_string(&s.config)
        .unwrap()
        .replace("    for: 0s\n", "    for: 0s\n    skip_terraform: true\n");
    std::fs::write(&s.config, text).unwrap();
    let out = s
        .hybridctl()
        .args(["lambda", "package", "--out"])
        .arg(&zip)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
