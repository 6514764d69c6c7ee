//! Live state of dns services: each service's weighted records (one ListResourceRecordSets per
//! service, all at once) and each site's health as Route 53 and this host see it: the record's
//! health check by Route 53's rule (more than 18 % of checkers report success) and, where the
//! file has one, the site's probe. Both must pass.

use std::collections::HashMap;

use crate::aws::elbv2::{TargetHealthState, TargetState};
use crate::aws::route53::{self, WeightedRecord};
use crate::error::AwsError;
use crate::probe::Prober;
use crate::topology::{Service, SiteTarget, Topology};

/// Each dns service's weighted records of its name and type, keyed by service name.
pub async fn records(
    client: &aws_sdk_route53::Client,
    services: &[&Service],
) -> Result<HashMap<String, Vec<WeightedRecord>>, AwsError> {
    let reads = services.iter().filter_map(|s| {
        let d = s.dns()?;
        Some(async move {
            route53::weighted_records(client, &d.zone_id, &d.record, &d.record_type)
                .await
                .map(|r| (s.name.clone(), r))
        })
    });
    futures::future::try_join_all(reads)
        .await
        .map(|v| v.into_iter().collect())
}

/// The key a dns site's health is kept under beside the target groups' (`live::health`).
pub fn key(s: &Service, t: &SiteTarget) -> String {
    s.health_key(t)
}

/// One verdict per dns site, as a target state (so status and the gates read it the way they
/// read a target group's): healthy when the record's Route 53 health check passes (a record
/// without one is healthy to Route 53) and the site's probe passes; the reason says each.
/// A health check whose status cannot be read fails the read. `probes` false: Route 53 only
/// (`watch` runs the probes itself, beside the AWS reads).
pub async fn health(
    client: &aws_sdk_route53::Client,
    topo: &Topology,
    services: &[&Service],
    records: &HashMap<String, Vec<WeightedRecord>>,
    probes: bool,
) -> Result<HashMap<String, Vec<TargetState>>, AwsError> {
    let prober = Prober::of(topo).filter(|_| probes);
    let mut sites = Vec::new();
    for s in services.iter().filter(|s| s.dns().is_some()) {
        for t in &s.targets {
            let hc = records.get(&s.name).and_then(|rs| {
                rs.iter()
                    .find(|r| r.set_identifier.as_deref() == t.set_id())
                    .and_then(|r| r.health_check_id.clone())
            });
            sites.push((key(s, t), hc, s.probe(&t.site)));
        }
    }
    let checks = sites.into_iter().map(|(key, hc, probe)| {
        let prober = prober.as_ref();
        async move {
            let route53 = async {
                match &hc {
                    Some(id) => route53::health_check_status(client, id).await.map(Some),
                    None => Ok(None),
                }
            };
            let probe = async {
                match (prober, probe) {
                    (Some(p), Some(probe)) => Some(p.check(probe).await),
                    _ => None,
                }
            };
            let (checkers, probe) = tokio::join!(route53, probe);
            let checkers = checkers?;
            let r53_ok = checkers.is_none_or(|c| c.healthy());
            let mut words = vec![match (&hc, checkers) {
                (Some(id), Some(c)) => format!(
                    "Route 53 health check {id}: {} ({})",
                    c.describe(),
                    if c.healthy() { "healthy" } else { "unhealthy" }
                ),
                _ => "no Route 53 health check on the record (Route 53 counts it healthy)".into(),
            }];
            let probe_ok = probe.as_ref().is_none_or(|p| p.ok);
            if let Some(p) = &probe {
                words.push(format!("probe {}: {}", p.url, p.message));
            }
            let healthy = r53_ok && probe_ok;
            Ok::<_, AwsError>((
                key,
                vec![TargetState {
                    id: hc.unwrap_or_else(|| "record".into()),
                    port: None,
                    state: Some(if healthy {
                        TargetHealthState::Healthy
                    } else {
                        TargetHealthState::Unhealthy
                    }),
                    reason: Some(words.join("; ")),
                    description: None,
                }],
            ))
        }
    });
    futures::future::try_join_all(checks)
        .await
        .map(|v| v.into_iter().collect())
}
