//! The topology file as written: serde structs, `deny_unknown_fields` everywhere, no flatten.
//! Values are kept loose (strings, [`Scalar`]) so that semantic validation can report every
//! problem with its path and expected range instead of stopping at the first type error.
//!
//! The `///` docs here are the descriptions editors show: `hybridctl generate schema` derives
//! the file's JSON Schema from these structs (see `schema.rs`), so every field needs one.

use std::fmt;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::values::{self, *};

/// A hybridctl topology file: the sites that serve traffic, the ALB rules that split it, and
/// the failover, replication and DR settings. Check one with `hybridctl validate -c FILE`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "hybridctl topology file")]
#[schemars(extend("allOf" = [
    {
        "if": { "required": ["watch"], "properties": { "watch": { "type": "object" } } },
        "then": { "required": ["failover"], "properties": { "failover": { "type": "object" } } }
    },
    {
        "if": { "required": ["drill"], "properties": { "drill": { "type": "object" } } },
        "then": { "required": ["failover"], "properties": { "failover": { "type": "object" } } }
    },
    {
        "if": { "required": ["overflow"], "properties": { "overflow": { "type": "object", "minProperties": 1 } } },
        "then": {
            "required": ["metrics"],
            "properties": { "metrics": { "type": "object", "required": ["prometheus"], "properties": { "prometheus": { "type": "object" } } } }
        }
    }
]))]
pub struct File {
    /// The file format version: 1.
    #[schemars(with = "Version")]
    pub version: Scalar,
    /// Where the AWS calls go. All optional; flags and AWS_* variables win over these.
    #[serde(default)]
    pub aws: Aws,
    /// The places that serve traffic (at least two), by name: letters, digits, `-`, `_`.
    #[schemars(with = "Named<Site, 2>")]
    pub sites: IndexMap<String, Site>,
    /// One entry per ALB listener rule (or listener default action) that splits traffic.
    #[schemars(with = "Named<Service, 1>")]
    pub services: IndexMap<String, Service>,
    /// What failover and failback do, and their safety gates.
    pub failover: Option<Failover>,
    /// DMS replication between the sites.
    pub replication: Option<Replication>,
    /// The disaster-recovery runbook: Route 53 weights moving users to another region.
    pub dr: Option<Dr>,
    /// The change journal (JSON lines), relative to this file's folder. Default:
    /// $XDG_STATE_HOME/hybridctl/journal.jsonl.
    #[schemars(with = "Option<NotBlank>")]
    pub journal: Option<String>,
    /// Coordination between hosts: a DynamoDB table holding leases and the shared history.
    pub coordination: Option<Coordination>,
    /// `hybridctl watch`: automatic failover thresholds (docs/watch.md).
    pub watch: Option<Watch>,
    /// Where notifications go: Slack or a generic webhook (docs/notify.md).
    pub notify: Option<Vec<Notify>>,
    /// Metrics sources for overflow.
    pub metrics: Option<Metrics>,
    /// Overflow by on-prem utilization, per service (docs/overflow.md).
    #[schemars(with = "Option<Named<Overflow, 0>>")]
    pub overflow: Option<IndexMap<String, Overflow>>,
    /// Failover drills: `hybridctl drill`'s defaults and `watch`'s schedule (docs/drill.md).
    pub drill: Option<Drill>,
}

/// A drill: a planned failover practice, held, judged and returned (docs/drill.md).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Drill {
    /// The % of traffic failover.to takes during the drill, 1 to 100 (default 100: a full
    /// failover).
    #[schemars(with = "Option<Whole<1, 100>>")]
    pub share: Option<Scalar>,
    /// How long the drill holds the traffic there, 1s to 24h (default 30m).
    #[schemars(with = "Option<values::Duration>")]
    pub hold: Option<String>,
    /// CloudWatch alarms: any in ALARM during the hold ends the drill early (failed).
    #[schemars(with = "Option<List<AlarmName>>")]
    pub outcome_alarms: Option<Vec<String>>,
    /// CloudWatch alarms: any in ALARM keeps the drill from starting (refused).
    #[schemars(with = "Option<List<AlarmName>>")]
    pub blocking_alarms: Option<Vec<String>>,
    /// Pass/fail thresholds read from CloudWatch for the receiving target group.
    pub metrics: Option<DrillMetrics>,
    /// When `watch` starts drills by itself.
    pub schedule: Option<DrillSchedule>,
}

