//! Table-driven tests of the topology loader: every bad file says what and where.

use std::path::Path;

use super::*;
use crate::topology::url_has_userinfo;

include!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/bad_cases.rs"
));

fn parse_str(text: &str) -> Result<Topology, crate::error::ConfigError> {
    parse(Path::new("t.yaml"), text)
}

#[test]
fn base_is_valid() {
    let t = parse_str(BASE).unwrap();
    assert_eq!(t.sites.len(), 2);
    let web = &t.services[0];
    assert_eq!(web.name, "web");
    assert_eq!(
        web.targets
            .iter()
            .map(|t| (t.site.as_str(), t.weight))
            .collect::<Vec<_>>(),
        [("onprem", 40), ("aws", 60)]
    );
    let f = t.failover.unwrap();
    assert_eq!(f.max_cdc_latency.as_secs(), 30);
    assert_eq!(f.min_healthy_targets, 1);
    let r = t.replication.unwrap();
    assert_eq!(r.source, Source::RdsInstance("hybrid-mariadb".into()));
    assert_eq!(r.sql.unwrap().port, 3306);
    let dr = t.dr.unwrap();
    assert_eq!(dr.stages.len(), 3);
    assert_eq!(dr.ready.unwrap().timeout.as_secs(), 1800);
    assert_eq!(dr.terraform.unwrap().dir, Path::new("infra/dr"));
}

#[test]
fn there_are_at_least_thirty_bad_cases() {
    assert!(BAD_CASES.len() >= 30, "{}", BAD_CASES.len());
}

