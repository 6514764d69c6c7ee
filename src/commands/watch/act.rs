//! The watcher's actions: the same failover and failback as the commands, through the runbook
//! (lock, lease, fresh gates per step, journal, read-back, tag), with the actor `watch` or
//! `lambda`.

use crate::aws::AwsContext;
use crate::cli::{ChangeArgs, OnFailure};
use crate::commands::traffic::{self, Kind, Request};
use crate::plan::traffic::Intent;
use crate::plan::watch::{Action, ActionKind};
use crate::render::Output;
use crate::report::{Outcome, TrafficReport};
use crate::settings::Settings;
use crate::signal::Interrupt;

/// Who acts, and on what condition.
#[derive(Debug, Clone, Copy)]
pub struct How {
    /// `watch` or `lambda`: in the journal, the shared history and the rule's tag.
    pub actor: &'static str,
    /// Re-read `failover.alarm` under the lock and act only while it is in ALARM (the lambda's
    /// alarm event: a retried event delivered after the alarm recovered does nothing).
    pub if_alarm: bool,
}

/// How an action ended.
pub struct Acted {
    pub outcome: Outcome,
    pub message: String,
    pub report: Option<TrafficReport>,
}

pub async fn act(
    s: &Settings,
    ctx: &AwsContext,
    action: &Action,
    stop: &Interrupt,
    out: &Output,
    how: How,
) -> Acted {
    let (kind, intent) = match action.kind {
        ActionKind::Failover => (Kind::Failover, Intent::Failover),
        ActionKind::Failback => (Kind::Failback, Intent::Failback),
    };
    run(s, ctx, action, (kind, intent, &[]), stop, out, how).await
}

/// Overflow's shift of one service to `target`, through the same runbook.
#[allow(clippy::too_many_arguments)]
pub async fn shift(
    s: &Settings,
    ctx: &AwsContext,
    service: &str,
    target: &crate::plan::traffic::Weights,
    reason: &str,
    stop: &Interrupt,
    out: &Output,
    actor: &'static str,
) -> Acted {
    let weights: Vec<String> = target.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let action = Action {
        kind: ActionKind::Failover,
        services: vec![service.to_string()],
        reason: reason.to_string(),
    };
    let Some(svc) = s.topology.service(service) else {
        return Acted {
            outcome: Outcome::Failed,
            message: format!("no service {service}"),
            report: None,
        };
    };
    let intent = match crate::plan::traffic::parse_assignments(&weights, &[svc]) {
        Ok(a) => Intent::Overflow(a),
        Err(m) => {
            return Acted {
                outcome: Outcome::Failed,
                message: m,
                report: None,
            };
        }
    };
    run(
        s,
        ctx,
        &action,
        (Kind::Overflow, intent, &weights),
        stop,
        out,
        How {
            actor,
            if_alarm: false,
        },
    )
    .await
}

async fn run(
    s: &Settings,
    ctx: &AwsContext,
    action: &Action,
    (kind, intent, weights): (Kind, Intent, &[String]),
    stop: &Interrupt,
    out: &Output,
    how: How,
) -> Acted {
    let w = s.topology.watch.clone().unwrap_or_default();
    let change = ChangeArgs {
        service: action.services.clone(),
        all: false,
        dry_run: false,
        yes: true,
        force: false,
        reason: Some(action.reason.clone()),
        step: None,
        interval: w.interval,
        // A bad poll between failback steps takes traffic back where it was.
        on_failure: OnFailure::Rollback,
        no_lease: false,
        // A manual command holding the lock or the lease wins: wait a poll, then try again.
        lock_timeout: w.interval,
    };
    let req = Request {
        kind,
        weights,
        change: &change,
        if_alarm: how.if_alarm,
        if_ok_for: None,
        actor: Some(how.actor),
        interrupt: Some(stop.clone()),
    };
    let services: Vec<&crate::topology::Service> = s
        .topology
        .services
        .iter()
        .filter(|svc| action.services.contains(&svc.name))
        .collect();
    match traffic::execute(s, &req, &services, &intent, out, ctx).await {
        Ok((report, _facts, hint, _run)) => {
            let mut message = report.message.clone();
            if let Some(h) = hint.filter(|_| report.outcome == Outcome::Failed) {
                message = format!("{message} (hint: {h})");
            }
            Acted {
                outcome: report.outcome,
                message,
                report: Some(report),
            }
        }
        Err(e) => Acted {
            outcome: Outcome::Failed,
            message: e.to_string(),
            report: None,
        },
    }
}
