//! `metrics.prometheus` and `overflow.<service>`: where utilization is read and what it decides.

use std::path::Path;

use indexmap::IndexMap;

use super::checker::{Checker, MAX_ALB_WEIGHT, MAX_R53_WEIGHT, check_split, relative_to};
use crate::topology::model::{Failover, OnNoData, Overflow, Prometheus, Service};
use crate::topology::url::{QUERY_REFUSED, USERINFO_REFUSED, url_has_userinfo};
use crate::topology::values::{PROTOCOL_HEADERS, SECRET_HEADERS, is_env_name, is_token_byte};
use crate::topology::wire::{self, Scalar};

/// The longest `metrics.prometheus.timeout`.
const MAX_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

pub(super) fn check_prometheus(c: &mut Checker, p: wire::Prometheus, file: &Path) -> Prometheus {
    let at = "metrics.prometheus.address";
    let a = p.address.trim();
    if url_has_userinfo(a) {
        c.fail(at, USERINFO_REFUSED);
    } else if a.contains(['?', '#']) {
        c.fail(at, QUERY_REFUSED);
    } else if !(a.starts_with("http://") || a.starts_with("https://")) {
        c.fail(at, format!("`{a}` must start with http:// or https://"));
    } else if a.split_once("://").is_some_and(|(_, rest)| rest.is_empty()) {
        c.fail(at, "the address names no host");
    }
    let timeout = c.duration("metrics.prometheus.timeout", p.timeout.as_deref(), "5s");
    if p.timeout.is_some() && timeout.is_zero() {
        c.fail("metrics.prometheus.timeout", "a timeout of 0 never answers");
    } else if timeout > MAX_TIMEOUT {
        c.fail(
            "metrics.prometheus.timeout",
            format!(
                "{} is longer than {}: an instant query that slow holds up every watch poll and every failback of a service with overflow",
                crate::duration::format(timeout),
                crate::duration::format(MAX_TIMEOUT)
            ),
        );
    }
    if let Some(v) = &p.bearer_token_env
        && !is_env_name(v)
    {
        // The value is not repeated: it may be the token itself.
        c.fail(
            "metrics.prometheus.bearer_token_env",
            "the value is not an environment variable name (letters, digits and _, not starting \
             with a digit; it is not printed here in case it is the token): name the variable \
             that holds the token",
        );
    }
    for name in p.headers.keys() {
        let path = format!("metrics.prometheus.headers.{name}");
        if SECRET_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            c.fail(
                &path,
                "this header carries credentials, which do not belong in the topology file: \
                 use bearer_token_env",
            );
        } else if PROTOCOL_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            c.fail(
                &path,
                "hybridctl sets this header itself (it frames or routes the request); only \
                 headers such as X-Scope-OrgID belong here",
            );
        } else if name.is_empty() || !name.bytes().all(is_token_byte) {
            c.fail(&path, "not an HTTP header name");
        }
    }
    for (name, value) in &p.headers {
        if value.bytes().any(|b| b < 0x20 && b != b'\t') {
            c.fail(
                format!("metrics.prometheus.headers.{name}"),
                "a header value cannot hold control characters",
            );
        }
    }
    if let Some(f) = &p.ca_file
        && f.trim().is_empty()
    {
        c.fail("metrics.prometheus.ca_file", "the CA file path is empty");
    }
    Prometheus {
        address: a.trim_end_matches('/').to_string(),
        timeout,
        bearer_token_env: p.bearer_token_env,
        headers: p.headers.into_iter().collect(),
        ca_file: p.ca_file.map(|f| relative_to(file, &f)),
    }
}

pub(super) fn check_overflow(
    c: &mut Checker,
    overflow: Option<IndexMap<String, wire::Overflow>>,
    (services, checked): (&IndexMap<String, wire::Service>, &[Service]),
    failover: Option<&Failover>,
    has_prometheus: bool,
) -> Vec<Overflow> {
    let Some(overflow) = overflow else {
        return Vec::new();
    };
    if !overflow.is_empty() && !has_prometheus {
        c.fail(
            "overflow",
            "overflow reads its query from Prometheus: set metrics.prometheus.address",
        );
    }
    let mut out = Vec::new();
    for (name, o) in overflow {
        let path = format!("overflow.{name}");
        let Some(svc) = services.get(&name) else {
            c.fail(
                &path,
                format!("`{name}` is not a declared service (see services)"),
            );
            continue;
        };
        if let Some(o) = check_one(c, &path, &name, o, svc) {
            if let Some(normal) = checked.iter().find(|s| s.name == name) {
                check_split_apart(c, &path, &o, normal, failover);
            }
            out.push(o);
        }
    }
    out
}

