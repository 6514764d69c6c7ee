//! `hybridctl dms check-binlog`: RDS/DMS scenarios in the lab through the real SDK, and SQL
//! scenarios against real MariaDB servers.

// These structs mirror the JSON schema with deny_unknown_fields; not every field is read.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use aws_sdk_rds::types::{ApplyMethod, Parameter};
use serde::Deserialize;
use serde_json::json;

use crate::support::mariadb;
use crate::support::{Account, Seeded, rt};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    schema: String,
    ok: bool,
    strict: bool,
    source: String,
    sql: Option<String>,
    sql_error: Option<String>,
    checks: Vec<CheckJ>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckJ {
    id: String,
    verdict: String,
    observed: String,
    expected: String,
    message: String,
    remediation: Option<String>,
}

impl Report {
    fn verdict(&self, id: &str) -> &CheckJ {
        self.checks
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no check {id}"))
    }
    fn failing(&self) -> Vec<&str> {
        self.checks
            .iter()
            .filter(|c| c.verdict == "FAIL")
            .map(|c| c.id.as_str())
            .collect()
    }
}

fn check(s: &Seeded, extra: &[&str], password: Option<&str>, code: i32) -> Report {
    let mut cmd = s.hybridctl();
    cmd.args(["dms", "check-binlog", "-o", "json"]).args(extra);
    match password {
        Some(p) => cmd.env("HYBRIDCTL_SQL_PASSWORD", p),
        None => cmd.env_remove("HYBRIDCTL_SQL_PASSWORD"),
    };
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(r.schema, "hybridctl.check-binlog/v1");
    r
}

fn set_params(s: &Seeded, group: &str, params: &[(&str, &str)]) {
    rt().block_on(
        s.context()
            .rds()
            .modify_db_parameter_group()
            .db_parameter_group_name(group)
            .set_parameters(Some(
                params
                    .iter()
                    .map(|(n, v)| {
                        Parameter::builder()
                            .parameter_name(*n)
                            .parameter_value(*v)
                            .apply_method(ApplyMethod::Immediate)
                            .build()
                    })
                    .collect(),
            ))
            .send(),
    )
    .unwrap();
}

#[test]
fn all_good_exits_0() {
    let s = Account::new().seed(1);
    let r = check(&s, &["--no-sql"], None, 0);
    assert!(r.ok && r.failing().is_empty(), "{:?}", r.checks);
    assert_eq!(r.verdict("rds.backups-enabled").verdict, "PASS");
    assert_eq!(
        r.verdict("binlog.format").observed,
        "ROW (parameter group hybrid-mariadb-10-6)"
    );
    assert_eq!(r.verdict("binlog.row-image").verdict, "PASS");
    assert_eq!(r.verdict("dms.connection").verdict, "PASS");
    assert_eq!(r.verdict("binlog.retention-rds").verdict, "SKIP");
}

#[test]
fn backups_off_fails_even_with_row_in_the_group() {
    let s = Account::new().seed(1);
    s.disable_backups();
    let r = check(&s, &["--no-sql"], None, 1);
    let b = r.verdict("rds.backups-enabled");
    assert_eq!(b.verdict, "FAIL");
    assert!(b.remediation.as_deref().unwrap().contains("modify-db-instance --region ap-northeast-2 --db-instance-identifier hybrid-mariadb --backup-retention-period 7"));
    assert_eq!(r.verdict("binlog.enabled").verdict, "FAIL");
    assert_eq!(
        r.verdict("binlog.format").verdict,
        "PASS",
        "ROW in the group does not save it"
    );
}

#[test]
fn mixed_and_minimal_fail() {
    let s = Account::new().seed(1);
    set_params(
        &s,
        "hybrid-mariadb-10-6",
        &[("binlog_format", "MIXED"), ("binlog_row_image", "MINIMAL")],
    );
    let r = check(&s, &["--no-sql"], None, 1);
    assert_eq!(r.failing(), ["binlog.format", "binlog.row-image"]);
    assert!(
        r.verdict("binlog.format")
            .remediation
            .as_deref()
            .unwrap()
            .contains("ParameterName=binlog_format,ParameterValue=ROW")
    );
    assert_eq!(
        r.verdict("binlog.row-image").observed,
        "MINIMAL (parameter group hybrid-mariadb-10-6)"
    );
}

#[test]
fn pending_reboot_fails() {
    let s = Account::new().seed(1);
    s.account.ctl(
        "rds-apply-status",
        json!({"instance": "hybrid-mariadb", "status": "pending-reboot"}),
    );
    let r = check(&s, &["--no-sql"], None, 1);
    assert_eq!(r.failing(), ["params.pending-reboot"]);
    assert!(
        r.verdict("params.pending-reboot")
            .remediation
            .as_deref()
            .unwrap()
            .contains("reboot-db-instance")
    );
}

