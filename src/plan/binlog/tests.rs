//! Every check of the catalog, table-driven without the lab: for each check id at least one
//! observed state where it PASSes and one for each negative verdict it can give.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::aws::dms::{ConnectionStatus, TaskStatus};
use crate::aws::rds::{ClusterMember, ParameterApplyStatus, ParameterGroupStatus};

/// Every check id `evaluate` produces, in its order, with the verdicts it gives when its
/// requirement is not met. `mariadb.notes` is for information only (INFO in the catalog): it
/// never fails, so its other outcome, SKIP when the source is not MariaDB, stands in.
const CATALOG: [(&str, &[Verdict]); 22] = [
    ("rds.backups-enabled", &[Verdict::Fail]),
    ("binlog.enabled", &[Verdict::Fail]),
    ("binlog.format", &[Verdict::Fail]),
    ("binlog.format-sessions", &[Verdict::Warn]),
    ("binlog.row-image", &[Verdict::Fail]),
    ("binlog.checksum", &[Verdict::Fail, Verdict::Warn]),
    ("server-id", &[Verdict::Fail]),
    ("binlog.retention-rds", &[Verdict::Fail, Verdict::Warn]),
    ("binlog.expiry-selfmanaged", &[Verdict::Warn]),
    ("binlog.resume-position", &[Verdict::Fail, Verdict::Warn]),
    ("params.pending-reboot", &[Verdict::Fail]),
    ("aurora.param-scope", &[Verdict::Fail]),
    ("aurora.writer", &[Verdict::Fail, Verdict::Warn]),
    ("replica.log-updates", &[Verdict::Fail, Verdict::Warn]),
    ("binlog.compression", &[Verdict::Fail]),
    ("grants", &[Verdict::Fail]),
    ("version.cdc-supported", &[Verdict::Fail, Verdict::Warn]),
    ("binlog.row-value-options", &[Verdict::Warn]),
    ("mariadb.notes", &[Verdict::Skip]),
    ("tls.aurora84", &[Verdict::Warn]),
    ("dms.connection", &[Verdict::Fail, Verdict::Warn]),
    ("dms.task-health", &[Verdict::Fail, Verdict::Warn]),
];

const REGION: &str = "ap-northeast-2";
const CHECKPOINT: &str = "checkpoint:V1#27#mysql-bin-changelog.000002:1234:-1:1255:0#0#0#*#0#1";
const CLUSTER_ENDPOINT: &str = "src.cluster-abc.ap-northeast-2.rds.amazonaws.com";
const READER_ENDPOINT: &str = "src.cluster-ro-abc.ap-northeast-2.rds.amazonaws.com";

fn params(group: &str, values: &[(&str, &str)]) -> Params {
    Params {
        group: Some(group.into()),
        values: values
            .iter()
            .map(|(k, v)| (k.to_string(), Some(v.to_string())))
            .collect(),
    }
}

fn facts(vars: &[(&str, &str)]) -> Facts {
    Facts {
        variables: vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
        other_format_sessions: Some(0),
        rds_retention_hours: Some(Ok(Some("24".into()))),
        grants: vec!["GRANT REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO `dms`@`%`".into()],
        binary_logs: Ok(vec![
            "mysql-bin-changelog.000001".into(),
            "mysql-bin-changelog.000002".into(),
        ]),
        is_replica: Some(false),
    }
}

