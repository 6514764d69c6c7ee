//! DMS: replication task state.

use aws_sdk_databasemigration::Client;
use aws_sdk_databasemigration::types::Filter;

use super::state::aws_state;
use super::{AwsResultExt, Service};
use crate::error::AwsError;

aws_state! {
    /// A replication task's `Status` (DescribeReplicationTasks).
    pub enum TaskStatus (missing = "unknown") {
        Creating = "creating",
        Ready = "ready",
        Starting = "starting",
        Running = "running",
        Stopping = "stopping",
        Stopped = "stopped",
        Failed = "failed",
        Modifying = "modifying",
        Moving = "moving",
        FailedMove = "failed-move",
        Testing = "testing",
        Deleting = "deleting",
    }
}

aws_state! {
    /// The last connection test's `Status` (DescribeConnections).
    pub enum ConnectionStatus (missing = "unknown") {
        Successful = "successful",
        Testing = "testing",
        Failed = "failed",
        Deleting = "deleting",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub arn: String,
    pub id: String,
    /// None: AWS sent no status.
    pub status: Option<TaskStatus>,
    pub stop_reason: Option<String>,
    pub last_failure_message: Option<String>,
    pub migration_type: Option<String>,
    pub source_endpoint_arn: Option<String>,
    pub replication_instance_arn: Option<String>,
    pub recovery_checkpoint: Option<String>,
}

pub async fn describe_task(client: &Client, arn: &str) -> Result<Option<Task>, AwsError> {
    let resp = client
        .describe_replication_tasks()
        .filters(filter(
            "replication-task-arn",
            arn,
            "DescribeReplicationTasks",
        )?)
        .without_settings(true)
        .send()
        .await
        .aws(Service::Dms, "DescribeReplicationTasks")?;
    Ok(resp.replication_tasks().first().map(|t| Task {
        arn: t.replication_task_arn().unwrap_or_default().to_string(),
        id: t
            .replication_task_identifier()
            .unwrap_or_default()
            .to_string(),
        status: t.status().map(TaskStatus::from_aws),
        stop_reason: t
            .stop_reason()
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        last_failure_message: t
            .last_failure_message()
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        migration_type: t.migration_type().map(|m| m.as_str().to_string()),
        source_endpoint_arn: t.source_endpoint_arn().map(str::to_string),
        replication_instance_arn: t.replication_instance_arn().map(str::to_string),
        recovery_checkpoint: t.recovery_checkpoint().map(str::to_string),
    }))
}

/// The source endpoint as DMS knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub arn: String,
    pub engine: String,
    pub server: Option<String>,
    pub port: Option<i32>,
    pub username: Option<String>,
    /// none, require, verify-ca, verify-full
    pub ssl_mode: Option<String>,
}

fn filter(name: &str, value: &str, operation: &'static str) -> Result<Filter, AwsError> {
    Filter::builder()
        .name(name)
        .values(value)
        .build()
        .map_err(|e| AwsError {
            service: "dms",
            operation,
            code: None,
            message: e.to_string(),
            request_id: None,
            hint: None,
        })
}

pub async fn describe_endpoint(client: &Client, arn: &str) -> Result<Option<Endpoint>, AwsError> {
    let resp = client
        .describe_endpoints()
        .filters(filter("endpoint-arn", arn, "DescribeEndpoints")?)
        .send()
        .await
        .aws(Service::Dms, "DescribeEndpoints")?;
    Ok(resp.endpoints().first().map(|e| Endpoint {
        arn: e.endpoint_arn().unwrap_or(arn).to_string(),
        engine: e.engine_name().unwrap_or_default().to_string(),
        server: e.server_name().map(str::to_string),
        port: e.port(),
        username: e.username().map(str::to_string),
        ssl_mode: e.ssl_mode().map(|m| m.as_str().to_string()),
    }))
}

/// The replication instance's DMS engine version (e.g. 3.5.3).
pub async fn instance_engine_version(
    client: &Client,
    arn: &str,
) -> Result<Option<String>, AwsError> {
    let resp = client
        .describe_replication_instances()
        .filters(filter(
            "replication-instance-arn",
            arn,
            "DescribeReplicationInstances",
        )?)
        .send()
        .await
        .aws(Service::Dms, "DescribeReplicationInstances")?;
    Ok(resp
        .replication_instances()
        .first()
        .and_then(|i| i.engine_version())
        .map(str::to_string))
}

impl Task {
    /// The status as AWS spells it (`MISSING` when it sent none), for messages.
    pub fn status_text(&self) -> &str {
        TaskStatus::text(self.status.as_ref())
    }
}

/// The last connection test of an endpoint: its status and failure message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// None: AWS sent no status.
    pub status: Option<ConnectionStatus>,
    pub last_failure_message: Option<String>,
}

pub async fn connection(
    client: &Client,
    endpoint_arn: &str,
) -> Result<Option<Connection>, AwsError> {
    let resp = client
        .describe_connections()
        .filters(filter("endpoint-arn", endpoint_arn, "DescribeConnections")?)
        .send()
        .await
        .aws(Service::Dms, "DescribeConnections")?;
    Ok(resp.connections().first().map(|c| Connection {
        status: c.status().map(ConnectionStatus::from_aws),
        last_failure_message: c
            .last_failure_message()
            .filter(|m| !m.is_empty())
            .map(str::to_string),
    }))
}
