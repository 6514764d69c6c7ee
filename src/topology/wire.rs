//! The topology file as written: serde structs, `deny_unknown_fields` everywhere, no flatten.
//! Values are kept loose (strings, i64) so that semantic validation can report every problem
//! with its path instead of stopping at the first type error.

use indexmap::IndexMap;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub version: i64,
    #[serde(default)]
    pub aws: Aws,
    pub sites: IndexMap<String, Site>,
    pub services: IndexMap<String, Service>,
    pub failover: Option<Failover>,
    pub replication: Option<Replication>,
    pub dr: Option<Dr>,
    pub journal: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aws {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    pub kind: String,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub listener_arn: String,
    pub rule_arn: Option<String>,
    pub target_groups: IndexMap<String, String>,
    pub weights: IndexMap<String, i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failover {
    pub from: String,
    pub to: String,
    pub alarm: Option<String>,
    pub min_healthy_targets: Option<i64>,
    pub max_cdc_latency: Option<String>,
    pub failback_steps: Option<Vec<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replication {
    pub dms_task_arn: String,
    pub source: Source,
    pub sql: Option<Sql>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub rds_instance: Option<String>,
    pub aurora_cluster: Option<String>,
    pub self_managed: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sql {
    pub host: String,
    pub port: Option<i64>,
    pub user: String,
    pub password_env: String,
    pub tls: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dr {
    pub region: String,
    pub terraform: Option<Terraform>,
    pub dns: Dns,
    pub weights: IndexMap<String, IndexMap<String, i64>>,
    pub ready: Option<Ready>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terraform {
    pub dir: String,
    pub binary: Option<String>,
    #[serde(default)]
    pub vars: IndexMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dns {
    pub zone_id: String,
    pub record: String,
    #[serde(rename = "type")]
    pub record_type: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ready {
    pub target_group_arn: String,
    pub min_healthy_targets: Option<i64>,
    pub timeout: Option<String>,
}
