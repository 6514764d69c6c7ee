//! Automatic DR, pure: one poll of `dr.auto.when` (any signal bad is bad; unknown counts
//! neither way) updates the streak; a bad poll at least `for` after the streak began fires,
//! once: the DR then latches until a person runs `watch --unlatch dr`, whatever happens to it
//! (applied, failed, denied, timed out), so one outage never starts two DRs. With an approval,
//! firing records a pending DR, and each later poll resolves it from what the table says.

use serde::{Deserialize, Serialize};

use crate::topology::{DrAuto, OnTimeout};

/// What one poll saw of `dr.auto.when`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    Good,
    Bad(String),
    Unknown(String),
}

/// Kept with the watcher's state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DrAutoState {
    /// The first bad poll of the current streak (epoch seconds).
    pub bad_since: Option<i64>,
    /// The last poll in words: `good`, `bad: ...`, `unknown: ...`.
    pub last_poll: String,
    /// Set once the DR fired: nothing more until `watch --unlatch dr`.
    pub latched: Option<DrLatch>,
    /// A DR waiting for a person's approval.
    pub pending: Option<Pending>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrLatch {
    pub since: i64,
    pub why: String,
}

/// A DR waiting for approval (also an item of the coordination table's `dr-pending`
/// partition, which `dr approve` and `dr deny` answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub run: String,
    /// Epoch seconds.
    pub since: i64,
    pub deadline: i64,
    pub trigger: String,
}

/// What a pending DR's item says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// No answer yet.
    Waiting,
    Approved {
        by: String,
    },
    Denied {
        by: String,
        reason: Option<String>,
    },
    /// The item is gone (deleted by hand): taken as a denial.
    Missing,
}

/// What to do about automatic DR this poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Nothing,
    /// Start the DR now (no approval needed, or approved, or the deadline says proceed).
    Start {
        trigger: String,
        approved_by: Option<String>,
    },
    /// Record a pending DR and ask.
    Ask {
        trigger: String,
        deadline: i64,
    },
    /// The pending DR ends without a DR.
    Abort {
        why: String,
    },
}

/// Updates the streak from `signal`; fires when it has held for `for`.
pub fn evaluate(st: &mut DrAutoState, signal: &Signal, cfg: &DrAuto, now: i64) -> Step {
    match signal {
        Signal::Good => {
            st.bad_since = None;
            st.last_poll = "good".into();
        }
        Signal::Unknown(why) => st.last_poll = format!("unknown: {why}"),
        Signal::Bad(why) => {
            st.bad_since.get_or_insert(now);
            st.last_poll = format!("bad: {why}");
        }
    }
    if st.latched.is_some() || st.pending.is_some() {
        return Step::Nothing;
    }
    let (Signal::Bad(why), Some(since)) = (signal, st.bad_since) else {
        return Step::Nothing;
    };
    let held = now - since;
    if held < secs(cfg.sustain) {
        return Step::Nothing;
    }
    let trigger = format!(
        "{why} (for {})",
        crate::duration::format(std::time::Duration::from_secs(held.max(0) as u64))
    );
    match cfg.approval() {
        Some(a) => Step::Ask {
            trigger,
            deadline: now + secs(a.timeout),
        },
        None => Step::Start {
            trigger,
            approved_by: None,
        },
    }
}

/// A pending DR, given what its item says.
pub fn resolve(p: &Pending, answer: &Answer, cfg: &DrAuto, now: i64) -> Step {
    let on_timeout = cfg
        .approve
        .as_ref()
        .map_or(OnTimeout::Abort, |a| a.on_timeout);
    match answer {
        Answer::Approved { by } => Step::Start {
            trigger: p.trigger.clone(),
            approved_by: Some(by.clone()),
        },
        Answer::Denied { by, reason } => Step::Abort {
            why: match reason {
                Some(r) => format!("denied by {by}: {r}"),
                None => format!("denied by {by}"),
            },
        },
        Answer::Missing => Step::Abort {
            why: format!("the pending item {} is gone from the table", p.run),
        },
        Answer::Waiting if now < p.deadline => Step::Nothing,
        Answer::Waiting => match on_timeout {
            OnTimeout::Abort => Step::Abort {
                why: "no approval before the deadline (on_timeout: abort)".into(),
            },
            OnTimeout::Proceed => Step::Start {
                trigger: p.trigger.clone(),
                approved_by: Some("nobody: the deadline passed (on_timeout: proceed)".into()),
            },
        },
    }
}

fn secs(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topology::Approve;
    use std::time::Duration;

    fn cfg(approve: Option<OnTimeout>) -> DrAuto {
        DrAuto {
            alarm: Some("a".into()),
            health_check_failing: None,
            probe: None,
            sustain: Duration::from_secs(180),
            approve: approve.map(|on_timeout| Approve {
                required: true,
                timeout: Duration::from_secs(900),
                on_timeout,
            }),
            skip_terraform: false,
        }
    }

    #[test]
    fn fires_after_for_and_unknown_counts_neither_way() {
        let c = cfg(None);
        let mut st = DrAutoState::default();
        let bad = Signal::Bad("alarm a is in ALARM".into());
        assert_eq!(evaluate(&mut st, &bad, &c, 1000), Step::Nothing);
        // Unknown neither ends the streak nor fires it, even past `for`.
        assert_eq!(
            evaluate(&mut st, &Signal::Unknown("x".into()), &c, 1200),
            Step::Nothing
        );
        assert_eq!(st.bad_since, Some(1000));
        assert!(matches!(
            evaluate(&mut st, &bad, &c, 1180),
            Step::Start { .. }
        ));
        // A good poll ends it.
        let mut st = DrAutoState::default();
        evaluate(&mut st, &bad, &c, 1000);
        evaluate(&mut st, &Signal::Good, &c, 1100);
        assert_eq!(evaluate(&mut st, &bad, &c, 1200), Step::Nothing);
        // Latched: never again.
        st.latched = Some(DrLatch {
            since: 1,
            why: "x".into(),
        });
        assert_eq!(evaluate(&mut st, &bad, &c, 9999), Step::Nothing);
    }

    #[test]
    fn an_approval_is_asked_then_resolved_by_the_answer_or_the_deadline() {
        let c = cfg(Some(OnTimeout::Abort));
        let mut st = DrAutoState::default();
        let bad = Signal::Bad("b".into());
        evaluate(&mut st, &bad, &c, 0);
        let Step::Ask { deadline, .. } = evaluate(&mut st, &bad, &c, 180) else {
            panic!("asks");
        };
        assert_eq!(deadline, 1080);
        let p = Pending {
            run: "r".into(),
            since: 180,
            deadline,
            trigger: "b".into(),
        };
        assert_eq!(resolve(&p, &Answer::Waiting, &c, 1079), Step::Nothing);
        assert!(matches!(
            resolve(&p, &Answer::Waiting, &c, 1080),
            Step::Abort { .. }
        ));
        let proceed = cfg(Some(OnTimeout::Proceed));
        assert!(matches!(
            resolve(&p, &Answer::Waiting, &proceed, 1080),
            Step::Start { .. }
        ));
        assert!(matches!(
            resolve(&p, &Answer::Approved { by: "u@h".into() }, &c, 200),
            Step::Start { approved_by: Some(b), .. } if b == "u@h"
        ));
    }
}
