//! One poll: every read the decision needs, at once, each failure kept apart so that a
//! service whose reads failed is unknown while the others are still judged.

use std::collections::HashMap;
use std::time::Duration;

use crate::aws::elbv2::{self, TargetState};
use crate::aws::{AwsContext, cloudwatch, dms};
use crate::commands::live::{self, dns::Sites};
use crate::plan::dr_auto::Signal;
use crate::plan::traffic as traffic_plan;
use crate::plan::watch::{Live, Observation, Poll, Seen};
use crate::probe::{ProbeResult, Prober};
use crate::report::ServicePoll;
use crate::settings::Settings;
use crate::topology::{Failover, Probe, Service};

/// Reads target health of every from-site group, the rules and the alarm at once, with the
/// probes and the automatic DR's signals beside them (a probe round adds at most the longest
/// probe timeout to a poll); the DMS task too when a service is failed over (the failback
/// readiness needs it).
pub async fn observe(
    s: &Settings,
    ctx: &AwsContext,
    prober: Option<&Prober>,
) -> (Observation, Vec<ServicePoll>) {
    let topo = &s.topology;
    let f = topo
        .failover
        .as_ref()
        .expect("validated: watch needs failover");
    let services: Vec<&Service> = topo.services.iter().collect();
    let elb = ctx.elbv2();
    let health = from_health(&elb, &services, f);
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
    let routes = async {
        let routes = live::routes(ctx, &elb, &services).await;
        let dns = from_records(s, ctx, &services, routes.as_ref().ok()).await;
        (routes, dns)
    };
    let (health, (routes, dns), alarm, probes, dr) = tokio::join!(
        health,
        routes,
        alarm,
        all_probes(&services, prober),
        dr_signal(s, ctx, prober)
    );
    let mut probes = probes.into_iter();
    let mut health = health;
    health.extend(dns);
    let weights = weights(ctx, &elb, &services, routes).await;
    let alarm = alarm.map(|r| r.map_err(|e| e.to_string()));
    let mut seen = Vec::new();
    let mut polls = Vec::new();
    for (svc, weights) in services.iter().zip(weights) {
        let mine: Vec<ProbeResult> = probes.by_ref().take(svc.probes.len()).collect();
        let (mut poll, (healthy, targets)) = judge(svc, f, &health, alarm.as_ref());
        poll = with_probe(poll, &mine, &f.from);
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
            probes: mine,
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
            dr,
        },
        polls,
    )
}

/// Target health of every ALB service's from-site group, each read kept apart.
async fn from_health(
    elb: &aws_sdk_elasticloadbalancingv2::Client,
    services: &[&Service],
    f: &Failover,
) -> HashMap<String, Result<Vec<TargetState>, String>> {
    let groups: std::collections::BTreeSet<String> = services
        .iter()
        .filter(|svc| svc.alb().is_some())
        .filter_map(|svc| from_group(svc, f))
        .collect();
    futures::future::join_all(groups.into_iter().map(|arn| async move {
        let r = elbv2::target_health(elb, &arn).await;
        (arn, r.map_err(|e| e.to_string()))
    }))
    .await
    .into_iter()
    .collect()
}

/// Every service's live weights from one action-list read; when it failed, each service is
/// read on its own (one rule that cannot be read, deleted or throttled, must not blind the
/// others).
async fn weights<E>(
    ctx: &AwsContext,
    elb: &aws_sdk_elasticloadbalancingv2::Client,
    services: &[&Service],
    routes: Result<HashMap<String, live::Live>, E>,
) -> Vec<Result<traffic_plan::Weights, String>> {
    match routes {
        Ok(a) => services.iter().map(|svc| weights_of(svc, Ok(&a))).collect(),
        Err(_) => {
            futures::future::join_all(services.iter().map(|svc| async move {
                let one = live::routes(ctx, elb, std::slice::from_ref(svc)).await;
                weights_of(svc, one.as_ref().map_err(|e| e.to_string()))
            }))
            .await
        }
    }
}

/// One service's live weights from a read of the routes.
fn weights_of(
    svc: &Service,
    routes: Result<&HashMap<String, live::Live>, String>,
) -> Result<traffic_plan::Weights, String> {
    let a = routes?;
    let found = a
        .get(&svc.name)
        .ok_or_else(|| format!("the rule of {} was not returned", svc.name))?;
    found.weights(svc)
}

/// The Route 53 health check of each dns service's from-site, keyed as `from_group` says
/// (its probe runs with the others). Records that were not read leave the site unread.
async fn from_records(
    s: &Settings,
    ctx: &AwsContext,
    services: &[&Service],
    routes: Option<&HashMap<String, live::Live>>,
) -> HashMap<String, Result<Vec<TargetState>, String>> {
    let (Some(routes), Some(f)) = (routes, s.topology.failover.as_ref()) else {
        return HashMap::new();
    };
    live::site_health(ctx, &s.topology, services, routes, Sites::From(&f.from))
        .await
        .into_iter()
        .map(|(k, v)| (k, Ok(v)))
        .collect()
}

