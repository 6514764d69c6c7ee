//! `lease status` and `history` on the screen.

use comfy_table::{ContentArrangement, Table, presets};

use super::Output;
use crate::journal::{Body, Held, HistoryReport, Record};
use crate::plan::traffic::format_weights;
use crate::report::LeasesReport;

fn table(header: &[&str], width: u16) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .force_no_tty()
        .set_header(header.to_vec());
    t
}

fn lines(t: &Table) -> String {
    t.to_string()
        .lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

pub fn print_leases(out: &Output, r: &LeasesReport) -> anyhow::Result<()> {
    if out.is_json() {
        return out.json(r);
    }
    if r.leases.is_empty() {
        return out.text(&format!("no live lease in {}", r.table));
    }
    let mut t = table(
        &["id", "holder", "command", "since", "expires", "gen"],
        out.width,
    );
    for l in &r.leases {
        let command = match &l.reason {
            Some(reason) => format!("{} (pid {}): {reason}", l.command, l.pid),
            None => format!("{} (pid {})", l.command, l.pid),
        };
        t.add_row(vec![
            l.id.clone(),
            l.holder.clone(),
            command,
            l.since.clone(),
            match l.state {
                "live" => l.expires.clone(),
                _ => format!("expired, in margin until {}", l.taken_after),
            },
            l.generation.to_string(),
        ]);
    }
    out.text(&lines(&t))
}

fn held(h: &Held) -> String {
    match h {
        Held::Weights(w) => format_weights(w),
        Held::Stage { stage } => stage.clone(),
        Held::Capacity { .. } => h.sizes().map(|s| s.describe()).unwrap_or_default(),
    }
}

/// What a record says, in one cell.
fn what(r: &Record) -> (String, String) {
    match &r.body {
        Body::Intent {
            service, step, to, ..
        } => (
            service.clone().unwrap_or_default(),
            format!("step {step}: writing {}", held(to)),
        ),
        Body::Outcome {
            service,
            step,
            result,
            now,
            ..
        } => (
            service.clone().unwrap_or_default(),
            format!(
                "step {step}: {}{}",
                serde_json::to_value(result)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                now.as_ref()
                    .map(|n| format!(", holds {}", held(n)))
                    .unwrap_or_default()
            ),
        ),
        Body::Change {
            service,
            before,
            after,
            outcome,
            ..
        } => (
            service.clone(),
            format!(
                "{}: {} -> {}",
                outcome.as_str(),
                format_weights(before),
                after
                    .as_ref()
                    .map(format_weights)
                    .unwrap_or_else(|| "unknown".into())
            ),
        ),
        Body::Step {
            step,
            outcome,
            message,
            ..
        } => (
            String::new(),
            format!("{step} {}: {message}", outcome.as_str()),
        ),
        Body::Warning { message } => (String::new(), format!("warning: {message}")),
        Body::Drill {
            service,
            outcome,
            message,
            ..
        } => (service.clone(), format!("drill {outcome}: {message}")),
    }
}

pub fn print_history(out: &Output, r: &HistoryReport) -> anyhow::Result<()> {
    if out.is_json() {
        return out.json(r);
    }
    if r.records.is_empty() {
        return out.text(&format!("no record in the {}", r.source));
    }
    let mut t = table(&["time", "who", "command", "service", "what"], out.width);
    for rec in &r.records {
        let (service, what) = what(rec);
        let mut command = rec.command.clone();
        if let Some(reason) = &rec.reason {
            command.push_str(&format!(": {reason}"));
        }
        t.add_row(vec![
            rec.time.clone(),
            format!("{}@{}", rec.user, rec.host),
            command,
            service,
            what,
        ]);
    }
    out.text(&format!("{}(from the {})\n", lines(&t), r.source))
}