/// Thresholds over the hold, from the receiving target group's CloudWatch metrics.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillMetrics {
    /// HTTPCode_Target_5XX_Count / RequestCount over the hold above this fails the drill (0 to 1).
    #[schemars(with = "Option<Rate>")]
    pub max_5xx_rate: Option<Scalar>,
    /// TargetResponseTime p99 above this many seconds fails the drill (above 0).
    #[schemars(with = "Option<PositiveNumber>")]
    pub max_p99_seconds: Option<Scalar>,
}

/// `watch` starts a drill when `every` has passed without a passed drill, inside an allowed
/// window, on a day not blocked.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrillSchedule {
    /// How often a drill must pass, 1h to 90 days (like 7d or 168h).
    #[schemars(with = "DrillEvery")]
    pub every: String,
    /// UTC windows `Day:HH:MM-Day:HH:MM` (like `Tue:10:00-Tue:16:00`); none: any time.
    #[schemars(with = "Option<List<DrillWindow>>")]
    pub allowed_windows: Option<Vec<String>>,
    /// UTC dates `YYYY-MM-DD` on which no drill starts.
    #[schemars(with = "Option<List<DrillDate>>")]
    pub blocked_dates: Option<Vec<String>>,
}

/// `hybridctl watch`: when the watcher fails over (and back) by itself. Needs `failover`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Watch {
    /// One poll, 1s to 1h (default 10s).
    #[schemars(with = "Option<values::Duration>")]
    pub interval: Option<String>,
    /// Consecutive bad polls before a failover, 1 to 1000 (default 3).
    #[schemars(with = "Option<Whole<1, 1000>>")]
    pub fail_after: Option<Scalar>,
    /// Consecutive unknown polls (failed reads) before an alert; never an action (default 4).
    #[schemars(with = "Option<Whole<1, 1000>>")]
    pub unknown_after: Option<Scalar>,
    /// No failback, automatic or suggested, sooner than this after a failover (default 30m).
    #[schemars(with = "Option<values::Duration>")]
    pub hold: Option<String>,
    /// The from-site must be good this long before failback is ready (default 15m).
    #[schemars(with = "Option<values::Duration>")]
    pub ok_for: Option<String>,
    /// Run the stepped failback when ready (default false).
    #[schemars(with = "Option<Flag>")]
    pub auto_failback: Option<Scalar>,
    /// Automatic failovers per window before the watcher latches (default 1).
    #[schemars(with = "Option<Whole<1, 1000>>")]
    pub max_auto_failovers: Option<Scalar>,
    /// The latch's window, 1m to 28 days (default 6h).
    #[schemars(with = "Option<values::Duration>")]
    pub window: Option<String>,
    /// Serve `/metrics` (Prometheus), `/healthz` and `/readyz` on this `IP:PORT`, e.g.
    /// 127.0.0.1:9464 (default: no endpoint). `watch --listen` wins over it.
    #[schemars(with = "Option<ListenAddress>")]
    pub listen: Option<String>,
    /// Allow `listen` on an address other than loopback (default false): the endpoint has no
    /// authentication, and the metrics name the services and sites.
    #[schemars(with = "Option<Flag>")]
    pub listen_allow_remote: Option<Scalar>,
}

/// One notification sink. The URL is never in the file: `url_env` names the variable.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notify {
    /// `slack` (an incoming webhook) or `webhook` (a generic JSON POST).
    #[schemars(with = "SinkKind")]
    pub kind: String,
    /// The environment variable that holds the URL (never the URL itself).
    #[schemars(with = "EnvName")]
    pub url_env: String,
    /// The least severe event this sink takes: info, warning or critical (default info).
    #[schemars(with = "Option<Severity>")]
    pub min_severity: Option<String>,
}

