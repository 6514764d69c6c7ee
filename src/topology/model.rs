//! The validated topology: what every command works from. Built only by `topology::load`.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use super::arn::Arn;

/// An ALB forward action's largest target group weight.
pub const MAX_ALB_WEIGHT: i64 = 999;
/// Route 53's largest record weight.
pub const MAX_R53_WEIGHT: i64 = 255;

#[derive(Debug, Clone, Serialize)]
pub struct Topology {
    /// The file it was read from; relative paths in it are relative to its folder.
    pub file: PathBuf,
    pub aws: AwsSettings,
    pub sites: Vec<Site>,
    pub services: Vec<Service>,
    pub failover: Option<Failover>,
    pub replication: Option<Replication>,
    pub dr: Option<Dr>,
    pub journal: Option<PathBuf>,
    /// The DynamoDB table for cross-host leases and the shared history; None: host-local
    /// locks and the local journal only.
    pub coordination: Option<Coordination>,
    /// `hybridctl watch`: when to fail over and back by itself.
    pub watch: Option<Watch>,
    /// Where notifications go (empty: nowhere).
    pub notify: Vec<NotifySink>,
    /// `metrics.prometheus`: where overflow reads utilization.
    pub prometheus: Option<Prometheus>,
    /// `overflow.<service>`, in the file's order; empty when the file has none.
    pub overflow: Vec<Overflow>,
    /// `drill:`: the drill's defaults and `watch`'s schedule; None: the defaults, no schedule.
    pub drill: Option<Drill>,
    /// Where each key path is in the file (line, column), for errors found after loading
    /// (an ARN AWS does not know).
    #[serde(skip)]
    pub locations: std::collections::HashMap<String, (u64, u64)>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AwsSettings {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// The account's ELBv2 Describe* bucket when AWS raised it; None: the documented one.
    pub elbv2_describe_limit: Option<ApiLimit>,
}

/// An AWS API token bucket as the account has it: `burst` calls at once, then `per_second`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ApiLimit {
    pub burst: u32,
    pub per_second: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteKind {
    Onprem,
    Aws,
}

#[derive(Debug, Clone, Serialize)]
pub struct Site {
    pub name: String,
    pub kind: SiteKind,
    pub description: Option<String>,
}

/// One ALB listener rule (or listener default action), or one set of Route 53 weighted
/// records, that splits traffic between sites.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub name: String,
    /// What carries the split.
    pub route: Route,
    /// In the file's order.
    pub targets: Vec<SiteTarget>,
    /// Per AWS site: what to scale before it takes more traffic (empty: nothing).
    pub capacity: Vec<Capacity>,
    /// `services.S.probes.SITE`: hybridctl's own HTTP check of a site, in the file's order.
    pub probes: Vec<Probe>,
}

/// An HTTP(S) GET that says whether users reach a site (`probes`, `dr.auto.when.probe`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Probe {
    /// The site it checks (empty for `dr.auto.when.probe`).
    pub site: String,
    pub url: String,
    /// The status codes that pass, inclusive (default 200..399).
    pub expect: (u16, u16),
    /// `expect` was written in the file: a 3xx it names passes. Otherwise a redirect fails
    /// (it is never followed, so the probe did not see what users see).
    pub expect_set: bool,
    #[serde(serialize_with = "secs_f")]
    pub timeout: Duration,
    /// PEM CA certificates trusted besides the system's.
    pub ca_file: Option<PathBuf>,
}

/// Where a service's weights live.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// An ALB forward action: a listener rule, or (rule None) the listener's default action.
    Alb {
        listener_arn: Arn,
        rule_arn: Option<Arn>,
    },
    /// Route 53 weighted records of one name and type, one SetIdentifier per site
    /// (`SiteTarget::set_id`).
    Dns(Dns),
}

impl Service {
    /// The listener and rule of an ALB service.
    pub fn alb(&self) -> Option<(&Arn, Option<&Arn>)> {
        match &self.route {
            Route::Alb {
                listener_arn,
                rule_arn,
            } => Some((listener_arn, rule_arn.as_ref())),
            Route::Dns(_) => None,
        }
    }

