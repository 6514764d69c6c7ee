//! Hostile review of issues 21 (lease fencing) and 23 (capacity-aware failover): each test
//! reproduces one defect found against the lab and fails on the code it was written against.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use crate::coordination::{exits, host, json_of, key, leases, wait_until};
use crate::support::{Account, Seeded, w};

/// A seeded account whose web aws site is carried by `kind` (ecs-scalable, asg), with a
/// coordination table (`lease`, or none) and the topology's `capacity.aws` block (`extra`).
fn with_capacity(kind: &str, lease: Option<&str>, extra: &str) -> Seeded {
    let mut opts = json!({"services": 1, "capacity": kind});
    if let Some(l) = lease {
        opts["coordination"] = json!(l);
    }
    let s = Account::new().seed_with(opts);
    let scaler = match s.resources["capacity"].get("ecs_service") {
        Some(arn) => format!("ecs_service: {}", arn.as_str().unwrap()),
        None => "autoscaling_group: web-asg".to_string(),
    };
    let sep = if extra.is_empty() { "" } else { ", " };
    let text = std::fs::read_to_string(&s.config).unwrap().replacen(
        "    weights: { onprem: 40, aws: 60 }\n",
        &format!(
            "    weights: {{ onprem: 40, aws: 60 }}\n    capacity:\n      aws: {{ {scaler}{sep}{extra} }}\n"
        ),
        1,
    );
    std::fs::write(&s.config, text).unwrap();
    s
}