#[test]
fn every_bad_case_is_reported_with_message_and_location() {
    let mut failures = Vec::new();
    for case in BAD_CASES {
        let err = match parse_str(&case.text()) {
            Ok(_) => {
                failures.push(format!("{}: accepted", case.name));
                continue;
            }
            Err(e) => e,
        };
        let hit = err.problems.iter().any(|p| {
            (p.line, p.column) == (Some(case.at.0), Some(case.at.1))
                && p.path == case.path
                && p.message.contains(case.says)
        });
        if !hit {
            failures.push(format!(
                "{}: want {}:{}: {}: `{}`, got:\n    {}",
                case.name,
                case.at.0,
                case.at.1,
                case.path,
                case.says,
                err.to_string().replace('\n', "\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn reports_every_problem_at_once() {
    let text = BASE
        .replace("aws: 60 }", "aws: 1000 }")
        .replace("from: onprem", "from: dc1")
        .replace("normal: { prod: 100,", "normal: { prod: 300,");
    let err = parse_str(&text).unwrap_err();
    let paths: Vec<&str> = err.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "services.web.weights.aws",
            "failover.from",
            "dr.weights.normal.prod"
        ]
    );
}

#[test]
fn credentials_are_refused_with_a_hint() {
    let text = BASE.replace(
        "  region: ap-northeast-2\n",
        "  region: ap-northeast-2\n  aws_access_key_id: x\n  aws_session_token: y\n",
    );
    let err = parse_str(&text).unwrap_err();
    assert_eq!(err.problems.len(), 2);
    assert!(err.hint.as_deref().unwrap().contains("profile"));
}

#[test]
fn alias_bomb_is_refused() {
    let bomb = "\
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
h: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
";
    let err = parse_str(bomb).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("input limits"), "{msg}");
}

#[test]
fn relative_paths_are_relative_to_the_file() {
    let t = parse(
        Path::new("/etc/hybridctl/prod.yaml"),
        &BASE.replace("version: 1\n", "version: 1\njournal: state/journal.jsonl\n"),
    )
    .unwrap();
    assert_eq!(
        t.journal.unwrap(),
        Path::new("/etc/hybridctl/state/journal.jsonl")
    );
    assert_eq!(
        t.dr.unwrap().terraform.unwrap().dir,
        Path::new("/etc/hybridctl/infra/dr")
    );
}

#[test]
fn listener_default_action_needs_no_rule() {
    let text = BASE.replace("    rule_arn: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener-rule/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee\n", "");
    let t = parse_str(&text).unwrap();
    assert!(t.services[0].alb().is_some_and(|(_, r)| r.is_none()));
}

#[test]
fn optional_sections_may_be_left_out() {
    let cut = BASE.find("failover:").unwrap();
    let t = parse_str(&BASE[..cut]).unwrap();
    assert!(t.failover.is_none() && t.replication.is_none() && t.dr.is_none());
}

#[test]
fn secrets_in_the_wrong_field_are_refused_and_never_printed() {
    const SECRET: &str = "SuperSecretValue-XYZZY-42";
    let cases = [
        // A password pasted where the variable's name belongs.
        (
            BASE.replace(
                "password_env: HYBRIDCTL_SQL_PASSWORD",
                &format!("password_env: {SECRET}"),
            ),
            "replication.sql.password_env",
        ),
        // Credentials in a URL.
        (
            BASE.replace(
                "http://127.0.0.1:5000",
                &format!("http://admin:{SECRET}@127.0.0.1:5000"),
            ),
            "aws.endpoint_url",
        ),
        // A Terraform variable that is a password (its value would reach terraform's argv).
        (
            BASE.replace(
                "vars: { cluster_name: dr-eks }",
                &format!("vars: {{ cluster_name: dr-eks, db_pass: {SECRET} }}"),
            ),
            "dr.terraform.vars.db_pass",
        ),
        (
            BASE.replace(
                "vars: { cluster_name: dr-eks }",
                &format!("vars: {{ admin-pwd: {SECRET} }}"),
            ),
            "dr.terraform.vars.admin-pwd",
        ),
    ];
    for (text, path) in cases {
        let err = parse_str(&text).unwrap_err();
        let shown = format!("{err} {}", err.hint.clone().unwrap_or_default());
        assert!(
            err.problems.iter().any(|p| p.path == path),
            "{path}: {shown}"
        );
        assert!(
            !shown.contains(SECRET),
            "{path}: the secret is printed: {shown}"
        );
    }
    for (key, value) in [
        ("dbPass", "x"),
        ("passphrase", "x"),
        ("bearer", "x"),
        ("cred", "x"),
        ("conn", "mysql://u:PASS@db"),
    ] {
        let text = BASE.replace(
            "vars: { cluster_name: dr-eks }",
            &format!("vars: {{ cluster_name: dr-eks, {key}: \"{value}\" }}"),
        );
        let err = parse_str(&text).unwrap_err();
        let path = format!("dr.terraform.vars.{key}");
        assert!(err.problems.iter().any(|p| p.path == path), "{path}: {err}");
        assert!(!err.to_string().contains("PASS@"), "{err}");
    }
    let text = BASE.replace("http://127.0.0.1:5000", "http://127.0.0.1:5000/?token=abc");
    let err = parse_str(&text).unwrap_err();
    assert!(
        err.problems.iter().any(|p| p.path == "aws.endpoint_url"),
        "{err}"
    );
    assert!(!err.to_string().contains("token=abc"), "{err}");
    // Words that merely contain the letters stay allowed.
    let ok = BASE.replace(
        "vars: { cluster_name: dr-eks }",
        "vars: { bypass_cache: x, passive: y }",
    );
    parse_str(&ok).unwrap();
}

#[test]
fn userinfo_is_found_only_in_the_authority() {
    assert!(url_has_userinfo("http://u:p@h:1/x"));
    assert!(url_has_userinfo("https://u@h"));
    assert!(!url_has_userinfo("http://h:1/path@x"));
    assert!(!url_has_userinfo("http://h:1/?q=a@b"));
}

const OVERFLOW: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/overflow.yaml"
));

/// BASE with metrics and overflow (lines 35..49), each with one mistake: `(from, to, at, path, says)`.
/// `(from, to, (line, column), key path, says)`.
type Case = (
    &'static str,
    &'static str,
    (u64, u64),
    &'static str,
    &'static str,
);

