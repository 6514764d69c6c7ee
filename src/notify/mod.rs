//! Notifications (`notify:` in the topology file): Slack incoming webhooks and generic JSON
//! POSTs, sent after a change's outcome is known. Best effort and bounded: 5 s a try, 3 tries
//! on network errors, timeouts and 5xx (none on 4xx), every sink at once; a failure never
//! changes a run's outcome or exit code. URLs come only from the environment and never appear
//! in a message: each failure names the variable (`$HYBRIDCTL_WEBHOOK_URL`) instead.

mod event;
mod payload;

pub use crate::topology::{Severity, SinkKind};
pub use event::{Event, EventKind, ServiceWeights};
pub use payload::describe_weights;

use std::time::Duration;

use reqwest::Url;

use crate::render::Output;
use crate::settings::{Env, Settings};
use crate::signal::Interrupt;
use crate::topology::Topology;

/// How hard one delivery tries.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Per try: connect, send, and the answer.
    pub timeout: Duration,
    pub tries: u32,
    /// Before the second try; doubled before each later one.
    pub backoff: Duration,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            timeout: Duration::from_secs(5),
            tries: 3,
            backoff: Duration::from_millis(500),
        }
    }
}

/// A notification that did not arrive. Its text names the variable, never the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: SinkKind,
    pub url_env: String,
    /// Tries made (0: none could be, e.g. the variable is not set).
    pub tries: u32,
    /// Why the last try failed.
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tries = match self.tries {
            0 => String::new(),
            1 => " after 1 try".to_string(),
            n => format!(" after {n} tries"),
        };
        write!(
            f,
            "the {} notification (${}) was not delivered{tries}: {}",
            self.kind.as_str(),
            self.url_env,
            self.message
        )
    }
}

/// One sink, its URL read from the environment when the notifier was made.
struct Sink {
    kind: SinkKind,
    url_env: String,
    min_severity: Severity,
    /// The URL, or why there is none (names the variable only).
    url: Result<Url, String>,
}

