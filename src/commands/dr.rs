//! `hybridctl dr status | provision | failback`: the DR runbook (Route 53 weights by named
//! stage, Terraform for the DR stack, readiness) as one resumable command. Each step is
//! recorded in a state file next to the journal, so a run after a crash, Ctrl-C or a failed
//! apply resumes from the first step not done; a step already in its target state is skipped
//! without a write.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::control;
use crate::aws::route53::{self, WeightedRecord};
use crate::aws::{self, AwsContext, elbv2};
use crate::cli::{DrFailbackArgs, DrProvisionArgs, GlobalArgs};
use crate::error::{AwsError, Error, ExitStatus, Result};
use crate::journal::{self, Lock};
use crate::plan::dr::{self as plan, STEPS};
use crate::render::{self, Output};
use crate::terraform::{self, Runner};
use crate::topology::{Dr, Stage, Topology};

/// Route 53 propagates in about 60 s; give it five minutes.
const INSYNC_TIMEOUT: Duration = Duration::from_secs(300);

/// What a provision has done so far (`dr-state.json` next to the journal).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct State {
    pub started: Option<String>,
    pub done: Vec<String>,
    pub last_error: Option<String>,
    pub finished: bool,
}

fn state_path(journal: &Path) -> PathBuf {
    journal.with_file_name("dr-state.json")
}