const OVERFLOW_CASES: &[Case] = &[
    (
        "below: 0.65",
        "below: 0.85",
        (46, 12),
        "overflow.web.below",
        "below (0.85) must be less than above (0.8)",
    ),
    (
        "below: 0.65",
        "below: 0.8",
        (46, 12),
        "overflow.web.below",
        "must be less than above",
    ),
    (
        "above: 0.80",
        "above: high",
        (45, 12),
        "overflow.web.above",
        "expected a number (like 0.8), found `high`",
    ),
    (
        "above: 0.80",
        "above: [1]",
        (45, 12),
        "overflow.web.above",
        "expected a number (like 0.8), found a list",
    ),
    (
        "query: avg(onprem_cluster_cpu_utilization)",
        "query: ' '",
        (44, 12),
        "overflow.web.query",
        "the query is empty",
    ),
    (
        "  web:\n    query",
        "  api:\n    query",
        (44, 5),
        "overflow.api",
        "`api` is not a declared service",
    ),
    (
        "{ onprem: 30, aws: 70 }",
        "{ onprem: 30 }",
        (48, 14),
        "overflow.web.weights",
        "no weight for site `aws`",
    ),
    (
        "aws: 70 }",
        "aws: 1000 }",
        (48, 33),
        "overflow.web.weights.aws",
        "weight 1000 is out of range 0..999",
    ),
    (
        "aws: 70 }",
        "aws: 70, dr: 1 }",
        (48, 41),
        "overflow.web.weights.dr",
        "`dr` has a weight but no target group",
    ),
    (
        "{ onprem: 30, aws: 70 }",
        "{ onprem: 0, aws: 0 }",
        (48, 14),
        "overflow.web.weights",
        "all weights are 0",
    ),
    // Issue 22: a split a failover could have made, or one that changes nothing.
    (
        "{ onprem: 30, aws: 70 }",
        "{ onprem: 0, aws: 100 }",
        (48, 24),
        "overflow.web.weights.onprem",
        "the overflow split gives failover.from `onprem` 0, as a failover does",
    ),
    (
        "{ onprem: 30, aws: 70 }",
        "{ onprem: 40, aws: 60 }",
        (48, 14),
        "overflow.web.weights",
        "the overflow split is the normal weights ({ onprem: 40, aws: 60 }) or proportional to them",
    ),
    (
        "{ onprem: 30, aws: 70 }",
        "{ onprem: 4, aws: 6 }",
        (48, 14),
        "overflow.web.weights",
        "or proportional to them: entering overflow would change nothing",
    ),
    (
        "on_no_data: hold",
        "on_no_data: error",
        (49, 17),
        "overflow.web.on_no_data",
        "`error`: use hold or normal",
    ),
    (
        "for: 3m",
        "for: 3",
        (47, 10),
        "overflow.web.for",
        "invalid duration `3`",
    ),
    ("for: 3m", "for_: 3m", (47, 5), "", "unknown field `for_`"),
    (
        "http://prometheus.onprem",
        "http://u:p@prometheus.onprem",
        (37, 14),
        "metrics.prometheus.address",
        "looks like a credential",
    ),
    (
        ":9090\n",
        ":9090/?token=x\n",
        (37, 14),
        "metrics.prometheus.address",
        "takes no query string",
    ),
    (
        "address: http://",
        "address: ftp://",
        (37, 14),
        "metrics.prometheus.address",
        "must start with http:// or https://",
    ),
    (
        "timeout: 5s",
        "timeout: 0s",
        (38, 14),
        "metrics.prometheus.timeout",
        "never answers",
    ),
    (
        "bearer_token_env: HYBRIDCTL_PROM_TOKEN",
        "bearer_token_env: \"s3cr3t token\"",
        (39, 23),
        "metrics.prometheus.bearer_token_env",
        "is not an environment variable name",
    ),
    (
        "bearer_token_env: HYBRIDCTL_PROM_TOKEN",
        "bearer_token: s3cr3t",
        (39, 19),
        "metrics.prometheus.bearer_token",
        "looks like a credential",
    ),
    (
        "X-Scope-OrgID: ops",
        "Authorization: Bearer x",
        (40, 31),
        "metrics.prometheus.headers.Authorization",
        "use bearer_token_env",
    ),
    (
        "X-Scope-OrgID: ops",
        "accept-ENCODING: gzip",
        (40, 33),
        "metrics.prometheus.headers.accept-ENCODING",
        "hybridctl sets this header itself",
    ),
    (
        "timeout: 5s",
        "timeout: 2h",
        (38, 14),
        "metrics.prometheus.timeout",
        "2h is longer than 1m",
    ),
    (
        "X-Scope-OrgID: ops",
        "Content-Length: '0'",
        (40, 32),
        "metrics.prometheus.headers.Content-Length",
        "hybridctl sets this header itself",
    ),
    (
        "X-Scope-OrgID: ops",
        "\"X Scope\": ops",
        (40, 27),
        "metrics.prometheus.headers.X Scope",
        "not an HTTP header name",
    ),
    (
        "ca_file: ca.pem",
        "ca_file: ''",
        (41, 14),
        "metrics.prometheus.ca_file",
        "the CA file path is empty",
    ),
    (
        "metrics:\n  prometheus:\n    address: http://prometheus.onprem.example:9090\n    timeout: 5s\n    bearer_token_env: HYBRIDCTL_PROM_TOKEN\n    headers: { X-Scope-OrgID: ops }\n    ca_file: ca.pem\n",
        "",
        (36, 3),
        "overflow",
        "set metrics.prometheus.address",
    ),
];

