//! What a notification says: one `Event`, built with a small builder, or from a mutating
//! command's report. Pure data; the payloads are made from it in `payload`.

use serde::Serialize;

use crate::plan::traffic::Weights;
use crate::report::{DrRunReport, Outcome, TrafficReport};
use crate::topology::Severity;

/// Why a notification is sent. Add a variant here (and a default severity) for a new event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    /// A change was written and verified.
    Applied,
    /// A change was not made: a gate, a lock or lease held elsewhere, a concurrent change, a
    /// refusal to confirm; or a change stopped (or rolled back) by a gate between steps.
    Refused,
    /// A change failed or was interrupted: what AWS holds is in the message.
    Failed,
    /// The watcher reached `max_auto_failovers` and waits for a person.
    Latched,
    /// The from-site has been good long enough: failback may start.
    ReadyForFailback,
    /// Another host's watcher took the lease over.
    LeaseTakenOver,
    /// The watcher could not tell good from bad for `unknown_after` polls.
    Unknown,
    /// A scheduled drill ended (passed, failed, aborted, refused).
    Drill,
    /// An automatic DR waits for a person: `hybridctl dr approve RUN_ID` or `dr deny RUN_ID`.
    DrPending,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Applied => "applied",
            EventKind::Refused => "refused",
            EventKind::Failed => "failed",
            EventKind::Latched => "latched",
            EventKind::ReadyForFailback => "ready-for-failback",
            EventKind::LeaseTakenOver => "lease-taken-over",
            EventKind::Unknown => "unknown",
            EventKind::Drill => "drill",
            EventKind::DrPending => "dr-pending",
        }
    }

    /// The severity an event of this kind has unless the builder says otherwise.
    pub fn default_severity(self) -> Severity {
        match self {
            EventKind::Applied | EventKind::ReadyForFailback | EventKind::Drill => Severity::Info,
            EventKind::Refused | EventKind::LeaseTakenOver | EventKind::Unknown => {
                Severity::Warning
            }
            EventKind::Failed | EventKind::Latched | EventKind::DrPending => Severity::Critical,
        }
    }
}

/// One service's weights before and after (None: not known at the end).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceWeights {
    pub name: String,
    pub before: Weights,
    pub after: Option<Weights>,
}

/// One notification, whatever sinks it goes to.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: EventKind,
    pub severity: Severity,
    /// The report's outcome, when a command's run ended (None for watcher events).
    pub outcome: Option<Outcome>,
    /// `failover`, `dr provision`, `watch`.
    pub command: String,
    pub services: Vec<ServiceWeights>,
    pub reason: Option<String>,
    /// `user@host` for a person's command; `watch`, `lambda` for automation.
    pub actor: String,
    /// RFC 3339.
    pub time: String,
    pub message: String,
}

impl Event {
    /// An event of `kind` with its default severity, no outcome, services or reason.
    pub fn new(
        kind: EventKind,
        command: impl Into<String>,
        actor: impl Into<String>,
        time: impl Into<String>,
    ) -> Event {
        Event {
            kind,
            severity: kind.default_severity(),
            outcome: None,
            command: command.into(),
            services: Vec::new(),
            reason: None,
            actor: actor.into(),
            time: time.into(),
            message: String::new(),
        }
    }

    pub fn severity(mut self, severity: Severity) -> Event {
        self.severity = severity;
        self
    }

    pub fn outcome(mut self, outcome: Outcome) -> Event {
        self.outcome = Some(outcome);
        self
    }

    pub fn service(
        mut self,
        name: impl Into<String>,
        before: Weights,
        after: Option<Weights>,
    ) -> Event {
        self.services.push(ServiceWeights {
            name: name.into(),
            before,
            after,
        });
        self
    }

    pub fn reason(mut self, reason: Option<String>) -> Event {
        self.reason = reason;
        self
    }