fn spawn_json(s: &Seeded, name: &str, args: &[&str]) -> Child {
    host(s, name)
        .args(args)
        .args(["--yes", "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn shift(s: &Seeded, name: &str, onprem: u32, aws: u32) -> std::process::Output {
    host(s, name)
        .args(["shift-traffic", &format!("onprem={onprem}")])
        .args([&format!("aws={aws}"), "--yes", "-o", "json"])
        .output()
        .unwrap()
}

/// Every call of `op` in the account, in arrival order: (access key, time).
fn calls_of(s: &Seeded, op: &str) -> Vec<(String, f64)> {
    s.account.ctl("call-log", json!({"op": op}))["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["key"].as_str().unwrap().to_string(),
                c["time"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn review_the_lease_is_renewed_while_waiting_for_capacity() {
    // The capacity gate polls once a second through `rb.wait(1 s)`; the runbook renews only
    // when a single wait outlasts a quarter of the lease (1.25 s for 5 s, 30 s for 2 m), so a
    // capacity wait never renews. 18 s into host a's failover the lease is gone and host b's
    // shift-traffic goes through mid-change.
    let s = with_capacity("ecs-scalable", Some("5s"), "");
    s.account.ctl(
        "capacity-timing",
        json!({"start_s": 25.0, "healthy_s": 1.0}),
    );
    let a = spawn_json(&s, "a", &["failover"]);
    let started = Instant::now();
    wait_until("a's scale-out", 20, || {
        !calls_of(&s, "application-autoscaling:RegisterScalableTarget").is_empty()
    });
    wait_until("18 s", 25, || started.elapsed() >= Duration::from_secs(18));
    let l = leases(&s);
    let b = shift(&s, "b", 50, 50);
    let a = a.wait_with_output().unwrap();
    assert_eq!(
        l.as_array().unwrap().len(),
        2,
        "a's leases (rule and ECS service) are live while it waits for capacity: {l}"
    );
    exits(&b, 1);
    exits(&a, 0);
    assert_eq!(s.weights("web"), w(0, 100));
}

#[test]
fn review_a_write_abandoned_at_the_deadline_keeps_the_lease_so_it_cannot_land_after_another_hosts()
{
    // Host a's ModifyRule reaches AWS and is applied 8 s later (the lab's `latency` fault:
    // served after the wait). a abandons it at its 5 s lease deadline, says "may or may not
    // have been applied", and releases the lease at exit: host b takes it at once, writes
    // 60/40 and reports "applied and verified"; then a's request lands and AWS holds 0/100
    // under b's tag. A run whose write is in doubt must not hand the lease over (at least not
    // before expiry + margin, the slack the timing argument counts on).
    let s = crate::coordination::seeded(1, "5s");
    s.account.ctl(
        "faults",
        json!({"operation": "ModifyRule", "kind": "latency", "latency_ms": 8000,
               "count": 1, "key": key(&s, "a")}),
    );
    let a = spawn_json(&s, "a", &["failover"]);
    let started = Instant::now();
    wait_until("a's write", 20, || s.modifies() >= 1);
    let mut b_applied = false;
    while started.elapsed() < Duration::from_secs(30) {
        if shift(&s, "b", 60, 40).status.code() == Some(0) {
            b_applied = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    let a = a.wait_with_output().unwrap();
    // Let a's delayed request land.
    wait_until("a's request to land", 20, || {
        started.elapsed() >= Duration::from_secs(12)
    });
    assert!(b_applied, "b got the lease within 30 s");
    assert_eq!(a.status.code(), Some(3), "{}", json_of(&a));
    assert_eq!(
        s.weights("web"),
        w(60, 40),
        "b's verified write was overwritten afterwards by a's stale request"
    );
}

#[test]
fn review_no_tag_is_written_after_the_lease_was_lost() {
    // Host a's renewals are throttled after its fence and its read-back answers late (with
    // what AWS held when it was asked): its lease runs out, b takes it, writes and tags; then
    // a's read-back answers and a tags the rule anyway ("failover ... gen 1"), over b's newer
    // change. The tag is a write. The answer waits for b's change (a gate, not a latency: b
    // needs the 5 s lease plus the 10 s skew margin, about 15.3 s here, and the SDK gives up
    // on an attempt after 20 s, so a 19 s latency left a second for a loaded machine).
    let s = crate::coordination::seeded(1, "5s");
    let ka = key(&s, "a");
    crate::fencing::slow_until(&s, "a", "DescribeRules", "late", 2);
    s.account.ctl(
        "faults",
        json!({"operation": "dynamodb:UpdateItem", "kind": "throttle", "count": -1,
               "after": 2, "key": ka}),
    );
    let a = spawn_json(&s, "a", &["failover"]);
    let started = Instant::now();
    wait_until("a's write", 20, || s.modifies() >= 1);
    let mut b_applied = false;
    while started.elapsed() < Duration::from_secs(30) {
        if shift(&s, "b", 60, 40).status.code() == Some(0) {
            b_applied = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    s.account.ctl("release", json!({"gate": "late"}));
    let a = a.wait_with_output().unwrap();
    assert!(b_applied);
    exits(&a, 3);
    let b_write = calls_of(&s, "elasticloadbalancing:ModifyRule")
        .into_iter()
        .find(|(k, _)| *k == key(&s, "b"))
        .unwrap()
        .1;
    let late_tags: Vec<_> = calls_of(&s, "elasticloadbalancing:AddTags")
        .into_iter()
        .filter(|(k, t)| *k == ka && *t > b_write)
        .collect();
    assert!(
        late_tags.is_empty(),
        "a tagged after b's write, without its lease: {late_tags:?}; tag now {:?}",
        s.last_change_tag("web")
    );
    let tag = s.last_change_tag("web").unwrap();
    assert!(tag.contains("shift-traffic"), "{tag}");
}

#[test]
fn review_a_half_applied_scale_write_is_journaled_as_what_aws_holds() {
    // ECS with a scalable target: RegisterScalableTarget (min 2 -> 4, which raises desired)
    // succeeds, UpdateService fails. The outcome record says `now: min 2, desired 2` (the
    // pre-write read) while AWS holds min 4, desired 4; nothing ever gives it back (no
    // verified capacity record).
    let s = with_capacity("ecs-scalable", None, "");
    s.account.fault("ecs:UpdateService", "http500", 1);
    let out = s
        .hybridctl()
        .args(["failover", "--yes", "-o", "json"])
        .output()
        .unwrap();
    exits(&out, 3);
    let status = json_of(
        &s.hybridctl()
            .args(["status", "-o", "json"])
            .output()
            .unwrap(),
    );
    let held_min = status["capacity"][0]["min"].as_u64().unwrap();
    assert_eq!(held_min, 4, "the first call of the write went through");
    let rec = s
        .journal_records()
        .into_iter()
        .find(|r| r["kind"] == "outcome" && r["step"] == "capacity")
        .unwrap();
    assert_ne!(
        rec["now"],
        json!({"min": 2, "desired": 2, "max": 12}),
        "the journal says the scaler is untouched while AWS holds min 4: {rec}"
    );
}

#[test]
fn review_a_capacity_step_that_wrote_nothing_does_not_say_it_scaled() {
    // The fence before the scale write is throttled: nothing is scaled (no
    // RegisterScalableTarget, no UpdateService), yet the message ends "capacity: ECS prod/web
    // min 2 -> 4, desired 2 -> 4".
    let s = with_capacity("ecs-scalable", Some("2m"), "");
    s.account.ctl(
        "faults",
        json!({"operation": "dynamodb:UpdateItem", "kind": "throttle", "count": 1, "after": 2}),
    );
    let out = host(&s, "a")
        .args(["failover", "--yes", "-o", "json"])
        .output()
        .unwrap();
    exits(&out, 3);
    assert!(calls_of(&s, "application-autoscaling:RegisterScalableTarget").is_empty());
    assert!(calls_of(&s, "ecs:UpdateService").is_empty());
    let m = json_of(&out)["message"].as_str().unwrap().to_string();
    assert!(
        !m.contains("min 2 -> 4"),
        "claims a scale-out that never happened: {m}"
    );
}

#[test]
fn review_a_late_dynamodb_answer_is_not_reported_as_clock_skew() {
    // The acquisition's answer arrives 7 s late (a slow network; AWS's Date is from when it
    // answered). The host's clock is right, but the run refuses with "this host's clock is
    // 6.8 s ahead of AWS's ... fix the host's time sync", exit 3.
    let s = crate::coordination::seeded(1, "2m");
    s.account.ctl(
        "faults",
        json!({"operation": "dynamodb:UpdateItem", "kind": "slow-answer", "latency_ms": 7000,
               "count": 1, "key": key(&s, "a")}),
    );
    let out = host(&s, "a")
        .args(["failover", "--yes", "-o", "json"])
        .output()
        .unwrap();
    let m = json_of(&out)["message"].as_str().unwrap().to_string();
    assert!(!m.contains("this host's clock is"), "{m}");
}

#[test]
fn review_a_scale_out_kept_after_a_capacity_timeout_can_be_given_back() {
    // The timeout message says "the scale-out is kept ...: decide, then rerun or give it
    // back", but traffic never moved, so `failback` is a no-op and gives nothing back; no
    // command returns the service to min 2.
    let s = with_capacity("ecs-scalable", None, "timeout: 10s");
    s.account.ctl(
        "capacity-timing",
        json!({"start_s": 60.0, "healthy_s": 1.0}),
    );
    let out = s
        .hybridctl()
        .args(["failover", "--yes", "-o", "json"])
        .output()
        .unwrap();
    exits(&out, 1);
    let m = json_of(&out)["message"].as_str().unwrap().to_string();
    assert!(m.contains("give it back"), "{m}");
    let back = s
        .hybridctl()
        .args(["failback", "--yes", "-o", "json"])
        .output()
        .unwrap();
    let status = json_of(
        &s.hybridctl()
            .args(["status", "-o", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        status["capacity"][0]["min"],
        2,
        "failback: {}",
        json_of(&back)
    );
}
