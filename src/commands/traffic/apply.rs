//! Applying a traffic plan through the runbook, and how a halted run ends: refused, stopped,
//! rolled back, concurrent change, interrupted or failed, always with what AWS holds.

use super::write::TrafficWrite;
use super::{Flow, Planned, ReadState};
use crate::cli::OnFailure;
use crate::commands::live;
use crate::error::AwsError;
use crate::plan::traffic::{self as plan, AfterGate};
use crate::render;
use crate::report::Outcome;
use crate::runbook::{Halt, Runbook};
use crate::topology::Service;

impl<'a> Flow<'a> {
    /// Writes every step through the runbook; returns how it ended.
    pub(super) async fn apply(
        &self,
        rb: &mut Runbook<'_>,
        planned: &mut [Planned<'a>],
    ) -> (Outcome, String) {
        let total = planned
            .iter()
            .map(|p| p.change.steps.len())
            .max()
            .unwrap_or(0);
        let progress = render::traffic::Progress::new(self.out, total as u64);
        let interval = self.args().interval;
        for step in 0..total {
            if step > 0 {
                progress.wait(interval, step + 1, total);
                if let Err(h) = rb.wait(interval).await {
                    return self.halted(rb, planned, step, h).await;
                }
            }
            let mut w = TrafficWrite::forward(self, planned, step, total, rb.interrupt.clone());
            if let Err(h) = rb.step(&mut w).await {
                return self.halted(rb, planned, step, h).await;
            }
            let summary: Vec<String> = planned
                .iter()
                .filter(|p| step < p.change.steps.len())
                .map(|p| {
                    format!(
                        "{} {}",
                        p.svc.name,
                        plan::format_weights(&p.change.steps[step])
                    )
                })
                .collect();
            progress.step(
                step + 1,
                total,
                &format!("{}: verified", summary.join("; ")),
            );
        }
        progress.done();
        let now: Vec<String> = planned
            .iter()
            .map(|p| format!("{} {}", p.svc.name, plan::format_weights(&p.verified)))
            .collect();
        let m = format!(
            "{} applied and verified: {}{}",
            self.intent.command(),
            now.join("; "),
            resolvers(planned)
        );
        (Outcome::Applied, m)
    }

    /// A step did not complete: say why and what AWS holds.
    pub(super) async fn halted(
        &self,
        rb: &mut Runbook<'_>,
        planned: &mut [Planned<'a>],
        step: usize,
        halt: Halt,
    ) -> (Outcome, String) {
        let rollback = self.args().on_failure == OnFailure::Rollback;
        match halt {
            Halt::Gate(why) => match plan::after_gate_failure(step, rollback) {
                AfterGate::Refuse => {
                    self.read_now(planned).await;
                    let m = format!(
                        "refused: {why}; nothing was changed (the gates are checked again on fresh reads before every write; --force overrides, and is journaled)"
                    );
                    (Outcome::Refused, m)
                }
                AfterGate::RollBack => self.roll_back(rb, planned, why).await,
                AfterGate::Stop => {
                    self.read_now(planned).await;
                    let now = now_text(planned);
                    (
                        Outcome::Stopped,
                        format!("stopped where it was: {why}; traffic now: {now}"),
                    )
                }
            },
            Halt::Concurrent(why) => {
                self.read_now(planned).await;
                (Outcome::ConcurrentChange, why)
            }
            Halt::Interrupted => {
                self.read_now(planned).await;
                let sig = rb.interrupt.signal().map_or("a signal", |s| s.name());
                let m = format!("interrupted by {sig}; AWS now holds: {}", now_text(planned));
                (Outcome::Interrupted, m)
            }
            Halt::Failed(why) | Halt::Lease(why) => {
                self.read_now(planned).await;
                let m = format!("{why}; AWS now holds: {}", now_text(planned));
                (Outcome::Failed, m)
            }
        }
    }

    /// Writes the starting weights back, through the same checks as every write.
    pub(super) async fn roll_back(
        &self,
        rb: &mut Runbook<'_>,
        planned: &mut [Planned<'a>],
        why: String,
    ) -> (Outcome, String) {
        if planned.iter().all(|p| p.verified == p.change.before) {
            self.read_now(planned).await;
            let m = format!("stopped and rolled back to the starting weights: {why}");
            return (Outcome::RolledBack, m);
        }
        let mut w = TrafficWrite::rollback(self, planned, rb.interrupt.clone());
        let halt = match rb.step(&mut w).await {
            Ok(()) => {
                let m = format!("stopped and rolled back to the starting weights: {why}");
                return (Outcome::RolledBack, m);
            }
            Err(h) => h,
        };
        self.read_now(planned).await;
        let now = now_text(planned);
        match halt {
            Halt::Concurrent(c) => (
                Outcome::ConcurrentChange,
                format!("{why}; the rollback was not written: {c}; AWS now holds: {now}"),
            ),
            Halt::Interrupted => (
                Outcome::Interrupted,
                format!("{why}; interrupted during the rollback; AWS now holds: {now}"),
            ),
            Halt::Gate(g) => (
                Outcome::Stopped,
                format!("{why}; the rollback was not written either: {g}; AWS now holds: {now}"),
            ),
            Halt::Failed(m) | Halt::Lease(m) => (
                Outcome::Failed,
                format!("{why}; the rollback failed: {m}; AWS now holds: {now}"),
            ),
        }
    }

    /// What AWS holds now. When it cannot be read, each service keeps its last verified
    /// state, unless a write to it was sent and not verified (then: unknown).
    pub(super) async fn read_now(&self, planned: &mut [Planned<'_>]) {
        let svcs: Vec<&Service> = planned.iter().map(|p| p.svc).collect();
        let fresh = live::routes(self.ctx, &self.elb, &svcs).await;
        if let Err(e) = &fresh {
            self.remember_hint(e);
        }
        for p in planned.iter_mut() {
            let read = fresh
                .as_ref()
                .ok()
                .and_then(|f| f.get(&p.svc.name))
                .and_then(|l| l.weights(p.svc).ok());
            // A write sent and not read back: this read says what AWS holds. When it shows what
            // was sent, the write applied; otherwise it may be an unconverged answer and the
            // write may still apply, and the report says so. Unknown only when the read fails.
            (p.change.now, p.read) = match (read, p.uncertain) {
                (Some(w), false) => (Some(w), ReadState::Fresh),
                (Some(w), true) if p.sent.as_ref() == Some(&w) => {
                    p.uncertain = false;
                    p.verified = w.clone();
                    p.written += 1;
                    (Some(w), ReadState::Fresh)
                }
                (Some(w), true) => (Some(w), ReadState::Unconfirmed),
                (None, true) => (None, ReadState::Unread),
                (None, false) => (Some(p.verified.clone()), ReadState::LastVerified),
            };
        }
    }

    pub(super) fn remember_hint(&self, e: &AwsError) {
        if let Some(h) = &e.hint {
            self.hint.replace(Some(h.clone()));
        }
    }
}

/// When users follow a dns service's new weights: once Route 53 is INSYNC (the write waited
/// for it), as resolvers' cached answers expire.
fn resolvers(planned: &[Planned<'_>]) -> String {
    let ttls: Vec<String> = planned
        .iter()
        .filter(|p| p.written > 0)
        .filter_map(|p| match &p.live {
            live::Live::Dns(_) if p.insync_pending.is_some() => Some(format!(
                "; {}: Route 53 holds the new weights but change {} was not confirmed INSYNC when the run stopped waiting: resolvers follow once it is, then within the record's TTL",
                p.svc.name,
                p.insync_pending.as_deref().unwrap_or_default()
            )),
            live::Live::Dns(records) => {
                let ttl = records.iter().filter_map(|r| r.ttl).max();
                Some(match ttl {
                    Some(t) => format!(
                        "; {}: Route 53 in sync; resolvers follow within the record's TTL ({t} s)",
                        p.svc.name
                    ),
                    None => format!(
                        "; {}: Route 53 in sync; resolvers follow within the alias target's TTL",
                        p.svc.name
                    ),
                })
            }
            live::Live::Alb(_) => None,
        })
        .collect();
    ttls.concat()
}

pub(super) fn now_text(planned: &[Planned<'_>]) -> String {
    planned
        .iter()
        .map(|p| {
            let now = match (&p.change.now, &p.read) {
                (Some(n), ReadState::LastVerified) => format!(
                    "{} as last verified (AWS could not be read)",
                    plan::format_weights(n)
                ),
                (Some(n), ReadState::Unconfirmed) => format!(
                    "{} as read after a write that did not read back (it may still apply)",
                    plan::format_weights(n)
                ),
                (Some(n), _) if n == &p.change.before => {
                    format!("{} (unchanged)", plan::format_weights(n))
                }
                (Some(n), _) => plan::format_weights(n),
                (None, _) => "unknown (a write was sent and AWS could not be read)".into(),
            };
            match &p.insync_pending {
                Some(c) => format!(
                    "{} {now} (Route 53 change {c} not confirmed INSYNC: resolvers may still answer the old weights)",
                    p.svc.name
                ),
                None => format!("{} {now}", p.svc.name),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}
