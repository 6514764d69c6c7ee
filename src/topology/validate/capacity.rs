//! `services.S.capacity.SITE`: what carries an AWS site's share of a service (an ECS service or
//! an EC2 Auto Scaling group), scaled before the site takes more traffic.

use std::collections::HashMap;
use std::time::Duration;

use indexmap::IndexMap;

use super::checker::Checker;
use crate::topology::arn::Expect;
use crate::topology::model::{Capacity, ScaleBack, Scaler, Site, SiteKind};
use crate::topology::wire::{self, Scalar};

/// The bounds of `timeout`: shorter cannot start a task; longer is a failover nobody waits for.
const TIMEOUT: (Duration, Duration) = (Duration::from_secs(10), Duration::from_secs(2 * 3600));
/// The bounds of `headroom`.
const HEADROOM: (f64, f64) = (1.0, 10.0);

/// Checks one service's `capacity` map. `weights`: the service's normal weights by site;
/// `region`: the service's region (its listener's).
pub(super) fn check_capacity(
    c: &mut Checker,
    path: &str,
    capacity: Option<&IndexMap<String, wire::Capacity>>,
    sites: &[Site],
    weights: &HashMap<String, u32>,
    region: Option<&str>,
) -> Vec<Capacity> {
    let Some(map) = capacity else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (site, cap) in map {
        let at = format!("{path}.capacity.{site}");
        match sites.iter().find(|s| &s.name == site) {
            None => c.fail(&at, format!("`{site}` is not a declared site (see sites)")),
            Some(s) if s.kind != SiteKind::Aws => c.fail(
                &at,
                format!("`{site}` is an on-prem site: capacity scales AWS sites (ECS services, Auto Scaling groups)"),
            ),
            Some(_) if !weights.contains_key(site) => c.fail(
                &at,
                format!("`{site}` is not one of this service's sites (see target_groups)"),
            ),
            Some(_) => {}
        }
        let scaler = scaler(c, &at, cap, region);
        let full = cap
            .full
            .as_ref()
            .and_then(|v| c.whole(&format!("{at}.full"), v, 1..=10_000, "full"))
            .map(|v| v as u32);
        let headroom = headroom(c, &format!("{at}.headroom"), cap.headroom.as_ref());
        let timeout = c.duration(&format!("{at}.timeout"), cap.timeout.as_deref(), "10m");
        if cap.timeout.is_some() && !(TIMEOUT.0..=TIMEOUT.1).contains(&timeout) {
            c.fail(
                format!("{at}.timeout"),
                format!(
                    "{} is out of range 10s..2h: how long a failover waits for the site's targets",
                    crate::duration::format(timeout)
                ),
            );
        }
        let scale_back = match cap.scale_back.as_deref() {
            None | Some("restore") => ScaleBack::Restore,
            Some("keep") => ScaleBack::Keep,
            Some(other) => {
                c.fail(
                    format!("{at}.scale_back"),
                    format!("unknown scale_back `{other}`: use restore or keep"),
                );
                ScaleBack::Restore
            }
        };
        if full.is_none() && weights.get(site) == Some(&0) {
            c.fail(
                &at,
                format!(
                    "`{site}` normally gets 0% of this service, so what it needs for a share cannot be scaled from what serves it now: set full (the tasks or instances that carry 100%)"
                ),
            );
        }
        if let Some(scaler) = scaler {
            out.push(Capacity {
                site: site.clone(),
                scaler,
                full,
                headroom,
                timeout,
                scale_back,
            });
        }
    }
    out
}

/// Exactly one of `ecs_service` and `autoscaling_group`.
fn scaler(c: &mut Checker, at: &str, cap: &wire::Capacity, region: Option<&str>) -> Option<Scaler> {
    match (&cap.ecs_service, &cap.autoscaling_group) {
        (Some(_), Some(_)) | (None, None) => {
            c.fail(
                at,
                "give exactly one of ecs_service (an ECS service ARN) and autoscaling_group (an Auto Scaling group's name)",
            );
            None
        }
        (Some(text), None) => {
            let path = format!("{at}.ecs_service");
            let arn = c.arn(&path, text, Expect::EcsService)?;
            if region.is_some_and(|r| r != arn.region) {
                c.fail(
                    &path,
                    format!(
                        "the ECS service is in {}, the service's load balancer in {}: the capacity that carries a site is in the site's region",
                        arn.region,
                        region.unwrap_or_default()
                    ),
                );
            }
            let segs = arn.segments();
            let (cluster, service) = (segs[1].to_string(), segs[2].to_string());
            Some(Scaler::EcsService {
                arn,
                cluster,
                service,
            })
        }
        (None, Some(name)) => {
            let path = format!("{at}.autoscaling_group");
            let len = name.chars().count();
            if !(1..=255).contains(&len)
                || name.chars().any(char::is_control)
                || name.trim().is_empty()
            {
                c.fail(
                    &path,
                    "an Auto Scaling group's name is 1 to 255 characters, without control characters",
                );
                return None;
            }
            Some(Scaler::AutoscalingGroup {
                name: name.clone(),
                region: region.unwrap_or_default().to_string(),
            })
        }
    }
}

fn headroom(c: &mut Checker, path: &str, value: Option<&Scalar>) -> f64 {
    let Some(v) = value else { return 1.0 };
    let n = match v {
        Scalar::Int(i) => Some(*i as f64),
        Scalar::Float(f) if f.is_finite() => Some(*f),
        _ => None,
    };
    match n {
        Some(n) if (HEADROOM.0..=HEADROOM.1).contains(&n) => n,
        Some(n) => {
            c.fail(
                path,
                format!("headroom {n} is out of range 1..10 (a multiplier on the need)"),
            );
            1.0
        }
        None => {
            let found = c.found(path, v);
            c.fail(path, format!("expected a number 1..10, found {found}"));
            1.0
        }
    }
}
