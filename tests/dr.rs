//! `hybridctl dr status | provision | failback` against the lab, with the stand-in terraform
//! (tests/fake-terraform) first on PATH.

// These structs mirror the JSON schema with deny_unknown_fields; not every field is read.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::{Value, json};

use crate::support::{Account, Seeded, repo, rt};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Status {
    schema: String,
    record: String,
    zone_id: String,
    stage: String,
    records: Vec<Record>,
    ready: Option<Ready>,
    provision: Provision,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    set_identifier: Option<String>,
    weight: Option<i64>,
    health_check_id: Option<String>,
    healthy: Option<bool>,
    checkers: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Ready {
    healthy: u32,
    total: u32,
    min_healthy_targets: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Provision {
    started: Option<String>,
    done: Vec<String>,
    last_error: Option<String>,
    finished: bool,
}

/// A seeded lab with the Terraform directory the topology names and a calls log.
struct Env {
    s: Seeded,
    calls: PathBuf,
}

fn env() -> Env {
    let s = Account::new().seed(1);
    std::fs::create_dir_all(s.account.dir.path().join("infra/dr")).unwrap();
    let calls = s.account.dir.path().join("terraform-calls.log");
    Env { s, calls }
}

impl Env {
    fn command(&self, args: &[&str], mode: &str) -> std::process::Command {
        let path = format!(
            "{}:{}",
            repo().join("tests/fake-terraform").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = self.s.hybridctl_std();
        cmd.arg("dr")
            .args(args)
            .args(["-o", "json"])
            .env("PATH", path)
            .env("FAKE_TF_MODE", mode)
            .env("FAKE_TF_VARS", "-var=cluster_name=dr-eks")
            .env("FAKE_TF_CALLS", &self.calls);
        cmd
    }

    fn run(&self, args: &[&str], mode: &str) -> (Option<i32>, Value, String) {
        let out = self.command(args, mode).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (out.status.code(), v, stderr)
    }

    fn status(&self) -> Status {
        let (code, v, stderr) = self.run(&["status"], "success");
        assert!(code == Some(0) || code == Some(1), "{stderr}");
        let st: Status = serde_json::from_value(v).unwrap();
        assert_eq!(st.schema, "hybridctl.dr-status/v1");
        st
    }

    fn records(&self) -> Vec<hybridctl::aws::route53::WeightedRecord> {
        let client = self.s.context().route53();
        rt().block_on(hybridctl::aws::route53::weighted_records(
            &client,
            &self.s.res("/zone_id"),
            "ticket.example.com.",
            "A",
        ))
        .unwrap()
    }

    fn weights(&self) -> BTreeMap<String, i64> {
        self.records()
            .into_iter()
            .map(|r| (r.set_identifier.unwrap(), r.weight.unwrap()))
            .collect()
    }

    fn terraform_calls(&self) -> Vec<String> {
        std::fs::read_to_string(&self.calls)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn route53_changes(&self) -> u64 {
        self.s
            .account
            .calls()
            .get("route53:ChangeResourceRecordSets")
            .copied()
            .unwrap_or(0)
    }

    fn edit(&self, from: &str, to: &str) {
        let text = std::fs::read_to_string(&self.s.config).unwrap();
        assert!(text.contains(from), "{from}");
        std::fs::write(&self.s.config, text.replace(from, to)).unwrap();
    }
}

fn stage(prod: i64, eks: i64, ecs: i64) -> BTreeMap<String, i64> {
    BTreeMap::from([
        ("prod".into(), prod),
        ("dr-eks".into(), eks),
        ("dr-ecs".into(), ecs),
    ])
}

#[test]
fn status_shows_stage_records_health_and_readiness() {
    let e = env();
    let st = e.status();
    assert_eq!(st.stage, "normal");
    assert_eq!(st.records.len(), 3);
    assert!(st.records.iter().all(|r| r.healthy == Some(true)));
    let ready = st.ready.as_ref().unwrap();
    assert_eq!(
        (ready.healthy, ready.total, ready.min_healthy_targets),
        (2, 2, 2)
    );
    assert!(st.provision.started.is_none());

    let prod = |st: &Status| {
        let r = st
            .records
            .iter()
            .find(|r| r.set_identifier.as_deref() == Some("prod"));
        let r = r.unwrap();
        (r.healthy, r.checkers.clone())
    };
    assert_eq!(
        prod(&st),
        (Some(true), Some("15/15 checkers report success".into()))
    );
    // A regional blip: 13 of 15 checkers succeed; Route 53 routes to it, so does hybridctl.
    let hc = e.s.res("/health_checks/prod");
    e.s.account.ctl(
        "route53-health",
        json!({"health_check_id": hc, "failing": 2}),
    );
    assert_eq!(
        prod(&e.status()),
        (Some(true), Some("13/15 checkers report success".into()))
    );
    e.s.account.ctl(
        "route53-health",
        json!({"health_check_id": hc, "healthy": false}),
    );
    assert_eq!(
        prod(&e.status()),
        (Some(false), Some("0/15 checkers report success".into()))
    );
}

#[test]
fn failback_follows_route_53s_rule_for_the_primarys_health() {
    let e = env();
    let (code, v, _) = e.run(&["provision", "--yes", "--skip-terraform"], "success");
    assert_eq!(code, Some(0), "{v}");
    let hc = e.s.res("/health_checks/prod");
    // 2 of 15 checkers succeed (13%): Route 53 considers it unhealthy; failback is refused.
    e.s.account.ctl(
        "route53-health",
        json!({"health_check_id": hc, "failing": 13}),
    );
    let (code, v, _) = e.run(&["failback", "--yes"], "success");
    assert_eq!(code, Some(1), "{v}");
    let gate = v["steps"][0]["message"].as_str().unwrap();
    assert!(
        gate.contains("fails (2/15 checkers report success)"),
        "{gate}"
    );
    // One region down (13 of 15 succeed): Route 53 routes to it; failback goes ahead.
    e.s.account.ctl(
        "route53-health",
        json!({"health_check_id": hc, "failing": 2}),
    );
    let (code, v, _) = e.run(&["failback", "--yes"], "success");
    assert_eq!(code, Some(0), "{v}");
    assert!(
        v["steps"][0]["message"]
            .as_str()
            .unwrap()
            .contains("passes (13/15 checkers report success)")
    );
    assert_eq!(e.weights(), stage(100, 0, 0));
}

#[test]
fn full_provision_then_failback_with_destroy() {
    let e = env();
    let before: Vec<_> = e.records();
    let (code, v, stderr) = e.run(
        &["provision", "--yes", "--reason", "Seoul outage"],
        "success",
    );
    assert_eq!(code, Some(0), "{v}\n{stderr}");
    assert_eq!(v["outcome"], "applied");
    assert_eq!(e.weights(), stage(0, 100, 0));
    let steps: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["building", "terraform", "ready", "recovered"]);
    assert!(
        v["steps"][1]["message"]
            .as_str()
            .unwrap()
            .contains("3/3 resource(s)"),
        "{v}"
    );
    // Terraform was called as it must be.
    let calls = e.terraform_calls();
    assert_eq!(
        calls,
        [
            "init -input=false -no-color",
            "apply -auto-approve -input=false -json -var=cluster_name=dr-eks"
        ]
    );
    assert!(
        stderr.contains("terraform apply: 1/3 module.eks.aws_eks_cluster.this"),
        "plain progress lines off a TTY: {stderr}"
    );
    // The records' other fields are preserved: only the weights differ.
    let after: Vec<_> = e.records();
    for b in &before {
        let a = after
            .iter()
            .find(|a| a.set_identifier == b.set_identifier)
            .unwrap();
        let mut a_raw = a.raw.clone();
        a_raw.weight = b.raw.weight;
        assert_eq!(a_raw, b.raw, "{} changed beyond its weight", b.name());
    }
    let st = e.status();
    assert_eq!(
        (st.stage.as_str(), st.provision.finished),
        ("recovered", true)
    );
    // Done is done: no write on a second run.
    let changes = e.route53_changes();
    let (code, v, _) = e.run(&["provision", "--yes"], "success");
    assert_eq!((code, v["outcome"].as_str()), (Some(0), Some("no-op")));
    assert_eq!(e.route53_changes(), changes);

    let (code, v, stderr) = e.run(&["failback", "--yes", "--destroy"], "success");
    assert_eq!(code, Some(0), "{v}\n{stderr}");
    assert_eq!(e.weights(), stage(100, 0, 0));
    assert!(
        e.terraform_calls()
            .last()
            .unwrap()
            .starts_with("destroy -auto-approve -input=false -json -var=cluster_name=dr-eks")
    );
    let journal =
        std::fs::read_to_string(e.s.account.dir.path().join("state/hybridctl/journal.jsonl"))
            .unwrap();
    let steps: Vec<String> = journal
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["kind"] == "step")
        .map(|v| v["step"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        steps,
        [
            "building",
            "terraform",
            "ready",
            "recovered",
            "normal",
            "destroy"
        ]
    );
}

#[test]
fn a_failed_apply_leaves_building_and_a_rerun_resumes() {
    let e = env();
    let (code, v, _) = e.run(&["provision", "--yes"], "error");
    assert_eq!(code, Some(3), "{v}");
    assert_eq!(v["outcome"], "failed");
    let msg = v["message"].as_str().unwrap();
    assert!(msg.contains("creating EKS Node Group (dr-workers): InvalidParameterException: Subnets are not in the cluster VPC"), "{msg}");
    assert!(msg.contains("traffic stays on stage building"), "{msg}");
    assert_eq!(e.weights(), stage(0, 0, 100), "the always-on stack serves");
    let st = e.status();
    assert_eq!(st.provision.done, ["building"]);
    assert!(st.provision.last_error.is_some());

    e.s.account.reset_calls();
    let (code, v, _) = e.run(&["provision", "--yes"], "success");
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(
        v["steps"][0]["outcome"], "skipped",
        "building is not written again"
    );
    assert_eq!(e.route53_changes(), 1, "only the move to recovered");
    assert_eq!(e.weights(), stage(0, 100, 0));
}

#[test]
fn terraform_killed_mid_way_is_resumable() {
    let e = env();
    let (code, v, _) = e.run(&["provision", "--yes"], "kill");
    assert_eq!(code, Some(3), "{v}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("killed by a signal"),
        "{v}"
    );
    assert_eq!(e.weights(), stage(0, 0, 100));
    let (code, _, _) = e.run(&["provision", "--yes"], "success");
    assert_eq!(code, Some(0));
    assert_eq!(e.weights(), stage(0, 100, 0));
}

#[test]
fn readiness_timeout_stays_on_building() {
    let e = env();
    e.edit(
        "min_healthy_targets: 2, timeout: 30m",
        "min_healthy_targets: 2, timeout: 2s",
    );
    for id in ["10.1.1.10", "10.1.2.10"] {
        e.s.account.ctl("target-health", json!({"target_group_arn": e.s.res("/dr_ready_target_group"), "target_id": id, "state": "unhealthy", "reason": "Target.FailedHealthChecks"}));
    }
    let started = std::time::Instant::now();
    let (code, v, _) = e.run(&["provision", "--yes", "--skip-terraform"], "success");
    assert_eq!(code, Some(3), "{v}");
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("not ready after 2s: 0/2 healthy (need 2)"),
        "{v}"
    );
    assert_eq!(e.weights(), stage(0, 0, 100));
    assert!(
        e.terraform_calls().is_empty(),
        "--skip-terraform runs no terraform"
    );
}

/// Route 53 keeps a change PENDING until it has propagated (the lab's `r53-pending`): the
/// provision polls for it, and --insync-timeout bounds the wait; the step fails with the change
/// still submitted, and a rerun reads the live stage and goes on.
#[test]
fn insync_timeout_bounds_the_wait_for_a_pending_route_53_change() {
    let e = env();
    let get_changes = |e: &Env| e.s.account.calls().get("route53:GetChange").copied();
    // Two PENDING answers, then INSYNC: the default timeout waits it out (1 s + 2 s of backoff).
    e.s.account.ctl("r53-pending", json!({"polls": 2}));
    let (code, v, _) = e.run(&["provision", "--yes", "--skip-terraform"], "success");
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(e.weights(), stage(0, 100, 0));
    assert!(get_changes(&e) >= Some(3), "{:?}", e.s.account.calls());
    e.run(&["failback", "--yes", "--force"], "success");
    assert_eq!(e.weights(), stage(100, 0, 0));

    // Never INSYNC: a 2s timeout ends the step after 2 s, not Route 53's usual minute or the 5m
    // default.
    e.s.account.ctl("r53-pending", json!({"polls": -1}));
    e.s.account.reset_calls();
    let started = std::time::Instant::now();
    let (code, v, _) = e.run(
        &[
            "provision",
            "--yes",
            "--skip-terraform",
            "--insync-timeout",
            "2s",
        ],
        "success",
    );
    let elapsed = started.elapsed();
    assert_eq!(code, Some(3), "{v}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("was not INSYNC after 2s"),
        "{v}"
    );
    assert!(elapsed < std::time::Duration::from_secs(30), "{elapsed:?}");
    // Polled at 0 s, after the 1 s backoff (clamped to the deadline) and at the deadline: three
    // polls, or two when a loaded machine makes the first take most of the 2 s; never one.
    assert!(get_changes(&e) >= Some(2), "{:?}", e.s.account.calls());
    // The change was submitted: Route 53 holds the building stage.
    assert_eq!(e.weights(), stage(0, 0, 100));

    // A typo in the flag is a usage error that changes nothing.
    let (code, _, stderr) = e.run(
        &["failback", "--yes", "--insync-timeout", "soon"],
        "success",
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--insync-timeout"), "{stderr}");
    assert_eq!(e.weights(), stage(0, 0, 100));
}

#[test]
fn failback_is_gated_on_the_primary_health_check() {
    let e = env();
    e.run(&["provision", "--yes", "--skip-terraform"], "success");
    assert_eq!(e.weights(), stage(0, 100, 0));
    e.s.account.ctl(
        "route53-health",
        json!({"health_check_id": e.s.res("/health_checks/prod"), "healthy": false}),
    );
    let (code, v, _) = e.run(&["failback", "--yes"], "success");
    assert_eq!((code, v["outcome"].as_str()), (Some(1), Some("refused")));
    assert_eq!(e.weights(), stage(0, 100, 0));
    let (code, v, _) = e.run(&["failback", "--yes", "--force"], "success");
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(e.weights(), stage(100, 0, 0));
    assert!(e.terraform_calls().is_empty(), "no --destroy, no terraform");
}

#[test]
fn a_stage_naming_an_unknown_set_identifier_changes_nothing() {
    let e = env();
    e.edit(
        "building: { prod: 0, dr-eks: 0, dr-ecs: 100 }",
        "building: { prod: 0, dr-eks: 0, dr-ecs: 100, dr-gke: 0 }",
    );
    e.edit(
        "normal: { prod: 100, dr-eks: 0, dr-ecs: 0 }",
        "normal: { prod: 100, dr-eks: 0, dr-ecs: 0, dr-gke: 0 }",
    );
    e.edit(
        "recovered: { prod: 0, dr-eks: 100, dr-ecs: 0 }",
        "recovered: { prod: 0, dr-eks: 100, dr-ecs: 0, dr-gke: 0 }",
    );
    let (code, _, stderr) = e.run(&["provision", "--yes"], "success");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("names set identifier dr-gke"), "{stderr}");
    assert_eq!(e.route53_changes(), 0);
}

#[test]
fn missing_terraform_or_directory_is_a_usage_error() {
    let e = env();
    e.edit("binary: terraform", "binary: no-such-terraform");
    let (code, _, stderr) = e.run(&["provision", "--yes"], "success");
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("Terraform binary `no-such-terraform` not found on PATH")
            && stderr.contains("hint:"),
        "{stderr}"
    );
    e.edit("binary: no-such-terraform", "binary: terraform");
    e.edit("dir: infra/dr", "dir: infra/missing");
    let (code, _, stderr) = e.run(&["provision", "--yes"], "success");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("is not a directory"), "{stderr}");
    assert!(e.s.account.calls().is_empty());
}

