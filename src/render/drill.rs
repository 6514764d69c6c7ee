//! `hybridctl drill` on the screen: per service the outcome, the weights before, during and
//! after, and what ended it (or one JSON document).

use comfy_table::{ContentArrangement, Table, presets};

use super::Output;
use crate::plan::traffic::format_weights;
use crate::report::DrillReport;

pub fn print(out: &Output, r: &DrillReport) -> anyhow::Result<()> {
    if out.is_json() {
        return out.json(r);
    }
    let mut t = Table::new();
    t.load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(out.width)
        .force_no_tty()
        .set_header(vec![
            "service", "drill", "before", "during", "after", "held",
        ]);
    let w = |w: &Option<crate::plan::traffic::Weights>| {
        w.as_ref().map(format_weights).unwrap_or_else(|| "-".into())
    };
    for d in &r.drills {
        t.add_row(vec![
            d.service.clone(),
            d.outcome.word().to_string(),
            w(&d.before),
            w(&d.during),
            w(&d.after),
            crate::duration::format(std::time::Duration::from_secs(d.held_seconds)),
        ]);
    }
    let mut text: String = t
        .to_string()
        .lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect();
    for d in &r.drills {
        text.push_str(&format!("{}: {}\n", d.service, d.message));
    }
    out.text(&text)
}
