//! The capacity step of a traffic change. Before an AWS site takes a larger share, its ECS
//! service or Auto Scaling group is scaled to what the new share needs (a write through the
//! runbook, locked, leased, journaled and read back like any other), and the weights wait
//! until the site's target group has that many healthy targets. Failback gives the scale-out
//! back once the weights are verified, unless someone changed it since.

use std::time::{Duration, Instant};

use super::{Flow, Grow, Planned, Seen};
use crate::aws::{AwsContext, appscaling, autoscaling, ecs, elbv2};
use crate::commands::live::read_sizes;
use crate::journal::{Body, Held, Record, WriteResult};
use crate::plan::capacity::{self as plan, GiveBack, Scale, Sizes};
use crate::report::{CapacityView, Outcome};
use crate::runbook::{Halt, Intent, Runbook, WriteStep};
use crate::topology::{Capacity, ScaleBack, Scaler, Service};

/// How often the gate reads the target group: the weights move within a second of the need.
const POLL: Duration = Duration::from_secs(1);
/// The journal step label of a scale-out, and of its give-back.
const GROW: &str = "capacity";
const SHRINK: &str = "give back";

impl<'a> Flow<'a> {
    /// Every resource a change of these services may scale (locked and leased with the rules).
    pub(super) fn capacity_resources(&self) -> Vec<String> {
        self.services
            .iter()
            .flat_map(|s| s.capacity.iter().map(|c| c.scaler.id()))
            .collect()
    }

    /// The capacity steps of a plan: each AWS site with `capacity` that the change gives a
    /// larger share. Err: a refusal before any write (a scaler that does not exist, a need
    /// above the maximum without --force).
    pub(super) async fn plan_capacity(
        &self,
        planned: &[Planned<'a>],
        seen: &Seen,
    ) -> Result<Vec<Grow<'a>>, String> {
        let mut wanted = Vec::new();
        for p in planned.iter().filter(|p| !p.change.steps.is_empty()) {
            let healthy = crate::commands::live::healthy_by_site(p.svc, &seen.health);
            for cap in &p.svc.capacity {
                let (now_share, to_share) = (
                    plan::share(&p.change.before, &cap.site),
                    plan::share(&p.change.target, &cap.site),
                );
                if to_share <= now_share {
                    continue;
                }
                let at = self
                    .s
                    .topology
                    .at(&format!("services.{}.capacity.{}", p.svc.name, cap.site));
                let need = plan::need(
                    cap,
                    to_share,
                    now_share,
                    healthy.get(&cap.site).copied().unwrap_or(0),
                )
                .map_err(|m| format!("{at}: {m}; nothing was changed"))?;
                let tg = p
                    .svc
                    .targets
                    .iter()
                    .find(|t| t.site == cap.site)
                    .and_then(|t| t.target_group().map(ToString::to_string))
                    .unwrap_or_default();
                wanted.push((p.svc, cap, tg, need, at));
            }
        }
        let reads = wanted
            .iter()
            .map(|(_, cap, ..)| read_sizes(self.ctx, &cap.scaler));
        let sizes = futures::future::join_all(reads).await;
        let mut grows = Vec::new();
        for ((svc, cap, tg, need, at), now) in wanted.into_iter().zip(sizes) {
            let what = format!("{}/{}: {}", cap.site, svc.name, cap.scaler.describe());
            let now = now
                .map_err(|e| format!("cannot read {what}: {e}; nothing was changed"))?
                .ok_or_else(|| {
                    format!(
                        "{at}: {} does not exist (capacity-unknown); nothing was changed",
                        cap.scaler.describe()
                    )
                })?;
            let scale = plan::scale(need.need, now, self.args().force, &what)?;
            let g = Grow {
                svc,
                cap,
                target_group: tg,
                need,
                from: now,
                scale,
            };
            self.planned_view(&g);
            grows.push(g);
        }
        Ok(grows)
    }

