//! Modes and findings from hand-built live states of the shared BASE topology.

use std::path::Path;

use super::*;
use crate::aws::dms::Task;
use crate::aws::elbv2::{Stickiness, WeightedGroup};
use crate::aws::rds::{Instance, ParameterGroupStatus};

// The tables below spell states as AWS does; the helpers convert them as the adapters do.
use crate::topology::{self, Topology};

const BASE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/base.yaml"));

const ONPREM: &str = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-onprem/73e2d6bc24d8a067";
const AWS: &str =
    "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-aws/8b1c4a7f3e2d1c0b";

/// BASE with a coordination table: the findings below are about everything else.
fn topo() -> Topology {
    let text = format!("{BASE}coordination: {{ dynamodb_table: hybridctl-coordination }}\n");
    topology::parse(Path::new("t.yaml"), &text).unwrap()
}

fn targets(states: &[&str]) -> Vec<TargetState> {
    states
        .iter()
        .enumerate()
        .map(|(i, s)| TargetState {
            id: format!("10.0.0.{i}"),
            port: Some(8080),
            state: Some(TargetHealthState::from_aws(s)),
            reason: (TargetHealthState::from_aws(s) != TargetHealthState::Healthy)
                .then(|| "Target.Timeout".to_string()),
            description: None,
        })
        .collect()
}

fn live(onprem: i32, aws: i32, onprem_health: &[&str], aws_health: &[&str]) -> LiveService {
    LiveService {
        name: "web".into(),
        forward: Some(Forward {
            target_groups: vec![
                WeightedGroup {
                    arn: ONPREM.into(),
                    weight: onprem,
                },
                WeightedGroup {
                    arn: AWS.into(),
                    weight: aws,
                },
            ],
            stickiness: Some(Stickiness {
                enabled: false,
                duration_seconds: None,
            }),
        }),
        last_change: None,
        health: [
            (ONPREM.to_string(), targets(onprem_health)),
            (AWS.to_string(), targets(aws_health)),
        ]
        .into(),
    }
}

fn traffic_only(l: LiveService) -> Observed {
    Observed {
        traffic: Ok(vec![l]),
        alarms: None,
        replication: None,
        dr: None,
    }
}

fn run(obs: Observed) -> StatusReport {
    let t = topo();
    let services: Vec<&Service> = t.services.iter().collect();
    conclude(&t, &services, obs, 1_000_000)
}

fn codes(r: &StatusReport) -> Vec<(Severity, &'static str)> {
    r.findings.iter().map(|f| (f.severity, f.code)).collect()
}

const OK2: &[&str] = &["healthy", "healthy"];

#[test]
fn modes_from_weights() {
    let cases = [
        (40, 60, Mode::Normal),
        (400, 600, Mode::Normal),
        (2, 3, Mode::Normal),
        (0, 100, Mode::FailedOver),
        (0, 7, Mode::FailedOver),
        (20, 80, Mode::Shifted),
        (100, 0, Mode::Shifted),
        (0, 0, Mode::Shifted),
    ];
    for (o, a, mode) in cases {
        let r = run(traffic_only(live(o, a, OK2, OK2)));
        assert_eq!(r.services[0].mode, mode, "{o}/{a}");
    }
}

#[test]
fn normal_and_healthy_is_ok() {
    let r = run(traffic_only(live(40, 60, OK2, OK2)));
    assert!(r.ok, "{:?}", r.findings);
    assert_eq!(r.verdict, "ok");
    let s = &r.services[0];
    assert_eq!(s.percent["onprem"], 40.0);
    assert_eq!(
        s.health["aws"],
        Health {
            healthy: 2,
            unhealthy: 0,
            other: 0
        }
    );
}

