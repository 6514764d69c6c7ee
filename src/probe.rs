//! hybridctl's own HTTP checks (`services.S.probes.SITE`, `dr.auto.when.probe`): one GET per
//! probe, all at once, each bounded by its timeout. No redirect is followed (a 3xx is a
//! failure: the check must see what users see at that URL), the body is read up to a bound and
//! dropped, TLS is always verified (a `ca_file` adds roots, never removes the check).
//!
//! One client serves every probe without a `ca_file`; each distinct `ca_file` gets its own
//! (rustls takes its roots when the client is built).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::topology::{Probe, Topology};

/// The body is read up to this much, then dropped (a probe answer is small).
const MAX_BODY: usize = 64 * 1024;

/// One probe's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeResult {
    pub site: String,
    pub url: String,
    pub ok: bool,
    /// The HTTP status, when one came back.
    pub status: Option<u16>,
    /// `HTTP 200`, or why it failed: `HTTP 500`, `no answer within 2s`, `redirect (HTTP 302)
    /// is not followed`, a connection error.
    pub message: String,
    pub elapsed_ms: u64,
}

/// The HTTP clients for a topology's probes.
#[derive(Debug, Clone)]
pub struct Prober {
    shared: Result<reqwest::Client, String>,
    with_ca: HashMap<PathBuf, Result<reqwest::Client, String>>,
}

impl Prober {
    /// None when the topology has no probe.
    pub fn of(t: &Topology) -> Option<Prober> {
        let probes: Vec<&Probe> = t
            .services
            .iter()
            .flat_map(|s| s.probes.iter())
            .chain(
                t.dr.as_ref()
                    .and_then(|d| d.auto.as_ref())
                    .and_then(|a| a.probe.as_ref()),
            )
            .collect();
        if probes.is_empty() {
            return None;
        }
        let mut with_ca = HashMap::new();
        for ca in probes.iter().filter_map(|p| p.ca_file.as_ref()) {
            with_ca
                .entry(ca.clone())
                .or_insert_with(|| client(Some(ca)));
        }
        Some(Prober {
            shared: client(None),
            with_ca,
        })
    }

    /// Runs one probe.
    pub async fn check(&self, p: &Probe) -> ProbeResult {
        let started = Instant::now();
        let client = match &p.ca_file {
            Some(ca) => self.with_ca.get(ca).unwrap_or(&self.shared),
            None => &self.shared,
        };
        let (status, message) = match client {
            Err(e) => (None, e.clone()),
            Ok(c) => get(c, p).await,
        };
        // A redirect is not followed: it fails unless `expect` names it.
        let ok = status.is_some_and(|s| {
            (p.expect.0..=p.expect.1).contains(&s) && (p.expect_set || !(300..400).contains(&s))
        });
        let message = match (ok, status) {
            (false, Some(s)) if (300..400).contains(&s) => {
                format!("{message}: redirects are not followed")
            }
            (false, Some(_)) => format!("{message}, expected {}", expect_text(p.expect)),
            _ => message,
        };
        ProbeResult {
            site: p.site.clone(),
            url: p.url.clone(),
            ok,
            status,
            message,
            elapsed_ms: started.elapsed().as_millis() as u64,
        }
    }

    /// Runs the probes at once.
    pub async fn check_all(&self, probes: &[&Probe]) -> Vec<ProbeResult> {
        futures::future::join_all(probes.iter().map(|p| self.check(p))).await
    }
}

/// `200` or `200..399`.
pub fn expect_text((lo, hi): (u16, u16)) -> String {
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}..{hi}")
    }
}

async fn get(c: &reqwest::Client, p: &Probe) -> (Option<u16>, String) {
    let read = async {
        let mut resp = c.get(&p.url).send().await?;
        let status = resp.status().as_u16();
        let mut read = 0usize;
        while read < MAX_BODY {
            match resp.chunk().await? {
                Some(b) => read += b.len(),
                None => break,
            }
        }
        Ok::<_, reqwest::Error>(status)
    };
    match tokio::time::timeout(p.timeout, read).await {
        Err(_) => (
            None,
            format!("no answer within {}", crate::duration::format(p.timeout)),
        ),
        Ok(Ok(status)) => (Some(status), format!("HTTP {status}")),
        Ok(Err(e)) if e.is_timeout() => (
            None,
            format!("no answer within {}", crate::duration::format(p.timeout)),
        ),
        Ok(Err(e)) => (None, describe(e)),
    }
}

/// A reqwest error without its URL (it may name a path users should not see in a log), with
/// its causes.
fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut m = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        m.push_str(": ");
        m.push_str(&s.to_string());
        source = s.source();
    }
    m
}

/// rustls with aws-lc-rs (the SDK's provider), the system's roots plus `ca`, no redirects.
fn client(ca: Option<&PathBuf>) -> Result<reqwest::Client, String> {
    // reqwest (without a provider feature) uses the process default; already set is fine.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let mut b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("hybridctl/", env!("CARGO_PKG_VERSION"), " probe"))
        .pool_idle_timeout(Duration::from_secs(30));
    if let Some(ca) = ca {
        let pem =
            std::fs::read(ca).map_err(|e| format!("cannot read ca_file {}: {e}", ca.display()))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| format!("ca_file {}: not PEM certificates: {e}", ca.display()))?;
        if certs.is_empty() {
            return Err(format!("ca_file {} holds no certificate", ca.display()));
        }
        for c in certs {
            b = b.add_root_certificate(c);
        }
    }
    b.build()
        .map_err(|e| format!("cannot start the HTTP client: {}", describe(e)))
}
