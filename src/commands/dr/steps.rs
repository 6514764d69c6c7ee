//! The DR runbook's writes, for the runbook: a Route 53 stage (one batch, INSYNC, read back)
//! and a Terraform run; plus the readiness wait, which writes nothing.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::{DrRun, read_records};
use crate::aws::route53::{self, Checkers};
use crate::journal::Held;
use crate::plan::dr::{self as plan};
use crate::render;
use crate::report::{StepOutcome, StepReport};
use crate::runbook::{Halt, Intent, Runbook, WriteStep};
use crate::terraform::Runner;
use crate::topology::Stage;

/// Moves Route 53 to `target`, from `from` (the stage this run saw or last wrote).
pub(super) struct DnsWrite<'d, 'a> {
    pub d: &'d DrRun<'a>,
    pub target: &'a Stage,
    /// The stage the records must still carry right before the write (None: custom).
    pub from: Option<plan::StageName>,
    pub force: bool,
    /// dr failback: the primary record whose health check gates the write (instead of the
    /// "all weight unhealthy" gate).
    pub primary: Option<String>,
    records: Vec<route53::WeightedRecord>,
    now: Option<String>,
}

impl<'d, 'a> DnsWrite<'d, 'a> {
    pub fn new(
        d: &'d DrRun<'a>,
        target: &'a Stage,
        from: Option<plan::StageName>,
        force: bool,
    ) -> Self {
        DnsWrite {
            d,
            target,
            from,
            force,
            primary: None,
            records: Vec::new(),
            now: None,
        }
    }

    pub fn report(&self) -> StepReport {
        StepReport::new(
            self.target.name.clone(),
            StepOutcome::Done,
            format!(
                "Route 53 in stage {}: {}",
                self.target.name,
                plan::format_stage(self.target)
            ),
        )
    }
}

fn stage_word(s: Option<plan::StageName>) -> &'static str {
    s.map_or("custom", plan::StageName::as_str)
}

impl WriteStep for DnsWrite<'_, '_> {
    fn label(&self) -> String {
        self.target.name.clone()
    }

    async fn precheck(&mut self) -> Result<(), Halt> {
        let (records, health) = read_records(self.d.ctx, self.d.dr)
            .await
            .map_err(|e| Halt::Failed(format!("cannot read Route 53 before the write: {e}")))?;
        let live = plan::live_stage(&self.d.dr.stages, &records);
        self.now = Some(stage_word(live).into());
        if live != self.from {
            return Err(Halt::Concurrent(format!(
                "the records changed concurrently: Route 53 is in stage {} where this run expected {}; nothing more was written: re-run to plan from the new state",
                stage_word(live),
                stage_word(self.from)
            )));
        }
        if let (Some(prod), false) = (&self.primary, self.force) {
            if let Some(c) = health.get(prod).filter(|c| !c.healthy()) {
                return Err(Halt::Gate(format!(
                    "{prod}'s health check fails ({}): the primary is not healthy yet",
                    c.describe()
                )));
            }
        } else if !self.force && plan::all_weight_unhealthy(self.target, &super::verdicts(&health))
        {
            return Err(Halt::Gate(format!(
                "stage {} would send all traffic to records whose health checks fail; --force to do it anyway",
                self.target.name
            )));
        }
        self.records = records;
        Ok(())
    }

    fn intents(&self) -> Vec<Intent> {
        vec![Intent {
            resource: self.d.resource.clone(),
            service: None,
            to: Held::Stage {
                stage: self.target.name.clone(),
            },
            before: None,
        }]
    }

    fn forced_gates(&self) -> Vec<String> {
        Vec::new()
    }

    async fn write(&mut self) -> Result<(), String> {
        self.now = None;
        let client = self.d.ctx.route53_writer();
        let comment = format!("hybridctl {} -> {}", self.d.command, self.target.name);
        let dns = &self.d.dr.dns;
        let change = route53::set_weights(
            &client,
            &dns.zone_id,
            &self.records,
            &plan::weights_of(self.target),
            &comment,
        )
        .await
        .map_err(|e| e.to_string())?;
        self.d.out.note(&format!(
            "{}: Route 53 change {change} submitted; waiting for INSYNC",
            self.target.name
        ));
        let timeout = self.d.insync_timeout;
        let client = self.d.ctx.route53();
        if !route53::wait_insync(&client, &change, timeout)
            .await
            .map_err(|e| e.to_string())?
        {
            return Err(format!(
                "Route 53 change {change} was not INSYNC after {}",
                crate::duration::format(timeout)
            ));
        }
        Ok(())
    }

    async fn verify(&mut self) -> Result<(), String> {
        let (after, _) = read_records(self.d.ctx, self.d.dr)
            .await
            .map_err(|e| e.to_string())?;
        let live = plan::live_stage(&self.d.dr.stages, &after);
        self.now = Some(stage_word(live).into());
        if !plan::matches(self.target, &after) {
            return Err(format!(
                "Route 53 does not read back stage {}",
                self.target.name
            ));
        }
        Ok(())
    }

    fn now(&self, _resource: &str) -> Option<Held> {
        self.now.clone().map(|stage| Held::Stage { stage })
    }

    /// Route 53 records carry no tags; the journal is their record.
    async fn tag(&mut self, _value: &(dyn Fn(&str) -> String + Sync)) -> Result<(), String> {
        Ok(())
    }
}

/// `terraform apply` (or `destroy`) as a write: journaled before and after like any other.
pub(super) struct TerraformWrite<'r, 'o> {
    pub runner: &'r Runner,
    pub out: &'o render::Output,
    pub destroy: bool,
    pub resource: String,
    pub report: Option<StepReport>,
    done: bool,
    /// Passed on to Terraform as SIGINT.
    stop: crate::signal::Interrupt,
}