#[test]
fn drift_when_the_rule_forwards_elsewhere() {
    let mut l = live(40, 60, OK2, OK2);
    l.forward.as_mut().unwrap().target_groups[1].arn = AWS.replace("web-aws", "rogue");
    let r = run(traffic_only(l));
    assert_eq!(r.services[0].mode, Mode::Drift);
    assert_eq!(r.services[0].missing_sites, ["aws"]);
    assert_eq!(r.services[0].unknown_target_groups.len(), 1);
    assert_eq!(codes(&r), [(Severity::Warning, "drift")]);
    assert_eq!(r.verdict, "degraded");
}

#[test]
fn drift_when_the_rule_has_no_forward() {
    let mut l = live(40, 60, OK2, OK2);
    l.forward = None;
    let r = run(traffic_only(l));
    assert_eq!(r.services[0].mode, Mode::Drift);
}

#[test]
fn a_weighted_site_without_healthy_targets_is_critical() {
    let r = run(traffic_only(live(40, 60, &["unhealthy", "unhealthy"], OK2)));
    assert_eq!(codes(&r), [(Severity::Critical, "no-healthy-target")]);
    let msg = &r.findings[0].message;
    assert!(
        msg.contains("site onprem gets 40% of traffic") && msg.contains("Target.Timeout"),
        "{msg}"
    );
    assert!(!r.ok);
}

#[test]
fn unhealthy_targets_on_an_idle_site_are_info() {
    let r = run(traffic_only(live(0, 100, &["unhealthy", "draining"], OK2)));
    assert_eq!(codes(&r), [(Severity::Info, "unhealthy-idle-site")]);
    assert!(r.ok);
    assert_eq!(r.services[0].unhealthy_targets.len(), 2);
}

#[test]
fn stickiness_is_info() {
    let mut l = live(40, 60, OK2, OK2);
    l.forward.as_mut().unwrap().stickiness = Some(Stickiness {
        enabled: true,
        duration_seconds: Some(3600),
    });
    let r = run(traffic_only(l));
    assert_eq!(codes(&r), [(Severity::Info, "stickiness")]);
    assert!(r.ok);
}

fn alarm(state: &str, since: i64) -> Alarm {
    Alarm {
        name: "onprem-requestcount-high".into(),
        state: Some(AlarmState::from_aws(state)),
        reason: None,
        since: None,
        since_epoch: Some(since),
    }
}

#[test]
fn alarm_findings_both_ways() {
    let mut obs = traffic_only(live(40, 60, OK2, OK2));
    obs.alarms = Some(Ok(vec![alarm("ALARM", 999_000)]));
    assert_eq!(
        codes(&run(obs)),
        [(Severity::Warning, "alarm-not-failed-over")]
    );

    let mut obs = traffic_only(live(0, 100, OK2, OK2));
    obs.alarms = Some(Ok(vec![alarm("OK", 1_000_000 - 600)]));
    let r = run(obs);
    assert_eq!(codes(&r), [(Severity::Warning, "failed-over-alarm-ok")]);
    assert!(
        r.findings[0].message.contains("OK for 10m"),
        "{}",
        r.findings[0].message
    );

    let mut obs = traffic_only(live(0, 100, OK2, OK2));
    obs.alarms = Some(Ok(vec![alarm("ALARM", 999_000)]));
    assert!(run(obs).ok);

    let mut obs = traffic_only(live(40, 60, OK2, OK2));
    obs.alarms = Some(Ok(vec![]));
    assert_eq!(codes(&run(obs)), [(Severity::Warning, "alarm-missing")]);
}

fn task(status: &str) -> Task {
    Task {
        arn: "arn:aws:dms:ap-northeast-2:123456789012:task:RDSTOONPREM".into(),
        id: "rds-to-onprem".into(),
        status: Some(TaskStatus::from_aws(status)),
        stop_reason: None,
        last_failure_message: Some("Binary logging must be enabled".into()),
        migration_type: None,
        source_endpoint_arn: None,
        replication_instance_arn: None,
        recovery_checkpoint: None,
    }
}

