//! The hook where a cross-host lease is acquired, checked before each write, renewed during
//! long waits and released at the end. Today there is one kind: `Local`, which holds on one
//! host through the runbook's per-resource locks and always answers "held". A DynamoDB lease
//! (a fencing generation, conditional renew and release) plugs in here as another variant.

use std::time::Duration;

/// Why the lease does not allow the next write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaseError {
    /// Someone else holds it (nothing was written).
    Held(String),
    /// It was lost, or cannot be renewed for long enough (stop before the next write).
    Lost(String),
}

#[derive(Debug, Default)]
pub enum Lease {
    /// No coordination table: the host-local locks are the only mutual exclusion.
    #[default]
    Local,
}

impl Lease {
    /// Takes the lease of every resource, all or none.
    pub async fn acquire(&mut self, _resources: &[String]) -> Result<(), LeaseError> {
        match self {
            Lease::Local => Ok(()),
        }
    }

    /// Before a write: the lease is still ours with at least `needed` left (renewing if not).
    pub async fn check(&mut self, _needed: Duration) -> Result<(), LeaseError> {
        match self {
            Lease::Local => Ok(()),
        }
    }

    /// During a long wait (gradual steps, Terraform, readiness): extend it.
    pub async fn renew(&mut self) -> Result<(), LeaseError> {
        match self {
            Lease::Local => Ok(()),
        }
    }

    /// At the end, also after failures and signals.
    pub async fn release(&mut self) {
        match self {
            Lease::Local => {}
        }
    }

    /// The fencing generation to write into the journal and the tag (None: local only).
    pub fn generation(&self) -> Option<u64> {
        match self {
            Lease::Local => None,
        }
    }
}
