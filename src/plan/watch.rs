//! The watcher's decisions, pure: one evaluation turns the persisted state and one poll of every
//! service into the next state, the state changes worth a line, and at most one action.
//!
//! Per service, a poll is bad (the from-site has too few healthy targets, or the alarm is in
//! ALARM), good, or unknown (a read failed). Unknown counts neither way and resets no streak;
//! `unknown_after` of them in a row raise one alert. `fail_after` bad polls in a row fail the
//! service over, unless the watcher has latched: after `max_auto_failovers` automatic failovers
//! within `window` it stays where it is and waits for a human (`watch --unlatch`). Once failed
//! over, the service is ready for failback after `hold` when its from-site has been good for
//! `ok_for` and the replication gate passes: notified once, and acted on with `auto_failback`
//! (only for failovers the watcher made itself).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::topology::Watch;

pub const STATE_SCHEMA: u32 = 1;

/// One service's poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Poll {
    Good,
    Bad(String),
    Unknown(String),
}

/// Where a service's weights stand, as read in this poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Live {
    /// The from-site carries traffic.
    Normal,
    /// The from-site is at 0 and it normally carries traffic.
    FailedOver,
    /// The rule could not be read: as last known.
    Unknown,
}

/// One service's observation.
#[derive(Debug, Clone)]
pub struct Seen {
    pub service: String,
    pub poll: Poll,
    pub live: Live,
}

/// What one poll saw: every watched service, and the replication gate for failback
/// (None: no replication configured, or not needed this poll; Some(Err): unreadable).
#[derive(Debug, Clone)]
pub struct Observation {
    pub services: Vec<Seen>,
    pub replication: Option<Result<(), String>>,
    /// `dr.auto.when` this poll (None: no automatic DR).
    pub dr: Option<crate::plan::dr_auto::Signal>,
}

/// Persisted between polls and across restarts (the local state file or the coordination table).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WatchState {
    pub schema: u32,
    /// Bumped by every save of a local state file (a save finding another was overtaken).
    pub rev: u64,
    pub services: BTreeMap<String, ServiceState>,
    /// When the watcher's automatic failovers happened (epoch seconds), for the latch.
    pub failovers: Vec<i64>,
    /// Set when the watcher latched: it acts no more until `watch --unlatch`.
    pub latched: Option<Latch>,
    /// The host and time of the last evaluation, and its role.
    pub last_evaluation: Option<Evaluated>,
    /// The last action taken (or refused), for `status`.
    pub last_action: Option<LastAction>,
    /// Overflow streaks per service (`overflow:`), kept with the rest.
    pub overflow: BTreeMap<String, crate::plan::overflow::OverflowState>,
    /// The last drill per service (issue 25.1 records them; the metrics endpoint shows them).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub drills: BTreeMap<String, LastDrill>,
    /// Automatic DR (`dr.auto`): its streak, latch and pending approval.
    #[serde(skip_serializing_if = "crate::plan::watch::is_default")]
    pub dr_auto: crate::plan::dr_auto::DrAutoState,
}

