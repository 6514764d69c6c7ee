//! The cross-host lease: acquired with the locks (all or none), **fenced** before each write
//! (a conditional renewal that proves the lease is still this run's taking, after the fresh
//! reads and right before the write, which must then finish within the lease it renewed),
//! renewed during waits, prompts and long writes, released at the end (also after failures and
//! signals). docs/coordination.md has the invariant and its timing argument.
//!
//! `Local`: no coordination table; the host-local locks are the only mutual exclusion.
//! `Table`: a lease per resource in the DynamoDB coordination table (`aws::dynamodb`), with a
//! fencing generation written into the journal and the tag. A holder killed with SIGKILL leaves
//! a lease that others take over once it has expired plus the skew margin.
//! `Unleased`: `--no-lease` break glass (the table unreachable): journaled and tagged.

use std::time::{Duration, Instant, SystemTime};

use aws_sdk_dynamodb::Client;

use crate::aws::dynamodb::{self, Refused, Taker};

pub use crate::topology::SKEW_MARGIN;

/// The least time a fenced write may have: a lease renewed by a fence that took longer than
/// the lease minus this is not proof enough for a write.
pub const MIN_WRITE_BUDGET: Duration = Duration::from_secs(1);

/// Why the lease does not allow the run (or its next write).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaseError {
    /// Someone else holds it (nothing was written).
    Held(String),
    /// The table cannot be used (throttled, unreachable, no permission): exit 3.
    Unavailable(String),
    /// It was lost, or cannot be renewed for long enough (stop before the next write).
    Lost(String),
    /// This host's clock is too far from AWS's (exit 3; `--no-lease` does not apply: the
    /// table is reachable).
    Skew(String),
}