#[test]
fn dry_run_plans_with_terraform_and_changes_nothing() {
    let e = env();
    let (code, v, _) = e.run(&["provision", "--dry-run"], "success");
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["outcome"], "planned");
    assert!(
        v["steps"][1]["message"]
            .as_str()
            .unwrap()
            .contains("terraform plan: 3 resource change(s)"),
        "{v}"
    );
    assert_eq!(e.route53_changes(), 0);
    assert_eq!(
        e.terraform_calls(),
        [
            "init -input=false -no-color",
            "plan -input=false -json -var=cluster_name=dr-eks"
        ]
    );
    // Off a terminal, a real run needs --yes.
    let (code, _, stderr) = e.run(&["provision"], "success");
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(e.weights(), stage(100, 0, 0));
}

/// Starts a provision with a slow terraform, sends `signal` to hybridctl 1.5 s in, waits.
/// Starts a provision with a slow terraform, sends `signal` to hybridctl once the apply has
/// started, waits; also returns how long the run took after the signal.
fn interrupt_provision(e: &Env, signal: &str) -> (Option<i32>, Value, std::time::Duration) {
    let child = e
        .command(&["provision", "--yes"], "slow")
        .env("FAKE_TF_SLOW_SECONDS", "3")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !e.terraform_calls().iter().any(|c| c.starts_with("apply")) {
        assert!(
            std::time::Instant::now() < deadline,
            "terraform apply did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let sent = std::time::Instant::now();
    std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
        sent.elapsed(),
    )
}

#[test]
fn ctrl_c_stops_after_the_current_step_and_a_rerun_resumes() {
    let e = env();
    // The signal is passed on to Terraform (SIGINT), which stops after the resource in flight
    // (as `terraform apply` does): the apply is not done, traffic stays on building.
    let (code, v, after_signal) = interrupt_provision(&e, "-INT");
    assert_eq!(code, Some(130), "{v}");
    assert_eq!(v["outcome"], "interrupted");
    // The apply takes 3 x 3 s; stopping after the resource in flight takes at most one of them.
    assert!(
        after_signal < std::time::Duration::from_secs(6),
        "not the whole apply: {after_signal:?}"
    );
    assert_eq!(e.status().provision.done, ["building"]);
    assert_eq!(e.weights(), stage(0, 0, 100));
    e.s.account.reset_calls();
    let (code, v, _) = e.run(&["provision", "--yes"], "success");
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(
        v["steps"][0]["outcome"], "skipped",
        "building is live: not rewritten"
    );
    assert_eq!(
        v["steps"][1]["outcome"], "done",
        "the stopped apply runs again"
    );
    assert_eq!(e.route53_changes(), 1, "only recovered is written");
    assert_eq!(e.weights(), stage(0, 100, 0));
}

#[test]
fn hybridctl_killed_mid_apply_resumes_from_terraform() {
    let e = env();
    let (code, _, _) = interrupt_provision(&e, "-KILL");
    assert_eq!(code, None, "killed by a signal");
    assert_eq!(e.weights(), stage(0, 0, 100));
    assert_eq!(e.status().provision.done, ["building"]);
    let (code, v, _) = e.run(&["provision", "--yes"], "success");
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["steps"][0]["outcome"], "skipped");
    assert_eq!(e.weights(), stage(0, 100, 0));
}

