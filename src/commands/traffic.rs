//! `shift-traffic`, `failover`, `failback`: one flow. Read the full actions -> plan (pure) ->
//! show -> confirm -> write step by step, each verified by reading back -> journal and tag ->
//! report. On failure the report says what AWS holds for every service.

use std::collections::HashMap;
use std::time::Duration;

use serde::Serialize;

use super::{control, live};
use crate::aws::elbv2::{self, Actions};
use crate::aws::{self, AwsContext, cloudwatch, dms};
use crate::cli::{ChangeArgs, GlobalArgs, OnFailure};
use crate::error::{AwsError, Error, ExitStatus, Result};
use crate::journal::{self, Lock};
use crate::plan::traffic::{self as plan, Gate, Intent, Weights};
use crate::render::{self, Output};
use crate::topology::{Service, Topology};

pub const SCHEMA: &str = "hybridctl.traffic/v1";
/// Read-back attempts after a write, one second apart: ALB nodes converge, with no SLA.
const READBACK_ATTEMPTS: u32 = 5;
const READBACK_DELAY: Duration = Duration::from_secs(1);

/// What the user asked for, beyond the shared flags.
pub struct Request<'a> {
    pub kind: Kind,
    pub weights: &'a [String],
    pub change: &'a ChangeArgs,
    pub if_alarm: bool,
    pub if_ok_for: Option<Duration>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Shift,
    Failover,
    Failback,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Written and verified.
    Applied,
    /// Already in the target state: nothing written.
    NoOp,
    /// --if-alarm / --if-ok-for conditions not met: nothing written.
    NoAction,
    /// --dry-run.
    Planned,
    /// A gate failed before anything was written.
    Refused,
    /// The rule changed under us before a write.
    ConcurrentChange,
    /// A gate failed between steps; traffic stayed where it was.
    Stopped,
    /// A gate failed between steps; traffic went back to where it started.
    RolledBack,
    /// A write failed or did not read back.
    Failed,
    /// Ctrl-C.
    Interrupted,
}

#[derive(Debug, Serialize)]
pub struct ServiceChange {
    pub name: String,
    pub before: Weights,
    pub target: Weights,
    pub steps: Vec<Weights>,
    pub gates: Vec<Gate>,
    /// What AWS holds at the end (read back); None when it could not be read.
    pub now: Option<Weights>,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub command: &'static str,
    pub dry_run: bool,
    pub outcome: Outcome,
    pub message: String,
    pub reason: Option<String>,
    pub services: Vec<ServiceChange>,
    pub journal: Option<String>,
}

impl Report {
    fn exit_status(&self) -> ExitStatus {
        match self.outcome {
            Outcome::Applied | Outcome::NoOp | Outcome::NoAction => ExitStatus::Success,
            Outcome::Planned if self.gates_pass() => ExitStatus::Success,
            Outcome::Planned
            | Outcome::Refused
            | Outcome::ConcurrentChange
            | Outcome::Stopped
            | Outcome::RolledBack => ExitStatus::No,
            Outcome::Failed => ExitStatus::Failure,
            Outcome::Interrupted => ExitStatus::Interrupted,
        }
    }

    fn gates_pass(&self) -> bool {
        self.services
            .iter()
            .flat_map(|s| &s.gates)
            .all(|g| g.passed || g.forced)
    }
}

