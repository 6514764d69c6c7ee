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
    let base = base.replacen(
        "    weights: { onprem: 40, aws: 60 }\n",
        "    weights: { onprem: 40, aws: 60 }\n    probes: { onprem: { url: \"https://onprem.example/healthz?deep=1\", expect: \"200..299\", timeout: 2s, ca_file: ca.pem } }\n    capacity: { aws: { ecs_service: \"arn:aws:ecs:ap-northeast-2:123456789012:service/prod/web\", full: 12, headroom: 1.2, timeout: 10m, scale_back: restore } }\n",
        1,
    ) + "";
    let base = base.replacen(
        "failover:\n",
        "  api:\n    dns: { zone_id: Z0123456789ABCDEFGHIJ, record: api.example.com., type: A, set_ids: { onprem: nhn-lb, aws: aws-alb } }\n    weights: { onprem: 100, aws: 0 }\n    probes: { onprem: { url: \"https://nhn-lb.example.com/healthz\" } }\nfailover:\n",
        1,
    );
    let base = base.replacen(
        "timeout: 30m }\n",
        "timeout: 30m }\n  auto: { when: { alarm: seoul-down, health_check_failing: prod, probe: { url: \"https://ticket.example.com/healthz\" } }, for: 3m, approve: { required: true, timeout: 15m, on_timeout: abort }, skip_terraform: false }\n",
        1,
    );
    base.replacen(
        "  endpoint_url: http://127.0.0.1:5000\n",
        "  endpoint_url: http://127.0.0.1:5000\n  profile: ops\n  elbv2_describe_limit: { burst: 400, per_second: 100 }\n",
        1,
    )
 + "journal: state/journal.jsonl\ncoordination: { dynamodb_table: hybridctl-coordination, region: ap-northeast-2, lease: 2m }\n\
           watch: { interval: 10s, fail_after: 3, unknown_after: 4, hold: 30m, ok_for: 15m, auto_failback: false, max_auto_failovers: 2, window: 6h, listen: \"127.0.0.1:9464\", listen_allow_remote: false }\n\
           notify: [ { kind: webhook, url_env: HYBRIDCTL_WEBHOOK_URL, min_severity: warning } ]\n\
           metrics: { prometheus: { address: \"http://127.0.0.1:9090\", timeout: 5s, bearer_token_env: HYBRIDCTL_PROM_TOKEN, headers: { X-Scope-OrgID: ops } } }\n\
           overflow: { web: { query: avg(cpu), above: 0.8, below: 0.65, for: 3m, weights: { onprem: 30, aws: 70 }, on_no_data: hold } }\n\
           drill: { share: 50, hold: 10m, outcome_alarms: [web-5xx], blocking_alarms: [deploy], metrics: { max_5xx_rate: 0.01, max_p99_seconds: 1.5 }, \
           schedule: { every: 7d, allowed_windows: [\"Tue:10:00-Tue:16:00\"], blocked_dates: [\"2026-12-24\"] } }\n"
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
    "/services/web/capacity/aws",
    "/services/api/dns",
    "/failover",
    "/replication",
    "/replication/source",
    "/replication/sql",
    "/dr",
    "/dr/terraform",
    "/dr/dns",
    "/dr/ready",
    "/dr/auto",
    "/dr/auto/when",
    "/dr/auto/approve",
    "/services/web/probes/onprem",
    "/coordination",
    "/watch",
    "/notify/0",
    "/metrics",
    "/metrics/prometheus",
    "/overflow/web",
    "/drill",
    "/drill/metrics",
    "/drill/schedule",
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

#[allow(dead_code)] // the cases' locations are for tests/validate.rs
mod corpus {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/bad_cases.rs"
    ));
}

