//! Application Auto Scaling: an ECS service's scalable target (`ecs:service:DesiredCount`),
//! whose MinCapacity keeps the service's own scaling policy from scaling it in below it.

use aws_sdk_applicationautoscaling::Client;
use aws_sdk_applicationautoscaling::types::{ScalableDimension, ServiceNamespace};

use super::{AwsResultExt, Service};
use crate::error::AwsError;

/// `service/CLUSTER/NAME`, the scalable target's resource id.
pub fn resource_id(cluster: &str, service: &str) -> String {
    format!("service/{cluster}/{service}")
}

/// The scalable target's (min, max); None when the service has none.
pub async fn target(client: &Client, resource_id: &str) -> Result<Option<(u32, u32)>, AwsError> {
    let out = client
        .describe_scalable_targets()
        .service_namespace(ServiceNamespace::Ecs)
        .resource_ids(resource_id)
        .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
        .send()
        .await
        .aws(Service::ApplicationAutoScaling, "DescribeScalableTargets")?;
    Ok(out.scalable_targets().first().map(|t| {
        (
            t.min_capacity().max(0) as u32,
            t.max_capacity().max(0) as u32,
        )
    }))
}

/// Sets the scalable target's min and max (an existing target: only what is given changes).
pub async fn set(client: &Client, resource_id: &str, min: u32, max: u32) -> Result<(), AwsError> {
    client
        .register_scalable_target()
        .service_namespace(ServiceNamespace::Ecs)
        .resource_id(resource_id)
        .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
        .min_capacity(min as i32)
        .max_capacity(max as i32)
        .send()
        .await
        .aws(Service::ApplicationAutoScaling, "RegisterScalableTarget")?;
    Ok(())
}
