//! Overflow, decided without I/O: when a service enters its overflow split and when it
//! leaves it, from one reading at a time and the streaks so far (hysteresis and sustain, the
//! way failover decides), and how overflow yields to a failover in force.

use serde::{Deserialize, Serialize};

use crate::plan::traffic::{LastChange, Weights, same_split};
use crate::topology::{OnNoData, Overflow, Service, Topology};

/// One reading of a service's query, as the decision sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    /// A finite number.
    Value(f64),
    /// An empty result, NaN or an infinity: `on_no_data` says what it means.
    NoData,
    /// The query failed (timeout, HTTP error, bad answer): never counts either way.
    Unknown,
}

/// Where a reading falls, after `on_no_data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// >= above.
    High,
    /// Between below and above: nothing moves, both streaks end.
    Between,
    /// < below (or no data with `on_no_data: normal`).
    Low,
    /// Counts neither way and ends no streak.
    Unknown,
}

/// Per-service overflow memory across polls (or cron runs): serializable as is, so it can be
/// kept in a state file. Times are epoch milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverflowState {
    /// The overflow split is what this service should get (set once it was applied, or seen
    /// live).
    pub in_overflow: bool,
    /// Since when every known reading was >= above.
    pub above_since_ms: Option<i64>,
    /// Since when every known reading was < below.
    pub below_since_ms: Option<i64>,
    /// When this record was last evaluated: of two records of one service (the watcher's, the
    /// `overflow` command's), the newer one says whether it is in overflow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen_ms: Option<i64>,
}

/// What is due for one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Apply the overflow split.
    Enter,
    /// Restore the normal weights.
    Leave,
    /// Nothing to do.
    Stay,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub verdict: Verdict,
    pub side: Side,
    /// The streaks after this reading; `in_overflow` is unchanged (see [`OverflowState::applied`]).
    pub state: OverflowState,
    /// For a person: why, naming the value and the threshold.
    pub why: String,
}

impl OverflowState {
    /// Records that `verdict` was carried out: the split now in force, fresh streaks.
    pub fn applied(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Enter => self.in_overflow = true,
            Verdict::Leave => self.in_overflow = false,
            Verdict::Stay => return,
        }
        self.above_since_ms = None;
        self.below_since_ms = None;
    }

    /// Live weights are the truth when they match one of the two splits (a person may have
    /// moved them by hand); any other split leaves the memory as it was.
    pub fn observe_live(&mut self, split: LiveSplit) {
        match split {
            LiveSplit::Overflow => self.in_overflow = true,
            LiveSplit::Normal => self.in_overflow = false,
            LiveSplit::Other => {}
        }
    }
}

/// Which side of `cfg` a reading falls on.
pub fn side(cfg: &Overflow, reading: Reading) -> Side {
    match reading {
        Reading::Value(v) if v >= cfg.above => Side::High,
        Reading::Value(v) if v < cfg.below => Side::Low,
        Reading::Value(_) => Side::Between,
        Reading::NoData => match cfg.on_no_data {
            OnNoData::Hold => Side::Unknown,
            OnNoData::Normal => Side::Low,
        },
        Reading::Unknown => Side::Unknown,
    }
}

/// Enter when readings stayed >= above for `cfg.sustain`, leave when they stayed < below for
/// it; a reading between the thresholds ends both streaks; an unknown one changes nothing.
pub fn decide(cfg: &Overflow, state: &OverflowState, reading: Reading, now_ms: i64) -> Decision {
    let side = side(cfg, reading);
    let mut next = state.clone();
    next.seen_ms = Some(now_ms);
    match side {
        Side::High => {
            next.above_since_ms = next.above_since_ms.or(Some(now_ms));
            next.below_since_ms = None;
        }
        Side::Low => {
            next.below_since_ms = next.below_since_ms.or(Some(now_ms));
            next.above_since_ms = None;
        }
        Side::Between => {
            next.above_since_ms = None;
            next.below_since_ms = None;
        }
        Side::Unknown => {}
    }
    let need = i64::try_from(cfg.sustain.as_millis()).unwrap_or(i64::MAX);
    let held = |since: Option<i64>| since.is_some_and(|t| now_ms.saturating_sub(t) >= need);
    let value = match reading {
        Reading::Value(v) => format!("{v}"),
        Reading::NoData => "no data".into(),
        Reading::Unknown => "unknown".into(),
    };
    let sustain = crate::duration::format(cfg.sustain);
    let (verdict, why) = if !state.in_overflow && side == Side::High && held(next.above_since_ms) {
        let why = format!("{value} >= above {} for {sustain}", cfg.above);
        (Verdict::Enter, why)
    } else if state.in_overflow && side == Side::Low && held(next.below_since_ms) {
        let why = format!("{value} < below {} for {sustain}", cfg.below);
        (Verdict::Leave, why)
    } else {
        (Verdict::Stay, stay_reason(cfg, state, side, &value))
    };
    Decision {
        verdict,
        side,
        state: next,
        why,
    }
}