/// Where overflow reads utilization.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    /// The on-prem Prometheus server.
    pub prometheus: Option<Prometheus>,
}

/// A Prometheus server; secrets only through `bearer_token_env`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Prometheus {
    /// `http(s)://host[:port][/prefix]`, without credentials or a query string.
    #[schemars(with = "PrometheusAddress")]
    pub address: String,
    /// Per query (default 5s).
    #[schemars(with = "Option<values::Duration>")]
    pub timeout: Option<String>,
    /// The environment variable that holds a bearer token.
    #[schemars(with = "Option<EnvName>")]
    pub bearer_token_env: Option<String>,
    /// Non-secret headers, like `X-Scope-OrgID: ops`.
    #[schemars(with = "Headers")]
    #[serde(default)]
    pub headers: IndexMap<String, String>,
    /// PEM CA certificates trusted besides the system's, relative to this file's folder.
    #[schemars(with = "Option<NotBlank>")]
    pub ca_file: Option<String>,
}

/// Overflow of one service: send the excess to AWS while the query stays high.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Overflow {
    /// PromQL giving one number (a scalar or a one-element vector).
    #[schemars(with = "NotBlank")]
    pub query: String,
    /// Enter overflow when the value is >= this for `for`.
    #[schemars(with = "Number")]
    pub above: Scalar,
    /// Leave overflow when the value is < this for `for`; below < above.
    #[schemars(with = "Number")]
    pub below: Scalar,
    /// How long a reading must stay beyond a threshold (default 0s).
    #[schemars(with = "Option<values::Duration>")]
    #[serde(rename = "for")]
    pub sustain: Option<String>,
    /// The overflow split, like the service's weights.
    #[schemars(with = "AlbWeights")]
    pub weights: IndexMap<String, Scalar>,
    /// What an empty answer, NaN or infinity means: hold (neither way) or normal (below).
    #[schemars(with = "Option<OnNoData>")]
    pub on_no_data: Option<String>,
}

/// Coordination between hosts that run hybridctl against the same deployment.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coordination {
    /// The DynamoDB table (3 to 255 letters, digits, `_`, `-`, `.`).
    #[schemars(with = "TableName")]
    pub dynamodb_table: String,
    /// The table's region, if not the topology's.
    #[schemars(with = "Option<Region>")]
    pub region: Option<String>,
    /// How long a lease lasts without renewal, 5s to 1h (like 2m; default 2m).
    #[schemars(with = "Option<values::Duration>")]
    pub lease: Option<String>,
}

/// Where the AWS calls go.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Aws {
    /// The AWS region (like ap-northeast-2); --region, AWS_REGION and AWS_DEFAULT_REGION win.
    #[schemars(with = "Option<Region>")]
    pub region: Option<String>,
    /// The AWS profile; --profile and AWS_PROFILE win.
    #[schemars(with = "Option<NotBlank>")]
    pub profile: Option<String>,
    /// An endpoint for every AWS call (a local lab or a VPC endpoint); leave out for AWS.
    #[schemars(with = "Option<EndpointUrl>")]
    pub endpoint_url: Option<String>,
    /// The account's ELBv2 Describe* rate limit, if AWS raised it (default: the documented
    /// 40-call burst, 10 a second). hybridctl paces itself to 90% of it.
    pub elbv2_describe_limit: Option<ApiLimit>,
}

/// An AWS API token bucket: a burst of calls at once, then a refill rate.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiLimit {
    /// Calls allowed at once (the bucket's size), 1..100000.
    #[schemars(with = "Whole<1, 100000>")]
    pub burst: Scalar,
    /// Calls a second once the burst is spent (the refill rate), 1..100000.
    #[schemars(with = "Whole<1, 100000>")]
    pub per_second: Scalar,
}

