use serde_json::json;

use super::*;

fn eventbridge(name: &str, state: &str) -> Value {
    json!({
        "version": "0", "id": "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
        "detail-type": "CloudWatch Alarm State Change", "source": "aws.cloudwatch",
        "account": "123456789012", "time": "2026-11-23T18:00:00Z", "region": "ap-northeast-2",
        "resources": [format!("arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:{name}")],
        "detail": {
            "alarmName": name,
            "state": {"value": state, "reason": "Threshold Crossed: 1 datapoint", "timestamp": "2026-11-23T18:00:00.000+0000"},
            "previousState": {"value": "OK", "reason": "", "timestamp": "2026-11-23T17:00:00.000+0000"},
            "configuration": {"metrics": []}
        }
    })
}

fn sns(name: &str, state: &str) -> Value {
    let message = json!({"AlarmName": name, "NewStateValue": state, "NewStateReason": "Threshold Crossed", "OldStateValue": "OK"});
    json!({"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
        "Sns": {"Type": "Notification", "Subject": "ALARM", "Message": message.to_string()}}]})
}

#[test]
fn alarm_events_from_eventbridge_and_sns_read_alike() {
    for (v, source) in [
        (eventbridge("onprem-down", "ALARM"), Source::Eventbridge),
        (sns("onprem-down", "ALARM"), Source::Sns),
    ] {
        let e = classify(&v).unwrap();
        let Event::Alarm {
            name,
            state,
            reason,
            source: s,
        } = &e
        else {
            panic!("{e:?}")
        };
        assert_eq!(
            (name.as_str(), state, *s),
            ("onprem-down", &State::Alarm, source)
        );
        assert!(reason.starts_with("Threshold Crossed"), "{reason}");
    }
}

#[test]
fn the_decision_per_event() {
    let alarm = Some("onprem-down");
    let d = |v: Value| decide(&classify(&v).unwrap(), alarm);
    assert_eq!(
        d(eventbridge("onprem-down", "ALARM")),
        Handling::Failover {
            reason: "lambda: alarm onprem-down is in ALARM (Threshold Crossed: 1 datapoint)".into()
        }
    );
    assert!(matches!(
        d(eventbridge("onprem-down", "OK")),
        Handling::Evaluate { .. }
    ));
    assert!(matches!(
        d(sns("onprem-down", "OK")),
        Handling::Evaluate { .. }
    ));
    let Handling::Ignore { why } = d(eventbridge("onprem-down", "INSUFFICIENT_DATA")) else {
        panic!()
    };
    assert_eq!(why, "alarm onprem-down is INSUFFICIENT_DATA: no action");
    let Handling::Ignore { why } = d(eventbridge("disk-full", "ALARM")) else {
        panic!()
    };
    assert_eq!(
        why,
        "alarm disk-full is not failover.alarm (onprem-down): no action"
    );
    let Handling::Ignore { why } = decide(&classify(&eventbridge("x", "ALARM")).unwrap(), None)
    else {
        panic!()
    };
    assert!(why.contains("no failover.alarm"), "{why}");
    let schedule = json!({"detail-type": "Scheduled Event", "source": "aws.events", "detail": {}});
    assert!(matches!(d(schedule), Handling::Evaluate { .. }));
}

#[test]
fn anything_else_is_refused_with_the_reason() {
    let cases = [
        (json!("hello"), "not a JSON object (found a string)"),
        (json!([1]), "not a JSON object (found an array)"),
        (json!({}), "neither an EventBridge event"),
        (
            json!({"detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2"}),
            "detail-type `EC2 Instance State-change Notification` from `aws.ec2`",
        ),
        (
            json!({"detail-type": "CloudWatch Alarm State Change", "detail": {}}),
            "without detail.alarmName",
        ),
        (
            json!({"detail-type": "CloudWatch Alarm State Change", "detail": {"alarmName": "a"}}),
            "alarm a: the event has no detail.state.value",
        ),
        (json!({"Records": []}), "with 0 records"),
        (json!({"Records": [{"s3": {}}]}), "not an SNS notification"),
        (
            json!({"Records": [{"Sns": {"Message": "plain text"}}]}),
            "not JSON",
        ),
        (
            json!({"Records": [{"Sns": {"Message": "{\"a\":1}"}}]}),
            "no AlarmName and NewStateValue",
        ),
    ];
    for (v, want) in cases {
        let e = classify(&v).unwrap_err();
        assert!(e.contains(want), "{v}: {e}");
    }
}

#[test]
fn event_text_is_cleaned_and_bounded_before_it_is_logged() {
    let mut v = eventbridge("onprem-down\nlambda: failover applied: FAKE", "ALARM");
    v["detail"]["state"]["reason"] = json!(format!("Threshold\n\u{1b}[31mred{}", "x".repeat(5000)));
    let Event::Alarm { name, reason, .. } = classify(&v).unwrap() else {
        panic!()
    };
    assert_eq!(name, "onprem-down lambda: failover applied: FAKE");
    assert!(reason.starts_with("Threshold  [31mred"), "{reason}");
    assert!(!reason.chars().any(char::is_control), "{reason}");
    assert_eq!(
        reason.chars().count(),
        MAX_REASON + 1,
        "cut, with an ellipsis"
    );
    assert!(reason.ends_with('…'));
}