/// One resource's lease, as this run holds it.
#[derive(Debug, Clone)]
pub struct Held {
    pub resource: String,
    pub version: String,
    pub generation: u64,
    /// When the last successful renewal (or the acquisition) was sent: the lease runs for its
    /// length from then, by the monotonic clock.
    pub renewed: Instant,
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
    /// A fenced write was abandoned at its deadline: AWS may still apply it, so the lease is
    /// not released but left to expire (others wait the skew margin on top).
    keep: bool,
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
            keep: false,
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
            let sent = Instant::now();
            match dynamodb::acquire(&t.client, &t.table, resource, who, now_ms(), len, margin).await
            {
                Ok(l) => t.held.push(Held {
                    resource: resource.clone(),
                    version: l.version,
                    generation: l.generation,
                    renewed: sent,
                }),
                Err(refused) => {
                    t.release_all().await;
                    let held = |holder: String, from: String| {
                        LeaseError::Held(format!(
                            "{resource} is leased by {holder} (coordination table {}); nothing was changed: try again when it has finished{from}, or see hybridctl lease status",
                            t.table
                        ))
                    };
                    return Err(match refused {
                        Refused::Held(l) => {
                            // An expired lease is taken only past the clock margin.
                            let from = l
                                .as_ref()
                                .filter(|l| l.expires_ms > 0)
                                .map(|l| {
                                    format!(
                                        " (if it is not renewed, it can be taken from {}: its expiry plus the {} s clock margin)",
                                        crate::aws::rfc3339(
                                            &aws_smithy_types::DateTime::from_millis(
                                                l.expires_ms + margin
                                            )
                                        ),
                                        margin / 1000
                                    )
                                })
                                .unwrap_or_default();
                            held(
                                l.map(|l| l.describe())
                                    .unwrap_or_else(|| "another host".into()),
                                from,
                            )
                        }
                        Refused::HeldUnknown(e) => held(
                            format!("(holder unknown: GetItem failed: {e})"),
                            String::new(),
                        ),
                        Refused::Failed(e) => LeaseError::Unavailable(format!(
                            "the lease of {resource} cannot be taken in the coordination table {}: {e}",
                            t.table
                        )),
                        Refused::Skew(m) => {
                            LeaseError::Skew(format!("the lease of {resource} was not taken: {m}"))
                        }
                    });
                }
            }
        }
        Ok(())
    }

    /// The fence, immediately before a write (after its fresh reads and gate re-checks): a
    /// conditional renewal of every lease that proves each is still this run's taking (its
    /// `version` and `generation`, neither released nor broken) and extends it by a full
    /// length. Returns the deadline by which the write must have finished (None: no table, no
    /// bound). Any failure, even a throttled call, means no write.
    pub async fn fence(&mut self) -> Result<Option<Instant>, LeaseError> {
        let Lease::Table(t) = self else {
            return Ok(None);
        };
        let mut deadline: Option<Instant> = None;
        for i in 0..t.held.len() {
            t.renew_one(i).await.map_err(|e| match e {
                Renewal::Lost(m) => LeaseError::Lost(m),
                Renewal::Failed(m) => {
                    LeaseError::Lost(format!("{m}; without that proof nothing more is written"))
                }
            })?;
            let until = t.held[i].renewed + t.len;
            deadline = Some(deadline.map_or(until, |d| d.min(until)));
        }
        if let Some(d) = deadline
            && d.saturating_duration_since(Instant::now()) < MIN_WRITE_BUDGET
        {
            return Err(LeaseError::Lost(format!(
                "the lease renewal before the write took too long: less than {} s of the {} s lease would be left for the write",
                MIN_WRITE_BUDGET.as_secs(),
                t.len.as_secs()
            )));
        }
        Ok(deadline)
    }

    /// During a wait, a prompt or a long write, every `renew_every`: extends every lease. A
    /// lease someone else took, released or broke is lost at once; a renewal that fails
    /// (throttling, a network error) is tried again at the next tick while more than a quarter
    /// of the lease is left, and then the lease counts as lost.
    pub async fn renew(&mut self) -> Result<(), LeaseError> {
        let Lease::Table(t) = self else { return Ok(()) };
        for i in 0..t.held.len() {
            match t.renew_one(i).await {
                Ok(()) => {}
                Err(Renewal::Lost(m)) => return Err(LeaseError::Lost(m)),
                Err(Renewal::Failed(m)) => {
                    let left =
                        (t.held[i].renewed + t.len).saturating_duration_since(Instant::now());
                    if left < t.len / 4 {
                        return Err(LeaseError::Lost(format!(
                            "{m}, and only {:.1} s of the lease is left",
                            left.as_secs_f64()
                        )));
                    }
                    tracing::warn!("{m}; tried again in {} s", (t.len / 4).as_secs());
                }
            }
        }
        Ok(())
    }

    /// When the next renewal is due: a quarter of the lease after the oldest renewal (however
    /// the wait is cut into pieces); None without a table.
    pub fn renew_due(&self) -> Option<Instant> {
        match self {
            Lease::Table(t) => t.held.iter().map(|h| h.renewed + t.len / 4).min(),
            _ => None,
        }
    }

    /// A fenced write was abandoned: keep the lease until it expires (see `TableLease::keep`).
    pub fn keep_until_expiry(&mut self) {
        if let Lease::Table(t) = self {
            t.keep = true;
        }
    }

    /// At the end, also after failures and signals. A failure leaves the lease to expire.
    pub async fn release(&mut self) {
        if let Lease::Table(t) = self {
            if t.keep {
                tracing::warn!(
                    "a write was abandoned at its lease's deadline: the lease is left to expire, not released"
                );
                return;
            }
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

    /// `--no-lease`'s reason, when this run has no lease.
    pub fn unleased(&self) -> bool {
        matches!(self, Lease::Unleased(_))
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

/// Why a renewal did not go through.
enum Renewal {
    /// Someone else took it, or it was released or broken: proven lost.
    Lost(String),
    /// The call failed (throttled, unreachable) or the clock is off: not proven either way.
    Failed(String),
}

impl TableLease {
    /// Renews lease `i` to a full length from now, conditional on this run's taking.
    async fn renew_one(&mut self, i: usize) -> Result<(), Renewal> {
        let h = &self.held[i];
        let sent = Instant::now();
        let until = now_ms() + self.len.as_millis() as i64;
        let renewed = dynamodb::renew(
            &self.client,
            &self.table,
            &h.resource,
            &h.version,
            Some(h.generation),
            until,
        )
        .await;
        match renewed {
            Ok(()) => {
                self.held[i].renewed = sent;
                Ok(())
            }
            Err(Refused::Held(now)) => Err(Renewal::Lost(lost(h, now.as_ref()))),
            Err(Refused::HeldUnknown(e)) => Err(Renewal::Lost(format!(
                "the lease of {} was lost (who holds it now is unknown: GetItem failed: {e})",
                h.resource
            ))),
            Err(Refused::Failed(e)) => Err(Renewal::Failed(format!(
                "the lease of {} cannot be renewed ({e})",
                h.resource
            ))),
            Err(Refused::Skew(m)) => Err(Renewal::Failed(format!(
                "the lease of {} is not renewed: {m}",
                h.resource
            ))),
        }
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

/// What happened to a lease this run held, from the item as read after the refusal.
fn lost(h: &Held, now: Option<&dynamodb::Lease>) -> String {
    let what = match now {
        None => "its item is gone".to_string(),
        Some(l) if l.version != h.version => format!("it is now held by {}", l.describe()),
        Some(l) => match &l.broken {
            Some(b) => format!("it was broken by {} at {}: {}", b.by, b.at, b.reason),
            None if l.expires_ms == 0 => "it was released".to_string(),
            None => format!("its generation is now {}", l.generation),
        },
    };
    format!("the lease of {} was lost: {what}", h.resource)
}
