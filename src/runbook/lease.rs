//! The cross-host lease: acquired with the locks (all or none), checked before each write (a
//! write needs the lease held with enough time left for the step, renewing if not), renewed
//! during long waits, released at the end (also after failures and signals).
//!
//! `Local`: no coordination table; the host-local locks are the only mutual exclusion.
//! `Table`: a lease per resource in the DynamoDB coordination table (`aws::dynamodb`), with a
//! fencing generation written into the journal and the tag. A holder killed with SIGKILL leaves
//! a lease that others take over once it has expired plus the skew margin.
//! `Unleased`: `--no-lease` break glass (the table unreachable): journaled and tagged.

use std::time::{Duration, SystemTime};

use aws_sdk_dynamodb::Client;

use crate::aws::dynamodb::{self, Refused, Taker};

pub use crate::topology::SKEW_MARGIN;

/// Why the lease does not allow the run (or its next write).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaseError {
    /// Someone else holds it (nothing was written).
    Held(String),
    /// The table cannot be used (throttled, unreachable, no permission): exit 3.
    Unavailable(String),
    /// It was lost, or cannot be renewed for long enough (stop before the next write).
    Lost(String),
}

/// One resource's lease, as this run holds it.
#[derive(Debug, Clone)]
pub struct Held {
    pub resource: String,
    pub version: String,
    pub expires_ms: i64,
    pub generation: u64,
}

#[derive(Debug, Default)]
pub enum Lease {
    /// No coordination table.
    #[default]
    Local,
    /// Leases in the coordination table.
    Table(TableLease),
    /// `--no-lease`: the table was unreachable or held no live lease; the reason is journaled.
    Unleased(String),
}

#[derive(Debug)]
pub struct TableLease {
    client: Client,
    table: String,
    len: Duration,
    held: Vec<Held>,
    /// Just acquired: the first write's check is folded into the acquisition (no call).
    fresh: bool,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl Lease {
    pub fn table(client: Client, table: String, len: Duration) -> Lease {
        Lease::Table(TableLease {
            client,
            table,
            len,
            held: Vec::new(),
            fresh: false,
        })
    }

    /// Takes the lease of every resource in order, all or none.
    /// `who.version` is the run's id: renewals and the release are conditional on it.
    pub async fn acquire(
        &mut self,
        resources: &[String],
        who: &Taker<'_>,
    ) -> Result<(), LeaseError> {
        let Lease::Table(t) = self else { return Ok(()) };
        let mut sorted: Vec<&String> = resources.iter().collect();
        sorted.sort();
        sorted.dedup();
        for resource in sorted {
            let len = t.len.as_millis() as i64;
            let margin = SKEW_MARGIN.as_millis() as i64;
            match dynamodb::acquire(&t.client, &t.table, resource, who, now_ms(), len, margin).await
            {
                Ok(l) => t.held.push(Held {
                    resource: resource.clone(),
                    version: l.version,
                    expires_ms: l.expires_ms,
                    generation: l.generation,
                }),
                Err(refused) => {
                    t.release_all().await;
                    return Err(match refused {
                        Refused::Held(l) => LeaseError::Held(format!(
                            "{resource} is leased by {} (coordination table {}); nothing was changed: try again when it has finished, or see hybridctl lease status",
                            l.map(|l| l.describe())
                                .unwrap_or_else(|| "another host".into()),
                            t.table
                        )),
                        Refused::Failed(e) => LeaseError::Unavailable(format!(
                            "the lease of {resource} cannot be taken in the coordination table {}: {e}",
                            t.table
                        )),
                    });
                }
            }
        }
        t.fresh = true;
        Ok(())
    }

    /// Before a write: every lease is still this run's, with at least `needed` (plus the skew
    /// margin) left. Proven by a conditional renewal (one call per write), except right after
    /// the acquisition, which proved it already: a one-step failover makes no extra call.
    pub async fn check(&mut self, needed: Duration) -> Result<(), LeaseError> {
        let Lease::Table(t) = self else { return Ok(()) };
        let want = (needed + SKEW_MARGIN).as_millis() as i64;
        if std::mem::take(&mut t.fresh) && t.held.iter().all(|h| h.expires_ms - now_ms() >= want) {
            return Ok(());
        }
        t.renew_all(want).await
    }

    /// During a long wait: extend every lease that is past half its length.
    pub async fn renew(&mut self) -> Result<(), LeaseError> {
        let Lease::Table(t) = self else { return Ok(()) };
        let half = (t.len / 2).as_millis() as i64;
        if t.held.iter().all(|h| h.expires_ms - now_ms() >= half) {
            return Ok(());
        }
        t.renew_all(0).await
    }

    /// How often a long write renews (a quarter of the lease; rarely without a table).
    pub fn renew_every(&self) -> Duration {
        match self {
            Lease::Table(t) => t.len / 4,
            _ => Duration::from_secs(3600),
        }
    }

    /// At the end, also after failures and signals. A failure leaves the lease to expire.
    pub async fn release(&mut self) {
        if let Lease::Table(t) = self {
            t.release_all().await;
        }
    }

    /// The fencing generation of a resource's lease (None without a table).
    pub fn generation(&self, resource: &str) -> Option<u64> {
        match self {
            Lease::Table(t) => t
                .held
                .iter()
                .find(|h| h.resource == resource)
                .map(|h| h.generation),
            _ => None,
        }
    }

    /// What the tag and journal say about the lease: `gen 7`, `no lease: REASON`.
    pub fn note(&self, resource: &str) -> Option<String> {
        match self {
            Lease::Local => None,
            Lease::Table(_) => self.generation(resource).map(|g| format!("gen {g}")),
            Lease::Unleased(why) => Some(format!("NO LEASE: {why}")),
        }
    }
}

impl TableLease {
    /// Renews every lease to a full length; `want`: the least time a lease may keep when a
    /// renewal fails for a reason other than losing it (throttling).
    async fn renew_all(&mut self, want: i64) -> Result<(), LeaseError> {
        let len = self.len.as_millis() as i64;
        for h in &mut self.held {
            let until = now_ms() + len;
            match dynamodb::renew(&self.client, &self.table, &h.resource, &h.version, until).await {
                Ok(()) => h.expires_ms = until,
                Err(Refused::Held(other)) => {
                    return Err(LeaseError::Lost(format!(
                        "the lease of {} was lost{}",
                        h.resource,
                        other
                            .filter(|o| o.version != h.version)
                            .map(|o| format!(": now held by {}", o.describe()))
                            .unwrap_or_default()
                    )));
                }
                Err(Refused::Failed(e)) if h.expires_ms - now_ms() < want => {
                    return Err(LeaseError::Lost(format!(
                        "the lease of {} cannot be renewed ({e}) and has too little time left for the next step",
                        h.resource
                    )));
                }
                Err(Refused::Failed(e)) => {
                    tracing::warn!("renewing the lease of {} failed: {e}", h.resource);
                }
            }
        }
        Ok(())
    }

    async fn release_all(&mut self) {
        for h in self.held.drain(..) {
            if let Err(e) =
                dynamodb::release(&self.client, &self.table, &h.resource, Some(&h.version)).await
            {
                tracing::warn!(
                    "releasing the lease of {} failed ({e}); it expires by itself",
                    h.resource
                );
            }
        }
    }
}
