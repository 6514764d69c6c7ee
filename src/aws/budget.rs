//! Client-side request budgets that mirror AWS's documented API rate limits.
//!
//! ELBv2 throttles its Describe* calls per account and region with a token bucket of 40 tokens,
//! refilled at 10 a second ("Request throttling for the ELB API"). `status` at 40 services
//! makes 85 Describe* calls; sent as fast as the SDK allows, 45 of them are throttled, and with
//! the SDK's three attempts some still fail (the lab's `ratelimit` fault shows it). So hybridctl
//! spends at most that bucket itself: calls within the burst go at once, later ones at the
//! refill rate, both at 90% of the documented figures so that network jitter between our clock
//! and AWS's does not cost a token. A run alone in the account is then never throttled; one
//! that shares the bucket (the Load Balancer Controller, CI) still has the SDK's retries.
//! Accounts whose limit AWS raised say so in the topology (`aws.elbv2_describe_limit`), and
//! hybridctl paces to 90% of that instead.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::topology::ApiLimit;

/// ELBv2's documented bucket for non-mutating (Describe*) calls: 40 tokens, 10 a second.
pub const ELBV2_DESCRIBE_DOCUMENTED: ApiLimit = ApiLimit {
    burst: 40,
    per_second: 10,
};

/// The share of a limit hybridctl spends, leaving room for clock jitter.
const SHARE: f64 = 0.9;

/// The pace hybridctl keeps for a limit: 90% of its burst and of its rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub burst: f64,
    pub per_second: f64,
}

impl Pace {
    pub fn of(limit: ApiLimit) -> Pace {
        Pace {
            burst: (f64::from(limit.burst) * SHARE).max(1.0),
            per_second: f64::from(limit.per_second) * SHARE,
        }
    }
}

static ELBV2_DESCRIBE_LIMIT: RwLock<ApiLimit> = RwLock::new(ELBV2_DESCRIBE_DOCUMENTED);

/// Sets the account's ELBv2 Describe* limit (None: the documented one) for buckets made from
/// now on; called once per run, before the first ELBv2 call.
pub fn configure_elbv2_describe(limit: Option<ApiLimit>) {
    *ELBV2_DESCRIBE_LIMIT
        .write()
        .unwrap_or_else(|e| e.into_inner()) = limit.unwrap_or(ELBV2_DESCRIBE_DOCUMENTED);
}

/// The pace for ELBv2 Describe* calls in this run.
pub fn elbv2_describe_pace() -> Pace {
    Pace::of(
        *ELBV2_DESCRIBE_LIMIT
            .read()
            .unwrap_or_else(|e| e.into_inner()),
    )
}

/// A token bucket that hands out reservations: a caller past the burst is told how long to
/// wait for its own token, so waiting callers are served in order at the refill rate.
#[derive(Debug)]
pub struct TokenBucket {
    capacity: f64,
    per_second: f64,
    /// Tokens left (negative: already promised to waiting callers) and when that was computed.
    state: Mutex<(f64, Instant)>,
}

impl TokenBucket {
    pub fn new(capacity: f64, per_second: f64, now: Instant) -> TokenBucket {
        TokenBucket {
            capacity,
            per_second,
            state: Mutex::new((capacity, now)),
        }
    }

    /// Takes one token at `now` and returns how long the caller must wait before using it.
    pub fn reserve(&self, now: Instant) -> Duration {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (tokens, at) = *state;
        let refilled = now.saturating_duration_since(at).as_secs_f64() * self.per_second;
        let tokens = (tokens + refilled).min(self.capacity) - 1.0;
        *state = (tokens, now.max(at));
        if tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-tokens / self.per_second)
        }
    }

    /// Waits until this call fits the budget.
    pub async fn take(&self) {
        let wait = self.reserve(Instant::now());
        if !wait.is_zero() {
            tracing::debug!(
                "pacing: waiting {:.0} ms to stay within the API's rate limit",
                wait.as_secs_f64() * 1000.0
            );
            tokio::time::sleep(wait).await;
        }
    }
}

/// The process's ELBv2 Describe* budget for one region (AWS keeps one bucket per region).
pub fn elbv2_describe(region: &str) -> Arc<TokenBucket> {
    static BUCKETS: LazyLock<Mutex<HashMap<String, Arc<TokenBucket>>>> =
        LazyLock::new(Default::default);
    let mut buckets = BUCKETS.lock().unwrap_or_else(|e| e.into_inner());
    buckets
        .entry(region.to_string())
        .or_insert_with(|| {
            let pace = elbv2_describe_pace();
            Arc::new(TokenBucket::new(
                pace.burst,
                pace.per_second,
                Instant::now(),
            ))
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(d: Duration) -> u128 {
        d.as_millis()
    }

    #[test]
    fn the_burst_goes_at_once_then_the_refill_rate_paces() {
        let t0 = Instant::now();
        let b = TokenBucket::new(40.0, 10.0, t0);
        let waits: Vec<u128> = (0..45).map(|_| ms(b.reserve(t0))).collect();
        assert!(waits[..40].iter().all(|&w| w == 0), "{waits:?}");
        assert_eq!(&waits[40..], &[100, 200, 300, 400, 500]);
    }

    #[test]
    fn tokens_come_back_at_the_refill_rate_up_to_the_capacity() {
        let t0 = Instant::now();
        let b = TokenBucket::new(4.0, 10.0, t0);
        for _ in 0..4 {
            assert_eq!(b.reserve(t0), Duration::ZERO);
        }
        // 250 ms later two tokens are back, not three.
        let t1 = t0 + Duration::from_millis(250);
        assert_eq!(b.reserve(t1), Duration::ZERO);
        assert_eq!(b.reserve(t1), Duration::ZERO);
        assert_eq!(ms(b.reserve(t1)), 50);
        // An idle minute refills to the capacity only.
        let t2 = t1 + Duration::from_secs(60);
        for _ in 0..4 {
            assert_eq!(b.reserve(t2), Duration::ZERO);
        }
        assert_eq!(ms(b.reserve(t2)), 100);
    }

    #[test]
    fn waiting_callers_are_served_in_order_even_when_they_ask_late() {
        let t0 = Instant::now();
        let b = TokenBucket::new(1.0, 10.0, t0);
        assert_eq!(b.reserve(t0), Duration::ZERO);
        assert_eq!(ms(b.reserve(t0)), 100);
        // Asked 50 ms later: the next token (at 200 ms) is 150 ms away.
        assert_eq!(ms(b.reserve(t0 + Duration::from_millis(50))), 150);
    }

    #[test]
    fn the_pace_is_90_percent_of_the_documented_or_raised_limit() {
        assert_eq!(
            Pace::of(ELBV2_DESCRIBE_DOCUMENTED),
            Pace {
                burst: 36.0,
                per_second: 9.0
            }
        );
        let raised = Pace::of(ApiLimit {
            burst: 400,
            per_second: 100,
        });
        assert_eq!((raised.burst, raised.per_second), (360.0, 90.0));
        // A raised bucket lets 360 calls go at once where the documented one paces after 36.
        let t0 = Instant::now();
        let b = TokenBucket::new(raised.burst, raised.per_second, t0);
        assert!((0..360).all(|_| b.reserve(t0).is_zero()));
        assert!(!b.reserve(t0).is_zero());
    }

    #[test]
    fn each_region_has_its_own_bucket() {
        let a = elbv2_describe("test-region-a");
        assert!(Arc::ptr_eq(&a, &elbv2_describe("test-region-a")));
        assert!(!Arc::ptr_eq(&a, &elbv2_describe("test-region-b")));
    }
}
