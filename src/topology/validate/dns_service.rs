//! `services.S.dns`: a service whose split is Route 53 weighted records (one name and type,
//! one SetIdentifier per site) instead of an ALB forward action.

use std::collections::{BTreeSet, HashMap};

use super::checker::{Checker, MAX_R53_WEIGHT, check_record, check_split};
use crate::topology::model::{Route, Service, Site, SiteTarget, Via};
use crate::topology::wire;

/// Route 53's limit on a SetIdentifier.
const MAX_SET_ID: usize = 128;

/// Checks a dns service; None (said) when it cannot be used.
pub(super) fn check(
    c: &mut Checker,
    path: &str,
    name: &str,
    s: &wire::Service,
    dns: &wire::ServiceDns,
    sites: &[Site],
    record_of: &mut HashMap<String, String>,
) -> Option<Service> {
    let errors = c.len();
    no_alb_keys(c, path, s);
    let record = check_record(
        c,
        &format!("{path}.dns"),
        &dns.zone_id,
        &dns.record,
        &dns.record_type,
    );
    let key = format!(
        "{}/{}/{}",
        record.zone_id,
        record.record.to_ascii_lowercase(),
        record.record_type
    );
    match record_of.get(&key) {
        Some(other) => c.fail(
            format!("{path}.dns.record"),
            format!(
                "service `{other}` already splits these records: one service per record name and type"
            ),
        ),
        None => {
            record_of.insert(key, name.to_string());
        }
    }
    check_set_ids(c, path, dns, sites);
    let weights = check_split(
        c,
        &format!("{path}.weights"),
        &dns.set_ids,
        &s.weights,
        MAX_R53_WEIGHT,
        "SetIdentifier in dns.set_ids",
    );
    if c.len() > errors {
        return None;
    }
    Some(Service {
        name: name.to_string(),
        route: Route::Dns(record),
        targets: dns
            .set_ids
            .iter()
            .map(|(site, id)| SiteTarget {
                site: site.clone(),
                weight: weights.get(site).copied().unwrap_or(0),
                via: Via::SetId(id.clone()),
            })
            .collect(),
        capacity: Vec::new(),
        probes: Vec::new(),
    })
}

/// `dns` replaces the ALB keys; capacity steps need a target group.
fn no_alb_keys(c: &mut Checker, path: &str, s: &wire::Service) {
    for (key, there) in [
        ("listener_arn", s.listener_arn.is_some()),
        ("rule_arn", s.rule_arn.is_some()),
        ("target_groups", s.target_groups.is_some()),
    ] {
        if there {
            c.fail(
                format!("{path}.{key}"),
                format!("`dns` replaces listener_arn, rule_arn and target_groups: remove {key}"),
            );
        }
    }
    if s.capacity.is_some() {
        c.fail(
            format!("{path}.capacity"),
            "a capacity step waits for healthy targets in the site's target group: a dns service has none (scale it before a failover, or put the service behind an ALB rule)",
        );
    }
}

/// 2 to 5 declared sites, each with its own SetIdentifier.
fn check_set_ids(c: &mut Checker, path: &str, dns: &wire::ServiceDns, sites: &[Site]) {
    let n = dns.set_ids.len();
    if !(2..=5).contains(&n) {
        c.fail(
            format!("{path}.dns.set_ids"),
            format!("{n} sites: a dns service splits between 2 and 5"),
        );
    }
    let mut seen = BTreeSet::new();
    for (site, id) in &dns.set_ids {
        let at = format!("{path}.dns.set_ids.{site}");
        if !sites.iter().any(|x| &x.name == site) {
            c.fail(&at, format!("`{site}` is not a declared site (see sites)"));
        }
        if id.trim().is_empty() || id.chars().count() > MAX_SET_ID {
            c.fail(&at, "a SetIdentifier is 1 to 128 characters");
        } else if !seen.insert(id.as_str()) {
            c.fail(
                &at,
                format!("SetIdentifier `{id}` is already another site's: one record per site"),
            );
        }
    }
}
