//! The DR commands on the screen: status, the runbook plan, Terraform progress, the outcome.

use indicatif::ProgressBar;

use super::Output;
use crate::report::{DrRunReport as RunReport, DrStatusReport as StatusReport, StepReport};

pub fn print_status(out: &Output, r: &StatusReport) -> anyhow::Result<()> {
    if out.is_json() {
        return out.json(r);
    }
    let mut s = format!(
        "DR: {} in zone {}: stage {}\n",
        r.record,
        r.zone_id,
        r.stage.as_str()
    );
    for rec in &r.records {
        let verdict = match rec.healthy {
            Some(true) => "health check passes",
            Some(false) => "health check FAILS",
            None => "no health check",
        };
        let health = match &rec.checkers {
            Some(c) => format!("{verdict} ({c})"),
            None => verdict.to_string(),
        };
        s.push_str(&format!(
            "  {:<12} weight {:>3}  {health}\n",
            rec.set_identifier.as_deref().unwrap_or("(none)"),
            crate::plan::status::weight_text(rec.weight)
        ));
    }
    if let Some(ready) = &r.ready {
        s.push_str(&format!(
            "ready target group: {}/{} healthy (need {})\n",
            ready.healthy, ready.total, ready.min_healthy_targets
        ));
    }
    let p = &r.provision;
    if p.started.is_some() && !p.finished {
        s.push_str(&format!(
            "provision in progress since {}: done {}{}\n",
            p.started.as_deref().unwrap_or("?"),
            if p.done.is_empty() {
                "nothing yet".to_string()
            } else {
                p.done
                    .iter()
                    .map(|d| d.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            p.last_error
                .as_deref()
                .map(|e| format!("; last error: {e}"))
                .unwrap_or_default()
        ));
    } else if p.finished {
        s.push_str("provision finished (run dr failback to return to normal)\n");
    }
    out.text(&s)
}

pub fn plan_text(command: &str, current: &str, steps: &[StepReport]) -> String {
    let mut s = format!("Plan: {command} (Route 53 now in stage {current})\n");
    for (i, st) in steps.iter().enumerate() {
        s.push_str(&format!(
            "  {}. {:<10} {:<13} {}\n",
            i + 1,
            st.step,
            format!("[{}]", st.outcome.as_str()),
            st.message
        ));
    }
    s
}

pub fn print_run(out: &Output, r: &RunReport) -> anyhow::Result<()> {
    if out.is_json() {
        return out.json(r);
    }
    let mut s = String::new();
    if r.dry_run {
        s.push_str(&plan_text(r.command, r.stage.as_str(), &r.steps));
    }
    s.push_str(&r.message);
    s.push('\n');
    out.text(&s)
}

/// Terraform progress: a bar (resources done / planned, current resource, elapsed) on a
/// terminal, one line per finished resource otherwise.
pub struct TerraformProgress<'a> {
    out: &'a Output,
    bar: Option<ProgressBar>,
    what: &'static str,
}

impl<'a> TerraformProgress<'a> {
    pub fn new(out: &'a Output, what: &'static str) -> TerraformProgress<'a> {
        let template = "{spinner} terraform {prefix} [{bar:20}] {pos}/{len} {elapsed} {wide_msg}";
        let bar = out.progress(template, Some(0));
        if let Some(b) = &bar {
            b.set_prefix(what);
        }
        TerraformProgress { out, bar, what }
    }

    pub fn update(&self, done: u64, planned: u64, resource: &str) {
        match &self.bar {
            Some(b) => {
                b.set_length(planned.max(done));
                b.set_position(done);
                b.set_message(resource.to_string());
            }
            None if !resource.is_empty() => self.out.note(&format!(
                "terraform {}: {done}/{planned} {resource}",
                self.what
            )),
            None => {}
        }
    }

    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}
