//! `./scripts/demo`, as a new user runs it from a clean clone (with the binary under test and
//! the installed lab): the happy path, with a "no" only where the demo means one.

use crate::support::{python, repo};

/// Each `$ hybridctl ARGS` the demo ran, with its exit code.
fn steps(stdout: &str) -> Vec<(String, i32)> {
    let mut out = Vec::new();
    let mut command = None;
    for line in stdout.lines() {
        if let Some(c) = line.strip_prefix("$ hybridctl ") {
            command = Some(c.to_string());
        } else if let Some(code) = line
            .strip_prefix("(exit ")
            .and_then(|l| l.strip_suffix(')'))
        {
            let c = command.take().expect("an exit code follows a command");
            out.push((c, code.parse().unwrap()));
        }
    }
    out
}

#[test]
fn the_demo_shows_the_happy_path_and_refuses_nothing() {
    let out = std::process::Command::new("bash")
        .arg(repo().join("scripts/demo"))
        .env(
            "HYBRIDCTL_DEMO_BIN",
            assert_cmd::cargo::cargo_bin("hybridctl"),
        )
        .env("HYBRIDCTL_LAB_PYTHON", python())
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let steps = steps(&stdout);
    let names: Vec<&str> = steps
        .iter()
        .map(|(c, _)| c.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "validate",
            "status",
            "failover",
            "failover",
            "status",
            "failback",
            "status",
            "dms",
            "shift-traffic",
            "watch",
            "watch",
            "status",
            "dr",
            "dr"
        ],
        "{stdout}"
    );
    // A "no" only where the demo means one: `status` while failed over (by hand, then by the
    // watcher) is DEGRADED.
    let no: Vec<usize> = (0..steps.len()).filter(|&i| steps[i].1 != 0).collect();
    assert_eq!(no, [4, 11], "{steps:?}\n{stdout}\n{stderr}");
    assert!(
        steps[5].0.starts_with("failback --yes")
            && stdout.contains("failback applied and verified"),
        "{stdout}\n{stderr}"
    );
    assert!(
        stderr.contains("pass   replication: DMS task running, CDC latency 4s"),
        "{stderr}"
    );
    assert!(
        !stdout.contains("n/a"),
        "every latency has a datapoint: {stdout}"
    );
    assert!(
        !format!("{stdout}{stderr}").contains("refused"),
        "{stdout}\n{stderr}"
    );
}
