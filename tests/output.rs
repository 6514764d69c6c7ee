//! Output contracts: a closed stdout is not an error, colour follows `--color` and each stream's
//! own terminal, messages fit the output mode, secrets never reach stderr.

use std::process::{Command, Stdio};

use crate::support::{Account, Seeded};

/// Runs with stdout connected to a pipe whose reader is already gone (as `| head -1` is once it
/// has its line): every write fails with EPIPE.
fn with_closed_stdout(mut cmd: Command) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = cmd.stdout(writer).stderr(Stdio::piped()).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn a_closed_stdout_is_not_an_error_in_any_command_or_mode() {
    let s = Account::new().seed(1);
    let runs: [&[&str]; 10] = [
        &["status", "-o", "json"],
        &["status"],
        &["validate", "-o", "json"],
        &["dms", "check-binlog", "--no-sql", "-o", "json"],
        &["dms", "check-binlog", "--no-sql"],
        &["failover", "--dry-run", "-o", "json"],
        &["failover", "--dry-run"],
        &["dr", "status", "-o", "json"],
        &[
            "dr",
            "provision",
            "--dry-run",
            "--skip-terraform",
            "-o",
            "json",
        ],
        &["generate", "completions", "bash"],
    ];
    for args in runs {
        for _ in 0..3 {
            let mut cmd = s.hybridctl_std();
            cmd.args(args);
            let (code, stderr) = with_closed_stdout(cmd);
            assert_eq!(code, Some(0), "{args:?}: {stderr}");
            assert!(
                !stderr.to_lowercase().contains("broken pipe"),
                "{args:?}: {stderr}"
            );
        }
    }
}

#[test]
fn status_watch_ends_quietly_when_its_reader_goes_away() {
    let s = Account::new().seed(1);
    let mut cmd = s.hybridctl_std();
    cmd.args(["status", "--watch", "1s", "-o", "json"]);
    let (code, stderr) = with_closed_stdout(cmd);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stderr.to_lowercase().contains("broken pipe"), "{stderr}");
}

fn seeded_failing_status() -> Seeded {
    let s = Account::new().seed(1);
    s.force_health("web", "onprem", &["10.20.0.11", "10.20.0.12"], "unhealthy");
    s
}

#[test]
fn log_lines_carry_no_colour_off_a_terminal_or_with_color_never() {
    let s = seeded_failing_status();
    for extra in [&[][..], &["--color", "never"][..], &["--color", "auto"][..]] {
        let out = s
            .hybridctl_std()
            .args(["status", "-v"])
            .args(extra)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("DescribeRules"),
            "-v logs each call: {stderr}"
        );
        assert!(
            !stderr.contains('\u{1b}'),
            "{extra:?}: ANSI codes on a pipe: {stderr:?}"
        );
    }
    // --color always colours even a pipe (for tools that render ANSI).
    let out = s
        .hybridctl_std()
        .args(["status", "-v", "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains('\u{1b}'));
}

#[test]
fn a_json_refusal_points_at_nothing_above() {
    let s = Account::new().seed(1);
    s.force_health("web", "aws", &["10.0.1.10", "10.0.2.10"], "unhealthy");
    let out = s
        .hybridctl_std()
        .args(["failover", "--yes", "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let msg = v["message"].as_str().unwrap();
    assert!(!msg.contains("see above"), "{msg}");
    assert!(msg.contains("refused: a safety gate failed"), "{msg}");
    let out = s
        .hybridctl_std()
        .args(["failover", "--yes"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("(see above)"));
}

#[test]
fn credentials_in_an_endpoint_url_are_refused_and_never_printed() {
    let s = Account::new().seed(1);
    let secret = "SECRET-XYZZY-42";
    let url = format!("http://admin:{secret}@127.0.0.1:9");
    for (flag, env) in [(true, false), (false, true)] {
        let mut cmd = s.hybridctl_std();
        cmd.args(["status", "-vv"]);
        if flag {
            cmd.args(["--endpoint-url", &url]);
        }
        if env {
            cmd.env("AWS_ENDPOINT_URL", &url);
        }
        let out = cmd.output().unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(2), "{all}");
        assert!(!all.contains(secret), "{all}");
        assert!(all.contains("carries credentials"), "{all}");
    }
}

#[test]
fn a_reader_that_closes_after_one_line_is_not_an_error() {
    use std::io::BufRead;
    let s = Account::new().seed(1);
    for args in [
        &["status", "-o", "json"][..],
        &["dms", "check-binlog", "--no-sql", "-o", "json"][..],
    ] {
        for _ in 0..12 {
            let mut child = s
                .hybridctl_std()
                .args(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut first = String::new();
            std::io::BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut first)
                .unwrap();
            assert_eq!(first, "{\n");
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
            assert!(!stderr.to_lowercase().contains("broken pipe"), "{stderr}");
        }
    }
}