/// What `validate` refuses and JSON Schema cannot say, by a fragment of `validate`'s message.
/// docs/validate.md lists the same. A file `validate` refuses only for these may pass the schema.
const OUT_OF_SCOPE: &[(&str, &str)] = &[
    // Cross-references: a value must name something declared elsewhere in the file.
    (
        "is not a declared site",
        "a site named by a service, failover or overflow is declared",
    ),
    (
        "has a weight but no target group",
        "weights name the service's sites",
    ),
    ("no weight for site", "weights name the service's sites"),
    (
        "this target group is already site",
        "a target group belongs to one site",
    ),
    (
        "already changes this",
        "one service per rule or listener default action",
    ),
    (
        "does not belong to listener_arn",
        "the rule is the listener's",
    ),
    ("different regions", "a service's ARNs are in one region"),
    ("not in dr.region", "the ready target group is in dr.region"),
    (
        "is not a SetIdentifier of dr.weights",
        "dr.auto.when.health_check_failing names a SetIdentifier of dr.weights",
    ),
    (
        "has no target group in this service",
        "a probe's site is one of the service's sites",
    ),
    (
        "needs a coordination section",
        "an approval (dr.auto.approve.required) needs coordination",
    ),
    (
        "looks like a secret",
        "a probe URL's query has no secret-looking key",
    ),
    ("low first", "a probe's expect range is low..high"),
    (
        "is an on-prem site: capacity scales AWS sites",
        "capacity names an AWS site",
    ),
    ("a probe timeout is", "a probe timeout is 100ms..60s"),
    ("an approval timeout is", "dr.auto.approve.timeout 1m..24h"),
    ("dr.auto.for", "dr.auto.for at most 24h"),
    (
        "same set identifiers",
        "every DR stage names the same set identifiers",
    ),
    (
        "is not a declared service",
        "overflow names a declared service",
    ),
    (
        "has no target group for site",
        "failover sites have a target group in every service",
    ),
    // dns services (services.S.dns): Route 53's range, and what names what.
    (
        "is out of range 0..255",
        "a dns service's weights are 0..255 (the schema's weights are the ALB's 0..999)",
    ),
    (
        "has a weight but no SetIdentifier",
        "weights name the dns service's sites",
    ),
    (
        "is already another site's",
        "a SetIdentifier belongs to one site",
    ),
    (
        "already splits these records",
        "one service per record name and type",
    ),
    (
        "is the DR runbook's record",
        "a dns service's record is not dr.dns",
    ),
    ("a dns service has none", "capacity is for ALB services"),
    // Comparisons between values.
    (
        "must be different sites",
        "failover.from differs from failover.to",
    ),
    ("failback steps must increase", "failback steps increase"),
    ("must be less than above", "overflow below < above"),
    // The overflow split against failover.from and the service's normal weights (issue 22.1).
    (
        "as a failover does",
        "an overflow split gives failover.from more than 0",
    ),
    (
        "or proportional to them",
        "an overflow split differs from the normal weights",
    ),
    // A capacity key names an AWS site of its service.
    (
        "is not one of this service's sites",
        "capacity names a site of the service",
    ),
    // A range applies to numbers only: a quoted number the loader reads is not range-checked.
    (
        "a rate is 0 to 1",
        "drill rates as quoted numbers within 0..1",
    ),
    (
        "is out of range 1..10 (a multiplier",
        "capacity headroom as a quoted number within 1..10",
    ),
    (
        "a latency threshold is above 0",
        "drill latencies as quoted numbers above 0",
    ),
    (
        "one capacity entry per ECS service",
        "one capacity entry per scaler",
    ),
    // Duration ranges (the schema checks a duration's form, not its length).
    ("a poll interval is", "watch.interval 1s..1h"),
    ("at most 7 days", "watch.hold, watch.ok_for <= 7 days"),
    ("a window is", "watch.window 1m..28 days"),
    ("a lease lasts", "coordination.lease 5s..1h"),
    (
        "how long a failover waits for the site's targets",
        "capacity timeout 10s..2h",
    ),
    ("a drill holds", "drill.hold 1s..24h"),
    (
        "a drill schedule is every",
        "drill.schedule.every 1h..90 days",
    ),
    // A drill window that starts where it ends; a date the calendar does not have.
    ("the window is empty", "a drill window is not empty"),
    (
        "is not a date:",
        "a blocked date exists (2026-02-30 does not)",
    ),
    (
        "with `watch`, the lease",
        "coordination.lease covers three watch polls",
    ),
    ("a timeout of 0", "metrics.prometheus.timeout > 0"),
    ("is longer than", "metrics.prometheus.timeout <= 1m"),
    // A non-loopback watch.listen needs watch.listen_allow_remote: true.
    (
        "is not a loopback address",
        "watch.listen beyond loopback needs watch.listen_allow_remote",
    ),
    // The credential scan runs over every key and value of the file.
    (
        "looks like a credential",
        "no key or value that looks like a secret",
    ),
];

