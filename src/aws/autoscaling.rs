//! EC2 Auto Scaling: the group that carries an AWS site, its sizes and its instances.

use aws_sdk_autoscaling::Client;

use super::{AwsResultExt, Service};
use crate::error::AwsError;

/// An Auto Scaling group as DescribeAutoScalingGroups shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub min: u32,
    pub desired: u32,
    pub max: u32,
    /// Instances in service.
    pub in_service: u32,
    /// Instances on their way in (Pending*).
    pub pending: u32,
}

fn count(n: Option<i32>) -> u32 {
    n.unwrap_or(0).max(0) as u32
}

/// One group; None when Auto Scaling does not know it.
pub async fn describe(client: &Client, name: &str) -> Result<Option<Group>, AwsError> {
    let out = client
        .describe_auto_scaling_groups()
        .auto_scaling_group_names(name)
        .send()
        .await
        .aws(Service::AutoScaling, "DescribeAutoScalingGroups")?;
    Ok(out.auto_scaling_groups().first().map(|g| {
        let state = |prefix: &str| {
            g.instances()
                .iter()
                .filter(|i| {
                    i.lifecycle_state()
                        .is_some_and(|s| s.as_str().starts_with(prefix))
                })
                .count() as u32
        };
        Group {
            min: count(g.min_size()),
            desired: count(g.desired_capacity()),
            max: count(g.max_size()),
            in_service: state("InService"),
            pending: state("Pending"),
        }
    }))
}

/// Sets min, desired and max.
pub async fn set(
    client: &Client,
    name: &str,
    min: u32,
    desired: u32,
    max: u32,
) -> Result<(), AwsError> {
    client
        .update_auto_scaling_group()
        .auto_scaling_group_name(name)
        .min_size(min as i32)
        .desired_capacity(desired as i32)
        .max_size(max as i32)
        .send()
        .await
        .aws(Service::AutoScaling, "UpdateAutoScalingGroup")?;
    Ok(())
}
