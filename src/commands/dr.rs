//! `hybridctl dr status | provision | failback`: the DR runbook (Route 53 weights by named
//! stage, Terraform for the DR stack, readiness) through the one change runbook. A provision
//! resumes from the stage the live records show; the state file (`dr-state.json` beside the
//! journal, written atomically) only says which Terraform apply already ran.

mod steps;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::aws::route53::{self, WeightedRecord};
use crate::aws::{AwsContext, elbv2};
use crate::cli::{DrFailbackArgs, DrProvisionArgs};
use crate::error::{AwsError, Error, ExitStatus, Result};
use crate::journal::Body;
use crate::plan::dr::{self as plan, ProvisionState, ProvisionStep, Resume, StageName};
use crate::render::{self, Output};
use crate::report::{
    DR_RUN_SCHEMA, DR_STATUS_SCHEMA, DrRunReport, DrStatusReport, ExitFacts, LiveStage, Outcome,
    ReadyView, RecordView, StepOutcome, StepReport,
};
use crate::runbook::{Begin, Halt, NotBegun, Runbook};
use crate::settings::Settings;
use crate::terraform::{self, Runner};
use crate::topology::{Dr, Stage, Topology};
use steps::{DnsWrite, TerraformWrite};

/// Route 53 propagates in about 60 s; give it five minutes.
const INSYNC_TIMEOUT: Duration = Duration::from_secs(300);

fn state_path(s: &Settings) -> PathBuf {
    s.journal.with_file_name("dr-state.json")
}

fn load_state(s: &Settings) -> Result<ProvisionState> {
    crate::statefile::read(&state_path(s))
        .map(Option::unwrap_or_default)
        .map_err(|m| Error::Operational(anyhow::anyhow!(m)))
}

fn dr_section(topo: &Topology) -> Result<&Dr> {
    topo.dr.as_ref().ok_or_else(|| Error::Usage {
        message: format!(
            "the dr commands need a dr section in {}",
            topo.file.display()
        ),
        hint: Some("set dr.region, dr.dns and dr.weights (see hybridctl.example.yaml)".into()),
    })
}

fn stage(dr: &Dr, name: StageName) -> &Stage {
    dr.stages
        .iter()
        .find(|s| s.name == name.as_str())
        .expect("validated: normal, building and recovered exist")
}

/// Records and their health (one GetHealthCheckStatus per record with a check, at once).
async fn read_records(
    ctx: &AwsContext,
    dr: &Dr,
) -> Result<(Vec<WeightedRecord>, HashMap<String, bool>), AwsError> {
    let client = ctx.route53();
    let dns = &dr.dns;
    let records =
        route53::weighted_records(&client, &dns.zone_id, &dns.record, &dns.record_type).await?;
    let checks = futures::future::try_join_all(records.iter().filter_map(|r| {
        let id = r.health_check_id.clone()?;
        let name = r.set_identifier.clone();
        let client = &client;
        Some(async move {
            route53::health_check_healthy(client, &id)
                .await
                .map(|h| (name, h))
        })
    }))
    .await?;
    Ok((records, checks.into_iter().collect()))
}

async fn ready_health(ctx: &AwsContext, dr: &Dr) -> Result<Option<ReadyView>, AwsError> {
    let Some(r) = &dr.ready else { return Ok(None) };
    let client = ctx.in_region(&dr.region).elbv2();
    let targets = elbv2::target_health(&client, &r.target_group_arn.to_string()).await?;
    let health = crate::plan::status::Health::of(&targets);
    Ok(Some(ReadyView {
        healthy: health.healthy,
        total: health.total(),
        min_healthy_targets: r.min_healthy_targets,
    }))
}

fn check_records(dr: &Dr, records: &[WeightedRecord]) -> Result<()> {
    plan::check_records(&dr.stages, records, &dr.dns.record, &dr.dns.zone_id).map_err(|m| {
        Error::Usage {
            message: m,
            hint: Some(
                "make dr.weights name the SetIdentifiers of the zone's weighted records".into(),
            ),
        }
    })
}

// ------------------------------------------------------------------ dr status