    /// Scales every site that needs it, then waits for the healthy targets. Err: how the run
    /// ends without moving traffic (what was scaled stays, and the message says so).
    pub(super) async fn grow(
        &self,
        rb: &mut Runbook<'_>,
        grows: &[Grow<'a>],
    ) -> Result<(), (Outcome, String)> {
        for g in grows {
            let Scale::Raise { from, to } = g.scale else {
                continue;
            };
            let mut w = ScaleWrite::new(self.ctx, g.svc, g.cap, GROW, from, to);
            if let Err(h) = rb.step(&mut w).await {
                // Written in part (or in full, not read back): say what AWS holds.
                if let Some(now) = w.now.filter(|n| *n != from) {
                    self.view(g, "partly-scaled", Some(now), None);
                }
                return Err(self.grow_halted(rb, h));
            }
            self.view(g, "scaled", Some(to), None);
        }
        self.wait_healthy(rb, grows).await
    }

    /// Polls each site's target group until it has `need` healthy targets, up to its timeout.
    async fn wait_healthy(
        &self,
        rb: &mut Runbook<'_>,
        grows: &[Grow<'a>],
    ) -> Result<(), (Outcome, String)> {
        for g in grows {
            let started = Instant::now();
            let label = format!("{}/{}", g.cap.site, g.svc.name);
            let bar = self.out.progress("{spinner} {wide_msg}", None);
            let mut last = String::new();
            loop {
                let healthy = elbv2::target_health(&self.elb, &g.target_group)
                    .await
                    .map(|t| t.iter().filter(|x| x.is_healthy()).count() as u32);
                let elapsed =
                    crate::duration::format(Duration::from_secs(started.elapsed().as_secs()));
                let line = match &healthy {
                    Ok(n) => format!("{label}: {n}/{} healthy targets, {elapsed}", g.need.need),
                    Err(e) => format!("{label}: target health unknown ({e}), {elapsed}"),
                };
                match &bar {
                    Some(b) => b.set_message(line.clone()),
                    None if line.split(',').next() != last.split(',').next() => {
                        self.out.note(&line)
                    }
                    None => {}
                }
                last = line;
                if let Ok(n) = healthy
                    && n >= g.need.need
                {
                    self.view(g, "ready", None, Some(n));
                    break;
                }
                if started.elapsed() >= g.cap.timeout {
                    let n = healthy.unwrap_or(0);
                    self.view(g, "timed-out", None, Some(n));
                    let m = format!(
                        "capacity not ready: {label} has {n}/{} healthy targets after {}; traffic was not moved, and the scale-out is kept ({}): decide, then rerun or give it back",
                        g.need.need,
                        crate::duration::format(g.cap.timeout),
                        self.scaled_text()
                    );
                    let _ = rb.record(Body::Warning { message: m.clone() });
                    return Err((Outcome::Stopped, m));
                }
                if let Err(h) = rb.wait(POLL).await {
                    return Err(self.grow_halted(rb, h));
                }
            }
            if let Some(b) = bar {
                b.finish_and_clear();
            }
        }
        Ok(())
    }

    /// What the scale-outs of this run wrote so far (not what they planned), for a message.
    fn scaled_text(&self) -> String {
        let scaled: Vec<String> = self
            .capacity
            .borrow()
            .iter()
            .filter(|v| v.state != "planned")
            .filter_map(|v| {
                let text = plan::describe_change(&v.scaler, v.before, v.after?);
                Some(if v.state == "partly-scaled" {
                    format!("{text} (the write failed partway)")
                } else {
                    text
                })
            })
            .collect();
        if scaled.is_empty() {
            "nothing was scaled".into()
        } else {
            scaled.join("; ")
        }
    }

    fn grow_halted(&self, rb: &Runbook<'_>, h: Halt) -> (Outcome, String) {
        let scaled = self.scaled_text();
        match h {
            Halt::Interrupted => {
                let sig = rb.interrupt.signal().map_or("a signal", |s| s.name());
                (
                    Outcome::Interrupted,
                    format!(
                        "interrupted by {sig} during the capacity step: traffic was not moved; capacity: {scaled}"
                    ),
                )
            }
            Halt::Gate(m) => (Outcome::Refused, format!("{m}; traffic was not moved")),
            Halt::Concurrent(m) => (
                Outcome::ConcurrentChange,
                format!("{m}; traffic was not moved"),
            ),
            Halt::Failed(m) | Halt::Lease(m) => (
                Outcome::Failed,
                format!("{m}; traffic was not moved; capacity: {scaled}"),
            ),
        }
    }

    /// The plan's view of a capacity step (the report of a dry run shows it).
    fn planned_view(&self, g: &Grow<'a>) {
        let to = match g.scale {
            Scale::Raise { to, .. } => Some(to),
            Scale::Enough => None,
        };
        self.view(g, "planned", to, None);
    }

    fn view(&self, g: &Grow<'a>, state: &'static str, to: Option<Sizes>, healthy: Option<u32>) {
        let mut views = self.capacity.borrow_mut();
        let key = g.cap.scaler.id();
        let v = match views.iter_mut().find(|v| v.resource == key) {
            Some(v) => v,
            None => {
                views.push(CapacityView {
                    service: g.svc.name.clone(),
                    site: g.cap.site.clone(),
                    resource: key,
                    scaler: g.cap.scaler.describe(),
                    need: Some(g.need.need),
                    why: Some(g.need.why.clone()),
                    before: g.from,
                    after: None,
                    healthy: None,
                    state,
                });
                views.last_mut().expect("just pushed")
            }
        };
        v.state = state;
        if let Some(t) = to {
            v.after = Some(t);
        }
        if healthy.is_some() {
            v.healthy = healthy;
        }
    }

    /// The plan's capacity lines: `scale aws/web: ECS prod/web min 6 -> 10 (carries ...)`.
    pub(super) fn capacity_plan_text(&self, grows: &[Grow<'a>]) -> String {
        grows
            .iter()
            .map(|g| {
                let site = format!("{}/{}", g.cap.site, g.svc.name);
                let (need, why) = (g.need.need, &g.need.why);
                match g.scale {
                    Scale::Raise { from, to } => format!(
                        "  scale {site}: {} ({why}); then wait for {need} healthy targets (up to {})\n",
                        plan::describe_raise(&g.cap.scaler, from, to),
                        crate::duration::format(g.cap.timeout)
                    ),
                    Scale::Enough => format!(
                        "  capacity {site}: {} already asks for {need} or more ({why}); wait for {need} healthy targets\n",
                        g.cap.scaler.describe()
                    ),
                }
            })
            .collect()
    }

    /// After a failback whose weights are verified: gives back each scale-out this tool made
    /// (the last `capacity` write recorded for the resource), unless someone changed the
    /// scaler since (reported, never overwritten). Returns what the report should say.
    /// A failback with nothing to move: gives back what a scale-out left (a capacity step
    /// that timed out kept it), when the file has capacity. `applied` when something was.
    pub(super) async fn give_back_only(
        &self,
        rb: &mut Runbook<'_>,
        message: String,
        changes: Vec<crate::report::ServiceChange>,
    ) -> (Outcome, String, Vec<crate::report::ServiceChange>) {
        if self.services.iter().all(|s| s.capacity.is_empty()) {
            return (Outcome::NoOp, message, changes);
        }
        if let Err(m) = rb.open_journal() {
            return (Outcome::Failed, m, changes);
        }
        let notes = self.give_back(rb).await;
        let gave = notes.iter().any(|n| n.starts_with("capacity given back"));
        let message = if notes.is_empty() {
            message
        } else {
            format!("{message}; {}", notes.join("; "))
        };
        let outcome = if gave {
            Outcome::Applied
        } else {
            Outcome::NoOp
        };
        (outcome, message, changes)
    }

    pub(super) async fn give_back(&self, rb: &mut Runbook<'_>) -> Vec<String> {
        let mut notes = Vec::new();
        let records = self.history_records().await;
        for svc in self.services {
            for cap in svc.capacity.iter() {
                let id = cap.scaler.id();
                let Some((before, set)) = last_grant(&records, &id) else {
                    continue;
                };
                if cap.scale_back == ScaleBack::Keep {
                    notes.push(format!(
                        "{} kept as scaled (scale_back: keep)",
                        cap.scaler.describe()
                    ));
                    continue;
                }
                let now = match read_sizes(self.ctx, &cap.scaler).await {
                    Ok(Some(n)) => n,
                    Ok(None) => continue,
                    Err(e) => {
                        notes.push(format!(
                            "{} not given back: cannot read it ({e})",
                            cap.scaler.describe()
                        ));
                        continue;
                    }
                };
                match plan::give_back(before, set, now) {
                    GiveBack::Nothing => {}
                    GiveBack::Foreign(m) => {
                        let m = format!("{} not given back: {m}", cap.scaler.describe());
                        let _ = rb.record(Body::Warning { message: m.clone() });
                        notes.push(m);
                    }
                    GiveBack::Restore { from, to } => {
                        let mut w = ScaleWrite::new(self.ctx, svc, cap, SHRINK, from, to);
                        let text = plan::describe_raise(&cap.scaler, from, to);
                        notes.push(match rb.step(&mut w).await {
                            Ok(()) => format!("capacity given back: {text}"),
                            Err(
                                Halt::Failed(m)
                                | Halt::Lease(m)
                                | Halt::Gate(m)
                                | Halt::Concurrent(m),
                            ) => format!("capacity not given back ({text}): {m}"),
                            Err(Halt::Interrupted) => {
                                format!("capacity not given back ({text}): interrupted")
                            }
                        });
                    }
                }
            }
        }
        notes
    }

    /// The records that may hold a scale-out: the shared history with a coordination table
    /// (the scale-out may have been made on another host), else this host's journal.
    async fn history_records(&self) -> Vec<Record> {
        let ninety_days_ms = 90 * 24 * 3600 * 1000;
        if let (Some(client), Some(c)) = (
            crate::runbook::table_client(self.s, self.ctx),
            self.s.topology.coordination.as_ref(),
        ) {
            let from =
                crate::runbook::history::sort_key(self.s.clock.epoch_ms() - ninety_days_ms, "", 0);
            if let Ok(lines) =
                crate::aws::dynamodb::history(&client, &c.dynamodb_table, &from, None, 10_000).await
            {
                return lines.iter().filter_map(|l| Record::parse(l).ok()).collect();
            }
        }
        let (mut records, _) = crate::journal::read(&self.s.journal).unwrap_or_default();
        records.reverse();
        records
    }
}

/// The newest capacity write of `resource` in `records` (newest first) that changed it: a
/// scale-out not yet given back gives (what held before, what it set). A write that failed
/// partway counts with what its outcome record read AWS to hold.
fn last_grant(records: &[Record], resource: &str) -> Option<(Sizes, Sizes)> {
    let (out, result, now) = records.iter().find_map(|r| match &r.body {
        Body::Outcome {
            resource: res,
            result,
            now,
            ..
        } if res == resource && (*result == WriteResult::Verified || now.is_some()) => {
            Some((r, *result, now.as_ref()))
        }
        _ => None,
    })?;
    let Body::Outcome { step, .. } = &out.body else {
        return None;
    };
    if step != GROW {
        return None;
    }
    let (before, to) = records.iter().find_map(|r| match &r.body {
        Body::Intent {
            resource: res,
            step: s,
            to,
            before: Some(before),
            ..
        } if res == resource && s == step && r.run == out.run => {
            Some((before.sizes()?, to.sizes()?))
        }
        _ => None,
    })?;
    let set = match result {
        WriteResult::Verified => to,
        _ => now?.sizes()?,
    };
    (set != before).then_some((before, set))
}

/// One scaler write: min (and max, with --force) and desired, read back.
struct ScaleWrite<'c> {
    ctx: &'c AwsContext,
    service: String,
    scaler: Scaler,
    label: &'static str,
    from: Sizes,
    to: Sizes,
    now: Option<Sizes>,
}

impl<'c> ScaleWrite<'c> {
    fn new(
        ctx: &'c AwsContext,
        svc: &Service,
        cap: &Capacity,
        label: &'static str,
        from: Sizes,
        to: Sizes,
    ) -> Self {
        ScaleWrite {
            ctx,
            service: svc.name.clone(),
            scaler: cap.scaler.clone(),
            label,
            from,
            to,
            now: None,
        }
    }
}

impl WriteStep for ScaleWrite<'_> {
    fn label(&self) -> String {
        self.label.to_string()
    }

    async fn precheck(&mut self) -> Result<(), Halt> {
        let now = read_sizes(self.ctx, &self.scaler)
            .await
            .map_err(|e| Halt::Failed(format!("cannot read {}: {e}", self.scaler.describe())))?
            .ok_or_else(|| Halt::Failed(format!("{} no longer exists", self.scaler.describe())))?;
        self.now = Some(now);
        if now != self.from {
            return Err(Halt::Concurrent(format!(
                "{} changed concurrently: it holds {}, the plan was made from {}",
                self.scaler.describe(),
                now.describe(),
                self.from.describe()
            )));
        }
        Ok(())
    }

    fn intents(&self) -> Vec<Intent> {
        vec![Intent {
            resource: self.scaler.id(),
            service: Some(self.service.clone()),
            to: Held::capacity(self.to),
            before: Some(Held::capacity(self.from)),
        }]
    }

    fn forced_gates(&self) -> Vec<String> {
        Vec::new()
    }

    async fn write(&mut self) -> Result<(), String> {
        let (from, to) = (self.from, self.to);
        let r = match &self.scaler {
            Scaler::EcsService {
                cluster, service, ..
            } => {
                let id = appscaling::resource_id(cluster, service);
                let target = match (to.max, from.max) {
                    (Some(max), Some(_)) if (to.min, to.max) != (from.min, from.max) => {
                        appscaling::set(&self.ctx.appscaling(), &id, to.min, max).await
                    }
                    _ => Ok(()),
                };
                match target {
                    Ok(()) if to.desired != from.desired => {
                        ecs::set_desired(&self.ctx.ecs(), cluster, service, to.desired).await
                    }
                    other => other,
                }
            }
            Scaler::AutoscalingGroup { name, .. } => {
                autoscaling::set(
                    &self.ctx.autoscaling(),
                    name,
                    to.min,
                    to.desired,
                    to.max.unwrap_or(to.desired),
                )
                .await
            }
        };
        if let Err(e) = r {
            // Part of it may have gone through (RegisterScalableTarget before UpdateService):
            // one read says what AWS holds, for the outcome record and the give-back.
            self.now = read_sizes(self.ctx, &self.scaler).await.ok().flatten();
            return Err(format!("scaling {} failed: {e}", self.scaler.describe()));
        }
        Ok(())
    }

    async fn verify(&mut self) -> Result<(), String> {
        let now = read_sizes(self.ctx, &self.scaler)
            .await
            .map_err(|e| format!("cannot read {} back: {e}", self.scaler.describe()))?;
        self.now = now;
        let Some(now) = now else {
            return Err(format!("{} no longer exists", self.scaler.describe()));
        };
        // Raising a scalable target's minimum raises desired with it (AWS does), and the
        // service's own policy may have moved desired since: min and max decide, and desired
        // must be at least what was asked when it was raised.
        let ok = now.min == self.to.min
            && now.max == self.to.max
            && (self.to.desired <= self.from.desired || now.desired >= self.to.desired);
        if ok {
            Ok(())
        } else {
            Err(format!(
                "{} reads back {} instead of {}",
                self.scaler.describe(),
                now.describe(),
                self.to.describe()
            ))
        }
    }

    fn now(&self, _resource: &str) -> Option<Held> {
        self.now.map(Held::capacity)
    }

    async fn tag(&mut self, _value: &(dyn Fn(&str) -> String + Sync)) -> Result<(), String> {
        // Scalers carry no hybridctl tag: the journal and the shared history are the audit.
        Ok(())
    }
}
