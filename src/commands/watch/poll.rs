//! One poll: every read the decision needs, at once, each failure kept apart so that a
//! service whose reads failed is unknown while the others are still judged.

use std::collections::HashMap;
use std::time::Duration;

use crate::aws::elbv2::{self, TargetState};
use crate::aws::{AwsContext, cloudwatch, dms};
use crate::commands::live;
use crate::plan::traffic as traffic_plan;
use crate::plan::watch::{Live, Observation, Poll, Seen};
use crate::report::ServicePoll;
use crate::settings::Settings;
use crate::topology::{Failover, Service};

/// Reads target health of every from-site group, the rules and the alarm at once; the DMS
/// task too when a service is failed over (the failback readiness needs it).
pub async fn observe(s: &Settings, ctx: &AwsContext) -> (Observation, Vec<ServicePoll>) {
    let topo = &s.topology;
    let f = topo
        .failover
        .as_ref()
        .expect("validated: watch needs failover");
    let services: Vec<&Service> = topo.services.iter().collect();
    let elb = ctx.elbv2();
    let groups: Vec<String> = services
        .iter()
        .filter_map(|svc| from_group(svc, f))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let health = futures::future::join_all(groups.iter().map(|arn| {
        let elb = &elb;
        async move { (arn.clone(), elbv2::target_health(elb, arn).await) }
    }));
    let alarm = async {
        match &f.alarm {
            Some(name) => Some(
                cloudwatch::describe_alarms(&ctx.cloudwatch(), std::slice::from_ref(name))
                    .await
                    .map(|v| v.into_iter().find(|a| &a.name == name)),
            ),
            None => None,
        }
    };
    let (health, actions, alarm) = tokio::join!(health, live::actions(&elb, &services), alarm);
    let health: HashMap<String, Result<Vec<TargetState>, String>> = health
        .into_iter()
        .map(|(arn, r)| (arn, r.map_err(|e| e.to_string())))
        .collect();
    let weights = match actions {
        Ok(a) => services.iter().map(|svc| weights_of(svc, Ok(&a))).collect(),
        // One rule that cannot be read (deleted, throttled) must not blind the others: each
        // service is read on its own.
        Err(_) => {
            futures::future::join_all(services.iter().map(|svc| {
                let elb = &elb;
                async move {
                    let one = live::actions(elb, std::slice::from_ref(svc)).await;
                    weights_of(svc, one.as_ref().map_err(|e| e.to_string()))
                }
            }))
            .await
        }
    };
    let alarm = alarm.map(|r| r.map_err(|e| e.to_string()));
    let mut seen = Vec::new();
    let mut polls = Vec::new();
    for (svc, weights) in services.iter().zip(weights) {
        let (mut poll, (healthy, targets)) = judge(svc, f, &health, alarm.as_ref());
        let (live, weights) = match weights {
            Ok(w) => (failed_over(svc, f, &w), Some(w)),
            // Whether it is failed over is a read the decision needs: unknown.
            Err(e) => {
                poll = Poll::Unknown(format!("the weights of {} unread: {e}", svc.name));
                (Live::Unknown, None)
            }
        };
        let (word, why) = match &poll {
            Poll::Good => ("good", None),
            Poll::Bad(w) => ("bad", Some(w.clone())),
            Poll::Unknown(w) => ("unknown", Some(w.clone())),
        };
        polls.push(ServicePoll {
            service: svc.name.clone(),
            poll: word,
            why,
            healthy,
            targets,
            weights,
        });
        seen.push(Seen {
            service: svc.name.clone(),
            poll,
            live,
        });
    }
    let any_failed_over = seen.iter().any(|x| x.live == Live::FailedOver);
    let replication = if any_failed_over {
        replication(s, ctx, f).await
    } else {
        None
    };
    (
        Observation {
            services: seen,
            replication,
        },
        polls,
    )
}

