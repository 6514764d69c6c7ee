//! Route 53: the weighted records of the DR name, and health check status.

use aws_sdk_route53::Client;
use aws_sdk_route53::types::{ResourceRecordSet, RrType};
use serde::Serialize;

use super::{AwsResultExt, Service};
use crate::error::AwsError;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedRecord {
    /// None: not a weighted record (the DR commands refuse such a name).
    pub set_identifier: Option<String>,
    /// None: no weight (not a weighted record).
    pub weight: Option<i64>,
    pub ttl: Option<i64>,
    pub health_check_id: Option<String>,
    /// The record as AWS holds it, so a weight change can send everything else back unchanged.
    #[serde(skip)]
    pub raw: ResourceRecordSet,
}

impl WeightedRecord {
    /// This record is `id` with `weight`.
    pub fn is(&self, id: &str, weight: i64) -> bool {
        self.set_identifier.as_deref() == Some(id) && self.weight == Some(weight)
    }

    /// The SetIdentifier, or `(none)` for a person.
    pub fn name(&self) -> &str {
        self.set_identifier.as_deref().unwrap_or("(none)")
    }
}

/// Records named `name` of type `record_type`, from one ListResourceRecordSets page (more
/// pages only when the name has more than 300 records). Records without a SetIdentifier or
/// weight come back with those fields None, for the caller to refuse.
pub async fn weighted_records(
    client: &Client,
    zone_id: &str,
    name: &str,
    record_type: &str,
) -> Result<Vec<WeightedRecord>, AwsError> {
    let rr_type = RrType::from(record_type);
    let mut out = Vec::new();
    let mut start_name = name.to_string();
    let mut start_type = rr_type.clone();
    let mut start_id: Option<String> = None;
    loop {
        let resp = client
            .list_resource_record_sets()
            .hosted_zone_id(zone_id)
            .start_record_name(&start_name)
            .start_record_type(start_type.clone())
            .set_start_record_identifier(start_id.clone())
            .send()
            .await
            .aws(Service::Route53, "ListResourceRecordSets")?;
        let mut past = false;
        for r in resp.resource_record_sets() {
            if !same_name(r.name(), name) || r.r#type() != &rr_type {
                past = true;
                break;
            }
            out.push(WeightedRecord {
                set_identifier: r.set_identifier().map(str::to_string),
                weight: r.weight(),
                ttl: r.ttl(),
                health_check_id: r.health_check_id().map(str::to_string),
                raw: r.clone(),
            });
        }
        if past || !resp.is_truncated() {
            break;
        }
        match (resp.next_record_name(), resp.next_record_type()) {
            (Some(n), Some(t)) => {
                start_name = n.to_string();
                start_type = t.clone();
                start_id = resp.next_record_identifier().map(str::to_string);
            }
            _ => break,
        }
    }
    Ok(out)
}

/// The types of the weighted records (those with a SetIdentifier) that exist for `name` in the
/// zone (one page: a name has few), to say what is there when the configured type is not.
pub async fn record_types(
    client: &Client,
    zone_id: &str,
    name: &str,
) -> Result<Vec<String>, AwsError> {
    let resp = client
        .list_resource_record_sets()
        .hosted_zone_id(zone_id)
        .start_record_name(name)
        .send()
        .await
        .aws(Service::Route53, "ListResourceRecordSets")?;
    let mut types: Vec<String> = resp
        .resource_record_sets()
        .iter()
        .filter(|r| same_name(r.name(), name) && r.set_identifier().is_some())
        .map(|r| r.r#type().as_str().to_string())
        .collect();
    types.dedup();
    Ok(types)
}

/// Route 53 lists names in lower case with `*` escaped as `\052`; compared as DNS does.
fn same_name(a: &str, b: &str) -> bool {
    let plain = |s: &str| s.trim_end_matches('.').replace("\\052", "*");
    plain(a).eq_ignore_ascii_case(&plain(b))
}

/// How many of Route 53's health checkers report success for a health check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkers {
    pub success: u32,
    pub total: u32,
}

impl Checkers {
    /// Route 53's own rule: healthy while more than 18% of its checkers report success (AWS
    /// docs, "How Amazon Route 53 determines whether a health check is healthy").
    pub fn healthy(self) -> bool {
        u64::from(self.success) * 100 > u64::from(self.total) * 18
    }

    /// `13/15 checkers report success`.
    pub fn describe(self) -> String {
        format!("{}/{} checkers report success", self.success, self.total)
    }
}