pub fn run(global: &GlobalArgs, req: Request<'_>, out: &Output) -> Result<ExitStatus> {
    let topo = crate::topology::load(&global.config)?;
    let services = select(&topo, &req.change.service, req.change.all)?;
    let intent = match req.kind {
        Kind::Shift => {
            Intent::Shift(plan::parse_assignments(req.weights, &services).map_err(Error::usage)?)
        }
        Kind::Failover => Intent::Failover,
        Kind::Failback => Intent::Failback,
    };
    if req.kind != Kind::Shift && topo.failover.is_none() {
        return Err(Error::Usage {
            message: format!(
                "{} needs a failover section in {}",
                intent.command(),
                topo.file.display()
            ),
            hint: Some("set failover.from and failover.to (see hybridctl.example.yaml)".into()),
        });
    }
    if (req.if_alarm || req.if_ok_for.is_some())
        && topo
            .failover
            .as_ref()
            .and_then(|f| f.alarm.as_ref())
            .is_none()
    {
        return Err(Error::usage(
            "--if-alarm and --if-ok-for need failover.alarm in the topology file",
        ));
    }
    let rt = crate::runtime()?;
    let report = rt.block_on(async {
        let ctx = AwsContext::load(&aws::resolve(global, &topo.aws)).await?;
        Flow {
            ctx: &ctx,
            topo: &topo,
            services: &services,
            intent: &intent,
            req: &req,
            out,
        }
        .run()
        .await
    })?;
    render::traffic::print(out, &report)?;
    if report.outcome == Outcome::Failed {
        out.note(&format!("error: {}", report.message));
    }
    Ok(report.exit_status())
}

/// With several services, acting on all of them must be asked for.
fn select<'a>(topo: &'a Topology, names: &[String], all: bool) -> Result<Vec<&'a Service>> {
    if names.is_empty() && !all && topo.services.len() > 1 {
        let known: Vec<&str> = topo.services.iter().map(|s| s.name.as_str()).collect();
        return Err(Error::Usage {
            message: format!(
                "the file has {} services: name them with --service or pass --all",
                known.len()
            ),
            hint: Some(format!("services: {}", known.join(", "))),
        });
    }
    live::select(topo, names)
}

struct Flow<'a> {
    ctx: &'a AwsContext,
    topo: &'a Topology,
    services: &'a [&'a Service],
    intent: &'a Intent,
    req: &'a Request<'a>,
    out: &'a Output,
}

/// One service's plan, with the action list it was made from.
struct Planned<'a> {
    svc: &'a Service,
    actions: Actions,
    change: ServiceChange,
}

impl<'a> Flow<'a> {
    fn args(&self) -> &ChangeArgs {
        self.req.change
    }

