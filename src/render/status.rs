//! `status` on stdout: one JSON document, or a screen for a person that fits its terminal
//! (100 columns off a terminal).

use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};

use super::Output;
use crate::plan::status::{
    AlarmsReport, CdcLatencyView, DrReport, Finding, Health, ReplicationReport, SectionError,
    Severity, SourceView, StatusReport, TaskView,
};

/// A spinner on stderr while AWS is read, on a terminal only; the caller clears it. Large
/// deployments wait for ELBv2's rate limit, so the message says why it takes a while.
pub fn reading(out: &Output, target_groups: usize) -> Option<indicatif::ProgressBar> {
    let b = out.progress("{spinner} {wide_msg}", None)?;
    b.set_message(
        if target_groups as f64 > crate::aws::budget::elbv2_describe_pace().burst {
            format!("reading {target_groups} target groups, paced to ELBv2's API rate limit")
        } else {
            "reading AWS state".to_string()
        },
    );
    Some(b)
}

pub fn print(out: &Output, r: &StatusReport) -> anyhow::Result<()> {
    if out.is_json() {
        out.json(r)
    } else {
        out.text(&table(r, out.color, out.width))
    }
}

fn paint(color: bool, code: &str, s: &str) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

fn severity_color(s: Severity) -> (Color, &'static str) {
    match s {
        Severity::Critical => (Color::Red, "1;31"),
        Severity::Warning => (Color::Yellow, "33"),
        Severity::Info => (Color::Blue, "34"),
    }
}

fn new_table(color: bool, width: u16) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width);
    if color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t
}

fn header(color: bool, names: &[&str]) -> Vec<Cell> {
    names
        .iter()
        .map(|n| {
            let c = Cell::new(n);
            if color {
                c.add_attribute(Attribute::Bold)
            } else {
                c
            }
        })
        .collect()
}

fn section_error(s: &mut String, color: bool, e: &SectionError) {
    s.push_str(&format!(
        "  {} {}\n",
        paint(color, "1;31", "error:"),
        e.message
    ));
    if let Some(h) = &e.hint {
        s.push_str(&format!("  hint: {h}\n"));
    }
}

fn health_text(h: &Health) -> String {
    format!("{}/{}", h.healthy, h.total())
}

/// The whole screen, `width` columns wide. Lines are trimmed so that output is stable for
/// snapshots and logs.
pub fn table(r: &StatusReport, color: bool, width: u16) -> String {
    let mut s = String::new();
    push_verdict(&mut s, r, color);
    push_traffic(&mut s, r, color, width);
    if let Some(a) = &r.alarms {
        push_alarms(&mut s, a, color);
    }
    if let Some(rep) = &r.replication {
        push_replication(&mut s, rep, color);
    }
    if let Some(dr) = &r.dr {
        push_dr(&mut s, dr, color);
    }
    if !r.capacity.is_empty() {
        push_capacity(&mut s, &r.capacity, color, width);
    }
    if !r.drills.is_empty() {
        push_drills(&mut s, &r.drills, color, width);
    }
    if !r.probes.is_empty() {
        push_probes(&mut s, &r.probes, color, width);
    }
    if let Some(w) = &r.watch {
        push_watch(&mut s, w, color);
    }
    push_findings(&mut s, &r.findings, color, width);
    s
}

fn push_verdict(s: &mut String, r: &StatusReport, color: bool) {
    let counts = |sev| r.findings.iter().filter(|f| f.severity == sev).count();
    let (crit, warn) = (counts(Severity::Critical), counts(Severity::Warning));
    let verdict = match r.verdict {
        "ok" => paint(color, "1;32", "OK"),
        "degraded" => paint(color, "1;33", "DEGRADED"),
        _ => paint(color, "1;31", "ERROR (some state could not be read)"),
    };
    s.push_str(&format!(
        "hybridctl status: {verdict}  {crit} critical, {warn} warning{}\n",
        if warn == 1 { "" } else { "s" }
    ));
}