    /// What carries the weights, as the runbook locks, leases and journals it: the rule's or
    /// listener's ARN, or (dns services) `route53:ZONE:NAME:TYPE`.
    pub fn resource(&self) -> String {
        match &self.route {
            Route::Alb {
                listener_arn,
                rule_arn,
            } => rule_arn.as_ref().unwrap_or(listener_arn).to_string(),
            Route::Dns(d) => format!("route53:{}:{}:{}", d.zone_id, d.record, d.record_type),
        }
    }

    /// The key a site's health is kept under: its target group's ARN, or (dns services) the
    /// resource and the site's SetIdentifier.
    pub fn health_key(&self, t: &SiteTarget) -> String {
        match (t.target_group(), t.set_id()) {
            (Some(g), _) => g.to_string(),
            (None, id) => format!("{}#{}", self.resource(), id.unwrap_or_default()),
        }
    }

    /// The largest weight the service's route takes: 999 (ALB), 255 (Route 53).
    pub fn max_weight(&self) -> u32 {
        match self.route {
            Route::Alb { .. } => MAX_ALB_WEIGHT as u32,
            Route::Dns(_) => MAX_R53_WEIGHT as u32,
        }
    }

    /// The records of a dns service.
    pub fn dns(&self) -> Option<&Dns> {
        match &self.route {
            Route::Dns(d) => Some(d),
            Route::Alb { .. } => None,
        }
    }

    /// The probe of a site, if the service has one.
    pub fn probe(&self, site: &str) -> Option<&Probe> {
        self.probes.iter().find(|p| p.site == site)
    }
}

/// `services.S.capacity.SITE`: what carries an AWS site's share, scaled before the site takes
/// more traffic, and given back after failback.
#[derive(Debug, Clone, Serialize)]
pub struct Capacity {
    pub site: String,
    pub scaler: Scaler,
    /// Tasks or instances that carry 100 % of the service.
    pub full: Option<u32>,
    pub headroom: f64,
    #[serde(serialize_with = "secs")]
    pub timeout: Duration,
    pub scale_back: ScaleBack,
}

/// An ECS service or an EC2 Auto Scaling group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scaler {
    EcsService {
        arn: Arn,
        cluster: String,
        service: String,
    },
    AutoscalingGroup {
        name: String,
        region: String,
    },
}

impl Scaler {
    /// The resource's id for locks, leases and the journal: the ECS service's ARN, or
    /// `autoscaling:REGION:autoScalingGroupName/NAME`.
    pub fn id(&self) -> String {
        match self {
            Scaler::EcsService { arn, .. } => arn.to_string(),
            Scaler::AutoscalingGroup { name, region } => {
                format!("autoscaling:{region}:autoScalingGroupName/{name}")
            }
        }
    }

