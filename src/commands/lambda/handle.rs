//! One invocation: the event classified (pure, `plan::lambda`), then the failover through the
//! runbook, one watch evaluation under the watcher lease, or nothing. The response is the
//! command's JSON report; an unsupported event or a failed change is an invocation error
//! (Lambda retries async invocations; a retried, applied event is a no-op).

use lambda_runtime::Diagnostic;
use serde::Serialize;
use serde_json::Value;

use crate::commands::watch::Watcher;
use crate::plan::lambda::{self as plan, Handling};
use crate::plan::watch::{Action, ActionKind};
use crate::report::Outcome;

pub const NO_ACTION_SCHEMA: &str = "hybridctl.lambda.no-action/v1";

/// The response when an event needs nothing (another alarm, INSUFFICIENT_DATA).
#[derive(Debug, Serialize)]
struct NoAction<'a> {
    schema: &'static str,
    outcome: &'static str,
    message: &'a str,
}

pub async fn event(
    w: &mut Watcher<'_>,
    payload: Value,
    request: &str,
) -> Result<Value, Diagnostic> {
    if w.stopping() {
        // Taken from /next after Lambda's SIGTERM: nothing is started; the invocation error
        // makes Lambda deliver the event again, to a running sandbox.
        w.log(&format!(
            "event {request}: refused, nothing changed: the function is shutting down"
        ));
        return Err(Diagnostic {
            error_type: "hybridctl.ShuttingDown".into(),
            error_message: "the function is shutting down (SIGTERM): nothing was changed; Lambda's retry delivers the event again".into(),
        });
    }
    w.forget();
    let answer = handle(w, payload, request).await;
    w.drain().await;
    answer
}

async fn handle(w: &mut Watcher<'_>, payload: Value, request: &str) -> Result<Value, Diagnostic> {
    let alarm = w.s.topology.failover.as_ref().and_then(|f| f.alarm.clone());
    let ev = match plan::classify(&payload) {
        Ok(ev) => ev,
        Err(m) => {
            w.log(&format!("event {request}: refused, nothing changed: {m}"));
            return Err(Diagnostic {
                error_type: "hybridctl.UnsupportedEvent".into(),
                error_message: m,
            });
        }
    };
    let dr_alarm =
        w.s.topology
            .dr
            .as_ref()
            .and_then(|d| d.auto.as_ref())
            .and_then(|a| a.alarm.clone());
    let handling = plan::dr_alarm(&ev, dr_alarm.as_deref(), alarm.as_deref())
        .unwrap_or_else(|| plan::decide(&ev, alarm.as_deref()));
    match handling {
        Handling::Failover { reason } => {
            w.log(&format!("event {request}: {reason}"));
            failover(w, reason).await
        }
        Handling::Evaluate { why } => {
            w.log(&format!("event {request}: {why}"));
            let line = w.evaluation().await;
            w.release().await;
            json(&line)
        }
        Handling::Ignore { why } => {
            w.log(&format!("event {request}: {why}"));
            json(&NoAction {
                schema: NO_ACTION_SCHEMA,
                outcome: "no-action",
                message: &why,
            })
        }
    }
}

async fn failover(w: &mut Watcher<'_>, reason: String) -> Result<Value, Diagnostic> {
    let a = Action {
        kind: ActionKind::Failover,
        services: w
            .s
            .topology
            .services
            .iter()
            .map(|s| s.name.clone())
            .collect(),
        reason,
    };
    let acted = w.failover_on_alarm(&a).await;
    match (acted.outcome, acted.report) {
        (Outcome::Failed | Outcome::Interrupted, _) | (_, None) => Err(Diagnostic {
            error_type: "hybridctl.FailoverFailed".into(),
            error_message: acted.message,
        }),
        // Refused before any plan (a lock or a lease held, by a person or by a sandbox that
        // died mid-change), or a concurrent change: not an answer to the alarm. An invocation
        // error, so that Lambda's retry tries again once the holder is done or its lease ran
        // out. A gate's refusal (a plan was made) is an answer, and a response.
        (Outcome::Refused, Some(r)) if r.services.is_empty() => Err(Diagnostic {
            error_type: "hybridctl.Busy".into(),
            error_message: r.message,
        }),
        (Outcome::ConcurrentChange, Some(r)) => Err(Diagnostic {
            error_type: "hybridctl.Busy".into(),
            error_message: r.message,
        }),
        (_, Some(report)) => json(&report),
    }
}

fn json<T: Serialize>(v: &T) -> Result<Value, Diagnostic> {
    serde_json::to_value(v).map_err(|e| Diagnostic {
        error_type: "hybridctl.InternalError".into(),
        error_message: format!("the report cannot be serialized: {e}"),
    })
}
