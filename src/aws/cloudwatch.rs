//! CloudWatch: alarm state (DescribeAlarms, 100 names a call) and DMS CDC latency metrics.

use aws_sdk_cloudwatch::Client;

use super::state::aws_state;
use super::{AwsResultExt, Service, rfc3339};
use crate::error::AwsError;

aws_state! {
    /// A CloudWatch alarm's `StateValue`.
    pub enum AlarmState (missing = "UNKNOWN") {
        Ok = "OK",
        Alarm = "ALARM",
        InsufficientData = "INSUFFICIENT_DATA",
    }
}

pub const ALARMS_PER_CALL: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    pub name: String,
    /// None: AWS sent no state.
    pub state: Option<AlarmState>,
    pub reason: Option<String>,
    /// RFC 3339
    pub since: Option<String>,
    pub since_epoch: Option<i64>,
}

impl Alarm {
    /// The state as AWS spells it (`MISSING` when it sent none), for messages.
    pub fn state_text(&self) -> &str {
        AlarmState::text(self.state.as_ref())
    }
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
            state: a.state_value().map(|s| AlarmState::from_aws(s.as_str())),
            reason: a.state_reason().map(str::to_string),
            since: a.state_updated_timestamp().map(rfc3339),
            since_epoch: a.state_updated_timestamp().map(|t| t.secs()),
        }));
    }
    Ok(out)
}

/// The latest DMS CDC latency (seconds) of a task over the last `window`, source and target,
/// in one GetMetricData call. Metrics Insights filters on the task identifier alone, so the
/// replication instance identifier (the metric's other dimension) need not be looked up.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CdcLatency {
    pub source_seconds: Option<f64>,
    pub target_seconds: Option<f64>,
}

pub async fn cdc_latency(
    client: &Client,
    task_identifier: &str,
    window: std::time::Duration,
) -> Result<CdcLatency, AwsError> {
    use aws_sdk_cloudwatch::primitives::DateTime;
    use aws_sdk_cloudwatch::types::{MetricDataQuery, ScanBy};

    let now = std::time::SystemTime::now();
    let query = |id: &str, metric: &str| {
        MetricDataQuery::builder()
            .id(id)
            .expression(format!(
                "SELECT MAX({metric}) FROM SCHEMA(\"AWS/DMS\", ReplicationInstanceIdentifier, ReplicationTaskIdentifier) \
                 WHERE ReplicationTaskIdentifier = '{}'",
                task_identifier.replace('\'', "")
            ))
            .period(60)
            .build()
    };
    let resp = client
        .get_metric_data()
        .metric_data_queries(query("source", "CDCLatencySource"))
        .metric_data_queries(query("target", "CDCLatencyTarget"))
        .start_time(DateTime::from(now - window))
        .end_time(DateTime::from(now))
        .scan_by(ScanBy::TimestampDescending)
        .send()
        .await
        .aws(Service::CloudWatch, "GetMetricData")?;
    let latest = |id: &str| {
        resp.metric_data_results()
            .iter()
            .find(|r| r.id() == Some(id))
            .and_then(|r| r.values().first().copied())
    };
    Ok(CdcLatency {
        source_seconds: latest("source"),
        target_seconds: latest("target"),
    })
}

/// What `target_group_metrics` read.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TargetGroupMetrics {
    pub requests: f64,
    pub errors_5xx: f64,
    /// The highest per-period p99 (None: no datapoint).
    pub p99_seconds: Option<f64>,
}

/// An ALB target group's metrics over `[start, end)` (epoch seconds) in one GetMetricData
/// call: the sums of HTTPCode_Target_5XX_Count and RequestCount, and the highest per-minute
/// TargetResponseTime p99. `target_group` and `load_balancer` are the metric dimensions
/// (`targetgroup/NAME/ID`, `app/NAME/ID`).
pub async fn target_group_metrics(
    client: &Client,
    target_group: &str,
    load_balancer: &str,
    (start, end): (i64, i64),
) -> Result<TargetGroupMetrics, AwsError> {
    use aws_sdk_cloudwatch::primitives::DateTime;
    use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};

    let query = |id: &str, metric: &str, stat: &str| {
        let m = Metric::builder()
            .namespace("AWS/ApplicationELB")
            .metric_name(metric)
            .dimensions(
                Dimension::builder()
                    .name("TargetGroup")
                    .value(target_group)
                    .build(),
            )
            .dimensions(
                Dimension::builder()
                    .name("LoadBalancer")
                    .value(load_balancer)
                    .build(),
            )
            .build();
        MetricDataQuery::builder()
            .id(id)
            .metric_stat(
                MetricStat::builder()
                    .metric(m)
                    .period(60)
                    .stat(stat)
                    .build(),
            )
            .build()
    };
    let resp = client
        .get_metric_data()
        .metric_data_queries(query("e5xx", "HTTPCode_Target_5XX_Count", "Sum"))
        .metric_data_queries(query("requests", "RequestCount", "Sum"))
        .metric_data_queries(query("p99", "TargetResponseTime", "p99"))
        .start_time(DateTime::from_secs(start))
        .end_time(DateTime::from_secs(end.max(start + 1)))
        .send()
        .await
        .aws(Service::CloudWatch, "GetMetricData")?;
    let values = |id: &str| -> Vec<f64> {
        resp.metric_data_results()
            .iter()
            .find(|r| r.id() == Some(id))
            .map(|r| r.values().to_vec())
            .unwrap_or_default()
    };
    Ok(TargetGroupMetrics {
        requests: values("requests").iter().sum(),
        errors_5xx: values("e5xx").iter().sum(),
        p99_seconds: values("p99").into_iter().reduce(f64::max),
    })
}
