//! One traffic write for the runbook: the services that have a step at this index (or, for a
//! rollback, every service not at its starting weights), written at once.

use std::collections::HashMap;
use std::time::Duration;

use super::{Flow, Planned};
use crate::aws::{elbv2, route53};
use crate::commands::live::{self, Live};
use crate::journal::Held;
use crate::plan::traffic::{self as plan, Gate, Weights};
use crate::runbook::{Halt, Intent, WriteStep};
use crate::topology::Service;

/// Read-back attempts after a write, one second apart: ALB nodes converge, with no SLA.
const READBACK_ATTEMPTS: u32 = 5;
const READBACK_DELAY: Duration = Duration::from_secs(1);
/// How long a Route 53 change may take to reach every authoritative server (about 60 s on AWS).
const INSYNC_TIMEOUT: Duration = Duration::from_secs(300);

pub(super) struct TrafficWrite<'f, 'p, 'a> {
    flow: &'f Flow<'a>,
    planned: &'p mut [Planned<'a>],
    /// (index into `planned`, weights to write)
    targets: Vec<(usize, Weights)>,
    /// The forward step index (gates are judged on the steps from here); None: a rollback,
    /// which is judged on concurrency only.
    step: Option<usize>,
    label: String,
    /// The Route 53 changes this write submitted (index into `planned`, change id), to wait
    /// for INSYNC before the read-back.
    changes: Vec<(usize, String)>,
    /// A signal ends the INSYNC wait (Route 53 already holds the weights; only their
    /// propagation is left), not the read-back.
    interrupt: crate::signal::Interrupt,
}

impl<'f, 'p, 'a> TrafficWrite<'f, 'p, 'a> {
    pub(super) fn forward(
        flow: &'f Flow<'a>,
        planned: &'p mut [Planned<'a>],
        step: usize,
        total: usize,
        interrupt: crate::signal::Interrupt,
    ) -> Self {
        let targets = planned
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.change.steps.get(step).map(|w| (i, w.clone())))
            .collect();
        TrafficWrite {
            flow,
            planned,
            targets,
            step: Some(step),
            label: format!("{}/{total}", step + 1),
            changes: Vec::new(),
            interrupt,
        }
    }

    pub(super) fn rollback(
        flow: &'f Flow<'a>,
        planned: &'p mut [Planned<'a>],
        interrupt: crate::signal::Interrupt,
    ) -> Self {
        let targets = planned
            .iter()
            .enumerate()
            .filter(|(_, p)| p.verified != p.change.before || p.uncertain)
            .map(|(i, p)| (i, p.change.before.clone()))
            .collect();
        TrafficWrite {
            flow,
            planned,
            targets,
            step: None,
            label: "rollback".into(),
            changes: Vec::new(),
            interrupt,
        }
    }

    fn services(&self) -> Vec<&'a Service> {
        self.targets
            .iter()
            .map(|(i, _)| self.planned[*i].svc)
            .collect()
    }

    fn when(&self) -> String {
        match self.step {
            Some(s) => format!("before step {}", s + 1),
            None => "before the rollback".into(),
        }
    }

    /// The rule (or the records) must still hold what this run planned from or last verified.
    async fn check_concurrency(&self, fresh: &HashMap<String, Live>) -> Result<(), Halt> {
        for (i, _) in &self.targets {
            let p = &self.planned[*i];
            if fresh.get(&p.svc.name).is_some_and(|l| l.same(&p.live)) {
                continue;
            }
            let arn = p.svc.resource();
            let who = if p.svc.dns().is_some() {
                // Records carry no tags: the shared history and the journal say who.
                " by someone or something else (Route 53 records carry no tags: see hybridctl history)".to_string()
            } else {
                elbv2::tag_values(&self.flow.elb, &[arn], elbv2::LAST_CHANGE_TAG)
                    .await
                    .ok()
                    .and_then(|t| t.into_values().next())
                    .map(|t| format!(" (its last hybridctl change: {t})"))
                    .unwrap_or_else(|| " by someone or something else".into())
            };
            let theirs = fresh
                .get(&p.svc.name)
                .and_then(|l| l.weights(p.svc).ok())
                .map(|w| plan::format_weights(&w))
                .unwrap_or_else(|| "a split hybridctl cannot read as weights".into());
            return Err(Halt::Concurrent(format!(
                "service `{}` was changed concurrently{who} {}: AWS holds {theirs}, this run last saw {}; nothing more was written: re-run to plan from the new state",
                p.svc.name,
                self.when(),
                plan::format_weights(&p.verified)
            )));
        }
        Ok(())
    }

    /// Every gate of the remaining steps, on fresh reads; the first failure halts.
    /// A rollback is judged on the health of the sites whose share it raises (never more
    /// traffic to a site without healthy targets), not on the failback gates: it goes back to
    /// where the run started.
    fn check_gates(&mut self, seen: &super::Seen) -> Result<(), Halt> {
        if self.flow.args().force {
            return Ok(());
        }
        let evidence = self.step.and_then(|_| self.flow.evidence(seen));
        let when = self.when();
        for (i, target) in &self.targets {
            let p = &mut self.planned[*i];
            let rest = match self.step {
                Some(step) => p.change.steps[step..].to_vec(),
                None => vec![target.clone()],
            };
            let mut gates = self.flow.gates(p.svc, &rest, seen, evidence.as_ref());
            if self.step.is_none() {
                let rising = plan::rising_sites(&p.verified, target);
                gates.retain(|g| {
                    rising
                        .iter()
                        .any(|s| g.name == format!("health {}/{s}", p.svc.name))
                });
            }
            if let Some(g) = gates.into_iter().find(|g| !g.passed) {
                let message = format!("{when}: {}", g.message);
                p.change.gates.push(Gate {
                    message: message.clone(),
                    ..g
                });
                return Err(Halt::Gate(message));
            }
        }
        Ok(())
    }

    /// Route 53 answers with the new weights at once; users' resolvers see them only once the
    /// change is INSYNC on every authoritative server. Waits for that first.
    async fn wait_insync(&mut self) -> Result<(), String> {
        let r53 = self.flow.ctx.route53();
        for (i, change) in std::mem::take(&mut self.changes) {
            self.planned[i].insync_pending = Some(change.clone());
            self.flow.out.note(&format!(
                "waiting for Route 53 change {change} to be INSYNC"
            ));
            let wait = route53::wait_insync(&r53, &change, INSYNC_TIMEOUT);
            let stopped = self.interrupt.wait();
            let synced = tokio::select! {
                r = wait => r.map_err(|e| format!("Route 53 change {change}: {e}"))?,
                sig = stopped => {
                    // Asked once, not assumed; the read-back goes on: the report says what
                    // Route 53 holds.
                    let state = match route53::change_status(&r53, &change).await {
                        Ok(s) if s == "INSYNC" => {
                            self.planned[i].insync_pending = None;
                            continue;
                        }
                        Ok(s) => s,
                        Err(e) => {
                            self.planned[i].insync_pending =
                                Some(format!("{change} (its status could not be read: {e})"));
                            "of unknown status".into()
                        }
                    };
                    self.flow.out.note(&format!(
                        "{} arrived while Route 53 change {change} was {state}: not waiting for INSYNC",
                        sig.name()
                    ));
                    continue;
                }
            };
            if !synced {
                return Err(format!(
                    "Route 53 change {change} was not INSYNC after {}: the new weights are stored but not yet answered everywhere",
                    crate::duration::format(INSYNC_TIMEOUT)
                ));
            }
            self.planned[i].insync_pending = None;
        }
        Ok(())
    }

    async fn read_back_once(&self) -> Result<HashMap<String, Live>, String> {
        let fresh = live::routes(self.flow.ctx, &self.flow.elb, &self.services())
            .await
            .map_err(|e| format!("cannot read back: {e}"))?;
        for (i, want) in &self.targets {
            let p = &self.planned[*i];
            let got = fresh.get(&p.svc.name).and_then(|l| l.weights(p.svc).ok());
            if got.as_ref() != Some(want) {
                return Err(format!(
                    "service `{}` reads back {} instead of {}",
                    p.svc.name,
                    got.as_ref()
                        .map(plan::format_weights)
                        .unwrap_or_else(|| "no forward".into()),
                    plan::format_weights(want)
                ));
            }
        }
        Ok(fresh)
    }
}

