//! Test support: the local AWS lab (one server per test binary, one moto account per test),
//! seeding, the control API, and a `hybridctl` command wired to the lab.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub mod mariadb;
pub mod prom;

pub const REGION: &str = "ap-northeast-2";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The lab server. It exits when this process does: its stdin is a pipe we never close, and
/// the lab stops on EOF (`--exit-on-stdin-eof`), so even a panicking test binary cleans up.
pub struct Lab {
    pub port: u16,
    _child: Mutex<Child>,
    _stdin: Mutex<ChildStdin>,
}

static LAB: OnceLock<Lab> = OnceLock::new();
static NEXT_ACCOUNT: AtomicU64 = AtomicU64::new(200_000_000_001);

const INSTALL_HINT: &str = "the lab is not installed: run ./scripts/lab-env (./scripts/test does it for you), \
which creates .lab/venv with the pinned moto from tests/lab/requirements.lock";

pub fn lab() -> &'static Lab {
    LAB.get_or_init(start_lab)
}

pub fn python() -> PathBuf {
    std::env::var_os("HYBRIDCTL_LAB_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".lab/venv/bin/python"))
}

fn start_lab() -> Lab {
    let python = python();
    assert!(
        python.exists(),
        "{} is missing; {INSTALL_HINT}",
        python.display()
    );
    let dir = tempfile::tempdir().expect("temp dir").keep();
    let port_file = dir.join("port");
    let log = std::fs::File::create(dir.join("lab.log")).expect("lab log");
    let mut child = Command::new(&python)
        .arg(repo().join("tests/lab/lab.py"))
        .args(["serve", "--port", "0", "--exit-on-stdin-eof", "--port-file"])
        .arg(&port_file)
        .stdin(Stdio::piped())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start the lab with {}: {e}; {INSTALL_HINT}",
                python.display()
            )
        });
    let stdin = child.stdin.take().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let port = loop {
        if let Ok(text) = std::fs::read_to_string(&port_file)
            && let Ok(port) = text.trim().parse::<u16>()
        {
            break port;
        }
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(dir.join("lab.log")).unwrap_or_default();
            panic!("the lab exited ({status}) before listening:\n{log}\n{INSTALL_HINT}");
        }
        assert!(
            Instant::now() < deadline,
            "the lab did not start within 60 s; log in {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    Lab {
        port,
        _child: Mutex::new(child),
        _stdin: Mutex::new(stdin),
    }
}

impl Lab {
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// POST a control call; panics with the lab's answer when it is not 200.
    pub fn ctl(&self, path: &str, body: &Value) -> Value {
        let body = body.to_string();
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to the lab");
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        write!(
            s,
            "POST /_lab/{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut raw = String::new();
        s.read_to_string(&mut raw).expect("lab answer");
        let (head, payload) = raw.split_once("\r\n\r\n").expect("HTTP answer");
        assert!(
            head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200"),
            "/_lab/{path}: {head}\n{payload}"
        );
        serde_json::from_str(payload).expect("JSON answer")
    }
}

/// One test's slice of the lab: its own moto account, reached with its own credentials.
pub struct Account {
    pub id: String,
    pub dir: tempfile::TempDir,
}

/// What the seed created, plus the topology file that points at it.
pub struct Seeded {
    pub account: Account,
    pub config: PathBuf,
    pub resources: Value,
}

impl Account {
    pub fn new() -> Account {
        let n = NEXT_ACCOUNT.fetch_add(1, Ordering::SeqCst);
        Account {
            id: format!("{n:012}"),
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn access_key_id(&self) -> String {
        format!("LAB{}", self.id)
    }

    pub fn ctl(&self, path: &str, mut body: Value) -> Value {
        body["account"] = json!(self.id);
        lab().ctl(path, &body)
    }

    /// AWS calls made by this account since the last reset, by `service:Operation`.
    pub fn calls(&self) -> BTreeMap<String, u64> {
        let v = self.ctl("calls", json!({}));
        serde_json::from_value(v["calls"].clone()).unwrap()
    }

    pub fn reset_calls(&self) {
        self.ctl("calls", json!({"reset": true}));
    }

    pub fn fault(&self, operation: &str, kind: &str, count: u32) {
        self.ctl(
            "faults",
            json!({"operation": operation, "kind": kind, "count": count}),
        );
    }

    /// Creates the example topology in this account and writes its hybridctl file.
    pub fn seed(self, services: u32) -> Seeded {
        self.seed_with(json!({ "services": services }))
    }

    /// `seed` with options: `services`, `listener_service` (a service on a listener default action).
    pub fn seed_with(self, options: Value) -> Seeded {
        let v = self.ctl("seed", options);
        let config = self.dir.path().join("hybridctl.yaml");
        std::fs::write(&config, v["topology"].as_str().unwrap()).unwrap();
        self.reset_calls();
        Seeded {
            resources: v["resources"].clone(),
            config,
            account: self,
        }
    }

    /// The real binary, with this account's credentials and nothing from the developer's setup.
    pub fn hybridctl(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.hybridctl_std())
    }

    /// The same as a plain `std::process::Command`, for tests that spawn and kill it.
    pub fn hybridctl_std(&self) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("hybridctl"));
        for var in [
            "AWS_PROFILE",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_ENDPOINT_URL",
            "AWS_SESSION_TOKEN",
            "HYBRIDCTL_CONFIG",
            "HYBRIDCTL_LOG",
            "HYBRIDCTL_NOW",
            "NO_COLOR",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("AWS_ACCESS_KEY_ID", self.access_key_id())
            .env("AWS_SECRET_ACCESS_KEY", "lab")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_MAX_ATTEMPTS", "1")
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .current_dir(self.dir.path());
        cmd
    }

