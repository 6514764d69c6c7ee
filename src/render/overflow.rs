//! `hybridctl overflow` on the screen: per service the value, the thresholds and the decision
//! (or one JSON document).

use comfy_table::{ContentArrangement, Table, presets};

use super::Output;
use crate::plan::traffic::format_weights;
use crate::report::OverflowReport;

pub fn print(out: &Output, r: &OverflowReport) -> anyhow::Result<()> {
    if out.is_json() {
        return out.json(r);
    }
    let mut t = Table::new();
    t.load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(out.width)
        .force_no_tty()
        .set_header(vec![
            "service",
            "value",
            "above",
            "below",
            "for",
            "in overflow",
            "decision",
        ]);
    for s in &r.services {
        t.add_row(vec![
            s.service.clone(),
            s.reading.chars().take(40).collect(),
            s.above.to_string(),
            s.below.to_string(),
            crate::duration::format(std::time::Duration::from_secs(s.for_seconds)),
            if s.in_overflow { "yes" } else { "no" }.to_string(),
            s.verdict.to_string(),
        ]);
    }
    let mut text: String = t
        .to_string()
        .lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect();
    for s in &r.services {
        text.push_str(&format!("{}: {}", s.service, s.message));
        if let Some(target) = &s.target {
            text.push_str(&format!(" -> {}", format_weights(target)));
        }
        text.push('\n');
    }
    out.text(&text)
}