    /// `ECS prod/web`, `ASG web-asg`.
    pub fn describe(&self) -> String {
        match self {
            Scaler::EcsService {
                cluster, service, ..
            } => format!("ECS {cluster}/{service}"),
            Scaler::AutoscalingGroup { name, .. } => format!("ASG {name}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleBack {
    Restore,
    Keep,
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteTarget {
    pub site: String,
    /// What receives the site's share: a target group (ALB services) or a weighted record.
    pub via: Via,
    /// The normal weight; failback restores it.
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    TargetGroup(Arn),
    /// The SetIdentifier of the site's weighted record.
    SetId(String),
}

impl SiteTarget {
    /// The site's target group (ALB services).
    pub fn target_group(&self) -> Option<&Arn> {
        match &self.via {
            Via::TargetGroup(a) => Some(a),
            Via::SetId(_) => None,
        }
    }

    /// The site's SetIdentifier (dns services).
    pub fn set_id(&self) -> Option<&str> {
        match &self.via {
            Via::SetId(s) => Some(s),
            Via::TargetGroup(_) => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Failover {
    pub from: String,
    pub to: String,
    pub alarm: Option<String>,
    pub min_healthy_targets: u32,
    #[serde(serialize_with = "secs")]
    pub max_cdc_latency: Duration,
    /// Weights of the `from` site on the way back, e.g. [10, 25, 40]; empty = one step.
    pub failback_steps: Vec<u32>,
}

/// `drill:` (docs/drill.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drill {
    /// The % of traffic failover.to takes during the drill (100: a full failover).
    pub share: u32,
    #[serde(serialize_with = "secs")]
    pub hold: Duration,
    pub outcome_alarms: Vec<String>,
    pub blocking_alarms: Vec<String>,
    pub max_5xx_rate: Option<f64>,
    pub max_p99_seconds: Option<f64>,
    pub schedule: Option<DrillSchedule>,
}

impl Default for Drill {
    /// The defaults of an absent `drill:` section (topology::validate applies the same).
    fn default() -> Drill {
        Drill {
            share: 100,
            hold: Duration::from_secs(30 * 60),
            outcome_alarms: Vec::new(),
            blocking_alarms: Vec::new(),
            max_5xx_rate: None,
            max_p99_seconds: None,
            schedule: None,
        }
    }
}

/// `drill.schedule`: when `watch` starts drills.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrillSchedule {
    #[serde(serialize_with = "secs")]
    pub every: Duration,
    /// Empty: any time.
    pub allowed_windows: Vec<DrillWindow>,
    pub blocked_dates: Vec<Date>,
}

/// A weekly UTC window, in minutes since Monday 00:00; `end` before `start` wraps the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DrillWindow {
    pub start: u32,
    pub end: u32,
}

/// A UTC calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Replication {
    pub dms_task_arn: Arn,
    pub source: Source,
    pub sql: Option<Sql>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    RdsInstance(String),
    AuroraCluster(String),
    SelfManaged,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sql {
    pub host: String,
    pub port: u16,
    pub user: String,
    /// The name of the environment variable that holds the password, never the password.
    pub password_env: String,
    pub tls: bool,
    /// PEM CA certificates to trust for the server (a private CA), besides the public roots.
    pub tls_ca_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dr {
    pub region: String,
    pub terraform: Option<Terraform>,
    pub dns: Dns,
    /// Named stages in the file's order; every stage names the same set identifiers.
    pub stages: Vec<Stage>,
    pub ready: Option<Ready>,
    /// `dr.auto`: when `watch` (and `lambda`) start the provision by themselves.
    pub auto: Option<DrAuto>,
}

/// `dr.auto`: automatic DR, with an optional human approval.
#[derive(Debug, Clone, Serialize)]
pub struct DrAuto {
    /// `when.alarm`: a CloudWatch alarm in ALARM.
    pub alarm: Option<String>,
    /// `when.health_check_failing`: the SetIdentifier whose Route 53 health check fails.
    pub health_check_failing: Option<String>,
    /// `when.probe`: hybridctl's own HTTP check.
    pub probe: Option<Probe>,
    /// `for`: how long one of them must hold.
    #[serde(serialize_with = "secs")]
    pub sustain: Duration,
    pub approve: Option<Approve>,
    /// Provision without Terraform (the lambda: Route 53 to `building`, then people build).
    pub skip_terraform: bool,
}

/// `dr.auto.approve`.
#[derive(Debug, Clone, Serialize)]
pub struct Approve {
    pub required: bool,
    #[serde(serialize_with = "secs")]
    pub timeout: Duration,
    pub on_timeout: OnTimeout,
}

/// What an unanswered approval does at its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnTimeout {
    Abort,
    Proceed,
}

impl OnTimeout {
    pub fn as_str(self) -> &'static str {
        match self {
            OnTimeout::Abort => "abort",
            OnTimeout::Proceed => "proceed",
        }
    }
}

impl DrAuto {
    /// The approval in force, if one is required.
    pub fn approval(&self) -> Option<&Approve> {
        self.approve.as_ref().filter(|a| a.required)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Terraform {
    pub dir: PathBuf,
    pub binary: String,
    pub vars: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dns {
    pub zone_id: String,
    /// Fully qualified, with the trailing dot.
    pub record: String,
    pub record_type: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub name: String,
    /// SetIdentifier -> Route 53 weight.
    pub weights: Vec<(String, u8)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ready {
    pub target_group_arn: Arn,
    pub min_healthy_targets: u32,
    #[serde(serialize_with = "secs")]
    pub timeout: Duration,
}

fn secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_secs())
}

#[derive(Debug, Clone, Serialize)]
pub struct Coordination {
    pub dynamodb_table: String,
    /// None: aws.region (the deployment's).
    pub region: Option<String>,
    /// How long a lease lasts unless renewed; renewed while a change runs.
    #[serde(serialize_with = "secs")]
    pub lease: Duration,
}

/// How urgent a notification is; a sink takes events at or above its `min_severity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

/// What a notification sink speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SinkKind {
    /// A Slack incoming webhook: `{text, attachments}`.
    Slack,
    /// A generic JSON POST (docs/notify.md).
    Webhook,
}

impl SinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SinkKind::Slack => "slack",
            SinkKind::Webhook => "webhook",
        }
    }
}

/// One `notify:` entry.
#[derive(Debug, Clone, Serialize)]
pub struct NotifySink {
    pub kind: SinkKind,
    /// The environment variable that holds the URL, never the URL.
    pub url_env: String,
    pub min_severity: Severity,
}

/// Clocks of two hosts may differ this much: an expired lease is taken only this long after
/// its expiry.
pub const SKEW_MARGIN: Duration = Duration::from_secs(10);

/// `watch:`: the automatic failover's thresholds (defaults from Route 53, ALB and Argo Rollouts:
/// see docs/watch.md).
#[derive(Debug, Clone, Serialize)]
pub struct Watch {
    #[serde(serialize_with = "secs_f")]
    pub interval: Duration,
    /// Consecutive bad polls before a failover.
    pub fail_after: u32,
    /// Consecutive unknown polls before an alert (never an action).
    pub unknown_after: u32,
    /// No failback, automatic or suggested, sooner than this after a failover.
    #[serde(serialize_with = "secs")]
    pub hold: Duration,
    /// The from-site must be good this long before failback is ready.
    #[serde(serialize_with = "secs")]
    pub ok_for: Duration,
    pub auto_failback: bool,
    /// Automatic failovers per `window`; then the watcher latches.
    pub max_auto_failovers: u32,
    #[serde(serialize_with = "secs")]
    pub window: Duration,
    /// Where `/metrics`, `/healthz` and `/readyz` are served (None: nowhere).
    pub listen: Option<std::net::SocketAddr>,
    /// A non-loopback `listen` is allowed.
    pub listen_allow_remote: bool,
}

impl Default for Watch {
    /// The defaults of an empty `watch:` section (topology::validate applies the same).
    fn default() -> Watch {
        Watch {
            interval: Duration::from_secs(10),
            fail_after: 3,
            unknown_after: 4,
            hold: Duration::from_secs(30 * 60),
            ok_for: Duration::from_secs(15 * 60),
            auto_failback: false,
            max_auto_failovers: 1,
            window: Duration::from_secs(6 * 3600),
            listen: None,
            listen_allow_remote: false,
        }
    }
}

fn secs_f<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// The Prometheus server overflow queries. Secrets only through `bearer_token_env`.
#[derive(Debug, Clone, Serialize)]
pub struct Prometheus {
    /// `http(s)://host[:port][/prefix]`, without a trailing `/`; `/api/v1/query` is appended.
    pub address: String,
    #[serde(serialize_with = "secs")]
    pub timeout: Duration,
    /// The name of the variable holding the bearer token, never the token.
    pub bearer_token_env: Option<String>,
    /// Non-secret headers (`X-Scope-OrgID`), in the file's order.
    pub headers: Vec<(String, String)>,
    /// A PEM file of CA certificates trusted besides the system's.
    pub ca_file: Option<PathBuf>,
}

/// What an empty answer, NaN or an infinity means for overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnNoData {
    /// Counts neither way (like an error): the current state holds.
    Hold,
    /// Counts as below `below`: the cluster is treated as cool.
    Normal,
}

/// `overflow.<service>`: send the split `weights` while the query stays high.
#[derive(Debug, Clone, Serialize)]
pub struct Overflow {
    pub service: String,
    pub query: String,
    /// Enter when the value is >= above for `sustain`.
    pub above: f64,
    /// Leave when the value is < below for `sustain`; below < above.
    pub below: f64,
    /// `for:` in the file.
    #[serde(serialize_with = "secs")]
    pub sustain: Duration,
    /// Site -> ALB weight while in overflow, in the service's target order.
    pub weights: Vec<(String, u32)>,
    pub on_no_data: OnNoData,
}

impl Topology {
    /// The overflow configuration of a service, if it has one.
    pub fn overflow_of(&self, service: &str) -> Option<&Overflow> {
        self.overflow.iter().find(|o| o.service == service)
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    /// `FILE:LINE:COL: KEY` for a key path (just `FILE: KEY` when its place is unknown).
    pub fn at(&self, key: &str) -> String {
        match self.locations.get(key) {
            Some((line, col)) => format!("{}:{line}:{col}: {key}", self.file.display()),
            None => format!("{}: {key}", self.file.display()),
        }
    }
}