#[test]
fn a_stage_sending_all_traffic_to_failing_health_checks_is_refused() {
    let e = env();
    e.s.account.ctl(
        "route53-health",
        json!({"health_check_id": e.s.res("/health_checks/dr-ecs"), "healthy": false}),
    );
    let (code, v, _) = e.run(&["provision", "--yes", "--skip-terraform"], "success");
    assert_eq!(code, Some(1), "{v}");
    assert_eq!(v["outcome"], "refused");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("would send all traffic to records whose health checks fail"),
        "{v}"
    );
    assert_eq!(e.weights(), stage(100, 0, 0));
    assert_eq!(e.route53_changes(), 0);
    let (code, v, _) = e.run(
        &["provision", "--yes", "--skip-terraform", "--force"],
        "success",
    );
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(e.weights(), stage(0, 100, 0));
}

// ------------------------------------------------------------------ the change runbook

fn state_file(e: &Env) -> PathBuf {
    e.s.account.dir.path().join("state/hybridctl/dr-state.json")
}

#[test]
fn defect_3_resume_starts_from_the_live_stage_and_never_flips_dns() {
    let e = env();
    let (code, v, stderr) = e.run(&["provision", "--yes", "--skip-terraform"], "success");
    assert_eq!(code, Some(0), "{v}\n{stderr}");
    assert_eq!(e.weights(), stage(0, 100, 0));
    // Killed right after the `recovered` write, before the state file recorded it.
    let mut state: Value = serde_json::from_slice(&std::fs::read(state_file(&e)).unwrap()).unwrap();
    state["done"] = serde_json::json!(["building", "terraform", "ready"]);
    state["finished"] = Value::Bool(false);
    std::fs::write(state_file(&e), state.to_string()).unwrap();
    e.s.account.reset_calls();
    let (code, v, stderr) = e.run(&["provision", "--yes", "--skip-terraform"], "success");
    assert_eq!(code, Some(0), "{v}\n{stderr}");
    assert_eq!(e.route53_changes(), 0, "no stage is rewritten: {v}");
    assert_eq!(e.weights(), stage(0, 100, 0));
    assert_eq!(v["steps"][0]["step"], "building");
    assert_eq!(v["steps"][0]["outcome"], "skipped");
    assert_eq!(v["steps"][3]["outcome"], "skipped");
    assert!(e.status().provision.finished);
}

