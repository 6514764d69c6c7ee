//! The CLI frame: help, exit codes, and generated files that must match the code.

use predicates::prelude::*;

use crate::support::{Account, repo};

fn generated(args: &[&str]) -> String {
    let out = Account::new().hybridctl().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "generate {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn committed_completions_man_page_and_reference_match_the_code() {
    let files = [
        (
            vec!["generate", "completions", "bash"],
            "completions/hybridctl.bash",
        ),
        (
            vec!["generate", "completions", "zsh"],
            "completions/_hybridctl",
        ),
        (
            vec!["generate", "completions", "fish"],
            "completions/hybridctl.fish",
        ),
        (
            vec!["generate", "completions", "powershell"],
            "completions/_hybridctl.ps1",
        ),
        (
            vec!["generate", "completions", "elvish"],
            "completions/hybridctl.elv",
        ),
        (vec!["generate", "man"], "docs/hybridctl.1"),
        (vec!["generate", "cli-reference"], "docs/cli.md"),
        (vec!["generate", "schema"], "hybridctl.schema.json"),
    ];
    let mut stale = Vec::new();
    for (args, path) in files {
        let committed = std::fs::read_to_string(repo().join(path)).unwrap_or_default();
        if generated(&args) != committed {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; run ./scripts/generate and commit the result"
    );
}

#[test]
fn help_documents_exit_codes_and_hides_generate() {
    Account::new()
        .hybridctl()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes:"))
        .stdout(predicate::str::contains("130  interrupted"))
        .stdout(predicate::str::contains("validate"))
        .stdout(predicate::str::contains("generate").not());
}

#[test]
fn usage_errors_exit_2() {
    Account::new()
        .hybridctl()
        .arg("frobnicate")
        .assert()
        .code(2);
    Account::new()
        .hybridctl()
        .args(["validate", "--output", "yaml"])
        .assert()
        .code(2);
    Account::new()
        .hybridctl()
        .args(["-q", "-v", "validate"])
        .assert()
        .code(2);
}

#[test]
fn version_is_printed() {
    Account::new()
        .hybridctl()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("hybridctl "));
}

#[test]
fn a_negative_duration_flag_gets_the_duration_error_not_an_unexpected_argument() {
    for args in [
        &["shift-traffic", "onprem=1", "--interval", "-1s"][..],
        &["failback", "--if-ok-for", "-5m"],
        &["history", "--since", "-1h"],
    ] {
        let out = Account::new().hybridctl().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("a duration cannot be negative"),
            "{args:?}: {stderr}"
        );
        assert!(
            !stderr.contains("unexpected argument"),
            "{args:?}: {stderr}"
        );
    }
}