fn instance(backups: i32, apply: &str) -> Instance {
    Instance {
        id: "hybrid-mariadb".into(),
        status: Some("available".into()),
        engine: "mariadb".into(),
        engine_version: "10.6.14".into(),
        backup_retention_days: backups,
        parameter_groups: vec![ParameterGroupStatus {
            name: "pg".into(),
            apply_status: Some(ParameterApplyStatus::from_aws(apply)),
        }],
        address: None,
        read_replica_source: None,
    }
}

fn with_replication(l: LiveService, r: LiveReplication) -> Observed {
    let mut obs = traffic_only(l);
    obs.replication = Some(Ok(r));
    obs
}

#[test]
fn replication_findings() {
    let healthy = || LiveReplication {
        task: Some(task("running")),
        cdc: CdcLatency {
            source_seconds: Some(2.0),
            target_seconds: Some(3.0),
        },
        source: Some(instance(7, "in-sync")),
    };
    assert!(run(with_replication(live(40, 60, OK2, OK2), healthy())).ok);

    let mut r = healthy();
    r.task = Some(task("failed"));
    let rep = run(with_replication(live(40, 60, OK2, OK2), r.clone()));
    assert_eq!(codes(&rep), [(Severity::Critical, "dms-task-not-running")]);
    assert!(
        rep.findings[0]
            .message
            .contains("Binary logging must be enabled")
    );
    // Failed over: traffic is not split, so a stopped task is not critical.
    assert!(run(with_replication(live(0, 100, OK2, OK2), r)).ok);

    let mut r = healthy();
    r.cdc.target_seconds = Some(45.0);
    assert_eq!(
        codes(&run(with_replication(live(40, 60, OK2, OK2), r))),
        [(Severity::Warning, "cdc-latency-high")]
    );

    let mut r = healthy();
    r.source = Some(instance(0, "pending-reboot"));
    assert_eq!(
        codes(&run(with_replication(live(40, 60, OK2, OK2), r))),
        [
            (Severity::Critical, "rds-backups-off"),
            (Severity::Warning, "parameter-group-pending-reboot")
        ]
    );

    let mut r = healthy();
    r.task = None;
    assert_eq!(
        codes(&run(with_replication(live(40, 60, OK2, OK2), r))),
        [(Severity::Critical, "dms-task-missing")]
    );
}

fn record(id: &str, weight: i64) -> crate::aws::route53::WeightedRecord {
    crate::aws::route53::WeightedRecord {
        set_identifier: Some(id.into()),
        weight: Some(weight),
        ttl: Some(60),
        health_check_id: None,
        raw: aws_sdk_route53::types::ResourceRecordSet::builder()
            .name("ticket.example.com.")
            .r#type(aws_sdk_route53::types::RrType::A)
            .build()
            .unwrap(),
    }
}

#[test]
fn dr_stage_is_matched_by_weights() {
    let stage_of = |weights: [i64; 3]| {
        let mut obs = traffic_only(live(40, 60, OK2, OK2));
        obs.dr = Some(Ok(LiveDr {
            records: vec![
                record("prod", weights[0]),
                record("dr-eks", weights[1]),
                record("dr-ecs", weights[2]),
            ],
            ready: Some(targets(OK2)),
        }));
        run(obs)
    };
    let r = stage_of([100, 0, 0]);
    assert_eq!(r.dr.as_ref().unwrap().stage.as_deref(), Some("normal"));
    assert!(r.ok);
    let r = stage_of([0, 0, 100]);
    assert_eq!(r.dr.as_ref().unwrap().stage.as_deref(), Some("building"));
    assert_eq!(codes(&r), [(Severity::Warning, "dr-not-normal")]);
    let r = stage_of([50, 50, 0]);
    assert_eq!(r.dr.as_ref().unwrap().stage.as_deref(), Some("custom"));
}

