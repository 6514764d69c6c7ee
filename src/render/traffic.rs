//! The traffic commands on the screen: the plan with its gates, progress while applying, and
//! the outcome (or one JSON document).

use std::time::Duration;

use comfy_table::{ContentArrangement, Table, presets};
use indicatif::ProgressBar;

use super::Output;
use crate::plan::traffic::format_weights;
use crate::report::{Outcome, ServiceChange, TrafficReport as Report};
use crate::topology::Topology;

pub fn print(out: &Output, r: &Report) -> anyhow::Result<()> {
    if out.is_json() {
        return out.json(r);
    }
    let mut text = String::new();
    if r.outcome == Outcome::Planned {
        let changes: Vec<&ServiceChange> = r.services.iter().collect();
        text.push_str(&format!(
            "Plan: {}\n{}",
            r.command,
            plan_body(&changes, out.width)
        ));
    }
    for c in &r.capacity {
        text.push_str(&capacity_line(c));
    }
    text.push_str(&r.message);
    text.push('\n');
    out.text(&text)
}

/// `capacity aws/web: ECS prod/web min 2, desired 2, max 12 -> min 10, desired 10, max 12
/// (needs 10: carries 60% ...), ready: 10 healthy`
fn capacity_line(c: &crate::report::CapacityView) -> String {
    let change = match &c.after {
        Some(a) => crate::plan::capacity::describe_change(&c.scaler, c.before, *a),
        None => format!("{} already at {}", c.scaler, c.before.describe()),
    };
    let why = c
        .why
        .as_ref()
        .map(|w| format!(" ({w})"))
        .unwrap_or_default();
    let healthy = c
        .healthy
        .map(|h| format!(", {h} healthy"))
        .unwrap_or_default();
    let verb = if c.state == "planned" {
        "scale"
    } else {
        "capacity"
    };
    format!(
        "{verb} {}/{}: {change}{why}: {}{healthy}\n",
        c.site, c.service, c.state
    )
}

/// The plan as shown before asking (on stderr, `width` columns): per service now -> target
/// and steps, then the gates.
pub fn plan_text(command: &str, topo: &Topology, changes: &[&ServiceChange], width: u16) -> String {
    let what = match (command, topo.failover.as_ref()) {
        ("failover", Some(f)) => format!(" ({} -> {})", f.from, f.to),
        ("failback", Some(f)) => format!(" ({} <- {})", f.from, f.to),
        _ => String::new(),
    };
    format!("Plan: {command}{what}\n{}", plan_body(changes, width))
}

fn plan_body(changes: &[&ServiceChange], width: u16) -> String {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width)
        .force_no_tty()
        .set_header(vec!["service", "now", "target", "steps"]);
    for c in changes {
        let steps = if c.steps.is_empty() {
            "none (already there)".to_string()
        } else {
            c.steps.len().to_string()
        };
        t.add_row(vec![
            c.name.clone(),
            format_weights(&c.before),
            format_weights(&c.target),
            steps,
        ]);
    }
    let mut s: String = t
        .to_string()
        .lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect();
    for c in changes.iter().filter(|c| c.steps.len() > 1) {
        s.push_str(&format!("Steps for {}:\n", c.name));
        for (i, w) in c.steps.iter().enumerate() {
            s.push_str(&format!("  {}. {}\n", i + 1, format_weights(w)));
        }
    }
    let gates: Vec<_> = changes.iter().flat_map(|c| &c.gates).collect();
    if !gates.is_empty() {
        s.push_str("Gates:\n");
        for g in gates {
            let verdict = if g.passed {
                "pass"
            } else if g.forced {
                "FORCED"
            } else {
                "FAIL"
            };
            s.push_str(&format!("  {verdict:<6} {}: {}\n", g.name, g.message));
        }
    }
    s
}

/// Steps applied so far: a bar on a terminal, one plain line per step otherwise (stderr).
pub struct Progress<'a> {
    out: &'a Output,
    bar: Option<ProgressBar>,
}

impl<'a> Progress<'a> {
    pub fn new(out: &'a Output, steps: u64) -> Progress<'a> {
        let template = "{spinner} [{bar:20}] step {pos}/{len} {elapsed} {wide_msg}";
        let bar = (steps > 1)
            .then(|| out.progress(template, Some(steps)))
            .flatten();
        Progress { out, bar }
    }

    pub fn step(&self, done: usize, total: usize, message: &str) {
        match &self.bar {
            Some(b) => {
                b.set_position(done as u64);
                b.set_message(message.to_string());
            }
            None => self.out.note(&format!("step {done}/{total}: {message}")),
        }
    }

    pub fn wait(&self, d: Duration, next: usize, total: usize) {
        let m = format!(
            "waiting {} before step {next}/{total}",
            crate::duration::format(d)
        );
        match &self.bar {
            Some(b) => b.set_message(m),
            None => self.out.note(&m),
        }
    }

    pub fn done(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Drop for Progress<'_> {
    fn drop(&mut self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
