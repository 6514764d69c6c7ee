//! The watcher's lines: one per state change on stderr, and the per-service part of the JSON
//! evaluation line.

use crate::plan::watch::{Event, WatchState};
use crate::report::{ServicePoll, WatchServiceLine};

fn time(epoch: i64) -> String {
    crate::aws::rfc3339(&aws_smithy_types::DateTime::from_secs(epoch))
}

/// One state change, for a person (and the system journal).
pub fn event_line(e: &Event) -> String {
    match e {
        Event::Bad {
            service,
            streak,
            of,
            why,
        } => format!("{service}: bad poll {streak}/{of}: {why}"),
        Event::Recovered { service } => format!("{service}: good again"),
        Event::Unknown {
            service,
            streak,
            why,
        } => format!("{service}: unknown poll ({streak} in a row; counts neither way): {why}"),
        Event::UnknownAlert {
            service,
            streak,
            why,
        } => format!(
            "ALERT {service}: {streak} unknown polls in a row, the watcher cannot judge it (no action is taken on unknowns): {why}"
        ),
        Event::Latched { services, why } => format!(
            "LATCHED: failover of {} is due but the watcher acts no more: {why}",
            services.join(", ")
        ),
        Event::ReadyForFailback { services } => format!(
            "ready for failback: {} (hybridctl failback {})",
            services.join(", "),
            services
                .iter()
                .map(|s| format!("--service {s}"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Event::SeenFailedOver { service } => {
            format!("{service}: found failed over (not by this watcher)")
        }
        Event::SeenBack { service } => format!("{service}: found back on its from-site"),
    }
}

pub fn service_lines(polls: &[ServicePoll], state: &WatchState) -> Vec<WatchServiceLine> {
    polls
        .iter()
        .map(|p| {
            let st = state.services.get(&p.service).cloned().unwrap_or_default();
            WatchServiceLine {
                service: p.service.clone(),
                poll: p.poll,
                why: p.why.clone(),
                healthy: p.healthy,
                weights: p.weights.clone(),
                probes: p.probes.clone(),
                bad_streak: st.bad,
                unknown_streak: st.unknown,
                failed_over_since: st.failed_over_at.map(time),
                good_since: st.good_since.map(time),
            }
        })
        .collect()
}
