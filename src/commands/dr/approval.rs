//! `dr pending | approve | deny`: the automatic DRs waiting for a person (`dr.auto.approve`),
//! answered from any host through the coordination table's `dr-pending` partition. The watcher
//! acts on the answer at its next poll; an answer is journaled (locally and in the shared
//! history) with the person's identity before it is written.

use crate::aws::AwsContext;
use crate::aws::dynamodb::{self, PendingDr};
use crate::cli::DrAnswerArgs;
use crate::error::{Error, ExitStatus, Result};
use crate::render::Output;
use crate::report::{DR_PENDING_SCHEMA, DrPendingReport, DrPendingView};
use crate::settings::Settings;

fn time(epoch: i64) -> String {
    crate::aws::rfc3339(&aws_smithy_types::DateTime::from_secs(epoch))
}

/// The table's client and name; the commands need a coordination section.
fn table(s: &Settings, ctx: &AwsContext) -> Result<(aws_sdk_dynamodb::Client, String)> {
    match (
        crate::runbook::table_client(s, ctx),
        &s.topology.coordination,
    ) {
        (Some(c), Some(k)) => Ok((c, k.dynamodb_table.clone())),
        _ => Err(Error::Usage {
            message: format!(
                "pending DRs live in the coordination table, and {} has no coordination section",
                s.topology.file.display()
            ),
            hint: Some("add coordination.dynamodb_table (docs/coordination.md)".into()),
        }),
    }
}

pub fn pending(s: &Settings, out: &Output, rt: &tokio::runtime::Runtime) -> Result<ExitStatus> {
    let items = rt.block_on(async {
        let ctx = AwsContext::load(&s.aws).await?;
        let (client, name) = table(s, &ctx)?;
        Ok::<_, Error>(dynamodb::pending_drs(&client, &name).await?)
    })?;
    let report = DrPendingReport {
        schema: DR_PENDING_SCHEMA,
        pending: items
            .into_iter()
            .filter(|p| p.status == "pending")
            .map(|p| DrPendingView {
                run: p.run,
                since: time(p.since),
                deadline: time(p.deadline),
                trigger: p.trigger,
            })
            .collect(),
    };
    if out.is_json() {
        out.json(&report)?;
    } else if report.pending.is_empty() {
        out.text("no automatic DR is waiting for approval")?;
    } else {
        let lines: String = report
            .pending
            .iter()
            .map(|p| {
                format!(
                    "{}  since {}  deadline {}  {}\n",
                    p.run, p.since, p.deadline, p.trigger
                )
            })
            .collect();
        out.text(&lines)?;
    }
    Ok(ExitStatus::Success)
}

/// `dr approve` (approve = true) and `dr deny`.
pub fn answer(
    s: &Settings,
    args: &DrAnswerArgs,
    approve: bool,
    out: &Output,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitStatus> {
    let (verb, status) = if approve {
        ("approve", "approved")
    } else {
        ("deny", "denied")
    };
    rt.block_on(async {
        let ctx = AwsContext::load(&s.aws).await?;
        let (client, name) = table(s, &ctx)?;
        let item = dynamodb::get_pending(&client, &name, &args.run).await?;
        if let Some(refusal) = refused(item.as_ref(), &args.run, s.clock.epoch()) {
            out.note(&format!("not {status}: {refusal}"));
            return Ok(ExitStatus::No);
        }
        let who = s.identity.who();
        let message = format!("automatic DR {} {status} by {who}", args.run);
        crate::runbook::journal_warnings(
            s,
            Some(&client),
            &format!("dr {verb}"),
            args.reason.as_deref(),
            Some(&args.run),
            std::slice::from_ref(&message),
        )
        .await
        .map_err(|e| Error::Operational(anyhow::anyhow!("{e}; nothing was {status}")))?;
        let written = dynamodb::answer_pending(
            &client,
            &name,
            &args.run,
            ("pending", status),
            &who,
            args.reason.as_deref(),
        )
        .await?;
        if !written {
            out.note(&format!(
                "not {status}: {} was answered meanwhile",
                args.run
            ));
            return Ok(ExitStatus::No);
        }
        let next = if approve {
            "the watcher starts `dr provision` at its next poll"
        } else {
            "the watcher aborts it at its next poll (and latches: watch --unlatch dr)"
        };
        out.text(&format!("{message}: {next}"))?;
        Ok(ExitStatus::Success)
    })
}

/// Why an answer is refused: no such DR, already answered, or past its deadline.
fn refused(item: Option<&PendingDr>, run: &str, now: i64) -> Option<String> {
    let Some(p) = item else {
        return Some(format!(
            "no pending DR {run} in the coordination table (hybridctl dr pending lists them)"
        ));
    };
    if p.status != "pending" {
        let by =
            p.by.as_deref()
                .map(|b| format!(" by {b}"))
                .unwrap_or_default();
        return Some(format!("{run} is already {}{by}", p.status));
    }
    if now >= p.deadline {
        return Some(format!(
            "the deadline of {run} passed at {}: the watcher applies dr.auto.approve.on_timeout",
            time(p.deadline)
        ));
    }
    None
}