/// A healthy RDS for MySQL 8.0 source, read with the SQL probe: every check that applies to
/// RDS passes.
fn rds() -> Observed {
    Observed {
        kind: Kind::Rds,
        region: REGION.into(),
        task: Some(Task {
            arn: "arn:aws:dms:ap-northeast-2:123456789012:task:T".into(),
            id: "rds-to-onprem".into(),
            status: Some(TaskStatus::Running),
            stop_reason: None,
            last_failure_message: None,
            migration_type: Some("full-load-and-cdc".into()),
            source_endpoint_arn: Some("arn:aws:dms:ap-northeast-2:123456789012:endpoint:E".into()),
            replication_instance_arn: Some("arn:aws:dms:ap-northeast-2:123456789012:rep:R".into()),
            recovery_checkpoint: Some(CHECKPOINT.into()),
        }),
        endpoint: Some(Endpoint {
            arn: "arn:aws:dms:ap-northeast-2:123456789012:endpoint:E".into(),
            engine: "mysql".into(),
            server: Some("src.abc.ap-northeast-2.rds.amazonaws.com".into()),
            port: Some(3306),
            username: Some("dms".into()),
            ssl_mode: Some("none".into()),
        }),
        dms_version: Some("3.5.3".into()),
        connection: Some(Connection {
            status: Some(ConnectionStatus::Successful),
            last_failure_message: None,
        }),
        instance: Some(Instance {
            id: "src".into(),
            status: Some("available".into()),
            engine: "mysql".into(),
            engine_version: "8.0.35".into(),
            backup_retention_days: 7,
            parameter_groups: vec![ParameterGroupStatus {
                name: "src-mysql80".into(),
                apply_status: Some(ParameterApplyStatus::InSync),
            }],
            address: Some("src.abc.ap-northeast-2.rds.amazonaws.com".into()),
            read_replica_source: None,
        }),
        params: params(
            "src-mysql80",
            &[("binlog_format", "ROW"), ("binlog_row_image", "FULL")],
        ),
        cluster: None,
        cluster_params: Params::default(),
        sql: Some(facts(&[
            ("log_bin", "ON"),
            ("binlog_format", "ROW"),
            ("binlog_row_image", "FULL"),
            ("binlog_checksum", "CRC32"),
            ("server_id", "1234"),
            ("binlog_transaction_compression", "OFF"),
            ("binlog_row_value_options", ""),
            ("require_secure_transport", "OFF"),
            ("innodb_read_only", "OFF"),
            ("version", "8.0.35"),
        ])),
        sql_user: Some("dms".into()),
    }
}

/// A healthy Aurora MySQL 3 cluster, the endpoint on the cluster (writer) endpoint.
fn aurora() -> Observed {
    let mut o = rds();
    o.kind = Kind::Aurora;
    o.endpoint.as_mut().unwrap().server = Some(CLUSTER_ENDPOINT.into());
    o.instance.as_mut().unwrap().id = "src-writer".into();
    o.instance.as_mut().unwrap().engine = "aurora-mysql".into();
    o.instance.as_mut().unwrap().engine_version = "8.0.mysql_aurora.3.05.2".into();
    o.params = params("default.aurora-mysql8.0", &[]);
    o.cluster = Some(Cluster {
        id: "src".into(),
        engine: "aurora-mysql".into(),
        engine_version: "8.0.mysql_aurora.3.05.2".into(),
        engine_mode: Some("provisioned".into()),
        parameter_group: "src-cluster".into(),
        endpoint: Some(CLUSTER_ENDPOINT.into()),
        reader_endpoint: Some(READER_ENDPOINT.into()),
        members: vec![
            ClusterMember {
                instance: "src-reader".into(),
                writer: false,
                parameter_group_status: Some(ParameterApplyStatus::PendingReboot),
            },
            ClusterMember {
                instance: "src-writer".into(),
                writer: true,
                parameter_group_status: Some(ParameterApplyStatus::InSync),
            },
        ],
    });
    o.cluster_params = params(
        "src-cluster",
        &[("binlog_format", "ROW"), ("binlog_row_image", "FULL")],
    );
    o
}

