//! The drill's reads: the preflight (weights, blocking, failover and outcome alarms, health)
//! and each poll of the hold (alarms, both sites' health, the receiving target group's
//! CloudWatch metrics), judged by `plan::drill::judge`.

use std::time::{Duration, Instant, SystemTime};

use super::model::{Drill, Ended, Preflight, during, weights_of};
use crate::aws::{cloudwatch, elbv2};
use crate::commands::live;
use crate::plan::drill::{self as plan, HoldPoll, MetricsReading, Verdict};

/// Why a drill did not begin.
pub(crate) enum NotStarted {
    Refused(String),
    /// A read failed (exit 3).
    Failed(String),
}

/// The alarms of the preflight, the weights before and the weights to hold.
pub(crate) async fn preflight(d: &Drill<'_>) -> Result<Preflight, NotStarted> {
    let elb = d.ctx.elbv2();
    let names: Vec<String> = d
        .cfg
        .blocking_alarms
        .iter()
        .chain(&d.cfg.outcome_alarms)
        .chain(d.f.alarm.iter())
        .cloned()
        .collect();
    let alarms = async {
        if names.is_empty() {
            Ok(Vec::new())
        } else {
            cloudwatch::describe_alarms(&d.ctx.cloudwatch(), &names).await
        }
    };
    let services = [d.svc];
    let (actions, alarms) = tokio::join!(live::actions(&elb, &services), alarms);
    let failed =
        |e: crate::error::AwsError| NotStarted::Failed(format!("{e}; nothing was changed"));
    let (actions, alarms) = (actions.map_err(failed)?, alarms.map_err(failed)?);
    let in_alarm = |name: &String| {
        alarms
            .iter()
            .any(|a| &a.name == name && a.state == Some(cloudwatch::AlarmState::Alarm))
    };
    let refuse = |m: String| {
        Err(NotStarted::Refused(format!(
            "refused: {m}; nothing was changed"
        )))
    };
    if let Some(a) = d.cfg.blocking_alarms.iter().find(|a| in_alarm(a)) {
        return refuse(format!("blocking alarm {a} is in ALARM"));
    }
    if let Some(a) = d.f.alarm.as_ref().filter(|a| in_alarm(a)) {
        return refuse(format!(
            "failover.alarm {a} is in ALARM: this is a real failure, not a time for a drill"
        ));
    }
    if let Some(a) = d.cfg.outcome_alarms.iter().find(|a| in_alarm(a)) {
        return refuse(format!(
            "outcome alarm {a} is already in ALARM: the drill could not be judged"
        ));
    }
    let before = weights_of(d.svc, &actions).map_err(NotStarted::Refused)?;
    let during = during(d.svc, d.f, &before, d.cfg.share)
        .map_err(|m| NotStarted::Refused(format!("refused: {m}")))?;
    Ok(Preflight { before, during })
}

/// Polls every tenth of the hold (1s to 30s) until it has passed, a poll fails or aborts the
/// drill, or a signal arrives. The last poll is made at the end of the hold.
pub(crate) async fn hold(d: &Drill<'_>) -> (Ended, Option<MetricsReading>) {
    let every = (d.cfg.hold / 10).clamp(Duration::from_secs(1), Duration::from_secs(30));
    let started = Instant::now();
    // CloudWatch's time is the real one, whatever clock the decisions run on.
    let since = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |t| t.as_secs() as i64);
    let mut metrics = None;
    loop {
        let left = d.cfg.hold.saturating_sub(started.elapsed());
        if d.stop.sleep(every.min(left)).await {
            let sig = d.stop.signal().unwrap_or(crate::signal::Signal::Int);
            return (Ended::Interrupted(sig), metrics);
        }
        let p = poll(d, since).await;
        metrics = p.metrics.or(metrics);
        match plan::judge(d.cfg, d.f, &p) {
            Verdict::Hold if started.elapsed() >= d.cfg.hold => return (Ended::Passed, metrics),
            Verdict::Hold => {}
            Verdict::Failed(m) => return (Ended::Failed(m), metrics),
            Verdict::Aborted(m) => return (Ended::Aborted(m), metrics),
        }
    }
}

