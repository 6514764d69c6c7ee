//! The Lambda function's events, pure: what an invocation's payload is (a CloudWatch alarm
//! state change from EventBridge or wrapped in SNS, or an EventBridge schedule) and what
//! `hybridctl lambda` does about it. Anything else is refused before any AWS call.

use serde::Serialize;
use serde_json::Value;

/// A CloudWatch alarm state, as the event spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    Alarm,
    Ok,
    InsufficientData,
    Other(String),
}

impl State {
    fn parse(s: &str) -> State {
        match s {
            "ALARM" => State::Alarm,
            "OK" => State::Ok,
            "INSUFFICIENT_DATA" => State::InsufficientData,
            other => State::Other(clean(other, 64)),
        }
    }

    pub fn text(&self) -> &str {
        match self {
            State::Alarm => "ALARM",
            State::Ok => "OK",
            State::InsufficientData => "INSUFFICIENT_DATA",
            State::Other(s) => s,
        }
    }
}

/// How the event reached the function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// EventBridge "CloudWatch Alarm State Change".
    Eventbridge,
    /// The alarm's SNS notification.
    Sns,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Alarm {
        name: String,
        state: State,
        /// The alarm's state reason.
        reason: String,
        source: Source,
    },
    /// An EventBridge schedule ("Scheduled Event").
    Schedule,
}

/// What the function does with an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handling {
    /// Fail over every service through the runbook, while the alarm is in ALARM.
    Failover { reason: String },
    /// One `watch` evaluation with the stored state (failback readiness, or a schedule's poll).
    Evaluate { why: String },
    /// Nothing to do, said in the log and the response.
    Ignore { why: String },
}

/// Reads a payload; Err says why it is not an event the function handles.
pub fn classify(v: &Value) -> Result<Event, String> {
    if !v.is_object() {
        return Err(format!(
            "the event is not a JSON object (found {}): hybridctl lambda handles CloudWatch alarm state changes (EventBridge or SNS) and EventBridge schedules",
            kind(v)
        ));
    }
    if let Some(records) = v.get("Records") {
        return sns(records);
    }
    let detail_type = v.get("detail-type").and_then(Value::as_str);
    let source = v.get("source").and_then(Value::as_str);
    match (detail_type, source) {
        (Some("CloudWatch Alarm State Change"), _) => eventbridge_alarm(v),
        (Some("Scheduled Event"), _) => Ok(Event::Schedule),
        (Some(t), s) => Err(format!(
            "unsupported EventBridge event: detail-type `{t}` from `{}`; hybridctl lambda handles `CloudWatch Alarm State Change` and `Scheduled Event`",
            s.unwrap_or("?")
        )),
        (None, _) => Err(
            "unsupported event: neither an EventBridge event (no detail-type) nor an SNS notification (no Records); hybridctl lambda handles CloudWatch alarm state changes and EventBridge schedules"
                .into(),
        ),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn eventbridge_alarm(v: &Value) -> Result<Event, String> {
    let field = |p: &str| v.pointer(p).and_then(Value::as_str);
    let name = field("/detail/alarmName")
        .ok_or("a CloudWatch Alarm State Change without detail.alarmName")?;
    let state = field("/detail/state/value")
        .ok_or_else(|| format!("alarm {name}: the event has no detail.state.value"))?;
    Ok(Event::Alarm {
        name: clean(name, MAX_NAME),
        state: State::parse(state),
        reason: clean(field("/detail/state/reason").unwrap_or(""), MAX_REASON),
        source: Source::Eventbridge,
    })
}

/// An SNS notification: one record whose message is the alarm's JSON notification.
fn sns(records: &Value) -> Result<Event, String> {
    let list = records.as_array().ok_or("Records is not a list")?;
    let [record] = list.as_slice() else {
        return Err(format!(
            "an SNS event with {} records: one alarm notification per invocation is expected",
            list.len()
        ));
    };
    let message = record
        .pointer("/Sns/Message")
        .and_then(Value::as_str)
        .ok_or(
            "an event with Records that is not an SNS notification (no Records[0].Sns.Message)",
        )?;
    let m: Value = serde_json::from_str(message).map_err(|e| {
        format!("the SNS message is not a CloudWatch alarm notification (not JSON: {e})")
    })?;
    let field = |k: &str| m.get(k).and_then(Value::as_str);
    let (Some(name), Some(state)) = (field("AlarmName"), field("NewStateValue")) else {
        return Err("the SNS message is not a CloudWatch alarm notification (no AlarmName and NewStateValue)".into());
    };
    Ok(Event::Alarm {
        name: clean(name, MAX_NAME),
        state: State::parse(state),
        reason: clean(field("NewStateReason").unwrap_or(""), MAX_REASON),
        source: Source::Sns,
    })
}

/// CloudWatch's longest alarm name.
const MAX_NAME: usize = 255;
/// An alarm's reason is a sentence or two; it goes into the log, the journal, the lease, the
/// shared history and the rule's tag, so a longer one is cut.
const MAX_REASON: usize = 300;

/// Text from an event as it may be logged and journaled: control characters (newlines, ESC:
/// forged log lines, colour) become spaces, and it is cut at `max` characters.
pub fn clean(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

/// An alarm event for `dr.auto.when.alarm` (when it is not also failover.alarm, which fails
/// over first): one watch evaluation, which judges automatic DR with its streak.
pub fn dr_alarm(
    e: &Event,
    dr_alarm: Option<&str>,
    failover_alarm: Option<&str>,
) -> Option<Handling> {
    match e {
        Event::Alarm { name, state, .. }
            if Some(name.as_str()) == dr_alarm && Some(name.as_str()) != failover_alarm =>
        {
            Some(Handling::Evaluate {
                why: format!(
                    "alarm {name} (dr.auto.when.alarm) is {}: one watch evaluation, with automatic DR",
                    state.text()
                ),
            })
        }
        _ => None,
    }
}

/// The decision for an event, given `failover.alarm`.
pub fn decide(e: &Event, failover_alarm: Option<&str>) -> Handling {
    match e {
        Event::Schedule => Handling::Evaluate {
            why: "scheduled event: one watch evaluation".into(),
        },
        Event::Alarm { name, .. } if Some(name.as_str()) != failover_alarm => Handling::Ignore {
            why: match failover_alarm {
                Some(a) => format!("alarm {name} is not failover.alarm ({a}): no action"),
                None => format!("alarm {name}: the topology has no failover.alarm: no action"),
            },
        },
        Event::Alarm {
            name,
            state: State::Alarm,
            reason,
            ..
        } => Handling::Failover {
            reason: if reason.is_empty() {
                format!("lambda: alarm {name} is in ALARM")
            } else {
                format!("lambda: alarm {name} is in ALARM ({reason})")
            },
        },
        Event::Alarm {
            name,
            state: State::Ok,
            ..
        } => Handling::Evaluate {
            why: format!("alarm {name} is OK: one watch evaluation for failback readiness"),
        },
        Event::Alarm { name, state, .. } => Handling::Ignore {
            why: format!("alarm {name} is {}: no action", state.text()),
        },
    }
}

#[cfg(test)]
mod tests;
