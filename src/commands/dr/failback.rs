//! `dr failback`: back to the `normal` stage once the primary is healthy (re-checked right
//! before the write), then optionally `terraform destroy`.

use super::steps::{self, DnsWrite, TerraformWrite};
use super::{DrRun, Start, checked_records, dr_section, execute, halted, stage, terraform_runner};
use crate::cli::DrFailbackArgs;
use crate::error::{Error, ExitStatus, Result};
use crate::plan::dr::{self as plan, ProvisionState, StageName};
use crate::render::Output;
use crate::report::{DrRunReport, LiveStage, Outcome, StepOutcome, StepReport};
use crate::runbook::{Halt, Runbook};
use crate::settings::Settings;
use crate::terraform::Runner;

pub fn failback(
    s: &Settings,
    args: &DrFailbackArgs,
    out: &Output,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitStatus> {
    let dr = dr_section(&s.topology)?;
    crate::runbook::check_no_lease(args.no_lease, args.reason.as_deref())?;
    let runner = if args.destroy {
        terraform_runner(s, dr)?
    } else {
        None
    };
    if args.destroy && runner.is_none() {
        return Err(Error::usage("--destroy needs dr.terraform"));
    }
    let start = Start {
        command: "dr failback",
        reason: args.reason.clone(),
        lock_timeout: args.lock_timeout,
        insync_timeout: args.insync_timeout,
        dry_run: args.dry_run,
        no_lease: args.no_lease,
        actor: None,
        interrupt: None,
    };
    execute(s, out, rt, start, async |d, rb| {
        failback_run(d, rb, args, runner.as_ref()).await
    })
}

async fn failback_run(
    d: &DrRun<'_>,
    rb: &mut Runbook<'_>,
    args: &DrFailbackArgs,
    runner: Option<&Runner>,
) -> Result<DrRunReport> {
    let (records, health) = checked_records(d.ctx, d.dr).await?;
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
    if let Some(stopped) = d.confirm(rb, args.yes, current, &planned).await? {
        return Ok(stopped);
    }
    let mut done = vec![planned.remove(0)];
    if live != Some(StageName::Normal) {
        let mut w = DnsWrite::new(d, normal, live, args.force);
        w.primary = Some(prod);
        if let Err(h) = rb.step(&mut w).await {
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
        let mut w = TerraformWrite::new(r, d.out, true, rb.interrupt.clone());
        if let Err(h) = rb.step(&mut w).await {
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
