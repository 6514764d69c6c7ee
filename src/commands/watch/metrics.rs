//! The watcher's Prometheus metrics: one registry, updated by the poll loop (and by the AWS
//! error listener), encoded as the Prometheus text format on a scrape. A scrape never calls
//! AWS. Label values are bounded: service and site names come from the topology file only,
//! AWS error codes from a fixed list (else `other`), outcomes and modes from fixed words.
//! docs/watch.md (Metrics) lists every series.

use std::sync::atomic::AtomicU64;
use std::time::Duration;

use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::plan::watch::WatchState;
use crate::report::{ServicePoll, WatchEvaluation};
use crate::topology::Topology;

/// The `Content-Type` of a scrape's answer.
pub const CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;

type Labels = Vec<(&'static str, String)>;
type Gauges = Family<Labels, Gauge<f64, AtomicU64>>;
type Counters = Family<Labels, Counter>;

/// AWS error codes counted by name; any other is `other`. Throttling, permissions, expired or
/// unknown credentials, refused requests, conditional writes, missing resources, AWS-side
/// failures, and no answer at all (`Timeout`, `Dispatch`).
pub const AWS_CODES: [&str; 30] = [
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "ValidationError",
    "ValidationException",
    "ConditionalCheckFailedException",
    "ResourceNotFoundException",
    "ResourceNotFoundFault",
    "RuleNotFound",
    "ListenerNotFound",
    "TargetGroupNotFound",
    "InternalFailure",
    "InternalError",
    "ServiceUnavailable",
    "InternalServerError",
    "Timeout",
    "Dispatch",
    "Unknown",
];

/// Action outcomes counted by name (the runbook's words and the watcher's own); else `other`.
const OUTCOMES: [&str; 14] = [
    "applied",
    "no-op",
    "no-action",
    "planned",
    "refused",
    "concurrent-change",
    "stopped",
    "rolled-back",
    "failed",
    "interrupted",
    "waiting",
    "backing-off",
    "observed",
    "standby",
];

const MODES: [&str; 3] = ["normal", "failover", "overflow"];

/// Drill outcomes (issue 25.1); else `other`.
const DRILL_OUTCOMES: [&str; 4] = ["passed", "failed", "aborted", "refused"];

fn bounded(word: &str, known: &[&'static str]) -> String {
    known
        .iter()
        .find(|k| **k == word)
        .map_or("other", |k| k)
        .to_string()
}

fn svc(service: &str) -> Labels {
    vec![("service", service.to_string())]
}

fn svc_site(service: &str, site: &str) -> Labels {
    vec![("service", service.to_string()), ("site", site.to_string())]
}

/// Every family, registered once.
pub struct Metrics {
    registry: Registry,
    weight: Gauges,
    targets_healthy: Gauges,
    targets: Gauges,
    bad_streak: Gauges,
    unknown_streak: Gauges,
    good_for: Gauges,
    mode: Gauges,
    overflow_value: Gauges,
    capacity_short: Gauges,
    drill_outcome: Gauges,
    drill_time: Gauges,
    drill_passed: Gauges,
    last_poll: Gauges,
    latched: Gauges,
    is_leader: Gauges,
    lease_expiry: Gauges,
    interval: Gauges,
    poll_duration: Histogram,
    aws_errors: Counters,
    actions: Counters,
}

impl Metrics {
    pub fn new(topo: &Topology) -> Metrics {
        let mut m = Metrics {
            registry: Registry::default(),
            weight: Gauges::default(),
            targets_healthy: Gauges::default(),
            targets: Gauges::default(),
            bad_streak: Gauges::default(),
            unknown_streak: Gauges::default(),
            good_for: Gauges::default(),
            mode: Gauges::default(),
            overflow_value: Gauges::default(),
            capacity_short: Gauges::default(),
            drill_outcome: Gauges::default(),
            drill_time: Gauges::default(),
            drill_passed: Gauges::default(),
            last_poll: Gauges::default(),
            latched: Gauges::default(),
            is_leader: Gauges::default(),
            lease_expiry: Gauges::default(),
            interval: Gauges::default(),
            // 10 ms .. about 82 s: a poll is a few reads; a failover or failback ramp is longer.
            poll_duration: Histogram::new(
                prometheus_client::metrics::histogram::exponential_buckets(0.01, 2.0, 14),
            ),
            aws_errors: Counters::default(),
            actions: Counters::default(),
        };
        m.register();
        m.reset_services(topo);
        m
    }

    /// The gauges with their names and help texts (the text encoder adds the final period).
    fn gauges(&self) -> [(&'static str, &'static str, &Gauges); 17] {
        [
            (
                "hybridctl_weight",
                "Live ALB weight of the site's target group, as last polled",
                &self.weight,
            ),
            (
                "hybridctl_targets_healthy",
                "Healthy targets of failover.from's target group, as last polled",
                &self.targets_healthy,
            ),
            (
                "hybridctl_targets",
                "Registered targets of failover.from's target group, as last polled",
                &self.targets,
            ),
            (
                "hybridctl_bad_streak",
                "Bad polls in a row (failover at watch.fail_after)",
                &self.bad_streak,
            ),
            (
                "hybridctl_unknown_streak",
                "Unknown polls (failed reads) in a row (alert at watch.unknown_after)",
                &self.unknown_streak,
            ),
            (
                "hybridctl_good_for_seconds",
                "How long failover.from has been good without a bad poll (0: not good)",
                &self.good_for,
            ),
            (
                "hybridctl_mode",
                "1 for the service's mode (normal, failover, overflow), 0 for the others",
                &self.mode,
            ),
            (
                "hybridctl_overflow_value",
                "The last reading of the service's overflow query",
                &self.overflow_value,
            ),
            (
                "hybridctl_capacity_short",
                "1 when an AWS site with capacity cannot reach what 100% of its service needs within the maximum it may scale to (checked once a minute; 0 without capacity)",
                &self.capacity_short,
            ),
            (
                "hybridctl_drill_last_outcome",
                "1 for the outcome of the service's last drill (absent before the first drill)",
                &self.drill_outcome,
            ),
            (
                "hybridctl_drill_last_timestamp_seconds",
                "When the service's last drill ended (absent before the first drill)",
                &self.drill_time,
            ),
            (
                "hybridctl_drill_last_passed_timestamp_seconds",
                "When the service's last passed drill ended (absent until one passed)",
                &self.drill_passed,
            ),
            (
                "hybridctl_poll_interval_seconds",
                "watch.interval: one poll every this long",
                &self.interval,
            ),
            (
                "hybridctl_last_successful_poll_timestamp_seconds",
                "When the last poll whose reads all succeeded ended",
                &self.last_poll,
            ),
            (
                "hybridctl_latched",
                "1 while the watcher is latched (it acts no more until watch --unlatch)",
                &self.latched,
            ),
            (
                "hybridctl_is_leader",
                "1 when this watcher is the active one (it holds the watcher lease), 0 when standing by or observing",
                &self.is_leader,
            ),
            (
                "hybridctl_lease_expiry_timestamp_seconds",
                "When the watcher lease expires: this watcher's while active, the active one's as last seen while standing by (coordination table only)",
                &self.lease_expiry,
            ),
        ]
    }

    fn register(&mut self) {
        let gauges: Vec<_> = self
            .gauges()
            .into_iter()
            .map(|(n, h, g)| (n, h, g.clone()))
            .collect();
        let r = &mut self.registry;
        for (name, help, g) in gauges {
            r.register(name, help, g);
        }
        let info = Gauges::default();
        info.get_or_create(&vec![("version", env!("CARGO_PKG_VERSION").to_string())])
            .set(1.0);
        r.register(
            "hybridctl_info",
            "1, labelled with this watcher's version",
            info,
        );
        r.register(
            "hybridctl_poll_duration_seconds",
            "How long one poll took: the role, the reads, the decision, any action, the save",
            self.poll_duration.clone(),
        );
        // The text encoder appends `_total` to counters.
        r.register(
            "hybridctl_aws_errors",
            "Failed AWS calls by AWS service and error code (bounded: a fixed list, else other)",
            self.aws_errors.clone(),
        );
        r.register(
            "hybridctl_actions",
            "Actions by kind (failover, failback, overflow) and outcome",
            self.actions.clone(),
        );
    }

    /// The per-service series start over with the file's services and sites (at start and
    /// after a reload): `capacity_short` starts at 0 for every service and site; the capacity
    /// check sets it once a minute for sites with `capacity`.
    pub fn reset_services(&self, topo: &Topology) {
        for f in [
            &self.weight,
            &self.targets_healthy,
            &self.targets,
            &self.bad_streak,
            &self.unknown_streak,
            &self.good_for,
            &self.mode,
            &self.overflow_value,
            &self.capacity_short,
            &self.drill_outcome,
            &self.drill_time,
            &self.drill_passed,
        ] {
            f.clear();
        }
        let interval = topo
            .watch
            .as_ref()
            .map_or(10.0, |w| w.interval.as_secs_f64());
        self.interval.get_or_create(&Vec::new()).set(interval);
        for s in &topo.services {
            for t in &s.targets {
                self.capacity_short
                    .get_or_create(&svc_site(&s.name, &t.site))
                    .set(0.0);
            }
        }
    }

    /// Issue 23's capacity check: 1 when the site cannot reach what 100% needs.
    pub fn capacity_short(&self, service: &str, site: &str, short: bool) {
        self.capacity_short
            .get_or_create(&svc_site(service, site))
            .set(if short { 1.0 } else { 0.0 });
    }

    /// The text exposition of every series.
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(16 * 1024);
        if let Err(e) = prometheus_text::encode(&mut out, &self.registry) {
            tracing::warn!("encoding the metrics failed: {e}");
        }
        out
    }

    /// An AWS call failed (the listener of `aws::on_error`).
    pub fn aws_error(&self, service: crate::aws::Service, code: &str) {
        self.aws_errors
            .get_or_create(&vec![
                ("aws_service", service.name().to_string()),
                ("code", bounded(code, &AWS_CODES)),
            ])
            .inc();
    }

    /// One poll ended: how long it took, this watcher's role and lease, its action's outcome,
    /// and when it ended if it succeeded (epoch ms; see `health::failure`).
    pub fn polled(
        &self,
        line: &WatchEvaluation,
        took: Duration,
        lease_expiry_ms: Option<i64>,
        succeeded_at_ms: Option<i64>,
    ) {
        self.poll_duration.observe(took.as_secs_f64());
        if let Some(ms) = succeeded_at_ms {
            self.last_poll
                .get_or_create(&Vec::new())
                .set(ms as f64 / 1000.0);
        }
        let leader = line.role == "active";
        self.is_leader
            .get_or_create(&Vec::new())
            .set(f64::from(u8::from(leader)));
        match lease_expiry_ms {
            Some(ms) => {
                self.lease_expiry
                    .get_or_create(&Vec::new())
                    .set(ms as f64 / 1000.0);
            }
            None => self.lease_expiry.clear(),
        }
        if let Some(a) = &line.action {
            let kind = match a.kind {
                crate::plan::watch::ActionKind::Failover => "failover",
                crate::plan::watch::ActionKind::Failback => "failback",
            };
            self.action(kind, &a.outcome);
        }
        for o in &line.overflow {
            if let Some(outcome) = &o.outcome {
                self.action("overflow", outcome);
            }
        }
        if line.role == "standby" {
            // Only the active watcher reads the services: a standby's would be stale.
            for f in [
                &self.weight,
                &self.targets_healthy,
                &self.targets,
                &self.bad_streak,
                &self.unknown_streak,
                &self.good_for,
                &self.mode,
                &self.overflow_value,
                &self.latched,
            ] {
                f.clear();
            }
        }
    }

    fn action(&self, kind: &str, outcome: &str) {
        self.actions
            .get_or_create(&vec![
                ("kind", kind.to_string()),
                ("outcome", bounded(outcome, &OUTCOMES)),
            ])
            .inc();
    }

    /// An evaluation's view of the services: the reads, the streaks, the mode, the latch, the
    /// drills.
    pub fn services(&self, topo: &Topology, view: &View<'_>) {
        for p in view.polls {
            let Some(s) = topo.service(&p.service) else {
                continue;
            };
            if let Some(w) = &p.weights {
                for t in &s.targets {
                    if let Some(v) = w.get(&t.site) {
                        self.weight
                            .get_or_create(&svc_site(&s.name, &t.site))
                            .set(f64::from(*v));
                    }
                }
            }
            if let (Some(f), Some(h)) = (&topo.failover, p.healthy) {
                self.targets_healthy
                    .get_or_create(&svc_site(&s.name, &f.from))
                    .set(f64::from(h));
            }
            if let (Some(f), Some(n)) = (&topo.failover, p.targets) {
                self.targets
                    .get_or_create(&svc_site(&s.name, &f.from))
                    .set(f64::from(n));
            }
            let st = view
                .state
                .services
                .get(&s.name)
                .cloned()
                .unwrap_or_default();
            self.bad_streak
                .get_or_create(&svc(&s.name))
                .set(f64::from(st.bad));
            self.unknown_streak
                .get_or_create(&svc(&s.name))
                .set(f64::from(st.unknown));
            let good = st.good_since.map_or(0, |t| (view.now - t).max(0));
            self.good_for.get_or_create(&svc(&s.name)).set(good as f64);
            let in_overflow = view
                .state
                .overflow
                .get(&s.name)
                .is_some_and(|o| o.in_overflow);
            let mode = match (st.failed_over_at, in_overflow) {
                (Some(_), _) => "failover",
                (None, true) => "overflow",
                (None, false) => "normal",
            };
            for m in MODES {
                let v = f64::from(u8::from(m == mode));
                self.mode
                    .get_or_create(&vec![("service", s.name.clone()), ("mode", m.to_string())])
                    .set(v);
            }
        }
        for o in view.overflow {
            match o
                .value
                .filter(|v| topo.service(&o.service).is_some() && v.is_finite())
            {
                Some(v) => {
                    self.overflow_value.get_or_create(&svc(&o.service)).set(v);
                }
                None => {
                    self.overflow_value.remove(&svc(&o.service));
                }
            }
        }
        self.latched
            .get_or_create(&Vec::new())
            .set(f64::from(u8::from(view.state.latched.is_some())));
        self.drills(topo, view.state);
    }

    /// The last drill per service, from the watcher's state; absent before a service's first.
    fn drills(&self, topo: &Topology, state: &WatchState) {
        for s in &topo.services {
            let Some(d) = state.drills.get(&s.name) else {
                continue;
            };
            for o in DRILL_OUTCOMES.iter().chain(["other"].iter()) {
                let labels = vec![("service", s.name.clone()), ("outcome", o.to_string())];
                if bounded(&d.outcome, &DRILL_OUTCOMES) == *o {
                    self.drill_outcome.get_or_create(&labels).set(1.0);
                } else {
                    self.drill_outcome.remove(&labels);
                }
            }
            self.drill_time
                .get_or_create(&svc(&s.name))
                .set(d.time as f64);
            if let Some(p) = d.last_passed {
                self.drill_passed.get_or_create(&svc(&s.name)).set(p as f64);
            }
        }
    }
}

/// What an active watcher's evaluation saw, for [`Metrics::services`].
pub struct View<'a> {
    pub polls: &'a [ServicePoll],
    pub state: &'a WatchState,
    pub overflow: &'a [crate::report::OverflowLine],
    /// Epoch seconds (the watcher's clock).
    pub now: i64,
}

#[cfg(test)]
mod tests;