/// A place that serves traffic.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// onprem (a data centre reached over VPN or Direct Connect) or aws.
    #[schemars(with = "values::SiteKind")]
    pub kind: String,
    /// Free text for people.
    #[schemars(with = "Option<Text>")]
    pub description: Option<String>,
}

/// An ALB listener rule, or a listener's default action, that splits traffic between sites;
/// or (`dns`) Route 53 weighted records that do.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
// An ALB service (listener_arn and target_groups) or a dns service (dns, none of the three ALB
// keys); null reads as absent.
#[schemars(extend("oneOf" = [
    {
        "required": ["listener_arn", "target_groups"],
        "properties": {
            "listener_arn": {"not": {"type": "null"}},
            "target_groups": {"not": {"type": "null"}}
        },
        "anyOf": [
            {"not": {"required": ["dns"]}},
            {"properties": {"dns": {"type": "null"}}}
        ]
    },
    {
        "required": ["dns"],
        "properties": {"dns": {"not": {"type": "null"}}},
        "not": {"anyOf": [
            {"required": ["rule_arn"]},
            {"required": ["listener_arn"], "properties": {"listener_arn": {"not": {"type": "null"}}}},
            {"required": ["target_groups"], "properties": {"target_groups": {"not": {"type": "null"}}}}
        ]}
    }
]))]
pub struct Service {
    /// The ALB listener's ARN (ALB services; not with `dns`).
    #[serde(default)]
    #[schemars(with = "Option<ListenerArn>")]
    pub listener_arn: Option<String>,
    /// Route 53 weighted records that split the traffic (docs/dns.md): instead of
    /// listener_arn, rule_arn and target_groups.
    #[serde(default)]
    pub dns: Option<ServiceDns>,
    /// The listener rule's ARN; leave the key out to use the listener's default action.
    // `Some(None)`: the key is there without a value, refused rather than taken as absent.
    #[serde(default, deserialize_with = "present")]
    #[schemars(with = "RuleArn")]
    pub rule_arn: Option<Option<String>>,
    /// Site name -> target group ARN; 2 to 5 groups, each belonging to one site (ALB
    /// services; not with `dns`).
    #[serde(default)]
    #[schemars(with = "Option<TargetGroups>")]
    pub target_groups: Option<IndexMap<String, String>>,
    /// Site name -> normal weight (0..999 each for ALB services, 0..255 for dns services;
    /// relative, not all zero). failback restores it.
    #[schemars(with = "AlbWeights")]
    pub weights: IndexMap<String, Scalar>,
    /// AWS site name -> what to scale before that site takes more traffic (docs/capacity.md).
    #[serde(default)]
    pub capacity: Option<IndexMap<String, Capacity>>,
    /// Site name -> hybridctl's own HTTP check of that site (docs/watch.md): `watch` counts a
    /// failing probe of failover.from as a bad poll, and `status` shows each.
    #[schemars(with = "Option<Named<Probe, 0>>")]
    pub probes: Option<IndexMap<String, Probe>>,
}

/// An HTTP(S) GET that must answer an expected status: no redirects followed, TLS always
/// verified.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Probe {
    /// http(s)://host[:port]/path[?query], without credentials or a secret-looking query key.
    #[schemars(with = "values::ProbeUrl")]
    pub url: String,
    /// The passing status: one code (200) or a range (200..399, the default).
    #[schemars(with = "Option<values::StatusExpect>")]
    pub expect: Option<Scalar>,
    /// How long the answer may take, 100ms to 60s (default 2s).
    #[schemars(with = "Option<values::Duration>")]
    pub timeout: Option<String>,
    /// PEM CA certificates trusted besides the system's, relative to this file's folder.
    #[schemars(with = "Option<NotBlank>")]
    pub ca_file: Option<String>,
}

