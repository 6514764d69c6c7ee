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

/// A role change worth a line and, for a takeover, a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    BecameActive {
        /// The watcher whose lease expired (it died or lost its network).
        took_over_from: Option<String>,
    },
    BecameStandby(String),
    Lost(String),
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
        seen: Option<String>,
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
            takes,
        } = self
        else {
            unreachable!()
        };
        let len_ms = len.as_millis() as i64;
        if let Some(v) = version.clone() {
            let until = now_ms() + len_ms;
            return match dynamodb::renew(client, table, resource, &v, until).await {
                Ok(()) => {
                    *expires_ms = until;
                    (Role::Active, None)
                }
                Err(Refused::Held(other)) => {
                    *version = None;
                    let who = other.map_or_else(|| "another watcher".into(), |l| l.describe());
                    let m = format!("the watcher lease was lost to {who}");
                    *seen = Some(who.clone());
                    (Role::Standby(who), Some(Change::Lost(m)))
                }
                // A failed renewal keeps the role while the lease still has time left.
                Err(Refused::Failed(e))
                    if *expires_ms - now_ms() > SKEW_MARGIN.as_millis() as i64 =>
                {
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
            };
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
                let change = Change::BecameActive {
                    took_over_from: seen.take(),
                };
                (Role::Active, Some(change))
            }
            Err(Refused::Held(other)) => {
                let who = other.map_or_else(|| "another watcher".into(), |l| l.describe());
                let fresh = seen.as_deref() != Some(who.as_str());
                *seen = Some(who.clone());
                let change = fresh.then(|| Change::BecameStandby(who.clone()));
                (Role::Standby(who), change)
            }
            Err(Refused::Failed(e)) => (
                Role::Standby(format!("unknown: the watcher lease cannot be taken ({e})")),
                None,
            ),
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
            let change = Change::BecameActive {
                took_over_from: last.take(),
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