/// A healthy self-managed MariaDB 10.11 source (the on-prem side), read with SQL.
fn mariadb() -> Observed {
    let mut o = rds();
    o.kind = Kind::SelfManaged;
    o.instance = None;
    o.params = Params::default();
    o.endpoint.as_mut().unwrap().engine = "mariadb".into();
    o.endpoint.as_mut().unwrap().server = Some("db1.onprem.example".into());
    let mut f = facts(&[
        ("log_bin", "ON"),
        ("binlog_format", "ROW"),
        ("binlog_row_image", "FULL"),
        ("binlog_checksum", "CRC32"),
        ("server_id", "1"),
        ("log_bin_compress", "OFF"),
        ("expire_logs_days", "7.000000"),
        ("require_secure_transport", "OFF"),
        ("log_slave_updates", "OFF"),
        ("version", "10.11.6-MariaDB-0+deb12u1"),
    ]);
    f.rds_retention_hours = None;
    o.sql = Some(f);
    o
}

fn sql(o: &mut Observed) -> &mut Facts {
    o.sql.as_mut().expect("a base with SQL")
}

fn set(o: &mut Observed, name: &str, value: &str) {
    sql(o).variables.insert(name.into(), value.into());
}

fn unset(o: &mut Observed, name: &str) {
    sql(o).variables.remove(name);
}

fn task(o: &mut Observed) -> &mut Task {
    o.task.as_mut().expect("a base with a task")
}

fn instance(o: &mut Observed) -> &mut Instance {
    o.instance.as_mut().expect("an RDS or Aurora base")
}

fn cluster(o: &mut Observed) -> &mut Cluster {
    o.cluster.as_mut().expect("an Aurora base")
}

struct Case {
    id: &'static str,
    want: Verdict,
    what: &'static str,
    base: fn() -> Observed,
    change: fn(&mut Observed),
}

const fn case(
    id: &'static str,
    want: Verdict,
    what: &'static str,
    base: fn() -> Observed,
    change: fn(&mut Observed),
) -> Case {
    Case {
        id,
        want,
        what,
        base,
        change,
    }
}

fn unchanged(_: &mut Observed) {}

use super::Verdict::{Fail, Pass, Skip, Warn};