/// Each checker's last observation, counted.
pub async fn health_check_status(client: &Client, id: &str) -> Result<Checkers, AwsError> {
    let resp = client
        .get_health_check_status()
        .health_check_id(id)
        .send()
        .await
        .aws(Service::Route53, "GetHealthCheckStatus")?;
    let obs = resp.health_check_observations();
    let success = obs
        .iter()
        .filter(|o| {
            o.status_report()
                .and_then(|r| r.status())
                .is_some_and(|s| s.starts_with("Success"))
        })
        .count();
    Ok(Checkers {
        success: success as u32,
        total: obs.len() as u32,
    })
}

/// UPSERTs every record in one ChangeBatch with only its weight changed (alias target, TTL,
/// health check id and the rest sent back as read). Retries PriorRequestNotComplete and
/// throttling with backoff. Returns the change id to wait on.
pub async fn set_weights(
    client: &Client,
    zone_id: &str,
    records: &[WeightedRecord],
    weights: &std::collections::HashMap<String, i64>,
    comment: &str,
) -> Result<String, AwsError> {
    use aws_sdk_route53::types::{Change, ChangeAction, ChangeBatch};
    let changes: Vec<Change> = records
        .iter()
        .filter_map(|r| {
            let w = *weights.get(r.set_identifier.as_ref()?)?;
            let mut rec = r.raw.clone();
            rec.weight = Some(w);
            Change::builder()
                .action(ChangeAction::Upsert)
                .resource_record_set(rec)
                .build()
                .ok()
        })
        .collect();
    let batch = ChangeBatch::builder()
        .comment(comment.chars().take(256).collect::<String>())
        .set_changes(Some(changes))
        .build()
        .map_err(|e| AwsError {
            service: "route53",
            operation: "ChangeResourceRecordSets",
            code: None,
            message: e.to_string(),
            request_id: None,
            hint: None,
        })?;
    let mut delay = std::time::Duration::from_millis(500);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let result = client
            .change_resource_record_sets()
            .hosted_zone_id(zone_id)
            .change_batch(batch.clone())
            .send()
            .await
            .aws(Service::Route53, "ChangeResourceRecordSets");
        match result {
            Ok(out) => {
                return Ok(out
                    .change_info()
                    .map(|c| c.id().to_string())
                    .unwrap_or_default());
            }
            Err(e)
                if attempt < 6
                    && matches!(
                        e.code.as_deref(),
                        Some("PriorRequestNotComplete" | "Throttling" | "ThrottlingException")
                    ) =>
            {
                tracing::warn!("{e}; retrying in {:?}", delay);
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(std::time::Duration::from_secs(10));
            }
            Err(e) => return Err(e),
        }
    }
}

/// A change's status as GetChange answers it: `PENDING` or `INSYNC`.
pub async fn change_status(client: &Client, change_id: &str) -> Result<String, AwsError> {
    let out = client
        .get_change()
        .id(change_id)
        .send()
        .await
        .aws(Service::Route53, "GetChange")?;
    Ok(out
        .change_info()
        .map(|c| c.status().as_str().to_string())
        .unwrap_or_default())
}

/// Polls GetChange once a second until INSYNC (Route 53 takes about 60 s), up to `timeout`:
/// the wait ends within a second of the change reaching every authoritative server, at 60
/// calls a minute, well inside Route 53's 5 requests a second per account.
pub async fn wait_insync(
    client: &Client,
    change_id: &str,
    timeout: std::time::Duration,
) -> Result<bool, AwsError> {
    const POLL: std::time::Duration = std::time::Duration::from_secs(1);
    let started = std::time::Instant::now();
    loop {
        if change_status(client, change_id).await? == "INSYNC" {
            return Ok(true);
        }
        let left = timeout.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Ok(false);
        }
        // The last poll lands at the deadline.
        tokio::time::sleep(POLL.min(left)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::Checkers;

    #[test]
    fn healthy_while_more_than_18_percent_of_checkers_report_success() {
        let table = [
            (15, 15, true),
            (13, 15, true),
            (3, 15, true),  // 20%
            (2, 15, false), // 13.3%
            (9, 50, false), // exactly 18% is not more than 18%
            (10, 50, true),
            (0, 0, false),
            (1, 1, true),
        ];
        for (success, total, want) in table {
            let c = Checkers { success, total };
            assert_eq!(c.healthy(), want, "{}", c.describe());
        }
        assert_eq!(
            Checkers {
                success: 13,
                total: 15
            }
            .describe(),
            "13/15 checkers report success"
        );
    }
}