/// What carries an AWS site's share of a service, scaled before the site takes more traffic:
/// exactly one of `ecs_service` and `autoscaling_group`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
// Exactly one of the two is there and not null (null reads as absent).
#[schemars(extend("oneOf" = [
    {
        "required": ["ecs_service"],
        "properties": {"ecs_service": {"not": {"type": "null"}}},
        "anyOf": [
            {"not": {"required": ["autoscaling_group"]}},
            {"properties": {"autoscaling_group": {"type": "null"}}}
        ]
    },
    {
        "required": ["autoscaling_group"],
        "properties": {"autoscaling_group": {"not": {"type": "null"}}},
        "anyOf": [
            {"not": {"required": ["ecs_service"]}},
            {"properties": {"ecs_service": {"type": "null"}}}
        ]
    }
]))]
pub struct Capacity {
    /// The ECS service (arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME).
    // Not nullable in the schema: a key with no value does not name a scaler.
    #[serde(default)]
    #[schemars(with = "values::EcsServiceArn")]
    pub ecs_service: Option<String>,
    /// The EC2 Auto Scaling group's name.
    #[serde(default)]
    #[schemars(with = "values::AsgName")]
    pub autoscaling_group: Option<String>,
    /// Tasks or instances that carry 100 % of the service (1..10000); without it the need is
    /// scaled from what serves the site's current share.
    #[schemars(with = "Option<Whole<1, 10000>>")]
    pub full: Option<Scalar>,
    /// Multiplier on the computed need, 1 to 10 (default 1.0).
    #[schemars(with = "Option<values::Headroom>")]
    pub headroom: Option<Scalar>,
    /// How long to wait for the target group's healthy targets, 10s to 2h (default 10m).
    #[schemars(with = "Option<values::Duration>")]
    pub timeout: Option<String>,
    /// What failback does with the capacity: restore (default) or keep.
    #[schemars(with = "Option<values::ScaleBack>")]
    pub scale_back: Option<String>,
}

/// What failover and failback do, and their safety gates.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Failover {
    /// The site drained on failover.
    #[schemars(with = "Name")]
    pub from: String,
    /// The site that takes all traffic on failover.
    #[schemars(with = "Name")]
    pub to: String,
    /// The CloudWatch alarm that signals trouble at the `from` site.
    #[schemars(with = "Option<AlarmName>")]
    pub alarm: Option<String>,
    /// A site needs this many healthy targets to get traffic, 0..1000 (default 1).
    #[schemars(with = "Option<Whole<0, 1000>>")]
    pub min_healthy_targets: Option<Scalar>,
    /// failback waits until DMS lag is below this (like 30s; default 30s).
    #[schemars(with = "Option<values::Duration>")]
    pub max_cdc_latency: Option<String>,
    /// The `from` site's weight on the way back, increasing, 1..999; leave out for one step.
    #[schemars(with = "Option<List<Whole<1, 999>>>")]
    pub failback_steps: Option<Vec<Scalar>>,
}

/// DMS replication between the sites.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Replication {
    /// The DMS replication task's ARN.
    #[schemars(with = "DmsTaskArn")]
    pub dms_task_arn: String,
    /// The task's source database: exactly one of rds_instance, aurora_cluster, self_managed.
    pub source: Source,
    /// A live SQL session for `dms check-binlog`.
    pub sql: Option<Sql>,
}

/// The replication task's source database: exactly one key.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = [
    {
        "required": ["rds_instance"],
        "properties": { "rds_instance": { "type": ["string", "number", "boolean"] }, "aurora_cluster": { "type": "null" }, "self_managed": { "type": "null" } }
    },
    {
        "required": ["aurora_cluster"],
        "properties": { "aurora_cluster": { "type": ["string", "number", "boolean"] }, "rds_instance": { "type": "null" }, "self_managed": { "type": "null" } }
    },
    {
        "required": ["self_managed"],
        "properties": { "self_managed": { "enum": [true, "true"] }, "rds_instance": { "type": "null" }, "aurora_cluster": { "type": "null" } }
    }
]))]
pub struct Source {
    /// An RDS DB instance identifier.
    #[schemars(with = "Option<NotBlank>")]
    pub rds_instance: Option<String>,
    /// An Aurora DB cluster identifier.
    #[schemars(with = "Option<NotBlank>")]
    pub aurora_cluster: Option<String>,
    /// true: a database hybridctl cannot inspect through RDS (on-prem, EC2).
    #[schemars(with = "Option<OnlyTrue>")]
    pub self_managed: Option<Scalar>,
}

