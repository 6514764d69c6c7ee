//! The drill's types, shared by the drill's flow (`drill.rs`) and its reads (`hold.rs`).

use crate::aws::AwsContext;
use crate::plan::drill as plan;
use crate::plan::traffic::{Weights, live_weights};
use crate::render::Output;
use crate::settings::Settings;
use crate::signal::{Interrupt, Signal};
use crate::topology::{Failover, Service};

/// One service's drill, from the command line or `watch`.
pub(crate) struct Drill<'a> {
    pub s: &'a Settings,
    pub ctx: &'a AwsContext,
    pub svc: &'a Service,
    pub f: &'a Failover,
    pub cfg: &'a crate::topology::Drill,
    pub out: &'a Output,
    /// Ends the hold (the traffic is returned first).
    pub stop: Interrupt,
    /// `watch` when the schedule started it.
    pub actor: Option<&'static str>,
    pub reason: &'a str,
    pub yes: bool,
    pub dry_run: bool,
}

/// What the preflight found: the weights before, and the weights to hold.
pub(crate) struct Preflight {
    pub before: Weights,
    pub during: Weights,
}

/// How a drill that began ended, before the return.
pub(crate) enum Ended {
    Passed,
    Failed(String),
    Aborted(String),
    Interrupted(Signal),
}

/// The live weights of one service (for the preflight).
pub(crate) fn weights_of(
    svc: &Service,
    actions: &std::collections::HashMap<String, crate::aws::elbv2::Actions>,
) -> std::result::Result<Weights, String> {
    let fwd = actions
        .get(&svc.name)
        .and_then(crate::aws::elbv2::Actions::forward);
    live_weights(svc, fwd.as_ref())
}

/// The drill's shift for a service, or why there is none.
pub(crate) fn during(
    svc: &Service,
    f: &Failover,
    live: &Weights,
    share: u32,
) -> std::result::Result<Weights, String> {
    plan::drill_weights(svc, f, live, share)
}