impl<'r, 'o> TerraformWrite<'r, 'o> {
    pub fn new(
        runner: &'r Runner,
        out: &'o render::Output,
        destroy: bool,
        stop: crate::signal::Interrupt,
    ) -> Self {
        TerraformWrite {
            runner,
            out,
            destroy,
            resource: format!("terraform:{}", runner.dir.display()),
            report: None,
            done: false,
            stop,
        }
    }

    fn verb(&self) -> &'static str {
        if self.destroy { "destroy" } else { "apply" }
    }
}

impl WriteStep for TerraformWrite<'_, '_> {
    fn label(&self) -> String {
        if self.destroy { "destroy" } else { "terraform" }.into()
    }

    async fn precheck(&mut self) -> Result<(), Halt> {
        Ok(())
    }

    fn intents(&self) -> Vec<Intent> {
        vec![Intent {
            resource: self.resource.clone(),
            service: None,
            to: Held::Stage {
                stage: if self.destroy { "destroyed" } else { "applied" }.into(),
            },
            before: None,
        }]
    }

    fn forced_gates(&self) -> Vec<String> {
        Vec::new()
    }

    fn fenced(&self) -> bool {
        false
    }

    async fn write(&mut self) -> Result<(), String> {
        self.runner.init().await?;
        let progress = render::dr::TerraformProgress::new(self.out, self.verb());
        let on = |d, p, a: &str| progress.update(d, p, a);
        let outcome = if self.destroy {
            self.runner.destroy(&on, &self.stop).await
        } else {
            self.runner.apply(&on, &self.stop).await
        };
        progress.finish();
        let outcome = outcome?;
        if !outcome.success {
            return Err(self.runner.failure(self.verb(), &outcome));
        }
        let message = format!(
            "terraform {}: {}/{} resource(s){}",
            self.verb(),
            outcome.done,
            outcome.planned,
            outcome
                .summary
                .map(|s| format!(" ({s})"))
                .unwrap_or_default()
        );
        self.report = Some(StepReport::new(self.label(), StepOutcome::Done, message));
        self.done = true;
        Ok(())
    }

    async fn verify(&mut self) -> Result<(), String> {
        Ok(())
    }

    fn now(&self, _resource: &str) -> Option<Held> {
        self.done.then(|| Held::Stage {
            stage: if self.destroy { "destroyed" } else { "applied" }.into(),
        })
    }

    async fn tag(&mut self, _value: &(dyn Fn(&str) -> String + Sync)) -> Result<(), String> {
        Ok(())
    }
}

/// Waits for the DR ready target group (and the recovered stage's main record's health
/// check). Writes nothing; a signal ends the wait at once.
pub(super) async fn wait_ready(
    d: &DrRun<'_>,
    rb: &mut Runbook<'_>,
    recovered: &Stage,
) -> Result<StepReport, Halt> {
    let Some(r) = &d.dr.ready else {
        return Ok(StepReport::new(
            "ready",
            StepOutcome::Skipped,
            "no dr.ready configured",
        ));
    };
    let started = Instant::now();
    let poll = (r.timeout / 10).clamp(Duration::from_millis(500), Duration::from_secs(10));
    let route53 = d.ctx.route53();
    let fail = |e: crate::error::AwsError| Halt::Failed(e.to_string());
    let main_check = match plan::main_record(recovered) {
        Some(main) => read_records(d.ctx, d.dr)
            .await
            .map_err(fail)?
            .0
            .into_iter()
            .find(|rec| rec.set_identifier.as_deref() == Some(main))
            .and_then(|rec| rec.health_check_id),
        None => None,
    };
    let mut last = String::new();
    loop {
        let ready = super::ready_health(d.ctx, d.dr)
            .await
            .map_err(fail)?
            .ok_or_else(|| Halt::Failed("dr.ready vanished".into()))?;
        let check_ok = match &main_check {
            Some(id) => route53::health_check_status(&route53, id)
                .await
                .map_err(fail)?
                .healthy(),
            None => true,
        };
        let failing = if check_ok {
            ""
        } else {
            "; the record's health check fails"
        };
        let now = format!(
            "{}/{} healthy (need {}){failing}",
            ready.healthy, ready.total, r.min_healthy_targets
        );
        if now != last {
            d.out.note(&format!("ready: {now}"));
            last = now.clone();
        }
        if ready.healthy >= r.min_healthy_targets && check_ok {
            let m = format!("DR target group ready: {now}");
            return Ok(StepReport::new("ready", StepOutcome::Done, m));
        }
        if started.elapsed() >= r.timeout {
            return Err(Halt::Failed(format!(
                "not ready after {}: {now}",
                crate::duration::format(r.timeout)
            )));
        }
        let left = r.timeout.saturating_sub(started.elapsed());
        rb.wait(poll.min(left.max(Duration::from_millis(100))))
            .await?;
    }
}

/// The failback gate: the primary record's health check, as Route 53 judges it.
pub(super) fn primary_gate(
    health: &HashMap<String, Checkers>,
    prod: &str,
    force: bool,
) -> (bool, StepReport) {
    let ok = health.get(prod).is_none_or(|c| c.healthy());
    let outcome = match (ok, force) {
        (true, _) => StepOutcome::Pass,
        (false, true) => StepOutcome::Forced,
        (false, false) => StepOutcome::Fail,
    };
    let message = match health.get(prod) {
        Some(c) if c.healthy() => format!("{prod}'s health check passes ({})", c.describe()),
        Some(c) => format!(
            "{prod}'s health check fails ({}): the primary is not healthy yet",
            c.describe()
        ),
        None => format!("{prod} has no health check"),
    };
    (ok, StepReport::new("gate", outcome, message))
}
