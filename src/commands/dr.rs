//! `hybridctl dr status | provision | failback`: the DR runbook (Route 53 weights by named
//! stage, Terraform for the DR stack, readiness) through the one change runbook. A provision
//! resumes from the stage the live records show; the state file (`dr-state.json` beside the
//! journal, written atomically) only says which Terraform apply already ran.

mod approval;
mod failback;
mod provision;
mod steps;

pub use approval::{answer, pending};
pub use failback::failback;
pub use provision::{Auto, auto, provision};

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::aws::route53::{self, Checkers, WeightedRecord};
use crate::aws::{AwsContext, elbv2};
use crate::error::{AwsError, Error, ExitStatus, Result};
use crate::journal::Body;
use crate::notify::{self, Event};
use crate::plan::dr::{self as plan, ProvisionState, StageName};
use crate::render::{self, Output};
use crate::report::{
    DR_RUN_SCHEMA, DR_STATUS_SCHEMA, DrRunReport, DrStatusReport, ExitFacts, LiveStage, Outcome,
    ReadyView, RecordView, StepOutcome, StepReport,
};
use crate::runbook::{Begin, Halt, Runbook};
use crate::settings::Settings;
use crate::terraform::{self, Runner};
use crate::topology::{Dr, Stage, Topology};

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

/// Route 53's verdict per set identifier (for the pure DR plan).
fn verdicts(health: &HashMap<String, Checkers>) -> HashMap<String, bool> {
    health
        .iter()
        .map(|(k, c)| (k.clone(), c.healthy()))
        .collect()
}