/// One poll of the hold, every read at once; a read that fails counts neither way.
async fn poll(d: &Drill<'_>, since: i64) -> HoldPoll {
    let elb = d.ctx.elbv2();
    let cw = d.ctx.cloudwatch();
    let group = |site: &str| {
        d.svc
            .targets
            .iter()
            .find(|t| t.site == site)
            .and_then(|t| t.target_group().cloned())
    };
    let (from, to) = (group(&d.f.from), group(&d.f.to));
    let healthy = |arn: Option<crate::topology::arn::Arn>| {
        let elb = &elb;
        async move {
            let arn = arn?.to_string();
            match elbv2::target_health(elb, &arn).await {
                Ok(ts) => Some(ts.iter().filter(|t| t.is_healthy()).count() as u32),
                Err(e) => {
                    tracing::warn!("drill: target health of {arn} unread: {e}");
                    None
                }
            }
        }
    };
    let names: Vec<String> = d
        .cfg
        .outcome_alarms
        .iter()
        .chain(d.f.alarm.iter())
        .cloned()
        .collect();
    let alarms = async {
        if names.is_empty() {
            return Some(Vec::new());
        }
        cloudwatch::describe_alarms(&cw, &names)
            .await
            .inspect_err(|e| tracing::warn!("drill: alarms unread: {e}"))
            .ok()
    };
    let metrics = async {
        if d.cfg.max_5xx_rate.is_none() && d.cfg.max_p99_seconds.is_none() {
            return None;
        }
        let tg = to.as_ref()?;
        let (tg_dim, lb_dim) = dimensions(tg, d.svc.alb()?.0);
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |t| t.as_secs() as i64);
        cloudwatch::target_group_metrics(&cw, &tg_dim, &lb_dim, (since - 60, now + 60))
            .await
            .inspect_err(|e| tracing::warn!("drill: metrics unread: {e}"))
            .ok()
            .map(|m| MetricsReading {
                requests: m.requests,
                errors_5xx: m.errors_5xx,
                p99_seconds: m.p99_seconds,
            })
    };
    let prober = crate::probe::Prober::of(&d.s.topology);
    let (from_healthy, to_healthy, alarms, metrics, from_probe, to_probe) = tokio::join!(
        healthy(from.clone()),
        healthy(to.clone()),
        alarms,
        metrics,
        probe(d, prober.as_ref(), &d.f.from),
        probe(d, prober.as_ref(), &d.f.to)
    );
    let state = |name: &str| {
        alarms.as_ref().map(|v| {
            v.iter()
                .any(|a| a.name == name && a.state == Some(cloudwatch::AlarmState::Alarm))
        })
    };
    HoldPoll {
        failover_alarm: d
            .f
            .alarm
            .as_ref()
            .and_then(|a| state(a).map(|s| (a.clone(), s))),
        outcome_alarms: d
            .cfg
            .outcome_alarms
            .iter()
            .filter(|a| state(a) == Some(true))
            .cloned()
            .collect(),
        from_healthy,
        to_healthy,
        metrics,
        from_probe,
        to_probe,
    }
}

/// hybridctl's own HTTP check of a site, when the service has one: (passed, what it saw).
async fn probe(
    d: &Drill<'_>,
    prober: Option<&crate::probe::Prober>,
    site: &str,
) -> Option<(bool, String)> {
    let p = d.svc.probes.iter().find(|p| p.site == site)?;
    let r = prober?.check(p).await;
    Some((r.ok, r.message))
}

/// CloudWatch's dimensions for a target group: `targetgroup/NAME/ID` and the load balancer's
/// `app/NAME/ID` (from the listener's ARN `listener/app/NAME/ID/LISTENER`).
pub(crate) fn dimensions(
    tg: &crate::topology::arn::Arn,
    listener: &crate::topology::arn::Arn,
) -> (String, String) {
    let lb: Vec<&str> = listener.segments().into_iter().skip(1).take(3).collect();
    (tg.resource.clone(), lb.join("/"))
}