impl WriteStep for TrafficWrite<'_, '_, '_> {
    fn label(&self) -> String {
        self.label.clone()
    }

    async fn precheck(&mut self) -> Result<(), Halt> {
        let services = self.services();
        let seen = self.flow.observe(&services, false).await.map_err(|e| {
            self.flow.remember_hint(&e);
            Halt::Failed(format!("cannot read AWS {}: {e}", self.when()))
        })?;
        self.check_concurrency(&seen.routes).await?;
        self.check_gates(&seen)
    }

    fn intents(&self) -> Vec<Intent> {
        self.targets
            .iter()
            .map(|(i, w)| Intent {
                resource: self.planned[*i].svc.resource(),
                service: Some(self.planned[*i].svc.name.clone()),
                to: Held::Weights(w.clone()),
                before: None,
            })
            .collect()
    }

    fn forced_gates(&self) -> Vec<String> {
        self.targets
            .iter()
            .flat_map(|(i, _)| super::forced(&self.planned[*i]))
            .collect()
    }

    async fn write(&mut self) -> Result<(), String> {
        for (i, w) in &self.targets {
            self.planned[*i].uncertain = true;
            self.planned[*i].sent = Some(w.clone());
        }
        let elb = &self.flow.elb_write;
        let r53 = self.flow.ctx.route53_writer();
        let comment = format!("hybridctl {} {}", self.flow.intent.command(), self.label);
        let planned = &*self.planned;
        let writes = self.targets.iter().map(|(i, w)| {
            let (r53, comment) = (&r53, &comment);
            async move {
                match &planned[*i].live {
                    Live::Alb(actions) => write_weights(elb, &planned[*i], actions, w)
                        .await
                        .map(|()| None),
                    Live::Dns(records) => dns_write(r53, planned[*i].svc, records, w, comment)
                        .await
                        .map(Some),
                }
            }
        });
        let results = futures::future::join_all(writes).await;
        let mut first = None;
        for ((i, _), r) in self.targets.iter().zip(results) {
            if let Ok(Some(change)) = &r {
                self.flow.out.note(&format!(
                    "{}: Route 53 change {change} submitted",
                    self.planned[*i].svc.name
                ));
                self.changes.push((*i, change.clone()));
            }
            if let Err(e) = r {
                // AWS answered with an error: the write was refused, not applied. A timeout or
                // a lost connection leaves it unknown (the request may still apply).
                if e.code.is_some() {
                    self.planned[*i].uncertain = false;
                }
                self.flow.remember_hint(&e);
                first.get_or_insert(format!("the write failed: {e}"));
            }
        }
        first.map_or(Ok(()), Err)
    }

    async fn verify(&mut self) -> Result<(), String> {
        self.wait_insync().await?;
        let mut last = String::new();
        for attempt in 0..READBACK_ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(READBACK_DELAY).await;
            }
            match self.read_back_once().await {
                Ok(fresh) => {
                    for (i, w) in &self.targets {
                        let p = &mut self.planned[*i];
                        p.live = fresh[&p.svc.name].clone();
                        p.verified = w.clone();
                        p.uncertain = false;
                        p.written += 1;
                        p.change.now = Some(w.clone());
                    }
                    return Ok(());
                }
                Err(m) => last = m,
            }
        }
        Err(format!(
            "the change did not read back after {READBACK_ATTEMPTS} attempts: {last}"
        ))
    }

    fn now(&self, resource: &str) -> Option<Held> {
        let (i, _) = self
            .targets
            .iter()
            .find(|(i, _)| self.planned[*i].svc.resource() == resource)?;
        let p = &self.planned[*i];
        (!p.uncertain).then(|| Held::Weights(p.verified.clone()))
    }

    async fn tag(&mut self, value: &(dyn Fn(&str) -> String + Sync)) -> Result<(), String> {
        let elb = &self.flow.elb;
        // Route 53 records carry no tags: the journal and the shared history are their record.
        let albs = self
            .targets
            .iter()
            .filter(|(i, _)| self.planned[*i].svc.alb().is_some());
        let tags = albs.map(|(i, _)| {
            let arn = self.planned[*i].svc.resource();
            let v = value(&arn);
            async move { elbv2::tag(elb, &arn, elbv2::LAST_CHANGE_TAG, &v).await }
        });
        futures::future::try_join_all(tags)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// Throttling proves the request was refused, so it is safe to send again; any other failure
/// is left to the read-back (the writer client makes one attempt per call).
const WRITE_ATTEMPTS: u32 = 3;

async fn write_weights(
    elb: &aws_sdk_elasticloadbalancingv2::Client,
    p: &Planned<'_>,
    actions: &elbv2::Actions,
    weights: &Weights,
) -> Result<(), crate::error::AwsError> {
    let mut attempt = 1;
    loop {
        match write_once(elb, p, actions, weights).await {
            Err(e) if attempt < WRITE_ATTEMPTS && e.is_throttling() => {
                tokio::time::sleep(Duration::from_millis(500 * u64::from(attempt))).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// ModifyRule (or ModifyListener) with the action list as last read, only the weights changed.
async fn write_once(
    elb: &aws_sdk_elasticloadbalancingv2::Client,
    p: &Planned<'_>,
    actions: &elbv2::Actions,
    weights: &Weights,
) -> Result<(), crate::error::AwsError> {
    let by_arn: HashMap<String, i32> = p
        .svc
        .targets
        .iter()
        .filter_map(|t| Some((t.target_group()?.to_string(), weights[&t.site] as i32)))
        .collect();
    let actions = elbv2::with_weights(&actions.actions, &by_arn);
    let arn = p.svc.resource();
    if p.svc.alb().is_some_and(|(_, rule)| rule.is_some()) {
        elbv2::modify_rule(elb, &arn, actions).await
    } else {
        elbv2::modify_listener(elb, &arn, actions).await
    }
}

/// One ChangeBatch that UPSERTs the service's records with only their weights changed
/// (everything else sent back as read); returns the change id to wait on.
async fn dns_write(
    r53: &aws_sdk_route53::Client,
    svc: &Service,
    records: &[crate::aws::route53::WeightedRecord],
    weights: &Weights,
    comment: &str,
) -> Result<String, crate::error::AwsError> {
    let by_id: HashMap<String, i64> = svc
        .targets
        .iter()
        .filter_map(|t| Some((t.set_id()?.to_string(), i64::from(weights[&t.site]))))
        .collect();
    let zone = svc.dns().map_or("", |d| d.zone_id.as_str());
    route53::set_weights(r53, zone, records, &by_id, comment).await
}