fn cases() -> Vec<Case> {
    vec![
        // rds.backups-enabled
        case(
            "rds.backups-enabled",
            Pass,
            "backups 7 days",
            rds,
            unchanged,
        ),
        case("rds.backups-enabled", Fail, "backups off", rds, |o| {
            instance(o).backup_retention_days = 0
        }),
        // binlog.enabled
        case("binlog.enabled", Pass, "log_bin ON (live)", rds, unchanged),
        case("binlog.enabled", Fail, "log_bin OFF (live)", mariadb, |o| {
            set(o, "log_bin", "OFF")
        }),
        case(
            "binlog.enabled",
            Pass,
            "RDS, no SQL, backups on",
            rds,
            |o| o.sql = None,
        ),
        case(
            "binlog.enabled",
            Fail,
            "RDS, no SQL, backups off (binlog_format still ROW)",
            rds,
            |o| {
                o.sql = None;
                instance(o).backup_retention_days = 0;
            },
        ),
        case(
            "binlog.enabled",
            Pass,
            "Aurora, no SQL, cluster ROW",
            aurora,
            |o| o.sql = None,
        ),
        case(
            "binlog.enabled",
            Fail,
            "Aurora, no SQL, cluster binlog_format left at its default OFF",
            aurora,
            |o| {
                o.sql = None;
                o.cluster_params.values.remove("binlog_format");
            },
        ),
        // binlog.format
        case("binlog.format", Pass, "ROW (live)", rds, unchanged),
        case("binlog.format", Fail, "MIXED (live)", rds, |o| {
            set(o, "binlog_format", "MIXED")
        }),
        case(
            "binlog.format",
            Fail,
            "no SQL, group leaves the RDS default MIXED",
            rds,
            |o| {
                o.sql = None;
                o.params.values.remove("binlog_format");
            },
        ),
        // binlog.format-sessions
        case(
            "binlog.format-sessions",
            Pass,
            "no stale sessions",
            rds,
            unchanged,
        ),
        case(
            "binlog.format-sessions",
            Warn,
            "3 sessions still MIXED",
            rds,
            |o| sql(o).other_format_sessions = Some(3),
        ),
        // binlog.row-image
        case("binlog.row-image", Pass, "FULL (live)", rds, unchanged),
        case("binlog.row-image", Fail, "MINIMAL (live)", mariadb, |o| {
            set(o, "binlog_row_image", "MINIMAL")
        }),
        // binlog.checksum
        case(
            "binlog.checksum",
            Pass,
            "CRC32 with DMS 3.5.3",
            rds,
            unchanged,
        ),
        case("binlog.checksum", Pass, "NONE with DMS 3.4.7", rds, |o| {
            set(o, "binlog_checksum", "NONE");
            o.dms_version = Some("3.4.7".into());
        }),
        case("binlog.checksum", Fail, "CRC32 with DMS 3.4.7", rds, |o| {
            o.dms_version = Some("3.4.7".into())
        }),
        case(
            "binlog.checksum",
            Warn,
            "unknown checksum with DMS 3.4.7",
            rds,
            |o| {
                unset(o, "binlog_checksum");
                o.dms_version = Some("3.4.7".into());
            },
        ),
        // server-id
        case("server-id", Pass, "server_id 1234 (live)", rds, unchanged),
        case("server-id", Pass, "RDS without SQL", rds, |o| o.sql = None),
        case("server-id", Fail, "server_id 0 (live)", mariadb, |o| {
            set(o, "server_id", "0")
        }),
        // binlog.retention-rds
        case("binlog.retention-rds", Pass, "24 hours", rds, unchanged),
        case("binlog.retention-rds", Fail, "NULL", rds, |o| {
            sql(o).rds_retention_hours = Some(Ok(None))
        }),
        case("binlog.retention-rds", Warn, "2 hours", aurora, |o| {
            sql(o).rds_retention_hours = Some(Ok(Some("2".into())))
        }),
        case(
            "binlog.retention-rds",
            Warn,
            "mysql.rds_configuration unreadable",
            rds,
            |o| sql(o).rds_retention_hours = Some(Err("SELECT command denied".into())),
        ),
        // binlog.expiry-selfmanaged
        case(
            "binlog.expiry-selfmanaged",
            Pass,
            "expire_logs_days 7",
            mariadb,
            unchanged,
        ),
        case(
            "binlog.expiry-selfmanaged",
            Pass,
            "MySQL 8: binlog_expire_logs_seconds 7 days",
            mariadb,
            |o| {
                unset(o, "expire_logs_days");
                set(o, "binlog_expire_logs_seconds", "604800");
            },
        ),
        case(
            "binlog.expiry-selfmanaged",
            Warn,
            "never purged",
            mariadb,
            |o| set(o, "expire_logs_days", "0"),
        ),
        case(
            "binlog.expiry-selfmanaged",
            Warn,
            "purged within an hour",
            mariadb,
            |o| {
                set(o, "expire_logs_days", "0");
                set(o, "binlog_expire_logs_seconds", "3600");
            },
        ),
        // binlog.resume-position
        case(
            "binlog.resume-position",
            Pass,
            "checkpoint file present",
            rds,
            unchanged,
        ),
        case(
            "binlog.resume-position",
            Fail,
            "checkpoint file purged",
            rds,
            |o| sql(o).binary_logs = Ok(vec!["mysql-bin-changelog.000007".into()]),
        ),
        case(
            "binlog.resume-position",
            Warn,
            "checkpoint names no binlog file",
            rds,
            |o| task(o).recovery_checkpoint = Some("checkpoint:garbage".into()),
        ),
        case(
            "binlog.resume-position",
            Warn,
            "SHOW BINARY LOGS failed",
            rds,
            |o| sql(o).binary_logs = Err("Access denied; you need REPLICATION CLIENT".into()),
        ),
        // params.pending-reboot
        case("params.pending-reboot", Pass, "RDS in-sync", rds, unchanged),
        case(
            "params.pending-reboot",
            Pass,
            "Aurora writer in-sync (a reader pending)",
            aurora,
            unchanged,
        ),
        case(
            "params.pending-reboot",
            Fail,
            "RDS pending-reboot",
            rds,
            |o| {
                instance(o).parameter_groups[0].apply_status =
                    Some(ParameterApplyStatus::PendingReboot)
            },
        ),
        case(
            "params.pending-reboot",
            Fail,
            "RDS failed-to-apply",
            rds,
            |o| {
                instance(o).parameter_groups[0].apply_status =
                    Some(ParameterApplyStatus::FailedToApply)
            },
        ),
        case(
            "params.pending-reboot",
            Fail,
            "Aurora writer pending-reboot",
            aurora,
            |o| {
                cluster(o).members[1].parameter_group_status =
                    Some(ParameterApplyStatus::PendingReboot)
            },
        ),
        case(
            "params.pending-reboot",
            Fail,
            "in-sync, but the group says ROW and the server runs MIXED",
            rds,
            |o| set(o, "binlog_format", "MIXED"),
        ),
        // aurora.param-scope
        case(
            "aurora.param-scope",
            Pass,
            "binlog settings in the cluster group",
            aurora,
            unchanged,
        ),
        case(
            "aurora.param-scope",
            Fail,
            "binlog_format set in the instance group only",
            aurora,
            |o| {
                o.params = params("src-writer-pg", &[("binlog_format", "ROW")]);
                o.cluster_params.values.remove("binlog_format");
            },
        ),
        // aurora.writer
        case("aurora.writer", Pass, "cluster endpoint", aurora, unchanged),
        case("aurora.writer", Fail, "reader endpoint", aurora, |o| {
            set(o, "innodb_read_only", "OFF");
            o.endpoint.as_mut().unwrap().server = Some(READER_ENDPOINT.into());
        }),
        case(
            "aurora.writer",
            Fail,
            "innodb_read_only ON (live)",
            aurora,
            |o| set(o, "innodb_read_only", "ON"),
        ),
        case(
            "aurora.writer",
            Warn,
            "an instance endpoint, no SQL",
            aurora,
            |o| {
                o.sql = None;
                o.endpoint.as_mut().unwrap().server =
                    Some("src-writer.abc.ap-northeast-2.rds.amazonaws.com".into());
            },
        ),
        // replica.log-updates
        case("replica.log-updates", Pass, "a primary", rds, unchanged),
        case(
            "replica.log-updates",
            Pass,
            "an RDS replica with log_slave_updates ON",
            rds,
            |o| {
                instance(o).read_replica_source = Some("primary".into());
                set(o, "log_slave_updates", "ON");
            },
        ),
        case(
            "replica.log-updates",
            Fail,
            "an RDS replica with log_slave_updates OFF",
            rds,
            |o| {
                instance(o).read_replica_source = Some("primary".into());
                set(o, "log_slave_updates", "OFF");
            },
        ),
        case(
            "replica.log-updates",
            Fail,
            "a self-managed replica (SHOW REPLICA STATUS) with log_slave_updates OFF",
            mariadb,
            |o| sql(o).is_replica = Some(true),
        ),
        case(
            "replica.log-updates",
            Warn,
            "an RDS replica, no SQL, group silent",
            rds,
            |o| {
                o.sql = None;
                instance(o).read_replica_source = Some("primary".into());
            },
        ),
        // binlog.compression
        case("binlog.compression", Pass, "no compression", rds, unchanged),
        case(
            "binlog.compression",
            Fail,
            "MySQL binlog_transaction_compression ON",
            rds,
            |o| set(o, "binlog_transaction_compression", "ON"),
        ),
        case(
            "binlog.compression",
            Fail,
            "MariaDB log_bin_compress ON",
            mariadb,
            |o| set(o, "log_bin_compress", "ON"),
        ),
        case(
            "binlog.compression",
            Fail,
            "Aurora enhanced binlog",
            aurora,
            |o| {
                o.cluster_params
                    .values
                    .insert("aurora_enhanced_binlog".into(), Some("1".into()));
            },
        ),
        // grants
        case(
            "grants",
            Pass,
            "REPLICATION CLIENT and SLAVE",
            rds,
            unchanged,
        ),
        case("grants", Pass, "MariaDB BINLOG MONITOR", mariadb, |o| {
            sql(o).grants =
                vec!["GRANT BINLOG MONITOR, REPLICATION SLAVE ON *.* TO `dms`@`%`".into()]
        }),
        case("grants", Pass, "ALL PRIVILEGES", rds, |o| {
            sql(o).grants = vec!["GRANT ALL PRIVILEGES ON *.* TO `dms`@`%`".into()]
        }),
        case("grants", Fail, "REPLICATION SLAVE only", rds, |o| {
            sql(o).grants = vec!["GRANT REPLICATION SLAVE ON *.* TO `dms`@`%`".into()]
        }),
        case("grants", Fail, "SELECT on one schema only", mariadb, |o| {
            sql(o).grants = vec!["GRANT SELECT ON `ticket`.* TO `dms`@`%`".into()]
        }),
        // version.cdc-supported
        case("version.cdc-supported", Pass, "MySQL 8.0", rds, unchanged),
        case(
            "version.cdc-supported",
            Pass,
            "MariaDB 10.11",
            mariadb,
            unchanged,
        ),
        case("version.cdc-supported", Fail, "MySQL 5.5", rds, |o| {
            instance(o).engine_version = "5.5.62".into()
        }),
        case(
            "version.cdc-supported",
            Fail,
            "RDS MariaDB 10.4",
            rds,
            |o| {
                instance(o).engine = "mariadb".into();
                instance(o).engine_version = "10.4.34".into();
            },
        ),
        case(
            "version.cdc-supported",
            Fail,
            "Aurora Serverless v1",
            aurora,
            |o| cluster(o).engine_mode = Some("serverless".into()),
        ),
        case(
            "version.cdc-supported",
            Warn,
            "unrecognised version",
            rds,
            |o| instance(o).engine_version = "latest".into(),
        ),
        // binlog.row-value-options
        case("binlog.row-value-options", Pass, "''", rds, unchanged),
        case("binlog.row-value-options", Warn, "PARTIAL_JSON", rds, |o| {
            set(o, "binlog_row_value_options", "PARTIAL_JSON")
        }),
        // mariadb.notes
        case("mariadb.notes", Pass, "MariaDB", mariadb, unchanged),
        case("mariadb.notes", Skip, "MySQL", rds, unchanged),
        // tls.aurora84
        case("tls.aurora84", Pass, "TLS not required", rds, unchanged),
        case(
            "tls.aurora84",
            Pass,
            "TLS required, endpoint verify-full",
            rds,
            |o| {
                set(o, "require_secure_transport", "ON");
                o.endpoint.as_mut().unwrap().ssl_mode = Some("verify-full".into());
            },
        ),
        case(
            "tls.aurora84",
            Warn,
            "TLS required (live), endpoint ssl mode none",
            rds,
            |o| set(o, "require_secure_transport", "ON"),
        ),
        case(
            "tls.aurora84",
            Warn,
            "Aurora 8.4, no SQL, endpoint without ssl mode",
            aurora,
            |o| {
                o.sql = None;
                cluster(o).engine_version = "8.4.0.aurora_mysql.4.0.0".into();
                o.endpoint.as_mut().unwrap().ssl_mode = None;
            },
        ),
        // dms.connection
        case("dms.connection", Pass, "successful", rds, unchanged),
        case("dms.connection", Fail, "failed", rds, |o| {
            o.connection = Some(Connection {
                status: Some(ConnectionStatus::Failed),
                last_failure_message: Some("Can't connect to MySQL server".into()),
            })
        }),
        case("dms.connection", Fail, "status not sent", rds, |o| {
            o.connection = Some(Connection {
                status: None,
                last_failure_message: None,
            })
        }),
        case("dms.connection", Warn, "testing", rds, |o| {
            o.connection = Some(Connection {
                status: Some(ConnectionStatus::Testing),
                last_failure_message: None,
            })
        }),
        case("dms.connection", Warn, "never tested", rds, |o| {
            o.connection = None
        }),
        // dms.task-health
        case("dms.task-health", Pass, "running", rds, unchanged),
        case(
            "dms.task-health",
            Pass,
            "ready (not started yet)",
            rds,
            |o| task(o).status = Some(TaskStatus::Ready),
        ),
        case(
            "dms.task-health",
            Warn,
            "failed with error 1236",
            rds,
            |o| {
                let t = task(o);
                t.status = Some(TaskStatus::Failed);
                t.last_failure_message = Some(
                "Error 1236 (HY000): Could not find first log file name in binary log index file"
                    .into(),
            );
            },
        ),
        case("dms.task-health", Warn, "stopped", rds, |o| {
            task(o).status = Some(TaskStatus::Stopped)
        }),
        case(
            "dms.task-health",
            Warn,
            "a status this version does not know",
            rds,
            |o| task(o).status = Some(TaskStatus::Other("frobbing".into())),
        ),
        case("dms.task-health", Fail, "task missing", rds, |o| {
            o.task = None
        }),
    ]
}

