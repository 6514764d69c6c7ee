//! `hybridctl validate` through the real binary.

use predicates::prelude::*;
use serde::Deserialize;

use crate::support::{Account, repo, write};

include!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/bad_cases.rs"
));

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    schema: String,
    ok: bool,
    file: String,
    sites: Vec<String>,
    services: Vec<String>,
    problems: Vec<ProblemJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProblemJson {
    path: String,
    line: Option<u64>,
    column: Option<u64>,
    message: String,
}

#[test]
fn the_example_file_is_valid() {
    Account::new()
        .hybridctl()
        .arg("validate")
        .arg("-c")
        .arg(repo().join("hybridctl.example.yaml"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "valid: 2 sites (onprem, aws), 1 service (web)",
        ));
}

/// The example file with one commented block uncommented: from the line `first` through the
/// lines that start with `inner`.
fn uncommented(first: &str, inner: &str) -> String {
    let text = std::fs::read_to_string(repo().join("hybridctl.example.yaml")).unwrap();
    let mut inside = false;
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            if l == first {
                inside = true;
            } else if inside && !l.starts_with(inner) {
                inside = false;
            }
            if inside {
                l.replacen("# ", "", 1)
            } else {
                l.to_string()
            }
        })
        .collect();
    lines.join("\n")
}

