//! RDS: the DMS source instance (status, backups, parameter groups) and parameter values.

use aws_sdk_rds::Client;

use super::state::aws_state;
use super::{AwsResultExt, Service};
use crate::error::AwsError;

aws_state! {
    /// Whether a parameter group's values are in effect: an instance's
    /// `DBParameterGroups[].ParameterApplyStatus`, an Aurora member's
    /// `DBClusterParameterGroupStatus`.
    pub enum ParameterApplyStatus (missing = "unknown") {
        InSync = "in-sync",
        Applying = "applying",
        PendingReboot = "pending-reboot",
        FailedToApply = "failed-to-apply",
        PendingDatabaseUpgrade = "pending-database-upgrade",
    }
}

impl ParameterApplyStatus {
    /// Saved in the group but not in effect on the instance.
    pub fn is_not_applied(&self) -> bool {
        matches!(
            self,
            ParameterApplyStatus::PendingReboot
                | ParameterApplyStatus::FailedToApply
                | ParameterApplyStatus::PendingDatabaseUpgrade
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    pub id: String,
    /// `DBInstanceStatus` (available, backing-up, ...), shown as AWS sends it; None: not sent.
    pub status: Option<String>,
    pub engine: String,
    pub engine_version: String,
    pub backup_retention_days: i32,
    pub parameter_groups: Vec<ParameterGroupStatus>,
    pub address: Option<String>,
    pub read_replica_source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterGroupStatus {
    pub name: String,
    /// None: AWS sent no apply status.
    pub apply_status: Option<ParameterApplyStatus>,
}

pub async fn describe_instance(client: &Client, id: &str) -> Result<Instance, AwsError> {
    let resp = client
        .describe_db_instances()
        .db_instance_identifier(id)
        .send()
        .await
        .aws(Service::Rds, "DescribeDBInstances")?;
    let db = resp.db_instances().first().ok_or_else(|| AwsError {
        service: "rds",
        operation: "DescribeDBInstances",
        code: Some("DBInstanceNotFound".into()),
        message: format!("no DB instance `{id}` in the answer"),
        request_id: None,
        hint: None,
    })?;
    Ok(Instance {
        id: db.db_instance_identifier().unwrap_or(id).to_string(),
        status: db.db_instance_status().map(str::to_string),
        engine: db.engine().unwrap_or_default().to_string(),
        engine_version: db.engine_version().unwrap_or_default().to_string(),
        backup_retention_days: db.backup_retention_period().unwrap_or(0),
        parameter_groups: db
            .db_parameter_groups()
            .iter()
            .map(|g| ParameterGroupStatus {
                name: g.db_parameter_group_name().unwrap_or_default().to_string(),
                apply_status: g
                    .parameter_apply_status()
                    .map(ParameterApplyStatus::from_aws),
            })
            .collect(),
        address: db.endpoint().and_then(|e| e.address()).map(str::to_string),
        read_replica_source: db
            .read_replica_source_db_instance_identifier()
            .map(str::to_string),
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub name: String,
    pub value: Option<String>,
    /// user, system or engine-default
    pub source: Option<String>,
    pub apply_method: Option<String>,
}

impl From<&aws_sdk_rds::types::Parameter> for Parameter {
    fn from(p: &aws_sdk_rds::types::Parameter) -> Self {
        Parameter {
            name: p.parameter_name().unwrap_or_default().to_string(),
            value: p.parameter_value().map(str::to_string),
            source: p.source().map(str::to_string),
            apply_method: p.apply_method().map(|m| m.as_str().to_string()),
        }
    }
}

/// Every parameter AWS returns for the group, all pages.
pub async fn parameters(client: &Client, group: &str) -> Result<Vec<Parameter>, AwsError> {
    let mut out = Vec::new();
    let mut pages = client
        .describe_db_parameters()
        .db_parameter_group_name(group)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.aws(Service::Rds, "DescribeDBParameters")?;
        out.extend(page.parameters().iter().map(Parameter::from));
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub id: String,
    pub engine: String,
    pub engine_version: String,
    /// provisioned, serverless (v1), ...
    pub engine_mode: Option<String>,
    pub parameter_group: String,
    pub endpoint: Option<String>,
    pub reader_endpoint: Option<String>,
    pub members: Vec<ClusterMember>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterMember {
    pub instance: String,
    pub writer: bool,
    /// None: AWS sent no status.
    pub parameter_group_status: Option<ParameterApplyStatus>,
}

pub async fn describe_cluster(client: &Client, id: &str) -> Result<Cluster, AwsError> {
    let resp = client
        .describe_db_clusters()
        .db_cluster_identifier(id)
        .send()
        .await
        .aws(Service::Rds, "DescribeDBClusters")?;
    let c = resp.db_clusters().first().ok_or_else(|| AwsError {
        service: "rds",
        operation: "DescribeDBClusters",
        code: Some("DBClusterNotFoundFault".into()),
        message: format!("no DB cluster `{id}` in the answer"),
        request_id: None,
        hint: None,
    })?;
    Ok(Cluster {
        id: c.db_cluster_identifier().unwrap_or(id).to_string(),
        engine: c.engine().unwrap_or_default().to_string(),
        engine_version: c.engine_version().unwrap_or_default().to_string(),
        engine_mode: c.engine_mode().map(str::to_string),
        parameter_group: c
            .db_cluster_parameter_group()
            .unwrap_or_default()
            .to_string(),
        endpoint: c.endpoint().map(str::to_string),
        reader_endpoint: c.reader_endpoint().map(str::to_string),
        members: c
            .db_cluster_members()
            .iter()
            .map(|m| ClusterMember {
                instance: m.db_instance_identifier().unwrap_or_default().to_string(),
                writer: m.is_cluster_writer().unwrap_or(false),
                parameter_group_status: m
                    .db_cluster_parameter_group_status()
                    .map(ParameterApplyStatus::from_aws),
            })
            .collect(),
    })
}

/// Every parameter of a cluster parameter group, all pages.
pub async fn cluster_parameters(client: &Client, group: &str) -> Result<Vec<Parameter>, AwsError> {
    let mut out = Vec::new();
    let mut pages = client
        .describe_db_cluster_parameters()
        .db_cluster_parameter_group_name(group)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.aws(Service::Rds, "DescribeDBClusterParameters")?;
        out.extend(page.parameters().iter().map(Parameter::from));
    }
    Ok(out)
}