#[test]
fn defect_8_a_dr_provision_in_progress_does_not_block_a_failover() {
    let e = env();
    let child = e
        .command(&["provision", "--yes"], "slow")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the provision holds the DR record's lock and runs Terraform.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !e.terraform_calls().iter().any(|c| c.starts_with("apply")) {
        assert!(
            std::time::Instant::now() < deadline,
            "terraform apply did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out =
        e.s.hybridctl()
            .args(["failover", "--yes", "--lock-timeout", "1s", "-o", "json"])
            .output()
            .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A second DR change is refused while the first holds the record, naming it.
    let (code, v, _) = e.run(&["failback", "--yes", "--lock-timeout", "1s"], "success");
    assert_eq!(code, Some(1), "{v}");
    assert_eq!(v["outcome"], "refused");
    let msg = v["message"].as_str().unwrap();
    assert!(msg.contains("is locked by dr provision (pid"), "{msg}");
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143));
}

#[test]
fn a_corrupt_state_file_is_an_error_naming_it() {
    let e = env();
    std::fs::create_dir_all(state_file(&e).parent().unwrap()).unwrap();
    std::fs::write(state_file(&e), "{\"done\": [").unwrap();
    let (code, _, stderr) = e.run(&["provision", "--yes", "--skip-terraform"], "success");
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.contains("dr-state.json is corrupt"), "{stderr}");
    assert_eq!(e.route53_changes(), 0);
    assert_eq!(e.weights(), stage(100, 0, 0));
}

