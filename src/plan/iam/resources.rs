//! The resources and conditions a statement names for each scope, from the topology's ARNs.
//!
//! The account and partition come from the ARNs in the topology: the first service's listener
//! ARN for CloudWatch alarms and the coordination table, the DMS task ARN for RDS resources.

use serde_json::{Value, json};

use crate::aws::elbv2::LAST_CHANGE_TAG;
use crate::topology::arn::Arn;
use crate::topology::{Source, Topology};

pub use crate::aws::calls::Scope;

type Built = (&'static str, Vec<String>, Option<Value>);

/// (Sid, resources, condition) for `scope`; Err(why) when the topology has nothing of that
/// kind, so the statement is left out.
pub fn of(scope: Scope, topo: Option<&Topology>) -> Result<Built, String> {
    if scope == Scope::Any {
        return Ok(("NoResourceLevelPermissions", vec!["*".into()], None));
    }
    let Some(t) = topo else {
        return Err("no topology file to take ARNs from".into());
    };
    let base = &base_arn(t).ok_or("the topology has no service")?;
    match scope {
        Scope::Any => unreachable!("handled above"),
        Scope::Rules => {
            let rules = rule_arns(t);
            nonempty(
                "ModifyRulesOfTheTopology",
                rules,
                None,
                "no service has a rule_arn",
            )
        }
        Scope::Listeners => nonempty(
            "ModifyDefaultActionsOfTheTopology",
            default_action_listeners(t),
            None,
            "no service uses a listener default action",
        ),
        Scope::TagLastChange => {
            let mut arns = rule_arns(t);
            arns.extend(default_action_listeners(t));
            let cond = json!({ "ForAllValues:StringEquals": { "aws:TagKeys": [LAST_CHANGE_TAG] } });
            nonempty("TagOnlyLastChange", arns, Some(cond), "no service")
        }
        Scope::Alarm => alarms(t, base),
        Scope::HostedZone | Scope::RecordUpsert => hosted_zone(scope, t, base),
        Scope::ServiceZones | Scope::ServiceRecordUpsert => service_zones(scope, t, base),
        Scope::ServiceHealthChecks | Scope::ServiceChanges => {
            if !t.services.iter().any(|s| s.dns().is_some()) {
                return Err("no service is routed by Route 53 (services.S.dns)".into());
            }
            Ok(if scope == Scope::ServiceChanges {
                (
                    "Route53ServiceChanges",
                    vec![global(base, "change/*")],
                    None,
                )
            } else {
                (
                    "Route53ServiceHealthChecks",
                    vec![global(base, "healthcheck/*")],
                    None,
                )
            })
        }
        Scope::HealthChecks => Ok((
            "Route53HealthChecks",
            vec![global(base, "healthcheck/*")],
            None,
        )),
        Scope::Changes => Ok(("Route53Changes", vec![global(base, "change/*")], None)),
        Scope::DbInstance
        | Scope::DbCluster
        | Scope::DbParameterGroups
        | Scope::ClusterParameterGroups => rds(scope, t),
        Scope::EcsServices | Scope::AutoScalingGroups | Scope::EcsAny | Scope::AsgAny => {
            capacity(scope, t)
        }
        Scope::CoordinationTable => {
            let c = t
                .coordination
                .as_ref()
                .ok_or("the topology has no coordination table")?;
            let region = c
                .region
                .as_deref()
                .or(t.aws.region.as_deref())
                .unwrap_or(&base.region);
            let cond = json!({ "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": [
                crate::aws::dynamodb::HISTORY_PK,
                crate::aws::dynamodb::LEASE_PK,
                crate::aws::dynamodb::WATCH_PK,
                crate::aws::dynamodb::DR_PENDING_PK,
            ] } });
            Ok((
                "CoordinationTable",
                vec![arn(
                    base,
                    "dynamodb",
                    region,
                    &format!("table/{}", c.dynamodb_table),
                )],
                Some(cond),
            ))
        }
    }
}

