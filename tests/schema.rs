//! The topology file's JSON Schema (hybridctl.schema.json) checked with a real JSON Schema
//! validator (python-jsonschema from the lab's venv) against the files the loader accepts and
//! refuses: the example, the test topologies and the lab's seeded ones validate; a bad value is
//! refused at its key path; and schema and loader refuse the same unknown keys.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::support::{Account, repo, write};

/// One schema finding: the key path (dots, list indexes as numbers) and the validator's message.
#[derive(Debug, serde::Deserialize)]
struct Finding {
    path: String,
    message: String,
}

fn python() -> PathBuf {
    std::env::var_os("HYBRIDCTL_LAB_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".lab/venv/bin/python"))
}

/// The YAML as the loader reads it (serde-saphyr), as JSON for the validator.
fn as_json(yaml: &str) -> Value {
    serde_saphyr::from_str(yaml).expect("the YAML parses")
}

/// Each document's schema findings, all documents in one validator run.
fn check(docs: &[Value]) -> Vec<Vec<Finding>> {
    let mut child = Command::new(python())
        .arg(repo().join("tests/support/schema_check.py"))
        .arg(repo().join("hybridctl.schema.json"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the lab's python runs (./scripts/lab-env installs it)");
    let input = serde_json::to_vec(docs).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "schema_check.py failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `hybridctl validate` on a file: Ok or the problems' JSON.
fn loader(account: &Account, file: &Path) -> Result<(), Value> {
    let out = account
        .hybridctl()
        .args(["validate", "-o", "json", "-c"])
        .arg(file)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    match out.status.code() {
        Some(0) => Ok(()),
        Some(2) => Err(report),
        other => panic!("validate exited {other:?}: {report}"),
    }
}

#[test]
fn the_example_and_every_good_topology_validate_against_the_schema() {
    let example = std::fs::read_to_string(repo().join("hybridctl.example.yaml")).unwrap();
    assert!(
        example.starts_with("# yaml-language-server: $schema=./hybridctl.schema.json\n"),
        "the example's first line points editors at the schema"
    );
    let mut files = vec![
        ("hybridctl.example.yaml".to_string(), example),
        (
            "tests/data/base.yaml".to_string(),
            std::fs::read_to_string(repo().join("tests/data/base.yaml")).unwrap(),
        ),
        ("full (every section)".to_string(), full_topology()),
    ];
    // The topologies the lab seeds for the other tests, in each of its shapes.
    for options in [
        json!({"services": 1}),
        json!({"services": 3}),
        json!({"services": 1, "listener_service": true}),
        json!({"services": 2, "coordination": "2m"}),
    ] {
        let s = Account::new().seed_with(options.clone());
        files.push((
            format!("seeded {options}"),
            std::fs::read_to_string(&s.config).unwrap(),
        ));
    }
    let account = Account::new();
    for (name, text) in &files {
        let path = write(account.dir.path(), "good.yaml", text);
        assert_eq!(
            loader(&account, &path),
            Ok(()),
            "{name}: the loader accepts it"
        );
    }
    let docs: Vec<Value> = files.iter().map(|(_, t)| as_json(t)).collect();
    for ((name, _), findings) in files.iter().zip(check(&docs)) {
        assert!(findings.is_empty(), "{name}: {findings:?}");
    }
}

/// base.yaml plus every optional section and key, so that every level of the schema is used.
fn full_topology() -> String {
    let base = std::fs::read_to_string(repo().join("tests/data/base.yaml")).unwrap();
    base.replacen(
        "  endpoint_url: http://127.0.0.1:5000\n",
        "  endpoint_url: http://127.0.0.1:5000\n  profile: ops\n  elbv2_describe_limit: { burst: 400, per_second: 100 }\n",
        1,
    ) + "journal: state/journal.jsonl\ncoordination: { dynamodb_table: hybridctl-coordination, region: ap-northeast-2, lease: 2m }\n\
           watch: { interval: 10s, fail_after: 3, unknown_after: 4, hold: 30m, ok_for: 15m, auto_failback: false, max_auto_failovers: 2, window: 6h }\n\
           notify: [ { kind: webhook, url_env: HYBRIDCTL_WEBHOOK_URL, min_severity: warning } ]\n\
           metrics: { prometheus: { address: \"http://127.0.0.1:9090\", timeout: 5s, bearer_token_env: HYBRIDCTL_PROM_TOKEN, headers: { X-Scope-OrgID: ops } } }\n\
           overflow: { web: { query: avg(cpu), above: 0.8, below: 0.65, for: 3m, weights: { onprem: 30, aws: 70 }, on_no_data: hold } }\n"
}

#[test]
fn a_bad_value_fails_the_schema_and_the_loader_at_its_key_path() {
    let base = std::fs::read_to_string(repo().join("tests/data/base.yaml")).unwrap();
    let cases = [
        ("aws: 60 }", "aws: 1000 }", "services.web.weights.aws"),
        ("kind: onprem,", "kind: cloud,", "sites.onprem.kind"),
        ("type: A }", "type: MX }", "dr.dns.type"),
        ("port: 3306", "port: 0", "replication.sql.port"),
        ("prod: 100,", "prod: 256,", "dr.weights.normal.prod"),
        ("version: 1", "version: 2", "version"),
        (
            "  region: ap-northeast-2\n",
            "  region: ap-northeast-2\n  elbv2_describe_limit: { burst: 0, per_second: 10 }\n",
            "aws.elbv2_describe_limit.burst",
        ),
    ];
    let account = Account::new();
    let mut docs = Vec::new();
    for (from, to, path) in cases {
        assert!(base.contains(from), "{from}");
        let text = base.replacen(from, to, 1);
        let file = write(account.dir.path(), "bad.yaml", &text);
        let problems = loader(&account, &file).expect_err(path)["problems"].clone();
        assert!(
            problems
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["path"] == path),
            "the loader names {path}: {problems}"
        );
        docs.push(as_json(&text));
    }
    for ((_, to, path), findings) in cases.iter().zip(check(&docs)) {
        assert!(
            findings.iter().any(|f| f.path == *path),
            "`{to}`: the schema names {path}: {findings:?}"
        );
    }
}

/// Every mapping of fixed keys in the file (a wire struct), as a JSON pointer into the full
/// topology. The test below also checks the schema has no other object with fixed properties.
const STRUCT_LEVELS: &[&str] = &[
    "",
    "/aws",
    "/aws/elbv2_describe_limit",
    "/sites/onprem",
    "/services/web",
    "/failover",
    "/replication",
    "/replication/source",
    "/replication/sql",
    "/dr",
    "/dr/terraform",
    "/dr/dns",
    "/dr/ready",
    "/coordination",
    "/watch",
    "/notify/0",
    "/metrics",
    "/metrics/prometheus",
    "/overflow/web",
];

#[test]
fn schema_and_loader_refuse_the_same_unknown_keys() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("hybridctl.schema.json")).unwrap(),
    )
    .unwrap();
    // Every object with named properties denies others, as deny_unknown_fields does.
    let mut structs = 0;
    for def in std::iter::once(&schema).chain(schema["$defs"].as_object().unwrap().values()) {
        if def.get("properties").is_some() {
            structs += 1;
            assert_eq!(def["additionalProperties"], json!(false), "{def}");
        }
    }
    assert_eq!(
        structs,
        STRUCT_LEVELS.len(),
        "a struct level is missing from STRUCT_LEVELS"
    );

    let full = as_json(&full_topology());
    let account = Account::new();
    let mut docs = Vec::new();
    for level in STRUCT_LEVELS {
        let mut doc = full.clone();
        let map = doc
            .pointer_mut(level)
            .and_then(Value::as_object_mut)
            .expect(level);
        map.insert("zz_unknown".into(), json!(1));
        // The loader reads YAML; JSON is YAML, so the same document goes to both.
        let file = write(account.dir.path(), "unknown.yaml", &doc.to_string());
        let problems = loader(&account, &file).expect_err(level)["problems"].to_string();
        assert!(
            problems.contains("unknown field `zz_unknown`"),
            "{level}: {problems}"
        );
        docs.push(doc);
    }
    for (level, findings) in STRUCT_LEVELS.iter().zip(check(&docs)) {
        let path = level.trim_start_matches('/').replace('/', ".");
        assert!(
            findings
                .iter()
                .any(|f| f.path == path && f.message.contains("zz_unknown")),
            "{level}: the schema refuses the unknown key there: {findings:?}"
        );
    }
}