/// Creates a replication instance with `version` and a task on it; points the file at the task.
fn task_on_dms_version(s: &Seeded, version: &str) {
    let dms = s.context().dms();
    let rt = rt();
    let ri = rt
        .block_on(
            dms.create_replication_instance()
                .replication_instance_identifier(format!("dms-{}", version.replace('.', "-")))
                .replication_instance_class("dms.t3.medium")
                .engine_version(version)
                .send(),
        )
        .unwrap()
        .replication_instance
        .unwrap()
        .replication_instance_arn
        .unwrap();
    let task = rt
        .block_on(
            dms.create_replication_task()
                .replication_task_identifier(format!("task-{}", version.replace('.', "-")))
                .source_endpoint_arn(s.res("/dms_source_endpoint"))
                .target_endpoint_arn(s.res("/dms_target_endpoint"))
                .replication_instance_arn(ri)
                .migration_type(
                    aws_sdk_databasemigration::types::MigrationTypeValue::FullLoadAndCdc,
                )
                .table_mappings("{\"rules\":[]}")
                .send(),
        )
        .unwrap()
        .replication_task
        .unwrap()
        .replication_task_arn
        .unwrap();
    let text = std::fs::read_to_string(&s.config)
        .unwrap()
        .replace(&s.res("/dms_task"), &task);
    std::fs::write(&s.config, text).unwrap();
}

#[test]
fn crc32_fails_on_dms_3_4_7_and_passes_on_3_5() {
    let s = Account::new().seed(1);
    set_params(&s, "hybrid-mariadb-10-6", &[("binlog_checksum", "CRC32")]);
    let r = check(&s, &["--no-sql"], None, 0);
    assert_eq!(
        r.verdict("binlog.checksum").verdict,
        "PASS",
        "seeded DMS is 3.5.3: {:?}",
        r.verdict("binlog.checksum")
    );
    task_on_dms_version(&s, "3.4.7");
    let r = check(&s, &["--no-sql"], None, 1);
    let c = r.verdict("binlog.checksum");
    assert_eq!(c.verdict, "FAIL");
    assert!(
        c.observed.contains("CRC32") && c.observed.contains("DMS 3.4.7"),
        "{}",
        c.observed
    );
    assert!(
        c.remediation
            .as_deref()
            .unwrap()
            .contains("--engine-version 3.5.3")
    );
}

#[test]
fn aurora_setting_only_in_the_instance_group_fails() {
    let s = Account::new().seed(1);
    let rds = s.context().rds();
    let rt = rt();
    rt.block_on(
        rds.create_db_cluster_parameter_group()
            .db_cluster_parameter_group_name("aurora-cluster-pg")
            .db_parameter_group_family("aurora-mysql8.0")
            .description("cluster")
            .send(),
    )
    .unwrap();
    rt.block_on(
        rds.create_db_parameter_group()
            .db_parameter_group_name("aurora-instance-pg")
            .db_parameter_group_family("aurora-mysql8.0")
            .description("instance")
            .send(),
    )
    .unwrap();
    set_params(&s, "aurora-instance-pg", &[("binlog_format", "ROW")]);
    rt.block_on(
        rds.create_db_cluster()
            .db_cluster_identifier("hybrid-aurora")
            .engine("aurora-mysql")
            .engine_version("8.0.mysql_aurora.3.05.2")
            .master_username("admin")
            .master_user_password("lab-only-password")
            .db_cluster_parameter_group_name("aurora-cluster-pg")
            .send(),
    )
    .unwrap();
    rt.block_on(
        rds.create_db_instance()
            .db_instance_identifier("hybrid-aurora-1")
            .db_cluster_identifier("hybrid-aurora")
            .engine("aurora-mysql")
            .db_instance_class("db.r6g.large")
            .db_parameter_group_name("aurora-instance-pg")
            .send(),
    )
    .unwrap();
    let text = std::fs::read_to_string(&s.config).unwrap().replace(
        "source: { rds_instance: hybrid-mariadb }",
        "source: { aurora_cluster: hybrid-aurora }",
    );
    std::fs::write(&s.config, text).unwrap();
    let r = check(&s, &["--no-sql"], None, 1);
    assert_eq!(r.source, "Aurora cluster hybrid-aurora");
    let scope = r.verdict("aurora.param-scope");
    assert_eq!(scope.verdict, "FAIL", "{scope:?}");
    assert!(
        scope
            .remediation
            .as_deref()
            .unwrap()
            .contains("modify-db-cluster-parameter-group")
    );
    // The cluster group still has the default OFF: no binlog at all.
    assert_eq!(r.verdict("binlog.enabled").verdict, "FAIL");
}

// ------------------------------------------------------------------ real MariaDB