/// A SQL session to the source database. The password comes from an environment variable.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend(
    "if" = { "required": ["tls_ca_file"], "properties": { "tls_ca_file": { "not": { "type": "null" } } } },
    "then" = { "required": ["tls"], "properties": { "tls": { "enum": [true, "true"] } } }
))]
pub struct Sql {
    /// The database host name or address.
    #[schemars(with = "SqlHost")]
    pub host: String,
    /// The TCP port, 1..65535 (default 3306).
    #[schemars(with = "Option<Whole<1, 65535>>")]
    pub port: Option<Scalar>,
    /// The database user.
    #[schemars(with = "Text")]
    pub user: String,
    /// The name of the environment variable holding the password (never the password).
    #[schemars(with = "EnvName")]
    pub password_env: String,
    /// true: connect over TLS and verify the server's certificate (default false).
    #[schemars(with = "Option<Flag>")]
    pub tls: Option<Scalar>,
    /// A PEM file of CA certificates to trust for the server's certificate (a private CA),
    /// besides the public roots; relative to this file's folder. Needs tls: true.
    #[schemars(with = "Option<Text>")]
    pub tls_ca_file: Option<String>,
}

/// The disaster-recovery runbook.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dr {
    /// The DR region (like ap-southeast-1).
    #[schemars(with = "Region")]
    pub region: String,
    /// The Terraform (or OpenTofu) configuration that builds the DR stack.
    pub terraform: Option<Terraform>,
    /// The Route 53 weighted records that move users between regions.
    pub dns: Dns,
    /// Stage name -> set identifier -> Route 53 weight (0..255). Needs normal, building and
    /// recovered, each naming the same set identifiers.
    #[schemars(with = "Stages")]
    pub weights: IndexMap<String, IndexMap<String, Scalar>>,
    /// When the DR stack counts as ready for traffic.
    pub ready: Option<Ready>,
    /// Automatic DR (docs/dr.md): `watch` (and `lambda`) start `dr provision` when a signal
    /// holds for `for`, after a person's approval when required.
    pub auto: Option<DrAuto>,
}

/// Automatic DR: when, for how long, and who approves.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrAuto {
    /// The signals: any of them, sustained for `for`, starts the DR.
    pub when: DrWhen,
    /// How long a signal must hold, 0s to 24h (default 3m).
    #[schemars(with = "Option<values::Duration>")]
    #[serde(rename = "for")]
    pub sustain: Option<String>,
    /// A person approves (`hybridctl dr approve RUN_ID`) before the DR starts.
    pub approve: Option<DrApprove>,
    /// Provision without Terraform (the DR stack is built out of band). Required with
    /// dr.terraform for `lambda`, which cannot run Terraform (default false).
    #[schemars(with = "Option<Flag>")]
    pub skip_terraform: Option<Scalar>,
}

/// The signals of automatic DR: at least one.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("minProperties" = 1))]
pub struct DrWhen {
    /// A CloudWatch alarm (in aws.region) in ALARM.
    #[schemars(with = "Option<AlarmName>")]
    pub alarm: Option<String>,
    /// A SetIdentifier of dr.weights whose Route 53 health check fails (Route 53's 18 % rule).
    #[schemars(with = "Option<NotBlank>")]
    pub health_check_failing: Option<String>,
    /// hybridctl's own HTTP check, from this host.
    pub probe: Option<Probe>,
}