fn check_one(
    c: &mut Checker,
    path: &str,
    name: &str,
    o: wire::Overflow,
    svc: &wire::Service,
) -> Option<Overflow> {
    if o.query.trim().is_empty() {
        c.fail(format!("{path}.query"), "the query is empty");
    }
    let above = fraction(c, &format!("{path}.above"), &o.above);
    let below = fraction(c, &format!("{path}.below"), &o.below);
    if let (Some(a), Some(b)) = (above, below)
        && b >= a
    {
        c.fail(
            format!("{path}.below"),
            format!(
                "below ({b}) must be less than above ({a}): the gap keeps overflow from flapping"
            ),
        );
    }
    let sustain = c.duration(&format!("{path}.for"), o.sustain.as_deref(), "0s");
    let on_no_data = match o.on_no_data.as_deref() {
        None | Some("hold") => OnNoData::Hold,
        Some("normal") => OnNoData::Normal,
        Some(other) => {
            c.fail(
                format!("{path}.on_no_data"),
                format!("`{other}`: use hold or normal"),
            );
            OnNoData::Hold
        }
    };
    let wpath = format!("{path}.weights");
    let (receivers, max, what) = match (&svc.dns, &svc.target_groups) {
        (Some(d), _) => (&d.set_ids, MAX_R53_WEIGHT, "SetIdentifier in dns.set_ids"),
        (None, Some(tgs)) => (tgs, MAX_ALB_WEIGHT, "target group"),
        (None, None) => return None, // said at the service
    };
    let split = check_split(c, &wpath, receivers, &o.weights, max, what);
    let weights = receivers
        .keys()
        .map(|site| (site.clone(), split.get(site).copied().unwrap_or(0)))
        .collect();
    Some(Overflow {
        service: name.to_string(),
        query: o.query.trim().to_string(),
        above: above?,
        below: below?,
        sustain,
        weights,
        on_no_data,
    })
}

/// The overflow split must be told apart from the two others a service can have. One that
/// gives `failover.from` 0 is a failover's split: while it is live nothing says whether
/// overflow or a failover set it, and overflow leaving it would undo a failover. One equal or
/// proportional to the normal weights changes nothing: it would "enter" every `for` forever.
fn check_split_apart(
    c: &mut Checker,
    path: &str,
    o: &Overflow,
    normal: &Service,
    failover: Option<&Failover>,
) {
    let split: Vec<(&str, u64)> = o
        .weights
        .iter()
        .map(|(s, w)| (s.as_str(), u64::from(*w)))
        .collect();
    if split.iter().all(|(_, w)| *w == 0) {
        return; // said already: all weights are 0
    }
    if let Some(f) = failover
        && split.iter().any(|(s, w)| *s == f.from && *w == 0)
    {
        c.fail(
            format!("{path}.weights.{}", f.from),
            format!(
                "the overflow split gives failover.from `{}` 0, as a failover does: overflow could not be told apart from a failover, and leaving it would undo one; give `{}` a weight above 0 (overflow sends the excess to AWS, it does not drain {})",
                f.from, f.from, f.from
            ),
        );
        return;
    }
    let normal: Vec<(&str, u64)> = normal
        .targets
        .iter()
        .map(|t| (t.site.as_str(), u64::from(t.weight)))
        .collect();
    let (ts, tn): (u64, u64) = (
        split.iter().map(|(_, w)| w).sum(),
        normal.iter().map(|(_, w)| w).sum(),
    );
    let proportional = tn > 0
        && split.iter().all(|(s, w)| {
            normal
                .iter()
                .find(|(n, _)| n == s)
                .is_some_and(|(_, v)| w * tn == v * ts)
        });
    if proportional {
        let words: Vec<String> = normal.iter().map(|(s, w)| format!("{s}: {w}")).collect();
        c.fail(
            format!("{path}.weights"),
            format!(
                "the overflow split is the normal weights ({{ {} }}) or proportional to them: entering overflow would change nothing; give the sites other shares than their normal ones",
                words.join(", ")
            ),
        );
    }
}

/// A number, whole or with a fraction (`0.8`, `80`): utilization as the query gives it.
fn fraction(c: &mut Checker, path: &str, v: &Scalar) -> Option<f64> {
    match v {
        Scalar::Int(i) => Some(*i as f64),
        Scalar::Float(f) if f.is_finite() => Some(*f),
        other => {
            let found = c.found(path, other);
            c.fail(path, format!("expected a number (like 0.8), found {found}"));
            None
        }
    }
}
