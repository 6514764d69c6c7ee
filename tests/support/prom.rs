//! Prometheus for the overflow tests: a controllable fake (tests/lab/promfake.py: an exporter
//! and a query API answering what a test sets) and Debian's real server, both private, on
//! free 127.0.0.1 ports, killed on Drop.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::repo;

/// A plain HTTP request to 127.0.0.1:`port`; the status and the body.
pub fn http(port: u16, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("answer");
    let raw = String::from_utf8_lossy(&raw).to_string();
    let (head, payload) = raw.split_once("\r\n\r\n").expect("HTTP answer");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let payload = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        unchunk(payload)
    } else {
        payload.to_string()
    };
    (status, payload)
}

fn unchunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// Starts `cmd` with a port file argument and waits until the port is written.
fn wait_port(child: &mut Child, port_file: &Path, what: &str) -> u16 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(t) = std::fs::read_to_string(port_file)
            && let Ok(p) = t.trim().parse()
        {
            return p;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited ({status}) before listening");
        }
        assert!(Instant::now() < deadline, "{what} did not start in 30 s");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The fake: an exporter (`/metrics`) and a query API whose answers the test sets.
pub struct FakeProm {
    pub port: u16,
    pub tls: bool,
    child: Child,
    _stdin: ChildStdin,
    _dir: tempfile::TempDir,
}

impl FakeProm {
    pub fn start() -> FakeProm {
        Self::spawn(None, None)
    }

    /// HTTPS with this certificate; `init` is the starting state (the control API is HTTP-only
    /// from the test's side, so a TLS fake is set up once).
    pub fn start_tls(cert: &Path, key: &Path, init: &Value) -> FakeProm {
        Self::spawn(Some((cert, key)), Some(init))
    }

    fn spawn(tls: Option<(&Path, &Path)>, init: Option<&Value>) -> FakeProm {
        let dir = tempfile::tempdir().unwrap();
        let port_file = dir.path().join("port");
        let mut cmd = Command::new(super::python());
        cmd.arg(repo().join("tests/lab/promfake.py"))
            .arg("--port-file")
            .arg(&port_file)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        if let Some((cert, key)) = tls {
            cmd.arg("--cert").arg(cert).arg("--key").arg(key);
        }
        if let Some(init) = init {
            cmd.arg("--init").arg(init.to_string());
        }
        let mut child = cmd.spawn().expect("start promfake.py");
        let stdin = child.stdin.take().unwrap();
        let port = wait_port(&mut child, &port_file, "promfake.py");
        FakeProm {
            port,
            tls: tls.is_some(),
            child,
            _stdin: stdin,
            _dir: dir,
        }
    }

    pub fn address(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// Sets any of value, status, body, delay, token; returns the fake's state.
    pub fn set(&self, v: Value) -> Value {
        let (status, body) = http(self.port, "POST", "/_ctl", &v.to_string());
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    pub fn state(&self) -> Value {
        self.set(serde_json::json!({}))
    }

    /// The query API answers `value` as a one-element vector, as Prometheus does for `avg(x)`.
    pub fn answer_value(&self, value: &str) {
        self.set(serde_json::json!({"status": 200, "body": vector(&[value])}));
    }
}

/// A successful instant-vector answer with one series per value.
pub fn vector(values: &[&str]) -> Value {
    let result: Vec<Value> = values
        .iter()
        .enumerate()
        .map(|(i, v)| serde_json::json!({"metric": {"instance": format!("n{i}")}, "value": [1795443110.774, v]}))
        .collect();
    serde_json::json!({"status": "success", "data": {"resultType": "vector", "result": result}})
}

impl Drop for FakeProm {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Prometheus binary: HYBRIDCTL_PROMETHEUS (scripts/test sets it), else what
/// scripts/prometheus-env unpacked.
fn prometheus_binary() -> PathBuf {
    let p = std::env::var_os("HYBRIDCTL_PROMETHEUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".prometheus/usr/bin/prometheus"));
    assert!(
        p.exists(),
        "{} is missing: run ./scripts/prometheus-env (./scripts/test does it for you)",
        p.display()
    );
    p
}

/// promtool, beside the Prometheus binary (Debian's package ships both).
pub fn promtool() -> PathBuf {
    prometheus_binary().with_file_name("promtool")
}

/// A free port on 127.0.0.1 (Prometheus takes no port 0).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Debian's Prometheus, scraping one target every second, with a temporary TSDB.
pub struct RealProm {
    pub port: u16,
    child: Child,
    dir: tempfile::TempDir,
}

impl RealProm {
    pub fn start(scrape_port: u16) -> RealProm {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global: {{ scrape_interval: 1s, evaluation_interval: 1s }}\nscrape_configs:\n  - job_name: onprem\n    static_configs: [{{ targets: ['127.0.0.1:{scrape_port}'] }}]\n"
            ),
        )
        .unwrap();
        let log = std::fs::File::create(dir.path().join("prometheus.log")).unwrap();
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new(prometheus_binary())
                .arg(format!("--config.file={}", config.display()))
                .arg(format!(
                    "--storage.tsdb.path={}",
                    dir.path().join("tsdb").display()
                ))
                .arg(format!("--web.listen-address=127.0.0.1:{port}"))
                .stdin(Stdio::null())
                .stdout(log.try_clone().unwrap())
                .stderr(log.try_clone().unwrap())
                .spawn()
                .expect("start prometheus");
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                if let Ok(Some(_)) = child.try_wait() {
                    break; // the port was taken meanwhile: another one
                }
                if TcpStream::connect(("127.0.0.1", port)).is_ok()
                    && http(port, "GET", "/-/ready", "").0 == 200
                {
                    return RealProm { port, child, dir };
                }
                assert!(Instant::now() < deadline, "prometheus not ready in 60 s");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let log = std::fs::read_to_string(dir.path().join("prometheus.log")).unwrap_or_default();
        panic!("prometheus did not start:\n{log}");
    }

    pub fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Waits until Prometheus itself answers `query` with `want` (scraped and stored).
    pub fn wait_for(&self, query: &str, want: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        let path = format!("/api/v1/query?query={}", encode(query));
        loop {
            let (_, body) = http(self.port, "GET", &path, "");
            let v: Value = serde_json::from_str(&body).unwrap_or_default();
            if v.pointer("/data/result/0/value/1").and_then(Value::as_str) == Some(want) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "prometheus never answered {want} for {query}: {body}\nlog: {}",
                std::fs::read_to_string(self.dir.path().join("prometheus.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

impl Drop for RealProm {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
