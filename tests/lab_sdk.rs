//! The real AWS SDK for Rust, through hybridctl's adapters, against the lab: one test per
//! service, plus forced failure states and injected faults.

use std::time::{Duration, Instant};

use hybridctl::aws::cloudwatch::AlarmState;
use hybridctl::aws::dms::TaskStatus;
use hybridctl::aws::elbv2::TargetHealthState;
use hybridctl::aws::rds::ParameterApplyStatus;
use hybridctl::aws::{cloudwatch, dms, elbv2, rds, route53};
use serde_json::json;

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