pub fn status(s: &Settings, out: &Output, rt: &tokio::runtime::Runtime) -> Result<ExitStatus> {
    let dr = dr_section(&s.topology)?;
    let provision = load_state(s)?;
    let report = rt.block_on(async {
        let ctx = AwsContext::load(&s.aws).await?;
        let ((records, health), ready) =
            tokio::try_join!(read_records(&ctx, dr), ready_health(&ctx, dr))?;
        Ok::<_, Error>(DrStatusReport {
            schema: DR_STATUS_SCHEMA,
            record: dr.dns.record.clone(),
            zone_id: dr.dns.zone_id.clone(),
            stage: LiveStage::of(plan::live_stage(&dr.stages, &records)),
            records: records
                .iter()
                .map(|r| RecordView {
                    set_identifier: r.set_identifier.clone(),
                    weight: r.weight,
                    health_check_id: r.health_check_id.clone(),
                    healthy: health.get(&r.set_identifier).copied(),
                })
                .collect(),
            ready,
            provision,
        })
    })?;
    render::dr::print_status(out, &report)?;
    let failed = report.provision.last_error.is_some() && !report.provision.finished;
    Ok(if report.stage == LiveStage::Custom || failed {
        ExitStatus::No
    } else {
        ExitStatus::Success
    })
}

// ------------------------------------------------------------------ shared pieces

/// One DR run: what its steps need.
struct DrRun<'a> {
    s: &'a Settings,
    ctx: &'a AwsContext,
    dr: &'a Dr,
    out: &'a Output,
    command: &'static str,
    /// The lock and journal resource: the record set.
    resource: String,
}

impl DrRun<'_> {
    fn report(
        &self,
        dry_run: bool,
        outcome: Outcome,
        message: String,
        stage: LiveStage,
        steps: Vec<StepReport>,
    ) -> DrRunReport {
        DrRunReport {
            schema: DR_RUN_SCHEMA,
            command: self.command,
            dry_run,
            outcome,
            message,
            stage,
            steps,
        }
    }

    fn save(&self, state: &ProvisionState) -> Result<(), Halt> {
        crate::statefile::write(&state_path(self.s), state)
            .map_err(|m| Halt::Failed(format!("the DR state cannot be saved: {m}")))
    }

    /// Journals a step's end and tells the person; returns its report.
    fn record(&self, rb: &mut Runbook<'_>, rep: StepReport) -> StepReport {
        let rep = self.journal(rb, rep);
        self.out.note(&format!("{}: {}", rep.step, rep.message));
        rep
    }

    /// Journals a step's end (a stopped step: the report's message says it once).
    fn journal(&self, rb: &mut Runbook<'_>, rep: StepReport) -> StepReport {
        let _ = rb.record(Body::Step {
            step: rep.step.clone(),
            outcome: rep.outcome,
            message: rep.message.clone(),
        });
        rep
    }
}

fn resource(dr: &Dr) -> String {
    format!(
        "route53:{}/{}/{}",
        dr.dns.zone_id, dr.dns.record, dr.dns.record_type
    )
}

fn terraform_runner(s: &Settings, dr: &Dr) -> Result<Option<Runner>> {
    let Some(tf) = &dr.terraform else {
        return Ok(None);
    };
    let stamp = s.clock.rfc3339().replace([':', '.'], "-");
    let log = s
        .journal
        .with_file_name(format!("dr-terraform-{stamp}.log"));
    terraform::runner(tf, log, &s.env).map(Some).map_err(|m| Error::Usage {
        message: m,
        hint: Some(format!(
            "check dr.terraform in {}, or pass --skip-terraform for an environment built out of band",
            s.topology.file.display()
        )),
    })
}

/// Takes the lock of the record set before the reads; busy is a refusal.
async fn begin<'a>(
    s: &'a Settings,
    out: &'a Output,
    dr: &Dr,
    command: &'static str,
    reason: Option<String>,
    lock_timeout: Duration,
    dry_run: bool,
) -> Result<Runbook<'a>, (Outcome, String)> {
    let begin = Begin {
        command,
        reason,
        resources: vec![resource(dr)],
        lock_timeout,
    };
    Runbook::begin(s, out, begin, dry_run)
        .await
        .map_err(|e| match e {
            NotBegun::Busy(m) => (Outcome::Refused, m),
            NotBegun::Failed(m) => (Outcome::Failed, m),
        })
}