fn ids(checks: &[Check]) -> Vec<&'static str> {
    checks.iter().map(|c| c.id).collect()
}

fn catalog_ids() -> Vec<&'static str> {
    CATALOG.iter().map(|(id, _)| *id).collect()
}

#[test]
fn each_case_gives_its_verdict() {
    for c in cases() {
        let mut o = (c.base)();
        (c.change)(&mut o);
        let checks = evaluate(&o);
        assert_eq!(ids(&checks), catalog_ids(), "{}: {}", c.id, c.what);
        let got = checks
            .iter()
            .find(|x| x.id == c.id)
            .unwrap_or_else(|| panic!("{}: no check with this id", c.id));
        assert_eq!(
            got.verdict, c.want,
            "{} ({}): {} / {}",
            c.id, c.what, got.observed, got.message
        );
        if matches!(got.verdict, Fail | Warn) {
            assert!(
                !got.message.is_empty(),
                "{} ({}): a problem says what it is",
                c.id,
                c.what
            );
        }
    }
}

/// A check without a passing case and a case for each negative verdict fails here, and so
/// does a check `evaluate` produces that the catalog above does not list.
#[test]
fn every_check_has_a_passing_and_a_failing_case() {
    let cases = cases();
    assert_eq!(ids(&evaluate(&rds())), catalog_ids());
    let listed: BTreeSet<&str> = catalog_ids().into_iter().collect();
    assert_eq!(listed.len(), CATALOG.len(), "an id is listed twice");
    for c in &cases {
        assert!(listed.contains(c.id), "case for unknown check {}", c.id);
    }
    for (id, negatives) in CATALOG {
        let has = |v: Verdict| cases.iter().any(|c| c.id == id && c.want == v);
        assert!(has(Pass), "{id}: no passing case");
        assert!(!negatives.is_empty(), "{id}: no negative verdict listed");
        for &v in negatives {
            assert!(has(v), "{id}: no {} case", v.as_str());
        }
    }
}

