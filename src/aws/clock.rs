//! This host's clock against AWS's: every DynamoDB answer carries a `Date` header (the time
//! AWS answered, whole seconds). AWS's clock read that somewhere between the request leaving
//! and the answer arriving: the skew is the local midpoint of that round trip minus `Date`, give
//! or take half the round trip and the second `Date` cannot resolve. A skew is only held against
//! the host when it exceeds the limit by more than that uncertainty (a slow answer is not a
//! wrong clock). Leases compare expiry times written by one host's clock with another host's clock, so
//! a lease is neither taken nor renewed while the skew exceeds half the skew margin
//! (`SKEW_MARGIN / 2`: two hosts each within it differ by at most the margin).

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::date_time::{DateTime, Format};

use crate::topology::SKEW_MARGIN;

/// The last measurement: (local clock minus AWS's, its uncertainty), in milliseconds (positive:
/// this host is ahead). None until a DynamoDB call has answered.
static SKEW_MS: Mutex<Option<(i64, i64)>> = Mutex::new(None);

/// The most skew a lease tolerates.
pub const SKEW_LIMIT: Duration = Duration::from_millis(SKEW_MARGIN.as_millis() as u64 / 2);

/// The skew as last measured (positive: this host is ahead of AWS).
pub fn skew_ms() -> Option<i64> {
    SKEW_MS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .map(|(s, _)| s)
}

fn epoch_ms(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The skew one answer shows, and its uncertainty: `Date` is AWS's time truncated to the
/// second (its middle, +500 ms, is the best estimate, +-500 ms), read between `sent` and
/// `received` (their middle, +- half the round trip).
pub fn skew_of(date_header: &str, sent: SystemTime, received: SystemTime) -> Option<(i64, i64)> {
    let aws = DateTime::from_str(date_header.trim(), Format::HttpDate).ok()?;
    let aws_ms = aws.to_millis().ok()? + 500;
    let (a, b) = (epoch_ms(sent), epoch_ms(received).max(epoch_ms(sent)));
    Some(((a + b) / 2 - aws_ms, (b - a) / 2 + 500))
}

/// When the request of this attempt left.
#[derive(Debug, Clone)]
struct Sent(SystemTime);

impl aws_smithy_types::config_bag::Storable for Sent {
    type Storer = aws_smithy_types::config_bag::StoreReplace<Self>;
}

/// Records a measurement and its uncertainty (the interceptor).
pub fn record(skew_ms: i64, uncertainty_ms: i64) {
    *SKEW_MS.lock().unwrap_or_else(|e| e.into_inner()) = Some((skew_ms, uncertainty_ms));
}

/// Whether a measurement proves the skew beyond the limit.
pub fn beyond_limit(skew_ms: i64, uncertainty_ms: i64) -> bool {
    skew_ms.unsigned_abs() as i64 - uncertainty_ms > SKEW_LIMIT.as_millis() as i64
}

/// Why a lease may not be taken or renewed now: the skew exceeds the limit, beyond doubt.
pub fn check() -> Result<(), String> {
    match *SKEW_MS.lock().unwrap_or_else(|e| e.into_inner()) {
        Some((ms, u)) if beyond_limit(ms, u) => Err(describe(ms)),
        _ => Ok(()),
    }
}

/// `this host's clock is 30.2 s ahead of AWS ...`
pub fn describe(ms: i64) -> String {
    format!(
        "this host's clock is {:.1} s {} AWS's (the Date of DynamoDB's answers); leases are neither taken nor renewed while the skew exceeds {} s (half the {} s skew margin): fix the host's time sync (chronyc tracking, timedatectl)",
        ms.unsigned_abs() as f64 / 1000.0,
        if ms > 0 { "ahead of" } else { "behind" },
        SKEW_LIMIT.as_secs(),
        SKEW_MARGIN.as_secs()
    )
}

/// Measures the skew from the `Date` header of every answer.
#[derive(Debug)]
pub struct SkewMeter;

impl Intercept for SkewMeter {
    fn name(&self) -> &'static str {
        "hybridctl.skew-meter"
    }

    fn read_before_transmit(
        &self,
        _ctx: &aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(Sent(SystemTime::now()));
        Ok(())
    }

    fn read_before_deserialization(
        &self,
        ctx: &BeforeDeserializationInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let received = SystemTime::now();
        let sent = cfg.load::<Sent>().map_or(received, |s| s.0);
        if let Some((skew, u)) = ctx
            .response()
            .headers()
            .get("date")
            .and_then(|d| skew_of(d, sent, received))
        {
            record(skew, u);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_from_the_date_header_and_the_round_trip() {
        let at = |ms: u64| SystemTime::UNIX_EPOCH + Duration::from_millis(ms);
        // AWS said 1_700_000_000 (+0.5 s): this host is 30.2 s ahead, a fast answer.
        let date = "Tue, 14 Nov 2023 22:13:20 GMT";
        let l = 1_700_000_030_700;
        assert_eq!(skew_of(date, at(l - 20), at(l + 20)), Some((30_200, 520)));
        assert!(beyond_limit(30_200, 520));
        let b = 1_699_999_970_000;
        assert_eq!(skew_of(date, at(b), at(b)), Some((-30_500, 500)));
        assert_eq!(skew_of("yesterday", at(l), at(l)), None);
        // Clocks in sync, the answer held back 7 s: 3 s "ahead", give or take 4 s: not held
        // against the host.
        let sent = 1_700_000_000_000;
        let (s, u) = skew_of(date, at(sent), at(sent + 7_000)).unwrap();
        assert_eq!((s, u), (3_000, 4_000));
        assert!(!beyond_limit(s, u));
    }

    #[test]
    fn the_limit_is_half_the_margin_and_the_message_says_which_way() {
        assert_eq!(SKEW_LIMIT, Duration::from_secs(5));
        assert!(describe(30_200).contains("30.2 s ahead of AWS"));
        assert!(describe(-7_000).contains("7.0 s behind AWS"));
    }
}
