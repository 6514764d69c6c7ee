// Bad topology files: a valid BASE with one mistake each, and where and what hybridctl must say.
// Shared by the unit tests (src/topology/tests.rs) and the CLI tests (tests/validate.rs) via include!.

/// A valid topology (tests/data/base.yaml); line numbers below refer to it after the edit.
pub const BASE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/base.yaml"));

pub struct BadCase {
    pub name: &'static str,
    /// Replace the first `from` in BASE with `to`.
    pub from: &'static str,
    pub to: &'static str,
    /// Where the problem must be reported: line and column.
    pub at: (u64, u64),
    /// The key path it must name; empty for the whole file.
    pub path: &'static str,
    /// A fragment the problem's message (or path) must contain.
    pub says: &'static str,
}

impl BadCase {
    pub fn text(&self) -> String {
        assert!(BASE.contains(self.from), "{}: `{}` is not in BASE", self.name, self.from);
        BASE.replacen(self.from, self.to, 1)
    }
}

const WEB_BLOCK: &str = "services:
  web:
    listener_arn: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2
    rule_arn: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener-rule/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee
    target_groups:
      onprem: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-onprem/73e2d6bc24d8a067
      aws: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-aws/8b1c4a7f3e2d1c0b
    weights: { onprem: 40, aws: 60 }
";

