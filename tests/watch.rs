//! `hybridctl watch` against the lab: real processes, real signals, the real SDK. Time-based
//! decisions (hold, ok_for) run with `HYBRIDCTL_NOW`; the loop tests wait on observed progress.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{Account, Seeded, rt};

const T0: u64 = 1_800_000_000;

fn seeded(watch: &str) -> Seeded {
    with_watch(Account::new().seed(1), watch)
}

/// Appends a `watch:` section (YAML flow mapping body) to the seeded file.
fn with_watch(s: Seeded, watch: &str) -> Seeded {
    let mut text = std::fs::read_to_string(&s.config).unwrap();
    text.push_str(&format!("watch: {{ {watch} }}\n"));
    std::fs::write(&s.config, text).unwrap();
    s
}

fn host(s: &Seeded, name: &str) -> Command {
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

fn weights(s: &Seeded) -> BTreeMap<String, u32> {
    let client = s.context().elbv2();
    let arn = s.res("/services/web/rule_arn");
    let a = rt()
        .block_on(hybridctl::aws::elbv2::describe_rules(&client, &[arn]))
        .unwrap();
    let fwd = a[0].forward().unwrap();
    ["onprem", "aws"]
        .into_iter()
        .map(|site| {
            let tg = s.res(&format!("/services/web/target_groups/{site}"));
            let g = fwd.target_groups.iter().find(|g| g.arn == tg).unwrap();
            (site.to_string(), g.weight as u32)
        })
        .collect()
}

fn w(onprem: u32, aws: u32) -> BTreeMap<String, u32> {
    BTreeMap::from([("onprem".to_string(), onprem), ("aws".to_string(), aws)])
}

fn modifies(s: &Seeded) -> u64 {
    s.account
        .calls()
        .get("elasticloadbalancing:ModifyRule")
        .copied()
        .unwrap_or(0)
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
    assert_eq!(modifies(&s), 0);
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
    assert_eq!(weights(&s), w(0, 100));
    let recs = journal(&s, "a");
    let outcome = recs
        .iter()
        .find(|r| r["kind"] == "outcome")
        .expect("an outcome record");
    assert_eq!(outcome["result"], "verified");
    assert_eq!(outcome["actor"], "watch");
    assert_eq!(outcome["command"], "failover");
    assert!(outcome["reason"].as_str().unwrap().starts_with("watch: 3 bad polls"));
    // Already failed over: the next polls act no more.
    let (_, lines, _) = once(&s, T0 + 30, &[]);
    assert!(lines[0]["action"].is_null());
    assert_eq!(modifies(&s), 1);
}
