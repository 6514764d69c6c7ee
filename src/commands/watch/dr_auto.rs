//! Automatic DR in the watcher (`dr.auto`): the streak decided by `plan::dr_auto`, the pending
//! approval kept in the coordination table (`dr-pending`), and the same provision `dr
//! provision` runs, with the actor `watch` or `lambda`. The latch is saved before the provision
//! starts, so a standby that takes over mid-provision never starts a second one.

use super::{Watcher, outcome_word};
use crate::aws::dynamodb::{self, PendingDr};
use crate::commands::dr::{Auto, auto};
use crate::notify::{self, EventKind};
use crate::plan::dr_auto::{self as plan, Answer, DrLatch, Pending, Signal, Step};
use crate::plan::watch::WatchState;
use crate::report::{DrAutoLine, Outcome};
use crate::topology::Severity;

/// `dr-1767225600-4242`: the time and the process, unique enough (the item is written only
/// where none exists).
fn run_id(now: i64, pid: u32) -> String {
    format!("dr-{now}-{pid}")
}

fn time(epoch: i64) -> String {
    crate::aws::rfc3339(&aws_smithy_types::DateTime::from_secs(epoch))
}

impl Watcher<'_> {
    /// One poll of automatic DR; None when the file has no `dr.auto`.
    pub(super) async fn dr_auto(
        &mut self,
        state: &mut WatchState,
        signal: Option<&Signal>,
        now: i64,
    ) -> Option<DrAutoLine> {
        let cfg = self.s.topology.dr.as_ref()?.auto.clone()?;
        let signal = signal?;
        let step = match state.dr_auto.pending.clone() {
            Some(p) => {
                plan::evaluate(&mut state.dr_auto, signal, &cfg, now);
                match self.answer(&p).await {
                    Ok(a) => plan::resolve(&p, &a, &cfg, now),
                    Err(e) => {
                        self.log(&format!("dr auto: the pending DR {} unread: {e}", p.run));
                        Step::Nothing
                    }
                }
            }
            None => plan::evaluate(&mut state.dr_auto, signal, &cfg, now),
        };
        let action = match step {
            Step::Nothing => None,
            _ if self.args.observe => {
                self.log(&format!(
                    "dr auto: would {step:?}: --observe writes nothing"
                ));
                Some("observed".to_string())
            }
            Step::Ask { trigger, deadline } => Some(self.ask(state, trigger, now, deadline).await),
            Step::Abort { why } => Some(self.abort(state, why, now).await),
            Step::Start {
                trigger,
                approved_by,
            } => Some(self.start(state, trigger, approved_by, now).await),
        };
        Some(DrAutoLine {
            poll: state.dr_auto.last_poll.clone(),
            pending: state.dr_auto.pending.clone(),
            latched: state.dr_auto.latched.clone(),
            action,
        })
    }

    fn table_name(&self) -> Option<String> {
        self.s
            .topology
            .coordination
            .as_ref()
            .map(|c| c.dynamodb_table.clone())
    }

    async fn answer(&self, p: &Pending) -> Result<Answer, String> {
        let (Some(client), Some(table)) = (&self.table, self.table_name()) else {
            return Err("no coordination table".into());
        };
        let item = dynamodb::get_pending(client, &table, &p.run)
            .await
            .map_err(|e| e.to_string())?;
        Ok(match item {
            None => Answer::Missing,
            Some(i) => match i.status.as_str() {
                "approved" => Answer::Approved {
                    by: i.by.unwrap_or_default(),
                },
                "denied" => Answer::Denied {
                    by: i.by.unwrap_or_default(),
                    reason: i.reason,
                },
                _ => Answer::Waiting,
            },
        })
    }

    /// Records the pending DR, journals it and asks people.
    async fn ask(
        &mut self,
        state: &mut WatchState,
        trigger: String,
        now: i64,
        deadline: i64,
    ) -> String {
        let run = run_id(now, self.s.identity.pid);
        let (Some(client), Some(table)) = (self.table.clone(), self.table_name()) else {
            return "error: no coordination table for the approval".into();
        };
        let item = PendingDr {
            run: run.clone(),
            since: now,
            deadline,
            trigger: trigger.clone(),
            status: "pending".into(),
            by: None,
            reason: None,
        };
        if let Err(e) = dynamodb::put_pending(&client, &table, &item).await {
            let m = format!("dr auto: the pending DR cannot be recorded in {table}: {e}");
            self.log(&m);
            return format!("error: {m}");
        }
        state.dr_auto.pending = Some(Pending {
            run: run.clone(),
            since: now,
            deadline,
            trigger: trigger.clone(),
        });
        let m = format!(
            "DR pending approval: hybridctl dr approve {run}, or dr deny {run}; {} at {} ({trigger})",
            match cfg_on_timeout(self) {
                crate::topology::OnTimeout::Abort => "aborts",
                crate::topology::OnTimeout::Proceed => "proceeds",
            },
            time(deadline)
        );
        self.log(&m);
        self.journal(&run, &trigger, &m).await;
        self.notify_simple(EventKind::DrPending, Severity::Critical, &m)
            .await;
        "asked".into()
    }

    /// The pending DR ends without a DR; latched for this outage.
    async fn abort(&mut self, state: &mut WatchState, why: String, now: i64) -> String {
        let Some(p) = state.dr_auto.pending.take() else {
            return "aborted".into();
        };
        if let (Some(client), Some(table)) = (self.table.clone(), self.table_name()) {
            // A denied item stays denied; an unanswered one is closed as aborted.
            let _ = dynamodb::answer_pending(
                &client,
                &table,
                &p.run,
                ("pending", "aborted"),
                self.actor,
                Some(&why),
            )
            .await;
        }
        state.dr_auto.latched = Some(DrLatch {
            since: now,
            why: format!(
                "the pending DR {} was aborted ({why}): no automatic DR until `hybridctl watch --unlatch dr`",
                p.run
            ),
        });
        let m = format!("automatic DR {} aborted: {why}", p.run);
        self.log(&m);
        self.journal(&p.run, &p.trigger, &m).await;
        self.notify_simple(EventKind::Refused, Severity::Warning, &m)
            .await;
        "aborted".into()
    }

    /// Latches, saves, then runs the provision.
    async fn start(
        &mut self,
        state: &mut WatchState,
        trigger: String,
        approved_by: Option<String>,
        now: i64,
    ) -> String {
        let pending = state.dr_auto.pending.take();
        let run = pending.as_ref().map(|p| p.run.clone());
        if let (Some(p), Some(client), Some(table)) =
            (&pending, self.table.clone(), self.table_name())
        {
            let _ = dynamodb::answer_pending(
                &client,
                &table,
                &p.run,
                ("approved", "started"),
                approved_by.as_deref().unwrap_or(self.actor),
                None,
            )
            .await;
            let _ = dynamodb::answer_pending(
                &client,
                &table,
                &p.run,
                ("pending", "started"),
                self.actor,
                approved_by.as_deref(),
            )
            .await;
        }
        state.dr_auto.latched = Some(DrLatch {
            since: now,
            why: format!(
                "automatic DR started ({trigger}): no other until `hybridctl watch --unlatch dr`"
            ),
        });
        // Saved first: whatever happens to the provision, no watcher starts another.
        if let Err(e) = self.store.save(state).await {
            let m = match e {
                super::store::SaveError::Conflict(m) | super::store::SaveError::Failed(m) => m,
            };
            state.dr_auto.latched = None;
            state.dr_auto.pending = pending;
            let m = format!("dr auto: not started, the latch cannot be saved first: {m}");
            self.log(&m);
            self.state = None;
            return format!("error: {m}");
        }
        let mut reason = format!("dr.auto: {trigger}");
        if let Some(by) = &approved_by {
            reason.push_str(&format!("; approved by {by}"));
        }
        if let Some(r) = &run {
            reason.push_str(&format!(" (pending {r})"));
        }
        let only_building = self.actor == "lambda";
        self.log(&format!("automatic DR: dr provision ({reason})"));
        self.acting(Some("automatic DR (dr provision)".into()));
        let a = Auto {
            actor: self.actor,
            reason: reason.clone(),
            only_building,
            interrupt: self.signals.stop.clone(),
        };
        let done = auto(&self.s, self.out, a).await;
        self.acting(None);
        let (outcome, message, report) = match done {
            Ok((r, _)) => (r.outcome, r.message.clone(), Some(r)),
            Err(e) => (Outcome::Failed, e.to_string(), None),
        };
        let word = outcome_word(outcome);
        self.log(&format!("automatic DR {word}: {message}"));
        if outcome != Outcome::Applied {
            self.worst = crate::error::ExitStatus::No;
        }
        let time = self.s.clock.rfc3339();
        let event = match &report {
            Some(r) => notify::Event::from_dr(r, Some(reason), self.actor, &time),
            None => Some(
                notify::Event::new(EventKind::Failed, "dr provision", self.actor, &time)
                    .reason(Some(reason))
                    .message(message),
            ),
        };
        if let Some(e) = event {
            self.deliver(e);
        }
        format!("started: {word}")
    }

    /// A record in the journal and the shared history, with the actor.
    async fn journal(&self, run: &str, trigger: &str, message: &str) {
        if let Err(e) = crate::runbook::journal_warnings_as(
            &self.s,
            self.table.as_ref(),
            "dr auto",
            Some(trigger),
            Some(run),
            &[message.to_string()],
            Some(self.actor),
        )
        .await
        {
            self.log(&format!("error: {e}"));
        }
    }
}

fn cfg_on_timeout(w: &Watcher<'_>) -> crate::topology::OnTimeout {
    w.s.topology
        .dr
        .as_ref()
        .and_then(|d| d.auto.as_ref())
        .and_then(|a| a.approve.as_ref())
        .map_or(crate::topology::OnTimeout::Abort, |a| a.on_timeout)
}