/// The failover alarm, the drill's alarms and the automatic DR's (`dr.auto.when.alarm`),
/// each once.
fn alarms(t: &Topology, base: &Arn) -> Result<Built, String> {
    let failover = t.failover.as_ref().and_then(|f| f.alarm.as_ref());
    let drill = t
        .drill
        .iter()
        .flat_map(|d| d.outcome_alarms.iter().chain(&d.blocking_alarms));
    let dr_alarm =
        t.dr.as_ref()
            .and_then(|d| d.auto.as_ref())
            .and_then(|a| a.alarm.as_ref());
    let mut arns: Vec<String> = Vec::new();
    for a in failover.into_iter().chain(drill).chain(dr_alarm) {
        let a = arn(base, "cloudwatch", &base.region, &format!("alarm:{a}"));
        if !arns.contains(&a) {
            arns.push(a);
        }
    }
    nonempty(
        "FailoverAlarm",
        arns,
        None,
        "the topology names no failover.alarm",
    )
}

/// The capacity scopes: the ECS services and Auto Scaling groups `capacity` names.
fn capacity(scope: Scope, t: &Topology) -> Result<Built, String> {
    match scope {
        Scope::EcsServices => {
            let arns = t
                .services
                .iter()
                .flat_map(|s| &s.capacity)
                .filter_map(|c| match &c.scaler {
                    crate::topology::Scaler::EcsService { arn, .. } => Some(arn.to_string()),
                    _ => None,
                })
                .collect();
            nonempty(
                "CapacityEcsServices",
                arns,
                None,
                "no service names an ECS service under capacity",
            )
        }
        Scope::AutoScalingGroups => {
            let arns = t
                .services
                .iter()
                .flat_map(|s| s.capacity.iter().map(move |c| (s, c)))
                .filter_map(|(s, c)| match &c.scaler {
                    crate::topology::Scaler::AutoscalingGroup { name, region } => Some(arn(
                        s.alb()?.0,
                        "autoscaling",
                        region,
                        &format!("autoScalingGroup:*:autoScalingGroupName/{name}"),
                    )),
                    _ => None,
                })
                .collect();
            nonempty(
                "CapacityAutoScalingGroups",
                arns,
                None,
                "no service names an Auto Scaling group under capacity",
            )
        }
        Scope::EcsAny | Scope::AsgAny => {
            let ecs = matches!(scope, Scope::EcsAny);
            let any = t
                .services
                .iter()
                .flat_map(|s| &s.capacity)
                .any(|c| matches!(c.scaler, crate::topology::Scaler::EcsService { .. }) == ecs);
            nonempty(
                if ecs {
                    "EcsCapacityWithoutResourceLevelPermissions"
                } else {
                    "AsgCapacityWithoutResourceLevelPermissions"
                },
                if any { vec!["*".into()] } else { vec![] },
                None,
                "no capacity of that kind",
            )
        }
        _ => unreachable!("capacity scopes only"),
    }
}

fn nonempty(
    sid: &'static str,
    arns: Vec<String>,
    cond: Option<Value>,
    why: &str,
) -> Result<Built, String> {
    if arns.is_empty() {
        Err(why.to_string())
    } else {
        Ok((sid, arns, cond))
    }
}

fn arn(base: &Arn, service: &str, region: &str, resource: &str) -> String {
    format!(
        "arn:{}:{service}:{region}:{}:{resource}",
        base.partition, base.account
    )
}

/// Route 53 ARNs carry no region and no account.
/// The ARN the account and partition come from: the first ALB service's listener, else the
/// DMS task's; a topology of dns services only names no account (Route 53 ARNs have none):
/// `*` stands for it.
fn base_arn(t: &Topology) -> Option<Arn> {
    let first = t
        .services
        .iter()
        .find_map(|s| s.alb().map(|(l, _)| l.clone()));
    first
        .or_else(|| t.replication.as_ref().map(|r| r.dms_task_arn.clone()))
        .or_else(|| {
            (!t.services.is_empty()).then(|| Arn {
                partition: "aws".into(),
                service: "elasticloadbalancing".into(),
                region: t.aws.region.clone().unwrap_or_else(|| "*".into()),
                account: "*".into(),
                resource: String::new(),
            })
        })
}