/// Records and their health (one GetHealthCheckStatus per record with a check, at once).
pub(crate) async fn read_records(
    ctx: &AwsContext,
    dr: &Dr,
) -> Result<(Vec<WeightedRecord>, HashMap<String, Checkers>), AwsError> {
    let client = ctx.route53();
    let dns = &dr.dns;
    let records =
        route53::weighted_records(&client, &dns.zone_id, &dns.record, &dns.record_type).await?;
    let checks = futures::future::try_join_all(records.iter().filter_map(|r| {
        let id = r.health_check_id.clone()?;
        let name = r.set_identifier.clone()?;
        let client = &client;
        Some(async move {
            route53::health_check_status(client, &id)
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

/// The records of the configured name and type, checked against the stages; when there are
/// none of that type, an error that says which types the name does have.
async fn checked_records(
    ctx: &AwsContext,
    dr: &Dr,
) -> Result<(Vec<WeightedRecord>, HashMap<String, Checkers>)> {
    let (records, health) = read_records(ctx, dr).await?;
    if records.is_empty() {
        let dns = &dr.dns;
        let types = route53::record_types(&ctx.route53(), &dns.zone_id, &dns.record).await?;
        let (message, hint) = if types.is_empty() {
            (
                format!(
                    "zone {} has no weighted records named {}",
                    dns.zone_id, dns.record
                ),
                "check dr.dns.zone_id and dr.dns.record (the name ends with a dot)".to_string(),
            )
        } else {
            (
                format!(
                    "zone {} has no {} records named {}; it has weighted {} records for that name",
                    dns.zone_id,
                    dns.record_type,
                    dns.record,
                    types.join(", ")
                ),
                format!(
                    "set dr.dns.type to the type of the weighted records ({})",
                    types.join(" or ")
                ),
            )
        };
        return Err(Error::Usage {
            message,
            hint: Some(hint),
        });
    }
    check_records(dr, &records)?;
    Ok((records, health))
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
        let ((records, health), ready) = tokio::try_join!(checked_records(&ctx, dr), async {
            ready_health(&ctx, dr).await.map_err(Error::from)
        })?;
        let checkers = |r: &WeightedRecord| {
            r.set_identifier
                .as_ref()
                .and_then(|id| health.get(id).copied())
        };
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
                    healthy: checkers(r).map(Checkers::healthy),
                    checkers: checkers(r).map(Checkers::describe),
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
pub(super) struct DrRun<'a> {
    s: &'a Settings,
    ctx: &'a AwsContext,
    dr: &'a Dr,
    out: &'a Output,
    command: &'static str,
    /// The lock and journal resource: the record set.
    resource: String,
    /// How long each Route 53 change may stay PENDING (--insync-timeout).
    insync_timeout: Duration,
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
            interrupted_by: None,
        }
    }

    fn save(&self, state: &ProvisionState) -> Result<(), Halt> {
        crate::statefile::write(&state_path(self.s), state)
            .map_err(|m| Halt::Failed(format!("the DR state cannot be saved: {m}")))
    }

    /// Shows the plan, asks (or needs --yes) and opens the journal: the report to end with
    /// when any of them says no, else None.
    async fn confirm(
        &self,
        rb: &mut Runbook<'_>,
        yes: bool,
        current: LiveStage,
        planned: &[StepReport],
    ) -> Result<Option<DrRunReport>> {
        rb.show_plan(
            &render::dr::plan_text(self.command, current.as_str(), planned),
            !yes,
        );
        if !rb.confirm(yes, "DNS").await? {
            let (o, m) = not_confirmed(rb);
            return Ok(Some(self.report(false, o, m, current, planned.to_vec())));
        }
        if let Err(m) = rb.open_journal() {
            return Ok(Some(self.report(
                false,
                Outcome::Failed,
                m,
                current,
                planned.to_vec(),
            )));
        }
        Ok(None)
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
            interrupted_by: rb.interrupt.signal().map(|s| s.name().to_string()),
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

/// What every DR change starts with.
struct Start {
    command: &'static str,
    reason: Option<String>,
    lock_timeout: Duration,
    insync_timeout: Duration,
    dry_run: bool,
    no_lease: bool,
    /// `watch` or `lambda` (automatic DR); None: the person at the terminal.
    actor: Option<&'static str>,
    /// The caller's signals (the watcher's); None: caught by the runbook.
    interrupt: Option<crate::signal::Interrupt>,
}

/// Loads AWS, takes the record set's lock before any read (busy is a refusal), runs `body`,
/// releases, prints the report and maps it to an exit code.
fn execute(
    s: &Settings,
    out: &Output,
    rt: &tokio::runtime::Runtime,
    start: Start,
    body: impl AsyncFnOnce(&DrRun<'_>, &mut Runbook<'_>) -> Result<DrRunReport>,
) -> Result<ExitStatus> {
    let reason = start.reason.clone();
    let (report, facts, run) = rt.block_on(run_async(s, out, start, body))?;
    let printed = render::dr::print_run(out, &report);
    // After the outcome is known and shown; a notification never changes the exit code.
    let event = Event::from_dr(&report, reason, &s.identity.who(), &s.clock.rfc3339());
    notify::after_run(s, out, rt, report.command, run.as_deref(), event);
    printed?;
    Ok(report.outcome.exit_status(ExitFacts {
        gates_pass: true,
        ..facts
    }))
}

/// `execute` without the printing and the notification: the report, the exit facts and the
/// run id (the watcher's automatic DR prints and notifies its own way).
async fn run_async(
    s: &Settings,
    out: &Output,
    start: Start,
    body: impl AsyncFnOnce(&DrRun<'_>, &mut Runbook<'_>) -> Result<DrRunReport>,
) -> Result<(DrRunReport, ExitFacts, Option<String>)> {
    let dr = dr_section(&s.topology)?;
    let mut run = None;
    let (report, facts) = async {
        let ctx = AwsContext::load(&s.aws).await?;
        let d = DrRun {
            s,
            ctx: &ctx,
            dr,
            out,
            command: start.command,
            resource: resource(dr),
            insync_timeout: start.insync_timeout,
        };
        let begin = Begin {
            command: start.command,
            reason: start.reason,
            resources: vec![d.resource.clone()],
            lock_timeout: start.lock_timeout,
            dynamodb: crate::runbook::table_client(s, &ctx),
            no_lease: start.no_lease,
            actor: start.actor,
            interrupt: start.interrupt,
        };
        let mut rb = match Runbook::begin(s, out, begin, start.dry_run).await {
            Ok(rb) => rb,
            Err(e) => {
                let (o, m, facts) = e.end();
                let r = d.report(start.dry_run, o, m, LiveStage::Unchanged, vec![]);
                return Ok::<_, Error>((r, facts));
            }
        };
        run = Some(rb.run_id().to_string());
        // The lease is given back whatever the body returns.
        let report = body(&d, &mut rb).await;
        let signal = rb.interrupt.signal();
        let facts = rb.finish().await;
        let mut report = report?;
        if report.outcome == Outcome::Applied
            && let Some(sig) = signal
        {
            report.interrupted_by = Some(sig.name());
            report.message = format!(
                "{} ({})",
                report.message,
                crate::commands::traffic::late_words(sig.name())
            );
        }
        // A signal that arrived while nothing was written still ends the run as interrupted.
        if let Some(sig) = signal
            && matches!(
                report.outcome,
                Outcome::NoOp | Outcome::Planned | Outcome::Refused
            )
        {
            report.outcome = Outcome::Interrupted;
            report.message = format!("interrupted by {}: {}", sig.name(), report.message);
        }
        Ok::<_, Error>((report, facts))
    }
    .await?;
    Ok((report, facts, run))
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
