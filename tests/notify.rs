//! Notifications (`notify:`) from the mutating commands, received by the lab's `/_hooks/`:
//! the payloads checked strictly, the severity filter, bounded retries, a hanging receiver,
//! an unset variable, and the URL (with its token) never printed or journaled.

use std::collections::BTreeMap;
use std::process::Output;
use std::time::{Duration, Instant, SystemTime};

use serde::Deserialize;
use serde_json::Value;

use crate::support::{Account, Hook, Seeded, epoch_of, w};

const SLACK_VAR: &str = "HYBRIDCTL_SLACK_WEBHOOK";
const WEBHOOK_VAR: &str = "HYBRIDCTL_WEBHOOK_URL";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Generic {
    version: u32,
    event: String,
    severity: String,
    outcome: Option<String>,
    command: String,
    services: Vec<ServiceWeights>,
    reason: Option<String>,
    actor: String,
    host: String,
    time: String,
    message: String,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct ServiceWeights {
    name: String,
    before: BTreeMap<String, u32>,
    after: Option<BTreeMap<String, u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Slack {
    text: String,
    attachments: Vec<Attachment>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Attachment {
    color: String,
    fields: Vec<Field>,
    footer: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Field {
    title: String,
    value: String,
    short: bool,
}

/// A fake secret that must never leave the environment: in every hook URL of a test.
fn token(s: &Seeded) -> String {
    format!("T0KEN-s3cr3t-{}", s.account.id)
}

/// hybridctl with these variables set (and no proxy in the way of 127.0.0.1).
fn command(s: &Seeded, args: &[&str], vars: &[(&str, String)]) -> std::process::Command {
    let mut cmd = s.hybridctl_std();
    for v in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        cmd.env_remove(v);
    }
    cmd.env_remove(SLACK_VAR).env_remove(WEBHOOK_VAR);
    cmd.env("USER", "notify-tester").args(args);
    for (k, v) in vars {
        cmd.env(k, v);
    }
    cmd
}

/// Runs it to the end; how long it took.
fn run(s: &Seeded, args: &[&str], vars: &[(&str, String)]) -> (Output, Duration) {
    let started = Instant::now();
    let out = command(s, args, vars).output().unwrap();
    (out, started.elapsed())
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Neither the URL nor its token appears in stdout, stderr or the journal.
fn assert_no_secret(s: &Seeded, out: &Output, urls: &[&str]) {
    let t = token(s);
    for (what, body) in [
        ("stdout", text(&out.stdout)),
        ("stderr", text(&out.stderr)),
        ("journal", s.journal_text()),
    ] {
        assert!(!body.contains(&t), "{what} holds the token:\n{body}");
        for u in urls {
            assert!(!body.contains(u), "{what} holds the URL:\n{body}");
        }
    }
}

fn warnings(s: &Seeded) -> Vec<String> {
    s.journal_records()
        .into_iter()
        .filter(|r| r["kind"] == "warning")
        .map(|r| r["message"].as_str().unwrap().to_string())
        .collect()
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort();
    k
}

/// A seeded account with a Slack and a webhook receiver in its `notify:`.
fn seeded_with_hooks(webhook_extra: &str) -> (Seeded, Hook, Hook) {
    let s = Account::new().seed(1);
    let (slack, hook) = (
        Hook::new(&s.account, "slack"),
        Hook::new(&s.account, "webhook"),
    );
    s.add_notify(&format!(
        "  - kind: slack\n    url_env: {SLACK_VAR}\n  - kind: webhook\n    url_env: {WEBHOOK_VAR}\n{webhook_extra}"
    ));
    (s, slack, hook)
}

#[test]
fn a_failover_notifies_slack_and_the_webhook_once_each_with_strict_payloads() {
    let (s, slack, hook) = seeded_with_hooks("");
    let (slack_url, hook_url) = (slack.url(&token(&s)), hook.url(&token(&s)));
    let before = SystemTime::now();
    let (out, _) = run(
        &s,
        &["failover", "--yes", "--reason", "drill <1>", "-o", "json"],
        &[
            (SLACK_VAR, slack_url.clone()),
            (WEBHOOK_VAR, hook_url.clone()),
        ],
    );
    let after = SystemTime::now();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(s.weights("web"), w(0, 100));
    let (slack_reqs, hook_reqs) = (slack.requests(), hook.requests());
    assert_eq!(slack_reqs.len(), 1, "{slack_reqs:?}");
    assert_eq!(hook_reqs.len(), 1, "{hook_reqs:?}");
    for r in [&slack_reqs[0], &hook_reqs[0]] {
        assert_eq!(r["method"], "POST");
        assert_eq!(r["headers"]["content-type"], "application/json");
        assert!(
            r["headers"]["user-agent"]
                .as_str()
                .unwrap()
                .starts_with("hybridctl/"),
            "{r}"
        );
        assert!(!r["body"].as_str().unwrap().contains(&token(&s)), "{r}");
    }
    let host = s.journal_records()[0]["host"].as_str().unwrap().to_string();

    // The generic body: exactly these keys, each of its type and value.
    let raw = &hook.bodies()[0];
    assert_eq!(
        keys(raw),
        [
            "actor", "command", "event", "host", "message", "outcome", "reason", "services",
            "severity", "time", "version"
        ]
    );
    let g: Generic = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(g.version, 1);
    assert_eq!(g.event, "applied");
    assert_eq!(
        g.severity, "warning",
        "a failover is worth a look even when it works"
    );
    assert_eq!(g.outcome.as_deref(), Some("applied"));
    assert_eq!(g.command, "failover");
    assert_eq!(
        g.services,
        [ServiceWeights {
            name: "web".into(),
            before: w(40, 60),
            after: Some(w(0, 100)),
        }]
    );
    assert_eq!(g.reason.as_deref(), Some("drill <1>"));
    assert_eq!(g.actor, format!("notify-tester@{host}"));
    assert_eq!(g.host, host);
    let t = epoch_of(&g.time);
    let secs = |x: SystemTime| {
        x.duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
    };
    assert!(
        secs(before) - 1.0 <= t && t <= secs(after) + 1.0,
        "{}",
        g.time
    );
    assert!(g.message.contains("web"), "{}", g.message);

    // Slack: one coloured attachment; `<` and `>` escaped so they cannot become markup.
    let sl: Slack = serde_json::from_value(slack.bodies()[0].clone()).unwrap();
    assert_eq!(sl.text, format!("hybridctl: {}", g.message));
    assert_eq!(
        g.message,
        "failover applied and verified: web onprem 0 (0%) | aws 100 (100%)"
    );
    assert_eq!(sl.attachments.len(), 1);
    let a = &sl.attachments[0];
    assert_eq!(a.color, "warning");
    assert_eq!(a.footer, format!("hybridctl on {host} at {}", g.time));
    let fields: Vec<(&str, &str, bool)> = a
        .fields
        .iter()
        .map(|f| (f.title.as_str(), f.value.as_str(), f.short))
        .collect();
    let actor = g.actor.clone();
    assert_eq!(
        fields,
        [
            ("Event", "applied", true),
            ("Severity", "warning", true),
            ("Actor", actor.as_str(), true),
            ("Host", host.as_str(), true),
            ("Outcome", "applied", true),
            ("Reason", "drill &lt;1&gt;", false),
            ("web", "onprem 40 -&gt; 0, aws 60 -&gt; 100", false),
        ]
    );
    assert!(warnings(&s).is_empty(), "{:?}", warnings(&s));
    assert_no_secret(&s, &out, &[&slack_url, &hook_url]);

    // Nothing to do, and a dry run: nothing changed, nothing sent.
    run(
        &s,
        &["failover", "--yes"],
        &[(SLACK_VAR, slack_url.clone())],
    );
    run(&s, &["failback", "--dry-run"], &[(SLACK_VAR, slack_url)]);
    assert_eq!(slack.requests().len(), 1);
}

#[test]
fn each_sink_takes_events_at_or_above_its_min_severity() {
    let (s, slack, hook) = seeded_with_hooks("    min_severity: critical\n");
    let vars = [
        (SLACK_VAR, slack.url(&token(&s))),
        (WEBHOOK_VAR, hook.url(&token(&s))),
    ];
    // Applied (warning): Slack (info and up) gets it, the critical-only webhook does not.
    let (out, _) = run(&s, &["failover", "--yes"], &vars);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!((slack.requests().len(), hook.requests().len()), (1, 0));
    // A failed write (critical): both.
    s.put_cdc_latency(1.0);
    s.account.fault("ModifyRule", "http500", 1);
    let (out, _) = run(&s, &["failback", "--yes"], &vars);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert_eq!((slack.requests().len(), hook.requests().len()), (2, 1));
    let g: Generic = serde_json::from_value(hook.bodies()[0].clone()).unwrap();
    assert_eq!(
        (g.event.as_str(), g.severity.as_str(), g.outcome.as_deref()),
        ("failed", "critical", Some("failed"))
    );
    assert_eq!(g.command, "failback");
    assert_eq!(slack.bodies()[1]["attachments"][0]["color"], "danger");
    assert_no_secret(&s, &out, &[]);
}

#[test]
fn a_receiver_answering_500_gets_three_tries_and_a_4xx_one_then_both_are_journaled() {
    let (s, slack, hook) = seeded_with_hooks("");
    hook.answer(500);
    slack.answer(404);
    let hook_url = hook.url(&token(&s));
    let (out, _) = run(
        &s,
        &["failover", "--yes"],
        &[
            (SLACK_VAR, slack.url(&token(&s))),
            (WEBHOOK_VAR, hook_url.clone()),
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a notification never fails a change: {stderr}"
    );
    assert_eq!(s.weights("web"), w(0, 100));
    let verified = s
        .journal_records()
        .into_iter()
        .any(|r| r["kind"] == "outcome" && r["result"] == "verified");
    assert!(verified, "the failover was verified");
    assert_eq!(hook.requests().len(), 3, "5xx: three tries");
    assert_eq!(slack.requests().len(), 1, "4xx: not retried");
    let mut got = warnings(&s);
    got.sort();
    assert_eq!(
        got,
        [
            "the slack notification ($HYBRIDCTL_SLACK_WEBHOOK) was not delivered after 1 try: HTTP 404 Not Found: lab: failing on purpose (not retried)",
            "the webhook notification ($HYBRIDCTL_WEBHOOK_URL) was not delivered after 3 tries: HTTP 500 Internal Server Error: lab: failing on purpose",
        ]
    );
    for m in &got {
        assert!(stderr.contains(&format!("warning: {m}")), "{stderr}");
    }
    // The warnings belong to the failover's run.
    let records = s.journal_records();
    let run_of = |kind: &str| {
        records
            .iter()
            .find(|r| r["kind"] == kind)
            .map(|r| r["run"].clone())
            .unwrap()
    };
    assert_eq!(run_of("warning"), run_of("change"));
    assert_no_secret(&s, &out, &[&hook_url]);
}

#[test]
fn a_hanging_receiver_holds_the_command_only_within_the_bounds_after_the_change_is_verified() {
    let s = Account::new().seed(1);
    let hook = Hook::new(&s.account, "webhook");
    s.add_notify(&format!("  - kind: webhook\n    url_env: {WEBHOOK_VAR}\n"));
    hook.hang(30);
    let (out, elapsed) = run(
        &s,
        &["failover", "--yes"],
        &[(WEBHOOK_VAR, hook.url(&token(&s)))],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(s.weights("web"), w(0, 100));
    // 3 tries of 5 s and 0.5 + 1 s between them: 16.5 s, and the failover itself.
    assert!(
        elapsed < Duration::from_secs(26),
        "took {elapsed:?}: the notification is not bounded"
    );
    let reqs = hook.requests();
    assert_eq!(reqs.len(), 3, "{reqs:?}");
    // Every try came after the write was verified.
    let verified_at = s
        .journal_records()
        .into_iter()
        .find(|r| r["kind"] == "outcome" && r["result"] == "verified")
        .map(|r| epoch_of(r["time"].as_str().unwrap()))
        .expect("the failover was verified");
    let first = reqs[0]["time"].as_f64().unwrap();
    assert!(verified_at <= first + 0.01, "{verified_at} > {first}");
    // Each try waited out its 5 s timeout before the next.
    let gap = reqs[1]["time"].as_f64().unwrap() - first;
    assert!(gap >= 5.0, "tries {gap} s apart");
    let got = warnings(&s);
    assert_eq!(
        got,
        [
            "the webhook notification ($HYBRIDCTL_WEBHOOK_URL) was not delivered after 3 tries: no answer within 5 s"
        ]
    );
    assert_no_secret(&s, &out, &[]);
}

#[test]
fn an_unset_variable_is_a_warning_that_names_it_and_the_other_sink_still_gets_its_payload() {
    let (s, slack, hook) = seeded_with_hooks("");
    let (out, _) = run(
        &s,
        &["failover", "--yes"],
        &[(SLACK_VAR, slack.url(&token(&s)))],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(slack.requests().len(), 1);
    assert!(hook.requests().is_empty());
    let m = "the webhook notification ($HYBRIDCTL_WEBHOOK_URL) was not delivered: HYBRIDCTL_WEBHOOK_URL is not set";
    assert_eq!(warnings(&s), [m]);
    assert!(stderr.contains(&format!("warning: {m}")), "{stderr}");
    // A value that is not a URL is not echoed either.
    let junk = format!("not-a-url-{}", token(&s));
    let (out, _) = run(
        &s,
        &["failback", "--yes", "--force"],
        &[(WEBHOOK_VAR, junk.clone())],
    );
    assert!(
        text(&out.stderr).contains("HYBRIDCTL_WEBHOOK_URL does not hold an http(s) URL"),
        "{}",
        text(&out.stderr)
    );
    assert_no_secret(&s, &out, &[&junk]);
}

#[test]
fn validate_warns_when_a_notify_variable_is_not_set_here() {
    let (s, _, _) = seeded_with_hooks("    min_severity: warning\n");
    let (out, _) = run(
        &s,
        &["validate"],
        &[(SLACK_VAR, "https://h.example/x".into())],
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains("2 notification sinks"), "{stdout}");
    let want = format!("warning: {}:", s.config.display());
    assert!(stderr.contains(&want), "{stderr}");
    assert!(
        stderr.contains(
            "notify[1].url_env: HYBRIDCTL_WEBHOOK_URL is not set here, so webhook notifications from this host would fail"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains(SLACK_VAR), "{stderr}");
}

#[test]
fn dr_provision_notifies_with_its_stage_and_no_services() {
    let s = Account::new().seed(1);
    let hook = Hook::new(&s.account, "webhook");
    s.add_notify(&format!("  - kind: webhook\n    url_env: {WEBHOOK_VAR}\n"));
    let url = hook.url(&token(&s));
    let args = [
        "dr",
        "provision",
        "--skip-terraform",
        "--yes",
        "--reason",
        "Seoul outage",
    ];
    let (out, _) = run(&s, &args, &[(WEBHOOK_VAR, url.clone())]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bodies = hook.bodies();
    assert_eq!(bodies.len(), 1, "{bodies:?}");
    let g: Generic = serde_json::from_value(bodies[0].clone()).unwrap();
    assert_eq!(
        (g.event.as_str(), g.severity.as_str(), g.outcome.as_deref()),
        ("applied", "info", Some("applied"))
    );
    assert_eq!(g.command, "dr provision");
    assert_eq!(g.services, []);
    assert_eq!(g.reason.as_deref(), Some("Seoul outage"));
    assert!(
        g.message.ends_with("(Route 53 stage: recovered)"),
        "{}",
        g.message
    );
    // A second run has nothing to do: no notification.
    run(&s, &args, &[(WEBHOOK_VAR, url.clone())]);
    assert_eq!(hook.requests().len(), 1);
    assert_no_secret(&s, &out, &[&url]);
}

#[test]
fn a_signal_while_a_receiver_hangs_stops_waiting_and_keeps_the_changes_exit_code() {
    let s = Account::new().seed(1);
    let hook = Hook::new(&s.account, "webhook");
    s.add_notify(&format!("  - kind: webhook\n    url_env: {WEBHOOK_VAR}\n"));
    hook.hang(30);
    let child = command(
        &s,
        &["failover", "--yes"],
        &[(WEBHOOK_VAR, hook.url(&token(&s)))],
    )
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while hook.requests().is_empty() {
        assert!(Instant::now() < deadline, "no notification arrived");
        std::thread::sleep(Duration::from_millis(50));
    }
    let signalled = Instant::now();
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let waited = signalled.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        waited < Duration::from_secs(3),
        "exited {waited:?} after SIGINT"
    );
    assert_eq!(s.weights("web"), w(0, 100));
    assert_eq!(hook.requests().len(), 1);
    assert_eq!(
        warnings(&s),
        [
            "the webhook notification ($HYBRIDCTL_WEBHOOK_URL) was not delivered: interrupted by SIGINT"
        ]
    );
}
