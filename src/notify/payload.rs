//! The bodies sent: the generic JSON document (`version: 1`) and Slack's incoming-webhook
//! payload. Pure: an `Event` and the sending host in, JSON out (docs/notify.md shows both).

use serde::Serialize;
use serde_json::{Value, json};

use super::event::{Event, ServiceWeights};
use crate::plan::traffic::Weights;
use crate::report::Outcome;
use crate::topology::Severity;

pub const VERSION: u32 = 1;

/// The generic webhook body.
#[derive(Debug, Serialize)]
pub struct Body<'a> {
    pub version: u32,
    pub event: &'static str,
    pub severity: Severity,
    pub outcome: Option<Outcome>,
    pub command: &'a str,
    pub services: &'a [ServiceWeights],
    pub reason: Option<&'a str>,
    pub actor: &'a str,
    /// The host that sent it.
    pub host: &'a str,
    pub time: &'a str,
    pub message: &'a str,
}

pub fn webhook(e: &Event, host: &str) -> Value {
    serde_json::to_value(Body {
        version: VERSION,
        event: e.kind.as_str(),
        severity: e.severity,
        outcome: e.outcome,
        command: &e.command,
        services: &e.services,
        reason: e.reason.as_deref(),
        actor: &e.actor,
        host,
        time: &e.time,
        message: &e.message,
    })
    .expect("plain data serializes")
}

/// Slack's attachment colours: green, yellow, red.
fn color(s: Severity) -> &'static str {
    match s {
        Severity::Info => "good",
        Severity::Warning => "warning",
        Severity::Critical => "danger",
    }
}

/// Slack reads `&`, `<` and `>` as markup: escaped, a message cannot turn into a link or a
/// mention.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `onprem 100 -> 0, aws 0 -> 100` (`?` where the end is unknown).
pub fn describe_weights(before: &Weights, after: Option<&Weights>) -> String {
    before
        .iter()
        .map(|(site, b)| {
            let a = after
                .and_then(|w| w.get(site))
                .map_or("?".to_string(), u32::to_string);
            format!("{site} {b} -> {a}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn slack(e: &Event, host: &str) -> Value {
    let field = |title: &str, value: String, short: bool| json!({"title": title, "value": escape(&value), "short": short});
    let mut fields = vec![
        field("Event", e.kind.as_str().into(), true),
        field("Severity", e.severity.as_str().into(), true),
        field("Actor", e.actor.clone(), true),
        field("Host", host.into(), true),
    ];
    if let Some(o) = e.outcome {
        fields.push(field("Outcome", o.as_str().into(), true));
    }
    if let Some(r) = &e.reason {
        fields.push(field("Reason", r.clone(), false));
    }
    for s in &e.services {
        fields.push(field(
            &s.name,
            describe_weights(&s.before, s.after.as_ref()),
            false,
        ));
    }
    json!({
        // The message names the command and what happened; the fields carry the rest.
        "text": escape(&format!("hybridctl: {}", e.message)),
        "attachments": [{
            "color": color(e.severity),
            "fields": fields,
            "footer": escape(&format!("hybridctl on {host} at {}", e.time)),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::event::EventKind;

    fn w(a: u32, b: u32) -> Weights {
        [("onprem".to_string(), a), ("aws".to_string(), b)]
            .into_iter()
            .collect()
    }

    fn event() -> Event {
        Event::new(
            EventKind::Applied,
            "failover",
            "ann@mgmt",
            "2026-11-23T10:00:00Z",
        )
        .severity(Severity::Warning)
        .outcome(Outcome::Applied)
        .service("web", w(100, 0), Some(w(0, 100)))
        .reason(Some("drill <b>&".into()))
        .message("failover applied")
    }

    #[test]
    fn the_webhook_body_has_every_field_in_its_type() {
        let v = webhook(&event(), "mgmt");
        assert_eq!(
            v,
            json!({
                "version": 1, "event": "applied", "severity": "warning", "outcome": "applied",
                "command": "failover",
                "services": [{"name": "web", "before": {"onprem": 100, "aws": 0},
                              "after": {"onprem": 0, "aws": 100}}],
                "reason": "drill <b>&", "actor": "ann@mgmt", "host": "mgmt",
                "time": "2026-11-23T10:00:00Z", "message": "failover applied"
            })
        );
        let latched = Event::new(EventKind::Latched, "watch", "watch", "t");
        let v = webhook(&latched, "h");
        assert_eq!(v["outcome"], Value::Null);
        assert_eq!(v["reason"], Value::Null);
        assert_eq!(v["severity"], "critical");
        assert_eq!(v["services"], json!([]));
    }

    #[test]
    fn slack_gets_a_coloured_attachment_with_escaped_text() {
        let v = slack(&event(), "mgmt");
        assert_eq!(v["text"], "hybridctl: failover applied");
        let a = &v["attachments"][0];
        assert_eq!(a["color"], "warning");
        let fields = a["fields"].as_array().unwrap();
        let get = |t: &str| {
            fields
                .iter()
                .find(|f| f["title"] == t)
                .map(|f| f["value"].clone())
        };
        assert_eq!(get("Reason").unwrap(), "drill &lt;b&gt;&amp;");
        // Escaped as Slack asks; it shows `->`.
        assert_eq!(get("web").unwrap(), "onprem 100 -&gt; 0, aws 0 -&gt; 100");
        assert_eq!(get("Outcome").unwrap(), "applied");
        let unknown_end = describe_weights(&w(100, 0), None);
        assert_eq!(unknown_end, "onprem 100 -> ?, aws 0 -> ?");
        let red = slack(&event().severity(Severity::Critical), "h");
        assert_eq!(red["attachments"][0]["color"], "danger");
    }
}
