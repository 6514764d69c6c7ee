//! EC2: the CIDR blocks of a VPC (`init` tells on-prem IP targets from AWS ones by them).

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::VpcCidrBlockStateCode;

use super::{AwsResultExt, Service};
use crate::error::AwsError;

/// Every IPv4 CIDR block associated with the VPC (the primary and the secondary ones, not those
/// being or already disassociated); empty when the VPC does not exist.
pub async fn vpc_cidrs(client: &Client, vpc_id: &str) -> Result<Vec<String>, AwsError> {
    let resp = client
        .describe_vpcs()
        .vpc_ids(vpc_id)
        .send()
        .await
        .aws(Service::Ec2, "DescribeVpcs")?;
    let mut out = Vec::new();
    for vpc in resp.vpcs() {
        let associated = vpc.cidr_block_association_set().iter().filter(|a| {
            a.cidr_block_state()
                .and_then(|s| s.state())
                .is_none_or(|s| matches!(s, VpcCidrBlockStateCode::Associated))
        });
        for a in associated {
            if let Some(c) = a.cidr_block()
                && !out.iter().any(|x| x == c)
            {
                out.push(c.to_string());
            }
        }
        if let Some(c) = vpc.cidr_block()
            && !out.iter().any(|x| x == c)
        {
            out.push(c.to_string());
        }
    }
    Ok(out)
}
