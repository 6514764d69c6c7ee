//! `dr provision`: Route 53 to `building`, Terraform apply, wait until ready, Route 53 to
//! `recovered`; resumed from the stage the live records show.

use super::steps::{self, DnsWrite, TerraformWrite};
use super::{
    DrRun, Start, checked_records, dr_section, execute, halted, load_state, stage, terraform_runner,
};
use crate::cli::DrProvisionArgs;
use crate::error::{Error, ExitStatus, Result};
use crate::plan::dr::{self as plan, ProvisionState, ProvisionStep, Resume, StageName};
use crate::render::Output;
use crate::report::{DrRunReport, LiveStage, Outcome, StepOutcome, StepReport};
use crate::runbook::{Halt, Runbook};
use crate::settings::Settings;
use crate::terraform::Runner;

pub fn provision(
    s: &Settings,
    args: &DrProvisionArgs,
    out: &Output,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitStatus> {
    let dr = dr_section(&s.topology)?;
    crate::runbook::check_no_lease(args.no_lease, args.reason.as_deref())?;
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
    let start = Start {
        command: "dr provision",
        reason: args.reason.clone(),
        lock_timeout: args.lock_timeout,
        insync_timeout: args.insync_timeout,
        dry_run: args.dry_run,
        no_lease: args.no_lease,
        actor: None,
        interrupt: None,
    };
    execute(s, out, rt, start, async |d, rb| {
        provision_run(d, rb, args, runner.as_ref(), false).await
    })
}

/// An automatic DR (`dr.auto`): the same provision, started by `watch` or `lambda`.
pub struct Auto {
    pub actor: &'static str,
    pub reason: String,
    /// The lambda: only Route 53 to `building` (it runs no Terraform and cannot wait).
    pub only_building: bool,
    pub interrupt: crate::signal::Interrupt,
}

/// Runs the provision for an automatic DR; the report, and the run id when one began.
/// Terraform's progress goes to `out`'s log lines.
pub async fn auto(s: &Settings, out: &Output, a: Auto) -> Result<(DrRunReport, Option<String>)> {
    let dr = dr_section(&s.topology)?;
    let skip = a.only_building || dr.auto.as_ref().is_some_and(|x| x.skip_terraform);
    let runner = if skip { None } else { terraform_runner(s, dr)? };
    let args = DrProvisionArgs {
        dry_run: false,
        yes: true,
        force: false,
        skip_terraform: runner.is_none(),
        reason: Some(a.reason.clone()),
        no_lease: false,
        lock_timeout: std::time::Duration::from_secs(30),
        insync_timeout: std::time::Duration::from_secs(300),
    };
    let start = Start {
        command: "dr provision",
        reason: args.reason.clone(),
        lock_timeout: args.lock_timeout,
        insync_timeout: args.insync_timeout,
        dry_run: false,
        no_lease: false,
        actor: Some(a.actor),
        interrupt: Some(a.interrupt),
    };
    let only = a.only_building;
    let (report, _, run) = super::run_async(s, out, start, async |d, rb| {
        provision_run(d, rb, &args, runner.as_ref(), only).await
    })
    .await?;
    Ok((report, run))
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
    only_building: bool,
) -> Result<DrRunReport> {
    let (records, health) = checked_records(d.ctx, d.dr).await?;
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
    let mut plan_steps = plan::resume(live, &state.done);
    if only_building {
        plan_steps.truncate(1);
    }
    let mut planned = provision_plan(d, &plan_steps, runner);
    if args.dry_run {
        if let Some(r) = runner {
            out_terraform_plan(d.out, r, &mut planned[1]).await;
        }
        // The gate the first DNS write will meet (the recovered stage's is judged after the
        // DR stack is built and ready, so not here).
        let building = stage(d.dr, StageName::Building);
        let gate_fails = plan_steps[0].1 == Resume::Run
            && !args.force
            && plan::all_weight_unhealthy(building, &super::verdicts(&health));
        let (outcome, m) = if gate_fails {
            planned[0].message.push_str(
                "; gate: FAIL, it would send all traffic to records whose health checks fail (--force overrides)",
            );
            (
                Outcome::Refused,
                "dry run: the building stage's gate refuses; nothing was changed".to_string(),
            )
        } else {
            (
                Outcome::Planned,
                format!(
                    "dry run: Route 53 is in stage {}; nothing was changed",
                    current.as_str()
                ),
            )
        };
        return Ok(d.report(true, outcome, m, current, planned));
    }
    if let Some(stopped) = d.confirm(rb, args.yes, current, &planned).await? {
        return Ok(stopped);
    }
    state.started.get_or_insert_with(|| d.s.clock.rfc3339());
    let mut report = run_steps(d, rb, args, runner, live, plan_steps, state, only_building).await?;
    if only_building && report.outcome == Outcome::Applied {
        report.message = "Route 53 in stage building; the DR stack must be built: run `hybridctl dr provision` where Terraform runs (lambda runs none)".into();
    }
    Ok(report)
}

/// Runs the planned steps, saving the state after each; stops at the first that halts.
#[allow(clippy::too_many_arguments)]
async fn run_steps(
    d: &DrRun<'_>,
    rb: &mut Runbook<'_>,
    args: &DrProvisionArgs,
    runner: Option<&Runner>,
    live: Option<StageName>,
    plan_steps: Vec<(ProvisionStep, Resume)>,
    mut state: ProvisionState,
    only_building: bool,
) -> Result<DrRunReport> {
    let recovered = stage(d.dr, StageName::Recovered);
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
                return Ok(d.report(
                    false,
                    outcome,
                    message,
                    LiveStage::of(seen).or_unchanged(live),
                    done,
                ));
            }
        };
        // Terraform skipped with --skip-terraform was not applied: a later run without the
        // flag must still apply it.
        let skipped_terraform = step == ProvisionStep::Terraform && runner.is_none();
        if !state.done.contains(&step) && !skipped_terraform {
            state.done.push(step);
        }
        state.last_error = None;
        if let Err(Halt::Failed(m)) = d.save(&state) {
            done.push(d.record(rb, rep));
            return Ok(d.report(false, Outcome::Failed, m, LiveStage::of(seen), done));
        }
        done.push(d.record(rb, rep));
    }
    if only_building {
        return Ok(d.report(
            false,
            Outcome::Applied,
            String::new(),
            LiveStage::of(seen),
            done,
        ));
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
                let mut w = TerraformWrite::new(r, d.out, false, rb.interrupt.clone());
                rb.step(&mut w).await?;
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
            rb.step(&mut w).await?;
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
