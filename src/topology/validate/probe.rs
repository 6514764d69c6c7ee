//! `services.S.probes` and `dr.auto`: hybridctl's own HTTP checks, and when the DR starts by
//! itself.

use std::path::Path;
use std::time::Duration;

use super::checker::{Checker, relative_to};
use crate::topology::model::{Approve, Coordination, DrAuto, OnTimeout, Probe, Site, Stage};
use crate::topology::url::{USERINFO_REFUSED, url_has_userinfo};
use crate::topology::wire::{self, Scalar};

/// Query keys that look like they carry a secret: a probe URL with one is refused (it would be
/// printed in logs, errors and the status report).
const SECRET_KEYS: [&str; 12] = [
    "token",
    "key",
    "secret",
    "password",
    "passwd",
    "pwd",
    "auth",
    "signature",
    "sig",
    "credential",
    "session",
    "apikey",
];

/// Said instead of a probe URL whose query may hold a secret (the URL is not printed).
pub const SECRET_QUERY_REFUSED: &str = "the probe URL's query has a key that looks like a secret \
(token, key, secret, password, auth, signature, ...), which would be printed in logs, errors and \
status: probe a path that needs no credentials";

/// A query key that looks like a credential (`access_token`, `X-Amz-Signature`, `apiKey`).
pub fn secret_query_key(url: &str) -> bool {
    let Some((_, query)) = url.split_once('?') else {
        return false;
    };
    query.split('&').any(|pair| {
        let key = pair
            .split('=')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let words: Vec<&str> = key
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let joined = words.concat();
        SECRET_KEYS
            .iter()
            .any(|s| words.contains(s) || joined.ends_with(s) || joined.starts_with(s))
    })
}

const MAX_PROBE_TIMEOUT: Duration = Duration::from_secs(60);

/// One probe at `path`; `site` names what it checks (empty for `dr.auto.when.probe`).
pub(super) fn check_probe(
    c: &mut Checker,
    path: &str,
    site: &str,
    p: wire::Probe,
    file: &Path,
) -> Option<Probe> {
    let at = format!("{path}.url");
    let url = p.url.trim().to_string();
    let mut ok = true;
    if url_has_userinfo(&url) {
        c.fail(&at, USERINFO_REFUSED);
        ok = false;
    } else if secret_query_key(&url) {
        c.fail(&at, SECRET_QUERY_REFUSED);
        ok = false;
    } else if url.contains('#') {
        c.fail(
            &at,
            "a probe URL takes no fragment (`#...`): the server never sees it",
        );
        ok = false;
    } else {
        match reqwest::Url::parse(&url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => {}
            _ => {
                c.fail(
                    &at,
                    format!("`{url}` is not an http:// or https:// URL with a host"),
                );
                ok = false;
            }
        }
    }
    let expect = match &p.expect {
        None => (200, 399),
        Some(v) => match expect_of(c, &format!("{path}.expect"), v) {
            Some(e) => e,
            None => {
                ok = false;
                (200, 399)
            }
        },
    };
    let tpath = format!("{path}.timeout");
    let timeout = c.duration(&tpath, p.timeout.as_deref(), "2s");
    if !(Duration::from_millis(100)..=MAX_PROBE_TIMEOUT).contains(&timeout) {
        c.fail(
            &tpath,
            "a probe timeout is 100ms to 60s: a probe round holds up every watch poll by up to its timeout",
        );
        ok = false;
    }
    let ca_file = match p.ca_file {
        Some(f) if f.trim().is_empty() => {
            c.fail(format!("{path}.ca_file"), "the CA file path is empty");
            ok = false;
            None
        }
        Some(f) => Some(relative_to(file, &f)),
        None => None,
    };
    ok.then(|| Probe {
        site: site.to_string(),
        url,
        expect,
        expect_set: p.expect.is_some(),
        timeout,
        ca_file,
    })
}

/// `expect`: a code 100..599 or `LO..HI`.
fn expect_of(c: &mut Checker, path: &str, v: &Scalar) -> Option<(u16, u16)> {
    if let Scalar::Int(_) = v {
        return c
            .whole(path, v, 100..=599, "status code")
            .map(|n| (n as u16, n as u16));
    }
    let written = c.found(path, v);
    let text = written.trim_matches(['`', '"', '\'']);
    let range = text.split_once("..").and_then(|(a, b)| {
        let (a, b) = (a.trim().parse::<u16>().ok()?, b.trim().parse::<u16>().ok()?);
        ((100..=599).contains(&a) && (100..=599).contains(&b) && a <= b).then_some((a, b))
    });
    if range.is_none() {
        c.fail(
            path,
            format!("expected a status code (200) or a range of them (200..399, 100 to 599, low first), found {written}"),
        );
    }
    range
}

