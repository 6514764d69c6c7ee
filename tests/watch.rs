//! `hybridctl watch` against the lab: real processes, real signals, the real SDK. Time-based
//! decisions (hold, ok_for) run with `HYBRIDCTL_NOW`; the loop tests wait on observed progress.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{Account, Seeded, rt, w};

const T0: u64 = 1_800_000_000;

pub(crate) fn seeded(watch: &str) -> Seeded {
    with_watch(Account::new().seed(1), watch)
}

/// Appends a `watch:` section (YAML flow mapping body) to the seeded file.
pub(crate) fn with_watch(s: Seeded, watch: &str) -> Seeded {
    let mut text = std::fs::read_to_string(&s.config).unwrap();
    text.push_str(&format!("watch: {{ {watch} }}\n"));
    std::fs::write(&s.config, text).unwrap();
    s
}

pub(crate) fn host(s: &Seeded, name: &str) -> Command {
    let mut cmd = s.hybridctl_std();
    cmd.env(
        "XDG_STATE_HOME",
        s.account.dir.path().join(format!("host-{name}")),
    );
    cmd
}

fn once(s: &Seeded, at: u64, extra: &[&str]) -> (i32, Vec<Value>, String) {
    let out = host(s, "a")
        .args(["watch", "--once", "-o", "json"])
        .args(extra)
        .env("HYBRIDCTL_NOW", at.to_string())
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (
        out.status.code().unwrap_or(-1),
        lines,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn onprem(s: &Seeded, state: &str) {
    s.force_health("web", "onprem", &["10.20.0.11", "10.20.0.12"], state);
}

fn journal(s: &Seeded, name: &str) -> Vec<Value> {
    let p = s
        .account
        .dir
        .path()
        .join(format!("host-{name}/hybridctl/journal.jsonl"));
    std::fs::read_to_string(&p)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn bad_for_fail_after_polls_fails_over_verified_with_actor_watch() {
    let s = seeded("fail_after: 3");
    onprem(&s, "unhealthy");
    for i in 0..2 {
        let (code, lines, err) = once(&s, T0 + i * 10, &[]);
        assert_eq!(code, 0, "{err}");
        assert!(lines[0]["action"].is_null(), "{}", lines[0]);
        assert_eq!(lines[0]["services"][0]["bad_streak"], json!(i + 1));
        assert!(err.contains(&format!("web: bad poll {}/3", i + 1)), "{err}");
    }
    assert_eq!(s.modifies(), 0);
    let (code, lines, err) = once(&s, T0 + 20, &[]);
    assert_eq!(code, 0, "{err}");
    let action = &lines[0]["action"];
    assert_eq!(action["kind"], "failover");
    assert_eq!(action["outcome"], "applied", "{err}");
    assert!(
        action["reason"]
            .as_str()
            .unwrap()
            .starts_with("watch: 3 bad polls in a row (web: bad: onprem has 0 healthy target(s)"),
        "{action}"
    );
    assert_eq!(s.weights("web"), w(0, 100));
    let recs = journal(&s, "a");
    let outcome = recs
        .iter()
        .find(|r| r["kind"] == "outcome")
        .expect("an outcome record");
    assert_eq!(outcome["result"], "verified");
    assert_eq!(outcome["actor"], "watch");
    assert_eq!(outcome["command"], "failover");
    assert!(
        outcome["reason"]
            .as_str()
            .unwrap()
            .starts_with("watch: 3 bad polls")
    );
    // Already failed over: the next polls act no more.
    let (_, lines, _) = once(&s, T0 + 30, &[]);
    assert!(lines[0]["action"].is_null());
    assert_eq!(s.modifies(), 1);
}

fn alerts(err: &str, what: &str) -> usize {
    err.lines().filter(|l| l.contains(what)).count()
}

#[test]
fn a_flapping_target_does_not_trigger() {
    let s = seeded("fail_after: 3");
    for (i, state) in [
        "unhealthy",
        "unhealthy",
        "healthy",
        "unhealthy",
        "unhealthy",
        "healthy",
    ]
    .iter()
    .enumerate()
    {
        onprem(&s, state);
        let (code, lines, err) = once(&s, T0 + i as u64 * 10, &[]);
        assert_eq!(code, 0, "{err}");
        assert!(lines[0]["action"].is_null(), "poll {i}: {}", lines[0]);
    }
    assert_eq!(s.modifies(), 0);
    assert_eq!(s.weights("web"), w(40, 60));
}

#[test]
fn throttled_health_reads_are_unknown_never_an_action_and_alert_after_unknown_after() {
    let s = seeded("fail_after: 3, unknown_after: 4");
    onprem(&s, "unhealthy");
    for i in 0..2 {
        once(&s, T0 + i * 10, &[]);
    }
    s.account
        .fault("elasticloadbalancing:DescribeTargetHealth", "throttle", 4);
    let mut all = String::new();
    for i in 2..6 {
        let (code, lines, err) = once(&s, T0 + i * 10, &[]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(lines[0]["services"][0]["poll"], "unknown", "{}", lines[0]);
        assert!(lines[0]["action"].is_null());
        assert_eq!(
            lines[0]["services"][0]["bad_streak"], 2,
            "unknown resets no streak"
        );
        all.push_str(&err);
    }
    assert!(all.contains("Throttling"), "{all}");
    assert_eq!(
        alerts(&all, "ALERT web: 4 unknown polls in a row"),
        1,
        "{all}"
    );
    assert_eq!(s.modifies(), 0);
    // The next bad poll completes the streak of three.
    let (_, lines, err) = once(&s, T0 + 60, &[]);
    assert_eq!(lines[0]["action"]["outcome"], "applied", "{err}");
}

#[test]
fn observe_decides_and_logs_but_writes_nothing() {
    let s = seeded("fail_after: 2");
    onprem(&s, "unhealthy");
    let mut err = String::new();
    for i in 0..3 {
        let (code, lines, e) = once(&s, T0 + i * 10, &["--observe"]);
        assert_eq!(code, 0, "{e}");
        assert_eq!(lines[0]["role"], "observe");
        if i >= 1 {
            assert_eq!(lines[0]["action"]["outcome"], "observed", "{}", lines[0]);
        }
        err.push_str(&e);
    }
    assert!(err.contains("would run failover of web"), "{err}");
    assert_eq!(s.modifies(), 0);
    assert_eq!(s.weights("web"), w(40, 60));
    assert!(journal(&s, "a").is_empty(), "no journal record");
    // The real watcher's state was left alone: its streak starts at one.
    let (_, lines, _) = once(&s, T0 + 40, &[]);
    assert_eq!(lines[0]["services"][0]["bad_streak"], 1);
}

#[test]
fn latches_after_max_auto_failovers_until_a_person_unlatches() {
    let s = seeded("fail_after: 1, max_auto_failovers: 1");
    onprem(&s, "unhealthy");
    let (_, lines, err) = once(&s, T0, &[]);
    assert_eq!(lines[0]["action"]["outcome"], "applied", "{err}");
    assert!(
        lines[0]["latched"]["why"]
            .as_str()
            .unwrap()
            .contains("1 automatic failover(s) within 6h")
    );
    // A person fails back; the site breaks again: the watcher stays put and says so once.
    onprem(&s, "healthy");
    let out = host(&s, "a")
        .args(["failback", "--yes", "--force", "--reason", "fixed by hand"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    onprem(&s, "unhealthy");
    let before = s.modifies();
    let mut err = String::new();
    for i in 1..4 {
        let (code, lines, e) = once(&s, T0 + i * 10, &[]);
        assert_eq!(code, 0, "{e}");
        assert!(lines[0]["action"].is_null());
        err.push_str(&e);
    }
    assert_eq!(alerts(&err, "LATCHED: failover of web is due"), 1, "{err}");
    assert_eq!(s.modifies(), before);
    let out = host(&s, "a")
        .args([
            "watch",
            "--unlatch",
            "--reason",
            "site fixed, watcher back on",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let unlatched = journal(&s, "a");
    assert!(
        unlatched
            .iter()
            .any(|r| r["command"] == "watch --unlatch"
                && r["reason"] == "site fixed, watcher back on")
    );
    let (_, lines, err) = once(&s, T0 + 50, &[]);
    assert_eq!(lines[0]["action"]["outcome"], "applied", "{err}");
}

#[test]
fn failback_readiness_after_hold_and_ok_for_is_notified_once() {
    let s = seeded("fail_after: 1, hold: 30m, ok_for: 15m");
    onprem(&s, "unhealthy");
    once(&s, T0, &[]);
    assert_eq!(s.weights("web"), w(0, 100));
    onprem(&s, "healthy");
    s.put_cdc_latency(2.0);
    let mut err = String::new();
    for at in [60, 900, 1799] {
        let (_, _, e) = once(&s, T0 + at, &[]);
        err.push_str(&e);
    }
    assert!(
        !err.contains("ready for failback"),
        "not before hold: {err}"
    );
    let (_, lines, e) = once(&s, T0 + 1800, &[]);
    assert!(e.contains("ready for failback: web"), "{e}");
    assert!(lines[0]["action"].is_null(), "auto_failback is off");
    assert!(
        lines[0]["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["event"] == "ready-for-failback")
    );
    let (_, _, e) = once(&s, T0 + 1900, &[]);
    assert!(!e.contains("ready for failback"), "once only: {e}");
    assert_eq!(s.weights("web"), w(0, 100));
}

/// A topology with failback steps and automatic failback.
fn ramping(interval: &str) -> Seeded {
    let s = Account::new().seed(1);
    let text = std::fs::read_to_string(&s.config).unwrap().replace(
        "  max_cdc_latency: 30s\n",
        "  max_cdc_latency: 30s\n  failback_steps: [10, 25]\n",
    );
    std::fs::write(&s.config, text).unwrap();
    with_watch(
        s,
        &format!(
            "interval: {interval}, fail_after: 1, hold: 1m, ok_for: 1m, auto_failback: true, max_auto_failovers: 2"
        ),
    )
}

#[test]
fn auto_failback_ramps_back_through_the_steps() {
    let s = ramping("1s");
    onprem(&s, "unhealthy");
    once(&s, T0, &[]);
    assert_eq!(s.weights("web"), w(0, 100));
    onprem(&s, "healthy");
    s.put_cdc_latency(2.0);
    once(&s, T0 + 10, &[]);
    let (code, lines, err) = once(&s, T0 + 100, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines[0]["action"]["kind"], "failback");
    assert_eq!(lines[0]["action"]["outcome"], "applied", "{err}");
    assert_eq!(s.weights("web"), w(40, 60));
    assert_eq!(s.modifies(), 4, "failover, then 10, 25 and 40");
}

fn wait_until(what: &str, secs: u64, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn auto_failback_rolls_back_on_a_bad_poll_mid_ramp() {
    let s = ramping("3s");
    onprem(&s, "unhealthy");
    once(&s, T0, &[]);
    onprem(&s, "healthy");
    s.put_cdc_latency(2.0);
    once(&s, T0 + 10, &[]);
    let child = host(&s, "a")
        .args(["watch", "--once", "-o", "json"])
        .env("HYBRIDCTL_NOW", (T0 + 100).to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first step (10/90) is written; the site breaks during the wait before the next.
    wait_until("the first failback step", 30, || s.modifies() >= 2);
    onprem(&s, "unhealthy");
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let line: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["action"]["outcome"], "rolled-back", "{line}");
    assert_eq!(s.weights("web"), w(0, 100));
}

/// A watcher running as a service: its stdout (JSON lines) and stderr lines as they come.
pub(crate) struct Running {
    child: Child,
    lines: mpsc::Receiver<(bool, String)>,
    seen: Vec<(bool, String)>,
}

impl Running {
    pub(crate) fn start(mut cmd: Command) -> Running {
        let mut child = cmd
            .args(["watch", "-o", "json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, rx) = mpsc::channel();
        for (is_out, pipe) in [
            (
                true,
                Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            ),
            (false, Box::new(child.stderr.take().unwrap())),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for l in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if tx.send((is_out, l)).is_err() {
                        break;
                    }
                }
            });
        }
        Running {
            child,
            lines: rx,
            seen: Vec::new(),
        }
    }

    /// Waits for a stdout JSON line (`out`) or a stderr line matching `pred`.
    pub(crate) fn wait_for(
        &mut self,
        what: &str,
        secs: u64,
        pred: impl Fn(bool, &str) -> bool,
    ) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok((o, l)) => {
                    self.seen.push((o, l.clone()));
                    if pred(o, &l) {
                        return l;
                    }
                }
                Err(_) => panic!("timed out waiting for {what}; saw:\n{}", self.log()),
            }
        }
    }

    pub(crate) fn json(&mut self, what: &str, secs: u64, pred: impl Fn(&Value) -> bool) -> Value {
        let l = self.wait_for(what, secs, |o, l| {
            o && serde_json::from_str::<Value>(l).is_ok_and(|v| pred(&v))
        });
        serde_json::from_str(&l).unwrap()
    }

    pub(crate) fn log(&self) -> String {
        self.seen
            .iter()
            .map(|(o, l)| format!("{} {l}", if *o { "out" } else { "err" }))
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub(crate) fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([&format!("-{sig}"), &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    /// Waits for the exit (bounded) and returns its code.
    pub(crate) fn exit(&mut self, secs: u64) -> Option<i32> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                while let Ok(x) = self.lines.recv_timeout(Duration::from_millis(200)) {
                    self.seen.push(x);
                }
                return st.code();
            }
            assert!(Instant::now() < deadline, "still running:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn coordinated(watch: &str) -> Seeded {
    with_watch(
        Account::new().seed_with(json!({"services": 1, "coordination": "13s"})),
        watch,
    )
}

#[test]
fn two_watchers_one_active_the_standby_takes_over_within_a_lease_and_never_fails_over_twice() {
    let s = coordinated("interval: 1s, fail_after: 2");
    let mut a = Running::start(host(&s, "a"));
    a.json("host a active", 30, |v| v["role"] == "active");
    let mut b = Running::start(host(&s, "b"));
    let standby = b.json("host b standing by", 30, |v| v["role"] == "standby");
    assert!(
        standby["active"].as_str().unwrap().starts_with("watch by "),
        "{standby}"
    );
    assert!(
        standby["services"].as_array().unwrap().is_empty(),
        "a standby polls nothing"
    );
    // The failure: exactly one watcher acts.
    onprem(&s, "unhealthy");
    a.json("host a fails over", 30, |v| {
        v["action"]["outcome"] == "applied"
    });
    assert_eq!(s.weights("web"), w(0, 100));
    // SIGKILL the active one: the standby takes over within one lease (13 s) and continues
    // from the stored state, which says the failover is done. It tries once per interval, so
    // the bound is the lease plus one interval (a loaded CI machine took 13.05 s).
    a.signal("KILL");
    let killed = Instant::now();
    b.wait_for("the takeover", 30, |o, l| {
        !o && l.contains("took over from watch by")
    });
    let after = killed.elapsed();
    assert!(
        after <= Duration::from_secs(14),
        "took over after {after:?}"
    );
    for _ in 0..3 {
        let v = b.json("host b polls", 10, |v| v["role"] == "active");
        assert!(v["action"].is_null(), "{v}");
        assert!(v["services"][0]["failed_over_since"].is_string(), "{v}");
    }
    assert_eq!(s.modifies(), 1, "one failover for one failure");
    b.signal("TERM");
    assert_eq!(b.exit(20), Some(0), "{}", b.log());
}

#[test]
fn sigterm_mid_write_finishes_the_step_and_exits_zero() {
    let s = seeded("interval: 1s, fail_after: 1");
    s.account.ctl(
        "faults",
        json!({"operation": "elasticloadbalancing:ModifyRule", "kind": "latency", "count": 1, "latency_ms": 2000}),
    );
    let mut r = Running::start(host(&s, "a"));
    r.json("the first poll", 30, |v| v["role"] == "active");
    onprem(&s, "unhealthy");
    wait_until("the write in flight", 30, || s.modifies() >= 1);
    r.signal("TERM");
    assert_eq!(r.exit(30), Some(0), "{}", r.log());
    assert_eq!(s.weights("web"), w(0, 100));
    let recs = journal(&s, "a");
    let outcome = recs
        .iter()
        .find(|x| x["kind"] == "outcome")
        .expect("outcome");
    assert_eq!(outcome["result"], "verified", "{recs:?}");
    assert!(r.log().contains("SIGTERM: stopped"), "{}", r.log());
}

#[test]
fn sighup_reloads_and_a_broken_file_keeps_the_running_topology() {
    let s = seeded("interval: 1s, fail_after: 5");
    let good = std::fs::read_to_string(&s.config).unwrap();
    let mut r = Running::start(host(&s, "a"));
    r.json("the first poll", 30, |v| v["role"] == "active");
    std::fs::write(&s.config, good.replace("fail_after: 5", "fail_after: 0")).unwrap();
    r.signal("HUP");
    let said = r.wait_for("the refusal", 20, |o, l| !o && l.contains("is invalid"));
    assert!(
        said.contains("still running with the previous topology"),
        "{said}"
    );
    let located = r.wait_for("the located problem", 5, |o, l| {
        !o && l.contains("hybridctl.yaml:")
    });
    assert!(
        located.contains("watch.fail_after: 0 is out of range 1..1000"),
        "{located}"
    );
    r.json("a poll after the refusal", 10, |v| v["role"] == "active");
    std::fs::write(&s.config, good.replace("fail_after: 5", "fail_after: 1")).unwrap();
    r.signal("HUP");
    r.wait_for("the reload", 20, |o, l| {
        !o && l.contains("SIGHUP: reloaded")
    });
    // The reloaded threshold acts: one bad poll fails over.
    onprem(&s, "unhealthy");
    r.json("the failover", 30, |v| v["action"]["outcome"] == "applied");
    r.signal("TERM");
    assert_eq!(r.exit(20), Some(0), "{}", r.log());
}

#[test]
fn systemd_is_told_ready_and_kept_fed_by_the_watchdog() {
    let s = seeded("interval: 1s");
    let dir = tempfile::tempdir().unwrap();
    let sock_path = dir.path().join("notify.sock");
    let sock = std::os::unix::net::UnixDatagram::bind(&sock_path).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut cmd = host(&s, "a");
    cmd.env("NOTIFY_SOCKET", &sock_path);
    let mut r = Running::start(cmd);
    let mut got = Vec::new();
    let mut buf = [0u8; 512];
    while got
        .iter()
        .filter(|m: &&String| m.contains("WATCHDOG=1"))
        .count()
        < 2
    {
        let n = sock
            .recv(&mut buf)
            .expect("a notification from the watcher");
        got.push(String::from_utf8_lossy(&buf[..n]).into_owned());
    }
    assert!(got[0].contains("READY=1"), "{got:?}");
    r.signal("TERM");
    assert_eq!(r.exit(20), Some(0));
    let n = sock.recv(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).contains("STOPPING=1"));
}

#[test]
fn status_shows_the_watchers_state() {
    let s = seeded("fail_after: 3");
    onprem(&s, "unhealthy");
    once(&s, T0, &[]);
    let out = host(&s, "a")
        .args(["status", "-o", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let watch = &v["watch"];
    assert!(
        watch["store"].as_str().unwrap().contains("/watch-state-"),
        "{watch}"
    );
    assert_eq!(watch["last_evaluation"]["role"], "active");
    assert_eq!(watch["last_evaluation"]["time"], T0);
    assert_eq!(watch["services"]["web"]["bad"], 1);
    assert!(watch["latched"].is_null());
    let out = host(&s, "a").args(["status"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("WATCH ("), "{text}");
    assert!(
        text.contains("web: bad: onprem has 0 healthy target(s)"),
        "{text}"
    );
}

#[test]
fn a_manual_commands_lease_wins_over_the_watchers_action() {
    let s = coordinated("interval: 1s, fail_after: 1");
    // A person's gradual shift holds the lease of the web rule for a few steps.
    let manual = host(&s, "m")
        .args([
            "shift-traffic",
            "onprem=0",
            "aws=100",
            "--step",
            "10",
            "--interval",
            "3s",
        ])
        .args(["--yes", "--reason", "planned drain"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("the first manual step", 30, || s.modifies() >= 1);
    // The alarm makes the watcher's polls bad; the shift's health gates still pass.
    s.set_alarm(aws_sdk_cloudwatch::types::StateValue::Alarm);
    let mut r = Running::start(host(&s, "a"));
    let v = r.json("the watcher waiting", 30, |v| {
        v["action"]["outcome"] == "waiting"
    });
    assert!(
        v["action"]["message"]
            .as_str()
            .unwrap()
            .contains("is leased by shift-traffic"),
        "{v}"
    );
    let out = manual.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(s.weights("web"), w(0, 100));
    // Once the person is done, the weights are already failed over: nothing more to do.
    r.json("an idle poll", 20, |v| {
        v["action"].is_null() && v["services"][0]["failed_over_since"].is_string()
    });
    r.signal("TERM");
    assert_eq!(r.exit(20), Some(0), "{}", r.log());
}

#[test]
fn a_failover_into_a_site_with_no_healthy_target_is_refused_and_polling_goes_on() {
    let s = seeded("fail_after: 1");
    onprem(&s, "unhealthy");
    s.force_health("web", "aws", &["10.0.1.10", "10.0.2.10"], "unhealthy");
    let (code, lines, err) = once(&s, T0, &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(lines[0]["action"]["outcome"], "refused", "{}", lines[0]);
    assert!(err.contains("aws has 0 healthy target(s)"), "{err}");
    let (code, lines, _) = once(&s, T0 + 10, &[]);
    assert_eq!(code, 1);
    assert_eq!(lines[0]["action"]["outcome"], "refused");
    assert_eq!(s.modifies(), 0);
    // AWS recovers: the next poll fails over.
    s.force_health("web", "aws", &["10.0.1.10", "10.0.2.10"], "healthy");
    let (code, lines, err) = once(&s, T0 + 20, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines[0]["action"]["outcome"], "applied");
    assert_eq!(s.weights("web"), w(0, 100));
}

// ---------------------------------------------------------------- hostile findings

#[test]
fn eight_services_with_a_coordination_table_still_elect_a_watcher() {
    let s = with_watch(
        Account::new().seed_with(json!({"services": 8, "coordination": "13s"})),
        "interval: 1s",
    );
    let (code, lines, err) = once(&s, T0, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines[0]["role"], "active", "{}", lines[0]);
    assert_eq!(lines[0]["services"].as_array().unwrap().len(), 8);
}

#[test]
fn files_that_differ_by_a_service_share_one_watcher_lease() {
    let s = with_watch(
        Account::new()
            .seed_with(json!({"services": 1, "listener_service": true, "coordination": "13s"})),
        "interval: 1s",
    );
    // Host b's file lacks the `api` service (a rolling change): same load balancer, one lease.
    let full = std::fs::read_to_string(&s.config).unwrap();
    let start = full.find("  api:\n").expect("the api service");
    let end = full[start..].find("failover:").unwrap() + start;
    let partial = format!("{}{}", &full[..start], &full[end..]);
    let other = s.account.dir.path().join("partial.yaml");
    std::fs::write(&other, partial).unwrap();
    let mut a = Running::start(host(&s, "a"));
    a.json("host a active", 30, |v| v["role"] == "active");
    let mut b = s.account.hybridctl_std();
    b.arg("-c")
        .arg(&other)
        .env("XDG_STATE_HOME", s.account.dir.path().join("host-b"));
    let mut b = Running::start(b);
    b.json("host b standing by", 30, |v| v["role"] == "standby");
    a.signal("TERM");
    assert_eq!(a.exit(20), Some(0));
    // A clean stop hands over without an alert.
    let took = b.wait_for("the handover", 30, |o, l| {
        !o && l.contains("took over from")
    });
    assert!(took.contains("it stopped and released it"), "{took}");
    b.signal("TERM");
    assert_eq!(b.exit(20), Some(0));
}

#[test]
fn a_deleted_rule_blinds_only_its_own_service() {
    let s = with_watch(Account::new().seed(2), "fail_after: 1");
    rt().block_on(
        s.context()
            .elbv2()
            .delete_rule()
            .rule_arn(s.res("/services/svc01/rule_arn"))
            .send(),
    )
    .unwrap();
    onprem(&s, "unhealthy");
    let (_, lines, err) = once(&s, T0, &[]);
    let svc01 = lines[0]["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["service"] == "svc01")
        .unwrap()
        .clone();
    assert_eq!(svc01["poll"], "unknown", "{svc01}");
    assert!(
        svc01["why"]
            .as_str()
            .unwrap()
            .contains("the weights of svc01 unread"),
        "{svc01}"
    );
    assert_eq!(lines[0]["action"]["services"], json!(["web"]), "{err}");
    assert_eq!(lines[0]["action"]["outcome"], "applied", "{err}");
    assert_eq!(s.weights("web"), w(0, 100));
}

#[test]
fn a_state_that_cannot_be_saved_is_kept_in_memory_and_the_watcher_still_fails_over() {
    let s = seeded("interval: 1s, fail_after: 2");
    let mut r = Running::start(host(&s, "a"));
    r.json("the first poll", 30, |v| v["role"] == "active");
    // Every save now fails: the state file's name is taken by a folder.
    let dir = s.account.dir.path().join("host-a/hybridctl");
    let state = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.starts_with("watch-state-") && n.ends_with(".json"))
        .expect("the state file");
    std::fs::remove_file(dir.join(&state)).unwrap();
    std::fs::create_dir(dir.join(&state)).unwrap();
    r.json("a failed save", 10, |v| v["error"].is_string());
    onprem(&s, "unhealthy");
    r.json("the failover", 30, |v| v["action"]["outcome"] == "applied");
    r.signal("TERM");
    assert_eq!(r.exit(20), Some(0), "{}", r.log());
}

#[test]
fn a_watcher_whose_lease_went_away_during_a_slow_poll_writes_nothing() {
    let s = coordinated("interval: 1s, fail_after: 1");
    let mut a = Running::start(host(&s, "a"));
    a.json("host a active", 30, |v| v["role"] == "active");
    let mut b = Running::start(host(&s, "b"));
    b.json("host b standing by", 30, |v| v["role"] == "standby");
    // A's next health read is held (a slow API) until B has taken the lease and failed over.
    // Staged in order, not timed: a read held past the SDK's 20 s attempt timeout would end
    // as an unknown poll, which acts on nothing, and this test would prove nothing. (A 16 s
    // latency did that once on a loaded CI machine.)
    s.account.ctl(
        "faults",
        json!({"operation": "elasticloadbalancing:DescribeTargetHealth", "kind": "hold", "count": 1, "gate": "slow-poll"}),
    );
    onprem(&s, "unhealthy");
    crate::coordination::wait_until("host a's read held", 30, || {
        s.account.ctl("fault-stats", json!({}))["faults"][0]["remaining"] == 0
    });
    // Its lease goes away meanwhile (broken, as `lease break` does for a stuck holder).
    let id = crate::coordination::leases(&s)
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["command"] == "watch")
        .map(|l| l["id"].as_str().unwrap().to_string())
        .expect("the watcher lease");
    let out = host(&s, "c")
        .args(["lease", "break", &id, "--reason", "a is slow", "--yes"])
        .output()
        .unwrap();
    crate::coordination::exits(&out, 0);
    b.json("host b fails over", 40, |v| {
        v["action"]["outcome"] == "applied"
    });
    s.account.ctl("release", json!({"gate": "slow-poll"}));
    // A's poll ends with the failure it read, and its failover is due: the check before any
    // write finds the lease gone.
    let down = a.wait_for("host a stands down", 30, |o, l| {
        !o && (l.contains("standing down")
            || l.contains("failover of web:")
            || l.contains("lease was lost"))
    });
    assert!(down.contains("standing down"), "{}", a.log());
    assert_eq!(s.modifies(), 1);
    for r in [&mut a, &mut b] {
        r.signal("TERM");
        assert_eq!(r.exit(20), Some(0), "{}", r.log());
    }
}

#[test]
fn unlatch_while_the_watcher_runs_is_not_overwritten() {
    let s = seeded("interval: 1s, fail_after: 1");
    onprem(&s, "unhealthy");
    let mut r = Running::start(host(&s, "a"));
    r.json("the failover", 30, |v| {
        v["action"]["outcome"] == "applied" && v["latched"].is_object()
    });
    let out = host(&s, "a")
        .args(["watch", "--unlatch", "--reason", "fixed"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The running watcher reads the state again instead of writing its latched copy back.
    r.wait_for("the re-read", 20, |o, l| {
        !o && l.contains("changed meanwhile")
    });
    r.json("an unlatched poll", 20, |v| v["latched"].is_null());
    r.signal("TERM");
    assert_eq!(r.exit(20), Some(0), "{}", r.log());
}

#[test]
fn a_failed_action_backs_off_instead_of_retrying_every_poll() {
    let s = seeded("interval: 1s, fail_after: 1");
    s.account
        .fault("elasticloadbalancing:ModifyRule", "throttle", 1000);
    onprem(&s, "unhealthy");
    let mut r = Running::start(host(&s, "a"));
    r.json("a failed failover", 30, |v| {
        v["action"]["outcome"] == "failed"
    });
    // Polls go on every second; attempts wait 1 s, 2 s, 4 s... (each attempt is the runbook's
    // own bounded retries of the throttled write).
    let (mut tried, mut waited) = (0, 0);
    for _ in 0..8 {
        let v = r.json("a poll", 20, |v| v["role"] == "active");
        match v["action"]["outcome"].as_str() {
            Some("failed") => tried += 1,
            Some("backing-off") => waited += 1,
            _ => {}
        }
    }
    assert!(
        tried <= 3 && waited >= 5,
        "{tried} attempts and {waited} waits in 8 polls"
    );
    r.signal("TERM");
    assert_eq!(r.exit(20), Some(0), "{}", r.log());
}

#[test]
fn watch_values_out_of_range_are_located_and_refused() {
    let s = Account::new().seed_with(json!({"services": 1, "coordination": "13s"}));
    let s = with_watch(s, "interval: 2s, hold: 99999h, fail_after: 0, window: 0s");
    let out = s.hybridctl().arg("validate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for want in [
        "watch.hold: at most 7 days",
        "watch.fail_after: 0 is out of range 1..1000",
        "watch.window: a window is 1m to 28 days",
        "coordination.lease: with `watch`, the lease must be at least 16s",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    assert!(err.contains("hybridctl.yaml:"), "{err}");
}

// ---------------------------------------------------------------- notifications

const HOOK_VAR: &str = "HYBRIDCTL_WEBHOOK_URL";

fn hooked(watch: &str) -> (Seeded, crate::support::Hook) {
    let s = seeded(watch);
    let hook = crate::support::Hook::new(&s.account, "watch");
    s.add_notify(&format!("  - kind: webhook\n    url_env: {HOOK_VAR}\n"));
    (s, hook)
}

#[test]
fn the_watcher_notifies_its_failover_the_latch_and_failback_readiness() {
    let (s, hook) = hooked("fail_after: 1, hold: 30m, ok_for: 15m");
    let url = hook.url("T0KEN-secret-part");
    let run = |at: u64| {
        let out = host(&s, "a")
            .args(["watch", "--once", "-o", "json"])
            .env("HYBRIDCTL_NOW", at.to_string())
            .env(HOOK_VAR, &url)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!err.contains("T0KEN"), "{err}");
        assert_eq!(out.status.code(), Some(0), "{err}");
    };
    onprem(&s, "unhealthy");
    run(T0);
    // Sent in the background, each on its own: in any order.
    let mut bodies = hook.bodies();
    bodies.sort_by_key(|b| b["event"].as_str().unwrap().to_string());
    let events: Vec<&str> = bodies
        .iter()
        .map(|b| b["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["applied", "latched"], "{bodies:?}");
    let applied = &bodies[0];
    assert_eq!(applied["actor"], "watch");
    assert_eq!(applied["command"], "failover");
    assert_eq!(applied["severity"], "warning");
    assert_eq!(applied["services"][0]["name"], "web");
    assert_eq!(
        applied["services"][0]["before"],
        json!({"onprem": 40, "aws": 60})
    );
    assert_eq!(
        applied["services"][0]["after"],
        json!({"onprem": 0, "aws": 100})
    );
    assert!(
        applied["reason"]
            .as_str()
            .unwrap()
            .starts_with("watch: 1 bad polls in a row")
    );
    assert_eq!(bodies[1]["severity"], "critical");
    onprem(&s, "healthy");
    s.put_cdc_latency(2.0);
    run(T0 + 60);
    run(T0 + 1800);
    run(T0 + 1900);
    let ready: Vec<Value> = hook
        .bodies()
        .into_iter()
        .filter(|b| b["event"] == "ready-for-failback")
        .collect();
    assert_eq!(ready.len(), 1, "notified once: {ready:?}");
    assert_eq!(ready[0]["actor"], "watch");
    assert!(
        ready[0]["message"]
            .as_str()
            .unwrap()
            .contains("ready for failback: web")
    );
    // The URL's secret part is only ever in the request line, never in a body.
    for b in hook.bodies() {
        assert!(!b.to_string().contains("T0KEN"), "{b}");
    }
}

#[test]
fn a_hanging_receiver_never_holds_up_the_polls_and_its_failure_is_journaled() {
    let (s, hook) = hooked("interval: 1s, fail_after: 1");
    hook.hang(60);
    let mut cmd = host(&s, "a");
    cmd.env(HOOK_VAR, hook.url("secret-token-7"));
    let mut r = Running::start(cmd);
    r.json("the first poll", 30, |v| v["role"] == "active");
    onprem(&s, "unhealthy");
    r.json("the failover", 30, |v| v["action"]["outcome"] == "applied");
    // The notification hangs; the polls go on every second meanwhile.
    let t = Instant::now();
    for _ in 0..3 {
        r.json("a poll while the receiver hangs", 5, |v| {
            v["role"] == "active"
        });
    }
    assert!(t.elapsed() < Duration::from_secs(6), "{:?}", t.elapsed());
    r.signal("TERM");
    // On the way out the delivery in flight is bounded: 3 tries of 5 s and the backoff.
    assert_eq!(r.exit(25), Some(0), "{}", r.log());
    let warning = journal(&s, "a")
        .into_iter()
        .find(|x| x["kind"] == "warning" && x["command"] == "watch")
        .unwrap_or_else(|| panic!("a journaled delivery failure: {}", r.log()));
    let m = warning["message"].as_str().unwrap();
    assert!(m.contains(HOOK_VAR), "{m}");
    assert!(!m.contains("secret-token-7"), "{m}");
    assert!(!r.log().contains("secret-token-7"));
}

// ---------------------------------------------------------------- overflow in the watcher

#[test]
fn the_watcher_overflows_with_hysteresis_and_a_failover_wins() {
    use crate::support::prom::FakeProm;
    let s = seeded("fail_after: 2");
    let fake = FakeProm::start();
    let mut text = std::fs::read_to_string(&s.config).unwrap();
    text.push_str(&format!(
        "metrics:\n  prometheus:\n    address: {}\noverflow:\n  web:\n    query: avg(onprem_cpu)\n    above: 0.80\n    below: 0.65\n    for: 20s\n    weights: {{ onprem: 30, aws: 70 }}\n",
        fake.address()
    ));
    std::fs::write(&s.config, text).unwrap();
    let overflow = |lines: &[Value]| lines[0]["overflow"][0].clone();
    // Hot, but not yet for 20 s: nothing moves.
    fake.answer_value("0.91");
    let (_, lines, err) = once(&s, T0, &[]);
    assert_eq!(overflow(&lines)["verdict"], "stay", "{err}");
    assert_eq!(overflow(&lines)["value"], 0.91);
    let (_, lines, err) = once(&s, T0 + 20, &[]);
    assert_eq!(overflow(&lines)["verdict"], "enter", "{err}");
    assert_eq!(overflow(&lines)["outcome"], "applied", "{err}");
    assert_eq!(s.weights("web"), w(30, 70));
    // Between the thresholds: nothing moves, however long.
    fake.answer_value("0.70");
    for t in [40, 100, 400] {
        let (_, lines, _) = once(&s, T0 + t, &[]);
        assert_eq!(overflow(&lines)["verdict"], "stay");
    }
    assert_eq!(s.weights("web"), w(30, 70));
    // Cool for 20 s: back to the normal weights.
    fake.answer_value("0.50");
    once(&s, T0 + 410, &[]);
    let (_, lines, err) = once(&s, T0 + 430, &[]);
    assert_eq!(overflow(&lines)["verdict"], "leave", "{err}");
    assert_eq!(overflow(&lines)["outcome"], "applied", "{err}");
    assert_eq!(s.weights("web"), w(40, 60));
    // A failover in force wins over overflow: hot readings change nothing while failed over.
    onprem(&s, "unhealthy");
    fake.answer_value("0.95");
    once(&s, T0 + 500, &[]);
    let (_, lines, err) = once(&s, T0 + 510, &[]);
    assert_eq!(lines[0]["action"]["outcome"], "applied", "{err}");
    assert_eq!(s.weights("web"), w(0, 100));
    for t in [530, 560] {
        let (_, lines, _) = once(&s, T0 + t, &[]);
        assert_eq!(overflow(&lines)["verdict"], "stay", "{}", lines[0]);
    }
    assert_eq!(s.weights("web"), w(0, 100));
}