#[test]
fn a_record_type_that_does_not_exist_says_which_types_do() {
    let e = env();
    e.edit("type: A", "type: CNAME");
    for args in [
        &["status"][..],
        &["provision", "--yes", "--skip-terraform"][..],
    ] {
        let (code, _, stderr) = e.run(args, "success");
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(
                "has no CNAME records named ticket.example.com.; it has weighted A records"
            ),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("hint: set dr.dns.type"), "{stderr}");
    }
    assert_eq!(e.route53_changes(), 0);
}

#[test]
fn terraform_skipped_with_the_flag_is_applied_by_a_later_run_without_it() {
    let e = env();
    e.edit(
        "min_healthy_targets: 2, timeout: 30m",
        "min_healthy_targets: 2, timeout: 2s",
    );
    let ready = e.s.res("/dr_ready_target_group");
    let health = |state: &str| {
        for id in ["10.1.1.10", "10.1.2.10"] {
            e.s.account.ctl(
                "target-health",
                json!({"target_group_arn": ready, "target_id": id, "state": state}),
            );
        }
    };
    health("unhealthy");
    let (code, v, _) = e.run(&["provision", "--yes", "--skip-terraform"], "success");
    assert_eq!(code, Some(3), "{v}");
    assert_eq!(
        e.status().provision.done,
        ["building"],
        "terraform was skipped, not done"
    );
    health("healthy");
    let (code, v, _) = e.run(&["provision", "--yes"], "success");
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["steps"][1]["outcome"], "done", "{v}");
    assert_eq!(
        e.terraform_calls()
            .iter()
            .filter(|c| c.starts_with("apply"))
            .count(),
        1
    );
}