    /// An AWS context for in-process adapter tests: static credentials, the lab endpoint.
    pub fn context(&self, region: &str) -> hybridctl::aws::AwsContext {
        let creds =
            aws_credential_types::Credentials::new(self.access_key_id(), "lab", None, None, "lab");
        let sdk = aws_config::SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(region.to_string()))
            .endpoint_url(lab().endpoint())
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(creds),
            )
            .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(1))
            .build();
        hybridctl::aws::AwsContext::from_sdk_config(sdk)
    }
}

impl Seeded {
    pub fn hybridctl(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.hybridctl_std())
    }

    pub fn hybridctl_std(&self) -> Command {
        let mut cmd = self.account.hybridctl_std();
        cmd.arg("-c").arg(&self.config);
        cmd
    }

    pub fn context(&self) -> hybridctl::aws::AwsContext {
        self.account.context(REGION)
    }

    /// Another client's write: the web rule forwards to `groups` (ARN, weight), with
    /// stickiness (3600 s) or without.
    pub fn set_forward(&self, groups: &[(&str, i32)], sticky: bool) {
        use aws_sdk_elasticloadbalancingv2::types::{
            Action, ActionTypeEnum, ForwardActionConfig, TargetGroupStickinessConfig,
            TargetGroupTuple,
        };
        let fc = ForwardActionConfig::builder()
            .set_target_groups(Some(
                groups
                    .iter()
                    .map(|(arn, w)| {
                        TargetGroupTuple::builder()
                            .target_group_arn(*arn)
                            .weight(*w)
                            .build()
                    })
                    .collect(),
            ))
            .target_group_stickiness_config(
                TargetGroupStickinessConfig::builder()
                    .enabled(sticky)
                    .set_duration_seconds(sticky.then_some(3600))
                    .build(),
            )
            .build();
        let action = Action::builder()
            .r#type(ActionTypeEnum::Forward)
            .forward_config(fc)
            .build();
        rt().block_on(
            self.context()
                .elbv2()
                .modify_rule()
                .rule_arn(self.res("/services/web/rule_arn"))
                .actions(action)
                .send(),
        )
        .unwrap();
    }

    pub fn res(&self, pointer: &str) -> String {
        self.resources
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no {pointer} in seeded resources: {}", self.resources))
            .to_string()
    }
}

impl Seeded {
    /// Forces the health of targets of `service`'s `site` target group.
    pub fn force_health(&self, service: &str, site: &str, ids: &[&str], state: &str) {
        for id in ids {
            self.account.ctl(
                "target-health",
                json!({"target_group_arn": self.res(&format!("/services/{service}/target_groups/{site}")),
                       "target_id": id, "state": state, "reason": "Target.Timeout",
                       "description": "Request timed out"}),
            );
        }
    }