#[test]
fn a_section_that_cannot_be_read_makes_the_verdict_error() {
    let mut obs = traffic_only(live(40, 60, OK2, OK2));
    obs.replication = Some(Err(SectionError {
        message: "dms DescribeReplicationTasks failed: AccessDenied".into(),
        hint: None,
    }));
    let r = run(obs);
    assert_eq!(r.verdict, "error");
    assert!(!r.ok && r.has_errors());
    assert_eq!(r.services[0].mode, Mode::Normal, "traffic is still shown");

    let r = run(Observed {
        traffic: Err(SectionError {
            message: "x".into(),
            hint: None,
        }),
        alarms: None,
        replication: None,
        dr: None,
    });
    assert_eq!(r.verdict, "error");
    assert!(r.services.is_empty());
}

/// The public JSON of adapter values, field by field and in order: `hybridctl.status/v1` is
/// built from the report's views, so this literal changes only when the schema does. States AWS
/// did not send keep their historical text (`UNKNOWN`, `unknown`), and `since_epoch` stays out.
#[test]
fn status_v1_json_of_adapter_values() {
    let obs = Observed {
        traffic: Ok(vec![live(40, 60, OK2, &["healthy", "unhealthy"])]),
        alarms: Some(Ok(vec![
            Alarm {
                name: "onprem-requestcount-high".into(),
                state: Some(AlarmState::Ok),
                reason: Some("Threshold Crossed".into()),
                since: Some("2024-05-01T10:00:00Z".into()),
                since_epoch: Some(999_000),
            },
            Alarm {
                name: "no-state".into(),
                state: None,
                reason: None,
                since: None,
                since_epoch: None,
            },
        ])),
        replication: Some(Ok(LiveReplication {
            task: Some(Task {
                arn: "arn:aws:dms:ap-northeast-2:123456789012:task:RDSTOONPREM".into(),
                id: "rds-to-onprem".into(),
                status: Some(TaskStatus::from_aws("running")),
                stop_reason: Some("Stop Reason FULL_LOAD_ONLY_FINISHED".into()),
                last_failure_message: None,
                migration_type: Some("full-load-and-cdc".into()),
                source_endpoint_arn: Some(
                    "arn:aws:dms:ap-northeast-2:123456789012:endpoint:SRC".into(),
                ),
                replication_instance_arn: Some(
                    "arn:aws:dms:ap-northeast-2:123456789012:rep:RI".into(),
                ),
                recovery_checkpoint: Some(
                    "checkpoint:V1#1#mysql-bin-changelog.000002:120#0#0#*#0#0".into(),
                ),
            }),
            cdc: CdcLatency {
                source_seconds: Some(2.0),
                target_seconds: None,
            },
            source: Some(Instance {
                id: "hybrid-mariadb".into(),
                status: None,
                engine: "mariadb".into(),
                engine_version: "10.6.14".into(),
                backup_retention_days: 7,
                parameter_groups: vec![
                    ParameterGroupStatus {
                        name: "hybrid-mariadb-binlog".into(),
                        apply_status: Some(ParameterApplyStatus::InSync),
                    },
                    ParameterGroupStatus {
                        name: "no-status".into(),
                        apply_status: None,
                    },
                ],
                address: Some("hybrid-mariadb.abc.ap-northeast-2.rds.amazonaws.com".into()),
                read_replica_source: None,
            }),
        })),
        dr: None,
    };
    let got = serde_json::to_string_pretty(&run(obs)).unwrap();
    let want = r##"{
  "schema": "hybridctl.status/v1",
  "ok": true,
  "verdict": "ok",
  "services": [
    {
      "name": "web",
      "mode": "normal",
      "weights": {
        "onprem": 40,
        "aws": 60
      },
      "percent": {
        "onprem": 40.0,
        "aws": 60.0
      },
      "health": {
        "onprem": {
          "healthy": 2,
          "unhealthy": 0,
          "other": 0
        },
        "aws": {
          "healthy": 1,
          "unhealthy": 1,
          "other": 0
        }
      },
      "unhealthy_targets": [
        {
          "site": "aws",
          "id": "10.0.0.1",
          "state": "unhealthy",
          "reason": "Target.Timeout"
        }
      ],
      "stickiness": false,
      "unknown_target_groups": [],
      "missing_sites": [],
      "last_change": null
    }
  ],
  "alarms": {
    "alarms": [
      {
        "name": "onprem-requestcount-high",
        "state": "OK",
        "reason": "Threshold Crossed",
        "since": "2024-05-01T10:00:00Z"
      },
      {
        "name": "no-state",
        "state": "UNKNOWN",
        "reason": null,
        "since": null
      }
    ]
  },
  "replication": {
    "task": {
      "arn": "arn:aws:dms:ap-northeast-2:123456789012:task:RDSTOONPREM",
      "id": "rds-to-onprem",
      "status": "running",
      "stop_reason": "Stop Reason FULL_LOAD_ONLY_FINISHED",
      "last_failure_message": null,
      "migration_type": "full-load-and-cdc",
      "source_endpoint_arn": "arn:aws:dms:ap-northeast-2:123456789012:endpoint:SRC",
      "replication_instance_arn": "arn:aws:dms:ap-northeast-2:123456789012:rep:RI",
      "recovery_checkpoint": "checkpoint:V1#1#mysql-bin-changelog.000002:120#0#0#*#0#0"
    },
    "cdc_latency": {
      "source_seconds": 2.0,
      "target_seconds": null
    },
    "source": {
      "id": "hybrid-mariadb",
      "status": "unknown",
      "engine": "mariadb",
      "engine_version": "10.6.14",
      "backup_retention_days": 7,
      "parameter_groups": [
        {
          "name": "hybrid-mariadb-binlog",
          "apply_status": "in-sync"
        },
        {
          "name": "no-status",
          "apply_status": "unknown"
        }
      ],
      "address": "hybrid-mariadb.abc.ap-northeast-2.rds.amazonaws.com",
      "read_replica_source": null
    }
  },
  "findings": []
}"##;
    assert_eq!(got, want, "\n{got}");
}