/// Never the URL, even in a debug print.
impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sink")
            .field("kind", &self.kind)
            .field("url_env", &self.url_env)
            .field("min_severity", &self.min_severity)
            .field("url", &self.url.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Sends events to the topology's sinks. Cheap to keep for a whole `watch`.
#[derive(Debug)]
pub struct Notifier {
    sinks: Vec<Sink>,
    client: Result<reqwest::Client, String>,
    host: String,
    policy: Policy,
}

impl Notifier {
    /// The sinks of `notify:`, their URLs read from `env` (a variable that is unset, empty or
    /// not an http(s) URL makes that sink's every delivery fail, saying so).
    pub fn new(topology: &Topology, env: &Env) -> Notifier {
        let sinks = topology
            .notify
            .iter()
            .map(|s| Sink {
                kind: s.kind,
                url_env: s.url_env.clone(),
                min_severity: s.min_severity,
                url: read_url(env, &s.url_env),
            })
            .collect::<Vec<_>>();
        let client = if sinks.is_empty() {
            Err("no sinks".to_string())
        } else {
            client()
        };
        Notifier {
            sinks,
            client,
            host: gethostname::gethostname().to_string_lossy().into_owned(),
            policy: Policy::default(),
        }
    }

    /// Another delivery policy (tests, or a watcher that wants shorter bounds).
    pub fn with_policy(mut self, policy: Policy) -> Notifier {
        self.policy = policy;
        self
    }

    /// No `notify:` entries: `send` does nothing.
    pub fn is_empty(&self) -> bool {
        self.sinks.is_empty()
    }

    /// Sends `event` to every sink whose `min_severity` it reaches, all at once; returns the
    /// deliveries that failed. Bounded by the policy: at most `tries` x `timeout` plus the
    /// backoff, whatever the receivers do.
    pub async fn send(&self, event: &Event) -> Vec<Failure> {
        self.send_until(event, &Interrupt::manual()).await
    }

    /// `send`, given up at once when `stop` is raised (a person pressing Ctrl-C does not wait
    /// out a hanging receiver): each delivery not finished by then is a failure saying so.
    pub async fn send_until(&self, event: &Event, stop: &Interrupt) -> Vec<Failure> {
        let wanted = self
            .sinks
            .iter()
            .filter(|s| event.severity >= s.min_severity);
        let results = futures::future::join_all(wanted.map(|s| async move {
            tokio::select! {
                r = self.deliver(s, event) => r,
                sig = stop.wait() => Err(Failure {
                    kind: s.kind,
                    url_env: s.url_env.clone(),
                    tries: 0,
                    message: format!("interrupted by {}", sig.name()),
                }),
            }
        }))
        .await;
        results.into_iter().filter_map(Result::err).collect()
    }

    async fn deliver(&self, sink: &Sink, event: &Event) -> Result<(), Failure> {
        let fail = |tries, message: String| Failure {
            kind: sink.kind,
            url_env: sink.url_env.clone(),
            tries,
            message,
        };
        let url = sink.url.as_ref().map_err(|m| fail(0, m.clone()))?;
        let client = self.client.as_ref().map_err(|m| fail(0, m.clone()))?;
        let body = match sink.kind {
            SinkKind::Slack => payload::slack(event, &self.host),
            SinkKind::Webhook => payload::webhook(event, &self.host),
        };
        let body = serde_json::to_vec(&body).expect("JSON values serialize");
        let mut wait = self.policy.backoff;
        let mut last = String::new();
        for attempt in 1..=self.policy.tries.max(1) {
            match try_once(client, url, &body, self.policy.timeout).await {
                Ok(()) => return Ok(()),
                Err(Try::Final(m)) => return Err(fail(attempt, redact(&m, url))),
                Err(Try::Again(m)) => last = redact(&m, url),
            }
            if attempt < self.policy.tries {
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
        }
        Err(fail(self.policy.tries.max(1), last))
    }
}

/// How a try ended, when it did not deliver.
enum Try {
    /// A network error, a timeout, a 5xx: worth another try.
    Again(String),
    /// A 4xx or a redirect: the receiver refused it; another try would be refused too.
    Final(String),
}

async fn try_once(
    client: &reqwest::Client,
    url: &Url,
    body: &[u8],
    timeout: Duration,
) -> Result<(), Try> {
    let sent = client
        .post(url.clone())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_vec())
        .timeout(timeout)
        .send()
        .await;
    let resp = match sent {
        Ok(r) => r,
        Err(e) if e.is_timeout() => {
            return Err(Try::Again(format!(
                "no answer within {} s",
                timeout.as_secs_f64()
            )));
        }
        Err(e) => return Err(Try::Again(describe(e))),
    };
    let status = resp.status();
    if status.is_success() {
        return Ok(());
    }
    // The receiver's own words help (Slack answers `invalid_payload`); a few of them.
    let said = resp.text().await.unwrap_or_default();
    let said: String = said.trim().chars().take(200).collect();
    let m = if said.is_empty() {
        format!("HTTP {status}")
    } else {
        format!("HTTP {status}: {said}")
    };
    if status.is_server_error() {
        Err(Try::Again(m))
    } else {
        Err(Try::Final(format!("{m} (not retried)")))
    }
}

/// A reqwest error without its URL, with its causes.
fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut m = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        m.push_str(": ");
        m.push_str(&s.to_string());
        source = s.source();
    }
    m
}

/// Whatever a message says, the URL's secret parts (path, query, credentials) are cut out.
fn redact(message: &str, url: &Url) -> String {
    let mut m = message.replace(url.as_str(), "<url>");
    let mut secrets: Vec<&str> = url
        .path()
        .split('/')
        .chain(url.query().into_iter().flat_map(|q| q.split(['&', '='])))
        .chain([url.username()])
        .chain(url.password())
        .filter(|p| p.len() >= 4)
        .collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for s in secrets {
        m = m.replace(s, "<redacted>");
    }
    m
}

fn read_url(env: &Env, var: &str) -> Result<Url, String> {
    let text = env.get(var).ok_or_else(|| format!("{var} is not set"))?;
    match Url::parse(text.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => Ok(u),
        // Not echoed: the value is the secret.
        _ => Err(format!("{var} does not hold an http(s) URL")),
    }
}

/// One client for every sink: rustls with aws-lc-rs (the SDK's provider), the system's
/// roots, no redirects (a redirect could carry the payload elsewhere).
fn client() -> Result<reqwest::Client, String> {
    // reqwest (without a provider feature) uses the process default; already set is fine.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("hybridctl/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot start the HTTP client: {}", describe(e)))
}

/// After a run: sends `event` (when there is one and any sink), then notes each failure on
/// stderr and journals it as a `warning` record of run `run`. Never fails.
pub fn after_run(
    s: &Settings,
    out: &Output,
    rt: &tokio::runtime::Runtime,
    command: &str,
    run: Option<&str>,
    event: Option<Event>,
) {
    let Some(event) = event else { return };
    let notifier = Notifier::new(&s.topology, &s.env);
    if notifier.is_empty() {
        return;
    }
    rt.block_on(async {
        // The runbook's handlers are still installed, so a signal would otherwise be ignored.
        let failures = match Interrupt::install() {
            Ok(stop) => notifier.send_until(&event, &stop).await,
            Err(_) => notifier.send(&event).await,
        };
        if failures.is_empty() {
            return;
        }
        let table = match s.topology.coordination {
            Some(_) => crate::aws::AwsContext::load(&s.aws)
                .await
                .ok()
                .and_then(|ctx| crate::runbook::table_client(s, &ctx)),
            None => None,
        };
        let reason = event.reason.as_deref();
        report_failures(s, table.as_ref(), out, command, reason, run, &failures).await;
    });
}