pub fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// How a service's last drill ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastDrill {
    /// passed | failed | aborted | refused
    pub outcome: String,
    /// When it ended (epoch seconds).
    pub time: i64,
    /// When the last drill that passed ended (epoch seconds), if one ever did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_passed: Option<i64>,
    /// When the last drill began (epoch seconds): recorded before its shift, so that a watcher
    /// on another host sees the window taken even if this one dies during the hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceState {
    /// Consecutive bad polls.
    pub bad: u32,
    /// Consecutive unknown polls.
    pub unknown: u32,
    /// The from-site has been good without a bad poll since (epoch seconds).
    pub good_since: Option<i64>,
    /// The last poll, in words: `good`, `bad: ...`, `unknown: ...`.
    pub last_poll: String,
    /// Whether the unknown streak has been alerted on.
    pub unknown_alerted: bool,
    /// Failed over since (epoch seconds), as last read.
    pub failed_over_at: Option<i64>,
    /// The watcher made this failover (only those are failed back automatically).
    pub failed_over_by_watch: bool,
    /// "ready for failback" was notified for this failover.
    pub ready_notified: bool,
    /// A refused failover was notified for this bad streak.
    pub refusal_notified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Latch {
    pub since: i64,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluated {
    pub time: i64,
    pub host: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastAction {
    pub time: i64,
    pub kind: ActionKind,
    pub services: Vec<String>,
    pub outcome: String,
    pub message: String,
}

impl LastAction {
    pub fn new(time: i64, a: &Action, outcome: &str, message: &str) -> LastAction {
        LastAction {
            time,
            kind: a.kind,
            services: a.services.clone(),
            outcome: outcome.to_string(),
            message: message.to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    Failover,
    Failback,
}

/// What the watcher should do now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub kind: ActionKind,
    pub services: Vec<String>,
    /// For the journal and the tag: names the signal.
    pub reason: String,
}

/// A state change worth one line (and, for some, a notification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    /// A bad poll: the streak so far.
    Bad {
        service: String,
        streak: u32,
        of: u32,
        why: String,
    },
    /// A good poll after bad or unknown ones.
    Recovered {
        service: String,
    },
    Unknown {
        service: String,
        streak: u32,
        why: String,
    },
    /// `unknown_after` unknown polls in a row: an alert, never an action.
    UnknownAlert {
        service: String,
        streak: u32,
        why: String,
    },
    /// A failover is due but the watcher has latched.
    Latched {
        services: Vec<String>,
        why: String,
    },
    /// Failback is ready (notified once per failover).
    ReadyForFailback {
        services: Vec<String>,
    },
    /// The weights were found failed over (or back) without the watcher.
    SeenFailedOver {
        service: String,
    },
    SeenBack {
        service: String,
    },
}

impl Event {
    /// Events that page or inform people (the rest are log lines).
    pub fn notifies(&self) -> bool {
        matches!(
            self,
            Event::UnknownAlert { .. } | Event::Latched { .. } | Event::ReadyForFailback { .. }
        )
    }
}

/// The result of one evaluation.
#[derive(Debug, Clone, Default)]
pub struct Decision {
    pub events: Vec<Event>,
    pub action: Option<Action>,
}

impl WatchState {
    /// Automatic failovers within `window` of `now`.
    pub fn failovers_in_window(&self, now: i64, window_s: i64) -> usize {
        self.failovers
            .iter()
            .filter(|&&t| now - t < window_s)
            .count()
    }

    /// Drops services the topology no longer watches and failovers older than the window.
    pub fn prune(&mut self, services: &[String], now: i64, window_s: i64) {
        self.services.retain(|k, _| services.contains(k));
        self.failovers.retain(|&t| now - t < window_s);
        self.schema = STATE_SCHEMA;
    }

    /// Records an applied automatic failover; latches once the budget is spent.
    pub fn failed_over(&mut self, services: &[String], now: i64, cfg: &Watch) {
        self.failovers.push(now);
        for name in services {
            let s = self.services.entry(name.clone()).or_default();
            s.failed_over_at = Some(now);
            s.failed_over_by_watch = true;
            s.ready_notified = false;
            s.refusal_notified = false;
        }
        let used = self.failovers_in_window(now, secs(cfg.window));
        if used >= cfg.max_auto_failovers as usize && self.latched.is_none() {
            self.latched = Some(Latch {
                since: now,
                why: format!(
                    "{used} automatic failover(s) within {}: staying failed over until a person runs `hybridctl watch --unlatch`",
                    human(secs(cfg.window))
                ),
            });
        }
    }

    /// Records an applied automatic failback.
    pub fn failed_back(&mut self, services: &[String]) {
        for name in services {
            let s = self.services.entry(name.clone()).or_default();
            s.failed_over_at = None;
            s.failed_over_by_watch = false;
            s.ready_notified = false;
        }
    }

    /// A refused failover is notified once per bad streak; true when this one should be.
    pub fn refusal_to_notify(&mut self, services: &[String]) -> bool {
        let mut fresh = false;
        for name in services {
            let s = self.services.entry(name.clone()).or_default();
            fresh |= !std::mem::replace(&mut s.refusal_notified, true);
        }
        fresh
    }
}

/// The watcher as `status` shows it: who evaluated last, the streaks, the latch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WatchStatus {
    /// Where the state lives (a file, or the coordination table).
    pub store: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub last_evaluation: Option<Evaluated>,
    pub services: BTreeMap<String, ServiceState>,
    pub latched: Option<Latch>,
    pub last_action: Option<LastAction>,
}

impl WatchStatus {
    pub fn of(store: String, state: Result<WatchState, String>) -> WatchStatus {
        match state {
            Ok(st) => WatchStatus {
                store,
                error: None,
                last_evaluation: st.last_evaluation,
                services: st.services,
                latched: st.latched,
                last_action: st.last_action,
            },
            Err(e) => WatchStatus {
                store,
                error: Some(e),
                last_evaluation: None,
                services: BTreeMap::new(),
                latched: None,
                last_action: None,
            },
        }
    }
}

/// Whole seconds, saturating (validation caps the durations; this keeps the arithmetic sane).
pub fn secs(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 4)
}

