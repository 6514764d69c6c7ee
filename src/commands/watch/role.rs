//! Which watcher acts. With a coordination table, a watcher lease decides across hosts: the
//! active watcher renews it every poll (and while it acts); a standby tries to take it every
//! poll, so it takes over once the lease has expired plus the clock-skew margin. The lease is
//! shortened by that margin and two polls (one for the active watcher's renewal, one for the
//! standby's attempt), so the takeover comes within one `coordination.lease` of the active
//! watcher's death. Without a table, a host-local lock does the same on one host.

use std::time::{Duration, SystemTime};

use crate::aws::dynamodb::{self, Refused, Taker};
use crate::runbook::lock::{self, Holder, LockError, Locks};
use crate::settings::Settings;
use crate::signal::Interrupt;
use crate::topology::SKEW_MARGIN;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Active,
    /// Someone else is active (who, as far as known).
    Standby(String),
}

/// Whether a standby's view of the holder is valid: `Role::Standby` names the active watcher,
/// or starts with `unknown` when the lease cannot be read or taken (no permission, a bad table,
/// this host's clock off).
pub fn holder_known(who: &str) -> bool {
    !who.starts_with("unknown")
}

/// A role change worth a line and, for a takeover, a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    BecameActive {
        /// The watcher active before, and whether it died (its lease expired) rather than
        /// handing over cleanly (released at SIGTERM).
        took_over_from: Option<(String, bool)>,
    },
    BecameStandby(String),
    Lost(String),
    /// The lease cannot be taken at all (no permission, throttling, a bad table): nobody may
    /// be active. Said once per distinct reason.
    Unavailable(String),
}

/// The other watcher as last seen: who, a key that stays the same while it holds the lease,
/// and until when.
#[derive(Debug, Clone)]
pub struct Seen {
    who: String,
    key: String,
    expires_ms: i64,
}

impl Seen {
    fn of(l: &dynamodb::Lease) -> Seen {
        Seen {
            who: format!(
                "watch by {}@{} (pid {}, since {})",
                l.user, l.host, l.pid, l.since
            ),
            key: l.version.clone(),
            expires_ms: l.expires_ms,
        }
    }
}

