//! Cross-host coordination against the lab's DynamoDB: the lease (two hosts never move the same
//! traffic at once) and the shared history. A "host" is a process with its own XDG_STATE_HOME
//! (its own journal and locks), as two machines would have.

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::{Value, json};

use crate::support::{Account, Seeded, rt, w};

const TABLE: &str = "hybridctl-coordination";

pub(crate) fn seeded(services: u32, lease: &str) -> Seeded {
    Account::new().seed_with(json!({"services": services, "coordination": lease}))
}

/// hybridctl on another host: its own state folder, and its own access key in the account
/// (`LAB<account>A` for host `a`: the lab can give one host a fault or a clock of its own).
pub(crate) fn host(s: &Seeded, name: &str) -> Command {
    let mut cmd = s.hybridctl_std();
    cmd.env(
        "XDG_STATE_HOME",
        s.account.dir.path().join(format!("host-{name}")),
    )
    .env("AWS_ACCESS_KEY_ID", key(s, name));
    cmd
}

/// The access key id of host `name`.
pub(crate) fn key(s: &Seeded, name: &str) -> String {
    format!("{}{}", s.account.access_key_id(), name.to_uppercase())
}

/// Asserts the exit code, showing stderr when it differs.
pub(crate) fn exits(out: &std::process::Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub(crate) fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

pub(crate) fn leases(s: &Seeded) -> Value {
    let out = host(s, "c")
        .args(["lease", "status", "-o", "json"])
        .output()
        .unwrap();
    exits(&out, 0);
    json_of(&out)["leases"].clone()
}

pub(crate) fn spawn_gradual(s: &Seeded, name: &str, interval: &str) -> Child {
    host(s, name)
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
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

pub(crate) fn wait_until(what: &str, secs: u64, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub(crate) fn first_step_written(s: &Seeded) -> bool {
    s.modifies() >= 1
}

#[test]
#[allow(clippy::result_large_err)] // the SDK's own error type, returned by a test closure
fn the_lab_refuses_a_conditional_write_as_dynamodb_does() {
    let s = seeded(1, "2m");
    let client = s.context().dynamodb();
    let put = |cond: &str| {
        rt().block_on(
            client
                .put_item()
                .table_name(TABLE)
                .item("pk", AttributeValue::S("t".into()))
                .item("sk", AttributeValue::S("x".into()))
                .condition_expression(cond)
                .send(),
        )
    };
    put("attribute_not_exists(pk)").unwrap();
    let err = put("attribute_not_exists(pk)").unwrap_err();
    assert!(
        err.into_service_error()
            .is_conditional_check_failed_exception()
    );
}

#[test]
fn two_hosts_failing_over_at_once_exactly_one_applies() {
    let s = seeded(1, "2m");
    // Slow reads keep the winner holding the lease while the other asks for it.
    s.account.ctl("faults", json!({"operation": "DescribeTargetHealth", "kind": "latency", "latency_ms": 700, "count": 4}));
    let spawn = |name: &str| {
        host(&s, name)
            .args(["failover", "--yes", "-o", "json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn("a"), spawn("b"));
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let mut codes = [a.status.code(), b.status.code()];
    codes.sort();
    assert_eq!(
        codes,
        [Some(0), Some(1)],
        "{}\n{}",
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr)
    );
    let loser = if a.status.code() == Some(1) { &a } else { &b };
    let r = json_of(loser);
    assert_eq!(r["outcome"], "refused");
    let msg = r["message"].as_str().unwrap();
    assert!(
        msg.contains("is leased by failover by ") && msg.contains("(pid "),
        "{msg}"
    );
    assert_eq!(s.weights("web"), w(0, 100));
    assert_eq!(s.modifies(), 1, "only the winner wrote");
    assert_eq!(leases(&s), json!([]), "released at the end");
}

#[test]
fn a_gradual_shift_holds_the_lease_and_another_host_is_refused() {
    let s = seeded(1, "2m");
    let child = spawn_gradual(&s, "a", "2s");
    wait_until("step 1", 20, || first_step_written(&s));
    let l = leases(&s);
    assert_eq!(l.as_array().unwrap().len(), 1, "{l}");
    assert_eq!(l[0]["id"], s.res("/services/web/rule_arn"));
    assert_eq!(l[0]["command"], "shift-traffic");
    let out = host(&s, "b")
        .args([
            "shift-traffic",
            "onprem=40",
            "aws=60",
            "--yes",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    exits(&out, 1);
    assert!(
        json_of(&out)["message"]
            .as_str()
            .unwrap()
            .contains("is leased by shift-traffic")
    );
    let out = child.wait_with_output().unwrap();
    exits(&out, 0);
    assert_eq!(s.weights("web"), w(0, 100));
    assert_eq!(leases(&s), json!([]));
    // The tag names the fencing generation.
    let tag = s.last_change_tag("web").unwrap();
    assert!(tag.contains(" - gen 1"), "{tag}");
}

#[test]
fn a_killed_holders_lease_is_taken_over_after_expiry_and_margin() {
    let s = seeded(1, "5s");
    let mut child = spawn_gradual(&s, "a", "30s");
    wait_until("step 1", 20, || first_step_written(&s));
    let killed = Instant::now();
    child.kill().unwrap();
    child.wait().unwrap();
    // Refused while the lease lives (5 s) and during the skew margin (10 s) after it.
    let out = host(&s, "b")
        .args(["failover", "--yes", "-o", "json"])
        .output()
        .unwrap();
    exits(&out, 1);
    wait_until("the lease to expire plus the margin", 40, || {
        host(&s, "b")
            .args(["failover", "--yes", "-o", "json"])
            .output()
            .unwrap()
            .status
            .code()
            == Some(0)
    });
    assert!(
        killed.elapsed() >= Duration::from_secs(14),
        "{:?}",
        killed.elapsed()
    );
    assert_eq!(s.weights("web"), w(0, 100));
}

#[test]
fn a_lease_lost_mid_run_stops_before_the_next_write() {
    let s = seeded(1, "2m");
    let child = spawn_gradual(&s, "a", "3s");
    wait_until("step 1", 20, || first_step_written(&s));
    // Someone else's lease replaces ours between the steps.
    rt().block_on(
        s.context()
            .dynamodb()
            .update_item()
            .table_name(TABLE)
            .key("pk", AttributeValue::S("lease".into()))
            .key("sk", AttributeValue::S(s.res("/services/web/rule_arn")))
            .update_expression("SET version = :v, expires_ms = :e, #c = :c")
            .expression_attribute_names("#c", "command")
            .expression_attribute_values(":v", AttributeValue::S("thief".into()))
            .expression_attribute_values(":e", AttributeValue::N("99999999999999".into()))
            .expression_attribute_values(":c", AttributeValue::S("lease-thief".into()))
            .send(),
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    exits(&out, 3);
    let r = json_of(&out);
    assert_eq!(r["outcome"], "failed");
    assert!(r["message"].as_str().unwrap().contains("lease of"), "{r}");
    let now: BTreeMap<String, u32> =
        serde_json::from_value(r["services"][0]["now"].clone()).unwrap();
    assert_eq!(now, s.weights("web"), "the report matches AWS");
    assert_eq!(now, w(20, 80));
}

#[test]
fn all_services_or_none_when_one_lease_is_held_elsewhere() {
    let s = seeded(2, "2m");
    let child = host(&s, "a")
        .args([
            "shift-traffic",
            "onprem=0",
            "aws=100",
            "--service",
            "svc01",
            "--step",
            "20",
            "--interval",
            "30s",
            "--yes",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until("svc01's step 1", 20, || s.modifies() >= 1);
    let before = s.modifies();
    let out = host(&s, "b")
        .args(["failover", "--all", "--yes", "-o", "json"])
        .output()
        .unwrap();
    exits(&out, 1);
    assert_eq!(s.modifies(), before, "nothing changed on any service");
    assert_eq!(s.weights("web"), w(40, 60));
    assert_eq!(
        leases(&s).as_array().unwrap().len(),
        1,
        "web's lease was given back"
    );
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let mut child = child;
    child.wait().unwrap();
}

#[test]
fn dynamodb_unreachable_refuses_and_no_lease_is_break_glass() {
    let s = seeded(1, "2m");
    for kind in ["throttle", "drop", "http500", "denied"] {
        s.account.ctl(
            "faults",
            json!({"operation": "dynamodb:*", "kind": kind, "count": -1}),
        );
        let out = host(&s, "a")
            .args(["failover", "--yes", "-o", "json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(3),
            "{kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let msg = json_of(&out)["message"].as_str().unwrap().to_string();
        assert!(msg.contains("--no-lease --reason"), "{kind}: {msg}");
        assert_eq!(s.modifies(), 0);
        s.account.ctl("faults", json!({"clear": true}));
    }
    s.account.ctl(
        "faults",
        json!({"operation": "dynamodb:*", "kind": "drop", "count": -1}),
    );
    let out = host(&s, "a")
        .args(["failover", "--yes", "--no-lease", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--no-lease needs a reason");
    let out = host(&s, "a")
        .args([
            "failover",
            "--yes",
            "--no-lease",
            "--reason",
            "DynamoDB down",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    exits(&out, 0);
    assert_eq!(s.weights("web"), w(0, 100));
    let journal =
        std::fs::read_to_string(s.account.dir.path().join("host-a/hybridctl/journal.jsonl"))
            .unwrap();
    assert!(
        journal.contains("\"lease\":\"NO LEASE: DynamoDB down\""),
        "{journal}"
    );
}

#[test]
fn no_lease_is_refused_while_a_live_lease_exists() {
    let s = seeded(1, "2m");
    let child = spawn_gradual(&s, "a", "30s");
    wait_until("step 1", 20, || first_step_written(&s));
    let out = host(&s, "b")
        .args([
            "failover",
            "--yes",
            "--no-lease",
            "--reason",
            "impatient",
            "-o",
            "json",
        ])
        .output()
        .unwrap();
    exits(&out, 1);
    assert!(
        json_of(&out)["message"]
            .as_str()
            .unwrap()
            .contains("--no-lease refused")
    );
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let mut child = child;
    child.wait().unwrap();
}

#[test]
fn history_on_host_b_shows_the_change_made_on_host_a() {
    let s = seeded(1, "2m");
    let out = host(&s, "a")
        .args(["failover", "--yes", "--reason", "drill"])
        .output()
        .unwrap();
    exits(&out, 0);
    let out = host(&s, "b")
        .args(["history", "-o", "json"])
        .output()
        .unwrap();
    exits(&out, 0);
    let h = json_of(&out);
    assert_eq!(h["schema"], "hybridctl.history/v1");
    let records = h["records"].as_array().unwrap();
    let kinds: Vec<&str> = records
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["change", "outcome", "intent"], "newest first");
    assert_eq!(records[0]["reason"], "drill");
    assert_eq!(records[0]["after"], json!({"onprem": 0, "aws": 100}));
    assert_eq!(records[2]["lease"], "gen 1");
    let out = host(&s, "b")
        .args(["history", "--service", "web"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("failover: drill") && text.contains("applied: onprem 40"),
        "{text}"
    );
    assert!(
        text.contains("(from the coordination table hybridctl-coordination)"),
        "{text}"
    );
}

/// `dr` on a host, with the stand-in terraform first on PATH.
fn dr(s: &Seeded, name: &str, args: &[&str], mode: &str) -> Command {
    let path = format!(
        "{}:{}",
        crate::support::repo()
            .join("tests/fake-terraform")
            .display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = host(s, name);
    cmd.arg("dr")
        .args(args)
        .args(["-o", "json"])
        .env("PATH", path)
        .env("FAKE_TF_MODE", mode)
        .env("FAKE_TF_SLOW_SECONDS", "6")
        .env("FAKE_TF_VARS", "-var=cluster_name=dr-eks")
        .env("FAKE_TF_CALLS", s.account.dir.path().join("tf-calls.log"));
    cmd
}

#[test]
fn a_long_terraform_apply_keeps_its_lease_renewed() {
    let s = seeded(1, "5s");
    std::fs::create_dir_all(s.account.dir.path().join("infra/dr")).unwrap();
    let started = Instant::now();
    let child = dr(&s, "a", &["provision", "--yes"], "slow")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Past the lease (5 s) plus the skew margin (10 s): without renewals another host could
    // take it now.
    wait_until("16 s into the apply", 30, || {
        started.elapsed() >= Duration::from_secs(16)
    });
    let out = dr(
        &s,
        "b",
        &["provision", "--yes", "--skip-terraform"],
        "success",
    )
    .output()
    .unwrap();
    exits(&out, 1);
    assert!(
        json_of(&out)["message"]
            .as_str()
            .unwrap()
            .contains("is leased by dr provision")
    );
    let out = child.wait_with_output().unwrap();
    exits(&out, 0);
    assert!(
        started.elapsed() >= Duration::from_secs(18),
        "terraform ran 3 x 6 s"
    );
}

#[test]
fn a_lease_is_broken_only_with_yes_and_the_break_is_journaled() {
    let s = seeded(1, "2m");
    let mut child = spawn_gradual(&s, "a", "30s");
    wait_until("step 1", 20, || first_step_written(&s));
    child.kill().unwrap();
    child.wait().unwrap();
    let id = s.res("/services/web/rule_arn");
    let text = host(&s, "b").args(["lease", "status"]).output().unwrap();
    let table = String::from_utf8_lossy(&text.stdout);
    assert!(
        table.contains("shift-traffic (pid") && table.contains("root@") || table.contains('@'),
        "{table}"
    );
    // Off a terminal, --yes is required.
    let out = host(&s, "b")
        .args(["lease", "break", &id, "--reason", "host a died"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(leases(&s).as_array().unwrap().len(), 1);
    let out = host(&s, "b")
        .args(["lease", "break", &id, "--reason", "host a died", "--yes"])
        .output()
        .unwrap();
    exits(&out, 0);
    assert_eq!(leases(&s), json!([]));
    let journal =
        std::fs::read_to_string(s.account.dir.path().join("host-b/hybridctl/journal.jsonl"))
            .unwrap();
    assert!(
        journal.contains("\"command\":\"lease break\"") && journal.contains("host a died"),
        "{journal}"
    );
    // The next change goes ahead at once, with a higher fencing generation.
    let out = host(&s, "b").args(["failover", "--yes"]).output().unwrap();
    exits(&out, 0);
    let tag = s.last_change_tag("web").unwrap();
    assert!(tag.contains(" - gen 2"), "{tag}");
}

#[test]
fn a_failed_read_gives_the_lease_back() {
    let s = seeded(1, "2m");
    s.account.ctl(
        "faults",
        json!({"operation": "DescribeRules", "kind": "http500", "count": 1}),
    );
    let out = host(&s, "a").args(["failover", "--yes"]).output().unwrap();
    exits(&out, 3);
    assert_eq!(leases(&s), json!([]), "not held until it expires");
    let out = host(&s, "b").args(["failover", "--yes"]).output().unwrap();
    exits(&out, 0);
}

#[test]
fn a_history_write_that_fails_is_a_warning_never_a_lost_record() {
    let s = seeded(1, "2m");
    s.account.ctl(
        "faults",
        json!({"operation": "dynamodb:PutItem", "kind": "http500", "count": -1}),
    );
    let out = host(&s, "a").args(["failover", "--yes"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: the shared history did not take a record"),
        "{stderr}"
    );
    let journal =
        std::fs::read_to_string(s.account.dir.path().join("host-a/hybridctl/journal.jsonl"))
            .unwrap();
    let kinds: Vec<String> = journal
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(&kinds[..3], ["intent", "outcome", "change"], "{journal}");
    assert!(kinds[3..].iter().all(|k| k == "warning"), "{kinds:?}");
}

#[test]
fn history_without_a_table_reads_this_hosts_journal() {
    let s = Account::new().seed(1);
    s.put_cdc_latency(2.0);
    let ok = |args: &[&str]| {
        let out = s.hybridctl().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    ok(&["failover", "--yes", "--reason", "drill"]);
    ok(&["failback", "--yes"]);
    let h: Value = serde_json::from_slice(&ok(&["history", "-o", "json"]).stdout).unwrap();
    assert!(h["source"].as_str().unwrap().starts_with("journal "), "{h}");
    let changes: Vec<&Value> = h["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "change")
        .collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["command"], "failback", "newest first");
    assert_eq!(changes[1]["reason"], "drill");
    let h: Value =
        serde_json::from_slice(&ok(&["history", "--limit", "1", "-o", "json"]).stdout).unwrap();
    assert_eq!(h["records"].as_array().unwrap().len(), 1);
}