/// The hosted zones of the dns services; with `ServiceRecordUpsert`, only UPSERTs of their
/// record names and types.
fn service_zones(scope: Scope, t: &Topology, base: &Arn) -> Result<Built, String> {
    let dns: Vec<&crate::topology::Dns> = t.services.iter().filter_map(|s| s.dns()).collect();
    if dns.is_empty() {
        return Err("no service is routed by Route 53 (services.S.dns)".into());
    }
    let mut zones: Vec<String> = dns
        .iter()
        .map(|d| global(base, &format!("hostedzone/{}", d.zone_id)))
        .collect();
    zones.sort();
    zones.dedup();
    if scope == Scope::ServiceZones {
        return Ok(("ReadServiceRecords", zones, None));
    }
    let mut names: Vec<String> = dns
        .iter()
        .map(|d| d.record.trim_end_matches('.').to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    let mut types: Vec<&str> = dns.iter().map(|d| d.record_type.as_str()).collect();
    types.sort();
    types.dedup();
    let cond = json!({ "ForAllValues:StringEquals": {
        "route53:ChangeResourceRecordSetsNormalizedRecordNames": names,
        "route53:ChangeResourceRecordSetsRecordTypes": types,
        "route53:ChangeResourceRecordSetsActions": ["UPSERT"],
    }});
    Ok(("UpsertServiceRecordWeights", zones, Some(cond)))
}

fn global(base: &Arn, resource: &str) -> String {
    format!("arn:{}:route53:::{resource}", base.partition)
}

fn rule_arns(t: &Topology) -> Vec<String> {
    let mut v: Vec<String> = t
        .services
        .iter()
        .filter_map(|s| s.alb()?.1.map(ToString::to_string))
        .collect();
    v.sort();
    v.dedup();
    v
}

fn default_action_listeners(t: &Topology) -> Vec<String> {
    let mut v: Vec<String> = t
        .services
        .iter()
        .filter_map(|s| s.alb().filter(|(_, rule)| rule.is_none()))
        .map(|(listener, _)| listener.to_string())
        .collect();
    v.sort();
    v.dedup();
    v
}

fn hosted_zone(scope: Scope, t: &Topology, base: &Arn) -> Result<Built, String> {
    let dns = &t.dr.as_ref().ok_or("the topology has no dr section")?.dns;
    let zone = vec![global(base, &format!("hostedzone/{}", dns.zone_id))];
    if scope == Scope::HostedZone {
        return Ok(("ReadDrRecords", zone, None));
    }
    // Route 53 compares the record name lowercased and without the trailing dot.
    let name = dns.record.trim_end_matches('.').to_ascii_lowercase();
    let cond = json!({ "ForAllValues:StringEquals": {
        "route53:ChangeResourceRecordSetsNormalizedRecordNames": [name],
        "route53:ChangeResourceRecordSetsRecordTypes": [dns.record_type],
        "route53:ChangeResourceRecordSetsActions": ["UPSERT"],
    }});
    Ok(("UpsertDrRecordWeights", zone, Some(cond)))
}

fn rds(scope: Scope, t: &Topology) -> Result<Built, String> {
    let r = t
        .replication
        .as_ref()
        .ok_or("the topology has no replication section")?;
    let base = &r.dms_task_arn;
    let at = |res: &str| arn(base, "rds", &base.region, res);
    let (sid, arns): (&'static str, Vec<String>) = match (scope, &r.source) {
        (_, Source::SelfManaged) => return Err("the DMS source is self-managed".into()),
        (Scope::DbInstance, Source::RdsInstance(id)) => {
            ("RdsSourceInstance", vec![at(&format!("db:{id}"))])
        }
        // The Aurora writer instance is found at run time.
        (Scope::DbInstance, Source::AuroraCluster(_)) => ("RdsSourceInstance", vec![at("db:*")]),
        (Scope::DbCluster, Source::AuroraCluster(id)) => {
            ("RdsSourceCluster", vec![at(&format!("cluster:{id}"))])
        }
        (Scope::DbParameterGroups, _) => ("RdsParameterGroups", vec![at("pg:*")]),
        (Scope::ClusterParameterGroups, Source::AuroraCluster(_)) => {
            ("RdsClusterParameterGroups", vec![at("cluster-pg:*")])
        }
        _ => return Err("the DMS source is not an Aurora cluster".into()),
    };
    Ok((sid, arns, None))
}
