//! `hybridctl lease status | break` and `hybridctl history`: the coordination table read (and,
//! for a break, written) from any host; `history` falls back to this host's journal.

use std::io::IsTerminal;

use crate::aws::{AwsContext, dynamodb};
use crate::cli::{HistoryArgs, LeaseBreakArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::journal::{self, HISTORY_SCHEMA, HistoryReport, Record};
use crate::render::{self, Output};
use crate::report::{LEASES_SCHEMA, LeaseView, LeasesReport};
use crate::runbook::history::sort_key;
use crate::settings::Settings;

fn table(s: &Settings) -> Result<&str> {
    s.topology
        .coordination
        .as_ref()
        .map(|c| c.dynamodb_table.as_str())
        .ok_or_else(|| Error::Usage {
            message: format!(
                "leases live in the coordination table, and {} has no coordination section",
                s.topology.file.display()
            ),
            hint: Some(
                "set coordination.dynamodb_table (see docs/coordination.md); without it, \
                 changes are coordinated on this host only"
                    .into(),
            ),
        })
}

fn view(l: &dynamodb::Lease, now_ms: i64) -> LeaseView {
    let after = l.expires_ms + crate::topology::SKEW_MARGIN.as_millis() as i64;
    LeaseView {
        id: l.resource.clone(),
        holder: format!("{}@{}", l.user, l.host),
        pid: l.pid,
        command: l.command.clone(),
        reason: l.reason.clone(),
        since: l.since.clone(),
        expires: crate::aws::rfc3339(&aws_smithy_types::DateTime::from_millis(l.expires_ms)),
        generation: l.generation,
        state: if l.live(now_ms) { "live" } else { "in-margin" },
        taken_after: crate::aws::rfc3339(&aws_smithy_types::DateTime::from_millis(after)),
    }
}

pub fn lease_status(
    s: &Settings,
    out: &Output,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitStatus> {
    let name = table(s)?;
    let leases = rt.block_on(async {
        let ctx = AwsContext::load(&s.aws).await?;
        let client = crate::runbook::table_client(s, &ctx).expect("coordination is set");
        Ok::<_, Error>(dynamodb::leases(&client, name).await?)
    })?;
    let now = s.clock.epoch_ms();
    let report = LeasesReport {
        schema: LEASES_SCHEMA,
        table: name.to_string(),
        // A lease past its expiry still refuses changes for the skew margin: shown as such.
        leases: leases
            .iter()
            .filter(|l| l.live(now - crate::topology::SKEW_MARGIN.as_millis() as i64))
            .map(|l| view(l, now))
            .collect(),
    };
    render::coordination::print_leases(out, &report)?;
    Ok(ExitStatus::Success)
}

pub fn lease_break(
    s: &Settings,
    args: &LeaseBreakArgs,
    out: &Output,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitStatus> {
    let name = table(s)?;
    if !args.yes && !std::io::stdin().is_terminal() {
        return Err(Error::Usage {
            message: "refusing to break a lease without confirmation: stdin is not a terminal"
                .into(),
            hint: Some("pass --yes in scripts".into()),
        });
    }
    rt.block_on(async {
        let ctx = AwsContext::load(&s.aws).await?;
        let client = crate::runbook::table_client(s, &ctx).expect("coordination is set");
        let Some(lease) = dynamodb::get(&client, name, &args.id)
            .await?
            .filter(|l| l.live(s.clock.epoch_ms()))
        else {
            out.note(&format!(
                "no live lease {} in {name}: nothing to break",
                args.id
            ));
            return Ok(ExitStatus::Success);
        };
        out.note(&format!("lease {}: {}", args.id, lease.describe()));
        if !args.yes {
            out.prompt("Break it? [y/N] ");
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).ok();
            if !matches!(line.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
                out.note("not confirmed: nothing was changed");
                return Ok(ExitStatus::No);
            }
        }
        journal_break(s, &client, &args.id, &lease, &args.reason).await?;
        let by = dynamodb::Broken {
            by: s.identity.who(),
            at: s.clock.rfc3339(),
            reason: args.reason.clone(),
        };
        let broken = dynamodb::break_lease(&client, name, &args.id, &lease.version, &by).await?;
        let m = if broken {
            format!("lease {} broken (it was {})", args.id, lease.describe())
        } else {
            format!(
                "lease {} changed meanwhile (released or taken again): not broken",
                args.id
            )
        };
        out.text(&m)?;
        Ok(if broken {
            ExitStatus::Success
        } else {
            ExitStatus::No
        })
    })
}

/// A break is journaled (locally, fsynced, then in the shared history) before it is written.
async fn journal_break(
    s: &Settings,
    client: &aws_sdk_dynamodb::Client,
    id: &str,
    lease: &dynamodb::Lease,
    reason: &str,
) -> Result<()> {
    let message = format!("lease {id} broken: it was {}", lease.describe());
    crate::runbook::journal_warnings(
        s,
        Some(client),
        "lease break",
        Some(reason),
        None,
        &[message],
    )
    .await
    .map_err(|e| Error::Operational(anyhow::anyhow!("{e}; the lease was not broken")))
}

pub fn history(
    s: &Settings,
    args: &HistoryArgs,
    out: &Output,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitStatus> {
    let since_ms = s.clock.epoch_ms() - args.since.as_millis() as i64;
    // With --kind, every record in range is read and filtered before the limit applies.
    let read_limit = match args.kind {
        Some(_) => usize::MAX,
        None => args.limit,
    };
    let (source, records) = match &s.topology.coordination {
        Some(c) => {
            let lines = rt.block_on(async {
                let ctx = AwsContext::load(&s.aws).await?;
                let client = crate::runbook::table_client(s, &ctx).expect("coordination is set");
                let from = sort_key(since_ms, "", 0);
                Ok::<_, Error>(
                    dynamodb::history(
                        &client,
                        &c.dynamodb_table,
                        &from,
                        args.service.as_deref(),
                        read_limit,
                    )
                    .await?,
                )
            })?;
            let records = lines
                .iter()
                .map(|l| Record::parse(l))
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|e| {
                    Error::Operational(anyhow::anyhow!("a history record does not read: {e}"))
                })?;
            (format!("coordination table {}", c.dynamodb_table), records)
        }
        None => {
            let (mut all, bad) =
                journal::read(&s.journal).map_err(|e| Error::Operational(anyhow::anyhow!(e)))?;
            for b in &bad {
                out.note(&format!(
                    "warning: skipped a journal line that does not read: {b}"
                ));
            }
            all.reverse();
            let since = crate::aws::rfc3339(&aws_smithy_types::DateTime::from_millis(since_ms));
            let records = all
                .into_iter()
                .filter(|r| r.schema == 1 || r.time.as_str() >= since.as_str())
                .filter(|r| {
                    args.service
                        .as_deref()
                        .is_none_or(|svc| r.service() == Some(svc))
                })
                .collect();
            (format!("journal {}", s.journal.display()), records)
        }
    };
    let records: Vec<Record> = records
        .into_iter()
        .filter(|r| args.kind.is_none_or(|k| r.body.kind() == k.word()))
        .take(args.limit)
        .collect();
    let report = HistoryReport {
        schema: HISTORY_SCHEMA,
        source,
        records,
    };
    render::coordination::print_history(out, &report)?;
    Ok(ExitStatus::Success)
}