pub const BAD_CASES: &[BadCase] = &[
    BadCase { name: "version 2", from: "version: 1", to: "version: 2", at: (1, 10), path: "version", says: "unsupported version 2" },
    BadCase { name: "version not a number", from: "version: 1", to: "version: one", at: (1, 10), path: "version", says: "expected version 1 (the file format version), found `one`" },
    BadCase { name: "root is a list", from: "version: 1\n", to: "- version: 1\n", at: (2, 1), path: "", says: "did not find expected '-' indicator" },
    BadCase { name: "unknown top-level key", from: "failover:\n", to: "fail_over: true\nfailover:\n", at: (16, 1), path: "", says: "unknown field `fail_over`" },
    BadCase { name: "notify kind", from: "failover:\n", to: "notify:\n  - kind: teams\n    url_env: HYBRIDCTL_TEAMS_URL\nfailover:\n", at: (17, 11), path: "notify[0].kind", says: "unknown kind `teams`: expected slack or webhook" },
    BadCase { name: "notify min_severity", from: "failover:\n", to: "notify:\n  - kind: slack\n    url_env: HYBRIDCTL_SLACK_WEBHOOK\n    min_severity: urgent\nfailover:\n", at: (19, 19), path: "notify[0].min_severity", says: "unknown severity `urgent`: expected info, warning or critical" },
    BadCase { name: "notify url_env holds a URL", from: "failover:\n", to: "notify:\n  - kind: webhook\n    url_env: https://hooks.example.com/T0/B0/not-a-name\nfailover:\n", at: (18, 14), path: "notify[0].url_env", says: "not an environment variable name" },
    BadCase { name: "notify literal url", from: "failover:\n", to: "notify:\n  - kind: webhook\n    url: https://hooks.example.com/T0/B0/literal\nfailover:\n", at: (18, 5), path: "", says: "unknown field `url`" },
    BadCase { name: "unknown key in a site", from: "kind: onprem, description", to: "kind: onprem, zone: a, description", at: (6, 27), path: "", says: "unknown field `zone`" },
    BadCase { name: "unknown site kind", from: "kind: onprem,", to: "kind: cloud,", at: (6, 19), path: "sites.onprem.kind", says: "unknown site kind `cloud`" },
    BadCase { name: "unclosed flow mapping", from: "weights: { onprem: 40, aws: 60 }", to: "weights: { onprem: 40, aws: 60", at: (16, 9), path: "", says: "did not find expected ',' or '}'" },
    BadCase { name: "duplicate key", from: "  to: aws\n", to: "  to: aws\n  to: aws\n", at: (19, 3), path: "", says: "duplicate mapping key" },
    BadCase { name: "weight above 999", from: "aws: 60 }", to: "aws: 1000 }", at: (15, 33), path: "services.web.weights.aws", says: "weight 1000 is out of range 0..999" },
    BadCase { name: "negative weight", from: "onprem: 40,", to: "onprem: -1,", at: (15, 24), path: "services.web.weights.onprem", says: "weight -1 is out of range 0..999" },
    BadCase { name: "weight not a number", from: "aws: 60 }", to: "aws: sixty }", at: (15, 33), path: "services.web.weights.aws", says: "expected a whole number 0..999, found `sixty`" },
    BadCase { name: "all weights zero", from: "{ onprem: 40, aws: 60 }", to: "{ onprem: 0, aws: 0 }", at: (15, 14), path: "services.web.weights", says: "all weights are 0" },
    BadCase { name: "weight for a site without target group", from: "aws: 60 }", to: "aws: 60, dr: 5 }", at: (15, 41), path: "services.web.weights.dr", says: "`dr` has a weight but no target group" },
    BadCase { name: "missing weight", from: "{ onprem: 40, aws: 60 }", to: "{ onprem: 100 }", at: (15, 14), path: "services.web.weights", says: "no weight for site `aws`" },
    BadCase { name: "target group for an undeclared site", from: "      aws: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-aws", to: "      gcp: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-aws", at: (14, 12), path: "services.web.target_groups.gcp", says: "`gcp` is not a declared site" },
    BadCase { name: "one target group", from: "      aws: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-aws/8b1c4a7f3e2d1c0b\n    weights: { onprem: 40, aws: 60 }", to: "    weights: { onprem: 40 }", at: (13, 7), path: "services.web.target_groups", says: "1 target groups: an ALB forward action splits between 2 and 5" },
    BadCase { name: "listener ARN names a load balancer", from: "listener/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2\n", to: "loadbalancer/app/hybrid/50dc6c495c0c9188\n", at: (10, 19), path: "services.web.listener_arn", says: "is not an ALB listener ARN" },
    BadCase { name: "listener ARN of another service", from: "listener_arn: arn:aws:elasticloadbalancing:", to: "listener_arn: arn:aws:ec2:", at: (10, 19), path: "services.web.listener_arn", says: "is not an ALB listener ARN" },
    BadCase { name: "rule of another listener", from: "f2f7dc8efc522ab2/9683b2d02a6cabee", to: "0000000000000000/9683b2d02a6cabee", at: (11, 15), path: "services.web.rule_arn", says: "does not belong to listener_arn" },
    BadCase { name: "target group in another region", from: "ap-northeast-2:123456789012:targetgroup/web-aws", to: "us-east-1:123456789012:targetgroup/web-aws", at: (10, 5), path: "services.web", says: "different regions" },
    BadCase { name: "short account id", from: "ap-northeast-2:123456789012:targetgroup/web-onprem", to: "ap-northeast-2:1234:targetgroup/web-onprem", at: (13, 15), path: "services.web.target_groups.onprem", says: "account `1234` must be 12 digits" },
    BadCase { name: "not an ARN at all", from: "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-onprem/73e2d6bc24d8a067", to: "web-onprem", at: (13, 15), path: "services.web.target_groups.onprem", says: "is not an ARN" },
    BadCase { name: "two services on one rule", from: "failover:\n", to: "  api:\n    listener_arn: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2\n    rule_arn: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener-rule/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee\n    target_groups:\n      onprem: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-onprem/73e2d6bc24d8a067\n      aws: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-aws/8b1c4a7f3e2d1c0b\n    weights: { onprem: 40, aws: 60 }\nfailover:\n", at: (18, 15), path: "services.api.rule_arn", says: "service `web` already changes this rule" },
    BadCase { name: "capacity on an on-prem site", from: "    weights: { onprem: 40, aws: 60 }\n", to: "    weights: { onprem: 40, aws: 60 }\n    capacity: { onprem: { autoscaling_group: web-asg } }\n", at: (16, 25), path: "services.web.capacity.onprem", says: "is an on-prem site" },
    BadCase { name: "one scaler for two services", from: "    weights: { onprem: 40, aws: 60 }\nfailover:\n", to: "    weights: { onprem: 40, aws: 60 }\n    capacity: { aws: { autoscaling_group: web-asg } }\n  api:\n    listener_arn: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2\n    target_groups:\n      onprem: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/api-onprem/73e2d6bc24d8a068\n      aws: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/api-aws/8b1c4a7f3e2d1c0c\n    weights: { onprem: 40, aws: 60 }\n    capacity: { aws: { autoscaling_group: web-asg } }\nfailover:\n", at: (23, 22), path: "services.api.capacity.aws", says: "ASG web-asg already carries services.web.capacity.aws" },
    BadCase { name: "same target group for two sites", from: "targetgroup/web-aws/8b1c4a7f3e2d1c0b", to: "targetgroup/web-onprem/73e2d6bc24d8a067", at: (14, 12), path: "services.web.target_groups.aws", says: "already site `onprem`" },
    BadCase { name: "no services", from: WEB_BLOCK, to: "services: {}\n", at: (8, 11), path: "services", says: "declare at least one service" },
    BadCase { name: "one site", from: "  aws: { kind: aws, description: EKS }\n", to: "", at: (6, 3), path: "sites", says: "declare at least two sites" },
    BadCase { name: "bad site name", from: "  aws: { kind: aws", to: "  a w s: { kind: aws", at: (7, 10), path: "sites.a w s", says: "site name `a w s`" },
    BadCase { name: "failover from an undeclared site", from: "from: onprem", to: "from: dc1", at: (17, 9), path: "failover.from", says: "`dc1` is not a declared site" },
    BadCase { name: "failover from equals to", from: "to: aws", to: "to: onprem", at: (18, 7), path: "failover.to", says: "must be different sites" },
    BadCase { name: "duration without unit", from: "max_cdc_latency: 30s", to: "max_cdc_latency: 30", at: (21, 20), path: "failover.max_cdc_latency", says: "invalid duration `30`" },
    BadCase { name: "negative min healthy targets", from: "min_healthy_targets: 1", to: "min_healthy_targets: -3", at: (20, 24), path: "failover.min_healthy_targets", says: "-3 is out of range" },
    BadCase { name: "failback steps not increasing", from: "  max_cdc_latency: 30s\n", to: "  max_cdc_latency: 30s\n  failback_steps: [10, 5]\n", at: (22, 24), path: "failover.failback_steps[1]", says: "failback steps must increase" },
    BadCase { name: "DMS ARN of an endpoint", from: "task:RDSTOONPREM", to: "endpoint:RDSTOONPREM", at: (23, 17), path: "replication.dms_task_arn", says: "is not a DMS task ARN" },
    BadCase { name: "two replication sources", from: "{ rds_instance: hybrid-mariadb }", to: "{ rds_instance: hybrid-mariadb, self_managed: true }", at: (24, 11), path: "replication.source", says: "exactly one of rds_instance" },
    BadCase { name: "SQL password in the file", from: "password_env: HYBRIDCTL_SQL_PASSWORD", to: "password: hunter2", at: (25, 65), path: "replication.sql.password", says: "`password` looks like a credential" },
    BadCase { name: "AWS secret key in the file", from: "  region: ap-northeast-2\n", to: "  region: ap-northeast-2\n  aws_secret_access_key: abc\n", at: (4, 26), path: "aws.aws_secret_access_key", says: "`aws_secret_access_key` looks like a credential" },
    BadCase { name: "access key id as a value", from: "cluster_name: dr-eks", to: "cluster_name: AKIAIOSFODNN7EXAMPLE", at: (28, 72), path: "dr.terraform.vars.cluster_name", says: "this value looks like a credential" },
    BadCase { name: "password_env holds a password", from: "password_env: HYBRIDCTL_SQL_PASSWORD", to: "password_env: \"hunter 2\"", at: (25, 69), path: "replication.sql.password_env", says: "is not an environment variable name" },
    BadCase { name: "SQL port out of range", from: "port: 3306", to: "port: 70000", at: (25, 32), path: "replication.sql.port", says: "port 70000 is out of range" },
    BadCase { name: "Route 53 weight above 255", from: "normal: { prod: 100,", to: "normal: { prod: 256,", at: (31, 21), path: "dr.weights.normal.prod", says: "Route 53 weight 256 is out of range 0..255" },
    BadCase { name: "stage with other set identifiers", from: "recovered: { prod: 0, dr-eks: 100, dr-ecs: 0 }", to: "recovered: { prod: 0, dr-eks: 100 }", at: (33, 16), path: "dr.weights.recovered", says: "same set identifiers" },
    BadCase { name: "DR stage missing", from: "    building: { prod: 0, dr-eks: 0, dr-ecs: 100 }\n", to: "", at: (31, 5), path: "dr.weights", says: "stage `building` is missing" },
    BadCase { name: "DR region malformed", from: "region: ap-southeast-1", to: "region: singapore", at: (27, 11), path: "dr.region", says: "`singapore` is not an AWS region" },
    BadCase { name: "DNS record type", from: "type: A }", to: "type: MX }", at: (29, 70), path: "dr.dns.type", says: "record type `MX`" },
    BadCase { name: "ready target group outside the DR region", from: "ap-southeast-1:123456789012:targetgroup/dr-eks", to: "ap-northeast-2:123456789012:targetgroup/dr-eks", at: (34, 30), path: "dr.ready.target_group_arn", says: "not in dr.region" },
    BadCase { name: "ready timeout", from: "timeout: 30m", to: "timeout: soon", at: (34, 157), path: "dr.ready.timeout", says: "invalid duration `soon`" },
    BadCase { name: "aws region malformed", from: "  region: ap-northeast-2\n", to: "  region: seoul\n", at: (3, 11), path: "aws.region", says: "`seoul` is not an AWS region" },
    BadCase { name: "endpoint without scheme", from: "endpoint_url: http://127.0.0.1:5000", to: "endpoint_url: 127.0.0.1:5000", at: (4, 17), path: "aws.endpoint_url", says: "must start with http:// or https://" },
    BadCase { name: "listener ARN in a target group slot", from: "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-onprem/73e2d6bc24d8a067", to: "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2", at: (13, 15), path: "services.web.target_groups.onprem", says: "is not a target group ARN" },
    // Numbers and booleans that are not: the key path and what the key takes, never serde's
    // "invalid i64".
    BadCase { name: "weight in words", from: "aws: 60 }", to: "aws: thirty }", at: (15, 33), path: "services.web.weights.aws", says: "expected a whole number 0..999, found `thirty`" },
    BadCase { name: "weight with a fraction", from: "aws: 60 }", to: "aws: 30.5 }", at: (15, 33), path: "services.web.weights.aws", says: "expected a whole number 0..999, found `30.5`" },
    BadCase { name: "weight true", from: "aws: 60 }", to: "aws: true }", at: (15, 33), path: "services.web.weights.aws", says: "expected a whole number 0..999, found `true`" },
    BadCase { name: "weight beyond i64", from: "aws: 60 }", to: "aws: 99999999999999999999999 }", at: (15, 33), path: "services.web.weights.aws", says: "expected a whole number 0..999, found `99999999999999999999999`" },
    BadCase { name: "weight null", from: "aws: 60 }", to: "aws: ~ }", at: (15, 33), path: "services.web.weights.aws", says: "expected a whole number 0..999, found `~`" },
    BadCase { name: "weight a list", from: "aws: 60 }", to: "aws: [60] }", at: (15, 33), path: "services.web.weights.aws", says: "expected a whole number 0..999, found a list" },
    BadCase { name: "min healthy targets in words", from: "min_healthy_targets: 1", to: "min_healthy_targets: one", at: (20, 24), path: "failover.min_healthy_targets", says: "expected a whole number 0..1000, found `one`" },
    BadCase { name: "failback step with a fraction", from: "  max_cdc_latency: 30s\n", to: "  max_cdc_latency: 30s\n  failback_steps: [10, 2.5]\n", at: (22, 24), path: "failover.failback_steps[1]", says: "expected a whole number 1..999, found `2.5`" },
    BadCase { name: "SQL port in words", from: "port: 3306", to: "port: mysql", at: (25, 32), path: "replication.sql.port", says: "expected a whole number 1..65535, found `mysql`" },
    BadCase { name: "SQL port beyond i64", from: "port: 3306", to: "port: 99999999999999999999999", at: (25, 32), path: "replication.sql.port", says: "expected a whole number 1..65535, found `99999999999999999999999`" },
    BadCase { name: "SQL tls not a boolean", from: "password_env: HYBRIDCTL_SQL_PASSWORD }", to: "password_env: HYBRIDCTL_SQL_PASSWORD, tls: maybe }", at: (25, 98), path: "replication.sql.tls", says: "expected true or false, found `maybe`" },
    BadCase { name: "self_managed a number", from: "{ rds_instance: hybrid-mariadb }", to: "{ self_managed: 1 }", at: (24, 27), path: "replication.source.self_managed", says: "expected true or false, found `1`" },
    BadCase { name: "Route 53 weight with a fraction", from: "normal: { prod: 100,", to: "normal: { prod: 100.5,", at: (31, 21), path: "dr.weights.normal.prod", says: "expected a whole number 0..255, found `100.5`" },
    BadCase { name: "Route 53 weight in words", from: "dr-ecs: 100 }", to: "dr-ecs: all }", at: (32, 45), path: "dr.weights.building.dr-ecs", says: "expected a whole number 0..255, found `all`" },
    BadCase { name: "ready min healthy targets a boolean", from: "min_healthy_targets: 2,", to: "min_healthy_targets: yes,", at: (34, 145), path: "dr.ready.min_healthy_targets", says: "expected a whole number 0..1000, found `yes`" },
    BadCase { name: "version a fraction", from: "version: 1", to: "version: 1.0", at: (1, 10), path: "version", says: "expected version 1 (the file format version), found `1.0`" },
    BadCase { name: "rule_arn with no value", from: "rule_arn: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener-rule/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee", to: "rule_arn:", at: (11, 13), path: "services.web.rule_arn", says: "rule_arn has no value" },
    BadCase { name: "rule_arn empty", from: "rule_arn: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener-rule/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee", to: "rule_arn: \"\"", at: (11, 15), path: "services.web.rule_arn", says: "is not an ARN" },
    // YAML's non-finite floats: the key and what it takes, not serde-saphyr's "policy".
    BadCase { name: "weight .nan", from: "aws: 60 }", to: "aws: .nan }", at: (15, 33), path: "services.web.weights.aws", says: "expected a whole number 0..999, found `.nan`" },
    BadCase { name: "min healthy targets .inf", from: "min_healthy_targets: 1", to: "min_healthy_targets: -.inf", at: (20, 24), path: "failover.min_healthy_targets", says: "expected a whole number 0..1000, found `-.inf`" },
    BadCase { name: "version .inf", from: "version: 1", to: "version: .Inf", at: (1, 10), path: "version", says: "found `.Inf`" },
    // A secret in the SQL host is refused, and not repeated (tests/validate.rs checks that).
    BadCase { name: "SQL host with credentials", from: "host: 10.0.0.5", to: "host: \"dms:s3cret@10.0.0.5\"", at: (25, 16), path: "replication.sql.host", says: "the host carries credentials" },
    BadCase { name: "SQL host with a user", from: "host: 10.0.0.5", to: "host: dms@10.0.0.5", at: (25, 16), path: "replication.sql.host", says: "the host carries credentials" },
    // The whole file.
    BadCase { name: "empty file", from: BASE, to: "", at: (1, 1), path: "", says: "the file is empty: it needs at least `version: 1`, `sites` and `services` (see hybridctl.example.yaml)" },
    BadCase { name: "comments only", from: BASE, to: "# hybridctl topology, to be written\n\n# version: 1\n", at: (1, 1), path: "", says: "the file is empty" },
    BadCase { name: "second document", from: "failover:\n", to: "---\nfailover:\n", at: (16, 1), path: "", says: "the file holds more than one YAML document (a `---` separator at line 16): hybridctl reads one" },
    BadCase { name: "second document after an end marker", from: "failover:\n", to: "...\n---\nfailover:\n", at: (17, 1), path: "", says: "(a `---` separator at line 17)" },
    BadCase { name: "a scalar, not a mapping", from: BASE, to: "hybridctl\n", at: (1, 1), path: "", says: "expected a mapping with `version: 1`, `sites` and `services`, found a single value" },
    BadCase { name: "a list of sites", from: "sites:\n  onprem: { kind: onprem, description: ESXi over VPN }\n  aws: { kind: aws, description: EKS }\n", to: "sites: [onprem, aws]\n", at: (5, 8), path: "sites", says: "expected mapping start" },
];