    /// Turns the seeded RDS instance's automated backups off (which turns its binlog off).
    pub fn disable_backups(&self) {
        rt().block_on(
            self.context()
                .rds()
                .modify_db_instance()
                .db_instance_identifier("hybrid-mariadb")
                .backup_retention_period(0)
                .apply_immediately(true)
                .send(),
        )
        .unwrap();
    }

    /// Sets the failover alarm with the real SetAlarmState.
    pub fn set_alarm(&self, state: aws_sdk_cloudwatch::types::StateValue) {
        rt().block_on(
            self.context()
                .cloudwatch()
                .set_alarm_state()
                .alarm_name("onprem-requestcount-high")
                .state_value(state)
                .state_reason("set by the test")
                .send(),
        )
        .unwrap();
    }

    /// Publishes a DMS CDCLatencyTarget datapoint for the seeded task, as DMS would.
    pub fn put_cdc_latency(&self, seconds: f64) {
        use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit};
        rt().block_on(
            self.context()
                .cloudwatch()
                .put_metric_data()
                .namespace("AWS/DMS")
                .metric_data(
                    MetricDatum::builder()
                        .metric_name("CDCLatencyTarget")
                        .dimensions(
                            Dimension::builder()
                                .name("ReplicationInstanceIdentifier")
                                .value("hybrid-dms")
                                .build(),
                        )
                        .dimensions(
                            Dimension::builder()
                                .name("ReplicationTaskIdentifier")
                                .value("rds-to-onprem")
                                .build(),
                        )
                        .value(seconds)
                        .unit(StandardUnit::Seconds)
                        .build(),
                )
                .send(),
        )
        .unwrap();
    }
}

/// A tokio runtime for in-process SDK tests.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

// ------------------------------------------------------------------ notification receivers

/// A notification receiver in the lab (`/_hooks/<name>`), named for one test.
pub struct Hook {
    pub name: String,
}

impl Hook {
    /// A receiver whose name carries the account, so tests never share one.
    pub fn new(account: &Account, what: &str) -> Hook {
        Hook {
            name: format!("{what}-{}", account.id),
        }
    }

    /// The receiver's URL, with `token` as the secret part of its path (as Slack's has).
    pub fn url(&self, token: &str) -> String {
        format!("{}/_hooks/{}/{token}", lab().endpoint(), self.name)
    }

    /// Every request it received, oldest first: `{method, path, headers, body, time}`.
    pub fn requests(&self) -> Vec<Value> {
        let v = lab().ctl(&format!("hooks/{}", self.name), &json!({}));
        v["requests"].as_array().cloned().unwrap_or_default()
    }

    /// The bodies it received, parsed.
    pub fn bodies(&self) -> Vec<Value> {
        self.requests()
            .iter()
            .map(|r| serde_json::from_str(r["body"].as_str().unwrap()).expect("a JSON body"))
            .collect()
    }

    /// From now on answer with this status.
    pub fn answer(&self, status: u16) {
        lab().ctl(&format!("hooks/{}", self.name), &json!({"status": status}));
    }

    /// From now on hang this long before answering.
    pub fn hang(&self, seconds: u64) {
        lab().ctl(&format!("hooks/{}", self.name), &json!({"hang_s": seconds}));
    }
}

impl Seeded {
    /// Appends a `notify:` section (its entries as YAML list items) to the topology file.
    pub fn add_notify(&self, entries: &str) {
        let mut text = std::fs::read_to_string(&self.config).unwrap();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str("notify:\n");
        text.push_str(entries);
        std::fs::write(&self.config, text).unwrap();
    }

    /// The journal's text (empty when there is none).
    pub fn journal_text(&self) -> String {
        std::fs::read_to_string(
            self.account
                .dir
                .path()
                .join("state/hybridctl/journal.jsonl"),
        )
        .unwrap_or_default()
    }

