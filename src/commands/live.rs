//! Live state shared by `status` and the traffic commands: each ALB service's action list
//! (rules 20 a call, listener default actions in one batch) and target health per group; each
//! dns service's weighted records and its sites' health (`dns.rs`).

pub mod dns;

use std::collections::{BTreeSet, HashMap};

use futures::{StreamExt, TryStreamExt, stream};

use crate::aws::elbv2::{self, Actions, TargetState};
use crate::error::{AwsError, Error, Result};
use crate::plan::traffic::{self, LastChange, Weights};
use crate::topology::{Service, Topology};

/// DescribeTargetHealth calls in flight at once. ELBv2's rate limit is kept by `aws::budget`.
const HEALTH_CONCURRENCY: usize = 16;

/// What carries a service's weights as read: the full action list of its rule or listener, or
/// its weighted records (kept whole: a write sends everything else back as read).
#[derive(Debug, Clone)]
pub enum Live {
    Alb(Actions),
    Dns(Vec<crate::aws::route53::WeightedRecord>),
}

impl Live {
    /// The weights by site, or why they cannot be changed safely (drift).
    pub fn weights(&self, svc: &Service) -> std::result::Result<Weights, String> {
        match self {
            Live::Alb(a) => traffic::live_weights(svc, a.forward().as_ref()),
            Live::Dns(r) => traffic::record_weights(svc, r),
        }
    }

    /// The split as a forward action, for `status`: a dns service's records as groups keyed by
    /// `Service::health_key` (a record the file does not know: by its SetIdentifier).
    pub fn forward(&self, svc: &Service) -> Option<elbv2::Forward> {
        match self {
            Live::Alb(a) => a.forward(),
            Live::Dns(records) => Some(elbv2::Forward {
                target_groups: records
                    .iter()
                    .map(|r| elbv2::WeightedGroup {
                        arn: svc
                            .targets
                            .iter()
                            .find(|t| t.set_id() == r.set_identifier.as_deref())
                            .map(|t| svc.health_key(t))
                            .unwrap_or_else(|| format!("SetIdentifier {}", r.name())),
                        weight: r.weight.unwrap_or(0) as i32,
                    })
                    .collect(),
                stickiness: None,
            }),
        }
    }

    /// The same as `other` in everything AWS holds (a concurrent change is any difference).
    pub fn same(&self, other: &Live) -> bool {
        match (self, other) {
            (Live::Alb(a), Live::Alb(b)) => a.actions == b.actions,
            (Live::Dns(a), Live::Dns(b)) => a == b,
            _ => false,
        }
    }
}

/// Every service's route (ALB actions and dns records, all at once), keyed by service name.
pub async fn routes(
    ctx: &crate::aws::AwsContext,
    elb: &aws_sdk_elasticloadbalancingv2::Client,
    services: &[&Service],
) -> Result<HashMap<String, Live>, AwsError> {
    let albs: Vec<&Service> = services
        .iter()
        .copied()
        .filter(|s| s.alb().is_some())
        .collect();
    let r53 = ctx.route53();
    // No ALB service: `actions` makes no call.
    let (actions, records) = tokio::try_join!(actions(elb, &albs), dns::records(&r53, services))?;
    Ok(actions
        .into_iter()
        .map(|(k, a)| (k, Live::Alb(a)))
        .chain(records.into_iter().map(|(k, r)| (k, Live::Dns(r))))
        .collect())
}

/// The health of the dns services' sites (`dns::health`), from the records `routes` holds.
pub async fn site_health(
    ctx: &crate::aws::AwsContext,
    topo: &Topology,
    services: &[&Service],
    routes: &HashMap<String, Live>,
    sites: dns::Sites<'_>,
) -> HashMap<String, Vec<TargetState>> {
    let records: Vec<(&Service, &[crate::aws::route53::WeightedRecord])> = services
        .iter()
        .filter_map(|s| match routes.get(&s.name) {
            Some(Live::Dns(r)) => Some((*s, r.as_slice())),
            _ => None,
        })
        .collect();
    if records.is_empty() {
        return HashMap::new();
    }
    dns::health(&ctx.route53(), topo, &records, sites).await
}

