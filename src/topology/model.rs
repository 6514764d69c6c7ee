//! The validated topology: what every command works from. Built only by `topology::load`.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use super::arn::Arn;

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

/// One ALB listener rule (or listener default action) that splits traffic between sites.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub name: String,
    pub listener_arn: Arn,
    /// None: the listener's default action.
    pub rule_arn: Option<Arn>,
    /// In the file's order.
    pub targets: Vec<SiteTarget>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteTarget {
    pub site: String,
    pub target_group_arn: Arn,
    /// The normal weight; failback restores it.
    pub weight: u32,
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

impl Topology {
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