#[test]
fn overflow_is_valid_and_read_as_written() {
    let t = parse_str(&format!("{BASE}{OVERFLOW}")).unwrap();
    let p = t.prometheus.as_ref().unwrap();
    assert_eq!(p.address, "http://prometheus.onprem.example:9090");
    assert_eq!(p.timeout.as_secs(), 5);
    assert_eq!(
        p.headers,
        [("X-Scope-OrgID".to_string(), "ops".to_string())]
    );
    assert_eq!(p.ca_file.as_deref(), Some(Path::new("ca.pem")));
    let o = t.overflow_of("web").unwrap();
    assert_eq!((o.above, o.below, o.sustain.as_secs()), (0.8, 0.65, 180));
    assert_eq!(
        o.weights,
        [("onprem".to_string(), 30), ("aws".to_string(), 70)]
    );
    assert_eq!(o.on_no_data, OnNoData::Hold);
    // Whole numbers are numbers too (percent-style queries).
    let t = parse_str(
        &format!("{BASE}{OVERFLOW}")
            .replace("above: 0.80", "above: 80")
            .replace("below: 0.65", "below: 65"),
    )
    .unwrap();
    assert_eq!(t.overflow_of("web").unwrap().above, 80.0);
    // A fraction is still refused where a whole number belongs.
    assert!(parse_str(&BASE.replace("aws: 60 }", "aws: 0.5 }")).is_err());
}

#[test]
fn every_overflow_mistake_is_reported_with_message_and_location() {
    let mut failures = Vec::new();
    for (from, to, at, path, says) in OVERFLOW_CASES {
        let whole = format!("{BASE}{OVERFLOW}");
        assert!(whole.contains(from), "`{from}` is not in the text");
        let err = match parse_str(&whole.replacen(from, to, 1)) {
            Ok(_) => {
                failures.push(format!("{to}: accepted"));
                continue;
            }
            Err(e) => e,
        };
        let hit = err.problems.iter().any(|p| {
            (p.line, p.column) == (Some(at.0), Some(at.1))
                && p.path == *path
                && p.message.contains(says)
        });
        if !hit {
            failures.push(format!(
                "{to}: want {}:{}: {path}: `{says}`, got:\n    {}",
                at.0,
                at.1,
                err.to_string().replace('\n', "\n    ")
            ));
        }
        assert!(
            !err.to_string().contains("s3cr3t"),
            "a secret was printed: {err}"
        );
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
