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
    BadCase { name: "version 2", from: "version: 1", to: "version: 2", at: (1, 10), says: "unsupported version 2" },
    BadCase { name: "version not a number", from: "version: 1", to: "version: one", at: (1, 10), says: "invalid" },
    BadCase { name: "root is a list", from: "version: 1\n", to: "- version: 1\n", at: (2, 1), says: "did not find expected '-' indicator" },
    BadCase { name: "unknown top-level key", from: "failover:\n", to: "fail_over: true\nfailover:\n", at: (16, 1), says: "unknown field `fail_over`" },
    BadCase { name: "unknown key in a site", from: "kind: onprem, description", to: "kind: onprem, zone: a, description", at: (6, 27), says: "unknown field `zone`" },
    BadCase { name: "unknown site kind", from: "kind: onprem,", to: "kind: cloud,", at: (6, 19), says: "unknown site kind `cloud`" },
    BadCase { name: "unclosed flow mapping", from: "weights: { onprem: 40, aws: 60 }", to: "weights: { onprem: 40, aws: 60", at: (16, 9), says: "did not find expected ',' or '}'" },
    BadCase { name: "duplicate key", from: "  to: aws\n", to: "  to: aws\n  to: aws\n", at: (19, 3), says: "duplicate mapping key" },
    BadCase { name: "weight above 999", from: "aws: 60 }", to: "aws: 1000 }", at: (15, 33), says: "weight 1000 is out of range 0..999" },
    BadCase { name: "negative weight", from: "onprem: 40,", to: "onprem: -1,", at: (15, 24), says: "weight -1 is out of range 0..999" },
    BadCase { name: "weight not a number", from: "aws: 60 }", to: "aws: sixty }", at: (15, 33), says: "invalid i64" },
    BadCase { name: "all weights zero", from: "{ onprem: 40, aws: 60 }", to: "{ onprem: 0, aws: 0 }", at: (15, 14), says: "all weights are 0" },
    BadCase { name: "weight for a site without target group", from: "aws: 60 }", to: "aws: 60, dr: 5 }", at: (15, 41), says: "`dr` has a weight but no target group" },
    BadCase { name: "missing weight", from: "{ onprem: 40, aws: 60 }", to: "{ onprem: 100 }", at: (15, 14), says: "no weight for site `aws`" },
    BadCase { name: "target group for an undeclared site", from: "      aws: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-aws", to: "      gcp: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-aws", at: (14, 12), says: "`gcp` is not a declared site" },
    BadCase { name: "one target group", from: "      aws: arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-aws/8b1c4a7f3e2d1c0b\n    weights: { onprem: 40, aws: 60 }", to: "    weights: { onprem: 40 }", at: (13, 7), says: "1 target groups: an ALB forward action splits between 2 and 5" },
    BadCase { name: "listener ARN names a load balancer", from: "listener/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2\n", to: "loadbalancer/app/hybrid/50dc6c495c0c9188\n", at: (10, 19), says: "is not an ALB listener ARN" },
    BadCase { name: "listener ARN of another service", from: "listener_arn: arn:aws:elasticloadbalancing:", to: "listener_arn: arn:aws:ec2:", at: (10, 19), says: "is not an ALB listener ARN" },
    BadCase { name: "rule of another listener", from: "f2f7dc8efc522ab2/9683b2d02a6cabee", to: "0000000000000000/9683b2d02a6cabee", at: (11, 15), says: "does not belong to listener_arn" },
    BadCase { name: "target group in another region", from: "ap-northeast-2:123456789012:targetgroup/web-aws", to: "us-east-1:123456789012:targetgroup/web-aws", at: (10, 5), says: "different regions" },
    BadCase { name: "short account id", from: "ap-northeast-2:123456789012:targetgroup/web-onprem", to: "ap-northeast-2:1234:targetgroup/web-onprem", at: (13, 15), says: "account `1234` must be 12 digits" },
    BadCase { name: "not an ARN at all", from: "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-onprem/73e2d6bc24d8a067", to: "web-onprem", at: (13, 15), says: "is not an ARN" },
    BadCase { name: "same target group for two sites", from: "targetgroup/web-aws/8b1c4a7f3e2d1c0b", to: "targetgroup/web-onprem/73e2d6bc24d8a067", at: (14, 12), says: "already site `onprem`" },
    BadCase { name: "no services", from: WEB_BLOCK, to: "services: {}\n", at: (8, 11), says: "declare at least one service" },
    BadCase { name: "one site", from: "  aws: { kind: aws, description: EKS }\n", to: "", at: (6, 3), says: "declare at least two sites" },
    BadCase { name: "bad site name", from: "  aws: { kind: aws", to: "  a w s: { kind: aws", at: (7, 10), says: "site name `a w s`" },
    BadCase { name: "failover from an undeclared site", from: "from: onprem", to: "from: dc1", at: (17, 9), says: "`dc1` is not a declared site" },
    BadCase { name: "failover from equals to", from: "to: aws", to: "to: onprem", at: (18, 7), says: "must be different sites" },
    BadCase { name: "duration without unit", from: "max_cdc_latency: 30s", to: "max_cdc_latency: 30", at: (21, 20), says: "invalid duration `30`" },
    BadCase { name: "negative min healthy targets", from: "min_healthy_targets: 1", to: "min_healthy_targets: -3", at: (20, 24), says: "-3 is out of range" },
    BadCase { name: "failback steps not increasing", from: "  max_cdc_latency: 30s\n", to: "  max_cdc_latency: 30s\n  failback_steps: [10, 5]\n", at: (22, 24), says: "failback steps must increase" },
    BadCase { name: "DMS ARN of an endpoint", from: "task:RDSTOONPREM", to: "endpoint:RDSTOONPREM", at: (23, 17), says: "is not a DMS task ARN" },
    BadCase { name: "two replication sources", from: "{ rds_instance: hybrid-mariadb }", to: "{ rds_instance: hybrid-mariadb, self_managed: true }", at: (24, 11), says: "exactly one of rds_instance" },
    BadCase { name: "SQL password in the file", from: "password_env: HYBRIDCTL_SQL_PASSWORD", to: "password: hunter2", at: (25, 65), says: "`password` looks like a credential" },
    BadCase { name: "AWS secret key in the file", from: "  region: ap-northeast-2\n", to: "  region: ap-northeast-2\n  aws_secret_access_key: abc\n", at: (4, 26), says: "`aws_secret_access_key` looks like a credential" },
    BadCase { name: "access key id as a value", from: "cluster_name: dr-eks", to: "cluster_name: AKIAIOSFODNN7EXAMPLE", at: (28, 72), says: "this value looks like a credential" },
    BadCase { name: "password_env holds a password", from: "password_env: HYBRIDCTL_SQL_PASSWORD", to: "password_env: \"hunter 2\"", at: (25, 69), says: "is not an environment variable name" },
    BadCase { name: "SQL port out of range", from: "port: 3306", to: "port: 70000", at: (25, 32), says: "port 70000 is out of range" },
    BadCase { name: "Route 53 weight above 255", from: "normal: { prod: 100,", to: "normal: { prod: 256,", at: (31, 21), says: "Route 53 weight 256 is out of range 0..255" },
    BadCase { name: "stage with other set identifiers", from: "recovered: { prod: 0, dr-eks: 100, dr-ecs: 0 }", to: "recovered: { prod: 0, dr-eks: 100 }", at: (33, 16), says: "same set identifiers" },
    BadCase { name: "DR stage missing", from: "    building: { prod: 0, dr-eks: 0, dr-ecs: 100 }\n", to: "", at: (31, 5), says: "stage `building` is missing" },
    BadCase { name: "DR region malformed", from: "region: ap-southeast-1", to: "region: singapore", at: (27, 11), says: "`singapore` is not an AWS region" },
    BadCase { name: "DNS record type", from: "type: A }", to: "type: MX }", at: (29, 70), says: "record type `MX`" },
    BadCase { name: "ready target group outside the DR region", from: "ap-southeast-1:123456789012:targetgroup/dr-eks", to: "ap-northeast-2:123456789012:targetgroup/dr-eks", at: (34, 30), says: "not in dr.region" },
    BadCase { name: "ready timeout", from: "timeout: 30m", to: "timeout: soon", at: (34, 157), says: "invalid duration `soon`" },
    BadCase { name: "aws region malformed", from: "  region: ap-northeast-2\n", to: "  region: seoul\n", at: (3, 11), says: "`seoul` is not an AWS region" },
    BadCase { name: "endpoint without scheme", from: "endpoint_url: http://127.0.0.1:5000", to: "endpoint_url: 127.0.0.1:5000", at: (4, 17), says: "must start with http:// or https://" },
    BadCase { name: "listener ARN in a target group slot", from: "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/web-onprem/73e2d6bc24d8a067", to: "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2", at: (13, 15), says: "is not a target group ARN" },
];
