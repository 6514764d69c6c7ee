//! `watch`'s drills: per `drill.schedule`, one at a time, only by the active watcher, never
//! while latched or with a service failed over. The window is marked taken in the shared state
//! before the shift, so a watcher on another host never starts a second drill in it.

use super::Watcher;
use super::role::Role;
use crate::commands::drill::{self, Drill};
use crate::notify::{self, EventKind};
use crate::plan::drill::{self as plan, DrillOutcome};
use crate::plan::watch::{LastDrill, WatchState};
use crate::topology::Severity;

impl Watcher<'_> {
    /// Starts the due drill, if any, and returns the line's words for it.
    pub(super) async fn scheduled_drill(&mut self, state: &mut WatchState) -> Option<String> {
        let cfg = self.s.topology.drill.clone()?;
        let schedule = cfg.schedule.clone()?;
        if self.args.observe || state.latched.is_some() {
            return None;
        }
        if state.services.values().any(|s| s.failed_over_at.is_some()) {
            return None;
        }
        let now = self.s.clock.epoch();
        let svc = self
            .s
            .topology
            .services
            .iter()
            // A dns service has no target group a drill's hold can read (`drill` refuses it).
            .filter(|svc| svc.alb().is_some())
            .find(|svc| plan::due(&schedule, now, state.drills.get(&svc.name)).is_ok())?
            .clone();
        if let (Role::Standby(_), _) = self.guard.ensure(&self.s, &self.signals.stop).await {
            return None;
        }
        // The window is taken before anything moves: saved, or no drill.
        let mut taken = state.clone();
        let prev = taken.drills.get(&svc.name).cloned();
        taken.drills.insert(
            svc.name.clone(),
            LastDrill {
                outcome: prev.as_ref().map_or("none".into(), |p| p.outcome.clone()),
                time: prev.as_ref().map_or(now, |p| p.time),
                last_passed: prev.as_ref().and_then(|p| p.last_passed),
                started: Some(now),
            },
        );
        if let Err(m) = self.store.save(&taken).await {
            let m = match m {
                super::store::SaveError::Conflict(m) | super::store::SaveError::Failed(m) => m,
            };
            self.log(&format!("drill of {} not started: {m}", svc.name));
            self.state = None;
            return None;
        }
        *state = taken;
        self.log(&format!("drill of {}: scheduled", svc.name));
        let ran = self.drilling(&svc, &cfg).await;
        drill::remember(state, &ran, self.s.clock.epoch());
        let reason = "scheduled drill";
        if let Err(e) =
            drill::journal(&self.s, self.table.as_ref(), &ran, Some(self.actor), reason).await
        {
            self.log(&format!("error: the drill's record was not journaled: {e}"));
        }
        let word = ran.outcome.word();
        let m = format!("drill of {} {word}: {}", svc.name, ran.row.message);
        self.log(&m);
        let severity = match ran.outcome {
            DrillOutcome::Passed => Severity::Info,
            DrillOutcome::Aborted => Severity::Critical,
            _ => Severity::Warning,
        };
        let e = notify::Event::new(
            EventKind::Drill,
            self.actor,
            self.actor,
            self.s.clock.rfc3339(),
        )
        .severity(severity)
        .message(m);
        self.deliver(e);
        Some(format!("{}: {word}", svc.name))
    }

    /// The drill, with the watcher lease renewed meanwhile (the hold outlasts a lease).
    async fn drilling(
        &mut self,
        svc: &crate::topology::Service,
        cfg: &crate::topology::Drill,
    ) -> drill::Ran {
        let every = self.guard.renew_every();
        let mut quiet = self.out.clone();
        quiet.quiet = true;
        let f = self
            .s
            .topology
            .failover
            .clone()
            .expect("prepared: watch needs failover");
        let s = self.s.clone();
        let d = Drill {
            s: &s,
            ctx: &self.ctx,
            svc,
            f: &f,
            cfg,
            out: &quiet,
            stop: self.signals.stop.clone(),
            actor: Some(self.actor),
            reason: "scheduled drill",
            yes: true,
            dry_run: false,
        };
        self.acting(Some(format!("drill of {}", svc.name)));
        let run = d.run();
        tokio::pin!(run);
        let ran = loop {
            let renew = async {
                match every {
                    Some(d) => tokio::time::sleep(d).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                done = &mut run => break done,
                () = renew => {
                    if let (Role::Standby(who), _) = self.guard.ensure(&self.s, &self.signals.stop).await {
                        tracing::warn!("the watcher lease went to {who} during a drill");
                    }
                }
            }
        };
        self.acting(None);
        ran
    }
}