/// Always shown, unlike the sections below: traffic is always read, so a failed read is shown
/// in its place.
fn push_traffic(s: &mut String, r: &StatusReport, color: bool, width: u16) {
    s.push_str("\nTraffic\n");
    if let Some(e) = &r.traffic_error {
        section_error(s, color, e);
        return;
    }
    let mut t = new_table(color, width);
    t.set_header(header(
        color,
        &["service", "mode", "weights", "healthy / targets"],
    ));
    for svc in &r.services {
        let pct = |p: f64| crate::plan::format_percent(p, 100.0);
        let weights: Vec<String> = svc
            .percent
            .iter()
            .map(|(site, p)| format!("{site} {}%", pct(*p)))
            .chain(svc.unknown.iter().map(|u| {
                // `...:targetgroup/NAME/ID`: the name is what a person recognises.
                let name = u.arn.split('/').nth(1).unwrap_or(&u.arn);
                format!("unknown {name} {}%", pct(u.percent))
            }))
            .collect();
        let health: Vec<String> = svc
            .health
            .iter()
            .map(|(site, h)| format!("{site} {}", health_text(h)))
            .collect();
        t.add_row(vec![
            Cell::new(&svc.name),
            Cell::new(svc.mode.as_str()),
            Cell::new(weights.join(" | ")),
            Cell::new(health.join(" | ")),
        ]);
    }
    push_table(s, &t);
    for svc in &r.services {
        if let Some(o) = &svc.overflow {
            s.push_str(&format!(
                "  {} overflow: {} (enter >= {}, leave < {}, for {}){}\n",
                svc.name,
                o.reading,
                o.above,
                o.below,
                crate::duration::format(std::time::Duration::from_secs(o.for_seconds)),
                if o.in_overflow { "; in overflow" } else { "" }
            ));
        }
    }
    for svc in r.services.iter().filter(|svc| svc.last_change.is_some()) {
        s.push_str(&format!(
            "  {} last changed {}\n",
            svc.name,
            svc.last_change.as_deref().unwrap_or_default()
        ));
    }
}

fn push_alarms(s: &mut String, a: &AlarmsReport, color: bool) {
    s.push_str("\nAlarms\n");
    if let Some(e) = &a.error {
        section_error(s, color, e);
        return;
    }
    for alarm in &a.alarms {
        let since = alarm
            .since
            .as_deref()
            .map(|t| format!(" since {t}"))
            .unwrap_or_default();
        s.push_str(&format!(
            "  {}  {}{since}\n",
            alarm.name,
            alarm.state_text()
        ));
    }
}

fn push_replication(s: &mut String, rep: &ReplicationReport, color: bool) {
    s.push_str("\nReplication\n");
    if let Some(e) = &rep.error {
        section_error(s, color, e);
        return;
    }
    match &rep.task {
        Some(t) => push_dms_task(s, t, &rep.cdc_latency),
        None => s.push_str("  DMS task: not found\n"),
    }
    if let Some(db) = &rep.source {
        push_rds_source(s, db);
    }
}

fn push_dms_task(s: &mut String, t: &TaskView, cdc: &CdcLatencyView) {
    let lat = |v: Option<f64>| {
        v.map(|v| format!("{v:.0}s"))
            .unwrap_or_else(|| "n/a".into())
    };
    s.push_str(&format!(
        "  DMS task {}: {}; CDC latency source {}, target {}\n",
        t.id,
        t.status_text(),
        lat(cdc.source_seconds),
        lat(cdc.target_seconds)
    ));
    if let Some(m) = t
        .last_failure_message
        .as_deref()
        .or(t.stop_reason.as_deref())
    {
        s.push_str(&format!("    last failure: {m}\n"));
    }
}

fn push_rds_source(s: &mut String, db: &SourceView) {
    s.push_str(&format!(
        "  RDS {} ({} {}): {}; automated backups {} days\n",
        db.id,
        db.engine,
        db.engine_version,
        db.status_text(),
        db.backup_retention_days
    ));
    for g in &db.parameter_groups {
        s.push_str(&format!(
            "    parameter group {}: {}\n",
            g.name,
            g.apply_status_text()
        ));
    }
}

fn push_watch(s: &mut String, w: &crate::plan::watch::WatchStatus, color: bool) {
    let time = |t: i64| crate::aws::rfc3339(&aws_smithy_types::DateTime::from_secs(t));
    s.push_str(&format!("\nWATCH ({})\n", w.store));
    if let Some(e) = &w.error {
        s.push_str(&format!(
            "  {}\n",
            paint(color, "1;31", &format!("unreadable: {e}"))
        ));
        return;
    }
    if let Some(e) = &w.last_evaluation {
        s.push_str(&format!(
            "  last evaluation {} by {} ({})\n",
            time(e.time),
            e.host,
            e.role
        ));
    }
    for (name, st) in &w.services {
        let mut line = format!(
            "  {name}: {} (bad {} in a row, unknown {})",
            st.last_poll, st.bad, st.unknown
        );
        if let Some(t) = st.failed_over_at {
            line.push_str(&format!(", failed over since {}", time(t)));
        }
        s.push_str(&line);
        s.push('\n');
    }
    if let Some(a) = &w.last_action {
        s.push_str(&format!(
            "  last action: {:?} of {} {} at {}\n",
            a.kind,
            a.services.join(", "),
            a.outcome,
            time(a.time)
        ));
    }
    if let Some(l) = &w.latched {
        s.push_str(&format!(
            "  {}\n",
            paint(
                color,
                "1;31",
                &format!("LATCHED since {}: {}", time(l.since), l.why)
            )
        ));
    }
}