    async fn run(&self) -> Result<Report> {
        let journal_path = journal::path(self.topo.journal.as_deref());
        let _lock = if self.args().dry_run {
            None
        } else {
            match Lock::acquire(&journal_path, self.args().lock_timeout).await {
                Ok(l) => Some(l),
                Err(message) => {
                    return Ok(self.report(Outcome::Refused, message, Vec::new(), None));
                }
            }
        };

        // 1. Read the full actions, health, and what the gates need, all at once.
        let elb = self.ctx.elbv2();
        let f = self.topo.failover.as_ref();
        let alarm_name = f.and_then(|f| f.alarm.clone());
        let want_alarm = alarm_name.is_some()
            && (self.req.if_alarm
                || self.req.if_ok_for.is_some()
                || self.req.kind == Kind::Failback);
        let want_replication = self.req.kind == Kind::Failback && self.topo.replication.is_some();
        let (actions, health, alarm, replication) = tokio::try_join!(
            live::actions(&elb, self.services),
            live::health(&elb, self.services),
            self.read_alarm(want_alarm.then_some(alarm_name.as_deref()).flatten()),
            self.read_replication(want_replication),
        )?;

        if self.req.if_alarm {
            let state = alarm.as_ref().map(|a| a.state_text()).unwrap_or("missing");
            if alarm.as_ref().and_then(|a| a.state.as_ref()) != Some(&cloudwatch::AlarmState::Alarm)
            {
                let message = format!(
                    "no action: alarm {} is {state}",
                    alarm_name.unwrap_or_default()
                );
                return Ok(self.report(Outcome::NoAction, message, Vec::new(), None));
            }
        }

        // 2. Plan, per service.
        let mut planned = Vec::new();
        for svc in self.services {
            let acts = actions.get(&svc.name).cloned().ok_or_else(|| {
                Error::Operational(anyhow::anyhow!(
                    "AWS returned no actions for service `{}`",
                    svc.name
                ))
            })?;
            let before = match plan::live_weights(svc, acts.forward().as_ref()) {
                Ok(w) => w,
                Err(m) => {
                    let message = format!(
                        "{m}: reconcile the rule and the topology file first (hybridctl status shows the drift)"
                    );
                    return Ok(self.report(Outcome::Refused, message, Vec::new(), None));
                }
            };
            let target = plan::target(self.intent, svc, f, &before).map_err(Error::usage)?;
            if plan::same_split(&before, &target) {
                planned.push(Planned {
                    svc,
                    actions: acts,
                    change: ServiceChange {
                        name: svc.name.clone(),
                        now: Some(before.clone()),
                        before,
                        target,
                        steps: Vec::new(),
                        gates: Vec::new(),
                    },
                });
                continue;
            }
            let steps = match (self.intent, self.args().step, f) {
                (Intent::Failback, None, Some(f)) if !f.failback_steps.is_empty() => {
                    plan::failback_ramp(&target, &before, f)
                }
                _ => plan::steps(&before, &target, self.args().step),
            };
            let min = f.map_or(1, |f| f.min_healthy_targets);
            let mut gates =
                plan::health_gates(&svc.name, &steps, &live::healthy_by_site(svc, &health), min);
            if self.req.kind == Kind::Failback {
                if let (Some(f), Some((status, lag))) = (f, replication.as_ref()) {
                    gates.push(plan::replication_gate(
                        status.as_ref(),
                        *lag,
                        f.max_cdc_latency.as_secs_f64(),
                    ));
                }
                if let Some(name) = &alarm_name {
                    gates.push(plan::alarm_gate(name, alarm.as_ref()));
                }
            }
            planned.push(Planned {
                svc,
                actions: acts,
                change: ServiceChange {
                    name: svc.name.clone(),
                    before,
                    target,
                    steps,
                    gates,
                    now: None,
                },
            });
        }

        if planned.iter().all(|p| p.change.steps.is_empty()) {
            let message = format!(
                "nothing to do: {} already at the target weights",
                names(&planned)
            );
            return Ok(self.report(
                Outcome::NoOp,
                message,
                planned.into_iter().map(|p| p.change).collect(),
                None,
            ));
        }

        let mut all_gates: Vec<Gate> = planned
            .iter()
            .flat_map(|p| p.change.gates.clone())
            .collect();
        let gates_pass = plan::decide(&mut all_gates, self.args().force);
        let force = self.args().force;
        for p in &mut planned {
            plan::decide(&mut p.change.gates, force);
        }

        if let Some(min_ok) = self.req.if_ok_for {
            let ok_for = alarm
                .as_ref()
                .filter(|a| a.state == Some(cloudwatch::AlarmState::Ok))
                .and_then(|a| a.since_epoch)
                .map(|t| control::now_epoch() - t);
            let long_enough = ok_for.is_some_and(|s| s >= min_ok.as_secs() as i64);
            let strict_pass = planned
                .iter()
                .flat_map(|p| &p.change.gates)
                .all(|g| g.passed);
            if !long_enough || !strict_pass {
                let why = if !long_enough {
                    format!(
                        "the alarm has not been OK for {} yet{}",
                        crate::duration::format(min_ok),
                        ok_for
                            .map(|s| format!(
                                " ({})",
                                crate::duration::format(Duration::from_secs(s.max(0) as u64))
                            ))
                            .unwrap_or_default()
                    )
                } else {
                    "a gate does not pass".to_string()
                };
                let message = format!("no action: {why}");
                return Ok(self.report(
                    Outcome::NoAction,
                    message,
                    planned.into_iter().map(|p| p.change).collect(),
                    None,
                ));
            }
        }

        // 3. Show the plan; 4. stop here on --dry-run or refused gates.
        let changes: Vec<&ServiceChange> = planned.iter().map(|p| &p.change).collect();
        if self.args().dry_run {
            let message = if gates_pass {
                "dry run: nothing was changed".to_string()
            } else {
                "dry run: the gates refuse this change".to_string()
            };
            return Ok(self.report(
                Outcome::Planned,
                message,
                planned.into_iter().map(|p| p.change).collect(),
                None,
            ));
        }
        if !self.out.is_json() {
            eprint!(
                "{}",
                render::traffic::plan_text(self.intent.command(), self.topo, &changes)
            );
        }
        if !gates_pass {
            let message = "refused: a safety gate failed (see above); nothing was changed. --force overrides, and is journaled".to_string();
            return Ok(self.report(
                Outcome::Refused,
                message,
                planned.into_iter().map(|p| p.change).collect(),
                None,
            ));
        }

        // 5. Confirm.
        if !control::confirm(self.args().yes, "traffic")? {
            return Ok(self.report(
                Outcome::Refused,
                "not confirmed: nothing was changed".into(),
                planned.into_iter().map(|p| p.change).collect(),
                None,
            ));
        }

        // 6-7. Apply, step by step, verified by reading back.
        let (outcome, message) = self.apply(&elb, &mut planned).await;
        self.record(&elb, &planned, outcome, &message, &journal_path)
            .await;
        Ok(self.report(
            outcome,
            message,
            planned.into_iter().map(|p| p.change).collect(),
            Some(journal_path.display().to_string()),
        ))
    }