/// `--service` names in the file's order; none means all. Unknown names are a usage error.
pub fn select<'a>(topo: &'a Topology, names: &[String]) -> Result<Vec<&'a Service>> {
    if let Some(bad) = names.iter().find(|n| topo.service(n).is_none()) {
        let known: Vec<&str> = topo.services.iter().map(|s| s.name.as_str()).collect();
        return Err(Error::Usage {
            message: format!("no service `{bad}` in {}", topo.file.display()),
            hint: Some(format!("services: {}", known.join(", "))),
        });
    }
    Ok(topo
        .services
        .iter()
        .filter(|s| names.is_empty() || names.contains(&s.name))
        .collect())
}

/// Action lists keyed by service name: rule ARNs 20 a call and listener ARNs in one batch,
/// all at once.
pub async fn actions(
    client: &aws_sdk_elasticloadbalancingv2::Client,
    services: &[&Service],
) -> Result<HashMap<String, Actions>, AwsError> {
    let rule_arns: Vec<String> = services
        .iter()
        .filter_map(|s| s.alb()?.1.map(|a| a.to_string()))
        .collect();
    let listener_arns: Vec<String> = services
        .iter()
        .filter_map(|s| s.alb().filter(|(_, r)| r.is_none()))
        .map(|(l, _)| l.to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let rules = futures::future::try_join_all(
        rule_arns
            .chunks(elbv2::ARNS_PER_CALL)
            .map(|chunk| elbv2::describe_rules(client, chunk)),
    );
    let listeners = async {
        if listener_arns.is_empty() {
            Ok(Vec::new())
        } else {
            elbv2::describe_listeners(client, &listener_arns).await
        }
    };
    let (rules, listeners) = tokio::try_join!(rules, listeners)?;
    let by_arn: HashMap<String, Actions> = rules
        .into_iter()
        .flatten()
        .chain(listeners)
        .map(|a| (a.arn.clone(), a))
        .collect();
    Ok(services
        .iter()
        .filter_map(|s| {
            by_arn
                .get(&s.resource())
                .map(|a| (s.name.clone(), a.clone()))
        })
        .collect())
}

/// Every target group of the services, once each.
pub fn target_groups(services: &[&Service]) -> BTreeSet<String> {
    services
        .iter()
        .flat_map(|s| s.targets.iter().filter_map(|t| t.target_group()))
        .map(ToString::to_string)
        .collect()
}

/// Target health of every target group of the services, keyed by group ARN.
pub async fn health(
    client: &aws_sdk_elasticloadbalancingv2::Client,
    services: &[&Service],
) -> Result<HashMap<String, Vec<TargetState>>, AwsError> {
    stream::iter(
        target_groups(services)
            .into_iter()
            .map(|arn| async move { elbv2::target_health(client, &arn).await.map(|t| (arn, t)) }),
    )
    .buffer_unordered(HEALTH_CONCURRENCY)
    .try_collect()
    .await
}

/// Healthy targets per site of one service.
pub fn healthy_by_site(
    s: &Service,
    health: &HashMap<String, Vec<TargetState>>,
) -> indexmap::IndexMap<String, u32> {
    s.targets
        .iter()
        .map(|t| {
            let n = health
                .get(&s.health_key(t))
                .map(|ts| ts.iter().filter(|x| x.is_healthy()).count() as u32)
                .unwrap_or(0);
            (t.site.clone(), n)
        })
        .collect()
}

/// The ELBv2 codes that mean "an ARN from the file does not exist".
const NOT_FOUND: [&str; 3] = ["RuleNotFound", "ListenerNotFound", "TargetGroupNotFound"];

/// An ELBv2 "not found" names no ARN (batch calls fail as a whole). Finds which ARNs of the
/// file AWS does not know, one cheap call each (only on this error), and names them with the
/// service, the key and its place in the file. Any other error is returned as is.
pub async fn explain(
    client: &aws_sdk_elasticloadbalancingv2::Client,
    topo: &Topology,
    services: &[&Service],
    mut e: AwsError,
) -> AwsError {
    let Some(code) = e.code.clone().filter(|c| NOT_FOUND.contains(&c.as_str())) else {
        return e;
    };
    let mut keys: Vec<(String, String)> = Vec::new();
    for s in services {
        let base = format!("services.{}", s.name);
        let Some((listener, rule)) = s.alb() else {
            continue;
        };
        match code.as_str() {
            "RuleNotFound" => {
                keys.extend(rule.map(|a| (format!("{base}.rule_arn"), a.to_string())))
            }
            "ListenerNotFound" => keys.push((format!("{base}.listener_arn"), listener.to_string())),
            _ => keys.extend(s.targets.iter().filter_map(|t| {
                t.target_group()
                    .map(|g| (format!("{base}.target_groups.{}", t.site), g.to_string()))
            })),
        }
    }
    let mut missing = Vec::new();
    for (key, arn) in keys {
        let one = [arn.clone()];
        let found = match code.as_str() {
            "RuleNotFound" => elbv2::describe_rules(client, &one).await.map(|_| ()),
            "ListenerNotFound" => elbv2::describe_listeners(client, &one).await.map(|_| ()),
            _ => elbv2::target_health(client, &arn).await.map(|_| ()),
        };
        if found.as_ref().err().and_then(|x| x.code.as_deref()) == Some(code.as_str()) {
            missing.push(format!("{} = {arn}", topo.at(&key)));
        }
    }
    if !missing.is_empty() {
        e.message = format!(
            "{}: AWS has no such resource ({})",
            missing.join("; "),
            e.message
        );
        e.hint = Some(
            "check the ARN in the topology file: its account and region (aws.region, --region) must be those hybridctl calls"
                .into(),
        );
    }
    e
}

/// Who made the last change of each service in `services`, from the `hybridctl:last-change`
/// tag of its rule or listener (20 ARNs a DescribeTags). A tag that cannot be read leaves the
/// record `Unknown`: a failover in force is then what the split says. Route 53 records carry
/// no tags: a dns service's is `Unknown` (its overflow split never gives failover.from 0, so
/// the split tells a failover apart).
pub async fn last_changes(
    client: &aws_sdk_elasticloadbalancingv2::Client,
    services: &[&Service],
) -> HashMap<String, LastChange> {
    let arns: Vec<String> = services
        .iter()
        .filter(|s| s.alb().is_some())
        .map(|s| s.resource())
        .collect();
    let tags = match elbv2::tag_values(client, &arns, elbv2::LAST_CHANGE_TAG).await {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!("the last-change tags could not be read: {e}");
            HashMap::new()
        }
    };
    services
        .iter()
        .map(|s| {
            let tag = tags.get(&s.resource()).map(String::as_str);
            (s.name.clone(), LastChange::of(tag))
        })
        .collect()
}

