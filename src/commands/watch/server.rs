//! The watcher's HTTP endpoint (`watch.listen` or `--listen`): GET `/metrics` (the Prometheus
//! text format), `/healthz`, `/readyz`. hyper 1's HTTP/1 server on the watcher's tokio runtime:
//! a request only reads what the poll loop stored (no AWS call), a slow client is cut off after
//! 10 s, and at most 64 connections are served at once.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};

use super::health::{Answer, Health};
use super::metrics::{self, Metrics};
use crate::error::{Error, Result};

/// What the endpoint serves: the metrics and the loop's health, both filled by the poll loop.
pub struct Endpoint {
    pub metrics: Metrics,
    pub health: Mutex<Health>,
}

impl Endpoint {
    pub fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        // A panic while holding it leaves plain data behind: still usable.
        self.health.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The address in force: `--listen` wins over `watch.listen`; a non-loopback one needs
/// `watch.listen_allow_remote: true` (the file's key is checked by `validate`; this checks the
/// flag's).
pub fn address(
    flag: Option<SocketAddr>,
    w: &crate::topology::Watch,
    file: &std::path::Path,
) -> Result<Option<SocketAddr>> {
    let Some(a) = flag.or(w.listen) else {
        return Ok(None);
    };
    if !a.ip().is_loopback() && !w.listen_allow_remote {
        return Err(Error::Usage {
            message: format!(
                "--listen {}",
                crate::topology::remote_refused(&a.to_string())
            ),
            hint: Some(format!(
                "add watch.listen_allow_remote: true to {}, or listen on 127.0.0.1",
                file.display()
            )),
        });
    }
    Ok(Some(a))
}

/// Binds before the first poll: a bad address is a usage error (exit 2), an address in use an
/// operational one (exit 3: another process, perhaps another watcher, holds it).
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        let why = format!("cannot listen on {addr} for /metrics: {e}");
        match e.kind() {
            std::io::ErrorKind::AddrInUse => Error::Operational(anyhow::anyhow!(
                "{why}; another process holds it (`ss -ltnp 'sport = :{}'` names it): stop it or choose another port with watch.listen or --listen",
                addr.port()
            )),
            std::io::ErrorKind::PermissionDenied => Error::Usage {
                message: why,
                hint: Some("ports below 1024 need privileges: use a higher one, e.g. 9464".into()),
            },
            _ => Error::Usage {
                message: why,
                hint: Some("the address must be one of this host's (127.0.0.1 for this host only)".into()),
            },
        }
    })
}

/// Serves until the process ends.
pub fn serve(listener: tokio::net::TcpListener, endpoint: Arc<Endpoint>) {
    let slots = Arc::new(tokio::sync::Semaphore::new(64));
    tokio::spawn(async move {
        loop {
            let Ok(permit) = slots.clone().acquire_owned().await else {
                return;
            };
            let stream = match listener.accept().await {
                Ok((s, _)) => s,
                Err(e) => {
                    // Out of file descriptors, say: wait rather than spin.
                    tracing::warn!("the metrics endpoint cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let endpoint = endpoint.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                    let answer = respond(&endpoint, req.method(), req.uri().path());
                    async move { Ok::<_, Infallible>(answer) }
                });
                let conn = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(Duration::from_secs(10))
                    .serve_connection(TokioIo::new(stream), service);
                if let Err(e) = tokio::time::timeout(Duration::from_secs(60), conn).await {
                    tracing::debug!("a metrics connection was cut: {e}");
                }
                drop(permit);
            });
        }
    });
}

/// One request's answer (HEAD as GET without a body, as hyper sends it).
fn respond(e: &Endpoint, method: &Method, path: &str) -> Response<Full<Bytes>> {
    if method != Method::GET && method != Method::HEAD {
        let mut r = text(405, "only GET and HEAD\n".into());
        r.headers_mut()
            .insert(hyper::header::ALLOW, "GET, HEAD".parse().expect("a header"));
        return r;
    }
    match path {
        "/metrics" => {
            let mut r = Response::new(Full::new(Bytes::from(e.metrics.encode())));
            r.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                metrics::CONTENT_TYPE.parse().expect("a header"),
            );
            r
        }
        "/healthz" => answer(e.health().healthz(Instant::now())),
        "/readyz" => answer(e.health().readyz()),
        _ => text(404, "not found: /metrics, /healthz, /readyz\n".into()),
    }
}

fn answer(a: Answer) -> Response<Full<Bytes>> {
    text(a.status, format!("{}\n", a.body))
}

fn text(status: u16, body: String) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        "text/plain; charset=utf-8".parse().expect("a header"),
    );
    r
}