    async fn read_alarm(&self, name: Option<&str>) -> Result<Option<cloudwatch::Alarm>, AwsError> {
        let Some(name) = name else { return Ok(None) };
        let alarms =
            cloudwatch::describe_alarms(&self.ctx.cloudwatch(), &[name.to_string()]).await?;
        Ok(alarms.into_iter().find(|a| a.name == name))
    }

    /// The DMS task status and its latest CDC target latency.
    async fn read_replication(
        &self,
        wanted: bool,
    ) -> Result<Option<(Option<dms::Task>, Option<f64>)>, AwsError> {
        let Some(r) = self.topo.replication.as_ref().filter(|_| wanted) else {
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

    /// Writes every step; returns how it ended. `planned[i].change.now` holds the read-back.
    async fn apply(
        &self,
        elb: &aws_sdk_elasticloadbalancingv2::Client,
        planned: &mut [Planned<'_>],
    ) -> (Outcome, String) {
        let stop = control::Interrupt::install();
        let total = planned
            .iter()
            .map(|p| p.change.steps.len())
            .max()
            .unwrap_or(0);
        let progress = render::traffic::Progress::new(self.out, total as u64);
        let changing: Vec<usize> = (0..planned.len())
            .filter(|&i| !planned[i].change.steps.is_empty())
            .collect();
        for p in planned.iter_mut().filter(|p| p.change.steps.is_empty()) {
            p.change.now = Some(p.change.before.clone());
        }
        for step in 0..total {
            if step > 0 {
                progress.wait(self.args().interval, step + 1, total);
                if stop.sleep(self.args().interval).await {
                    return self.finish_interrupted(elb, planned).await;
                }
                if let Some(failed) = self.recheck_health(elb, planned, step).await {
                    return self.stop_on_gate(elb, planned, failed).await;
                }
            }
            if stop.is_set() {
                return self.finish_interrupted(elb, planned).await;
            }
            // Optimistic concurrency: the rule must still be what we planned from (or wrote).
            let svcs: Vec<&Service> = changing.iter().map(|&i| planned[i].svc).collect();
            let fresh = match live::actions(elb, &svcs).await {
                Ok(f) => f,
                Err(e) => {
                    return self
                        .finish_failed(elb, planned, format!("cannot re-read before writing: {e}"))
                        .await;
                }
            };
            for &i in &changing {
                if step < planned[i].change.steps.len()
                    && fresh.get(&planned[i].svc.name).map(|a| &a.actions)
                        != Some(&planned[i].actions.actions)
                {
                    let who = elbv2::tag_values(
                        elb,
                        &[live::action_arn(planned[i].svc)],
                        elbv2::LAST_CHANGE_TAG,
                    )
                    .await
                    .ok()
                    .and_then(|t| t.into_values().next())
                    .map(|t| format!(" (its last hybridctl change: {t})"))
                    .unwrap_or_else(|| " by someone or something else".into());
                    self.read_now(elb, planned).await;
                    return (
                        Outcome::ConcurrentChange,
                        format!(
                            "service `{}` was changed concurrently{who} since the plan was made; nothing more was written: re-run to plan from the new state",
                            planned[i].svc.name
                        ),
                    );
                }
            }
            // Write this step for every service that has one, all at once.
            let writes = changing
                .iter()
                .filter(|&&i| step < planned[i].change.steps.len())
                .map(|&i| write_weights(elb, &planned[i], &planned[i].change.steps[step]));
            if let Err(e) = futures::future::try_join_all(writes).await {
                return self
                    .finish_failed(elb, planned, format!("the write failed: {e}"))
                    .await;
            }
            // Read back until AWS holds exactly the step's weights.
            match self.read_back(elb, planned, step).await {
                Ok(()) => {}
                Err(m) => return self.finish_failed(elb, planned, m).await,
            }
            let summary: Vec<String> = changing
                .iter()
                .filter(|&&i| step < planned[i].change.steps.len())
                .map(|&i| {
                    format!(
                        "{} {}",
                        planned[i].svc.name,
                        plan::format_weights(&planned[i].change.steps[step])
                    )
                })
                .collect();
            progress.step(
                step + 1,
                total,
                &format!("{}: verified", summary.join("; ")),
            );
        }
        progress.done();
        let now: Vec<String> = planned
            .iter()
            .map(|p| {
                format!(
                    "{} {}",
                    p.svc.name,
                    p.change
                        .now
                        .as_ref()
                        .map(plan::format_weights)
                        .unwrap_or_default()
                )
            })
            .collect();
        (
            Outcome::Applied,
            format!(
                "{} applied and verified: {}",
                self.intent.command(),
                now.join("; ")
            ),
        )
    }

    async fn read_back(
        &self,
        elb: &aws_sdk_elasticloadbalancingv2::Client,
        planned: &mut [Planned<'_>],
        step: usize,
    ) -> Result<(), String> {
        let idx: Vec<usize> = (0..planned.len())
            .filter(|&i| step < planned[i].change.steps.len())
            .collect();
        let svcs: Vec<&Service> = idx.iter().map(|&i| planned[i].svc).collect();
        let mut last = String::new();
        for attempt in 0..READBACK_ATTEMPTS {
            if attempt > 0 {
                tokio::time::sleep(READBACK_DELAY).await;
            }
            let fresh = match live::actions(elb, &svcs).await {
                Ok(f) => f,
                Err(e) => {
                    last = format!("cannot read back: {e}");
                    continue;
                }
            };
            let mut all = true;
            for &i in &idx {
                let p = &planned[i];
                let got = fresh
                    .get(&p.svc.name)
                    .and_then(|a| plan::live_weights(p.svc, a.forward().as_ref()).ok());
                if got.as_ref() != Some(&p.change.steps[step]) {
                    all = false;
                    last = format!(
                        "service `{}` reads back {} instead of {}",
                        p.svc.name,
                        got.as_ref()
                            .map(plan::format_weights)
                            .unwrap_or_else(|| "no forward".into()),
                        plan::format_weights(&p.change.steps[step])
                    );
                }
            }
            if all {
                for &i in &idx {
                    planned[i].actions = fresh[&planned[i].svc.name].clone();
                    planned[i].change.now = Some(planned[i].change.steps[step].clone());
                }
                return Ok(());
            }
        }
        Err(format!(
            "the change did not read back after {READBACK_ATTEMPTS} attempts: {last}"
        ))
    }

    /// Health gates for the remaining steps, re-read before each step after the first.
    async fn recheck_health(
        &self,
        elb: &aws_sdk_elasticloadbalancingv2::Client,
        planned: &mut [Planned<'_>],
        step: usize,
    ) -> Option<String> {
        if self.args().force {
            return None;
        }
        let svcs: Vec<&Service> = planned
            .iter()
            .filter(|p| step < p.change.steps.len())
            .map(|p| p.svc)
            .collect();
        let health = match live::health(elb, &svcs).await {
            Ok(h) => h,
            Err(e) => return Some(format!("cannot re-check target health: {e}")),
        };
        let min = self
            .topo
            .failover
            .as_ref()
            .map_or(1, |f| f.min_healthy_targets);
        for p in planned.iter_mut().filter(|p| step < p.change.steps.len()) {
            let gates = plan::health_gates(
                &p.svc.name,
                &p.change.steps[step..],
                &live::healthy_by_site(p.svc, &health),
                min,
            );
            if let Some(g) = gates.into_iter().find(|g| !g.passed) {
                let message = format!("before step {}: {}", step + 1, g.message);
                p.change.gates.push(Gate {
                    message: message.clone(),
                    ..g
                });
                return Some(message);
            }
        }
        None
    }

    async fn stop_on_gate(
        &self,
        elb: &aws_sdk_elasticloadbalancingv2::Client,
        planned: &mut [Planned<'_>],
        why: String,
    ) -> (Outcome, String) {
        if self.args().on_failure == OnFailure::Rollback {
            for p in planned.iter_mut() {
                if p.change.now.as_ref().is_some_and(|n| n != &p.change.before) {
                    p.change.steps = vec![p.change.before.clone()];
                }
            }
            let any = planned.iter().any(|p| {
                p.change.steps.len() == 1 && p.change.now.as_ref() != Some(&p.change.before)
            });
            if any {
                let writes = planned
                    .iter()
                    .filter(|p| p.change.now.as_ref() != Some(&p.change.before))
                    .map(|p| write_weights(elb, p, &p.change.before));
                if let Err(e) = futures::future::try_join_all(writes).await {
                    return self
                        .finish_failed(
                            elb,
                            planned,
                            format!("{why}; the rollback write failed: {e}"),
                        )
                        .await;
                }
                if let Err(m) = self.read_back(elb, planned, 0).await {
                    return self
                        .finish_failed(
                            elb,
                            planned,
                            format!("{why}; the rollback did not read back: {m}"),
                        )
                        .await;
                }
            }
            return (
                Outcome::RolledBack,
                format!("stopped and rolled back to the starting weights: {why}"),
            );
        }
        self.read_now(elb, planned).await;
        (
            Outcome::Stopped,
            format!(
                "stopped where it was: {why}; traffic now: {}",
                now_text(planned)
            ),
        )
    }

    async fn finish_failed(
        &self,
        elb: &aws_sdk_elasticloadbalancingv2::Client,
        planned: &mut [Planned<'_>],
        why: String,
    ) -> (Outcome, String) {
        self.read_now(elb, planned).await;
        (
            Outcome::Failed,
            format!("{why}; AWS now holds: {}", now_text(planned)),
        )
    }

    async fn finish_interrupted(
        &self,
        elb: &aws_sdk_elasticloadbalancingv2::Client,
        planned: &mut [Planned<'_>],
    ) -> (Outcome, String) {
        self.read_now(elb, planned).await;
        (
            Outcome::Interrupted,
            format!("interrupted; AWS now holds: {}", now_text(planned)),
        )
    }

    /// What AWS holds now, for the report (None where it cannot be read).
    async fn read_now(
        &self,
        elb: &aws_sdk_elasticloadbalancingv2::Client,
        planned: &mut [Planned<'_>],
    ) {
        let svcs: Vec<&Service> = planned.iter().map(|p| p.svc).collect();
        let fresh = live::actions(elb, &svcs).await.ok();
        for p in planned.iter_mut() {
            p.change.now = fresh
                .as_ref()
                .and_then(|f| f.get(&p.svc.name))
                .and_then(|a| plan::live_weights(p.svc, a.forward().as_ref()).ok());
        }
    }

    /// Journal every service a write was attempted for, and tag the ones that changed.
    async fn record(
        &self,
        elb: &aws_sdk_elasticloadbalancingv2::Client,
        planned: &[Planned<'_>],
        outcome: Outcome,
        message: &str,
        path: &std::path::Path,
    ) {
        let (user, host) = journal::identity();
        let time = render::now_rfc3339();
        let outcome_word = serde_json::to_value(outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        for p in planned.iter().filter(|p| !p.change.steps.is_empty()) {
            let entry = journal::Entry {
                time: time.clone(),
                user: user.clone(),
                host: host.clone(),
                command: self.intent.command().to_string(),
                reason: self.args().reason.clone(),
                service: p.svc.name.clone(),
                before: p.change.before.clone(),
                after: p.change.now.clone().unwrap_or_default(),
                target: p.change.target.clone(),
                steps: p.change.steps.len(),
                forced_gates: p
                    .change
                    .gates
                    .iter()
                    .filter(|g| g.forced)
                    .map(|g| g.name.clone())
                    .collect(),
                outcome: outcome_word.clone(),
                message: Some(message.to_string()),
            };
            if let Err(e) = journal::append(path, &entry) {
                tracing::error!("cannot write the journal {}: {e}", path.display());
            }
            if p.change.now.as_ref().is_some_and(|n| n != &p.change.before) {
                let mut value = format!("{time} {} by {user}@{host}", self.intent.command());
                if let Some(r) = &self.args().reason {
                    value.push_str(": ");
                    value.push_str(r);
                }
                if let Err(e) = elbv2::tag(
                    elb,
                    &live::action_arn(p.svc),
                    elbv2::LAST_CHANGE_TAG,
                    &value,
                )
                .await
                {
                    tracing::warn!("the change is done, but tagging {} failed: {e}", p.svc.name);
                }
            }
        }
    }

    fn report(
        &self,
        outcome: Outcome,
        message: String,
        services: Vec<ServiceChange>,
        journal: Option<String>,
    ) -> Report {
        Report {
            schema: SCHEMA,
            command: self.intent.command(),
            dry_run: self.args().dry_run,
            outcome,
            message,
            reason: self.args().reason.clone(),
            services,
            journal,
        }
    }
}

/// ModifyRule (or ModifyListener) with the action list as last read, only the weights changed.
async fn write_weights(
    elb: &aws_sdk_elasticloadbalancingv2::Client,
    p: &Planned<'_>,
    weights: &Weights,
) -> Result<(), AwsError> {
    let by_arn: HashMap<String, i32> = p
        .svc
        .targets
        .iter()
        .map(|t| (t.target_group_arn.to_string(), weights[&t.site] as i32))
        .collect();
    let actions = elbv2::with_weights(&p.actions.actions, &by_arn);
    let arn = live::action_arn(p.svc);
    if p.svc.rule_arn.is_some() {
        elbv2::modify_rule(elb, &arn, actions).await
    } else {
        elbv2::modify_listener(elb, &arn, actions).await
    }
}

fn names(planned: &[Planned<'_>]) -> String {
    planned
        .iter()
        .map(|p| p.svc.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn now_text(planned: &[Planned<'_>]) -> String {
    planned
        .iter()
        .map(|p| {
            let now = p
                .change
                .now
                .as_ref()
                .map(|n| {
                    let tag = if n == &p.change.before {
                        " (unchanged)"
                    } else {
                        ""
                    };
                    format!("{}{tag}", plan::format_weights(n))
                })
                .unwrap_or_else(|| "unknown (could not be read)".into());
            format!("{} {now}", p.svc.name)
        })
        .collect::<Vec<_>>()
        .join("; ")
}
