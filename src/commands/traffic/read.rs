//! The reads a traffic plan or a pre-write re-check is judged on, and the plan made from them.

use std::time::Duration;

use super::{Flow, Kind, PlanError, Planned, Seen};
use crate::aws::{cloudwatch, dms};
use crate::commands::live::{self, dns::Sites};
use crate::error::AwsError;
use crate::plan::traffic::{self as plan, FailbackEvidence, Intent};
use crate::report::ServiceChange;
use crate::topology::Service;

impl<'a> Flow<'a> {
    /// The reads a plan or a re-check needs, all at once. `alarm_anyway`: --if-alarm/--if-ok-for.
    pub(super) async fn observe(
        &self,
        services: &[&Service],
        alarm_anyway: bool,
    ) -> Result<Seen, AwsError> {
        let f = self.s.topology.failover.as_ref();
        let failback = self.req.kind == Kind::Failback;
        let alarm_name = f
            .and_then(|f| f.alarm.as_deref())
            .filter(|_| alarm_anyway || failback);
        let read = async {
            let (routes, mut health, alarm, replication) = tokio::try_join!(
                live::routes(self.ctx, &self.elb, services),
                live::health(&self.elb, services),
                self.read_alarm(alarm_name),
                self.read_replication(failback),
            )?;
            // A dns site's health needs its record's health check id.
            let topo = &self.s.topology;
            health.extend(live::site_health(self.ctx, topo, services, &routes, Sites::All).await);
            Ok::<_, AwsError>((routes, health, alarm, replication))
        };
        let (routes, health, alarm, replication) = match read.await {
            Ok(r) => r,
            Err(e) => return Err(live::explain(&self.elb, &self.s.topology, services, e).await),
        };
        Ok(Seen {
            routes,
            health,
            alarm,
            replication,
        })
    }

    pub(super) fn alarm_state<'s>(
        &'s self,
        seen: &'s Seen,
    ) -> (&'s str, Option<&'s cloudwatch::Alarm>) {
        let name = self
            .s
            .topology
            .failover
            .as_ref()
            .and_then(|f| f.alarm.as_deref())
            .unwrap_or_default();
        (name, seen.alarm.as_ref())
    }

    /// What a failback's gates are judged on (None for the other commands).
    pub(super) fn evidence<'s>(&'s self, seen: &'s Seen) -> Option<FailbackEvidence<'s>> {
        let f = self.s.topology.failover.as_ref()?;
        (self.req.kind == Kind::Failback).then(|| FailbackEvidence {
            replication: seen.replication.as_ref().map(|(t, l)| (t.as_ref(), *l)),
            max_cdc_latency_s: f.max_cdc_latency.as_secs_f64(),
            alarm: f.alarm.as_deref().map(|_| self.alarm_state(seen)),
        })
    }

    pub(super) fn min_healthy(&self) -> u32 {
        self.s
            .topology
            .failover
            .as_ref()
            .map_or(1, |f| f.min_healthy_targets)
    }

    /// Every gate of a service's remaining `steps`, judged on one set of reads: a target
    /// group's healthy targets against min_healthy_targets, or a dns site's Route 53 health
    /// check and probe (both must pass); then failback's evidence.
    pub(super) fn gates(
        &self,
        svc: &Service,
        steps: &[plan::Weights],
        seen: &Seen,
        evidence: Option<&FailbackEvidence<'_>>,
    ) -> Vec<plan::Gate> {
        let healthy = live::healthy_by_site(svc, &seen.health);
        if svc.dns().is_none() {
            return plan::gates(&svc.name, steps, &healthy, self.min_healthy(), evidence);
        }
        let why: indexmap::IndexMap<String, String> = svc
            .targets
            .iter()
            .map(|t| {
                let reason = seen
                    .health
                    .get(&svc.health_key(t))
                    .and_then(|v| v.first())
                    .and_then(|x| x.reason.clone())
                    .unwrap_or_else(|| "not read".into());
                (t.site.clone(), reason)
            })
            .collect();
        let mut gates = plan::dns_health_gates(&svc.name, steps, &healthy, &why);
        gates.extend(plan::failback_gates(evidence));
        gates
    }

    /// Plans every service from one set of reads.
    pub(super) fn plan(
        &self,
        seen: &Seen,
        landing: &super::overflow::Landing,
    ) -> Result<Vec<Planned<'a>>, PlanError> {
        let f = self.s.topology.failover.as_ref();
        let evidence = self.evidence(seen);
        let mut out = Vec::new();
        for &svc in self.services {
            let live = seen.routes.get(&svc.name).cloned().ok_or_else(|| {
                PlanError::Drift(format!(
                    "AWS returned no actions for service `{}`",
                    svc.name
                ))
            })?;
            let what = if svc.dns().is_some() {
                "records"
            } else {
                "rule"
            };
            let before = live.weights(svc).map_err(|m| {
                PlanError::Drift(format!("{m}: reconcile the {what} and the topology file first (hybridctl status shows the drift)"))
            })?;
            let normal = plan::target(self.intent, svc, f, &before).map_err(PlanError::Usage)?;
            let target = match landing.get(&svc.name) {
                // With the file's weights live, a failback has nothing to undo: overflow
                // enters on its own terms (`for`), not through a failback.
                Some((w, why)) if !plan::same_split(&before, &normal) => {
                    self.out.note(why);
                    w.clone()
                }
                _ => normal,
            };
            let steps = if plan::same_split(&before, &target) {
                Vec::new()
            } else {
                match (self.intent, self.args().step, f) {
                    (Intent::Failback, None, Some(f)) if !f.failback_steps.is_empty() => {
                        plan::failback_ramp(&target, &before, f)
                    }
                    _ => plan::steps(&before, &target, self.args().step),
                }
            };
            let gates = if steps.is_empty() {
                Vec::new()
            } else {
                self.gates(svc, &steps, seen, evidence.as_ref())
            };
            let now = steps.is_empty().then(|| before.clone());
            out.push(Planned {
                svc,
                live,
                verified: before.clone(),
                uncertain: false,
                sent: None,
                written: 0,
                read: Default::default(),
                insync_pending: None,
                change: ServiceChange {
                    name: svc.name.clone(),
                    before,
                    target,
                    steps,
                    gates,
                    now,
                },
            });
        }
        Ok(out)
    }

    pub(super) async fn read_alarm(
        &self,
        name: Option<&str>,
    ) -> Result<Option<cloudwatch::Alarm>, AwsError> {
        let Some(name) = name else { return Ok(None) };
        let alarms =
            cloudwatch::describe_alarms(&self.ctx.cloudwatch(), &[name.to_string()]).await?;
        Ok(alarms.into_iter().find(|a| a.name == name))
    }

    /// The DMS task and its latest CDC target latency.
    pub(super) async fn read_replication(
        &self,
        wanted: bool,
    ) -> Result<Option<(Option<dms::Task>, Option<f64>)>, AwsError> {
        let Some(r) = self.s.topology.replication.as_ref().filter(|_| wanted) else {
            return Ok(None);
        };
        let task = dms::describe_task(&self.ctx.dms(), &r.dms_task_arn.to_string()).await?;
        let lag = match &task {
            Some(t) => {
                cloudwatch::cdc_latency(&self.ctx.cloudwatch(), &t.id, Duration::from_secs(300))
                    .await?
                    .target_seconds
            }
            None => None,
        };
        Ok(Some((task, lag)))
    }
}