/// `30m`, `6h`, `90s`: seconds for people.
pub fn human(secs: i64) -> String {
    match secs {
        s if s > 0 && s % 3600 == 0 => format!("{}h", s / 3600),
        s if s > 0 && s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// One evaluation: updates `state` from `seen` and decides. `now` in epoch seconds.
pub fn evaluate(state: &mut WatchState, seen: &Observation, cfg: &Watch, now: i64) -> Decision {
    let mut d = Decision::default();
    for s in &seen.services {
        let st = state.services.entry(s.service.clone()).or_default();
        streaks(st, s, cfg, now, &mut d.events);
        live(st, s, now, &mut d.events);
    }
    let due: Vec<String> = seen
        .services
        .iter()
        .filter(|s| s.live == Live::Normal && state.services[&s.service].bad >= cfg.fail_after)
        .map(|s| s.service.clone())
        .collect();
    if !due.is_empty() {
        match state.latched.clone() {
            Some(l) => {
                // Said once per latch and streak: the refusal flag doubles as "told".
                if state.refusal_to_notify(&due) {
                    d.events.push(Event::Latched {
                        services: due,
                        why: l.why,
                    });
                }
            }
            None => {
                let why: Vec<String> = due
                    .iter()
                    .map(|n| format!("{n}: {}", state.services[n].last_poll))
                    .collect();
                let streak = due.iter().map(|n| state.services[n].bad).max().unwrap_or(0);
                d.action = Some(Action {
                    kind: ActionKind::Failover,
                    reason: format!("watch: {streak} bad polls in a row ({})", why.join("; ")),
                    services: due,
                });
            }
        }
        return d;
    }
    failback(state, seen, cfg, now, &mut d);
    d
}

/// Updates one service's streaks from its poll.
fn streaks(st: &mut ServiceState, s: &Seen, cfg: &Watch, now: i64, events: &mut Vec<Event>) {
    match &s.poll {
        Poll::Good => {
            if st.bad > 0 || st.unknown > 0 {
                events.push(Event::Recovered {
                    service: s.service.clone(),
                });
            }
            st.bad = 0;
            st.unknown = 0;
            st.unknown_alerted = false;
            st.refusal_notified = false;
            st.good_since.get_or_insert(now);
            st.last_poll = "good".into();
        }
        Poll::Bad(why) => {
            st.bad += 1;
            st.unknown = 0;
            st.unknown_alerted = false;
            st.good_since = None;
            st.last_poll = format!("bad: {why}");
            // Said up to the failover; after it (or while failed over) the streak goes on quietly.
            if st.bad <= cfg.fail_after && st.failed_over_at.is_none() {
                events.push(Event::Bad {
                    service: s.service.clone(),
                    streak: st.bad,
                    of: cfg.fail_after,
                    why: why.clone(),
                });
            }
        }
        Poll::Unknown(why) => {
            st.unknown += 1;
            st.last_poll = format!("unknown: {why}");
            events.push(Event::Unknown {
                service: s.service.clone(),
                streak: st.unknown,
                why: why.clone(),
            });
            if st.unknown >= cfg.unknown_after && !st.unknown_alerted {
                st.unknown_alerted = true;
                events.push(Event::UnknownAlert {
                    service: s.service.clone(),
                    streak: st.unknown,
                    why: why.clone(),
                });
            }
        }
    }
}

/// Follows the live weights: a failover or failback made by someone else is taken as found.
fn live(st: &mut ServiceState, s: &Seen, now: i64, events: &mut Vec<Event>) {
    match (s.live, st.failed_over_at) {
        (Live::FailedOver, None) => {
            st.failed_over_at = Some(now);
            st.failed_over_by_watch = false;
            st.ready_notified = false;
            events.push(Event::SeenFailedOver {
                service: s.service.clone(),
            });
        }
        (Live::Normal, Some(_)) => {
            st.failed_over_at = None;
            st.failed_over_by_watch = false;
            st.ready_notified = false;
            events.push(Event::SeenBack {
                service: s.service.clone(),
            });
        }
        _ => {}
    }
}

/// Failback readiness (and the automatic failback) for the failed-over services.
fn failback(state: &mut WatchState, seen: &Observation, cfg: &Watch, now: i64, d: &mut Decision) {
    let hold = secs(cfg.hold);
    let ok_for = secs(cfg.ok_for);
    let replication_ok = !matches!(seen.replication, Some(Err(_)));
    let ready: Vec<String> = seen
        .services
        .iter()
        .filter(|s| s.live == Live::FailedOver)
        .filter(|s| {
            let st = &state.services[&s.service];
            st.failed_over_at.is_some_and(|t| now - t >= hold)
                && st.good_since.is_some_and(|t| now - t >= ok_for)
        })
        .map(|s| s.service.clone())
        .filter(|_| replication_ok)
        .collect();
    if ready.is_empty() {
        return;
    }
    let fresh: Vec<String> = ready
        .iter()
        .filter(|n| !state.services[*n].ready_notified)
        .cloned()
        .collect();
    for n in &fresh {
        state.services.get_mut(n).expect("evaluated").ready_notified = true;
    }
    if !fresh.is_empty() {
        d.events.push(Event::ReadyForFailback { services: fresh });
    }
    let auto: Vec<String> = ready
        .into_iter()
        .filter(|n| state.services[n].failed_over_by_watch)
        .collect();
    if cfg.auto_failback && state.latched.is_none() && !auto.is_empty() {
        d.action = Some(Action {
            kind: ActionKind::Failback,
            reason: format!(
                "watch: the from-site has been good for {} and {} have passed since the failover",
                human(ok_for),
                human(hold)
            ),
            services: auto,
        });
    }
}

#[cfg(test)]
mod tests;