/// A seeded lab whose replication source is a self-managed MariaDB at `port` as `user`.
fn self_managed(port: u16, user: &str) -> Seeded {
    let s = Account::new().seed(1);
    let text = std::fs::read_to_string(&s.config)
        .unwrap()
        .replace(
            "source: { rds_instance: hybrid-mariadb }",
            "source: { self_managed: true }",
        )
        .replace(
            "sql: { host: 127.0.0.1, port: 3306, user: dms_check,",
            &format!("sql: {{ host: 127.0.0.1, port: {port}, user: {user},"),
        );
    std::fs::write(&s.config, text).unwrap();
    s
}

#[test]
fn mariadb_with_row_full_and_server_id_passes() {
    let db = mariadb::server("binlog");
    db.user(
        "dms_ok",
        "pw-ok",
        "REPLICATION CLIENT, REPLICATION SLAVE, SELECT",
    );
    let s = self_managed(db.port, "dms_ok");
    let r = check(&s, &[], Some("pw-ok"), 0);
    assert!(
        r.ok,
        "{:?}",
        r.checks
            .iter()
            .filter(|c| c.verdict != "PASS")
            .collect::<Vec<_>>()
    );
    assert_eq!(
        r.sql.as_deref(),
        Some(format!("dms_ok@127.0.0.1:{}", db.port).as_str())
    );
    for id in [
        "binlog.enabled",
        "binlog.format",
        "binlog.row-image",
        "server-id",
        "grants",
        "binlog.expiry-selfmanaged",
        "version.cdc-supported",
    ] {
        assert_eq!(r.verdict(id).verdict, "PASS", "{id}: {:?}", r.verdict(id));
    }
    assert_eq!(r.verdict("binlog.format").observed, "ROW (live)");
    assert_eq!(r.verdict("mariadb.notes").verdict, "PASS");
}

/// A MariaDB that takes TLS connections only, with a certificate from a private CA made by
/// openssl for the test: verified against `tls_ca_file` the probe passes; without the CA the
/// certificate is refused (unknown issuer); without TLS the server refuses the session.
/// (The first case could pass over a plain session only if the server allowed one: it does not.)
#[test]
fn the_sql_probe_runs_over_verified_tls() {
    let db = mariadb::server("tls");
    // No REQUIRE SSL on the user: the server's require_secure_transport is what refuses.
    db.user(
        "dms_tls",
        "pw-tls",
        "REPLICATION CLIENT, REPLICATION SLAVE, SELECT",
    );
    let s = self_managed(db.port, "dms_tls");
    let plain = std::fs::read_to_string(&s.config).unwrap();
    assert!(
        plain.contains("password_env: HYBRIDCTL_SQL_PASSWORD"),
        "{plain}"
    );
    let with = |extra: &str| {
        let text = plain.replacen(
            "password_env: HYBRIDCTL_SQL_PASSWORD",
            &format!("password_env: HYBRIDCTL_SQL_PASSWORD{extra}"),
            1,
        );
        std::fs::write(&s.config, text).unwrap();
    };
    let ca = db.dir.join("tls/ca.pem");

    with(&format!(", tls: true, tls_ca_file: {}", ca.display()));
    let r = check(&s, &[], Some("pw-tls"), 0);
    assert!(r.ok && r.sql_error.is_none(), "{r:?}");
    assert_eq!(r.verdict("binlog.format").observed, "ROW (live)");

    with(", tls: true");
    let r = check(&s, &[], Some("pw-tls"), 3);
    let err = r.sql_error.unwrap();
    assert!(err.contains("UnknownIssuer"), "{err}");

    with("");
    let r = check(&s, &[], Some("pw-tls"), 3);
    let err = r.sql_error.unwrap();
    // MariaDB 10.11 answers a plain session under require_secure_transport with "access
    // denied"; newer servers name secure transport.
    assert!(
        err.contains("rejected user `dms_tls`") || err.contains("secure transport"),
        "{err}"
    );
}

#[test]
fn mariadb_without_binlog_fails() {
    let db = mariadb::server("nobinlog");
    db.user("dms_nobin", "pw", "REPLICATION CLIENT, REPLICATION SLAVE");
    let s = self_managed(db.port, "dms_nobin");
    let r = check(&s, &[], Some("pw"), 1);
    let c = r.verdict("binlog.enabled");
    assert_eq!(
        (c.verdict.as_str(), c.observed.as_str()),
        ("FAIL", "log_bin=OFF (live)")
    );
    assert!(c.remediation.as_deref().unwrap().contains("log-bin"));
}

