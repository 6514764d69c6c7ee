//! The real AWS SDK for Rust, through hybridctl's adapters, against the lab: one test per
//! service, plus forced failure states and injected faults.

use std::time::{Duration, Instant};

use hybridctl::aws::cloudwatch::AlarmState;
use hybridctl::aws::dms::TaskStatus;
use hybridctl::aws::elbv2::TargetHealthState;
use hybridctl::aws::rds::ParameterApplyStatus;
use hybridctl::aws::{cloudwatch, dms, elbv2, rds, route53};
use serde_json::{Value, json};

use crate::support::{Account, rt};

#[test]
fn elbv2_reads_rule_weights_and_listener_default_action() {
    let s = Account::new().seed(1);
    let ctx = s.context();
    let client = ctx.elbv2();
    let rt = rt();
    let rules = rt
        .block_on(elbv2::describe_rules(
            &client,
            &[s.res("/services/web/rule_arn")],
        ))
        .unwrap();
    let fwd = rules[0].forward().expect("a forward action");
    let weights: Vec<(String, i32)> = fwd
        .target_groups
        .iter()
        .map(|t| (t.arn.clone(), t.weight))
        .collect();
    assert_eq!(
        weights,
        [
            (s.res("/services/web/target_groups/onprem"), 40),
            (s.res("/services/web/target_groups/aws"), 60)
        ]
    );
    assert_eq!(
        fwd.stickiness,
        Some(elbv2::Stickiness {
            enabled: false,
            duration_seconds: None
        })
    );

    // The listener's default action is a plain TargetGroupArn forward: one group, weight 1.
    let listeners = rt
        .block_on(elbv2::describe_listeners(&client, &[s.res("/listener")]))
        .unwrap();
    let fwd = listeners[0].forward().unwrap();
    assert_eq!(fwd.target_groups.len(), 1);
    assert_eq!(fwd.target_groups[0].weight, 1);
}

#[test]
fn elbv2_batches_rule_reads_twenty_arns_a_call() {
    let s = Account::new().seed(25);
    let arns: Vec<String> = s.resources["services"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v["rule_arn"].as_str().unwrap().to_string())
        .collect();
    let rules = rt()
        .block_on(elbv2::describe_rules(&s.context().elbv2(), &arns))
        .unwrap();
    assert_eq!(rules.len(), 25);
    assert_eq!(
        s.account.calls().get("elasticloadbalancing:DescribeRules"),
        Some(&2)
    );
}

#[test]
fn elbv2_target_health_follows_the_forced_state() {
    let s = Account::new().seed(1);
    let tg = s.res("/services/web/target_groups/onprem");
    let client = s.context().elbv2();
    let rt = rt();
    let before = rt.block_on(elbv2::target_health(&client, &tg)).unwrap();
    assert_eq!(before.len(), 2);
    assert!(before.iter().all(|t| t.is_healthy()), "{before:?}");
    s.account.ctl(
        "target-health",
        json!({"target_group_arn": tg, "target_id": "10.20.0.11", "state": "unhealthy",
               "reason": "Target.Timeout", "description": "Request timed out"}),
    );
    let after = rt.block_on(elbv2::target_health(&client, &tg)).unwrap();
    let t = after.iter().find(|t| t.id == "10.20.0.11").unwrap();
    assert_eq!(
        (t.state.as_ref(), t.reason.as_deref()),
        (Some(&TargetHealthState::Unhealthy), Some("Target.Timeout"))
    );
    assert_eq!(after.iter().filter(|t| t.is_healthy()).count(), 1);
}

#[test]
fn elbv2_target_health_echoes_the_availability_zone_a_target_was_registered_with() {
    // The seed registers the on-prem IPs with AvailabilityZone `all` (AWS requires a zone for
    // an IP outside the VPC) and the AWS ones, inside the VPC, without.
    let s = Account::new().seed(1);
    let client = s.context().elbv2();
    let zones = |site: &str| -> Vec<(String, Option<String>)> {
        let tg = s.res(&format!("/services/web/target_groups/{site}"));
        let mut v: Vec<_> = rt()
            .block_on(elbv2::registered_targets(&client, &tg))
            .unwrap()
            .into_iter()
            .map(|t| (t.id, t.availability_zone))
            .collect();
        v.sort();
        v
    };
    let all = Some("all".to_string());
    assert_eq!(
        zones("onprem"),
        [
            ("10.20.0.11".into(), all.clone()),
            ("10.20.0.12".into(), all)
        ]
    );
    assert!(
        zones("aws").iter().all(|(_, z)| z.is_none()),
        "{:?}",
        zones("aws")
    );
}