/// The three healthy bases raise nothing, and between them every check passes somewhere.
#[test]
fn healthy_sources_pass_every_check() {
    let mut passed = BTreeSet::new();
    for (name, o) in [("rds", rds()), ("aurora", aurora()), ("mariadb", mariadb())] {
        for c in evaluate(&o) {
            assert!(
                matches!(c.verdict, Pass | Skip),
                "{name}: {} is {}: {}",
                c.id,
                c.verdict.as_str(),
                c.message
            );
            if c.verdict == Pass {
                passed.insert(c.id);
            }
        }
    }
    assert_eq!(passed, catalog_ids().into_iter().collect::<BTreeSet<_>>());
}

/// The incident: binlog_format reads ROW, but backups are off, so there is no binlog.
#[test]
fn backups_off_fails_although_binlog_format_is_row() {
    let mut o = rds();
    o.sql = None;
    instance(&mut o).backup_retention_days = 0;
    let checks = evaluate(&o);
    let verdict = |id: &str| checks.iter().find(|c| c.id == id).unwrap().verdict;
    assert_eq!(verdict("binlog.format"), Pass);
    assert_eq!(verdict("rds.backups-enabled"), Fail);
    assert_eq!(verdict("binlog.enabled"), Fail);
    let fix = checks[0].remediation.as_deref().unwrap();
    assert!(fix.contains("--backup-retention-period 7"), "{fix}");
}