#[test]
fn the_examples_commented_capacity_block_is_valid_uncommented() {
    let uncommented = uncommented("    # capacity:", "    #   ");
    assert!(uncommented.contains("    capacity:\n      aws:\n        ecs_service: arn:aws:ecs:"));
    let acct = Account::new();
    let file = write(acct.dir.path(), "example-capacity.yaml", &uncommented);
    let out = acct
        .hybridctl()
        .args(["validate", "-c"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_examples_commented_dns_service_is_valid_uncommented() {
    let uncommented = uncommented("  # api:", "  #   ");
    assert!(uncommented.contains("  api:\n    dns:\n      zone_id: Z0123456789ABCDEFGHIJ"));
    let acct = Account::new();
    let file = write(acct.dir.path(), "example-dns.yaml", &uncommented);
    let out = acct
        .hybridctl()
        .args(["validate", "-c"])
        .arg(&file)
        .args(["-o", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_bad_case_exits_2_with_its_location() {
    let acct = Account::new();
    let mut failures = Vec::new();
    for (i, case) in BAD_CASES.iter().enumerate() {
        let file = write(acct.dir.path(), &format!("bad{i}.yaml"), &case.text());
        let out = acct
            .hybridctl()
            .arg("validate")
            .arg("-c")
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        // FILE:LINE:COL: KEY.PATH: message (no key path for the whole file).
        let mut want = format!("{}:{}:{}: ", file.display(), case.at.0, case.at.1);
        if !case.path.is_empty() {
            want.push_str(&format!("{}: ", case.path));
        }
        let located = stderr
            .lines()
            .any(|l| l.contains(&want) && l.contains(case.says));
        if out.status.code() != Some(2) || !located || !out.stdout.is_empty() {
            failures.push(format!(
                "{}: exit {:?}, stderr:\n{stderr}",
                case.name,
                out.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn json_lists_problems_as_objects() {
    let acct = Account::new();
    let text = BASE
        .replace("aws: 60 }", "aws: 1000 }")
        .replace("from: onprem", "from: dc1");
    let file = write(acct.dir.path(), "two.yaml", &text);
    let out = acct
        .hybridctl()
        .args(["validate", "-o", "json", "-c"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report.schema, "hybridctl.validate/v1");
    assert!(!report.ok);
    assert_eq!(report.file, file.display().to_string());
    let got: Vec<(&str, Option<u64>, Option<u64>)> = report
        .problems
        .iter()
        .map(|p| (p.path.as_str(), p.line, p.column))
        .collect();
    assert_eq!(
        got,
        [
            ("services.web.weights.aws", Some(15), Some(33)),
            ("failover.from", Some(17), Some(9))
        ]
    );
    assert!(report.problems[0].message.contains("out of range"));
}

#[test]
fn json_summary_when_valid() {
    let acct = Account::new();
    let file = write(acct.dir.path(), "ok.yaml", BASE);
    let out = acct
        .hybridctl()
        .args(["validate", "--output", "json", "-c"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let report: Report = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report.ok && report.problems.is_empty());
    assert_eq!(report.sites, ["onprem", "aws"]);
    assert_eq!(report.services, ["web"]);
}

#[test]
fn a_missing_file_exits_2_with_a_hint() {
    Account::new()
        .hybridctl()
        .args(["validate", "-c", "nope.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "nope.yaml: cannot read the topology file",
        ))
        .stderr(predicate::str::contains(
            "hint: pass the file with -c FILE or HYBRIDCTL_CONFIG",
        ));
}

#[test]
fn the_config_comes_from_hybridctl_config_or_the_current_folder() {
    let acct = Account::new();
    let file = write(acct.dir.path(), "elsewhere.yaml", BASE);
    acct.hybridctl()
        .arg("validate")
        .env("HYBRIDCTL_CONFIG", &file)
        .assert()
        .success();
    write(acct.dir.path(), "hybridctl.yaml", BASE);
    acct.hybridctl()
        .arg("validate")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("hybridctl.yaml: valid"));
}

#[test]
fn files_over_1_mib_are_refused() {
    let acct = Account::new();
    let big = format!("{BASE}# {}\n", "x".repeat(1024 * 1024));
    let file = write(acct.dir.path(), "big.yaml", &big);
    acct.hybridctl()
        .arg("validate")
        .arg("-c")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("larger than 1 MiB"));
}

#[test]
fn credentials_are_refused_with_a_hint() {
    let acct = Account::new();
    let text = BASE.replace(
        "  region: ap-northeast-2\n",
        "  region: ap-northeast-2\n  aws_secret_access_key: abc\n",
    );
    let file = write(acct.dir.path(), "cred.yaml", &text);
    acct.hybridctl()
        .arg("validate")
        .arg("-c")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            ":4:26: aws.aws_secret_access_key: `aws_secret_access_key` looks like a credential",
        ))
        .stderr(predicate::str::contains(
            "hint: hybridctl never reads credentials from the topology file",
        ))
        .stderr(predicate::str::contains("abc").not());
}

#[test]
fn validate_makes_no_aws_call() {
    let seeded = Account::new().seed(1);
    seeded.hybridctl().arg("validate").assert().success();
    assert!(
        seeded.account.calls().is_empty(),
        "{:?}",
        seeded.account.calls()
    );
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_its_line_column_and_key() {
    let acct = Account::new();
    // Latin-1 `é` (0xE9) in a site's description, on line 6.
    let text = BASE.replace("description: ESXi over VPN", "description: ESXi caf\u{1}");
    let mut bytes = text.into_bytes();
    let at = bytes.iter().position(|&b| b == 1).unwrap();
    bytes[at] = 0xE9;
    let file = acct.dir.path().join("latin1.yaml");
    std::fs::write(&file, &bytes).unwrap();
    acct.hybridctl()
        .args(["validate", "-c"])
        .arg(&file)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "{}:6:48: sites.onprem.description: the file is not UTF-8: byte 0xE9",
            file.display()
        )));
}

#[test]
fn credentials_in_the_sql_host_are_refused_and_not_repeated() {
    let seeded = Account::new().seed(1);
    let text = std::fs::read_to_string(&seeded.config).unwrap();
    let text = text.replacen("sql: { host: ", "sql: { host: dms:s3cret@", 1);
    assert!(
        text.contains("dms:s3cret@"),
        "the seeded file has replication.sql"
    );
    std::fs::write(&seeded.config, text).unwrap();
    for args in [&["validate"][..], &["dms", "check-binlog"][..]] {
        let out = seeded.hybridctl().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("replication.sql.host: the host carries credentials"),
            "{args:?}: {stderr}"
        );
        let all = format!("{stderr}{}", String::from_utf8_lossy(&out.stdout));
        assert!(!all.contains("s3cret"), "{args:?}: {all}");
    }
    assert!(
        seeded.account.calls().is_empty(),
        "nothing was asked of AWS"
    );
}