#[test]
fn cloudwatch_alarm_state_after_set_alarm_state_through_cbor() {
    let s = Account::new().seed(1);
    let client = s.context().cloudwatch();
    let rt = rt();
    let names = vec!["onprem-requestcount-high".to_string()];
    let before = rt
        .block_on(cloudwatch::describe_alarms(&client, &names))
        .unwrap();
    assert_eq!(before[0].state, Some(AlarmState::Ok));
    rt.block_on(
        client
            .set_alarm_state()
            .alarm_name("onprem-requestcount-high")
            .state_value(aws_sdk_cloudwatch::types::StateValue::Alarm)
            .state_reason("RequestCount above 5000 for 2 periods")
            .send(),
    )
    .unwrap();
    let after = rt
        .block_on(cloudwatch::describe_alarms(&client, &names))
        .unwrap();
    assert_eq!(after[0].state, Some(AlarmState::Alarm));
    assert_eq!(
        after[0].reason.as_deref(),
        Some("RequestCount above 5000 for 2 periods")
    );
    assert!(
        after[0].since.as_deref().is_some_and(|t| t.ends_with('Z')),
        "{:?}",
        after[0].since
    );
}

#[test]
fn dms_task_status_parses_and_follows_the_forced_state() {
    let s = Account::new().seed(1);
    let arn = s.res("/dms_task");
    let client = s.context().dms();
    let rt = rt();
    let task = rt
        .block_on(dms::describe_task(&client, &arn))
        .unwrap()
        .expect("the task");
    assert_eq!(task.status, Some(TaskStatus::Running));
    assert_eq!(task.id, "rds-to-onprem");
    s.account.ctl(
        "dms-task",
        json!({"task_arn": arn, "status": "failed", "stop_reason": "FAILED",
               "last_failure_message": "Binary logging must be enabled for MySQL server"}),
    );
    let task = rt
        .block_on(dms::describe_task(&client, &arn))
        .unwrap()
        .unwrap();
    assert_eq!(task.status, Some(TaskStatus::Failed));
    assert_eq!(
        task.last_failure_message.as_deref(),
        Some("Binary logging must be enabled for MySQL server")
    );
}

#[test]
fn rds_instance_and_parameter_group() {
    let s = Account::new().seed(1);
    let client = s.context().rds();
    let rt = rt();
    let db = rt
        .block_on(rds::describe_instance(&client, "hybrid-mariadb"))
        .unwrap();
    assert_eq!(
        (db.engine.as_str(), db.backup_retention_days),
        ("mariadb", 7)
    );
    assert_eq!(db.parameter_groups[0].name, "hybrid-mariadb-10-6");
    assert_eq!(
        db.parameter_groups[0].apply_status,
        Some(ParameterApplyStatus::InSync)
    );
    let params = rt
        .block_on(rds::parameters(&client, "hybrid-mariadb-10-6"))
        .unwrap();
    let format = params
        .iter()
        .find(|p| p.name == "binlog_format")
        .expect("binlog_format");
    assert_eq!(format.value.as_deref(), Some("ROW"));

    s.account.ctl(
        "rds-apply-status",
        json!({"instance": "hybrid-mariadb", "status": "pending-reboot"}),
    );
    let db = rt
        .block_on(rds::describe_instance(&client, "hybrid-mariadb"))
        .unwrap();
    assert_eq!(
        db.parameter_groups[0].apply_status,
        Some(ParameterApplyStatus::PendingReboot)
    );
}

#[test]
fn route53_weighted_records_and_health_checks() {
    let s = Account::new().seed(1);
    let client = s.context().route53();
    let rt = rt();
    let zone = s.res("/zone_id");
    let records = rt
        .block_on(route53::weighted_records(
            &client,
            &zone,
            "ticket.example.com.",
            "A",
        ))
        .unwrap();
    let mut got: Vec<(String, i64)> = records
        .iter()
        .map(|r| (r.set_identifier.clone().unwrap(), r.weight.unwrap()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("dr-ecs".to_string(), 0),
            ("dr-eks".to_string(), 0),
            ("prod".to_string(), 100)
        ]
    );
    assert!(
        records
            .iter()
            .all(|r| r.health_check_id.is_some() && r.ttl == Some(60))
    );

    // Route 53 answers with an observation per checker, as the lab does (15 of them).
    let prod_hc = s.res("/health_checks/prod");
    let status = |s: &crate::support::Seeded| {
        rt.block_on(route53::health_check_status(
            &client,
            &s.res("/health_checks/prod"),
        ))
        .unwrap()
    };
    let all = status(&s);
    assert_eq!((all.success, all.total, all.healthy()), (15, 15, true));
    // One regional blip: Route 53 still routes to it, so hybridctl judges it healthy too.
    s.account.ctl(
        "route53-health",
        json!({"health_check_id": prod_hc, "failing": 2}),
    );
    let blip = status(&s);
    assert_eq!((blip.success, blip.healthy()), (13, true));
    assert_eq!(blip.describe(), "13/15 checkers report success");
    // 2 of 15 (13%) is not more than 18%.
    s.account.ctl(
        "route53-health",
        json!({"health_check_id": prod_hc, "failing": 13}),
    );
    assert!(!status(&s).healthy());
    s.account.ctl(
        "route53-health",
        json!({"health_check_id": prod_hc, "healthy": false}),
    );
    assert_eq!(status(&s).success, 0);
}

