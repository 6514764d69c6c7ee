//! Overflow in the watcher: each poll, one Prometheus query per service with `overflow`
//! configured (all at once), decided by `plan::overflow` with its streaks kept in the watch
//! state. A failover in force always wins: overflow changes nothing then; a failback lands on
//! the overflow split while overflow holds (`commands::traffic::overflow`).

use std::collections::BTreeMap;

use crate::commands::live;
use crate::commands::overflow::reading_of;
use crate::metrics::Client;
use crate::plan::overflow::{self as plan, OverflowState, Verdict};
use crate::plan::traffic::{LastChange, Weights, format_weights};
use crate::report::{OverflowLine, ServicePoll};
use crate::settings::Settings;

/// A due shift: the service, the verdict, the target and why.
pub struct Due {
    pub service: String,
    pub verdict: Verdict,
    pub target: Weights,
    pub reason: String,
}

/// The Prometheus client of the file, if it has overflow (an error says why it cannot query).
pub fn client(s: &Settings) -> Option<Result<Client, String>> {
    if s.topology.overflow.is_empty() {
        return None;
    }
    let p = s.topology.prometheus.as_ref()?;
    Some(Client::new(p, &s.env).map_err(|e| e.message))
}

/// Queries and decides every service with overflow; `state` keeps the streaks. `elb` reads
/// who set the weights where a failover may be in force.
pub async fn evaluate(
    s: &Settings,
    (client, elb): (
        &Result<Client, String>,
        &aws_sdk_elasticloadbalancingv2::Client,
    ),
    polls: &[ServicePoll],
    state: &mut BTreeMap<String, OverflowState>,
    now_ms: i64,
) -> (Vec<OverflowLine>, Vec<Due>) {
    let topo = &s.topology;
    let weights_of = |name: &str| {
        polls
            .iter()
            .find(|p| p.service == name)
            .and_then(|p| p.weights.clone())
    };
    let maybe: Vec<&crate::topology::Service> = topo
        .overflow
        .iter()
        .filter_map(|cfg| topo.service(&cfg.service))
        .filter(|svc| weights_of(&svc.name).is_some_and(|w| plan::from_at_zero(topo, svc, &w)))
        .collect();
    let queries = futures::future::join_all(topo.overflow.iter().map(|cfg| async move {
        match client {
            Ok(c) => c.query(&cfg.query).await,
            Err(e) => Err(crate::metrics::QueryError {
                message: e.clone(),
                hint: None,
            }),
        }
    }));
    let (samples, last) = tokio::join!(queries, live::last_changes(elb, &maybe));
    let mut lines = Vec::new();
    let mut due = Vec::new();
    for (cfg, sample) in topo.overflow.iter().zip(samples) {
        let Some(svc) = topo.service(&cfg.service) else {
            continue;
        };
        let (reading, value, words) = reading_of(&sample);
        let st = state.entry(cfg.service.clone()).or_default();
        let last = last
            .get(&cfg.service)
            .copied()
            .unwrap_or(LastChange::Unknown);
        // Unread weights, or a failover in force (known from the record of who set the
        // weights, not from the split): overflow waits (failover wins).
        let Some(live) =
            weights_of(&cfg.service).filter(|w| !plan::failover_in_force(topo, svc, w, last))
        else {
            lines.push(line(&cfg.service, value, words, st, Verdict::Stay));
            continue;
        };
        st.observe_live(plan::live_split(svc, cfg, &live));
        let d = plan::decide(cfg, st, reading, now_ms);
        *st = OverflowState {
            in_overflow: st.in_overflow,
            ..d.state.clone()
        };
        let target = match d.verdict {
            Verdict::Enter => Some(plan::overflow_weights(cfg)),
            Verdict::Leave => Some(plan::normal_weights(svc)),
            Verdict::Stay => None,
        };
        if let Some(target) = target {
            due.push(Due {
                service: cfg.service.clone(),
                verdict: d.verdict,
                reason: format!(
                    "watch: overflow {}: {} (to {})",
                    if d.verdict == Verdict::Enter {
                        "enter"
                    } else {
                        "leave"
                    },
                    d.why,
                    format_weights(&target)
                ),
                target,
            });
        }
        lines.push(line(&cfg.service, value, words, st, d.verdict));
    }
    (lines, due)
}

fn line(
    service: &str,
    value: Option<f64>,
    reading: String,
    st: &OverflowState,
    verdict: Verdict,
) -> OverflowLine {
    OverflowLine {
        service: service.to_string(),
        value,
        reading,
        in_overflow: st.in_overflow,
        verdict,
        outcome: None,
    }
}