fn load_state(path: &Path) -> State {
    std::fs::read(path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn save_state(path: &Path, s: &State) -> std::io::Result<()> {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(
        &tmp,
        serde_json::to_vec_pretty(s).map_err(std::io::Error::other)?,
    )?;
    std::fs::File::open(&tmp)?.sync_all()?;
    std::fs::rename(tmp, path)
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordView {
    pub set_identifier: String,
    pub weight: i64,
    pub health_check_id: Option<String>,
    /// None: no health check on the record.
    pub healthy: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct StatusReport {
    pub schema: &'static str,
    pub record: String,
    pub zone_id: String,
    /// A stage name from dr.weights, or `custom`.
    pub stage: String,
    pub records: Vec<RecordView>,
    pub ready: Option<ReadyView>,
    pub provision: State,
}

#[derive(Debug, Serialize)]
pub struct ReadyView {
    pub healthy: u32,
    pub total: u32,
    pub min_healthy_targets: u32,
}

#[derive(Debug, Serialize)]
pub struct StepReport {
    pub step: String,
    /// done, skipped (already there), failed, planned
    pub outcome: String,
    pub message: String,
}

#[derive(Debug, Serialize)]
pub struct RunReport {
    pub schema: &'static str,
    pub command: &'static str,
    pub dry_run: bool,
    /// applied, no-op, planned, refused, failed, interrupted
    pub outcome: String,
    pub message: String,
    pub stage: String,
    pub steps: Vec<StepReport>,
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

fn stage<'a>(dr: &'a Dr, name: &str) -> &'a Stage {
    dr.stages
        .iter()
        .find(|s| s.name == name)
        .expect("validated: normal, building and recovered exist")
}

/// Records and their health (one GetHealthCheckStatus per record with a check, at once).
async fn read_records(
    ctx: &AwsContext,
    dr: &Dr,
) -> Result<(Vec<WeightedRecord>, HashMap<String, bool>), AwsError> {
    let client = ctx.route53();
    let records = route53::weighted_records(
        &client,
        &dr.dns.zone_id,
        &dr.dns.record,
        &dr.dns.record_type,
    )
    .await?;
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
    let targets = elbv2::target_health(
        &ctx.in_region(&dr.region).elbv2(),
        &r.target_group_arn.to_string(),
    )
    .await?;
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

pub fn status(global: &GlobalArgs, out: &Output) -> Result<ExitStatus> {
    let topo = crate::topology::load(&global.config)?;
    let dr = dr_section(&topo)?;
    let journal_path = journal::path(topo.journal.as_deref());
    let rt = crate::runtime()?;
    let report = rt.block_on(async {
        let ctx = AwsContext::load(&aws::resolve(global, &topo.aws)).await?;
        let ((records, health), ready) =
            tokio::try_join!(read_records(&ctx, dr), ready_health(&ctx, dr))?;
        Ok::<_, Error>(StatusReport {
            schema: "hybridctl.dr-status/v1",
            record: dr.dns.record.clone(),
            zone_id: dr.dns.zone_id.clone(),
            stage: plan::stage_of(&dr.stages, &records)
                .map(|s| s.name.clone())
                .unwrap_or_else(|| "custom".into()),
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
            provision: load_state(&state_path(&journal_path)),
        })
    })?;
    render::dr::print_status(out, &report)?;
    let failed = report.provision.last_error.is_some() && !report.provision.finished;
    Ok(if report.stage == "custom" || failed {
        ExitStatus::No
    } else {
        ExitStatus::Success
    })
}

// ------------------------------------------------------------------ shared flow pieces

struct Ctx<'a> {
    ctx: &'a AwsContext,
    dr: &'a Dr,
    out: &'a Output,
    reason: Option<String>,
    command: &'static str,
    journal: PathBuf,
}

#[derive(Serialize)]
struct DrEntry<'a> {
    time: String,
    user: String,
    host: String,
    command: &'a str,
    reason: Option<&'a str>,
    step: &'a str,
    outcome: &'a str,
    message: &'a str,
}

impl Ctx<'_> {
    fn journal_step(&self, step: &str, outcome: &str, message: &str) {
        let (user, host) = journal::identity();
        let entry = DrEntry {
            time: render::now_rfc3339(),
            user,
            host,
            command: self.command,
            reason: self.reason.as_deref(),
            step,
            outcome,
            message,
        };
        if let Err(e) = journal::append(&self.journal, &entry) {
            tracing::error!("cannot write the journal {}: {e}", self.journal.display());
        }
    }

    /// Moves Route 53 to `target`: one batch, wait INSYNC, read back. Skips when already there.
    async fn move_to(&self, target: &Stage, force: bool) -> Result<StepReport, StepError> {
        let (records, health) = read_records(self.ctx, self.dr)
            .await
            .map_err(|e| e.to_string())?;
        if plan::matches(target, &records) {
            return Ok(StepReport {
                step: target.name.clone(),
                outcome: "skipped".into(),
                message: format!("Route 53 already in stage {}", target.name),
            });
        }
        if plan::all_weight_unhealthy(target, &health) && !force {
            return Err(StepError::Refused(format!(
                "stage {} would send all traffic to records whose health checks fail; --force to do it anyway",
                target.name
            )));
        }
        let client = self.ctx.route53();
        let comment = format!("hybridctl {} -> {}", self.command, target.name);
        let change = route53::set_weights(
            &client,
            &self.dr.dns.zone_id,
            &records,
            &plan::weights_of(target),
            &comment,
        )
        .await
        .map_err(|e| e.to_string())?;
        self.out.note(&format!(
            "{}: Route 53 change {change} submitted; waiting for INSYNC",
            target.name
        ));
        if !route53::wait_insync(&client, &change, INSYNC_TIMEOUT)
            .await
            .map_err(|e| e.to_string())?
        {
            return Err(format!(
                "Route 53 change {change} was not INSYNC after {}",
                crate::duration::format(INSYNC_TIMEOUT)
            )
            .into());
        }
        let (after, _) = read_records(self.ctx, self.dr)
            .await
            .map_err(|e| e.to_string())?;
        if !plan::matches(target, &after) {
            return Err(format!("Route 53 does not read back stage {}", target.name).into());
        }
        Ok(StepReport {
            step: target.name.clone(),
            outcome: "done".into(),
            message: format!(
                "Route 53 in stage {}: {}",
                target.name,
                plan::format_stage(target)
            ),
        })
    }
}

/// Why a step did not complete: a gate said no (exit 1), or something failed (exit 3).
enum StepError {
    Refused(String),
    Failed(String),
}

impl From<String> for StepError {
    fn from(m: String) -> Self {
        StepError::Failed(m)
    }
}

fn terraform_runner(topo: &Topology, dr: &Dr, journal: &Path) -> Result<Option<Runner>> {
    let Some(tf) = &dr.terraform else {
        return Ok(None);
    };
    let stamp = render::now_rfc3339().replace([':', '.'], "-");
    let log = journal.with_file_name(format!("dr-terraform-{stamp}.log"));
    terraform::runner(tf, log).map(Some).map_err(|m| Error::Usage {
        message: m,
        hint: Some(format!("check dr.terraform in {}, or pass --skip-terraform for an environment built out of band", topo.file.display())),
    })
}

fn finish(out: &Output, report: &RunReport) -> Result<ExitStatus> {
    render::dr::print_run(out, report)?;
    Ok(match report.outcome.as_str() {
        "applied" | "no-op" | "planned" => ExitStatus::Success,
        "refused" => ExitStatus::No,
        "interrupted" => ExitStatus::Interrupted,
        _ => ExitStatus::Failure,
    })
}

// ------------------------------------------------------------------ dr provision

pub fn provision(global: &GlobalArgs, args: &DrProvisionArgs, out: &Output) -> Result<ExitStatus> {
    let topo = crate::topology::load(&global.config)?;
    let dr = dr_section(&topo)?;
    let journal_path = journal::path(topo.journal.as_deref());
    let runner = if args.skip_terraform {
        None
    } else {
        terraform_runner(&topo, dr, &journal_path)?
    };
    if !args.skip_terraform && runner.is_none() {
        return Err(Error::Usage {
            message: "dr provision needs dr.terraform (or --skip-terraform)".into(),
            hint: Some("set dr.terraform.dir to the DR stack's Terraform directory".into()),
        });
    }
    let state_file = state_path(&journal_path);
    let rt = crate::runtime()?;
    let report = rt.block_on(async {
        let ctx = AwsContext::load(&aws::resolve(global, &topo.aws)).await?;
        let (records, _) = read_records(&ctx, dr).await?;
        check_records(dr, &records)?;
        let (building, recovered) = (stage(dr, "building"), stage(dr, "recovered"));
        let mut state = load_state(&state_file);
        let current = plan::stage_of(&dr.stages, &records).map(|s| s.name.clone()).unwrap_or_else(|| "custom".into());
        if state.finished && current == "recovered" {
            return Ok::<RunReport, Error>(run_report("dr provision", args.dry_run, "no-op", format!("nothing to do: Route 53 is already in stage recovered ({})", plan::format_stage(recovered)), current, vec![]));
        }
        if state.finished {
            state = State::default();
        }
        // The plan.
        let mut planned = Vec::new();
        for step in STEPS {
            let msg = match step {
                "building" => format!("Route 53 -> {}", plan::format_stage(building)),
                "terraform" => match &runner {
                    Some(r) => format!("{} init; {} apply -auto-approve -input=false -json {} (in {})", r.binary.display(), r.binary.display(), r.vars.iter().map(|(k, v)| format!("-var={k}={v}")).collect::<Vec<_>>().join(" "), r.dir.display()),
                    None => "skipped (--skip-terraform)".into(),
                },
                "ready" => match &dr.ready {
                    Some(r) => format!("wait for {} healthy target(s) in {} (up to {})", r.min_healthy_targets, r.target_group_arn.elb_name(), crate::duration::format(r.timeout)),
                    None => "no dr.ready: nothing to wait for".into(),
                },
                _ => format!("Route 53 -> {}", plan::format_stage(recovered)),
            };
            let already = state.done.iter().any(|d| d == step);
            planned.push(StepReport { step: step.into(), outcome: if already { "done earlier".into() } else { "planned".into() }, message: msg });
        }
        if args.dry_run {
            if let Some(r) = &runner {
                out.note("running terraform plan -json (changes nothing)");
                match r.init().await.and(Ok(())) {
                    Ok(()) => match r.plan().await {
                        Ok(o) if o.success => planned[1].message.push_str(&format!("; terraform plan: {} resource change(s){}", o.planned, o.summary.map(|s| format!(" ({s})")).unwrap_or_default())),
                        Ok(o) => planned[1].message.push_str(&format!("; {}", r.failure("plan", &o))),
                        Err(e) => planned[1].message.push_str(&format!("; {e}")),
                    },
                    Err(e) => planned[1].message.push_str(&format!("; {e}")),
                }
            }
            return Ok(run_report("dr provision", true, "planned", format!("dry run: Route 53 is in stage {current}; nothing was changed"), current, planned));
        }
        if !out.is_json() && !out.quiet {
            eprint!("{}", render::dr::plan_text("dr provision", &current, &planned));
        }
        if !control::confirm(args.yes, "DNS")? {
            return Ok(run_report("dr provision", false, "refused", "not confirmed: nothing was changed".into(), current, planned));
        }
        let _lock = Lock::acquire(&journal_path, Duration::from_secs(30)).await.map_err(|m| Error::Usage { message: m, hint: None })?;
        if state.started.is_none() {
            state.started = Some(render::now_rfc3339());
        }
        let c = Ctx { ctx: &ctx, dr, out, reason: args.reason.clone(), command: "dr provision", journal: journal_path.clone() };
        let interrupted = control::Interrupt::install();
        let mut steps = Vec::new();
        for step in STEPS {
            if interrupted.is_set() {
                return Ok(stop(&c, &state_file, &mut state, step, "interrupted", "interrupted by Ctrl-C; run dr provision again to resume".into(), steps, "interrupted"));
            }
            let done_before = state.done.iter().any(|d| d == step);
            let result: std::result::Result<StepReport, StepError> = match step {
                "building" => c.move_to(building, args.force).await,
                "terraform" if done_before => Ok(StepReport { step: step.into(), outcome: "skipped".into(), message: "applied in an earlier run".into() }),
                "terraform" => match &runner {
                    None => Ok(StepReport { step: step.into(), outcome: "skipped".into(), message: "--skip-terraform".into() }),
                    Some(r) => apply(r, out).await.map_err(StepError::from),
                },
                "ready" => wait_ready(&ctx, dr, recovered, out).await.map_err(StepError::from),
                _ => c.move_to(recovered, args.force).await,
            };
            match result {
                Ok(rep) => {
                    if !done_before {
                        state.done.push(step.to_string());
                    }
                    state.last_error = None;
                    save_state(&state_file, &state).ok();
                    c.journal_step(step, &rep.outcome, &rep.message);
                    out.note(&format!("{step}: {}", rep.message));
                    steps.push(rep);
                }
                Err(StepError::Refused(message)) => {
                    let message = format!("{step} refused: {message}; nothing more was changed");
                    return Ok(stop(&c, &state_file, &mut state, step, "refused", message, steps, "refused"));
                }
                Err(StepError::Failed(message)) => {
                    let outcome = if interrupted.is_set() { "interrupted" } else { "failed" };
                    let stays = if step == "building" { "traffic is unchanged" } else { "traffic stays on stage building (the always-on stack keeps serving)" };
                    let message = format!("{step} {outcome}: {message}; {stays}; run dr provision again to resume from this step");
                    return Ok(stop(&c, &state_file, &mut state, step, outcome, message, steps, outcome));
                }
            }
        }
        state.finished = true;
        save_state(&state_file, &state).ok();
        Ok(run_report("dr provision", false, "applied", format!("DR provisioned: Route 53 in stage recovered ({})", plan::format_stage(recovered)), "recovered".into(), steps))
    })?;
    finish(out, &report)
}

#[allow(clippy::too_many_arguments)]
fn stop(
    c: &Ctx<'_>,
    state_file: &Path,
    state: &mut State,
    step: &str,
    outcome: &str,
    message: String,
    mut steps: Vec<StepReport>,
    run_outcome: &str,
) -> RunReport {
    state.last_error = Some(message.clone());
    save_state(state_file, state).ok();
    c.journal_step(step, outcome, &message);
    steps.push(StepReport {
        step: step.into(),
        outcome: outcome.into(),
        message: message.clone(),
    });
    let stage = if state.done.iter().any(|d| d == "building") {
        "building"
    } else {
        "unchanged"
    };
    run_report(c.command, false, run_outcome, message, stage.into(), steps)
}

fn run_report(
    command: &'static str,
    dry_run: bool,
    outcome: &str,
    message: String,
    stage: String,
    steps: Vec<StepReport>,
) -> RunReport {
    RunReport {
        schema: "hybridctl.dr-run/v1",
        command,
        dry_run,
        outcome: outcome.into(),
        message,
        stage,
        steps,
    }
}

async fn apply(r: &Runner, out: &Output) -> std::result::Result<StepReport, String> {
    r.init().await?;
    let progress = render::dr::TerraformProgress::new(out, "apply");
    let outcome = r
        .apply(&|done, planned, addr| progress.update(done, planned, addr))
        .await?;
    progress.finish();
    if !outcome.success {
        return Err(r.failure("apply", &outcome));
    }
    Ok(StepReport {
        step: "terraform".into(),
        outcome: "done".into(),
        message: format!(
            "terraform apply: {}/{} resource(s){}",
            outcome.done,
            outcome.planned,
            outcome
                .summary
                .map(|s| format!(" ({s})"))
                .unwrap_or_default()
        ),
    })
}

/// Waits for the DR ready target group (and the recovered stage's main record's health check).
async fn wait_ready(
    ctx: &AwsContext,
    dr: &Dr,
    recovered: &Stage,
    out: &Output,
) -> std::result::Result<StepReport, String> {
    let Some(r) = &dr.ready else {
        return Ok(StepReport {
            step: "ready".into(),
            outcome: "skipped".into(),
            message: "no dr.ready configured".into(),
        });
    };
    let started = Instant::now();
    let poll = (r.timeout / 10).clamp(Duration::from_millis(500), Duration::from_secs(10));
    // The recovered stage's main record: its health check is polled with the target group.
    let route53 = ctx.route53();
    let main_check = match plan::main_record(recovered) {
        Some(main) => route53::weighted_records(
            &route53,
            &dr.dns.zone_id,
            &dr.dns.record,
            &dr.dns.record_type,
        )
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|rec| rec.set_identifier == main)
        .and_then(|rec| rec.health_check_id),
        None => None,
    };
    let mut last = String::new();
    loop {
        let ready = ready_health(ctx, dr)
            .await
            .map_err(|e| e.to_string())?
            .expect("dr.ready is set");
        let check_ok = match &main_check {
            Some(id) => route53::health_check_healthy(&route53, id)
                .await
                .map_err(|e| e.to_string())?,
            None => true,
        };
        let now = format!(
            "{}/{} healthy (need {}){}",
            ready.healthy,
            ready.total,
            r.min_healthy_targets,
            if check_ok {
                ""
            } else {
                "; the record's health check fails"
            }
        );
        if now != last {
            out.note(&format!("ready: {now}"));
            last = now.clone();
        }
        if ready.healthy >= r.min_healthy_targets && check_ok {
            return Ok(StepReport {
                step: "ready".into(),
                outcome: "done".into(),
                message: format!("DR target group ready: {now}"),
            });
        }
        if started.elapsed() >= r.timeout {
            return Err(format!(
                "not ready after {}: {now}",
                crate::duration::format(r.timeout)
            ));
        }
        tokio::time::sleep(
            poll.min(
                r.timeout
                    .saturating_sub(started.elapsed())
                    .max(Duration::from_millis(100)),
            ),
        )
        .await;
    }
}