/// What a scaler holds now (ECS: the service and its scalable target, read at once; an Auto
/// Scaling group); None: it does not exist.
pub async fn read_scaler(
    ctx: &crate::aws::AwsContext,
    scaler: &crate::topology::Scaler,
) -> Result<Option<crate::plan::capacity::Live>, crate::error::AwsError> {
    use crate::aws::{appscaling, autoscaling, ecs};
    use crate::plan::capacity::Live;
    match scaler {
        crate::topology::Scaler::EcsService {
            cluster, service, ..
        } => {
            let (ecs_client, scaling) = (ctx.ecs(), ctx.appscaling());
            let id = appscaling::resource_id(cluster, service);
            let (svc, target) = tokio::try_join!(
                ecs::describe(&ecs_client, cluster, service),
                appscaling::target(&scaling, &id),
            )?;
            Ok(svc.map(|s| Live {
                kind: "ecs",
                running: s.running,
                desired: s.desired,
                pending: s.pending,
                rollout: s.rollout,
                min: target.map(|t| t.0),
                max: target.map(|t| t.1),
            }))
        }
        crate::topology::Scaler::AutoscalingGroup { name, .. } => {
            Ok(autoscaling::describe(&ctx.autoscaling(), name)
                .await?
                .map(|g| Live {
                    kind: "asg",
                    running: g.in_service,
                    desired: g.desired,
                    pending: g.pending,
                    rollout: None,
                    min: Some(g.min),
                    max: Some(g.max),
                }))
        }
    }
}

/// The sizes a capacity step plans from: ECS without a scalable target has min 0 and no max.
pub async fn read_sizes(
    ctx: &crate::aws::AwsContext,
    scaler: &crate::topology::Scaler,
) -> Result<Option<crate::plan::capacity::Sizes>, crate::error::AwsError> {
    Ok(read_scaler(ctx, scaler)
        .await?
        .map(|l| crate::plan::capacity::Sizes {
            min: l.min.unwrap_or(0),
            desired: l.desired,
            max: l.max,
        }))
}