/// `services.S.probes` (taken out of the service): each site declared and in the service's
/// target groups.
pub(super) fn check_probes(
    c: &mut Checker,
    name: &str,
    service: &mut wire::Service,
    sites: &[Site],
    file: &Path,
) -> Vec<Probe> {
    let path = format!("services.{name}");
    let mut out = Vec::new();
    for (site, p) in service.probes.take().unwrap_or_default() {
        let ppath = format!("{path}.probes.{site}");
        if !sites.iter().any(|s| s.name == site) {
            c.fail(
                &ppath,
                format!("`{site}` is not a declared site (see sites)"),
            );
        } else if !service
            .target_groups
            .as_ref()
            .or(service.dns.as_ref().map(|d| &d.set_ids))
            .is_some_and(|g| g.contains_key(&site))
        {
            c.fail(
                &ppath,
                format!("`{site}` has no target group in this service"),
            );
        }
        if let Some(p) = check_probe(c, &ppath, &site, p, file) {
            out.push(p);
        }
    }
    out
}

/// `dr.auto`.
pub(super) fn check_dr_auto(
    c: &mut Checker,
    a: wire::DrAuto,
    stages: &[Stage],
    coordination: Option<&Coordination>,
    file: &Path,
) -> DrAuto {
    let w = a.when;
    if w.alarm.is_none() && w.health_check_failing.is_none() && w.probe.is_none() {
        c.fail(
            "dr.auto.when",
            "name at least one signal: alarm, health_check_failing or probe",
        );
    }
    if let Some(a) = &w.alarm
        && (a.trim().is_empty() || a.len() > 255)
    {
        c.fail("dr.auto.when.alarm", "an alarm name is 1 to 255 characters");
    }
    if let Some(id) = &w.health_check_failing
        && !stages.is_empty()
        && !stages
            .iter()
            .any(|s| s.weights.iter().any(|(k, _)| k == id))
    {
        c.fail(
            "dr.auto.when.health_check_failing",
            format!("`{id}` is not a SetIdentifier of dr.weights"),
        );
    }
    let probe = w
        .probe
        .and_then(|p| check_probe(c, "dr.auto.when.probe", "", p, file));
    let sustain = c.duration("dr.auto.for", a.sustain.as_deref(), "3m");
    if sustain > Duration::from_secs(24 * 3600) {
        c.fail("dr.auto.for", "at most 24h");
    }
    let approve = a.approve.map(|ap| check_approve(c, ap, coordination));
    let skip_terraform = c
        .flag("dr.auto.skip_terraform", a.skip_terraform.as_ref())
        .unwrap_or(false);
    DrAuto {
        alarm: w.alarm,
        health_check_failing: w.health_check_failing,
        probe,
        sustain,
        approve,
        skip_terraform,
    }
}

fn check_approve(
    c: &mut Checker,
    ap: wire::DrApprove,
    coordination: Option<&Coordination>,
) -> Approve {
    let required = c
        .flag("dr.auto.approve.required", ap.required.as_ref())
        .unwrap_or(false);
    let timeout = c.duration("dr.auto.approve.timeout", ap.timeout.as_deref(), "15m");
    if !(Duration::from_secs(60)..=Duration::from_secs(24 * 3600)).contains(&timeout) {
        c.fail(
            "dr.auto.approve.timeout",
            "an approval timeout is 1m to 24h",
        );
    }
    let on_timeout = match ap.on_timeout.as_deref() {
        None | Some("abort") => OnTimeout::Abort,
        Some("proceed") => OnTimeout::Proceed,
        Some(other) => {
            c.fail(
                "dr.auto.approve.on_timeout",
                format!("`{other}`: use abort or proceed"),
            );
            OnTimeout::Abort
        }
    };
    if required && coordination.is_none() {
        c.fail(
            "dr.auto.approve.required",
            "an approval needs a coordination section: the pending DR lives in the DynamoDB table, so that `hybridctl dr approve` works from any host",
        );
    }
    Approve {
        required,
        timeout,
        on_timeout,
    }
}