#[test]
fn without_coordination_status_says_so_as_info() {
    let plain = topology::parse(Path::new("t.yaml"), BASE).unwrap();
    let svcs: Vec<&Service> = plain.services.iter().collect();
    let r = conclude(&plain, &svcs, traffic_only(live(40, 60, OK2, OK2)), 0);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "no-coordination")
        .unwrap();
    assert_eq!(f.severity, Severity::Info);
    assert!(
        f.message
            .contains("two hosts can change the same traffic at once")
    );
    let coordinated = topo();
    let r = conclude(&coordinated, &svcs, traffic_only(live(40, 60, OK2, OK2)), 0);
    assert!(r.findings.iter().all(|f| f.code != "no-coordination"));
}

/// Issue 22: with an overflow split that looks like a failover's ({onprem: 0, aws: 100},
/// refused by `validate` now; set on the model as an older file had it), the mode comes from
/// the record of who set the weights: a failover is `failed-over`, overflow's own shift is
/// `overflow`. Before, any 0/100 read as `overflow` during a failover.
#[test]
fn a_failover_shaped_overflow_split_is_told_apart_by_the_last_change() {
    let overflow = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/overflow.yaml"
    ));
    let text = format!("{BASE}{overflow}");
    let mut t = topology::parse(Path::new("t.yaml"), &text).unwrap();
    t.overflow[0].weights = vec![("onprem".into(), 0), ("aws".into(), 100)];
    let services: Vec<&Service> = t.services.iter().collect();
    for (tag, mode) in [
        (
            Some("2025-01-01T00:00:00Z failover by ops@h1"),
            Mode::FailedOver,
        ),
        (None, Mode::FailedOver),
        (
            Some("2025-01-01T00:00:00Z overflow by watch on ops@h1"),
            Mode::Overflow,
        ),
    ] {
        let mut l = live(0, 100, OK2, OK2);
        l.last_change = tag.map(str::to_string);
        let r = conclude(&t, &services, traffic_only(l), 1_000_000);
        assert_eq!(r.services[0].mode, mode, "{tag:?}");
    }
}
