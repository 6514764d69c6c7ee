//! `hybridctl_capacity_short` on the metrics endpoint: at most once a minute, whether each AWS
//! site with `capacity` can reach what 100% of its service needs within the maximum it may
//! scale to (`status`'s `capacity-short`), from its scaler, its target group's healthy targets
//! and the weights this poll read. Only while an endpoint is served.

use std::time::{Duration, Instant};

use crate::aws::{AwsContext, elbv2};
use crate::commands::live::read_sizes;
use crate::plan::capacity;
use crate::report::ServicePoll;
use crate::topology::Topology;

/// How often the check reads the scalers.
pub const EVERY: Duration = Duration::from_secs(60);

/// When the check last ran (None: never).
#[derive(Debug, Default)]
pub struct Check {
    last: Option<Instant>,
}

impl Check {
    /// (service, site, short?) for each AWS site with `capacity`, when a minute has passed;
    /// a site that cannot be read is left out (its gauge keeps its last value).
    pub async fn due(
        &mut self,
        ctx: &AwsContext,
        topo: &Topology,
        polls: &[ServicePoll],
    ) -> Vec<(String, String, bool)> {
        if self.last.is_some_and(|t| t.elapsed() < EVERY)
            || topo.services.iter().all(|s| s.capacity.is_empty())
        {
            return Vec::new();
        }
        self.last = Some(Instant::now());
        let elb = ctx.elbv2();
        let checks = topo.services.iter().flat_map(|s| {
            let weights = polls
                .iter()
                .find(|p| p.service == s.name)
                .and_then(|p| p.weights.clone());
            let elb = &elb;
            s.capacity.iter().map(move |c| {
                let weights = weights.clone();
                async move {
                    let tg = s.targets.iter().find(|t| t.site == c.site)?;
                    let arn = tg.target_group()?.to_string();
                    let (sizes, health) =
                        tokio::join!(read_sizes(ctx, &c.scaler), elbv2::target_health(elb, &arn));
                    let max = sizes.ok()??.max?;
                    let healthy = health.ok()?.iter().filter(|t| t.is_healthy()).count() as u32;
                    let share = capacity::share(&weights?, &c.site);
                    let need = capacity::need(c, 1.0, share, healthy).ok()?.need;
                    Some((s.name.clone(), c.site.clone(), need > max))
                }
            })
        });
        futures::future::join_all(checks)
            .await
            .into_iter()
            .flatten()
            .collect()
    }
}
