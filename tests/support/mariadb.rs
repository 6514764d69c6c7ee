//! Private MariaDB servers for the SQL checks: Debian's mariadb-server binaries, each server
//! with its own datadir and socket on a free 127.0.0.1 port, started once per test binary and
//! stopped when it exits (a shell holds the server and kills it when our pipe closes).

use std::collections::HashMap;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

const INSTALL_HINT: &str = "MariaDB is not installed: ./scripts/test installs Debian's mariadb-server (apt-get install mariadb-server)";

pub struct MariaDb {
    pub port: u16,
    pub socket: PathBuf,
    pub dir: PathBuf,
    _child: Mutex<Child>,
    _stdin: Mutex<ChildStdin>,
}

/// The server configurations the tests use, by name.
fn options(name: &str, dir: &Path) -> Vec<String> {
    let bin = format!("--log-bin={}", dir.join("mysql-bin").display());
    match name {
        // log-bin + ROW + FULL + server_id: what DMS needs.
        "binlog" => vec![
            bin,
            "--binlog-format=ROW".into(),
            "--binlog-row-image=FULL".into(),
            "--server-id=1".into(),
            "--expire-logs-days=7".into(),
        ],
        // No binary log at all.
        "nobinlog" => vec!["--skip-log-bin".into(), "--server-id=1".into()],
        // Binlog on but never expired, for the expiry and purged-checkpoint tests.
        "noexpire" => vec![
            bin,
            "--binlog-format=ROW".into(),
            "--binlog-row-image=FULL".into(),
            "--server-id=2".into(),
            "--expire-logs-days=0".into(),
        ],
        // TLS only (require_secure_transport), with a certificate from a CA made for it.
        "tls" => {
            let tls = make_certificates(&dir.join("tls"));
            vec![
                bin,
                "--binlog-format=ROW".into(),
                "--binlog-row-image=FULL".into(),
                "--server-id=3".into(),
                "--expire-logs-days=7".into(),
                format!("--ssl-ca={}", tls.join("ca.pem").display()),
                format!("--ssl-cert={}", tls.join("server-cert.pem").display()),
                format!("--ssl-key={}", tls.join("server-key.pem").display()),
                "--require-secure-transport=ON".into(),
            ]
        }
        other => panic!("no MariaDB configuration `{other}`"),
    }
}

/// A CA and a server certificate for 127.0.0.1 signed by it, made with openssl in `dir`:
/// ca.pem, server-cert.pem, server-key.pem (and the CA's key, which nothing else uses).
fn make_certificates(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n\
         keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
    ];
    let steps: [Vec<&str>; 3] = [
        [
            &["req", "-x509"][..],
            &ec,
            &[
                "-keyout",
                "ca-key.pem",
                "-out",
                "ca.pem",
                "-days",
                "3",
                "-subj",
                "/CN=hybridctl test CA",
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        ]
        .concat(),
        [
            &["req"][..],
            &ec,
            &[
                "-keyout",
                "server-key.pem",
                "-out",
                "server.csr",
                "-subj",
                "/CN=127.0.0.1",
            ],
        ]
        .concat(),
        vec![
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca-key.pem",
            "-CAcreateserial",
            "-out",
            "server-cert.pem",
            "-days",
            "3",
            "-extfile",
            "server.ext",
        ],
    ];
    for args in steps {
        let out = Command::new("openssl")
            .args(&args)
            .current_dir(dir)
            .output()
            .expect("openssl runs (apt-get install openssl)");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    dir.to_path_buf()
}

fn find(names: &[&str]) -> Option<PathBuf> {
    for n in names {
        for dir in ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"] {
            let p = Path::new(dir).join(n);
            if p.exists() {
                return Some(p);
            }
        }
    }
    None
}

static SERVERS: OnceLock<Mutex<HashMap<String, &'static MariaDb>>> = OnceLock::new();

/// The server named `name`, started on first use.
pub fn server(name: &str) -> &'static MariaDb {
    let mut map = SERVERS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(s) = map.get(name) {
        return s;
    }
    let s: &'static MariaDb = Box::leak(Box::new(start(name)));
    map.insert(name.to_string(), s);
    s
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(name: &str) -> MariaDb {
    let mariadbd = find(&["mariadbd", "mysqld"]).unwrap_or_else(|| panic!("{INSTALL_HINT}"));
    let install = find(&["mariadb-install-db", "mysql_install_db"])
        .unwrap_or_else(|| panic!("{INSTALL_HINT}"));
    let dir = tempfile::Builder::new()
        .prefix(&format!("mariadb-{name}-"))
        .tempdir()
        .unwrap()
        .keep();
    let data = dir.join("data");
    let out = Command::new(&install)
        .args([
            "--no-defaults",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
            "--user=root",
        ])
        .arg(format!("--datadir={}", data.display()))
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}; {INSTALL_HINT}", install.display()));
    assert!(
        out.status.success(),
        "mariadb-install-db failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port = free_port();
    let socket = dir.join("sock");
    let mut args = vec![
        "--no-defaults".to_string(),
        format!("--datadir={}", data.display()),
        format!("--socket={}", socket.display()),
        format!("--port={port}"),
        "--bind-address=127.0.0.1".into(),
        "--user=root".into(),
        format!("--pid-file={}", dir.join("pid").display()),
        format!("--log-error={}", dir.join("error.log").display()),
        "--innodb-buffer-pool-size=16M".into(),
        "--skip-name-resolve".into(),
    ];
    args.extend(options(name, &dir));
    // The shell keeps the server while our pipe is open; EOF (this process ended, even by a
    // panic or a kill) stops it.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("\"$0\" \"$@\" & pid=$!; cat >/dev/null; kill $pid 2>/dev/null; wait $pid")
        .arg(&mariadbd)
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start mariadbd");
    let stdin = child.stdin.take().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "mariadbd exited ({status}): {}",
                std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
            );
        }
        assert!(
            Instant::now() < deadline,
            "mariadbd did not listen within 60 s: {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    MariaDb {
        port,
        socket,
        dir,
        _child: Mutex::new(child),
        _stdin: Mutex::new(stdin),
    }
}

impl MariaDb {
    /// Runs SQL as root over the socket; panics with the server's answer on failure.
    pub fn root(&self, sql: &str) -> String {
        let client = find(&["mariadb", "mysql"]).unwrap_or_else(|| panic!("{INSTALL_HINT}"));
        let out = Command::new(client)
            .args(["--no-defaults", "-uroot", "--batch", "--skip-column-names"])
            .arg(format!("--socket={}", self.socket.display()))
            .arg("-e")
            .arg(sql)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// A user with these global privileges (e.g. "REPLICATION CLIENT, REPLICATION SLAVE").
    pub fn user(&self, name: &str, password: &str, privileges: &str) {
        self.root(&format!(
            "CREATE OR REPLACE USER '{name}'@'%' IDENTIFIED BY '{password}'; GRANT {privileges} ON *.* TO '{name}'@'%';"
        ));
    }
}
