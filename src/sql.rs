//! The live SQL probe of a MySQL/MariaDB DMS source: one connection, read-only queries, every
//! fact `dms check-binlog` needs. The password comes from the environment variable named in
//! the topology file, never from a flag, and is never logged.

use std::collections::BTreeMap;
use std::time::Duration;

use mysql_async::prelude::*;
use mysql_async::{Conn, OptsBuilder, Row, SslOpts};
use serde::Serialize;

/// Where to connect and as whom.
pub struct Target {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub tls: bool,
    /// Extra CA certificates (PEM) to trust, for a server with a private CA.
    pub tls_ca_file: Option<std::path::PathBuf>,
    pub connect_timeout: Duration,
}

/// Global variables the checks read. Names absent on a server flavour are simply missing.
const VARIABLES: [&str; 20] = [
    "log_bin",
    "binlog_format",
    "binlog_row_image",
    "binlog_checksum",
    "server_id",
    "expire_logs_days",
    "binlog_expire_logs_seconds",
    "read_only",
    "innodb_read_only",
    "log_slave_updates",
    "log_replica_updates",
    "log_bin_compress",
    "binlog_transaction_compression",
    "binlog_row_value_options",
    "binlog_row_metadata",
    "require_secure_transport",
    "version",
    "version_comment",
    "gtid_mode",
    "binlog_annotate_row_events",
];

/// What the server said.
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    /// Lower-case variable name -> value, as SHOW GLOBAL VARIABLES reports it.
    pub variables: BTreeMap<String, String>,
    /// Sessions whose binlog_format is not ROW; None when it could not be read.
    pub other_format_sessions: Option<u64>,
    /// `binlog retention hours` from mysql.rds_configuration: Ok(None) is NULL.
    pub rds_retention_hours: Option<Result<Option<String>, String>>,
    /// SHOW GRANTS lines of the connected user.
    pub grants: Vec<String>,
    /// SHOW BINARY LOGS file names, or why it failed.
    pub binary_logs: Result<Vec<String>, String>,
    /// This server replicates from another (SHOW REPLICA/SLAVE STATUS has a row).
    pub is_replica: Option<bool>,
}

impl Facts {
    pub fn var(&self, name: &str) -> Option<&str> {
        self.variables.get(name).map(String::as_str)
    }

    pub fn is_mariadb(&self) -> bool {
        self.var("version")
            .is_some_and(|v| v.to_ascii_lowercase().contains("mariadb"))
            || self
                .var("version_comment")
                .is_some_and(|v| v.to_ascii_lowercase().contains("mariadb"))
    }
}

/// Connects (within the timeout) and reads every fact. `rds` adds mysql.rds_configuration.
pub async fn probe(t: &Target, rds: bool) -> Result<Facts, String> {
    let opts = OptsBuilder::default()
        .ip_or_hostname(t.host.clone())
        .tcp_port(t.port)
        .user(Some(t.user.clone()))
        .pass(Some(t.password.clone()))
        .prefer_socket(false)
        .ssl_opts(t.tls.then(|| {
            SslOpts::default()
                .with_root_certs(t.tls_ca_file.iter().map(|f| f.clone().into()).collect())
        }));
    let where_ = format!("{}:{}", t.host, t.port);
    let mut conn = match tokio::time::timeout(t.connect_timeout, Conn::new(opts)).await {
        Err(_) => {
            return Err(format!(
                "cannot connect to {where_}: no answer within {}",
                crate::duration::format(t.connect_timeout)
            ));
        }
        Ok(Err(e)) => return Err(connect_error(&where_, &t.user, &e)),
        Ok(Ok(c)) => c,
    };
    let result = read(&mut conn, rds).await;
    let _ = conn.disconnect().await;
    result.map_err(|e| format!("SQL on {where_} failed: {e}"))
}

fn connect_error(where_: &str, user: &str, e: &mysql_async::Error) -> String {
    match e {
        mysql_async::Error::Server(s) if s.code == 1045 => {
            format!(
                "{where_} rejected user `{user}`: access denied (wrong password, or the user may not connect from this host)"
            )
        }
        other => format!("cannot connect to {where_}: {other}"),
    }
}

async fn read(conn: &mut Conn, rds: bool) -> Result<Facts, mysql_async::Error> {
    let list = VARIABLES
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let vars: Vec<(String, Option<String>)> = conn
        .query(format!(
            "SHOW GLOBAL VARIABLES WHERE Variable_name IN ({list})"
        ))
        .await?;
    let variables = vars
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.unwrap_or_default()))
        .collect();
    let other_format_sessions = conn
        .query_first::<u64, _>(
            "SELECT COUNT(*) FROM performance_schema.variables_by_thread \
             WHERE VARIABLE_NAME = 'binlog_format' AND VARIABLE_VALUE <> 'ROW'",
        )
        .await
        .ok()
        .flatten();
    let rds_retention_hours = if rds {
        Some(
            conn.query_first::<Option<String>, _>(
                "SELECT value FROM mysql.rds_configuration WHERE name = 'binlog retention hours'",
            )
            .await
            .map(Option::flatten)
            .map_err(|e| e.to_string()),
        )
    } else {
        None
    };
    let grants: Vec<String> = conn.query("SHOW GRANTS").await?;
    let binary_logs = conn
        .query_map("SHOW BINARY LOGS", |row: Row| {
            row.get::<String, usize>(0).unwrap_or_default()
        })
        .await
        .map_err(|e| e.to_string());
    let is_replica = match conn.query::<Row, _>("SHOW REPLICA STATUS").await {
        Ok(rows) => Some(!rows.is_empty()),
        Err(_) => conn
            .query::<Row, _>("SHOW SLAVE STATUS")
            .await
            .ok()
            .map(|r| !r.is_empty()),
    };
    Ok(Facts {
        variables,
        other_format_sessions,
        rds_retention_hours,
        grants,
        binary_logs,
        is_replica,
    })
}
