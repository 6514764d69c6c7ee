//! DMS: replication task state.

use aws_sdk_databasemigration::Client;
use aws_sdk_databasemigration::types::Filter;
use serde::Serialize;

use super::{AwsResultExt, Service};
use crate::error::AwsError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    pub arn: String,
    pub id: String,
    pub status: String,
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
        .filters(
            Filter::builder()
                .name("replication-task-arn")
                .values(arn)
                .build()
                .map_err(|e| AwsError {
                    service: "dms",
                    operation: "DescribeReplicationTasks",
                    code: None,
                    message: e.to_string(),
                    request_id: None,
                    hint: None,
                })?,
        )
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
        status: t.status().unwrap_or("unknown").to_string(),
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