#[test]
fn a_dry_run_shows_the_gate_the_first_dns_write_would_meet() {
    let e = env();
    e.s.account.ctl(
        "route53-health",
        json!({"health_check_id": e.s.res("/health_checks/dr-ecs"), "healthy": false}),
    );
    let (code, v, _) = e.run(&["provision", "--dry-run", "--skip-terraform"], "success");
    assert_eq!(code, Some(1), "{v}");
    assert_eq!(v["outcome"], "refused");
    assert!(
        v["steps"][0]["message"]
            .as_str()
            .unwrap()
            .contains("gate: FAIL"),
        "{v}"
    );
    let (code, _, _) = e.run(
        &["provision", "--dry-run", "--skip-terraform", "--force"],
        "success",
    );
    assert_eq!(code, Some(0));
}

#[test]
fn a_signal_during_the_last_route_53_change_is_applied_but_ends_with_the_signal() {
    // Issue 22.2 for `dr provision`: SIGINT while the final ChangeResourceRecordSets is in
    // flight.
    let e = env();
    e.s.account.ctl(
        "faults",
        json!({"operation": "ChangeResourceRecordSets", "kind": "latency", "latency_ms": 1500, "count": -1}),
    );
    let child = e
        .command(&["provision", "--yes", "--skip-terraform"], "success")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while e.route53_changes() < 2 {
        assert!(std::time::Instant::now() < deadline, "no second change");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(130), "{v}");
    assert_eq!(v["outcome"], "applied", "{v}");
    assert_eq!(v["interrupted_by"], "SIGINT", "{v}");
    assert_eq!(e.route53_changes(), 2, "nothing after the signal");
}