fn finish(out: &Output, report: &DrRunReport, facts: ExitFacts) -> Result<ExitStatus> {
    render::dr::print_run(out, report)?;
    Ok(report.outcome.exit_status(ExitFacts {
        gates_pass: true,
        ..facts
    }))
}

/// The outcome and message of a halted step.
fn halted(rb: &Runbook<'_>, step: &str, halt: Halt, stays: &str) -> (Outcome, StepOutcome, String) {
    let command = rb.command();
    match halt {
        Halt::Gate(m) => (
            Outcome::Refused,
            StepOutcome::Refused,
            format!("{step} refused: {m}; nothing more was changed"),
        ),
        Halt::Concurrent(m) => (Outcome::ConcurrentChange, StepOutcome::Refused, m),
        Halt::Interrupted => {
            let sig = rb.interrupt.signal().map_or("a signal", |s| s.name());
            (
                Outcome::Interrupted,
                StepOutcome::Interrupted,
                format!("{step} interrupted by {sig}; {stays}; run {command} again to resume"),
            )
        }
        Halt::Failed(m) | Halt::Lease(m) => (
            Outcome::Failed,
            StepOutcome::Failed,
            format!("{step} failed: {m}; {stays}; run {command} again to resume from this step"),
        ),
    }
}

// ------------------------------------------------------------------ dr provision

