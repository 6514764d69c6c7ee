//! CloudWatch: alarm state (DescribeAlarms, 100 names a call) and DMS CDC latency metrics.

use aws_sdk_cloudwatch::Client;
use serde::Serialize;

use super::{AwsResultExt, Service, rfc3339};
use crate::error::AwsError;

pub const ALARMS_PER_CALL: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alarm {
    pub name: String,
    /// OK, ALARM or INSUFFICIENT_DATA
    pub state: String,
    pub reason: Option<String>,
    /// RFC 3339
    pub since: Option<String>,
    #[serde(skip)]
    pub since_epoch: Option<i64>,
}

pub async fn describe_alarms(client: &Client, names: &[String]) -> Result<Vec<Alarm>, AwsError> {
    let mut out = Vec::new();
    for chunk in names.chunks(ALARMS_PER_CALL) {
        let resp = client
            .describe_alarms()
            .set_alarm_names(Some(chunk.to_vec()))
            .send()
            .await
            .aws(Service::CloudWatch, "DescribeAlarms")?;
        out.extend(resp.metric_alarms().iter().map(|a| Alarm {
            name: a.alarm_name().unwrap_or_default().to_string(),
            state: a
                .state_value()
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "UNKNOWN".into()),
            reason: a.state_reason().map(str::to_string),
            since: a.state_updated_timestamp().map(rfc3339),
            since_epoch: a.state_updated_timestamp().map(|t| t.secs()),
        }));
    }
    Ok(out)
}