#[test]
fn report_ok_follows_verdicts_strictness_and_the_sql_probe() {
    let checks = |v: &[Verdict]| -> Vec<Check> {
        v.iter()
            .map(|&verdict| check("x", verdict, "-", "-", "-", None))
            .collect()
    };
    let ok = |v: &[Verdict], strict: bool, sql_error: Option<&str>| {
        Report::new(
            "s".into(),
            strict,
            None,
            sql_error.map(str::to_string),
            checks(v),
        )
        .ok
    };
    let cases: &[(&[Verdict], bool, Option<&str>, bool)] = &[
        (&[Pass, Skip], false, None, true),
        (&[Pass, Warn], false, None, true),
        (&[Pass, Warn], true, None, false),
        (&[Pass, Skip], true, None, true),
        (&[Pass, Fail], false, None, false),
        (&[Pass], false, Some("cannot connect"), false),
    ];
    for (v, strict, sql_error, want) in cases {
        assert_eq!(ok(v, *strict, *sql_error), *want, "{v:?} strict={strict}");
    }
    let r = Report::new("s".into(), false, None, None, Vec::new());
    assert_eq!(r.schema, SCHEMA);
}

#[test]
fn checkpoint_files() {
    assert_eq!(
        checkpoint_file("checkpoint:V1#27#mysql-bin-changelog.157832:1234:-1:1255:0#0#0#*#0#1"),
        Some("mysql-bin-changelog.157832")
    );
    assert_eq!(
        checkpoint_file("checkpoint:V1#1#mysql-bin.000003:4:-1:4:0#0#0#*#0#1"),
        Some("mysql-bin.000003")
    );
    assert_eq!(checkpoint_file("nothing here"), None);
}

#[test]
fn grants_are_parsed() {
    let g = vec![
        "GRANT BINLOG MONITOR, REPLICATION SLAVE ON *.* TO `dms`@`%` IDENTIFIED BY PASSWORD '*ABC'"
            .to_string(),
        "GRANT SELECT ON `ticket`.* TO `dms`@`%`".to_string(),
    ];
    let (p, who) = global_privileges(&g);
    assert_eq!(p, ["BINLOG MONITOR", "REPLICATION SLAVE"]);
    assert_eq!(who.as_deref(), Some("`dms`@`%`"));
}

#[test]
fn versions() {
    assert_eq!(dms_version("3.4.7"), Some((3, 4, 7)));
    assert_eq!(dms_version("3.5"), Some((3, 5, 0)));
    assert_eq!(major_minor("10.11.19-MariaDB-0+deb12u1"), Some((10, 11)));
    assert_eq!(major_minor("8.0.35"), Some((8, 0)));
}