/// One service's live weights from an action-list read.
fn weights_of(
    svc: &Service,
    actions: Result<&HashMap<String, crate::aws::elbv2::Actions>, String>,
) -> Result<traffic_plan::Weights, String> {
    let a = actions?;
    let found = a
        .get(&svc.name)
        .ok_or_else(|| format!("the rule of {} was not returned", svc.name))?;
    traffic_plan::live_weights(svc, found.forward().as_ref())
}

fn from_group(svc: &Service, f: &Failover) -> Option<String> {
    svc.targets
        .iter()
        .find(|t| t.site == f.from)
        .map(|t| t.target_group_arn.to_string())
}

/// Bad when the from-site has too few healthy targets or the alarm is in ALARM; unknown when
/// a read it needs failed (and nothing read says bad); else good. With the from-site's healthy
/// and registered targets, when read.
fn judge(
    svc: &Service,
    f: &Failover,
    health: &HashMap<String, Result<Vec<TargetState>, String>>,
    alarm: Option<&Result<Option<cloudwatch::Alarm>, String>>,
) -> (Poll, (Option<u32>, Option<u32>)) {
    let mut bad = Vec::new();
    let mut unknown = Vec::new();
    let mut healthy = None;
    let mut targets = None;
    match from_group(svc, f).and_then(|g| health.get(&g)) {
        Some(Ok(ts)) => {
            let h = ts.iter().filter(|t| t.is_healthy()).count() as u32;
            healthy = Some(h);
            targets = Some(ts.len() as u32);
            if h < f.min_healthy_targets {
                bad.push(format!(
                    "{} has {h} healthy target(s), fewer than failover.min_healthy_targets {}",
                    f.from, f.min_healthy_targets
                ));
            }
        }
        Some(Err(e)) => unknown.push(format!("target health of {} unread: {e}", f.from)),
        None => unknown.push(format!("no target group for {}", f.from)),
    }
    if let (Some(name), Some(a)) = (&f.alarm, alarm) {
        match a {
            Ok(Some(a)) if a.state == Some(cloudwatch::AlarmState::Alarm) => {
                bad.push(format!("alarm {name} is in ALARM"));
            }
            Ok(Some(_)) => {}
            Ok(None) => unknown.push(format!("alarm {name} does not exist")),
            Err(e) => unknown.push(format!("alarm {name} unread: {e}")),
        }
    }
    let poll = if !bad.is_empty() {
        Poll::Bad(bad.join("; "))
    } else if !unknown.is_empty() {
        Poll::Unknown(unknown.join("; "))
    } else {
        Poll::Good
    };
    (poll, (healthy, targets))
}

/// Failed over: the from-site is at 0 where it normally carries traffic.
fn failed_over(svc: &Service, f: &Failover, live: &traffic_plan::Weights) -> Live {
    let normal = svc
        .targets
        .iter()
        .find(|t| t.site == f.from)
        .map_or(0, |t| t.weight);
    match live.get(&f.from) {
        Some(0) if normal > 0 => Live::FailedOver,
        _ => Live::Normal,
    }
}

/// The failback's replication gate (None: no replication in the file).
async fn replication(s: &Settings, ctx: &AwsContext, f: &Failover) -> Option<Result<(), String>> {
    let r = s.topology.replication.as_ref()?;
    let read = async {
        let task = dms::describe_task(&ctx.dms(), &r.dms_task_arn.to_string()).await?;
        let lag = match &task {
            Some(t) => {
                cloudwatch::cdc_latency(&ctx.cloudwatch(), &t.id, Duration::from_secs(300))
                    .await?
                    .target_seconds
            }
            None => None,
        };
        Ok::<_, crate::error::AwsError>((task, lag))
    };
    Some(match read.await {
        Ok((task, lag)) => {
            let g =
                traffic_plan::replication_gate(task.as_ref(), lag, f.max_cdc_latency.as_secs_f64());
            if g.passed { Ok(()) } else { Err(g.message) }
        }
        Err(e) => Err(format!("replication unread: {e}")),
    })
}
