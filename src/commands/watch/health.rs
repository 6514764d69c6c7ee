//! `/healthz` and `/readyz`: what the poll loop last told, judged at the request's time.
//! Healthy while a poll succeeded within 3 x watch.interval (or an action is running, which
//! holds the loop for longer); ready when active, or standing by with a valid view of the
//! watcher lease (the active watcher is known).

use std::time::{Duration, Instant};

use crate::report::WatchEvaluation;

/// The loop's last word, kept for the endpoint.
#[derive(Debug)]
pub struct Health {
    interval: Duration,
    started: Instant,
    last_ok: Option<Instant>,
    /// Why the last poll was not a success (None: it was, or none ended yet).
    failing: Option<String>,
    /// An action in progress (a failback ramp takes minutes): the loop is alive meanwhile.
    acting: Option<String>,
    /// Ok(what), or Err(why not ready).
    ready: Result<String, String>,
}

/// An answer: the HTTP status and a one-line body.
#[derive(Debug, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Health {
    pub fn new(interval: Duration, now: Instant) -> Health {
        Health {
            interval,
            started: now,
            last_ok: None,
            failing: None,
            acting: None,
            ready: Err("starting: no poll has ended yet".into()),
        }
    }

    /// watch.interval changed (SIGHUP).
    pub fn set_interval(&mut self, interval: Duration) {
        self.interval = interval;
    }

    pub fn acting(&mut self, what: Option<String>) {
        self.acting = what;
    }

    /// One poll ended, at `now`.
    pub fn polled(&mut self, line: &WatchEvaluation, now: Instant) {
        self.ready = readiness(line);
        match failure(line) {
            None => {
                self.last_ok = Some(now);
                self.failing = None;
            }
            Some(why) => self.failing = Some(why),
        }
    }

    pub fn healthz(&self, now: Instant) -> Answer {
        let limit = 3 * self.interval;
        if let Some(what) = &self.acting {
            return Answer {
                status: 200,
                body: format!("ok: acting ({what})"),
            };
        }
        let since = self.last_ok.unwrap_or(self.started);
        let age = now.saturating_duration_since(since);
        let secs = |d: Duration| crate::duration::format(Duration::from_secs(d.as_secs()));
        if age <= limit {
            let body = match (&self.last_ok, &self.failing) {
                (None, _) => "ok: starting, no poll has ended yet".to_string(),
                (Some(_), None) => format!("ok: the last poll succeeded {} ago", secs(age)),
                (Some(_), Some(why)) => format!(
                    "ok: a poll succeeded {} ago; the last one failed: {why}",
                    secs(age)
                ),
            };
            return Answer { status: 200, body };
        }
        let what = match self.last_ok {
            Some(_) => format!("no successful poll for {}", secs(age)),
            None => format!("no successful poll since the start {} ago", secs(age)),
        };
        let why = self
            .failing
            .as_deref()
            .unwrap_or("the poll loop has not finished a poll");
        Answer {
            status: 503,
            body: format!(
                "unhealthy: {what} (3 x watch.interval = {}): {why}",
                secs(limit)
            ),
        }
    }

    pub fn readyz(&self) -> Answer {
        match &self.ready {
            Ok(what) => Answer {
                status: 200,
                body: format!("ready: {what}"),
            },
            Err(why) => Answer {
                status: 503,
                body: format!("not ready: {why}"),
            },
        }
    }
}

/// Why a poll was not a success: the evaluation failed, a read failed (a service is unknown),
/// or a standby does not know who holds the lease.
pub fn failure(line: &WatchEvaluation) -> Option<String> {
    if let Some(e) = &line.error {
        return Some(e.clone());
    }
    if line.role == "standby" {
        return line
            .active
            .as_deref()
            .filter(|who| !super::role::holder_known(who))
            .map(|who| format!("standing by without a valid lease view: {who}"));
    }
    line.services
        .iter()
        .find(|s| s.poll == "unknown")
        .map(|s| match &s.why {
            Some(w) => format!("{}: {w}", s.service),
            None => format!("{}: unknown", s.service),
        })
}

fn readiness(line: &WatchEvaluation) -> Result<String, String> {
    match line.role {
        "active" => Ok("active (holds the watcher lease)".into()),
        "observe" => Ok("observe (decides and logs, writes nothing)".into()),
        _ => match line.active.as_deref() {
            Some(who) if super::role::holder_known(who) => Ok(format!("standing by: {who}")),
            Some(who) => Err(format!("standing by without a valid lease view: {who}")),
            None => Err("standing by: the active watcher is unknown".into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{WATCH_SCHEMA, WatchServiceLine};

    fn line(role: &'static str, active: Option<&str>) -> WatchEvaluation {
        WatchEvaluation {
            schema: WATCH_SCHEMA,
            dr_auto: None,
            time: String::new(),
            host: "h".into(),
            role,
            active: active.map(str::to_string),
            services: Vec::new(),
            events: Vec::new(),
            action: None,
            latched: None,
            overflow: Vec::new(),
            drill: None,
            error: None,
        }
    }

    fn unknown(mut l: WatchEvaluation) -> WatchEvaluation {
        l.services.push(WatchServiceLine {
            probes: Vec::new(),
            service: "web".into(),
            poll: "unknown",
            why: Some("the weights of web unread: Throttling".into()),
            healthy: None,
            weights: None,
            bad_streak: 0,
            unknown_streak: 1,
            failed_over_since: None,
            good_since: None,
        });
        l
    }

    #[test]
    fn healthy_within_three_intervals_of_a_good_poll_then_503_with_the_reason() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut h = Health::new(s(10), t0);
        assert_eq!(h.healthz(t0 + s(29)).status, 200);
        assert_eq!(h.readyz().status, 503);
        h.polled(&line("active", None), t0 + s(1));
        assert_eq!(h.readyz().status, 200);
        h.polled(&unknown(line("active", None)), t0 + s(11));
        let a = h.healthz(t0 + s(31));
        assert_eq!(a.status, 200, "{a:?}");
        let a = h.healthz(t0 + s(32));
        assert_eq!(a.status, 503);
        assert!(
            a.body
                .contains("web: the weights of web unread: Throttling"),
            "{a:?}"
        );
        h.acting(Some("failback of web".into()));
        assert_eq!(h.healthz(t0 + s(100)).status, 200);
        h.acting(None);
        h.polled(&line("active", None), t0 + s(101));
        assert_eq!(h.healthz(t0 + s(102)).status, 200);
    }

    #[test]
    fn a_standby_is_ready_only_with_a_known_holder() {
        let t0 = Instant::now();
        let mut h = Health::new(Duration::from_secs(10), t0);
        h.polled(&line("standby", Some("watch by u@b (pid 1, since x)")), t0);
        assert_eq!(h.readyz().status, 200);
        assert_eq!(h.healthz(t0).status, 200);
        h.polled(
            &line(
                "standby",
                Some("unknown: the watcher lease cannot be taken in t: denied"),
            ),
            t0,
        );
        let r = h.readyz();
        assert_eq!(r.status, 503);
        assert!(r.body.contains("cannot be taken"), "{r:?}");
        assert_eq!(h.healthz(t0 + Duration::from_secs(31)).status, 503);
    }
}