#[test]
fn errors_name_service_operation_code_and_request_id() {
    let s = Account::new().seed(1);
    let missing = s
        .res("/services/web/rule_arn")
        .replace(|c: char| c.is_ascii_hexdigit() && c != 'a', "0");
    let err = rt()
        .block_on(elbv2::describe_rules(&s.context().elbv2(), &[missing]))
        .unwrap_err();
    assert_eq!((err.service, err.operation), ("elbv2", "DescribeRules"));
    assert_eq!(err.code.as_deref(), Some("RuleNotFound"), "{err}");
    assert!(
        err.to_string()
            .starts_with("elbv2 DescribeRules failed: RuleNotFound: "),
        "{err}"
    );
}

#[test]
fn injected_faults_reach_the_sdk() {
    let s = Account::new().seed(1);
    let client = s.context().elbv2();
    let tg = s.res("/services/web/target_groups/aws");
    let rt = rt();

    s.account.fault("DescribeTargetHealth", "throttle", 1);
    let err = rt.block_on(elbv2::target_health(&client, &tg)).unwrap_err();
    assert_eq!(err.code.as_deref(), Some("Throttling"), "{err}");
    assert!(err.hint.as_deref().unwrap().contains("rate limit"));

    s.account.fault("DescribeTargetHealth", "http500", 1);
    let err = rt.block_on(elbv2::target_health(&client, &tg)).unwrap_err();
    assert_eq!(err.code.as_deref(), Some("InternalFailure"), "{err}");

    s.account.fault("DescribeTargetHealth", "drop", 1);
    let err = rt.block_on(elbv2::target_health(&client, &tg)).unwrap_err();
    assert!(
        err.hint
            .as_deref()
            .unwrap_or_default()
            .contains("unreachable"),
        "{err} / {:?}",
        err.hint
    );

    s.account.ctl("faults", json!({"operation": "DescribeTargetHealth", "kind": "latency", "latency_ms": 300, "count": 1}));
    let started = Instant::now();
    rt.block_on(elbv2::target_health(&client, &tg)).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));

    // Faults are used up: the next call is normal, and every call was counted.
    rt.block_on(elbv2::target_health(&client, &tg)).unwrap();
    assert_eq!(
        s.account
            .calls()
            .get("elasticloadbalancing:DescribeTargetHealth"),
        Some(&5)
    );
}

/// The lab's `ratelimit` fault is ELBv2's token bucket: calls past the burst are throttled
/// until tokens come back at the refill rate. (Raw SDK calls: hybridctl's own pacing is not
/// in this path.)
#[test]
fn ratelimit_fault_throttles_past_the_burst_and_refills() {
    let s = Account::new().seed(1);
    let client = s.context().elbv2();
    let tg = s.res("/services/web/target_groups/aws");
    s.account.ctl(
        "faults",
        json!({"operation": "elasticloadbalancing:Describe*", "kind": "ratelimit",
               "capacity": 3, "refill_per_s": 0.5}),
    );
    let rt = rt();
    // Ok, or the error code.
    let call = || -> Result<(), Option<String>> {
        rt.block_on(client.describe_target_health().target_group_arn(&tg).send())
            .map(|_| ())
            .map_err(|e| {
                e.as_service_error()
                    .and_then(|e| e.meta().code())
                    .map(str::to_string)
            })
    };
    for _ in 0..3 {
        call().expect("within the burst");
    }
    assert_eq!(
        call(),
        Err(Some("Throttling".to_string())),
        "past the burst"
    );
    std::thread::sleep(Duration::from_millis(2_100)); // one token back at 0.5 a second
    call().expect("a refilled token");
    // Other services are not in the bucket.
    rt.block_on(s.context().cloudwatch().describe_alarms().send())
        .unwrap();
    let stats = s.account.ctl("fault-stats", json!({}));
    assert_eq!(stats["faults"][0]["throttled"], 1, "{stats}");
}