/// Notes each failure on stderr and appends it to the journal as a `warning` record (with run
/// id `run`, or a new one), and to the shared history with a table. A journal that cannot take
/// it is noted too.
pub async fn report_failures(
    s: &Settings,
    table: Option<&aws_sdk_dynamodb::Client>,
    out: &Output,
    command: &str,
    reason: Option<&str>,
    run: Option<&str>,
    failures: &[Failure],
) {
    if failures.is_empty() {
        return;
    }
    let messages: Vec<String> = failures.iter().map(Failure::to_string).collect();
    for m in &messages {
        out.note(&format!("warning: {m}"));
    }
    if let Err(e) =
        crate::runbook::journal_warnings(s, table, command, reason, run, &messages).await
    {
        out.note(&format!("warning: {e}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_cuts_every_secret_part_of_the_url() {
        let u = Url::parse("https://u:pw-long@hooks.example/services/T0/B1/XyZsecret?token=abcd")
            .unwrap();
        let m = format!("error sending request for url ({u}); also XyZsecret and abcd");
        let r = redact(&m, &u);
        assert!(
            !r.contains("XyZsecret") && !r.contains("abcd") && !r.contains("pw-long"),
            "{r}"
        );
        assert!(r.contains("<url>"), "{r}");
    }

    #[test]
    fn a_missing_or_bad_variable_names_the_variable_not_the_value() {
        let env = Env::from_pairs([("BAD", "hooks.example/secret-path"), ("OK", "https://h/x")]);
        assert_eq!(read_url(&env, "UNSET").unwrap_err(), "UNSET is not set");
        let bad = read_url(&env, "BAD").unwrap_err();
        assert_eq!(bad, "BAD does not hold an http(s) URL");
        assert!(read_url(&env, "OK").is_ok());
    }

    #[test]
    fn a_debug_print_of_a_notifier_never_shows_the_url() {
        let topo = crate::topology::parse(
            std::path::Path::new("t.yaml"),
            &format!(
                "{}notify:\n  - kind: slack\n    url_env: HOOK\n",
                include_str!("../../tests/data/base.yaml")
            ),
        )
        .unwrap();
        let env = Env::from_pairs([("HOOK", "https://hooks.example/services/T0/B1/XyZsecret")]);
        let n = Notifier::new(&topo, &env);
        assert!(!n.is_empty());
        let printed = format!("{n:?}");
        assert!(
            !printed.contains("XyZsecret") && printed.contains("HOOK"),
            "{printed}"
        );
    }

    #[test]
    fn a_refused_connection_is_retried_and_reported_without_the_url() {
        // A port nothing listens on: bind one, then let it go.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let topo = crate::topology::parse(
            std::path::Path::new("t.yaml"),
            &format!(
                "{}notify:\n  - kind: webhook\n    url_env: HOOK\n",
                include_str!("../../tests/data/base.yaml")
            ),
        )
        .unwrap();
        let url = format!("http://127.0.0.1:{port}/hook/T0KEN-abc?sig=XYZW");
        let env = Env::from_pairs([("HOOK", url.as_str())]);
        let n = Notifier::new(&topo, &env).with_policy(Policy {
            timeout: Duration::from_secs(2),
            tries: 2,
            backoff: Duration::from_millis(10),
        });
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let e = Event::new(EventKind::Failed, "failover", "me@h", "t");
        let got = rt.block_on(n.send(&e));
        assert_eq!(got.len(), 1);
        let f = &got[0];
        assert_eq!((f.kind, f.tries), (SinkKind::Webhook, 2));
        let m = f.to_string();
        assert!(m.contains("onnect"), "{m}");
        for secret in [url.as_str(), "T0KEN-abc", "XYZW"] {
            assert!(!m.contains(secret), "{m}");
        }
    }

    #[test]
    fn a_failure_says_which_sink_and_how_many_tries() {
        let f = Failure {
            kind: SinkKind::Webhook,
            url_env: "HYBRIDCTL_WEBHOOK_URL".into(),
            tries: 3,
            message: "HTTP 500".into(),
        };
        assert_eq!(
            f.to_string(),
            "the webhook notification ($HYBRIDCTL_WEBHOOK_URL) was not delivered after 3 tries: HTTP 500"
        );
    }
}