    /// Every journal record, in order.
    pub fn journal_records(&self) -> Vec<Value> {
        self.journal_text()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

/// Seconds since the epoch of an RFC 3339 UTC time (`2026-11-23T10:00:00.123Z`).
pub fn epoch_of(rfc3339: &str) -> f64 {
    let (date, time) = rfc3339
        .strip_suffix('Z')
        .and_then(|t| t.split_once('T'))
        .unwrap_or_else(|| panic!("not RFC 3339 UTC: {rfc3339}"));
    let d: Vec<i64> = date.split('-').map(|p| p.parse().unwrap()).collect();
    let (y, m, day) = (d[0], d[1], d[2]);
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let t: Vec<f64> = time.split(':').map(|p| p.parse().unwrap()).collect();
    days as f64 * 86_400.0 + t[0] * 3600.0 + t[1] * 60.0 + t[2]
}

/// Weights by site, as the tests write them: `w(40, 60)` is onprem 40, aws 60.
pub fn w(onprem: u32, aws: u32) -> BTreeMap<String, u32> {
    BTreeMap::from([("onprem".to_string(), onprem), ("aws".to_string(), aws)])
}

impl Seeded {
    /// The live weights of a service's rule (or listener default action), by site, read from
    /// the lab.
    pub fn weights(&self, service: &str) -> BTreeMap<String, u32> {
        let client = self.context().elbv2();
        let rule = self
            .resources
            .pointer(&format!("/services/{service}/rule_arn"))
            .and_then(|v| v.as_str());
        let actions = match rule {
            Some(arn) => rt()
                .block_on(hybridctl::aws::elbv2::describe_rules(
                    &client,
                    &[arn.to_string()],
                ))
                .unwrap(),
            None => rt()
                .block_on(hybridctl::aws::elbv2::describe_listeners(
                    &client,
                    &[self.res(&format!("/services/{service}/listener_arn"))],
                ))
                .unwrap(),
        };
        let fwd = actions[0].forward().unwrap();
        ["onprem", "aws"]
            .into_iter()
            .map(|site| {
                let tg = self.res(&format!("/services/{service}/target_groups/{site}"));
                let g = fwd.target_groups.iter().find(|g| g.arn == tg).unwrap();
                (site.to_string(), g.weight as u32)
            })
            .collect()
    }

    /// The `hybridctl:last-change` tag on a service's rule (None: not tagged).
    pub fn last_change_tag(&self, service: &str) -> Option<String> {
        rt().block_on(hybridctl::aws::elbv2::tag_values(
            &self.context().elbv2(),
            &[self.res(&format!("/services/{service}/rule_arn"))],
            hybridctl::aws::elbv2::LAST_CHANGE_TAG,
        ))
        .unwrap()
        .into_values()
        .next()
    }

    /// ModifyRule calls the lab has counted in this account.
    pub fn modifies(&self) -> u64 {
        self.account
            .calls()
            .get("elasticloadbalancing:ModifyRule")
            .copied()
            .unwrap_or(0)
    }
}

/// What a run on a pseudo-terminal gave (`tests/support/pty_run.py`).
pub struct PtyRun {
    pub code: i64,
    /// The streams left plain (a pipe).
    pub stdout: String,
    pub stderr: String,
    /// Every byte the terminal received, escape sequences included (`\n` arrives as `\r\n`).
    pub tty: String,
}

/// Runs `cmd` with stderr (or, with `stdout_on_tty`, stdout) on a pseudo-terminal `cols`
/// columns wide, the way an operator's terminal runs it.
pub fn on_pty(cmd: &Command, stdout_on_tty: bool, cols: u16) -> PtyRun {
    let python = std::env::var_os("HYBRIDCTL_LAB_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".lab/venv/bin/python"));
    let mut run = Command::new(python);
    run.arg(repo().join("tests/support/pty_run.py"));
    if stdout_on_tty {
        run.arg("--stdout");
    }
    run.args(["--cols", &cols.to_string()])
        .arg(cmd.get_program())
        .args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        run.current_dir(dir);
    }
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => run.env(k, v),
            None => run.env_remove(k),
        };
    }
    let out = run.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    PtyRun {
        code: v["code"].as_i64().unwrap(),
        stdout: text("stdout"),
        stderr: text("stderr"),
        tty: text("tty"),
    }
}
