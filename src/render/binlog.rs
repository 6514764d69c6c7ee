//! `dms check-binlog` on the screen: one row per check, the remediation under it.

use comfy_table::{Cell, Color, ContentArrangement, Table, presets};

use super::Output;
use crate::plan::binlog::{Report, Verdict};

pub fn print(out: &Output, r: &Report) -> anyhow::Result<()> {
    if out.is_json() {
        return out.json(r);
    }
    out.text(&table(r, out.color, out.width))
}

pub fn table(r: &Report, color: bool, width: u16) -> String {
    let count = |v| r.checks.iter().filter(|c| c.verdict == v).count();
    let mut s = format!(
        "DMS source check ({}{}): {} FAIL, {} WARN, {} PASS, {} SKIP{}\n",
        r.source,
        r.sql
            .as_deref()
            .map(|a| format!(", SQL as {a}"))
            .unwrap_or_else(|| ", no SQL".into()),
        count(Verdict::Fail),
        count(Verdict::Warn),
        count(Verdict::Pass),
        count(Verdict::Skip),
        if r.strict { " (strict)" } else { "" }
    );
    if let Some(e) = &r.sql_error {
        s.push_str(&format!("SQL probe failed: {e}\n"));
    }
    let mut t = Table::new();
    t.load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .set_header(vec!["check", "verdict", "observed", "expected"]);
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    for c in &r.checks {
        let verdict = Cell::new(c.verdict.as_str());
        let verdict = match (color, c.verdict) {
            (true, Verdict::Fail) => verdict.fg(Color::Red),
            (true, Verdict::Warn) => verdict.fg(Color::Yellow),
            (true, Verdict::Pass) => verdict.fg(Color::Green),
            _ => verdict,
        };
        // A SKIP says why in place of an observed value.
        let observed = if c.verdict == Verdict::Skip {
            format!("({})", c.message)
        } else {
            c.observed.clone()
        };
        t.add_row(vec![
            Cell::new(c.id),
            verdict,
            Cell::new(observed),
            Cell::new(&c.expected),
        ]);
    }
    for line in t.to_string().lines() {
        s.push_str(line.trim_end());
        s.push('\n');
    }
    let problems: Vec<_> = r
        .checks
        .iter()
        .filter(|c| matches!(c.verdict, Verdict::Fail | Verdict::Warn))
        .collect();
    if !problems.is_empty() {
        s.push_str("\nTo fix:\n");
        for c in problems {
            s.push_str(&format!("{} {}: {}\n", c.verdict.as_str(), c.id, c.message));
            if let Some(fix) = &c.remediation {
                s.push_str(&format!("    {fix}\n"));
            }
        }
    }
    s
}
