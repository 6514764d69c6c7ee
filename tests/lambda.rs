//! `hybridctl lambda` against the lab's Lambda Runtime API (tests/lab/lambda_api.py): the real
//! binary as the function's runtime, events queued through the lab, answers read back.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{Account, Seeded, w};

pub(crate) const ALARM: &str = "onprem-requestcount-high";

/// A seeded account with the coordination table: a 13 s lease with 1 s polls, else 2 m (the
/// watcher lease needs 10 s plus three polls of the default 10 s interval).
fn coordinated(watch: Option<&str>) -> Seeded {
    let lease = if watch.is_some() { "13s" } else { "2m" };
    let s = Account::new().seed_with(json!({"services": 1, "coordination": lease}));
    if let Some(w) = watch {
        let mut text = std::fs::read_to_string(&s.config).unwrap();
        text.push_str(&format!("watch: {{ {w} }}\n"));
        std::fs::write(&s.config, text).unwrap();
    }
    s
}

/// One function on the lab's Runtime API, and the `hybridctl lambda` process serving it.
pub(crate) struct Function<'a> {
    s: &'a Seeded,
    id: String,
    api: String,
    child: Option<Child>,
    stderr: Arc<Mutex<String>>,
}

impl<'a> Function<'a> {
    pub(crate) fn open(s: &'a Seeded) -> Function<'a> {
        let v = s.account.ctl("lambda/open", json!({}));
        Function {
            s,
            id: v["function"].as_str().unwrap().into(),
            api: v["runtime_api"].as_str().unwrap().into(),
            child: None,
            stderr: Arc::default(),
        }
    }

    /// `hybridctl lambda` as Lambda starts it: the Runtime API and the function's variables.
    fn command(&self) -> Command {
        let tmp = self.s.account.dir.path().join("tmp");
        std::fs::create_dir_all(&tmp).unwrap();
        let mut cmd = self.s.hybridctl_std();
        cmd.arg("lambda")
            .env("AWS_LAMBDA_RUNTIME_API", &self.api)
            .env("AWS_LAMBDA_FUNCTION_NAME", "hybridctl-failover")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("TMPDIR", &tmp)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        cmd
    }

    pub(crate) fn start(mut self) -> Self {
        let mut child = self.command().spawn().unwrap();
        let mut err = child.stderr.take().unwrap();
        let sink = self.stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        self.child = Some(child);
        self
    }

    pub(crate) fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends a real signal to the running function (`TERM`: Lambda's shutdown).
    fn signal(&self, name: &str) {
        let pid = self.child.as_ref().expect("started").id();
        let ok = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(pid.to_string())
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// The exit code once the process ends, within `secs`.
    fn exit(&mut self, secs: u64) -> Option<i32> {
        let child = self.child.as_mut().expect("started");
        let deadline = std::time::Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status.code();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "still running {secs} s after the signal; log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn ctl(&self, what: &str, mut body: Value) -> Value {
        body["function"] = json!(self.id);
        self.s.account.ctl(&format!("lambda/{what}"), body)
    }

    /// Queues an event and waits for the function's answer.
    fn invoke(&self, event: Value) -> Value {
        self.answer(json!({ "event": event }))
    }

    fn answer(&self, enqueue: Value) -> Value {
        let rid = self.ctl("enqueue", enqueue)["request_id"].clone();
        let r = self.ctl("result", json!({"request_id": rid, "wait_s": 60}));
        assert_eq!(r["done"], true, "no answer in 60 s; log:\n{}", self.log());
        r
    }

    pub(crate) fn response(&self, event: Value) -> Value {
        let r = self.invoke(event);
        assert_eq!(r["kind"], "response", "{r}\nlog:\n{}", self.log());
        r["body"].clone()
    }
}

impl Drop for Function<'_> {
    fn drop(&mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
        self.ctl("close", json!({}));
    }
}

pub(crate) fn eventbridge(alarm: &str, state: &str) -> Value {
    json!({
        "version": "0", "id": "7bf73129-1428-4cd3-a780-95db273d1602",
        "detail-type": "CloudWatch Alarm State Change", "source": "aws.cloudwatch",
        "account": "123456789012", "time": "2026-11-23T18:00:00Z", "region": "ap-northeast-2",
        "resources": [format!("arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:{alarm}")],
        "detail": {
            "alarmName": alarm,
            "state": {"value": state, "reason": "Threshold Crossed: 1 out of the last 1 datapoints [120.0] was greater than the threshold (100.0)", "timestamp": "2026-11-23T18:00:00.000+0000"},
            "previousState": {"value": "OK", "reason": "", "timestamp": "2026-11-23T17:00:00.000+0000"},
            "configuration": {"metrics": []}
        }
    })
}

fn sns(alarm: &str, state: &str) -> Value {
    let message = json!({
        "AlarmName": alarm, "AlarmDescription": null, "AWSAccountId": "123456789012",
        "NewStateValue": state, "NewStateReason": "Threshold Crossed: 1 datapoint", "OldStateValue": "OK",
        "StateChangeTime": "2026-11-23T18:00:00.000+0000", "Region": "Asia Pacific (Seoul)"
    });
    json!({"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
        "EventSubscriptionArn": "arn:aws:sns:ap-northeast-2:123456789012:hybridctl-alarms:1",
        "Sns": {"Type": "Notification", "MessageId": "95df01b4-ee98-5cb9-9903-4c221d41eb5e",
                "TopicArn": "arn:aws:sns:ap-northeast-2:123456789012:hybridctl-alarms",
                "Subject": format!("ALARM: \"{alarm}\""), "Message": message.to_string(),
                "Timestamp": "2026-11-23T18:00:00.000Z"}}]})
}