pub fn provision(
    s: &Settings,
    args: &DrProvisionArgs,
    out: &Output,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitStatus> {
    let dr = dr_section(&s.topology)?;
    let runner = if args.skip_terraform {
        None
    } else {
        terraform_runner(s, dr)?
    };
    if !args.skip_terraform && runner.is_none() {
        return Err(Error::Usage {
            message: "dr provision needs dr.terraform (or --skip-terraform)".into(),
            hint: Some("set dr.terraform.dir to the DR stack's Terraform directory".into()),
        });
    }
    let (report, facts) = rt.block_on(async {
        let ctx = AwsContext::load(&s.aws).await?;
        let d = DrRun {
            s,
            ctx: &ctx,
            dr,
            out,
            command: "dr provision",
            resource: resource(dr),
        };
        let mut rb = match begin(
            s,
            out,
            dr,
            d.command,
            args.reason.clone(),
            args.lock_timeout,
            args.dry_run,
        )
        .await
        {
            Ok(rb) => rb,
            Err((o, m)) => {
                return Ok::<_, Error>((
                    d.report(args.dry_run, o, m, LiveStage::Unchanged, vec![]),
                    ExitFacts::default(),
                ));
            }
        };
        let report = provision_run(&d, &mut rb, args, runner.as_ref()).await?;
        Ok((report, rb.finish().await))
    })?;
    finish(out, &report, facts)
}

/// The provision plan shown to the user: each step with what resume does with it.
fn provision_plan(
    d: &DrRun<'_>,
    plan_steps: &[(ProvisionStep, Resume)],
    runner: Option<&Runner>,
) -> Vec<StepReport> {
    let dr = d.dr;
    plan_steps
        .iter()
        .map(|&(step, resume)| {
            let what = match step {
                ProvisionStep::Building => format!(
                    "Route 53 -> {}",
                    plan::format_stage(stage(dr, StageName::Building))
                ),
                ProvisionStep::Terraform => match runner {
                    Some(r) => r.describe_apply(),
                    None => "skipped (--skip-terraform)".into(),
                },
                ProvisionStep::Ready => match &dr.ready {
                    Some(r) => format!(
                        "wait for {} healthy target(s) in {} (up to {})",
                        r.min_healthy_targets,
                        r.target_group_arn.elb_name(),
                        crate::duration::format(r.timeout)
                    ),
                    None => "no dr.ready: nothing to wait for".into(),
                },
                ProvisionStep::Recovered => format!(
                    "Route 53 -> {}",
                    plan::format_stage(stage(dr, StageName::Recovered))
                ),
            };
            let (outcome, why) = match resume {
                Resume::Run => (StepOutcome::Planned, String::new()),
                Resume::DoneEarlier => (StepOutcome::DoneEarlier, String::new()),
                Resume::Live => (
                    StepOutcome::Skipped,
                    " (the live records already show it)".into(),
                ),
                Resume::Superseded => (
                    StepOutcome::Skipped,
                    " (a later stage is already live)".into(),
                ),
            };
            StepReport::new(step.as_str(), outcome, format!("{what}{why}"))
        })
        .collect()
}

async fn provision_run(
    d: &DrRun<'_>,
    rb: &mut Runbook<'_>,
    args: &DrProvisionArgs,
    runner: Option<&Runner>,
) -> Result<DrRunReport> {
    let (records, _) = read_records(d.ctx, d.dr).await?;
    check_records(d.dr, &records)?;
    let live = plan::live_stage(&d.dr.stages, &records);
    let current = LiveStage::of(live);
    let mut state = load_state(d.s)?;
    let recovered = stage(d.dr, StageName::Recovered);
    if state.finished && live == Some(StageName::Recovered) {
        let m = format!(
            "nothing to do: Route 53 is already in stage recovered ({})",
            plan::format_stage(recovered)
        );
        return Ok(d.report(args.dry_run, Outcome::NoOp, m, current, vec![]));
    }
    if state.finished {
        state = ProvisionState::default();
    }
    let plan_steps = plan::resume(live, &state.done);
    let mut planned = provision_plan(d, &plan_steps, runner);
    if args.dry_run {
        if let Some(r) = runner {
            out_terraform_plan(d.out, r, &mut planned[1]).await;
        }
        let m = format!(
            "dry run: Route 53 is in stage {}; nothing was changed",
            current.as_str()
        );
        return Ok(d.report(true, Outcome::Planned, m, current, planned));
    }
    rb.show_plan(
        &render::dr::plan_text(d.command, current.as_str(), &planned),
        !args.yes,
    );
    if !rb.confirm(args.yes, "DNS").await? {
        let (o, m) = not_confirmed(rb);
        return Ok(d.report(false, o, m, current, planned));
    }
    if let Err(m) = rb.open_journal() {
        return Ok(d.report(false, Outcome::Failed, m, current, planned));
    }
    state.started.get_or_insert_with(|| d.s.clock.rfc3339());
    let mut done = Vec::new();
    let mut seen = live;
    for (step, resume) in plan_steps {
        let result = provision_step(d, rb, args, runner, step, resume, &mut seen).await;
        let rep = match result {
            Ok(rep) => rep,
            Err(halt) => {
                let stays = if seen == Some(StageName::Building) {
                    "traffic stays on stage building (the always-on stack keeps serving)"
                } else {
                    "traffic is unchanged"
                };
                let (outcome, step_outcome, message) = halted(rb, step.as_str(), halt, stays);
                state.last_error = Some(message.clone());
                let saved = d.save(&state).err();
                done.push(d.journal(
                    rb,
                    StepReport::new(step.as_str(), step_outcome, message.clone()),
                ));
                let message = match saved {
                    Some(Halt::Failed(e)) => format!("{message}; {e}"),
                    _ => message,
                };
                let outcome = if outcome == Outcome::Refused && !done.is_empty() && seen != live {
                    Outcome::Stopped
                } else {
                    outcome
                };
                return Ok(d.report(
                    false,
                    outcome,
                    message,
                    LiveStage::of(seen).or_unchanged(live),
                    done,
                ));
            }
        };
        if !state.done.contains(&step) {
            state.done.push(step);
        }
        state.last_error = None;
        if let Err(Halt::Failed(m)) = d.save(&state) {
            done.push(d.record(rb, rep));
            return Ok(d.report(false, Outcome::Failed, m, LiveStage::of(seen), done));
        }
        done.push(d.record(rb, rep));
    }
    state.finished = true;
    if let Err(Halt::Failed(m)) = d.save(&state) {
        return Ok(d.report(false, Outcome::Failed, m, LiveStage::Recovered, done));
    }
    let m = format!(
        "DR provisioned: Route 53 in stage recovered ({})",
        plan::format_stage(recovered)
    );
    Ok(d.report(false, Outcome::Applied, m, LiveStage::Recovered, done))
}

impl LiveStage {
    /// The stage a stopped run reports: where it left the records, or `unchanged`.
    fn or_unchanged(self, started: Option<StageName>) -> LiveStage {
        if LiveStage::of(started) == self {
            LiveStage::Unchanged
        } else {
            self
        }
    }
}

/// One provision step; `seen` tracks the stage the records carry as this run knows it.
async fn provision_step(
    d: &DrRun<'_>,
    rb: &mut Runbook<'_>,
    args: &DrProvisionArgs,
    runner: Option<&Runner>,
    step: ProvisionStep,
    resume: Resume,
    seen: &mut Option<StageName>,
) -> Result<StepReport, Halt> {
    let name = step.as_str();
    if rb.interrupt.is_set() {
        return Err(Halt::Interrupted);
    }
    match (step, resume) {
        (_, Resume::Live) => Ok(StepReport::new(
            name,
            StepOutcome::Skipped,
            format!("Route 53 already in stage {name}"),
        )),
        (_, Resume::Superseded) => Ok(StepReport::new(
            name,
            StepOutcome::Skipped,
            "a later stage is already live: not rewritten",
        )),
        (ProvisionStep::Terraform, Resume::DoneEarlier) => Ok(StepReport::new(
            name,
            StepOutcome::Skipped,
            "applied in an earlier run",
        )),
        (ProvisionStep::Terraform, _) => match runner {
            None => Ok(StepReport::new(
                name,
                StepOutcome::Skipped,
                "--skip-terraform",
            )),
            Some(r) => {
                let mut w = TerraformWrite::new(r, d.out, false);
                rb.step(&mut w, Duration::ZERO).await?;
                Ok(w.report
                    .take()
                    .unwrap_or_else(|| StepReport::new(name, StepOutcome::Done, "terraform apply")))
            }
        },
        (ProvisionStep::Ready, _) => {
            steps::wait_ready(d, rb, stage(d.dr, StageName::Recovered)).await
        }
        (ProvisionStep::Building | ProvisionStep::Recovered, _) => {
            let target = if step == ProvisionStep::Building {
                StageName::Building
            } else {
                StageName::Recovered
            };
            let mut w = DnsWrite::new(d, stage(d.dr, target), *seen, args.force);
            rb.step(&mut w, Duration::ZERO).await?;
            *seen = Some(target);
            Ok(w.report())
        }
    }
}

async fn out_terraform_plan(out: &Output, r: &Runner, step: &mut StepReport) {
    out.note("running terraform plan -json (changes nothing)");
    let text = match r.init().await {
        Err(e) => e,
        Ok(()) => match r.plan().await {
            Ok(o) if o.success => format!(
                "terraform plan: {} resource change(s){}",
                o.planned,
                o.summary.map(|s| format!(" ({s})")).unwrap_or_default()
            ),
            Ok(o) => r.failure("plan", &o),
            Err(e) => e,
        },
    };
    step.message.push_str(&format!("; {text}"));
}

fn not_confirmed(rb: &Runbook<'_>) -> (Outcome, String) {
    match rb.interrupt.signal() {
        Some(sig) => (
            Outcome::Interrupted,
            format!(
                "interrupted by {} at the prompt: nothing was changed",
                sig.name()
            ),
        ),
        None => (
            Outcome::Refused,
            "not confirmed: nothing was changed".into(),
        ),
    }
}

// ------------------------------------------------------------------ dr failback

pub fn failback(
    s: &Settings,
    args: &DrFailbackArgs,
    out: &Output,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitStatus> {
    let dr = dr_section(&s.topology)?;
    let runner = if args.destroy {
        terraform_runner(s, dr)?
    } else {
        None
    };
    if args.destroy && runner.is_none() {
        return Err(Error::usage("--destroy needs dr.terraform"));
    }
    let (report, facts) = rt.block_on(async {
        let ctx = AwsContext::load(&s.aws).await?;
        let d = DrRun {
            s,
            ctx: &ctx,
            dr,
            out,
            command: "dr failback",
            resource: resource(dr),
        };
        let mut rb = match begin(
            s,
            out,
            dr,
            d.command,
            args.reason.clone(),
            args.lock_timeout,
            args.dry_run,
        )
        .await
        {
            Ok(rb) => rb,
            Err((o, m)) => {
                return Ok::<_, Error>((
                    d.report(args.dry_run, o, m, LiveStage::Unchanged, vec![]),
                    ExitFacts::default(),
                ));
            }
        };
        let report = failback_run(&d, &mut rb, args, runner.as_ref()).await?;
        Ok((report, rb.finish().await))
    })?;
    finish(out, &report, facts)
}

async fn failback_run(
    d: &DrRun<'_>,
    rb: &mut Runbook<'_>,
    args: &DrFailbackArgs,
    runner: Option<&Runner>,
) -> Result<DrRunReport> {
    let (records, health) = read_records(d.ctx, d.dr).await?;
    check_records(d.dr, &records)?;
    let normal = stage(d.dr, StageName::Normal);
    let live = plan::live_stage(&d.dr.stages, &records);
    let current = LiveStage::of(live);
    let prod = plan::main_record(normal).unwrap_or("prod").to_string();
    let (gate_ok, gate) = steps::primary_gate(&health, &prod, args.force);
    let mut planned = vec![
        gate,
        StepReport::new(
            "normal",
            StepOutcome::Planned,
            format!("Route 53 -> {}", plan::format_stage(normal)),
        ),
    ];
    if let Some(r) = runner {
        planned.push(StepReport::new(
            "destroy",
            StepOutcome::Planned,
            r.describe_destroy(),
        ));
    }
    let may = gate_ok || args.force;
    if args.dry_run {
        let o = if may {
            Outcome::Planned
        } else {
            Outcome::Refused
        };
        let m = format!(
            "dry run: Route 53 is in stage {}; nothing was changed",
            current.as_str()
        );
        return Ok(d.report(true, o, m, current, planned));
    }
    if !may {
        let m = format!(
            "refused: {}; nothing was changed (--force overrides)",
            planned[0].message
        );
        return Ok(d.report(false, Outcome::Refused, m, current, planned));
    }
    if live == Some(StageName::Normal) && runner.is_none() {
        let m = "nothing to do: Route 53 is already in stage normal".to_string();
        return Ok(d.report(false, Outcome::NoOp, m, current, planned));
    }
    rb.show_plan(
        &render::dr::plan_text(d.command, current.as_str(), &planned),
        !args.yes,
    );
    if !rb.confirm(args.yes, "DNS").await? {
        let (o, m) = not_confirmed(rb);
        return Ok(d.report(false, o, m, current, planned));
    }
    if let Err(m) = rb.open_journal() {
        return Ok(d.report(false, Outcome::Failed, m, current, planned));
    }
    let mut done = vec![planned.remove(0)];
    if live != Some(StageName::Normal) {
        let mut w = DnsWrite::new(d, normal, live, args.force);
        w.primary = Some(prod);
        if let Err(h) = rb.step(&mut w, Duration::ZERO).await {
            let (o, so, m) = halted(rb, "normal", h, "Route 53 is unchanged");
            done.push(d.journal(rb, StepReport::new("normal", so, m.clone())));
            return Ok(d.report(false, o, m, current, done));
        }
        done.push(d.record(rb, w.report()));
    } else {
        let m = "Route 53 already in stage normal";
        done.push(d.record(rb, StepReport::new("normal", StepOutcome::Skipped, m)));
    }
    if let Err(Halt::Failed(m)) = d.save(&ProvisionState::default()) {
        return Ok(d.report(false, Outcome::Failed, m, LiveStage::Normal, done));
    }
    if let Some(r) = runner {
        let mut w = TerraformWrite::new(r, d.out, true);
        if let Err(h) = rb.step(&mut w, Duration::ZERO).await {
            let (o, so, m) = halted(rb, "destroy", h, "Route 53 is back to normal");
            done.push(d.journal(rb, StepReport::new("destroy", so, m.clone())));
            let m = format!("Route 53 is back to normal, but {m}");
            return Ok(d.report(false, o, m, LiveStage::Normal, done));
        }
        let rep = w
            .report
            .take()
            .unwrap_or_else(|| StepReport::new("destroy", StepOutcome::Done, "terraform destroy"));
        done.push(d.record(rb, rep));
    }
    let m = format!(
        "DR failed back: Route 53 in stage normal ({})",
        plan::format_stage(normal)
    );
    Ok(d.report(false, Outcome::Applied, m, LiveStage::Normal, done))
}
