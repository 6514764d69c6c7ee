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

/// Which sites of the dns services a health read covers.
#[derive(Debug, Clone, Copy)]
pub enum Sites<'a> {
    /// Every site, each with its probe: what a change's gates and `status` judge.
    All,
    /// Only this site, Route 53's verdict only: a `watch` poll judges failover.from and runs the
    /// probes itself, beside the AWS reads.
    From(&'a str),
}

/// One verdict per dns site, as a target state keyed by `Service::health_key` (so status and
/// the gates read it the way they read a target group's): healthy when the record's Route 53
/// health check passes (a record without one is healthy to Route 53) and the site's probe
/// passes; the reason says each. A health check whose status cannot be read, or a site without
/// its record, is unknown (no state): never healthy, and the other sites and services are still
/// judged. `records`: each dns service with its weighted records as read.
pub async fn health(
    client: &aws_sdk_route53::Client,
    topo: &Topology,
    records: &[(&Service, &[WeightedRecord])],
    sites: Sites<'_>,
) -> HashMap<String, Vec<TargetState>> {
    let prober = match sites {
        Sites::All => Prober::of(topo),
        Sites::From(_) => None,
    };
    let wanted = |t: &&SiteTarget| match sites {
        Sites::All => true,
        Sites::From(site) => t.site == site,
    };
    let mut checks = Vec::new();
    for (s, rs) in records {
        for t in s.targets.iter().filter(wanted) {
            let record = rs
                .iter()
                .find(|r| r.set_identifier.as_deref() == t.set_id());
            checks.push((
                s.health_key(t),
                t.set_id().unwrap_or_default(),
                record,
                s.probe(&t.site),
            ));
        }
    }
    let checks = checks.into_iter().map(|(key, id, record, probe)| {
        let prober = prober.as_ref();
        async move {
            let hc = record.and_then(|r| r.health_check_id.clone());
            let route53 = async {
                match &hc {
                    Some(id) => Some(route53::health_check_status(client, id).await),
                    None => None,
                }
            };
            let probe = async {
                match (prober, probe) {
                    (Some(p), Some(probe)) => Some(p.check(probe).await),
                    _ => None,
                }
            };
            let (checkers, probe) = tokio::join!(route53, probe);
            (key, vec![verdict(id, record, checkers, probe)])
        }
    });
    futures::future::join_all(checks)
        .await
        .into_iter()
        .collect()
}

/// A site's verdict from its record, its health check's checkers and its probe.
fn verdict(
    id: &str,
    record: Option<&WeightedRecord>,
    checkers: Option<Result<route53::Checkers, AwsError>>,
    probe: Option<crate::probe::ProbeResult>,
) -> TargetState {
    let hc = record.and_then(|r| r.health_check_id.clone());
    // Some(true/false): what the check says; None: it says nothing (unread, no record).
    let (r53, mut words): (Option<bool>, Vec<String>) = match (record, &hc, checkers) {
        (None, ..) => (
            None,
            vec![format!("no weighted record with SetIdentifier `{id}`")],
        ),
        (Some(_), Some(hc), Some(Ok(c))) => (
            Some(c.healthy()),
            vec![format!(
                "Route 53 health check {hc}: {} ({})",
                c.describe(),
                if c.healthy() { "healthy" } else { "unhealthy" }
            )],
        ),
        (Some(_), Some(hc), Some(Err(e))) => (
            None,
            vec![format!("Route 53 health check {hc} unread: {e}")],
        ),
        (Some(r), ..) => {
            let said = match r.raw.alias_target().filter(|a| a.evaluate_target_health()) {
                Some(a) => format!(
                    "no Route 53 health check on the record: Route 53 judges it by its alias target {} (EvaluateTargetHealth), which hybridctl does not read",
                    a.dns_name()
                ),
                None => "no Route 53 health check on the record: Route 53 counts it healthy".into(),
            };
            (Some(true), vec![said])
        }
    };
    if let Some(p) = &probe {
        words.push(format!("probe {}: {}", p.url, p.message));
    } else if hc.is_none() && record.is_some() {
        words.push("no probe either: hybridctl has no evidence of this site's health".into());
    }
    let state = match (r53, probe.as_ref().map(|p| p.ok)) {
        (None, Some(false)) => Some(TargetHealthState::Unhealthy),
        (None, _) => None,
        (Some(ok), probe_ok) if ok && probe_ok != Some(false) => Some(TargetHealthState::Healthy),
        (Some(_), _) => Some(TargetHealthState::Unhealthy),
    };
    TargetState {
        id: hc.unwrap_or_else(|| "record".into()),
        port: None,
        state,
        reason: Some(words.join("; ")),
        description: None,
    }
}