fn scheduled() -> Value {
    json!({"version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", "detail-type": "Scheduled Event",
           "source": "aws.events", "account": "123456789012", "time": "2026-11-23T18:00:00Z",
           "region": "ap-northeast-2",
           "resources": ["arn:aws:events:ap-northeast-2:123456789012:rule/hybridctl-watch"], "detail": {}})
}

pub(crate) fn set_alarm(s: &Seeded, state: &str) {
    s.set_alarm(aws_sdk_cloudwatch::types::StateValue::from(state));
}

#[test]
fn an_alarm_event_fails_over_verified_with_actor_lambda_and_its_retry_is_a_no_op() {
    let s = coordinated(None);
    set_alarm(&s, "ALARM");
    s.account.reset_calls();
    let f = Function::open(&s).start();
    let r = f.response(eventbridge(ALARM, "ALARM"));
    assert_eq!(r["schema"], "hybridctl.traffic/v1", "{r}");
    assert_eq!(r["outcome"], "applied", "{r}");
    assert_eq!(s.weights("web"), w(0, 100));
    assert_eq!(s.modifies(), 1);
    // The shared history, read from another host, names the lambda and the alarm.
    let out = s
        .hybridctl()
        .args(["history", "-o", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let h: Value = serde_json::from_slice(&out.stdout).unwrap();
    let outcome = h["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "outcome")
        .unwrap_or_else(|| panic!("no outcome record: {h}"));
    assert_eq!(outcome["actor"], "lambda", "{outcome}");
    assert_eq!(outcome["host"], "lambda:hybridctl-failover", "{outcome}");
    assert!(
        outcome["reason"].as_str().unwrap().starts_with(&format!(
            "lambda: alarm {ALARM} is in ALARM (Threshold Crossed"
        )),
        "{outcome}"
    );
    // The rule is tagged, though the alarm's reason has parentheses and brackets, which ELBv2
    // (and the lab) refuse in a tag value.
    let tag = s.last_change_tag("web").expect("the rule is tagged");
    assert!(
        tag.contains(
            "failover by lambda on lambda@lambda:hybridctl-failover - gen 1: lambda: alarm"
        ),
        "{tag}"
    );
    // Lambda retries async invocations: the same event again changes nothing.
    let again = f.response(eventbridge(ALARM, "ALARM"));
    assert_eq!(again["outcome"], "no-op", "{again}");
    assert_eq!(s.modifies(), 1);
    assert_eq!(s.weights("web"), w(0, 100));
    // Every call the function made (cold start, failover, retry) is in `iam-policy lambda`.
    let allowed = crate::iam::allowed(&s, "lambda");
    for call in s.account.calls().keys() {
        assert!(
            allowed.contains(&crate::iam::iam_action(call)),
            "the lambda called {call}, which `iam-policy lambda` does not allow: {allowed:?}"
        );
    }
    let log = f.log();
    assert!(
        log.lines()
            .any(|l| l.starts_with("lambda: failover applied")),
        "{log}"
    );
    assert!(
        !log.contains('\u{1b}'),
        "no colour in CloudWatch Logs: {log}"
    );
}

#[test]
fn sns_ok_other_alarms_and_malformed_events_each_get_their_answer_and_the_loop_goes_on() {
    let s = coordinated(Some("interval: 1s"));
    set_alarm(&s, "ALARM");
    let f = Function::open(&s).start();
    // A malformed event first: an invocation error, nothing changed, the loop serves on.
    let r = f.invoke(json!({"hello": "world"}));
    assert_eq!(r["kind"], "error", "{r}");
    assert_eq!(r["body"]["errorType"], "hybridctl.UnsupportedEvent", "{r}");
    assert!(
        r["body"]["errorMessage"]
            .as_str()
            .unwrap()
            .contains("neither an EventBridge event"),
        "{r}"
    );
    let r = f.answer(json!({"raw": "not json at all"}));
    assert_eq!(r["kind"], "error", "{r}");
    let r = f.invoke(json!({"detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2", "detail": {}}));
    assert_eq!(r["body"]["errorType"], "hybridctl.UnsupportedEvent", "{r}");
    assert_eq!(s.modifies(), 0);
    // Another alarm, and the failover alarm in INSUFFICIENT_DATA: no action.
    let r = f.response(eventbridge("disk-full", "ALARM"));
    assert_eq!(r["outcome"], "no-action", "{r}");
    assert!(
        r["message"]
            .as_str()
            .unwrap()
            .contains("is not failover.alarm"),
        "{r}"
    );
    let r = f.response(sns(ALARM, "INSUFFICIENT_DATA"));
    assert_eq!(
        r["message"],
        format!("alarm {ALARM} is INSUFFICIENT_DATA: no action")
    );
    assert_eq!(s.modifies(), 0);
    // The SNS-wrapped ALARM fails over.
    let r = f.response(sns(ALARM, "ALARM"));
    assert_eq!(r["outcome"], "applied", "{r}");
    assert_eq!(s.weights("web"), w(0, 100));
    // OK: one watch evaluation; failed over by the lambda, failback not ready before `hold`.
    set_alarm(&s, "OK");
    let r = f.response(eventbridge(ALARM, "OK"));
    assert_eq!(r["schema"], "hybridctl.watch.evaluation/v1", "{r}");
    assert_eq!(r["role"], "active", "{r}");
    assert!(r["action"].is_null(), "{r}");
    assert!(r["services"][0]["failed_over_since"].is_string(), "{r}");
    assert_eq!(s.weights("web"), w(0, 100));
    assert_eq!(s.modifies(), 1);
    let log = f.log();
    assert!(
        log.contains("UnsupportedEvent") || log.contains("refused, nothing changed"),
        "{log}"
    );
    assert!(log.contains("is not failover.alarm"), "{log}");
}

#[test]
fn scheduled_events_carry_the_streak_in_the_table_and_fail_over_after_fail_after() {
    let s = coordinated(Some("interval: 1s, fail_after: 3"));
    s.force_health("web", "onprem", &["10.20.0.11", "10.20.0.12"], "unhealthy");
    let f = Function::open(&s).start();
    for i in 1..=2 {
        let r = f.response(scheduled());
        assert_eq!(r["role"], "active", "{r}");
        assert!(r["action"].is_null(), "{r}");
        assert_eq!(r["services"][0]["bad_streak"], json!(i), "{r}");
    }
    assert_eq!(s.modifies(), 0);
    // A fresh sandbox (a cold start) continues from the table's streak.
    drop(f);
    let f = Function::open(&s).start();
    let r = f.response(scheduled());
    assert_eq!(r["action"]["kind"], "failover", "{r}");
    assert_eq!(r["action"]["outcome"], "applied", "{r}");
    assert_eq!(s.weights("web"), w(0, 100));
    let r = f.response(scheduled());
    assert!(r["action"].is_null(), "already failed over: {r}");
    assert_eq!(s.modifies(), 1);
}

#[test]
fn a_running_watch_holds_the_watcher_lease_and_the_lambda_stands_by() {
    let s = coordinated(Some("interval: 1s, fail_after: 50"));
    let mut watch = Killed(
        s.hybridctl_std()
            .args(["watch", "-o", "json"])
            .env("XDG_STATE_HOME", s.account.dir.path().join("host-a"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut lines = std::io::BufReader::new(watch.0.stdout.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut lines, &mut line).unwrap();
    let first: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(first["role"], "active", "{first}");
    let f = Function::open(&s).start();
    let r = f.response(scheduled());
    drop(watch);
    assert_eq!(r["role"], "standby", "{r}");
    assert!(
        r["active"].as_str().unwrap().starts_with("watch by "),
        "{r}"
    );
    assert!(
        r["services"].as_array().unwrap().is_empty(),
        "a standby polls nothing: {r}"
    );
}

/// A child process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn init_error(f: &mut Function<'_>) -> (Value, Option<i32>) {
    let mut child = f.command().spawn().unwrap();
    let status = wait_exit(&mut child, Duration::from_secs(60));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    f.stderr.lock().unwrap().push_str(&err);
    let v = f.ctl("init-error", json!({"wait_s": 5}));
    (v["init_error"].clone(), status)
}

fn wait_exit(child: &mut Child, limit: Duration) -> Option<i32> {
    let start = std::time::Instant::now();
    loop {
        if let Some(st) = child.try_wait().unwrap() {
            return st.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("hybridctl lambda did not exit after a failed init");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_broken_topology_fails_the_init_with_the_located_messages_of_validate() {
    let s = coordinated(None);
    let text = std::fs::read_to_string(&s.config).unwrap();
    std::fs::write(
        &s.config,
        text.replace("onprem: 40, aws: 60", "onprem: lots, aws: 60"),
    )
    .unwrap();
    let validate = s.hybridctl().arg("validate").output().unwrap();
    let located = String::from_utf8_lossy(&validate.stderr)
        .trim_end()
        .to_string();
    assert!(located.contains("hybridctl.yaml:"), "{located}");
    let mut f = Function::open(&s);
    let (e, code) = init_error(&mut f);
    assert_eq!(code, Some(2), "{}", f.log());
    assert_eq!(e["error_type"], "Runtime.InitError", "{e}");
    assert_eq!(e["body"]["errorType"], "hybridctl.ConfigError", "{e}");
    assert_eq!(e["body"]["errorMessage"], located, "{e}");
    assert!(f.log().contains(&located), "{}", f.log());
}

#[test]
fn without_coordination_the_init_fails_and_says_why() {
    let s = Account::new().seed(1);
    let mut f = Function::open(&s);
    let (e, code) = init_error(&mut f);
    assert_eq!(code, Some(2), "{}", f.log());
    let m = e["body"]["errorMessage"].as_str().unwrap();
    assert!(
        m.contains("hybridctl lambda needs a coordination section"),
        "{m}"
    );
    assert!(m.contains("hint: add coordination.dynamodb_table"), "{m}");
    let state = f.ctl("state", json!({}));
    assert_eq!(
        state["next_polls"], 0,
        "no event is asked for after a failed init"
    );
}

#[test]
fn outside_lambda_it_refuses_and_points_at_package() {
    let s = coordinated(None);
    let out = s.hybridctl().arg("lambda").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("AWS_LAMBDA_RUNTIME_API is not set"), "{err}");
    assert!(err.contains("hybridctl lambda package"), "{err}");
}

#[test]
fn package_holds_bootstrap_the_binary_and_the_topology() {
    let s = coordinated(None);
    let zip_path = s.account.dir.path().join("fn.zip");
    let out = s
        .hybridctl()
        .args(["lambda", "package", "-o", "json", "--out"])
        .arg(&zip_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["schema"], "hybridctl.lambda-package/v1");
    let glibc = report["glibc"].as_str().unwrap();
    assert!(glibc.starts_with("2."), "{report}");
    assert_eq!(report["architecture"], "x86_64", "{report}");
    // No temporary file is left beside the zip.
    let left: Vec<_> = std::fs::read_dir(s.account.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let mut z = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let names: Vec<String> = (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    assert_eq!(names, ["bootstrap", "hybridctl", "hybridctl.yaml"]);
    let mut read = |name: &str| {
        let mut e = z.by_name(name).unwrap();
        let mode = e.unix_mode().unwrap() & 0o777;
        assert_eq!(e.compression(), zip::CompressionMethod::Deflated, "{name}");
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        (data, mode)
    };
    let (bootstrap, mode) = read("bootstrap");
    assert_eq!(mode, 0o755);
    let bootstrap = String::from_utf8(bootstrap).unwrap();
    assert!(bootstrap.starts_with("#!/bin/sh\n"), "{bootstrap}");
    assert!(
        bootstrap.trim_end().ends_with("exec ./hybridctl lambda"),
        "{bootstrap}"
    );
    let (binary, mode) = read("hybridctl");
    assert_eq!(mode, 0o755);
    assert_eq!(
        binary,
        std::fs::read(assert_cmd::cargo::cargo_bin("hybridctl")).unwrap()
    );
    let (yaml, mode) = read("hybridctl.yaml");
    assert_eq!(mode, 0o644);
    assert_eq!(yaml, std::fs::read(&s.config).unwrap());
    // The packaged bootstrap starts the loop with the topology beside it (no -c, no
    // HYBRIDCTL_CONFIG): unpacked, it fails the init only for want of Lambda's variables.
    let dir = s.account.dir.path().join("unpacked");
    z.extract(&dir).unwrap();
    let f = Function::open(&s);
    let status = Command::new(dir.join("bootstrap"))
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("AWS_LAMBDA_RUNTIME_API", &f.api)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(2));
    let init = f.ctl("init-error", json!({"wait_s": 5}));
    let m = init["init_error"]["body"]["errorMessage"]
        .as_str()
        .unwrap_or_default();
    assert!(m.contains("AWS_LAMBDA_FUNCTION_NAME is not set"), "{init}");
}

/// Runs `lambda package --out OUT [--binary B]`, which must refuse (exit 2); its stderr.
fn refused_package(s: &Seeded, out: &Path, binary: Option<&Path>) -> String {
    let mut cmd = s.hybridctl();
    cmd.args(["lambda", "package", "--out"]).arg(out);
    if let Some(b) = binary {
        cmd.arg("--binary").arg(b);
    }
    let done = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&done.stderr).to_string();
    assert_eq!(done.status.code(), Some(2), "{err}");
    err
}

#[test]
fn package_refuses_what_cannot_run_on_provided_al2023() {
    let s = coordinated(None);
    let zip_path = s.account.dir.path().join("fn.zip");
    let err = refused_package(&s, &zip_path, Some(&s.config));
    assert!(err.contains("not a 64-bit ELF executable"), "{err}");
    assert!(!zip_path.exists());
    // This binary as if linked against a newer glibc: its highest `GLIBC_2.NN` requirement
    // (2.17 for the portable build the tests run, 2.34 for a host build), renamed in the ELF's
    // string table, reads as GLIBC_2.99 (the check reads names, not hashes).
    let mut bin = std::fs::read(assert_cmd::cargo::cargo_bin("hybridctl")).unwrap();
    let prefix = b"GLIBC_2.";
    let highest = (0..bin.len() - prefix.len() - 3)
        .filter(|&i| {
            let t = &bin[i..i + prefix.len() + 3];
            t.starts_with(prefix)
                && t[prefix.len()..prefix.len() + 2]
                    .iter()
                    .all(u8::is_ascii_digit)
                && t[prefix.len() + 2] == 0
        })
        .map(|i| bin[i + prefix.len()..i + prefix.len() + 2].to_vec())
        .max()
        .expect("the test binary needs a GLIBC_2.NN symbol version");
    let from = [&prefix[..], &highest, b"\0"].concat();
    let to = b"GLIBC_2.99\0";
    let at: Vec<usize> = (0..bin.len() - from.len())
        .filter(|&i| bin[i..i + from.len()] == from[..])
        .collect();
    for i in at {
        bin[i..i + to.len()].copy_from_slice(to);
    }
    let newer = s.account.dir.path().join("hybridctl-newer-glibc");
    std::fs::write(&newer, &bin).unwrap();
    let err = refused_package(&s, &zip_path, Some(&newer));
    assert!(
        err.contains("needs glibc 2.99, newer than provided.al2023's 2.34"),
        "{err}"
    );
    assert!(
        err.contains("hint: build it with scripts/release's portable build"),
        "{err}"
    );
    assert!(!zip_path.exists());
    // Another program: `bootstrap` would start something that is not hybridctl.
    let err = refused_package(&s, &zip_path, Some(Path::new("/bin/sh")));
    assert!(err.contains("/bin/sh is not a hybridctl binary"), "{err}");
    // A device or a fifo as --binary: refused before it is read.
    let err = refused_package(&s, &zip_path, Some(Path::new("/dev/zero")));
    assert!(err.contains("/dev/zero: not a regular file"));
    // --out naming a directory.
    let err = refused_package(&s, s.account.dir.path(), None);
    assert!(err.contains("is not a regular file"));
    // A file the function's cold start would refuse (a lease too short for the watch
    // interval) is refused here, with the same located message.
    let text = std::fs::read_to_string(&s.config).unwrap();
    std::fs::write(&s.config, text.replace("lease: 2m", "lease: 5s")).unwrap();
    let err = refused_package(&s, &zip_path, None);
    assert!(
        err.contains("coordination.lease: with watch, the lease must be at least 40s"),
        "{err}"
    );
    assert!(!zip_path.exists());
    let plain = Account::new().seed(1);
    let err = refused_package(&plain, &zip_path, None);
    assert!(err.contains("needs a coordination section"));
}

#[test]
fn sigterm_answers_the_event_in_flight_then_exits_zero() {
    let s = coordinated(None);
    set_alarm(&s, "ALARM");
    s.account.ctl(
        "faults",
        json!({"operation": "elasticloadbalancing:ModifyRule", "kind": "latency", "count": 1, "latency_ms": 2000}),
    );
    let mut f = Function::open(&s).start();
    let rid = f.ctl("enqueue", json!({"event": eventbridge(ALARM, "ALARM")}))["request_id"].clone();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while s.modifies() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "no write in 30 s; log:\n{}",
            f.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Lambda's shutdown arrives while the write is in flight.
    f.signal("TERM");
    let r = f.ctl("result", json!({"request_id": rid, "wait_s": 30}));
    assert_eq!(r["kind"], "response", "{r}\nlog:\n{}", f.log());
    assert_eq!(r["body"]["outcome"], "applied", "{r}");
    assert_eq!(s.weights("web"), w(0, 100));
    assert_eq!(f.exit(10), Some(0), "{}", f.log());
    assert!(f.log().contains("lambda: SIGTERM: stopped"), "{}", f.log());

    // Idle: it ends at once, and a later event is not taken by a stopping process.
    let mut idle = Function::open(&s).start();
    let ready = std::time::Instant::now() + Duration::from_secs(30);
    while !idle.log().contains("lambda: ready") {
        assert!(std::time::Instant::now() < ready, "{}", idle.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    idle.signal("TERM");
    assert_eq!(idle.exit(5), Some(0), "{}", idle.log());
}

#[test]
fn a_lease_left_by_a_killed_holder_is_a_retryable_error_not_an_answer() {
    let s = coordinated(None);
    set_alarm(&s, "ALARM");
    // A change that dies holding the rule's lease (a sandbox killed mid-failover leaves the
    // same): the lease lives 2 minutes.
    let mut holder = s
        .hybridctl_std()
        .args(["shift-traffic", "onprem=20", "aws=80", "--step", "10"])
        .args(["--interval", "30s", "--yes", "-o", "json"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while s.modifies() == 0 {
        assert!(std::time::Instant::now() < deadline, "no first step");
        std::thread::sleep(Duration::from_millis(20));
    }
    holder.kill().unwrap();
    holder.wait().unwrap();
    let f = Function::open(&s).start();
    let r = f.invoke(eventbridge(ALARM, "ALARM"));
    assert_eq!(r["kind"], "error", "{r}");
    assert_eq!(r["body"]["errorType"], "hybridctl.Busy", "{r}");
    let m = r["body"]["errorMessage"].as_str().unwrap();
    assert!(m.contains("is leased by shift-traffic"), "{m}");
    assert_eq!(s.weights("web"), w(30, 70), "nothing changed");
    // Once the lease is gone (here broken by a person; else it runs out), Lambda's retry of
    // the same event fails over.
    let rule = s.res("/services/web/rule_arn");
    let out = s
        .hybridctl()
        .args([
            "lease",
            "break",
            &rule,
            "--reason",
            "the holder died",
            "--yes",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = f.response(eventbridge(ALARM, "ALARM"));
    assert_eq!(again["outcome"], "applied", "{again}");
    assert_eq!(s.weights("web"), w(0, 100));
}

#[test]
fn after_sigterm_no_new_event_is_started() {
    let s = coordinated(None);
    set_alarm(&s, "ALARM");
    s.account.ctl(
        "faults",
        json!({"operation": "elasticloadbalancing:DescribeTargetHealth", "kind": "latency", "count": 1, "latency_ms": 2000}),
    );
    let mut f = Function::open(&s).start();
    // A scheduled evaluation in flight, an alarm event queued behind it.
    let first = f.ctl("enqueue", json!({"event": scheduled()}))["request_id"].clone();
    let second =
        f.ctl("enqueue", json!({"event": eventbridge(ALARM, "ALARM")}))["request_id"].clone();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !f.log().contains("scheduled event") {
        assert!(std::time::Instant::now() < deadline, "{}", f.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    f.signal("TERM");
    let r = f.ctl("result", json!({"request_id": first, "wait_s": 30}));
    assert_eq!(r["kind"], "response", "{r}\n{}", f.log());
    assert_eq!(f.exit(10), Some(0), "{}", f.log());
    // The queued alarm was not started: either never taken, or answered with an error that
    // makes Lambda deliver it again.
    let r = f.ctl("result", json!({"request_id": second, "wait_s": 0}));
    if r["done"] == true {
        assert_eq!(r["body"]["errorType"], "hybridctl.ShuttingDown", "{r}");
    }
    assert_eq!(s.weights("web"), w(40, 60), "{}", f.log());
    assert_eq!(s.modifies(), 0);
}