// ------------------------------------------------------------------ dr failback

pub fn failback(global: &GlobalArgs, args: &DrFailbackArgs, out: &Output) -> Result<ExitStatus> {
    let topo = crate::topology::load(&global.config)?;
    let dr = dr_section(&topo)?;
    let journal_path = journal::path(topo.journal.as_deref());
    let runner = if args.destroy {
        terraform_runner(&topo, dr, &journal_path)?
    } else {
        None
    };
    if args.destroy && runner.is_none() {
        return Err(Error::usage("--destroy needs dr.terraform"));
    }
    let state_file = state_path(&journal_path);
    let rt = crate::runtime()?;
    let report = rt.block_on(async {
        let ctx = AwsContext::load(&aws::resolve(global, &topo.aws)).await?;
        let (records, health) = read_records(&ctx, dr).await?;
        check_records(dr, &records)?;
        let normal = stage(dr, "normal");
        let current = plan::stage_of(&dr.stages, &records)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| "custom".into());
        let prod = plan::main_record(normal).unwrap_or("prod").to_string();
        let gate_ok = health.get(&prod).copied().unwrap_or(true);
        let mut steps = vec![StepReport {
            step: "gate".into(),
            outcome: if gate_ok {
                "pass".into()
            } else if args.force {
                "forced".into()
            } else {
                "fail".into()
            },
            message: match health.get(&prod) {
                Some(true) => format!("{prod}'s health check passes"),
                Some(false) => {
                    format!("{prod}'s health check fails: the primary is not healthy yet")
                }
                None => format!("{prod} has no health check"),
            },
        }];
        steps.push(StepReport {
            step: "normal".into(),
            outcome: "planned".into(),
            message: format!("Route 53 -> {}", plan::format_stage(normal)),
        });
        if let Some(r) = &runner {
            steps.push(StepReport {
                step: "destroy".into(),
                outcome: "planned".into(),
                message: format!(
                    "{} destroy -auto-approve -input=false -json (in {})",
                    r.binary.display(),
                    r.dir.display()
                ),
            });
        }
        if args.dry_run {
            let outcome = if gate_ok || args.force {
                "planned"
            } else {
                "refused"
            };
            return Ok::<RunReport, Error>(run_report(
                "dr failback",
                true,
                outcome,
                format!("dry run: Route 53 is in stage {current}; nothing was changed"),
                current,
                steps,
            ));
        }
        if !gate_ok && !args.force {
            return Ok(run_report(
                "dr failback",
                false,
                "refused",
                format!(
                    "refused: {}; nothing was changed (--force overrides)",
                    steps[0].message
                ),
                current,
                steps,
            ));
        }
        if current == "normal" && runner.is_none() {
            return Ok(run_report(
                "dr failback",
                false,
                "no-op",
                "nothing to do: Route 53 is already in stage normal".into(),
                current,
                steps,
            ));
        }
        if !out.is_json() && !out.quiet {
            eprint!("{}", render::dr::plan_text("dr failback", &current, &steps));
        }
        if !control::confirm(args.yes, "DNS")? {
            return Ok(run_report(
                "dr failback",
                false,
                "refused",
                "not confirmed: nothing was changed".into(),
                current,
                steps,
            ));
        }
        let _lock = Lock::acquire(&journal_path, Duration::from_secs(30))
            .await
            .map_err(|m| Error::Usage {
                message: m,
                hint: None,
            })?;
        let c = Ctx {
            ctx: &ctx,
            dr,
            out,
            reason: args.reason.clone(),
            command: "dr failback",
            journal: journal_path.clone(),
        };
        let mut done = vec![steps.remove(0)];
        match c.move_to(normal, true).await {
            Ok(rep) => {
                c.journal_step("normal", &rep.outcome, &rep.message);
                done.push(rep);
            }
            Err(StepError::Refused(m) | StepError::Failed(m)) => {
                c.journal_step("normal", "failed", &m);
                return Ok(run_report(
                    "dr failback",
                    false,
                    "failed",
                    format!("moving Route 53 to normal failed: {m}"),
                    current,
                    done,
                ));
            }
        }
        save_state(&state_file, &State::default()).ok();
        if let Some(r) = &runner {
            let progress = render::dr::TerraformProgress::new(out, "destroy");
            let result = match r.init().await {
                Ok(()) => r.destroy(&|d, p, a| progress.update(d, p, a)).await,
                Err(e) => Err(e),
            };
            progress.finish();
            let rep = match result {
                Ok(o) if o.success => StepReport {
                    step: "destroy".into(),
                    outcome: "done".into(),
                    message: format!("terraform destroy: {} resource(s)", o.done),
                },
                Ok(o) => StepReport {
                    step: "destroy".into(),
                    outcome: "failed".into(),
                    message: r.failure("destroy", &o),
                },
                Err(e) => StepReport {
                    step: "destroy".into(),
                    outcome: "failed".into(),
                    message: e,
                },
            };
            c.journal_step("destroy", &rep.outcome, &rep.message);
            let failed = rep.outcome == "failed";
            let msg = rep.message.clone();
            done.push(rep);
            if failed {
                return Ok(run_report(
                    "dr failback",
                    false,
                    "failed",
                    format!("Route 53 is back to normal, but {msg}"),
                    "normal".into(),
                    done,
                ));
            }
        }
        Ok(run_report(
            "dr failback",
            false,
            "applied",
            format!(
                "DR failed back: Route 53 in stage normal ({})",
                plan::format_stage(normal)
            ),
            "normal".into(),
            done,
        ))
    })?;
    finish(out, &report)
}
