//! ECS: the service that carries an AWS site (counts and the primary deployment's rollout), and
//! its desired count.

use aws_sdk_ecs::Client;

use super::{AwsResultExt, Service};
use crate::error::AwsError;

/// An ECS service as DescribeServices shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcsService {
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
    /// The PRIMARY deployment's rolloutState (IN_PROGRESS, COMPLETED, FAILED); None: not sent.
    pub rollout: Option<String>,
}

fn count(n: i32) -> u32 {
    n.max(0) as u32
}

/// One service; None when ECS does not know it (or it is INACTIVE: deleted).
pub async fn describe(
    client: &Client,
    cluster: &str,
    service: &str,
) -> Result<Option<EcsService>, AwsError> {
    let out = client
        .describe_services()
        .cluster(cluster)
        .services(service)
        .send()
        .await
        .aws(Service::Ecs, "DescribeServices")?;
    let Some(s) = out
        .services()
        .iter()
        .find(|s| s.status().is_none_or(|st| st != "INACTIVE"))
    else {
        return Ok(None);
    };
    let rollout = s
        .deployments()
        .iter()
        .find(|d| d.status() == Some("PRIMARY"))
        .and_then(|d| d.rollout_state())
        .map(|r| r.as_str().to_string());
    Ok(Some(EcsService {
        desired: count(s.desired_count()),
        running: count(s.running_count()),
        pending: count(s.pending_count()),
        rollout,
    }))
}

/// Sets the desired count.
pub async fn set_desired(
    client: &Client,
    cluster: &str,
    service: &str,
    desired: u32,
) -> Result<(), AwsError> {
    client
        .update_service()
        .cluster(cluster)
        .service(service)
        .desired_count(desired as i32)
        .send()
        .await
        .aws(Service::Ecs, "UpdateService")?;
    Ok(())
}