#[test]
fn a_user_without_replication_grants_fails_with_the_grant_to_run() {
    let db = mariadb::server("binlog");
    db.user("dms_nogrant", "pw", "SELECT");
    let s = self_managed(db.port, "dms_nogrant");
    let r = check(&s, &[], Some("pw"), 1);
    let g = r.verdict("grants");
    assert_eq!(g.verdict, "FAIL");
    assert_eq!(
        g.remediation.as_deref(),
        Some("GRANT REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO `dms_nogrant`@`%`;")
    );
    assert!(
        !serde_json::to_string(&g.observed)
            .unwrap()
            .contains("PASSWORD"),
        "no password hash leaks from SHOW GRANTS"
    );
    // The statement it prints works.
    db.root(g.remediation.as_deref().unwrap());
    assert_eq!(
        check(&s, &[], Some("pw"), 0).verdict("grants").verdict,
        "PASS"
    );
}

#[test]
fn no_expiry_warns_and_a_purged_checkpoint_fails() {
    let db = mariadb::server("noexpire");
    db.user("dms_exp", "pw", "REPLICATION CLIENT, REPLICATION SLAVE");
    let s = self_managed(db.port, "dms_exp");
    let r = check(&s, &[], Some("pw"), 0);
    assert_eq!(r.verdict("binlog.expiry-selfmanaged").verdict, "WARN");
    assert!(!r.ok || r.checks.iter().all(|c| c.verdict != "FAIL"));
    check(&s, &["--strict"], Some("pw"), 1);

    // The task's checkpoint names the first binlog; rotate and purge it away.
    db.root("FLUSH BINARY LOGS; FLUSH BINARY LOGS;");
    let logs = db.root("SHOW BINARY LOGS");
    let first = logs
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let last = logs
        .lines()
        .last()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    // MariaDB purges a binlog only once its binlog checkpoint is written, which a background
    // thread does after the rotation: purge until the first log is gone (bounded).
    let purged = (0..100).any(|_| {
        db.root(&format!("PURGE BINARY LOGS TO '{last}'"));
        let gone = !db.root("SHOW BINARY LOGS").contains(&first);
        if !gone {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        gone
    });
    assert!(
        purged,
        "MariaDB kept {first} after PURGE BINARY LOGS TO '{last}'"
    );
    s.account.ctl(
        "dms-task",
        json!({"task_arn": s.res("/dms_task"), "status": "stopped",
        "recovery_checkpoint": format!("checkpoint:V1#1#{first}:4:-1:4:0#0#0#*#0#1")}),
    );
    let r = check(&s, &[], Some("pw"), 1);
    let c = r.verdict("binlog.resume-position");
    assert_eq!(c.verdict, "FAIL", "{c:?}");
    assert!(
        c.observed.starts_with(&format!("{first} purged")),
        "{}",
        c.observed
    );
    assert!(c.remediation.as_deref().unwrap().contains("reload-target"));
}

#[test]
fn a_wrong_password_is_a_clear_error_exit_3() {
    let db = mariadb::server("binlog");
    db.user("dms_pw", "right", "REPLICATION CLIENT, REPLICATION SLAVE");
    let s = self_managed(db.port, "dms_pw");
    let out = s
        .hybridctl()
        .args(["dms", "check-binlog", "-o", "json"])
        .env("HYBRIDCTL_SQL_PASSWORD", "Not-It-7731")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let r: Report = serde_json::from_slice(&out.stdout).unwrap();
    let e = r.sql_error.unwrap();
    assert!(e.contains("rejected user `dms_pw`: access denied"), "{e}");
    let everything = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !everything.contains("Not-It-7731"),
        "the password is never printed"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("error: the SQL probe failed"));
}

#[test]
fn an_unanswering_host_fails_within_the_connect_timeout() {
    // Accepts TCP connections but never speaks: what a filtered port looks like.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let s = self_managed(port, "dms_x");
    let started = Instant::now();
    let r = check(&s, &[], Some("pw"), 3);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(r.sql_error.unwrap().contains("no answer within 5s"));
    drop(silent);
}

#[test]
fn a_missing_password_variable_is_a_usage_error() {
    let s = self_managed(1, "dms_x");
    let out = s
        .hybridctl()
        .args(["dms", "check-binlog"])
        .env_remove("HYBRIDCTL_SQL_PASSWORD")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("HYBRIDCTL_SQL_PASSWORD is not set"));
    assert!(s.account.calls().is_empty());
}

#[test]
fn table_output_snapshot() {
    let db = mariadb::server("binlog");
    db.user("dms_table", "pw", "SELECT");
    let s = self_managed(db.port, "dms_table");
    let out = s
        .hybridctl()
        .args(["dms", "check-binlog", "--color", "never"])
        .env("HYBRIDCTL_SQL_PASSWORD", "pw")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
    insta::with_settings!({filters => vec![
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
        (r"10\.\d+\.\d+-MariaDB\S*\s+", "[VERSION] "),
        (r"arn:aws:dms:[^ ]+", "[ARN]"),
        (r"mysql-bin\.\d+", "mysql-bin.[N]"),
    ]}, {
        insta::assert_snapshot!("check_binlog_self_managed_missing_grants", text);
    });
}