/// A whole number written with a fraction (`1.0`): JSON has one number type, so `1.0` is the
/// integer 1 to a JSON Schema validator; `validate` refuses it.
fn whole_with_fraction(message: &str) -> bool {
    message.contains("expected ")
        && message
            .rsplit_once("found `")
            .and_then(|(_, f)| f.strip_suffix('`'))
            .is_some_and(|f| f.contains('.') && f.parse::<f64>().is_ok_and(|v| v.fract() == 0.0))
}

fn out_of_scope(message: &str) -> bool {
    OUT_OF_SCOPE.iter().any(|(m, _)| message.contains(m)) || whole_with_fraction(message)
}

/// What `validate` accepts and the schema refuses, knowingly: a YAML number or true/false where
/// a name, ARN, region, duration, URL or table name is expected, whose text happens to fit
/// (`dynamodb_table: 12345`, `url_env: true`). The loader reads a scalar's text as written; the
/// schema wants a string there (a pattern cannot apply to a number). Quoting it satisfies both.
fn text_as_number(findings: &[Finding]) -> bool {
    findings
        .iter()
        .all(|f| f.message.contains(" is not of type 'string'"))
}

/// The loader (the code `validate` runs) on a text: Ok, or its problems' messages.
fn load(text: &str) -> Result<(), Vec<String>> {
    hybridctl::topology::parse(Path::new("/nonexistent/hybridctl.yaml"), text)
        .map(drop)
        .map_err(|e| {
            e.problems
                .iter()
                .map(|p| format!("{}: {}", p.path, p.message))
                .collect()
        })
}

/// A small deterministic generator (xorshift64), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Every node's JSON pointer.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| {
            pointers(
                x,
                format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                out,
            )
        }),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| pointers(x, format!("{at}/{i}"), out)),
        _ => {}
    }
    out.push(at);
}

fn pool() -> Vec<Value> {
    let tg = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-x/73e2d6bc24d8a067";
    serde_json::from_value(json!([
        "", " ", "x", "0", "1", "30", "-1", "+5", "007", "1000", "true", "false", "True", "30s",
        "0s", "5m", "1h30m", "2h", "1.5", "abc", "A", "CNAME", "hold", "normal", "onprem", "aws",
        "slack", "webhook", "info", "critical", "http://127.0.0.1:9090", "http://u:p@h", "https://h/x?y",
        "https://", "127.0.0.1", "ap-northeast-2", "us-east-1", "ap-southeast-1", "ap-northeast-0", tg,
        "arn:aws:dms:ap-northeast-2:123456789012:task:X", "X-Scope-OrgID", "Host", "HYBRIDCTL_X", "9X",
        0, 1, -1, 2, 3, 255, 256, 999, 1000, 65535, 65536, 100000, 100001, 0.5, 1.5, 80, true, false,
        {}, [], [1, 2], [10, 5], [0], {"a": 1}, null
    ]))
    .unwrap()
}

const NAMES: &[&str] = &[
    "",
    "a b",
    "x",
    "dc1",
    "onprem",
    "aws",
    "zz_unknown",
    "-x",
    "_x",
    "prod",
    "normal",
    "web",
    "building",
    "Accept",
    "authorization",
];

