//! This host's clock against AWS's: every DynamoDB answer carries a `Date` header (the time
//! AWS answered, whole seconds), and the difference from the local clock at that moment is the
//! skew. Leases compare expiry times written by one host's clock with another host's clock, so
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

/// The last measurement: local clock minus AWS's, in milliseconds (positive: this host is
/// ahead). None until a DynamoDB call has answered.
static SKEW_MS: Mutex<Option<i64>> = Mutex::new(None);

/// The most skew a lease tolerates.
pub const SKEW_LIMIT: Duration = Duration::from_millis(SKEW_MARGIN.as_millis() as u64 / 2);

/// The skew as last measured (positive: this host is ahead of AWS).
pub fn skew_ms() -> Option<i64> {
    *SKEW_MS.lock().unwrap_or_else(|e| e.into_inner())
}

fn epoch_ms(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The skew one answer shows: `Date` is AWS's time truncated to the second, so its middle
/// (+500 ms) is the best estimate; `local` is when the answer arrived.
pub fn skew_of(date_header: &str, local: SystemTime) -> Option<i64> {
    let aws = DateTime::from_str(date_header.trim(), Format::HttpDate).ok()?;
    let aws_ms = aws.to_millis().ok()? + 500;
    Some(epoch_ms(local) - aws_ms)
}

/// Records a measurement (the interceptor; tests of the check).
pub fn record(skew_ms: i64) {
    *SKEW_MS.lock().unwrap_or_else(|e| e.into_inner()) = Some(skew_ms);
}

/// Why a lease may not be taken or renewed now: the skew exceeds the limit.
pub fn check() -> Result<(), String> {
    match skew_ms() {
        Some(ms) if ms.unsigned_abs() > SKEW_LIMIT.as_millis() as u64 => Err(describe(ms)),
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

    fn read_before_deserialization(
        &self,
        ctx: &BeforeDeserializationInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(skew) = ctx
            .response()
            .headers()
            .get("date")
            .and_then(|d| skew_of(d, SystemTime::now()))
        {
            record(skew);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_from_the_date_header() {
        let local = SystemTime::UNIX_EPOCH + Duration::from_millis(1_700_000_030_700);
        // AWS said 1_700_000_000 (+0.5 s): this host is 30.2 s ahead.
        let date = "Tue, 14 Nov 2023 22:13:20 GMT";
        assert_eq!(skew_of(date, local), Some(30_200));
        let behind = SystemTime::UNIX_EPOCH + Duration::from_millis(1_699_999_970_000);
        assert_eq!(skew_of(date, behind), Some(-30_500));
        assert_eq!(skew_of("yesterday", local), None);
    }

    #[test]
    fn the_limit_is_half_the_margin_and_the_message_says_which_way() {
        assert_eq!(SKEW_LIMIT, Duration::from_secs(5));
        assert!(describe(30_200).contains("30.2 s ahead of AWS"));
        assert!(describe(-7_000).contains("7.0 s behind AWS"));
    }
}