fn stay_reason(cfg: &Overflow, state: &OverflowState, side: Side, value: &str) -> String {
    let sustain = crate::duration::format(cfg.sustain);
    match (state.in_overflow, side) {
        (_, Side::Unknown) => format!("{value}: counts neither way"),
        (false, Side::High) => format!("{value} >= above {}, not yet for {sustain}", cfg.above),
        (true, Side::Low) => format!("{value} < below {}, not yet for {sustain}", cfg.below),
        (_, Side::Between) => format!(
            "{value} is between below {} and above {}",
            cfg.below, cfg.above
        ),
        (false, Side::Low) => format!("{value} < above {}", cfg.above),
        (true, Side::High) => format!("{value} >= above {}: overflow goes on", cfg.above),
    }
}

/// How live weights relate to a service's two splits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LiveSplit {
    Normal,
    Overflow,
    Other,
}

/// The file's normal weights of a service.
pub fn normal_weights(svc: &Service) -> Weights {
    svc.targets
        .iter()
        .map(|t| (t.site.clone(), t.weight))
        .collect()
}

/// The overflow split, in the service's site order.
pub fn overflow_weights(cfg: &Overflow) -> Weights {
    cfg.weights.iter().cloned().collect()
}

pub fn live_split(svc: &Service, cfg: &Overflow, live: &Weights) -> LiveSplit {
    if same_split(live, &normal_weights(svc)) {
        LiveSplit::Normal
    } else if same_split(live, &overflow_weights(cfg)) {
        LiveSplit::Overflow
    } else {
        LiveSplit::Other
    }
}

/// Where a failback of a service with overflow lands: its overflow split while overflow
/// holds, else the file's weights. Overflow holds when the reading is at or above `above`,
/// or when the service was in overflow before the failover (`remembered`) and the reading
/// does not say it is over: between the thresholds (hysteresis), or no reading at all. The
/// text says why, for the person and the journal.
pub fn failback_target(
    svc: &Service,
    cfg: &Overflow,
    reading: Reading,
    words: &str,
    remembered: bool,
) -> (Weights, String) {
    let hot = match side(cfg, reading) {
        Side::High => Some(format!("{words} >= above {}", cfg.above)),
        Side::Low => None,
        Side::Between if remembered => Some(format!(
            "{words} is between below {} and above {}, and the service was in overflow",
            cfg.below, cfg.above
        )),
        Side::Unknown if remembered => Some(format!(
            "no reading ({words}), and the service was in overflow"
        )),
        Side::Between | Side::Unknown => None,
    };
    match hot {
        Some(why) => (
            overflow_weights(cfg),
            format!(
                "service `{}`: overflow holds ({why}): the failback returns to the overflow split {}",
                svc.name,
                crate::plan::traffic::format_weights(&overflow_weights(cfg))
            ),
        ),
        None => (
            normal_weights(svc),
            format!(
                "service `{}`: overflow does not hold ({words}): the failback returns to the file's weights",
                svc.name
            ),
        ),
    }
}

/// A failover in force, known from the record of who set the live weights (`last`, the rule's
/// `hybridctl:last-change` tag), not from the split: the `failover.from` site is at 0 (its
/// normal weight is not) and the last recorded change is not overflow's own. A failover
/// recorded last counts whatever the split looks like, even one equal to the overflow split;
/// a `from` at 0 that no hybridctl record explains (a change by hand) counts too, so overflow
/// never undoes a person's failover. Failover always wins over overflow: overflow changes
/// nothing then.
pub fn failover_in_force(topo: &Topology, svc: &Service, live: &Weights, last: LastChange) -> bool {
    from_at_zero(topo, svc, live) && last != LastChange::Overflow
}

/// How a failover in force is known, for the message: the record, or a `from` at 0 that no
/// record explains.
pub fn failover_evidence(topo: &Topology, last: LastChange) -> String {
    let from = topo.failover.as_ref().map_or("", |f| f.from.as_str());
    match last {
        LastChange::Failover => {
            format!("the last change recorded on the rule is a failover, and {from} is at 0")
        }
        _ => format!("{from} is at 0, and no hybridctl record says overflow set it"),
    }
}

/// The `failover.from` site is at 0 while its normal weight is not: what every failover
/// leaves. Only then does the record of the last change need reading.
pub fn from_at_zero(topo: &Topology, svc: &Service, live: &Weights) -> bool {
    let Some(f) = &topo.failover else {
        return false;
    };
    let normal = svc
        .targets
        .iter()
        .find(|t| t.site == f.from)
        .map(|t| t.weight);
    normal.is_some_and(|w| w > 0) && live.get(&f.from) == Some(&0)
}

#[cfg(test)]
mod tests;