/// The key of the from-site's health: its target group, or a dns service's record.
fn from_group(svc: &Service, f: &Failover) -> Option<String> {
    svc.targets
        .iter()
        .find(|t| t.site == f.from)
        .map(|t| svc.health_key(t))
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
        Some(Ok(ts)) if svc.dns().is_some() => {
            // One verdict: the record's Route 53 health check.
            let h = ts.iter().filter(|t| t.is_healthy()).count() as u32;
            (healthy, targets) = (Some(h), Some(ts.len() as u32));
            let why = |t: &TargetState| t.reason.clone().unwrap_or_default();
            if let Some(t) = ts.iter().find(|t| t.state.is_some() && !t.is_healthy()) {
                bad.push(format!("{} is unhealthy: {}", f.from, why(t)));
            } else if let Some(t) = ts.iter().find(|t| t.state.is_none()) {
                // An unread health check counts neither way.
                unknown.push(format!("{}: {}", f.from, why(t)));
            }
        }
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

/// Every service's probes, at once, in the services' order.
async fn all_probes(services: &[&Service], prober: Option<&Prober>) -> Vec<ProbeResult> {
    match prober {
        Some(p) => {
            let all: Vec<&Probe> = services.iter().flat_map(|s| s.probes.iter()).collect();
            p.check_all(&all).await
        }
        None => Vec::new(),
    }
}

/// A failing probe of the from-site makes the poll bad, whatever target health says (the probe
/// sees what users see: the VPN, the on-prem load balancer).
fn with_probe(poll: Poll, probes: &[ProbeResult], from: &str) -> Poll {
    let Some(p) = probes.iter().find(|p| p.site == from && !p.ok) else {
        return poll;
    };
    let said = format!("the probe of {from} fails: {}", p.message);
    match poll {
        Poll::Bad(w) => Poll::Bad(format!("{w}; {said}")),
        Poll::Good | Poll::Unknown(_) => Poll::Bad(said),
    }
}

/// `dr.auto.when`, read at once: bad when any signal is bad, unknown when none is bad and a read
/// failed, else good (None: no automatic DR).
async fn dr_signal(s: &Settings, ctx: &AwsContext, prober: Option<&Prober>) -> Option<Signal> {
    let dr = s.topology.dr.as_ref()?;
    let auto = dr.auto.as_ref()?;
    let alarm = async {
        let name = auto.alarm.as_ref()?;
        Some(
            match cloudwatch::describe_alarms(&ctx.cloudwatch(), std::slice::from_ref(name)).await {
                Ok(v) => match v.into_iter().find(|a| &a.name == name) {
                    Some(a) if a.state == Some(cloudwatch::AlarmState::Alarm) => {
                        Signal::Bad(format!("alarm {name} is in ALARM"))
                    }
                    Some(_) => Signal::Good,
                    None => Signal::Unknown(format!("alarm {name} does not exist")),
                },
                Err(e) => Signal::Unknown(format!("alarm {name} unread: {e}")),
            },
        )
    };
    let check = async {
        let id = auto.health_check_failing.as_ref()?;
        Some(match crate::commands::dr::read_records(ctx, dr).await {
            Ok((_, health)) => match health.get(id) {
                Some(c) if !c.healthy() => Signal::Bad(format!(
                    "the Route 53 health check of {id} fails ({})",
                    c.describe()
                )),
                Some(_) => Signal::Good,
                None => Signal::Unknown(format!("{id} has no record with a health check")),
            },
            Err(e) => Signal::Unknown(format!("the health check of {id} unread: {e}")),
        })
    };
    let probe = async {
        let p = auto.probe.as_ref()?;
        let r = prober?.check(p).await;
        Some(if r.ok {
            Signal::Good
        } else {
            Signal::Bad(format!("the probe {} fails: {}", p.url, r.message))
        })
    };
    let (a, c, p) = tokio::join!(alarm, check, probe);
    let all: Vec<Signal> = [a, c, p].into_iter().flatten().collect();
    let bad: Vec<&str> = all
        .iter()
        .filter_map(|x| match x {
            Signal::Bad(w) => Some(w.as_str()),
            _ => None,
        })
        .collect();
    let unknown: Vec<&str> = all
        .iter()
        .filter_map(|x| match x {
            Signal::Unknown(w) => Some(w.as_str()),
            _ => None,
        })
        .collect();
    Some(if !bad.is_empty() {
        Signal::Bad(bad.join("; "))
    } else if !unknown.is_empty() {
        Signal::Unknown(unknown.join("; "))
    } else {
        Signal::Good
    })
}