/// One random change to `doc`; says what it did.
fn mutate(rng: &mut Rng, doc: &mut Value, values: &[Value]) -> String {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let at = rng.pick(&all).clone();
    let (parent, key) = at.rsplit_once('/').unwrap_or(("", ""));
    let node = doc.pointer(&at).cloned().unwrap_or(Value::Null);
    match rng.below(7) {
        0 if !at.is_empty() => {
            let key = key.replace("~1", "/").replace("~0", "~");
            match doc.pointer_mut(parent) {
                Some(Value::Object(m)) => drop(m.remove(&key)),
                Some(Value::Array(a)) => drop(a.remove(key.parse().unwrap())),
                _ => {}
            }
            format!("delete {at}")
        }
        1 if !at.is_empty() => {
            *doc.pointer_mut(&at).unwrap() = Value::Null;
            format!("{at} = null")
        }
        2 if node.is_string() => {
            let mut s: Vec<char> = node.as_str().unwrap().chars().collect();
            let edit = *rng.pick(&[
                ':', '/', '-', '_', ' ', 'a', '0', '@', '?', '.', 'Z', '9', '\t',
            ]);
            let i = rng.below(s.len() + 1);
            match rng.below(3) {
                0 if i < s.len() => s[i] = edit,
                1 if i < s.len() => drop(s.remove(i)),
                _ => s.insert(i, edit),
            }
            let s: String = s.into_iter().collect();
            *doc.pointer_mut(&at).unwrap() = Value::String(s.clone());
            format!("{at} = {s:?}")
        }
        3 if node.is_i64() => {
            let n = node.as_i64().unwrap();
            let m = *rng.pick(&[n + 1, n - 1, n * 10, -n, 0]);
            *doc.pointer_mut(&at).unwrap() = json!(m);
            format!("{at} = {m}")
        }
        4 if node.is_object() => {
            let name = rng.pick(NAMES).to_string();
            let value = match node.as_object().unwrap().values().next() {
                Some(sibling) if rng.below(2) == 0 => sibling.clone(),
                _ => rng.pick(values).clone(),
            };
            doc.pointer_mut(&at)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .insert(name.clone(), value.clone());
            format!("{at}/{name} += {value}")
        }
        5 if !at.is_empty() && doc.pointer(parent).is_some_and(Value::is_object) => {
            let key = key.replace("~1", "/").replace("~0", "~");
            let name = rng.pick(NAMES).to_string();
            let m = doc.pointer_mut(parent).unwrap().as_object_mut().unwrap();
            if let Some(v) = m.remove(&key) {
                m.insert(name.clone(), v);
            }
            format!("rename {at} to {name:?}")
        }
        _ if !at.is_empty() => {
            let v = rng.pick(values).clone();
            *doc.pointer_mut(&at).unwrap() = v.clone();
            format!("{at} = {v}")
        }
        _ => "nothing".into(),
    }
}

#[test]
fn schema_and_validate_agree_on_the_example_the_bad_cases_and_mutated_files() {
    let example = std::fs::read_to_string(repo().join("hybridctl.example.yaml")).unwrap();
    let mut texts: Vec<(String, String)> = vec![("example".into(), example.clone())];
    for case in corpus::BAD_CASES {
        texts.push((format!("bad case `{}`", case.name), case.text()));
    }
    let bases: Vec<Value> = [example, corpus::BASE.to_string(), full_topology()]
        .iter()
        .map(|t| as_json(t))
        .collect();
    let values = pool();
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    for i in 0..3000 {
        let mut doc = rng.pick(&bases).clone();
        let what: Vec<String> = (0..1 + rng.below(2))
            .map(|_| mutate(&mut rng, &mut doc, &values))
            .collect();
        texts.push((
            format!("mutation {i}: {}", what.join("; ")),
            serde_json::to_string_pretty(&doc).unwrap(),
        ));
    }
    // The texts that have a JSON form (not: duplicate keys, two documents, .nan, bad syntax).
    let mut docs = Vec::new();
    let mut cases = Vec::new();
    let mut no_json = 0;
    for (name, text) in texts {
        match serde_saphyr::from_str::<Value>(&text) {
            Ok(doc) => {
                docs.push(doc);
                cases.push((name, text));
            }
            Err(_) => {
                assert!(load(&text).is_err(), "{name}: no JSON form, yet valid");
                no_json += 1;
            }
        }
    }
    let (mut good, mut bad, mut beyond) = (0, 0, 0);
    let mut disagree = Vec::new();
    for ((name, text), findings) in cases.iter().zip(check(&docs)) {
        match (load(text), findings.is_empty()) {
            (Ok(()), true) => good += 1,
            (Err(_), false) => bad += 1,
            (Ok(()), false) if text_as_number(&findings) => beyond += 1,
            (Ok(()), false) => disagree.push(format!(
                "{name}: validate accepts, the schema refuses: {findings:?}"
            )),
            (Err(problems), true) if problems.iter().all(|p| out_of_scope(p)) => beyond += 1,
            (Err(problems), true) => disagree.push(format!(
                "{name}: validate refuses, the schema accepts: {problems:?}"
            )),
        }
    }
    let shown: Vec<&String> = disagree.iter().take(25).collect();
    assert!(
        disagree.is_empty(),
        "{} disagreements (of {} files):\n{shown:#?}",
        disagree.len(),
        cases.len()
    );
    // Not vacuous: many files of each kind.
    assert!(
        good > 300 && bad > 1000 && beyond > 20,
        "good {good}, bad {bad}, out of scope {beyond}, no JSON form {no_json}"
    );
}