/// The approval of automatic DR.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrApprove {
    /// true: wait for `hybridctl dr approve RUN_ID`; needs coordination (default false).
    #[schemars(with = "Option<Flag>")]
    pub required: Option<Scalar>,
    /// How long to wait, 1m to 24h (default 15m).
    #[schemars(with = "Option<values::Duration>")]
    pub timeout: Option<String>,
    /// At the deadline: abort (default) or proceed.
    #[schemars(with = "Option<values::OnTimeout>")]
    pub on_timeout: Option<String>,
}

/// The Terraform configuration that builds the DR stack.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Terraform {
    /// The configuration's folder, relative to this file's folder.
    #[schemars(with = "NotBlank")]
    pub dir: String,
    /// The program: terraform or tofu (default terraform).
    #[schemars(with = "Option<Text>")]
    pub binary: Option<String>,
    /// Variables passed as -var NAME=VALUE (no secrets: use TF_VAR_* variables for those).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, Text>")]
    pub vars: IndexMap<String, String>,
}

/// The Route 53 weighted records.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dns {
    /// The hosted zone's id.
    #[schemars(with = "NotBlank")]
    pub zone_id: String,
    /// The record name (a trailing `.` is added when missing).
    #[schemars(with = "RecordName")]
    pub record: String,
    /// The record type: A, AAAA or CNAME.
    #[schemars(with = "values::RecordType")]
    #[serde(rename = "type")]
    pub record_type: String,
}

/// A dns service's weighted records: one name and type, one SetIdentifier per site.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceDns {
    /// The hosted zone's id (Z...).
    #[schemars(with = "NotBlank")]
    pub zone_id: String,
    /// The record name (a trailing `.` is added when missing).
    #[schemars(with = "RecordName")]
    pub record: String,
    /// The record type: A, AAAA or CNAME.
    #[schemars(with = "values::RecordType")]
    #[serde(rename = "type")]
    pub record_type: String,
    /// Site name -> SetIdentifier of that site's weighted record; 2 to 5 sites.
    #[schemars(with = "SetIds")]
    pub set_ids: IndexMap<String, String>,
}

/// When the DR stack is ready for traffic.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ready {
    /// The DR target group whose healthy targets are counted (in the DR region).
    #[schemars(with = "TargetGroupArn")]
    pub target_group_arn: String,
    /// Healthy targets needed, 0..1000 (default 1).
    #[schemars(with = "Option<Whole<0, 1000>>")]
    pub min_healthy_targets: Option<Scalar>,
    /// How long to wait for them (like 30m; default 30m).
    #[schemars(with = "Option<values::Duration>")]
    pub timeout: Option<String>,
}

/// An optional key that is there: `Some(None)` when it has no value (`key:` or `key: ~`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A value where the file wants a whole number or a boolean, taken as found: serde's own type
/// error names neither the key nor the range, so validation decides and says both.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Int(i64),
    Bool(bool),
    /// A number with a fraction (`0.8`); only fraction-valued keys accept it.
    Float(f64),
    /// Anything else (text, a fraction, a number beyond i64, a list, a mapping), described
    /// for when the file's own spelling is not at hand.
    Other(String),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or true/false")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(i64::try_from(v).map_or_else(|_| Scalar::Other(format!("`{v}`")), Scalar::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Scalar, E> {
        Ok(i64::try_from(v).map_or_else(|_| Scalar::Other(format!("`{v}`")), Scalar::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Scalar, E> {
        Ok(i64::try_from(v).map_or_else(|_| Scalar::Other(format!("`{v}`")), Scalar::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }
    /// Quoted `"30"` and `"true"` were accepted before (serde-saphyr parses them for i64 and
    /// bool targets), so they still are.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(match v {
            "true" => Scalar::Bool(true),
            "false" => Scalar::Bool(false),
            _ => v.parse().map_or_else(
                |_| {
                    v.parse::<f64>()
                        .ok()
                        .filter(|f| f.is_finite())
                        .map_or_else(|| Scalar::Other(format!("`{v}`")), Scalar::Float)
                },
                Scalar::Int,
            ),
        })
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other("no value".into()))
    }
    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        Scalar::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("a list".into()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("a mapping".into()))
    }
}