/// `service  site  scaler  running/desired  pending  min..max  rollout  100% needs`
fn push_drills(s: &mut String, rows: &[crate::plan::status::DrillView], color: bool, width: u16) {
    s.push_str("\nDrills\n");
    let mut t = new_table(color, width);
    t.set_header(header(
        color,
        &["service", "last drill", "ended", "last passed"],
    ));
    for d in rows {
        t.add_row(vec![
            d.service.clone(),
            d.outcome.clone(),
            d.time.clone(),
            d.last_passed.clone().unwrap_or_else(|| "never".into()),
        ]);
    }
    for line in t.to_string().lines() {
        s.push(' ');
        s.push_str(line.trim_end());
        s.push('\n');
    }
}

fn push_probes(s: &mut String, rows: &[crate::plan::status::StatusProbe], color: bool, width: u16) {
    s.push_str("\nProbes\n");
    let mut t = new_table(color, width);
    t.set_header(header(
        color,
        &["service", "site", "probe", "result", "took"],
    ));
    for p in rows {
        let r = &p.result;
        let verdict = if r.ok {
            paint(color, "32", &format!("ok: {}", r.message))
        } else {
            paint(color, "1;31", &format!("FAIL: {}", r.message))
        };
        t.add_row(vec![
            p.service.clone(),
            r.site.clone(),
            r.url.clone(),
            verdict,
            format!("{} ms", r.elapsed_ms),
        ]);
    }
    for line in t.to_string().lines() {
        s.push(' ');
        s.push_str(line.trim_end());
        s.push('\n');
    }
}

fn push_capacity(s: &mut String, rows: &[crate::plan::capacity::Row], color: bool, width: u16) {
    s.push_str("\nCapacity\n");
    let mut t = new_table(color, width);
    t.set_header(header(
        color,
        &[
            "service",
            "site",
            "scaler",
            "running / desired",
            "pending",
            "min..max",
            "rollout",
            "100% needs",
        ],
    ));
    let n = |v: Option<u32>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
    for r in rows {
        let (running, range) = match &r.error {
            Some(e) => (e.clone(), String::new()),
            None => (
                format!("{} / {}", n(r.running), n(r.desired)),
                match (r.min, r.max) {
                    (Some(a), Some(b)) => format!("{a}..{b}"),
                    _ => "-".into(),
                },
            ),
        };
        t.add_row(vec![
            r.service.clone(),
            r.site.clone(),
            r.scaler.clone(),
            running,
            n(r.pending),
            range,
            r.rollout.clone().unwrap_or_else(|| "-".into()),
            n(r.need_for_all),
        ]);
    }
    for line in t.to_string().lines() {
        s.push(' ');
        s.push_str(line.trim_end());
        s.push('\n');
    }
}

fn push_dr(s: &mut String, dr: &DrReport, color: bool) {
    s.push_str("\nDR\n");
    if let Some(e) = &dr.error {
        section_error(s, color, e);
        return;
    }
    let weights: Vec<String> = dr
        .records
        .iter()
        .map(|rec| {
            let id = rec.set_identifier.as_deref().unwrap_or("(none)");
            format!("{id} {}", crate::plan::status::weight_text(rec.weight))
        })
        .collect();
    s.push_str(&format!(
        "  Route 53 stage {}: {}\n",
        dr.stage.as_deref().unwrap_or("unknown"),
        weights.join(" | ")
    ));
    if let Some(h) = &dr.ready {
        s.push_str(&format!(
            "  ready target group: {} healthy\n",
            health_text(h)
        ));
    }
}

fn push_findings(s: &mut String, findings: &[Finding], color: bool, width: u16) {
    s.push_str("\nFindings\n");
    if findings.is_empty() {
        s.push_str("  none\n");
        return;
    }
    let mut t = new_table(color, width);
    for f in findings {
        let (c, _) = severity_color(f.severity);
        let sev = f.severity.as_str().to_uppercase();
        let cell = if color {
            Cell::new(sev).fg(c)
        } else {
            Cell::new(sev)
        };
        t.add_row(vec![cell, Cell::new(&f.message)]);
    }
    push_table(s, &t);
}

fn push_table(s: &mut String, t: &Table) {
    for line in t.to_string().lines() {
        s.push_str(line.trim_end());
        s.push('\n');
    }
}

/// One line per fact, for `--watch` on a non-terminal: a line is printed when it changes.
pub fn summary_lines(r: &StatusReport) -> Vec<String> {
    let mut lines = vec![format!("verdict {}", r.verdict)];
    if let Some(e) = &r.traffic_error {
        lines.push(format!("traffic error: {}", e.message));
    }
    for svc in &r.services {
        let weights: Vec<String> = svc
            .weights
            .iter()
            .map(|(s, w)| format!("{s}={w}"))
            .collect();
        let health: Vec<String> = svc
            .health
            .iter()
            .map(|(s, h)| format!("{s}={}", health_text(h)))
            .collect();
        lines.push(format!(
            "service {} {} weights {} healthy {}",
            svc.name,
            svc.mode.as_str(),
            weights.join(","),
            health.join(",")
        ));
    }
    for f in &r.findings {
        lines.push(format!("{} {}: {}", f.severity.as_str(), f.code, f.message));
    }
    lines
}