pub enum Guard {
    Local {
        locks: Option<Locks>,
        last: Option<String>,
    },
    Table {
        client: aws_sdk_dynamodb::Client,
        table: String,
        resource: String,
        len: Duration,
        /// This watcher's lease version while it holds the lease.
        version: Option<String>,
        expires_ms: i64,
        /// The holder last seen while standby.
        seen: Option<Seen>,
        /// The last reason the lease could not be taken, said once.
        unavailable: Option<String>,
        takes: u32,
    },
    /// `--observe`: never acts, so never contends.
    Observe,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Guard {
    pub fn new(s: &Settings, table: Option<aws_sdk_dynamodb::Client>, observe: bool) -> Guard {
        if observe {
            return Guard::Observe;
        }
        match (table, &s.topology.coordination, &s.topology.watch) {
            (Some(client), Some(c), Some(w)) => Guard::Table {
                client,
                table: c.dynamodb_table.clone(),
                resource: super::store::key(s),
                // Validation keeps this at least one poll long (topology::min_watch_lease).
                len: c.lease.saturating_sub(SKEW_MARGIN + 2 * w.interval),
                version: None,
                expires_ms: 0,
                seen: None,
                unavailable: None,
                takes: 0,
            },
            _ => Guard::Local {
                locks: None,
                last: None,
            },
        }
    }

    /// Takes or keeps the role for this poll; returns it and what changed.
    pub async fn ensure(&mut self, s: &Settings, stop: &Interrupt) -> (Role, Option<Change>) {
        match self {
            Guard::Observe => (Role::Active, None),
            Guard::Local { locks, last } => local(s, stop, locks, last).await,
            Guard::Table { .. } => self.table(s).await,
        }
    }

    async fn table(&mut self, s: &Settings) -> (Role, Option<Change>) {
        let Guard::Table {
            client,
            table,
            resource,
            len,
            version,
            expires_ms,
            seen,
            unavailable,
            takes,
        } = self
        else {
            unreachable!()
        };
        let len_ms = len.as_millis() as i64;
        if let Some(v) = version.clone() {
            return renew_held(
                client, table, resource, &v, len_ms, version, expires_ms, seen,
            )
            .await;
        }
        *takes += 1;
        let v = format!("watch-{}-{}-{}", s.identity.host, s.identity.pid, takes);
        let since = s.clock.rfc3339();
        let who = Taker {
            user: &s.identity.user,
            host: &s.identity.host,
            pid: s.identity.pid,
            command: "watch",
            reason: None,
            since: &since,
            version: &v,
        };
        let margin = SKEW_MARGIN.as_millis() as i64;
        match dynamodb::acquire(client, table, resource, &who, now_ms(), len_ms, margin).await {
            Ok(l) => {
                *version = Some(v);
                *expires_ms = l.expires_ms;
                *unavailable = None;
                // Taken before the last seen expiry: it was released (a clean stop).
                let took_over_from = seen
                    .take()
                    .map(|x| (x.who, x.expires_ms + margin <= now_ms()));
                (Role::Active, Some(Change::BecameActive { took_over_from }))
            }
            Err(Refused::Held(other)) => {
                *unavailable = None;
                let now = other.as_ref().map(Seen::of);
                let fresh = now.as_ref().map(|x| &x.key) != seen.as_ref().map(|x| &x.key);
                let who = now
                    .as_ref()
                    .map_or_else(|| "another watcher".into(), |x| x.who.clone());
                *seen = now;
                let change = fresh.then(|| Change::BecameStandby(who.clone()));
                (Role::Standby(who), change)
            }
            Err(Refused::HeldUnknown(e)) => {
                *unavailable = None;
                let who = format!("another watcher (GetItem failed: {e})");
                let fresh = seen.take().is_some() || takes == &1;
                (
                    Role::Standby(who.clone()),
                    fresh.then_some(Change::BecameStandby(who)),
                )
            }
            Err(Refused::Failed(e)) => {
                let m = format!("the watcher lease cannot be taken in {table}: {e}");
                let fresh = unavailable.as_deref() != Some(m.as_str());
                *unavailable = Some(m.clone());
                (
                    Role::Standby(format!("unknown: {m}")),
                    fresh.then_some(Change::Unavailable(m)),
                )
            }
            Err(Refused::Skew(m)) => {
                let m = format!("the watcher lease is not taken: {m}");
                let fresh = unavailable.as_deref() != Some(m.as_str());
                *unavailable = Some(m.clone());
                (
                    Role::Standby(format!("unknown: {m}")),
                    fresh.then_some(Change::Unavailable(m)),
                )
            }
        }
    }

    /// Gives the role up (a clean stop): a standby takes over at its next poll.
    pub async fn release(&mut self) {
        match self {
            Guard::Local { locks, .. } => *locks = None,
            Guard::Table {
                client,
                table,
                resource,
                version,
                ..
            } => {
                if let Some(v) = version.take()
                    && let Err(e) = dynamodb::release(client, table, resource, Some(&v)).await
                {
                    tracing::warn!(
                        "releasing the watcher lease failed ({e}); it expires by itself"
                    );
                }
            }
            Guard::Observe => {}
        }
    }

    /// When the watcher lease expires (epoch ms): this watcher's while it holds it, the
    /// holder's as last seen while standing by; None without a coordination table.
    pub fn lease_expiry_ms(&self) -> Option<i64> {
        match self {
            Guard::Table {
                version: Some(_),
                expires_ms,
                ..
            } => Some(*expires_ms),
            Guard::Table { seen, .. } => seen.as_ref().map(|x| x.expires_ms),
            _ => None,
        }
    }

    /// How often the lease must be renewed while an action runs.
    pub fn renew_every(&self) -> Option<Duration> {
        match self {
            Guard::Table { len, .. } => Some(*len / 3),
            _ => None,
        }
    }
}

async fn local(
    s: &Settings,
    stop: &Interrupt,
    locks: &mut Option<Locks>,
    last: &mut Option<String>,
) -> (Role, Option<Change>) {
    if locks.is_some() {
        return (Role::Active, None);
    }
    let holder = Holder {
        pid: s.identity.pid,
        user: s.identity.user.clone(),
        host: s.identity.host.clone(),
        command: "watch".into(),
        since: s.clock.rfc3339(),
    };
    let resource = super::store::key(s);
    let quiet = |_: &str, _: Option<&Holder>| {};
    match lock::acquire(
        &s.journal,
        &[resource],
        &holder,
        Duration::ZERO,
        &quiet,
        stop,
    )
    .await
    {
        Ok(l) => {
            *locks = Some(l);
            // A local lock is only free once its holder has exited.
            let change = Change::BecameActive {
                took_over_from: last.take().map(|who| (who, true)),
            };
            (Role::Active, Some(change))
        }
        Err(LockError::Busy { holder, .. }) => {
            let who = holder.map_or_else(|| "another watcher".into(), |h| h.describe());
            let fresh = last.as_deref() != Some(who.as_str());
            *last = Some(who.clone());
            (
                Role::Standby(who.clone()),
                fresh.then_some(Change::BecameStandby(who)),
            )
        }
        Err(e) => (Role::Standby(format!("unknown: {e}")), None),
    }
}

/// The active watcher renews its lease; lost, or not renewable in time, it stands by.
#[allow(clippy::too_many_arguments)] // the guard's fields, borrowed one by one
async fn renew_held(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    resource: &str,
    v: &str,
    len_ms: i64,
    version: &mut Option<String>,
    expires_ms: &mut i64,
    seen: &mut Option<Seen>,
) -> (Role, Option<Change>) {
    let until = now_ms() + len_ms;
    match dynamodb::renew(client, table, resource, v, None, until).await {
        Ok(()) => {
            *expires_ms = until;
            (Role::Active, None)
        }
        Err(Refused::Held(other)) => {
            *version = None;
            *seen = other.as_ref().map(Seen::of);
            let who = seen
                .as_ref()
                .map_or_else(|| "another watcher".into(), |x| x.who.clone());
            let m = format!("the watcher lease was lost to {who}");
            (Role::Standby(who), Some(Change::Lost(m)))
        }
        Err(Refused::HeldUnknown(e)) => {
            *version = None;
            *seen = None;
            let who = format!("another watcher (GetItem failed: {e})");
            let m = format!("the watcher lease was lost to {who}");
            (Role::Standby(who), Some(Change::Lost(m)))
        }
        Err(Refused::Skew(m)) => {
            *version = None;
            let m = format!("the watcher lease is not renewed: {m}");
            (
                Role::Standby("unknown (this host's clock is off)".into()),
                Some(Change::Lost(m)),
            )
        }
        // A failed renewal keeps the role while the lease still has time left.
        Err(Refused::Failed(e)) if *expires_ms - now_ms() > SKEW_MARGIN.as_millis() as i64 => {
            tracing::warn!("renewing the watcher lease failed: {e}");
            (Role::Active, None)
        }
        Err(Refused::Failed(e)) => {
            *version = None;
            let m = format!("the watcher lease cannot be renewed ({e}): standing by");
            (
                Role::Standby("unknown (the table cannot be used)".into()),
                Some(Change::Lost(m)),
            )
        }
    }
}