#[test]
fn accounts_are_isolated() {
    let a = Account::new().seed(1);
    let b = Account::new();
    let alarms = rt()
        .block_on(cloudwatch::describe_alarms(
            &b.context(crate::support::REGION).cloudwatch(),
            &["onprem-requestcount-high".into()],
        ))
        .unwrap();
    assert!(alarms.is_empty());
    assert!(b.calls().values().sum::<u64>() == 1 && a.account.calls().is_empty());
}

/// The lab behaves like ELBv2 for authenticate-oidc actions (moto does not): the secret is never
/// returned, and a write must send it or ask to keep the one ELBv2 holds.
#[test]
#[allow(clippy::result_large_err)] // the SDK's own error types, returned by test closures
fn elbv2_oidc_client_secret_is_never_returned_and_must_be_sent_or_kept() {
    use aws_sdk_elasticloadbalancingv2::types::{
        Action, ActionTypeEnum, AuthenticateOidcActionConfig, RuleCondition,
    };
    let s = Account::new().seed(1);
    let client = s.context().elbv2();
    let rt = rt();
    let oidc = |secret: Option<&str>, keep: Option<bool>| {
        Action::builder()
            .r#type(ActionTypeEnum::AuthenticateOidc)
            .order(1)
            .authenticate_oidc_config(
                AuthenticateOidcActionConfig::builder()
                    .issuer("https://idp.example.com")
                    .authorization_endpoint("https://idp.example.com/auth")
                    .token_endpoint("https://idp.example.com/token")
                    .user_info_endpoint("https://idp.example.com/userinfo")
                    .client_id("hybrid")
                    .set_client_secret(secret.map(str::to_string))
                    .set_use_existing_client_secret(keep)
                    .build(),
            )
            .build()
    };
    let fixed = || {
        Action::builder()
            .r#type(ActionTypeEnum::FixedResponse)
            .order(2)
            .fixed_response_config(
                aws_sdk_elasticloadbalancingv2::types::FixedResponseActionConfig::builder()
                    .status_code("200")
                    .build(),
            )
            .build()
    };
    let create = |a: Action| {
        rt.block_on(
            client
                .create_rule()
                .listener_arn(s.res("/listener"))
                .priority(91)
                .conditions(
                    RuleCondition::builder()
                        .field("path-pattern")
                        .values("/x/*")
                        .build(),
                )
                .actions(a)
                .actions(fixed())
                .send(),
        )
    };
    let err = create(oidc(None, None)).unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("ValidationError")
    );
    let created = create(oidc(Some("s3cret"), None)).unwrap();
    let rule = created.rules()[0].clone();
    let arn = rule.rule_arn().unwrap().to_string();
    assert_eq!(
        rule.actions()[0]
            .authenticate_oidc_config()
            .unwrap()
            .client_secret(),
        None
    );
    let described = rt
        .block_on(client.describe_rules().rule_arns(&arn).send())
        .unwrap();
    let cfg = described.rules()[0].actions()[0]
        .authenticate_oidc_config()
        .unwrap()
        .clone();
    assert_eq!(
        cfg.client_secret(),
        None,
        "DescribeRules never returns the secret"
    );
    let modify = |a: Action| {
        rt.block_on(
            client
                .modify_rule()
                .rule_arn(&arn)
                .actions(a)
                .actions(fixed())
                .send(),
        )
    };
    let err = modify(oidc(None, None)).unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("ValidationError")
    );
    modify(oidc(None, Some(true))).unwrap();
    assert_eq!(
        s.account.ctl("oidc-secret", json!({"arn": arn}))["secrets"],
        json!(["s3cret"])
    );
    modify(oidc(Some("rotated"), None)).unwrap();
    assert_eq!(
        s.account.ctl("oidc-secret", json!({"arn": arn}))["secrets"],
        json!(["rotated"])
    );
}

// ------------------------------------------------------------------ capacity (issue 23)
// moto reports an ECS service's or Auto Scaling group's capacity the moment it is asked for; the
// lab makes it come up after `capacity-timing` (start_s, then healthy_s for its targets' first
// health checks), as on AWS. These tests drive it through the real SDK clients.

/// The SDK configuration of `Account::context`, for clients hybridctl's context does not make.
fn sdk_config(s: &crate::support::Seeded) -> aws_config::SdkConfig {
    let creds =
        aws_credential_types::Credentials::new(s.account.access_key_id(), "lab", None, None, "lab");
    aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(crate::support::REGION))
        .endpoint_url(crate::support::lab().endpoint())
        .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(creds))
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(1))
        .build()
}

