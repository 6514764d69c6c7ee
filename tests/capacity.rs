//! Capacity before traffic (issue 23): a failover scales the receiving AWS site (an ECS service
//! or an Auto Scaling group, as the lab models them) and moves the weights only once its target
//! group has the healthy targets the new share needs; failback gives the capacity back.

use std::process::Stdio;
use std::time::{Duration, Instant};

use aws_sdk_applicationautoscaling::types::{ScalableDimension, ServiceNamespace};
use serde_json::{Value, json};

use crate::support::{Account, Seeded, rt, w};

/// A seeded account with `kind` (ecs, ecs-scalable, asg) carrying the web service's AWS site,
/// the topology's `capacity.aws` block set to `extra` (YAML flow mapping body, after the
/// scaler), and the lab's task timing.
fn seeded(kind: &str, extra: &str, start_s: f64, healthy_s: f64) -> Seeded {
    let s = Account::new().seed_with(json!({"services": 1, "capacity": kind}));
    s.account.ctl(
        "capacity-timing",
        json!({"start_s": start_s, "healthy_s": healthy_s}),
    );
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

fn run(s: &Seeded, args: &[&str]) -> (i32, Value, String) {
    let out = s
        .hybridctl()
        .args(args)
        .args(["-o", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{stderr}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap_or(-1), v, stderr)
}

/// (min, desired, max) of the ECS service's scalable target and desired count.
fn ecs_sizes(s: &Seeded) -> (i32, i32, i32) {
    let ctx = s.context();
    let target = rt()
        .block_on(
            ctx.appscaling()
                .describe_scalable_targets()
                .service_namespace(ServiceNamespace::Ecs)
                .resource_ids("service/prod/web")
                .send(),
        )
        .unwrap();
    let t = &target.scalable_targets()[0];
    let svc = rt()
        .block_on(
            ctx.ecs()
                .describe_services()
                .cluster("prod")
                .services("web")
                .send(),
        )
        .unwrap();
    (
        t.min_capacity(),
        svc.services()[0].desired_count(),
        t.max_capacity(),
    )
}

/// The account's calls of these operations, in the order the lab received them, with times.
fn log(s: &Seeded, ops: &[&str]) -> Vec<(String, f64)> {
    let v = s.account.ctl("call-log", json!({}));
    v["calls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| ops.contains(&c["op"].as_str().unwrap()))
        .map(|c| {
            (
                c["op"].as_str().unwrap().to_string(),
                c["time"].as_f64().unwrap(),
            )
        })
        .collect()
}

const SCALE_OPS: [&str; 3] = [
    "ecs:UpdateService",
    "application-autoscaling:RegisterScalableTarget",
    "autoscaling:UpdateAutoScalingGroup",
];

#[test]
fn failover_scales_first_and_moves_traffic_once_the_targets_are_healthy() {
    // AWS carries 60% with 2 healthy tasks: 100% needs ceil(2 / 0.6) = 4.
    let s = seeded("ecs-scalable", "", 1.0, 1.0);
    let (code, r, err) = run(&s, &["failover", "--yes"]);
    assert_eq!(code, 0, "{r}\n{err}");
    assert_eq!(r["outcome"], "applied");
    assert_eq!(s.weights("web"), w(0, 100));
    let c = &r["capacity"][0];
    assert_eq!(c["need"], 4, "{c}");
    assert_eq!(c["state"], "ready", "{c}");
    assert!(c["healthy"].as_u64().unwrap() >= 4, "{c}");
    assert_eq!(c["before"], json!({"min": 2, "desired": 2, "max": 12}));
    assert_eq!(c["after"], json!({"min": 4, "desired": 4, "max": 12}));
    assert_eq!(
        c["why"], "carries 60% with 2 healthy; needs 4 for 100%",
        "{c}"
    );
    assert_eq!(ecs_sizes(&s), (4, 4, 12));
    // The lab's order: the scale-out, then (2 s later: tasks start, then pass health checks)
    // the weights.
    let calls = log(
        &s,
        &[
            "application-autoscaling:RegisterScalableTarget",
            "ecs:UpdateService",
            "elasticloadbalancing:ModifyRule",
        ],
    );
    let names: Vec<&str> = calls.iter().map(|(o, _)| o.as_str()).collect();
    assert_eq!(
        names,
        [
            "application-autoscaling:RegisterScalableTarget",
            "ecs:UpdateService",
            "elasticloadbalancing:ModifyRule"
        ]
    );
    // Raising the minimum starts the tasks (AWS raises desired with it).
    let (scaled, moved) = (calls[0].1, calls[2].1);
    assert!(
        moved - scaled >= 2.0,
        "weights {moved} vs scale-out {scaled}"
    );
    // Journaled through the runbook: intent (with what held before) and outcome.
    let records = s.journal_records();
    let intent = records
        .iter()
        .find(|r| r["kind"] == "intent" && r["step"] == "capacity")
        .unwrap();
    assert_eq!(intent["before"], json!({"min": 2, "desired": 2, "max": 12}));
    assert_eq!(intent["to"], json!({"min": 4, "desired": 4, "max": 12}));
    assert!(
        records.iter().any(|r| r["kind"] == "outcome"
            && r["step"] == "capacity"
            && r["result"] == "verified")
    );
    // The service's own scaling policy cannot scale it in below the raised minimum.
    let arn = s.resources["capacity"]["ecs_service"].as_str().unwrap();
    let v = s.account.ctl(
        "ecs-policy-scale",
        json!({"service_arn": arn, "desired": 1}),
    );
    assert_eq!(v["desired"], 4);

    // Failback gives it back once the weights are verified on the way back.
    s.put_cdc_latency(2.0);
    let (code, r, err) = run(&s, &["failback", "--yes"]);
    assert_eq!(code, 0, "{r}\n{err}");
    assert_eq!(s.weights("web"), w(40, 60));
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .contains("capacity given back: ECS prod/web min 4 -> 2, desired 4 -> 2"),
        "{r}"
    );
    assert_eq!(ecs_sizes(&s), (2, 2, 12));
    let calls = log(
        &s,
        &[
            "elasticloadbalancing:ModifyRule",
            "application-autoscaling:RegisterScalableTarget",
        ],
    );
    assert_eq!(
        calls.last().unwrap().0,
        "application-autoscaling:RegisterScalableTarget",
        "given back after the weights: {calls:?}"
    );
}

#[test]
fn failback_does_not_overwrite_a_foreign_change_and_keep_leaves_the_capacity() {
    let s = seeded("ecs-scalable", "", 0.2, 0.2);
    assert_eq!(run(&s, &["failover", "--yes"]).0, 0);
    // Someone raises the minimum by hand meanwhile.
    rt().block_on(
        s.context()
            .appscaling()
            .register_scalable_target()
            .service_namespace(ServiceNamespace::Ecs)
            .resource_id("service/prod/web")
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .min_capacity(8)
            .max_capacity(12)
            .send(),
    )
    .unwrap();
    s.put_cdc_latency(2.0);
    let (code, r, err) = run(&s, &["failback", "--yes"]);
    assert_eq!(code, 0, "{r}\n{err}");
    let m = r["message"].as_str().unwrap();
    assert!(
        m.contains("ECS prod/web not given back: it holds min 8,") && m.contains("changed since"),
        "{m}"
    );
    assert_eq!(ecs_sizes(&s).0, 8, "left as it is");

    // scale_back: keep.
    let s = seeded("ecs-scalable", "scale_back: keep", 0.2, 0.2);
    assert_eq!(run(&s, &["failover", "--yes"]).0, 0);
    s.put_cdc_latency(2.0);
    let (code, r, _) = run(&s, &["failback", "--yes"]);
    assert_eq!(code, 0);
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .contains("kept as scaled (scale_back: keep)"),
        "{r}"
    );
    assert_eq!(ecs_sizes(&s), (4, 4, 12));
}

#[test]
fn a_need_above_the_maximum_is_refused_before_any_write_and_force_raises_it() {
    let s = seeded("ecs-scalable", "full: 20", 0.2, 0.2);
    let (code, r, _) = run(&s, &["failover", "--yes", "--dry-run"]);
    assert_eq!(code, 1, "{r}");
    let (code, r, err) = run(&s, &["failover", "--yes"]);
    assert_eq!(code, 1, "{r}\n{err}");
    assert_eq!(r["outcome"], "refused");
    let m = r["message"].as_str().unwrap();
    assert!(
        m.contains("needs 20 but may scale to at most 12") && m.contains("--force"),
        "{m}"
    );
    assert!(log(&s, &SCALE_OPS).is_empty(), "nothing scaled");
    assert_eq!(s.modifies(), 0);
    assert_eq!(ecs_sizes(&s), (2, 2, 12));
    let (code, r, err) = run(&s, &["failover", "--yes", "--force"]);
    assert_eq!(code, 0, "{r}\n{err}");
    assert_eq!(ecs_sizes(&s), (20, 20, 20));
    assert_eq!(r["capacity"][0]["after"]["max"], 20);
}

#[test]
fn the_plan_and_a_dry_run_show_the_scale_step_and_write_nothing() {
    let s = seeded("ecs-scalable", "headroom: 1.5", 0.2, 0.2);
    let out = s
        .hybridctl()
        .args(["failover", "--dry-run"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("scale aws/web: ECS prod/web min 2 -> 5, desired 2 -> 5 (carries 60% with 2 healthy; needs 5 for 100% x 1.5): planned"),
        "{text}"
    );
    assert!(log(&s, &SCALE_OPS).is_empty());
    // The plan before a write shows it too (stderr).
    let out = s.hybridctl().args(["failover", "--yes"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("scale aws/web: ECS prod/web min 2 -> 5, desired 2 -> 5 (carries 60% with 2 healthy; needs 5 for 100% x 1.5)"),
        "{err}"
    );
}

#[test]
fn a_timeout_leaves_traffic_untouched_and_the_scale_out_kept() {
    // Tasks start but never pass the health check within the 10 s timeout.
    let s = seeded("ecs-scalable", "timeout: 10s", 0.2, 600.0);
    let started = Instant::now();
    let (code, r, err) = run(&s, &["failover", "--yes"]);
    assert_eq!(code, 1, "{r}\n{err}");
    assert!(started.elapsed() >= Duration::from_secs(10));
    assert_eq!(r["outcome"], "stopped");
    let m = r["message"].as_str().unwrap();
    assert!(
        m.contains("capacity not ready: aws/web has 2/4 healthy targets after 10s")
            && m.contains("traffic was not moved")
            && m.contains("the scale-out is kept (ECS prod/web min 2 -> 4, desired 2 -> 4)"),
        "{m}"
    );
    assert_eq!(s.weights("web"), w(40, 60));
    assert_eq!(s.modifies(), 0);
    assert_eq!(ecs_sizes(&s), (4, 4, 12));
    assert!(s.journal_records().iter().any(|r| {
        r["kind"] == "warning"
            && r["message"]
                .as_str()
                .unwrap()
                .contains("capacity not ready")
    }));
}

#[test]
fn sigterm_while_waiting_for_the_targets_reports_what_was_scaled() {
    let s = seeded("ecs-scalable", "", 0.2, 600.0);
    let child = s
        .hybridctl_std()
        .args(["failover", "--yes", "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while log(&s, &["ecs:UpdateService"]).is_empty() {
        assert!(Instant::now() < deadline, "no scale-out");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["outcome"], "interrupted");
    let m = r["message"].as_str().unwrap();
    assert!(
        m.contains("interrupted by SIGTERM during the capacity step: traffic was not moved; capacity: ECS prod/web min 2 -> 4, desired 2 -> 4"),
        "{m}"
    );
    assert_eq!(s.weights("web"), w(40, 60));
    assert_eq!(r["capacity"][0]["state"], "scaled");
}

#[test]
fn an_auto_scaling_group_and_an_ecs_service_without_a_scalable_target_scale_too() {
    let s = seeded("asg", "full: 5", 0.2, 0.2);
    let (code, r, err) = run(&s, &["failover", "--yes"]);
    assert_eq!(code, 0, "{r}\n{err}");
    assert_eq!(
        r["capacity"][0]["after"],
        json!({"min": 5, "desired": 5, "max": 12})
    );
    assert_eq!(s.weights("web"), w(0, 100));
    let names: Vec<String> = log(
        &s,
        &[
            "autoscaling:UpdateAutoScalingGroup",
            "elasticloadbalancing:ModifyRule",
        ],
    )
    .into_iter()
    .map(|c| c.0)
    .collect();
    assert_eq!(
        names,
        [
            "autoscaling:UpdateAutoScalingGroup",
            "elasticloadbalancing:ModifyRule"
        ]
    );

    let s = seeded("ecs", "", 0.2, 0.2);
    let (code, r, err) = run(&s, &["failover", "--yes"]);
    assert_eq!(code, 0, "{r}\n{err}");
    assert_eq!(
        r["capacity"][0]["after"],
        json!({"min": 0, "desired": 4, "max": null})
    );
}

#[test]
fn status_shows_capacity_and_its_findings() {
    let s = seeded("ecs-scalable", "full: 20", 0.2, 0.2);
    let (code, v, _) = run(&s, &["status"]);
    assert_eq!(code, 1, "{v}");
    let row = &v["capacity"][0];
    assert_eq!(row["scaler"], "ECS prod/web");
    assert_eq!(row["running"], 2);
    assert_eq!(row["desired"], 2);
    assert_eq!(row["max"], 12);
    assert_eq!(row["rollout"], "COMPLETED");
    assert_eq!(row["need_for_all"], 20);
    let codes = |v: &Value| -> Vec<(String, String)> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_string(),
                    f["severity"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert!(
        codes(&v).contains(&("capacity-short".into(), "warning".into())),
        "{v}"
    );
    let arn = s.resources["capacity"]["ecs_service"].as_str().unwrap();
    s.account.ctl(
        "ecs-rollout",
        json!({"service_arn": arn, "state": "FAILED"}),
    );
    let (_, v, _) = run(&s, &["status"]);
    assert!(
        codes(&v).contains(&("deployment-failed".into(), "critical".into())),
        "{v}"
    );
    let out = s.hybridctl().args(["status"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Capacity") && text.contains("ECS prod/web") && text.contains("FAILED"),
        "{text}"
    );
    // A service that does not exist: critical, located in the file.
    let text = std::fs::read_to_string(&s.config)
        .unwrap()
        .replace("service/prod/web", "service/prod/gone");
    std::fs::write(&s.config, text).unwrap();
    let (_, v, _) = run(&s, &["status"]);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "capacity-unknown")
        .unwrap_or_else(|| panic!("{v}"))
        .clone();
    assert_eq!(f["severity"], "critical");
    let m = f["message"].as_str().unwrap();
    assert!(
        m.contains("hybridctl.yaml:")
            && m.contains(": services.web.capacity.aws")
            && m.contains("does not exist"),
        "{m}"
    );
    let (code, r, _) = run(&s, &["failover", "--yes"]);
    assert_eq!(code, 1, "{r}");
    assert!(r["message"].as_str().unwrap().contains("capacity-unknown"));
}

#[test]
fn watch_fails_over_through_the_capacity_step() {
    let s = seeded("ecs-scalable", "", 0.2, 0.2);
    let mut text = std::fs::read_to_string(&s.config).unwrap();
    text.push_str("watch: { fail_after: 1 }\n");
    std::fs::write(&s.config, text).unwrap();
    s.force_health("web", "onprem", &["10.20.0.11", "10.20.0.12"], "unhealthy");
    let out = s
        .hybridctl()
        .args(["watch", "--once", "-o", "json"])
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{lines}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    assert_eq!(v["action"]["outcome"], "applied", "{v}");
    assert_eq!(s.weights("web"), w(0, 100));
    assert_eq!(ecs_sizes(&s), (4, 4, 12));
    let names: Vec<String> = log(
        &s,
        &["ecs:UpdateService", "elasticloadbalancing:ModifyRule"],
    )
    .into_iter()
    .map(|c| c.0)
    .collect();
    assert_eq!(
        names,
        ["ecs:UpdateService", "elasticloadbalancing:ModifyRule"]
    );
}

#[test]
fn validate_locates_capacity_mistakes() {
    let s = seeded("ecs-scalable", "", 0.2, 0.2);
    let arn = s.resources["capacity"]["ecs_service"]
        .as_str()
        .unwrap()
        .to_string();
    let base = std::fs::read_to_string(&s.config).unwrap();
    for (from, to, want) in [
        (
            format!("aws: {{ ecs_service: {arn} }}"),
            format!("aws: {{ ecs_service: {arn}, autoscaling_group: web-asg }}"),
            "give exactly one of ecs_service",
        ),
        (
            format!("aws: {{ ecs_service: {arn} }}"),
            format!("onprem: {{ ecs_service: {arn} }}"),
            "is an on-prem site",
        ),
        (
            format!("aws: {{ ecs_service: {arn} }}"),
            format!("aws: {{ ecs_service: {arn}, headroom: 0.5 }}"),
            "headroom 0.5 is out of range 1..10",
        ),
        (
            format!("aws: {{ ecs_service: {arn} }}"),
            "aws: { ecs_service: arn:aws:ecs:ap-northeast-2:123456789012:cluster/prod }".into(),
            "is not an ECS service ARN",
        ),
        (
            "weights: { onprem: 40, aws: 60 }".into(),
            "weights: { onprem: 100, aws: 0 }".into(),
            "normally gets 0% of this service",
        ),
    ] {
        std::fs::write(&s.config, base.replacen(&from, &to, 1)).unwrap();
        let out = s.hybridctl().args(["validate"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{to}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("hybridctl.yaml:")
                && err.contains("services.web.capacity")
                && err.contains(want),
            "{to}: {err}"
        );
    }
}

#[test]
fn the_watchers_metrics_say_when_a_site_cannot_reach_what_a_failover_needs() {
    // 100% needs 20, the scalable target may scale to 12: hybridctl_capacity_short is 1.
    let s = crate::watch::with_watch(
        seeded("ecs-scalable", "full: 20", 0.2, 0.2),
        "interval: 1s, listen: \"127.0.0.1:0\"",
    );
    let (mut r, port) = crate::watch_metrics::serving(crate::watch::host(&s, "a"));
    r.json("an active poll", 30, |v| v["role"] == "active");
    let series = "hybridctl_capacity_short{service=\"web\",site=\"aws\"}";
    let text = crate::watch_metrics::scrape(port);
    assert_eq!(
        crate::watch_metrics::sample(&text, series),
        Some(1.0),
        "{text}"
    );
    r.signal("TERM");
    assert_eq!(r.exit(20), Some(0), "{}", r.log());
    // Within the maximum: 0.
    let s = crate::watch::with_watch(
        seeded("ecs-scalable", "full: 12", 0.2, 0.2),
        "interval: 1s, listen: \"127.0.0.1:0\"",
    );
    let (mut r, port) = crate::watch_metrics::serving(crate::watch::host(&s, "a"));
    r.json("an active poll", 30, |v| v["role"] == "active");
    let text = crate::watch_metrics::scrape(port);
    assert_eq!(
        crate::watch_metrics::sample(&text, series),
        Some(0.0),
        "{text}"
    );
    r.signal("TERM");
    assert_eq!(r.exit(20), Some(0), "{}", r.log());
}