    pub fn message(mut self, message: impl Into<String>) -> Event {
        self.message = message.into();
        self
    }

    /// The event a traffic command's report makes; None when nothing was changed and
    /// nothing needs attention (no-op, no action, dry run).
    pub fn from_traffic(r: &TrafficReport, actor: &str, time: &str) -> Option<Event> {
        let kind = kind_of(r.outcome)?;
        let mut e = Event::new(kind, r.command, actor, time)
            .outcome(r.outcome)
            .reason(r.reason.clone())
            .message(r.message.clone());
        // Moving traffic off a site is worth a look even when it worked.
        if kind == EventKind::Applied && r.command == "failover" {
            e = e.severity(Severity::Warning);
        }
        for s in &r.services {
            e = e.service(s.name.clone(), s.before.clone(), s.now.clone());
        }
        Some(e)
    }

    /// The event a DR run's report makes (no services: the message names the stage).
    pub fn from_dr(
        r: &DrRunReport,
        reason: Option<String>,
        actor: &str,
        time: &str,
    ) -> Option<Event> {
        let kind = kind_of(r.outcome)?;
        let message = format!("{} (Route 53 stage: {})", r.message, r.stage.as_str());
        Some(
            Event::new(kind, r.command, actor, time)
                .outcome(r.outcome)
                .reason(reason)
                .message(message),
        )
    }
}

/// Which event a run's outcome is; None: no notification.
fn kind_of(o: Outcome) -> Option<EventKind> {
    match o {
        Outcome::Applied => Some(EventKind::Applied),
        Outcome::NoOp | Outcome::NoAction | Outcome::Planned => None,
        Outcome::Refused | Outcome::ConcurrentChange | Outcome::Stopped | Outcome::RolledBack => {
            Some(EventKind::Refused)
        }
        Outcome::Failed | Outcome::Interrupted => Some(EventKind::Failed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_maps_to_one_event_or_none() {
        let table = [
            (Outcome::Applied, Some(EventKind::Applied)),
            (Outcome::NoOp, None),
            (Outcome::NoAction, None),
            (Outcome::Planned, None),
            (Outcome::Refused, Some(EventKind::Refused)),
            (Outcome::ConcurrentChange, Some(EventKind::Refused)),
            (Outcome::Stopped, Some(EventKind::Refused)),
            (Outcome::RolledBack, Some(EventKind::Refused)),
            (Outcome::Failed, Some(EventKind::Failed)),
            (Outcome::Interrupted, Some(EventKind::Failed)),
        ];
        for (o, want) in table {
            assert_eq!(kind_of(o), want, "{o:?}");
        }
    }

    #[test]
    fn event_words_match_serde_and_severities_order() {
        for k in [
            EventKind::Applied,
            EventKind::Refused,
            EventKind::Failed,
            EventKind::Latched,
            EventKind::ReadyForFailback,
            EventKind::LeaseTakenOver,
            EventKind::Unknown,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert!(Severity::Info < Severity::Warning && Severity::Warning < Severity::Critical);
        assert_eq!(EventKind::Latched.default_severity(), Severity::Critical);
    }

    #[test]
    fn the_builder_keeps_what_it_is_given() {
        let w: Weights = [("onprem".to_string(), 100), ("aws".to_string(), 0)]
            .into_iter()
            .collect();
        let e = Event::new(EventKind::Latched, "watch", "watch", "2026-11-23T00:00:00Z")
            .service("web", w.clone(), None)
            .reason(Some("3 failovers in 6h".into()))
            .message("latched");
        assert_eq!(e.severity, Severity::Critical);
        assert_eq!(e.outcome, None);
        assert_eq!(e.services[0].before, w);
        assert_eq!(e.services[0].after, None);
        let e = e.severity(Severity::Info).outcome(Outcome::Applied);
        assert_eq!(
            (e.severity, e.outcome),
            (Severity::Info, Some(Outcome::Applied))
        );
    }
}
