//! A failback of a service with `overflow`: it lands on the overflow split while overflow
//! holds (issue 14: "failback returns to the overflow split if overflow still holds"). One
//! Prometheus query per such service, made with the plan's AWS reads, and what the service was
//! before the failover, from the watch state and the `overflow` command's state.

use std::collections::BTreeMap;

use super::{Flow, Kind};
use crate::commands::overflow::{reading_of, state};
use crate::commands::watch::store::Store;
use crate::metrics::Client;
use crate::plan::overflow::{self as plan, OverflowState};
use crate::plan::traffic::Weights;

/// Per service: where its failback lands, and why.
pub(crate) type Landing = BTreeMap<String, (Weights, String)>;

impl Flow<'_> {
    /// Empty unless this is a failback of services with `overflow`.
    pub(super) async fn failback_landing(&self, stop: &crate::signal::Interrupt) -> Landing {
        let topo = &self.s.topology;
        let cfgs: Vec<_> = self
            .services
            .iter()
            .filter_map(|svc| topo.overflow_of(&svc.name).map(|c| (*svc, c)))
            .collect();
        if self.req.kind != Kind::Failback || cfgs.is_empty() {
            return Landing::new();
        }
        let client = topo
            .prometheus
            .as_ref()
            .ok_or_else(|| "metrics.prometheus is not configured".to_string())
            .and_then(|p| Client::new(p, &self.s.env).map_err(|e| e.message));
        let queries = futures::future::join_all(cfgs.iter().map(|(_, cfg)| async {
            match &client {
                Ok(c) => c.query(&cfg.query).await,
                Err(e) => Err(crate::metrics::QueryError {
                    message: e.clone(),
                    hint: None,
                }),
            }
        }));
        // A signal does not wait for a slow Prometheus: the run ends as interrupted before
        // any write, and no landing is needed.
        let both = async { tokio::join!(queries, self.remembered()) };
        let (samples, remembered) = tokio::select! {
            both = both => both,
            _ = stop.wait() => return Landing::new(),
        };
        let mut out = Landing::new();
        for ((svc, cfg), sample) in cfgs.into_iter().zip(samples) {
            let (reading, _, words) = reading_of(&sample);
            let was = remembered.get(&svc.name).copied().unwrap_or(false);
            let (target, why) = plan::failback_target(svc, cfg, reading, &words, was);
            out.insert(svc.name.clone(), (target, why));
        }
        out
    }

    /// Which services were in overflow before the failover, by the newer of the watcher's
    /// record and the `overflow` command's. A state that cannot be read counts as none.
    async fn remembered(&self) -> BTreeMap<String, bool> {
        let mut newest: BTreeMap<String, (Option<i64>, bool)> = BTreeMap::new();
        let mut take = |name: String, st: &OverflowState| {
            let e = newest.entry(name).or_insert((None, false));
            if st.seen_ms > e.0 {
                *e = (st.seen_ms, st.in_overflow);
            } else if st.seen_ms == e.0 {
                e.1 |= st.in_overflow;
            }
        };
        if let Ok(states) = state::load_state(self.s) {
            for (name, st) in &states {
                take(name.clone(), st);
            }
        }
        if self.s.topology.watch.is_some() {
            let table = crate::runbook::table_client(self.s, self.ctx);
            if let Ok(st) = Store::open(self.s, table, false).load().await {
                for (name, o) in &st.overflow {
                    take(name.clone(), o);
                }
            }
        }
        newest.into_iter().map(|(k, (_, v))| (k, v)).collect()
    }
}