/// Calls `f` every 50 ms until it answers Some, for at most `limit`.
fn poll<T>(limit: Duration, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "not within {limit:?}: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// An ECS service as DescribeServices answers: desired, running, pending, primary rolloutState.
#[derive(Debug, PartialEq)]
struct EcsCounts {
    desired: i32,
    running: i32,
    pending: i32,
    rollout: String,
}

fn ecs_counts(rt: &tokio::runtime::Runtime, ecs: &aws_sdk_ecs::Client) -> EcsCounts {
    let out = rt
        .block_on(
            ecs.describe_services()
                .cluster("prod")
                .services("web")
                .send(),
        )
        .unwrap();
    let svc = &out.services()[0];
    let primary: Vec<_> = svc
        .deployments()
        .iter()
        .filter(|d| d.status() == Some("PRIMARY"))
        .collect();
    assert_eq!(primary.len(), 1, "one PRIMARY deployment: {svc:?}");
    EcsCounts {
        desired: svc.desired_count(),
        running: svc.running_count(),
        pending: svc.pending_count(),
        rollout: primary[0]
            .rollout_state()
            .map(|r| r.as_str().to_string())
            .unwrap_or_default(),
    }
}

fn counts(desired: i32, running: i32, pending: i32, rollout: &str) -> EcsCounts {
    EcsCounts {
        desired,
        running,
        pending,
        rollout: rollout.to_string(),
    }
}

fn set_desired(rt: &tokio::runtime::Runtime, ecs: &aws_sdk_ecs::Client, n: i32) {
    rt.block_on(
        ecs.update_service()
            .cluster("prod")
            .service("web")
            .desired_count(n)
            .send(),
    )
    .unwrap();
}

/// Target id -> health state of a target group, as DescribeTargetHealth answers.
fn health(
    rt: &tokio::runtime::Runtime,
    client: &aws_sdk_elasticloadbalancingv2::Client,
    tg: &str,
) -> std::collections::BTreeMap<String, TargetHealthState> {
    rt.block_on(elbv2::target_health(client, tg))
        .unwrap()
        .into_iter()
        .map(|t| (t.id, t.state.unwrap()))
        .collect()
}

fn healthy_count(h: &std::collections::BTreeMap<String, TargetHealthState>) -> usize {
    h.values()
        .filter(|s| **s == TargetHealthState::Healthy)
        .count()
}

#[test]
fn lab_ecs_running_follows_desired_and_targets_turn_healthy() {
    let s = Account::new().seed_with(json!({"services": 1, "capacity": "ecs"}));
    let arn = s.res("/capacity/ecs_service");
    assert_eq!(
        s.resources["capacity"],
        json!({"ecs_service": arn, "cluster": "prod", "service": "web"})
    );
    assert!(
        arn.ends_with(":service/prod/web") && arn.starts_with("arn:aws:ecs:ap-northeast-2:"),
        "{arn}"
    );
    s.account
        .ctl("capacity-timing", json!({"start_s": 1.0, "healthy_s": 3.0}));
    let rt = rt();
    let ecs = aws_sdk_ecs::Client::new(&sdk_config(&s));
    let elb = s.context().elbv2();
    let tg = s.res("/services/web/target_groups/aws");
    let seeded: Vec<String> = vec!["10.0.1.10".into(), "10.0.2.10".into()];

    // The seeded targets are the service's two running tasks.
    assert_eq!(ecs_counts(&rt, &ecs), counts(2, 2, 0, "COMPLETED"));
    let h = health(&rt, &elb, &tg);
    assert_eq!(h.keys().cloned().collect::<Vec<_>>(), seeded);
    assert_eq!(healthy_count(&h), 2);

    let asked = Instant::now();
    set_desired(&rt, &ecs, 4);
    assert_eq!(ecs_counts(&rt, &ecs), counts(4, 2, 2, "IN_PROGRESS"));
    assert_eq!(
        health(&rt, &elb, &tg).len(),
        2,
        "pending tasks are not targets yet"
    );

    // Running after start_s; registered then, `initial` until healthy_s later.
    let mut seen_initial = false;
    let running_at = poll(Duration::from_secs(10), "4 running", || {
        let h = health(&rt, &elb, &tg); // before the counts: never more targets than tasks
        let c = ecs_counts(&rt, &ecs);
        assert!(h.len() as i32 <= c.running, "{h:?} {c:?}");
        seen_initial |= h.values().any(|s| *s == TargetHealthState::Initial);
        (c == counts(4, 4, 0, "COMPLETED")).then(Instant::now)
    });
    assert!(running_at - asked >= Duration::from_millis(1_000));
    let healthy_at = poll(Duration::from_secs(10), "4 healthy targets", || {
        let h = health(&rt, &elb, &tg);
        seen_initial |= h.values().any(|s| *s == TargetHealthState::Initial);
        (healthy_count(&h) == 4).then_some((Instant::now(), h))
    });
    assert!(seen_initial, "new targets pass through `initial`");
    assert!(healthy_at.0 - asked >= Duration::from_millis(4_000));
    // New tasks: alternating subnets, no seeded IP reused.
    let ids: Vec<&str> = healthy_at.1.keys().map(String::as_str).collect();
    assert_eq!(ids, ["10.0.1.10", "10.0.1.100", "10.0.2.10", "10.0.2.100"]);

    // Scaling in removes at once (the newest task first) and deregisters its target.
    set_desired(&rt, &ecs, 3);
    assert_eq!(ecs_counts(&rt, &ecs), counts(3, 3, 0, "COMPLETED"));
    let h = health(&rt, &elb, &tg);
    assert_eq!(h.len(), 3, "{h:?}");
    assert!(seeded.iter().all(|ip| h.contains_key(ip)), "{h:?}");

    // Without a scalable target the service's own policy sets what it asks for.
    let scaled = s.account.ctl(
        "ecs-policy-scale",
        json!({"service_arn": arn, "desired": 1}),
    );
    assert_eq!(scaled, json!({"desired": 1}));
    assert_eq!(ecs_counts(&rt, &ecs).desired, 1);

    // Counted and logged like every other call.
    let calls = s.account.calls();
    assert_eq!(calls.get("ecs:UpdateService"), Some(&2), "{calls:?}");
    assert!(calls.get("ecs:DescribeServices").is_some_and(|n| *n >= 4));
}

#[test]
#[allow(clippy::result_large_err)] // the SDK's own error types, returned by test closures
fn lab_scalable_target_min_raises_desired_and_policy_scale_in_is_clamped() {
    use aws_sdk_applicationautoscaling::types::{ScalableDimension, ServiceNamespace};
    let s = Account::new().seed_with(json!({"services": 1, "capacity": "ecs-scalable"}));
    let arn = s.res("/capacity/ecs_service");
    let rt = rt();
    let conf = sdk_config(&s);
    let ecs = aws_sdk_ecs::Client::new(&conf);
    let aas = aws_sdk_applicationautoscaling::Client::new(&conf);
    let bounds = || {
        let out = rt
            .block_on(
                aas.describe_scalable_targets()
                    .service_namespace(ServiceNamespace::Ecs)
                    .resource_ids("service/prod/web")
                    .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
                    .send(),
            )
            .unwrap();
        let t = &out.scalable_targets()[0];
        (t.min_capacity(), t.max_capacity())
    };
    let register = |min: Option<i32>, max: Option<i32>| {
        rt.block_on(
            aas.register_scalable_target()
                .service_namespace(ServiceNamespace::Ecs)
                .resource_id("service/prod/web")
                .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
                .set_min_capacity(min)
                .set_max_capacity(max)
                .send(),
        )
    };
    let policy = |n: i32| {
        s.account.ctl(
            "ecs-policy-scale",
            json!({"service_arn": arn, "desired": n}),
        )["desired"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(bounds(), (2, 12));
    assert_eq!(ecs_counts(&rt, &ecs).desired, 2);
    s.account.reset_calls();

    // A MinCapacity above desired raises desired to it, as Application Auto Scaling does.
    register(Some(6), None).unwrap();
    assert_eq!(bounds(), (6, 12));
    assert_eq!(ecs_counts(&rt, &ecs).desired, 6);
    // The service's own policy cannot scale in below the raised min, nor out past max.
    assert_eq!(policy(1), 6);
    assert_eq!(ecs_counts(&rt, &ecs).desired, 6);
    assert_eq!(policy(20), 12);
    assert_eq!(ecs_counts(&rt, &ecs).desired, 12);
    assert_eq!(policy(7), 7);
    // A MaxCapacity below desired lowers it.
    register(None, Some(6)).unwrap();
    assert_eq!((bounds(), ecs_counts(&rt, &ecs).desired), ((6, 6), 6));
    // Min above max is refused, and nothing changes.
    let err = register(Some(10), Some(8)).unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("ValidationException")
    );
    assert_eq!((bounds(), ecs_counts(&rt, &ecs).desired), ((6, 6), 6));
    // Back to the normal bounds: desired stays where it is, within them.
    register(Some(2), Some(12)).unwrap();
    assert_eq!(policy(1), 2);

    // The call log has the writes in order (policy-scale is the lab, not a call).
    let log = s.account.ctl("call-log", json!({}));
    let ops: Vec<&str> = log["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["op"].as_str().unwrap())
        .filter(|op| op.ends_with("RegisterScalableTarget"))
        .collect();
    // Since the seed (its own RegisterScalableTarget is before the reset that ends seeding).
    assert_eq!(ops.len(), 4, "{log}");
    assert_eq!(
        s.account
            .calls()
            .get("application-autoscaling:RegisterScalableTarget"),
        Some(&4)
    );
}

#[test]
#[allow(clippy::result_large_err)] // the SDK's own error types, returned by test closures
fn lab_asg_instances_follow_desired_capacity() {
    use aws_sdk_autoscaling::types::LifecycleState;
    let s = Account::new().seed_with(json!({"services": 1, "capacity": "asg"}));
    assert_eq!(
        s.resources["capacity"],
        json!({"autoscaling_group": "web-asg"})
    );
    s.account
        .ctl("capacity-timing", json!({"start_s": 1.0, "healthy_s": 3.0}));
    let rt = rt();
    let asg = aws_sdk_autoscaling::Client::new(&sdk_config(&s));
    let elb = s.context().elbv2();
    let tg = s.res("/services/web/target_groups/aws");
    let seeded: Vec<String> = serde_json::from_value(s.resources["asg_instances"].clone()).unwrap();
    // (desired, min, max, [(instance id, lifecycle state)])
    let group = || {
        let out = rt
            .block_on(
                asg.describe_auto_scaling_groups()
                    .auto_scaling_group_names("web-asg")
                    .send(),
            )
            .unwrap();
        let g = out.auto_scaling_groups()[0].clone();
        let mut instances: Vec<(String, LifecycleState)> = g
            .instances()
            .iter()
            .map(|i| {
                (
                    i.instance_id().unwrap_or_default().to_string(),
                    i.lifecycle_state().unwrap().clone(),
                )
            })
            .collect();
        instances.sort();
        (
            g.desired_capacity().unwrap(),
            g.min_size().unwrap(),
            g.max_size().unwrap(),
            instances,
        )
    };
    let in_service = |g: &(i32, i32, i32, Vec<(String, LifecycleState)>)| {
        g.3.iter()
            .filter(|(_, l)| *l == LifecycleState::InService)
            .count()
    };
    let update = |min: i32, desired: i32| {
        rt.block_on(
            asg.update_auto_scaling_group()
                .auto_scaling_group_name("web-asg")
                .min_size(min)
                .desired_capacity(desired)
                .send(),
        )
    };

    // The group's two instances are the target group's two (healthy) targets.
    let g = group();
    assert_eq!((g.0, g.1, g.2, in_service(&g)), (2, 2, 12, 2));
    let h = health(&rt, &elb, &tg);
    assert_eq!(h.keys().cloned().collect::<Vec<_>>(), seeded);
    assert_eq!(healthy_count(&h), 2);

    let asked = Instant::now();
    update(4, 4).unwrap();
    let g = group();
    assert_eq!((g.0, g.1, g.3.len(), in_service(&g)), (4, 4, 4, 2), "{g:?}");
    assert_eq!(
        health(&rt, &elb, &tg).len(),
        2,
        "Pending instances are not targets"
    );
    let mut seen_initial = false;
    let in_service_at = poll(Duration::from_secs(10), "4 InService", || {
        let h = health(&rt, &elb, &tg);
        let g = group();
        assert!(h.len() <= in_service(&g), "{h:?} {g:?}");
        seen_initial |= h.values().any(|s| *s == TargetHealthState::Initial);
        (in_service(&g) == 4).then(Instant::now)
    });
    assert!(in_service_at - asked >= Duration::from_millis(1_000));
    let healthy_at = poll(Duration::from_secs(10), "4 healthy targets", || {
        let h = health(&rt, &elb, &tg);
        seen_initial |= h.values().any(|s| *s == TargetHealthState::Initial);
        (healthy_count(&h) == 4).then(Instant::now)
    });
    assert!(seen_initial, "new targets pass through `initial`");
    assert!(healthy_at - asked >= Duration::from_millis(4_000));
    let all: Vec<String> = group().3.into_iter().map(|(id, _)| id).collect();
    assert_eq!(
        health(&rt, &elb, &tg).keys().cloned().collect::<Vec<_>>(),
        all
    );

    // Scaling in: at once, the newest first, deregistered.
    update(3, 3).unwrap();
    let g = group();
    assert_eq!((g.0, g.3.len(), in_service(&g)), (3, 3, 3));
    let h = health(&rt, &elb, &tg);
    assert_eq!(h.len(), 3, "{h:?}");
    assert!(seeded.iter().all(|id| h.contains_key(id)), "{h:?}");

    // Desired outside [min, max] is refused as Auto Scaling does.
    let err = update(3, 13).unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("ValidationError")
    );
    assert_eq!(group().0, 3);
    assert_eq!(
        s.account.calls().get("autoscaling:UpdateAutoScalingGroup"),
        Some(&3)
    );
}

#[test]
fn lab_ecs_rollout_state_is_forced() {
    let s = Account::new().seed_with(json!({"services": 1, "capacity": "ecs"}));
    let arn = s.res("/capacity/ecs_service");
    s.account
        .ctl("capacity-timing", json!({"start_s": 1.0, "healthy_s": 0.1}));
    let rt = rt();
    let ecs = aws_sdk_ecs::Client::new(&sdk_config(&s));
    let rollout = |state: Value| {
        s.account
            .ctl("ecs-rollout", json!({"service_arn": arn, "state": state}))
    };
    rollout(json!("FAILED"));
    assert_eq!(ecs_counts(&rt, &ecs), counts(2, 2, 0, "FAILED"));
    // A forced state stays through scaling.
    set_desired(&rt, &ecs, 3);
    assert_eq!(ecs_counts(&rt, &ecs), counts(3, 2, 1, "FAILED"));
    rollout(json!("COMPLETED"));
    assert_eq!(ecs_counts(&rt, &ecs).rollout, "COMPLETED");
    // null: the lab's own again (IN_PROGRESS while a task is pending).
    rollout(Value::Null);
    let c = ecs_counts(&rt, &ecs);
    assert!(
        c == counts(3, 2, 1, "IN_PROGRESS") || c == counts(3, 3, 0, "COMPLETED"),
        "{c:?}"
    );
    poll(Duration::from_secs(10), "COMPLETED", || {
        (ecs_counts(&rt, &ecs) == counts(3, 3, 0, "COMPLETED")).then_some(())
    });
    rollout(json!("IN_PROGRESS"));
    assert_eq!(ecs_counts(&rt, &ecs), counts(3, 3, 0, "IN_PROGRESS"));
}

/// `/_lab/target-health` still wins over the `initial` state of a new task's target.
#[test]
fn lab_forced_target_health_wins_over_capacity_initial() {
    let s = Account::new().seed_with(json!({"services": 1, "capacity": "ecs"}));
    s.account
        .ctl("capacity-timing", json!({"start_s": 0, "healthy_s": 600}));
    let rt = rt();
    let ecs = aws_sdk_ecs::Client::new(&sdk_config(&s));
    let elb = s.context().elbv2();
    let tg = s.res("/services/web/target_groups/aws");
    set_desired(&rt, &ecs, 3);
    let h = health(&rt, &elb, &tg);
    assert_eq!(
        h.get("10.0.1.100"),
        Some(&TargetHealthState::Initial),
        "{h:?}"
    );
    s.force_health("web", "aws", &["10.0.1.100"], "healthy");
    s.force_health("web", "aws", &["10.0.1.10"], "unhealthy");
    let h = health(&rt, &elb, &tg);
    assert_eq!(
        (
            h["10.0.1.100"].clone(),
            h["10.0.1.10"].clone(),
            h["10.0.2.10"].clone()
        ),
        (
            TargetHealthState::Healthy,
            TargetHealthState::Unhealthy,
            TargetHealthState::Healthy
        )
    );
}

/// Faults, counts and the call log are the same for the capacity services as for the others:
/// a fault named `ecs:UpdateService` or `autoscaling:*` reaches the SDK in that protocol.
#[test]
fn lab_faults_and_call_log_cover_ecs_and_autoscaling() {
    let s = Account::new().seed_with(json!({"services": 1, "capacity": "ecs"}));
    let conf = sdk_config(&s);
    let rt = rt();
    let ecs = aws_sdk_ecs::Client::new(&conf);
    let asg = aws_sdk_autoscaling::Client::new(&conf);
    s.account.fault("ecs:UpdateService", "throttle", 1);
    s.account.fault("autoscaling:*", "denied", 1);
    let err = rt
        .block_on(
            ecs.update_service()
                .cluster("prod")
                .service("web")
                .desired_count(3)
                .send(),
        )
        .unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("ThrottlingException")
    );
    let err = rt
        .block_on(asg.describe_auto_scaling_groups().send())
        .unwrap_err();
    assert_eq!(err.into_service_error().meta().code(), Some("AccessDenied"));
    set_desired(&rt, &ecs, 3);
    assert_eq!(ecs_counts(&rt, &ecs).desired, 3);
    let log = s.account.ctl("call-log", json!({}));
    let ops: Vec<&str> = log["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["op"].as_str().unwrap())
        .skip_while(|op| *op != "ecs:UpdateService")
        .collect();
    assert_eq!(
        ops,
        [
            "ecs:UpdateService",
            "autoscaling:DescribeAutoScalingGroups",
            "ecs:UpdateService",
            "ecs:DescribeServices"
        ]
    );
}
