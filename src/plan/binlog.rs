//! `dms check-binlog`: the DMS MySQL/MariaDB source catalog (docs/dms.md, "The checks")
//! evaluated over what the DMS and RDS APIs and the SQL probe observed. Pure.
//!
//! The live SQL value wins over the parameter group; a difference between the two is itself a
//! finding. Never infer the binlog from binlog_format: with backups off RDS turns log_bin off
//! and resets binlog_format to ROW.

use std::collections::HashMap;

use serde::Serialize;

use crate::aws::dms::{Connection, ConnectionStatus, Endpoint, Task, TaskStatus};
use crate::aws::rds::{Cluster, Instance, ParameterApplyStatus};
use crate::sql::Facts;

pub const SCHEMA: &str = "hybridctl.check-binlog/v1";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Verdict {
    Fail,
    Warn,
    Pass,
    Skip,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Fail => "FAIL",
            Verdict::Warn => "WARN",
            Verdict::Pass => "PASS",
            Verdict::Skip => "SKIP",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub id: &'static str,
    pub verdict: Verdict,
    pub observed: String,
    pub expected: String,
    pub message: String,
    /// A command to copy and paste (aws CLI or SQL); None when there is nothing to do.
    pub remediation: Option<String>,
}

/// What `dms check-binlog` reports (`hybridctl.check-binlog/v1`).
#[derive(Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub ok: bool,
    pub strict: bool,
    pub source: String,
    /// Where the SQL probe connected, when it ran.
    pub sql: Option<String>,
    /// Why the SQL probe failed, when it did (exit 3).
    pub sql_error: Option<String>,
    pub checks: Vec<Check>,
}

impl Report {
    /// `ok` when no check FAILs (with `strict`, none WARNs either) and the SQL probe, if it
    /// was asked for, did not fail.
    pub fn new(
        source: String,
        strict: bool,
        sql: Option<String>,
        sql_error: Option<String>,
        checks: Vec<Check>,
    ) -> Report {
        let worst_allowed = if strict { Verdict::Pass } else { Verdict::Warn };
        let ok = checks.iter().all(|c| c.verdict >= worst_allowed) && sql_error.is_none();
        Report {
            schema: SCHEMA,
            ok,
            strict,
            source,
            sql,
            sql_error,
            checks,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Rds,
    Aurora,
    SelfManaged,
}

/// A parameter group's values: name -> value (None: listed without a value).
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub group: Option<String>,
    pub values: HashMap<String, Option<String>>,
}

impl Params {
    fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(|v| v.as_deref())
    }
}

/// Everything read before the checks run.
#[derive(Debug, Clone)]
pub struct Observed {
    pub kind: Kind,
    pub region: String,
    pub task: Option<Task>,
    pub endpoint: Option<Endpoint>,
    pub dms_version: Option<String>,
    pub connection: Option<Connection>,
    /// RDS: the source instance. Aurora: the writer instance.
    pub instance: Option<Instance>,
    /// RDS: the instance's parameter group. Aurora: the writer's instance group.
    pub params: Params,
    pub cluster: Option<Cluster>,
    pub cluster_params: Params,
    /// None: no SQL probe was asked for; Err: it failed (the error is reported separately).
    pub sql: Option<Facts>,
    /// The SQL user (for GRANT statements).
    pub sql_user: Option<String>,
}

/// Engine defaults for parameters the parameter group does not list (RDS documents MIXED as
/// the default binlog_format, FULL as the default row image; Aurora's cluster default is OFF,
/// i.e. no binlog). None: not known here, verify with --sql.
fn engine_default(kind: Kind, name: &str) -> Option<&'static str> {
    match (kind, name) {
        (Kind::Aurora, "binlog_format") => Some("OFF"),
        (_, "binlog_format") => Some("MIXED"),
        (_, "binlog_row_image") => Some("FULL"),
        (_, "log_bin_compress" | "binlog_transaction_compression") => Some("OFF"),
        (Kind::Aurora, "aurora_enhanced_binlog") => Some("0"),
        _ => None,
    }
}

/// A setting's value and where it came from.
struct Setting {
    value: Option<String>,
    from: String,
}

impl Observed {
    fn live(&self, name: &str) -> Option<&str> {
        self.sql.as_ref().and_then(|f| f.var(name))
    }

    /// The group that holds binlog settings: the cluster group on Aurora, else the instance's.
    fn binlog_group(&self) -> &Params {
        if self.kind == Kind::Aurora {
            &self.cluster_params
        } else {
            &self.params
        }
    }

    fn setting(&self, name: &str) -> Setting {
        if let Some(v) = self.live(name) {
            return Setting {
                value: Some(v.to_string()),
                from: "live".into(),
            };
        }
        if self.kind == Kind::SelfManaged {
            return Setting {
                value: None,
                from: "unknown without --sql".into(),
            };
        }
        let g = self.binlog_group();
        if let Some(v) = g.get(name) {
            return Setting {
                value: Some(v.to_string()),
                from: format!("parameter group {}", g.group.as_deref().unwrap_or("?")),
            };
        }
        match engine_default(self.kind, name) {
            Some(d) => Setting {
                value: Some(d.to_string()),
                from: "engine default".into(),
            },
            None => Setting {
                value: None,
                from: "engine default, verify with --sql".into(),
            },
        }
    }

    fn instance_id(&self) -> String {
        self.instance
            .as_ref()
            .map(|i| i.id.clone())
            .unwrap_or_else(|| "SOURCE".into())
    }

    fn is_mariadb(&self) -> bool {
        self.endpoint
            .as_ref()
            .is_some_and(|e| e.engine == "mariadb")
            || self
                .instance
                .as_ref()
                .is_some_and(|i| i.engine == "mariadb")
            || self.sql.as_ref().is_some_and(Facts::is_mariadb)
    }

    /// The command that sets a parameter where it belongs.
    fn set_param(&self, name: &str, value: &str) -> String {
        match self.kind {
            Kind::Rds => format!(
                "aws rds modify-db-parameter-group --region {} --db-parameter-group-name {} --parameters \"ParameterName={name},ParameterValue={value},ApplyMethod=immediate\"",
                self.region,
                self.params.group.as_deref().unwrap_or("CUSTOM_GROUP")
            ),
            Kind::Aurora => format!(
                "aws rds modify-db-cluster-parameter-group --region {} --db-cluster-parameter-group-name {} --parameters \"ParameterName={name},ParameterValue={value},ApplyMethod=pending-reboot\" && aws rds reboot-db-instance --region {} --db-instance-identifier {}",
                self.region,
                self.cluster_params
                    .group
                    .as_deref()
                    .unwrap_or("CUSTOM_CLUSTER_GROUP"),
                self.region,
                self.instance_id()
            ),
            Kind::SelfManaged => format!(
                "SET PERSIST {name} = '{value}';  -- MariaDB: SET GLOBAL, and {name}={value} in my.cnf"
            ),
        }
    }
}

fn check(
    id: &'static str,
    verdict: Verdict,
    observed: impl Into<String>,
    expected: impl Into<String>,
    message: impl Into<String>,
    remediation: Option<String>,
) -> Check {
    Check {
        id,
        verdict,
        observed: observed.into(),
        expected: expected.into(),
        message: message.into(),
        remediation,
    }
}

fn skip(id: &'static str, expected: &str, why: &str) -> Check {
    check(id, Verdict::Skip, "-", expected, why, None)
}

fn on(v: &str) -> bool {
    matches!(v.to_ascii_uppercase().as_str(), "ON" | "1" | "TRUE")
}

/// Every check of the catalog, in its order.
pub fn evaluate(o: &Observed) -> Vec<Check> {
    vec![
        backups(o),
        binlog_enabled(o),
        binlog_format(o),
        format_sessions(o),
        row_image(o),
        checksum(o),
        server_id(o),
        retention_rds(o),
        expiry(o),
        resume_position(o),
        pending_reboot(o),
        aurora_scope(o),
        aurora_writer(o),
        replica(o),
        compression(o),
        grants(o),
        version(o),
        row_value_options(o),
        mariadb_notes(o),
        tls(o),
        connection(o),
        task_health(o),
    ]
}

fn backups(o: &Observed) -> Check {
    const ID: &str = "rds.backups-enabled";
    match (o.kind, &o.instance) {
        (Kind::Rds, Some(i)) if i.backup_retention_days >= 1 => check(
            ID,
            Verdict::Pass,
            format!("{} days", i.backup_retention_days),
            ">= 1 day",
            "automated backups are on, so RDS writes the binlog",
            None,
        ),
        (Kind::Rds, Some(i)) => check(
            ID,
            Verdict::Fail,
            "0 days (backups off)",
            ">= 1 day",
            "automated backups are off: RDS writes no binlog without them, whatever binlog_format says, so DMS CDC cannot work",
            Some(format!(
                "aws rds modify-db-instance --region {} --db-instance-identifier {} --backup-retention-period 7 --apply-immediately",
                o.region, i.id
            )),
        ),
        (Kind::Rds, None) => skip(ID, ">= 1 day", "the RDS instance could not be read"),
        (Kind::Aurora, _) => skip(
            ID,
            ">= 1 day",
            "Aurora: the binlog is controlled by the cluster's binlog_format (see binlog.enabled)",
        ),
        (Kind::SelfManaged, _) => skip(ID, ">= 1 day", "self-managed source: no RDS backups"),
    }
}

fn binlog_enabled(o: &Observed) -> Check {
    const ID: &str = "binlog.enabled";
    let fix = match o.kind {
        Kind::Rds => Some(format!("aws rds modify-db-instance --region {} --db-instance-identifier {} --backup-retention-period 7 --apply-immediately", o.region, o.instance_id())),
        Kind::Aurora => Some(o.set_param("binlog_format", "ROW")),
        Kind::SelfManaged => Some("add log-bin=mysql-bin (and server_id=1) under [mysqld] in my.cnf, then restart the server".into()),
    };
    if let Some(v) = o.live("log_bin") {
        return if on(v) {
            check(
                ID,
                Verdict::Pass,
                format!("log_bin={v} (live)"),
                "ON",
                "the server writes a binary log",
                None,
            )
        } else {
            check(
                ID,
                Verdict::Fail,
                format!("log_bin={v} (live)"),
                "ON",
                "binary logging is off: DMS has nothing to read for CDC",
                fix,
            )
        };
    }
    match o.kind {
        Kind::Rds => match &o.instance {
            Some(i) if i.backup_retention_days >= 1 => check(
                ID,
                Verdict::Pass,
                format!("backups {} days", i.backup_retention_days),
                "ON",
                "on RDS the binlog is on while automated backups are on (confirm with --sql)",
                None,
            ),
            Some(_) => check(
                ID,
                Verdict::Fail,
                "backups off",
                "ON",
                "on RDS the binlog is off while automated backups are off",
                fix,
            ),
            None => skip(ID, "ON", "the RDS instance could not be read"),
        },
        Kind::Aurora => {
            let s = o.setting("binlog_format");
            match s.value.as_deref() {
                Some(v) if !v.eq_ignore_ascii_case("OFF") => check(
                    ID,
                    Verdict::Pass,
                    format!("binlog_format={v} ({})", s.from),
                    "not OFF",
                    "the cluster writes a binlog",
                    None,
                ),
                Some(v) => check(
                    ID,
                    Verdict::Fail,
                    format!("binlog_format={v} ({})", s.from),
                    "not OFF",
                    "Aurora writes no binlog while the cluster's binlog_format is OFF",
                    fix,
                ),
                None => skip(ID, "ON", "cluster binlog_format unknown"),
            }
        }
        Kind::SelfManaged => skip(ID, "ON", "needs --sql for a self-managed source"),
    }
}

fn binlog_format(o: &Observed) -> Check {
    const ID: &str = "binlog.format";
    let s = o.setting("binlog_format");
    match s.value.as_deref() {
        Some(v) if v.eq_ignore_ascii_case("ROW") => check(
            ID,
            Verdict::Pass,
            format!("ROW ({})", s.from),
            "ROW",
            "row-based logging, as DMS needs",
            None,
        ),
        Some(v) => check(
            ID,
            Verdict::Fail,
            format!("{v} ({})", s.from),
            "ROW",
            format!(
                "binlog_format is {v}: DMS needs ROW ({v} can log statements DMS cannot apply consistently)"
            ),
            Some(o.set_param("binlog_format", "ROW")),
        ),
        None => skip(ID, "ROW", &s.from),
    }
}

fn format_sessions(o: &Observed) -> Check {
    const ID: &str = "binlog.format-sessions";
    match o.sql.as_ref().map(|f| f.other_format_sessions) {
        None => skip(ID, "0", "needs --sql"),
        Some(None) => skip(ID, "0", "performance_schema.variables_by_thread is not available on this server"),
        Some(Some(0)) => check(ID, Verdict::Pass, "0 sessions", "0", "every session logs ROW", None),
        Some(Some(n)) => check(
            ID,
            Verdict::Warn,
            format!("{n} session(s) not on ROW"),
            "0",
            "sessions opened before binlog_format changed keep their old format (unconfirmed for DMS, but the classic cause of 'statement or mixed' CDC errors)",
            Some("restart the applications that write to this database (or the database) so every session logs ROW".into()),
        ),
    }
}

fn row_image(o: &Observed) -> Check {
    const ID: &str = "binlog.row-image";
    let s = o.setting("binlog_row_image");
    match s.value.as_deref() {
        Some(v) if v.eq_ignore_ascii_case("FULL") => check(
            ID,
            Verdict::Pass,
            format!("FULL ({})", s.from),
            "FULL",
            "full row images, as DMS needs",
            None,
        ),
        Some(v) => check(
            ID,
            Verdict::Fail,
            format!("{v} ({})", s.from),
            "FULL",
            format!("binlog_row_image is {v}: DMS needs FULL before and after images"),
            Some(o.set_param("binlog_row_image", "FULL")),
        ),
        None => skip(ID, "FULL", &s.from),
    }
}

/// `3.4.7` -> (3, 4, 7).
fn dms_version(v: &str) -> Option<(u32, u32, u32)> {
    let mut it = v.split('.').map(|p| p.trim().parse::<u32>().ok());
    Some((
        it.next()??,
        it.next().flatten().unwrap_or(0),
        it.next().flatten().unwrap_or(0),
    ))
}

fn checksum(o: &Observed) -> Check {
    const ID: &str = "binlog.checksum";
    let s = o.setting("binlog_checksum");
    let old_dms = o
        .dms_version
        .as_deref()
        .and_then(dms_version)
        .map(|v| v <= (3, 4, 7));
    let dms = o.dms_version.clone().unwrap_or_else(|| "unknown".into());
    let upgrade = o.task.as_ref().and_then(|t| t.replication_instance_arn.clone()).map(|ri| {
        format!("aws dms modify-replication-instance --region {} --replication-instance-arn {ri} --engine-version 3.5.3 --allow-major-version-upgrade --apply-immediately  # or set binlog_checksum=NONE", o.region)
    });
    match (s.value.as_deref(), old_dms) {
        (Some(v), _) if v.eq_ignore_ascii_case("NONE") => check(
            ID,
            Verdict::Pass,
            format!("NONE ({})", s.from),
            "NONE, or CRC32 with DMS > 3.4.7",
            "no checksums: every DMS version reads this",
            None,
        ),
        (_, Some(false)) => check(
            ID,
            Verdict::Pass,
            format!(
                "{} ({}); DMS {dms}",
                s.value.as_deref().unwrap_or("unknown"),
                s.from
            ),
            "NONE, or CRC32 with DMS > 3.4.7",
            "DMS after 3.4.7 reads CRC32 checksums",
            None,
        ),
        (Some(v), Some(true)) => check(
            ID,
            Verdict::Fail,
            format!("{v} ({}); DMS {dms}", s.from),
            "NONE with DMS <= 3.4.7",
            format!(
                "DMS {dms} cannot read {v} binlog checksums (error 1236 'replication events with the checksum'); 3.4.7 is end of life"
            ),
            upgrade,
        ),
        (None, Some(true)) => check(
            ID,
            Verdict::Warn,
            format!("{}; DMS {dms}", s.from),
            "NONE with DMS <= 3.4.7",
            format!("DMS {dms} needs binlog_checksum=NONE; the value is unknown here"),
            upgrade,
        ),
        (_, None) => skip(
            ID,
            "NONE, or CRC32 with DMS > 3.4.7",
            "the DMS replication instance version could not be read",
        ),
    }
}

fn server_id(o: &Observed) -> Check {
    const ID: &str = "server-id";
    match o.live("server_id").map(|v| v.parse::<u64>().unwrap_or(0)) {
        Some(0) => check(
            ID,
            Verdict::Fail,
            "0 (live)",
            ">= 1",
            "server_id is 0: the server cannot act as a replication source",
            Some("SET GLOBAL server_id = 1;  -- and server_id=1 under [mysqld] in my.cnf".into()),
        ),
        Some(n) => check(
            ID,
            Verdict::Pass,
            format!("{n} (live)"),
            ">= 1",
            "set",
            None,
        ),
        None if o.kind != Kind::SelfManaged => check(
            ID,
            Verdict::Pass,
            "set by RDS",
            ">= 1",
            "RDS sets server_id itself",
            None,
        ),
        None => skip(ID, ">= 1", "needs --sql for a self-managed source"),
    }
}

fn retention_rds(o: &Observed) -> Check {
    const ID: &str = "binlog.retention-rds";
    let fix = Some("CALL mysql.rds_set_configuration('binlog retention hours', 24);".to_string());
    if o.kind == Kind::SelfManaged {
        return skip(
            ID,
            ">= 24 h",
            "self-managed source (see binlog.expiry-selfmanaged)",
        );
    }
    match o.sql.as_ref().and_then(|f| f.rds_retention_hours.clone()) {
        None => skip(
            ID,
            ">= 24 h",
            "not in the RDS API: needs --sql (SELECT on mysql.rds_configuration)",
        ),
        Some(Err(e)) => check(
            ID,
            Verdict::Warn,
            "unreadable",
            ">= 24 h",
            format!("cannot read mysql.rds_configuration: {e}"),
            Some("GRANT SELECT ON mysql.rds_configuration TO the DMS user".into()),
        ),
        Some(Ok(None)) => check(
            ID,
            Verdict::Fail,
            "NULL",
            ">= 24 h",
            "binlog retention hours is NULL: RDS purges binlogs as soon as it can, so a paused or lagging task loses its position (error 1236)",
            fix,
        ),
        Some(Ok(Some(h))) if h.trim().parse::<u32>().unwrap_or(0) < 24 => check(
            ID,
            Verdict::Warn,
            format!("{h} h"),
            ">= 24 h",
            "under a day of binlog: a task paused longer cannot resume",
            fix,
        ),
        Some(Ok(Some(h))) => check(
            ID,
            Verdict::Pass,
            format!("{h} h"),
            ">= 24 h",
            "binlogs are kept long enough to resume",
            None,
        ),
    }
}

fn expiry(o: &Observed) -> Check {
    const ID: &str = "binlog.expiry-selfmanaged";
    if o.kind != Kind::SelfManaged {
        return skip(
            ID,
            "expiry set",
            "RDS and Aurora manage binlog expiry (see binlog.retention-rds)",
        );
    }
    let Some(f) = &o.sql else {
        return skip(ID, "expiry set", "needs --sql");
    };
    let days = f
        .var("expire_logs_days")
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0);
    let secs = f
        .var("binlog_expire_logs_seconds")
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    let observed = format!("expire_logs_days={days}, binlog_expire_logs_seconds={secs}");
    if days == 0.0 && secs == 0 {
        check(ID, Verdict::Warn, observed, ">= 1 day", "binlogs are never purged: the disk fills up over time", Some("SET GLOBAL expire_logs_days = 7;  -- MySQL 8.0+: SET PERSIST binlog_expire_logs_seconds = 604800;".into()))
    } else if days < 1.0 && secs < 86_400 {
        check(
            ID,
            Verdict::Warn,
            observed,
            ">= 1 day",
            "binlogs are purged within a day: a task paused longer cannot resume",
            Some("SET GLOBAL expire_logs_days = 7;".into()),
        )
    } else {
        check(
            ID,
            Verdict::Pass,
            observed,
            ">= 1 day",
            "binlogs are kept and purged",
            None,
        )
    }
}

/// The binlog file named in a DMS checkpoint (`checkpoint:V1#27#mysql-bin-changelog.157832:...`).
pub fn checkpoint_file(checkpoint: &str) -> Option<&str> {
    checkpoint
        .split('#')
        .find(|p| {
            p.contains('.')
                && p.split(':').next().is_some_and(|f| {
                    f.rsplit('.')
                        .next()
                        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                })
        })
        .and_then(|p| p.split(':').next())
}

fn resume_position(o: &Observed) -> Check {
    const ID: &str = "binlog.resume-position";
    let Some(cp) = o
        .task
        .as_ref()
        .and_then(|t| t.recovery_checkpoint.clone())
        .filter(|c| !c.is_empty())
    else {
        return skip(
            ID,
            "the checkpoint's binlog file exists",
            "the task has no recovery checkpoint (CDC has not run yet)",
        );
    };
    let Some(file) = checkpoint_file(&cp) else {
        return check(
            ID,
            Verdict::Warn,
            cp.clone(),
            "a binlog file name",
            "the checkpoint names no binlog file hybridctl recognises",
            None,
        );
    };
    let Some(f) = &o.sql else {
        return skip(ID, file, "needs --sql (SHOW BINARY LOGS)");
    };
    let restart = o.task.as_ref().map(|t| format!("aws dms start-replication-task --region {} --replication-task-arn {} --start-replication-task-type reload-target  # and raise binlog retention", o.region, t.arn));
    match &f.binary_logs {
        Ok(files) if files.iter().any(|x| x == file) => check(
            ID,
            Verdict::Pass,
            format!("{file} present"),
            file,
            "the task can resume from its checkpoint",
            None,
        ),
        Ok(files) => check(
            ID,
            Verdict::Fail,
            format!(
                "{file} purged (oldest: {})",
                files.first().map(String::as_str).unwrap_or("none")
            ),
            file,
            "the checkpoint's binlog file is gone: resuming fails with error 1236 'Could not find first log file name'",
            restart,
        ),
        Err(e) => check(
            ID,
            Verdict::Warn,
            "unknown",
            file,
            format!("SHOW BINARY LOGS failed: {e}"),
            None,
        ),
    }
}

fn pending_reboot(o: &Observed) -> Check {
    const ID: &str = "params.pending-reboot";
    let reboot = format!(
        "aws rds reboot-db-instance --region {} --db-instance-identifier {}",
        o.region,
        o.instance_id()
    );
    let status: Option<(String, Option<ParameterApplyStatus>)> = match o.kind {
        Kind::Rds => o
            .instance
            .as_ref()
            .and_then(|i| i.parameter_groups.first())
            .map(|g| (g.name.clone(), g.apply_status.clone())),
        Kind::Aurora => o
            .cluster
            .as_ref()
            .and_then(|c| c.members.iter().find(|m| m.writer))
            .map(|m| {
                (
                    o.cluster_params.group.clone().unwrap_or_default(),
                    m.parameter_group_status.clone(),
                )
            }),
        Kind::SelfManaged => None,
    };
    if let Some((group, Some(st))) = &status
        && st.is_not_applied()
    {
        return check(
            ID,
            Verdict::Fail,
            format!("{group}: {st}"),
            "in-sync",
            "the parameter group's values are saved but not in effect",
            Some(reboot),
        );
    }
    // Drift: the group says one thing, the live server another.
    if o.sql.is_some() {
        for name in ["binlog_format", "binlog_row_image", "binlog_checksum"] {
            if let (Some(g), Some(l)) = (o.binlog_group().get(name), o.live(name))
                && !g.eq_ignore_ascii_case(l)
            {
                return check(
                    ID,
                    Verdict::Fail,
                    format!("{name}: group {g}, live {l}"),
                    "live = group",
                    format!(
                        "{name} in the parameter group is not what the server runs: the change is not applied"
                    ),
                    Some(reboot),
                );
            }
        }
    }
    match status {
        Some((group, st)) => check(
            ID,
            Verdict::Pass,
            format!("{group}: {}", ParameterApplyStatus::text(st.as_ref())),
            "in-sync",
            "the parameter group is applied",
            None,
        ),
        None if o.kind == Kind::SelfManaged => {
            skip(ID, "in-sync", "self-managed source: no parameter group")
        }
        None => skip(
            ID,
            "in-sync",
            "the parameter group status could not be read",
        ),
    }
}

fn aurora_scope(o: &Observed) -> Check {
    const ID: &str = "aurora.param-scope";
    if o.kind != Kind::Aurora {
        return skip(ID, "binlog settings in the cluster group", "not Aurora");
    }
    for name in ["binlog_format", "binlog_row_image"] {
        let inst = o.params.get(name);
        let cluster = o.cluster_params.get(name);
        if let Some(v) = inst
            && cluster.is_none_or(|c| !c.eq_ignore_ascii_case(v))
        {
            return check(
                ID,
                Verdict::Fail,
                format!(
                    "{name}={v} in instance group {}, {} in cluster group {}",
                    o.params.group.as_deref().unwrap_or("?"),
                    cluster.unwrap_or("default"),
                    o.cluster_params.group.as_deref().unwrap_or("?")
                ),
                "set in the cluster parameter group",
                format!(
                    "on Aurora {name} is a cluster-level parameter: the instance group's value has no effect"
                ),
                Some(o.set_param(name, v)),
            );
        }
    }
    check(
        ID,
        Verdict::Pass,
        format!(
            "cluster group {}",
            o.cluster_params.group.as_deref().unwrap_or("?")
        ),
        "binlog settings in the cluster group",
        "binlog settings are where Aurora reads them",
        None,
    )
}

fn aurora_writer(o: &Observed) -> Check {
    const ID: &str = "aurora.writer";
    if o.kind != Kind::Aurora {
        return skip(ID, "the writer", "not Aurora");
    }
    let server = o
        .endpoint
        .as_ref()
        .and_then(|e| e.server.clone())
        .unwrap_or_default();
    let fix = o
        .endpoint
        .as_ref()
        .zip(o.cluster.as_ref().and_then(|c| c.endpoint.clone()))
        .map(|(e, ce)| {
            format!(
                "aws dms modify-endpoint --region {} --endpoint-arn {} --server-name {ce}",
                o.region, e.arn
            )
        });
    if o.live("innodb_read_only").is_some_and(on) {
        return check(
            ID,
            Verdict::Fail,
            format!("{server}: innodb_read_only=ON"),
            "the writer",
            "the endpoint reaches an Aurora replica: binlogs are readable only on the writer",
            fix,
        );
    }
    match &o.cluster {
        Some(c) if c.reader_endpoint.as_deref() == Some(server.as_str()) => check(
            ID,
            Verdict::Fail,
            format!("{server} (reader endpoint)"),
            "the writer",
            "the endpoint is the cluster's reader endpoint: binlogs are readable only on the writer",
            fix,
        ),
        Some(c) if c.endpoint.as_deref() == Some(server.as_str()) => check(
            ID,
            Verdict::Pass,
            format!("{server} (cluster endpoint)"),
            "the writer",
            "the cluster endpoint always reaches the writer",
            None,
        ),
        _ => check(
            ID,
            Verdict::Warn,
            server,
            "the writer",
            "the endpoint is not the cluster endpoint: make sure it is the writer (run with --sql to check innodb_read_only)",
            fix,
        ),
    }
}

fn replica(o: &Observed) -> Check {
    const ID: &str = "replica.log-updates";
    let rds_replica = o
        .instance
        .as_ref()
        .and_then(|i| i.read_replica_source.clone());
    let sql_replica = o.sql.as_ref().and_then(|f| f.is_replica).unwrap_or(false);
    if rds_replica.is_none() && !sql_replica {
        return match (&o.sql, o.kind) {
            (None, Kind::SelfManaged) => {
                skip(ID, "log_slave_updates=ON on a replica", "needs --sql")
            }
            _ => check(
                ID,
                Verdict::Pass,
                "not a replica",
                "log_slave_updates=ON on a replica",
                "the source is a primary",
                None,
            ),
        };
    }
    let value = o
        .live("log_slave_updates")
        .or(o.live("log_replica_updates"))
        .map(str::to_string)
        .or_else(|| o.params.get("log_slave_updates").map(str::to_string));
    let fix = Some(o.set_param("log_slave_updates", "1"));
    match value.as_deref() {
        Some(v) if on(v) => check(
            ID,
            Verdict::Pass,
            format!("replica, log_slave_updates={v}"),
            "ON",
            "the replica logs what it applies",
            None,
        ),
        Some(v) => check(
            ID,
            Verdict::Fail,
            format!("replica, log_slave_updates={v}"),
            "ON",
            "a replica without log_slave_updates does not binlog replicated changes: DMS misses them",
            fix,
        ),
        None => check(
            ID,
            Verdict::Warn,
            "replica, log_slave_updates unknown",
            "ON",
            "the source is a replica: confirm log_slave_updates=ON with --sql",
            fix,
        ),
    }
}

fn compression(o: &Observed) -> Check {
    const ID: &str = "binlog.compression";
    for name in ["log_bin_compress", "binlog_transaction_compression"] {
        let s = o.setting(name);
        if let Some(v) = s.value.as_deref()
            && on(v)
        {
            return check(
                ID,
                Verdict::Fail,
                format!("{name}={v} ({})", s.from),
                "OFF",
                "DMS cannot read compressed binlog events",
                Some(o.set_param(name, "OFF")),
            );
        }
    }
    if o.kind == Kind::Aurora
        && o.cluster_params
            .get("aurora_enhanced_binlog")
            .is_some_and(on)
    {
        return check(
            ID,
            Verdict::Fail,
            "aurora_enhanced_binlog=1",
            "0",
            "DMS does not support Aurora enhanced binlog",
            Some(o.set_param("aurora_enhanced_binlog", "0")),
        );
    }
    if o.kind == Kind::SelfManaged && o.sql.is_none() {
        return skip(ID, "OFF", "needs --sql for a self-managed source");
    }
    check(
        ID,
        Verdict::Pass,
        "off",
        "OFF",
        "binlog events are not compressed",
        None,
    )
}

/// Privileges granted ON *.*, upper-case, and the `user`@`host` they were granted to.
fn global_privileges(grants: &[String]) -> (Vec<String>, Option<String>) {
    let mut privs = Vec::new();
    let mut who = None;
    for g in grants {
        let Some(rest) = g.strip_prefix("GRANT ") else {
            continue;
        };
        let Some((list, target)) = rest.split_once(" ON ") else {
            continue;
        };
        if target.starts_with("*.*") {
            privs.extend(list.split(',').map(|p| p.trim().to_ascii_uppercase()));
            if let Some(t) = target.split(" TO ").nth(1) {
                who = Some(t.split_whitespace().next().unwrap_or(t).to_string());
            }
        }
    }
    (privs, who)
}

fn grants(o: &Observed) -> Check {
    const ID: &str = "grants";
    let Some(f) = &o.sql else {
        return skip(ID, "REPLICATION CLIENT, REPLICATION SLAVE", "needs --sql");
    };
    let (privs, who) = global_privileges(&f.grants);
    let has = |p: &str| privs.iter().any(|x| x == "ALL PRIVILEGES" || x == p);
    let client = has("REPLICATION CLIENT") || has("BINLOG MONITOR");
    let slave = has("REPLICATION SLAVE");
    let mut missing = Vec::new();
    if !client {
        missing.push("REPLICATION CLIENT");
    }
    if !slave {
        missing.push("REPLICATION SLAVE");
    }
    let who =
        who.unwrap_or_else(|| format!("'{}'@'%'", o.sql_user.as_deref().unwrap_or("DMS_USER")));
    let observed = if privs.is_empty() {
        "no global privileges".to_string()
    } else {
        privs.join(", ")
    };
    if missing.is_empty() {
        check(
            ID,
            Verdict::Pass,
            observed,
            "REPLICATION CLIENT, REPLICATION SLAVE",
            "the user may read the binlog",
            None,
        )
    } else {
        check(
            ID,
            Verdict::Fail,
            observed,
            "REPLICATION CLIENT, REPLICATION SLAVE",
            format!(
                "the user lacks {}: DMS cannot read the binlog",
                missing.join(" and ")
            ),
            Some(format!("GRANT {} ON *.* TO {who};", missing.join(", "))),
        )
    }
}

/// `10.11.19-MariaDB-0+deb12u1` -> (10, 11).
fn major_minor(v: &str) -> Option<(u32, u32)> {
    let mut it = v
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<u32>().ok());
    Some((it.next()??, it.next()??))
}

fn version(o: &Observed) -> Check {
    const ID: &str = "version.cdc-supported";
    let mariadb = o.is_mariadb();
    let v = o
        .instance
        .as_ref()
        .map(|i| i.engine_version.clone())
        .or_else(|| o.cluster.as_ref().map(|c| c.engine_version.clone()))
        .or_else(|| o.live("version").map(str::to_string));
    if o.cluster.as_ref().and_then(|c| c.engine_mode.as_deref()) == Some("serverless") {
        return check(
            ID,
            Verdict::Fail,
            "Aurora Serverless v1",
            "provisioned or Serverless v2",
            "Aurora Serverless v1 has no CDC for DMS",
            Some("migrate the cluster to Serverless v2 or provisioned".into()),
        );
    }
    let Some(v) = v else {
        return skip(
            ID,
            "a CDC-capable version",
            "the engine version could not be read",
        );
    };
    let Some(mm) = major_minor(&v) else {
        return check(
            ID,
            Verdict::Warn,
            v,
            "a CDC-capable version",
            "unrecognised version",
            None,
        );
    };
    let (ok, need) = if mariadb && o.kind == Kind::Rds {
        (mm > (10, 4), "RDS MariaDB 10.5 or later")
    } else if mariadb {
        (mm >= (10, 0), "MariaDB 10.0 or later")
    } else {
        (mm >= (5, 6), "MySQL 5.6 or later")
    };
    if ok {
        check(
            ID,
            Verdict::Pass,
            v,
            need,
            "DMS supports CDC from this version",
            None,
        )
    } else {
        check(
            ID,
            Verdict::Fail,
            v,
            need,
            "DMS does not support CDC from this version",
            Some("upgrade the engine".into()),
        )
    }
}

fn row_value_options(o: &Observed) -> Check {
    const ID: &str = "binlog.row-value-options";
    match o.live("binlog_row_value_options") {
        None if o.sql.is_some() => skip(ID, "''", "not a MySQL 8 server"),
        None => skip(ID, "''", "needs --sql"),
        Some(v) if v.to_ascii_uppercase().contains("PARTIAL_JSON") => check(
            ID,
            Verdict::Warn,
            v,
            "''",
            "PARTIAL_JSON logs partial JSON updates; DMS documents nothing about them (our inference: keep the default)",
            Some("SET PERSIST binlog_row_value_options = '';".into()),
        ),
        Some(v) => check(
            ID,
            Verdict::Pass,
            format!("'{v}'"),
            "''",
            "full JSON values are logged",
            None,
        ),
    }
}

fn mariadb_notes(o: &Observed) -> Check {
    const ID: &str = "mariadb.notes";
    if !o.is_mariadb() {
        return skip(ID, "-", "not MariaDB");
    }
    check(
        ID,
        Verdict::Pass,
        "MariaDB",
        "-",
        "for information: DMS ignores GTIDs, supports no XA transactions on 10.6+, and no system-versioned tables",
        None,
    )
}

fn tls(o: &Observed) -> Check {
    const ID: &str = "tls.aurora84";
    let requires = o.live("require_secure_transport").is_some_and(on)
        || (o.kind == Kind::Aurora
            && o.cluster
                .as_ref()
                .is_some_and(|c| c.engine_version.starts_with("8.4")));
    let ssl = o
        .endpoint
        .as_ref()
        .and_then(|e| e.ssl_mode.clone())
        .unwrap_or_else(|| "none".into());
    if !requires {
        return check(
            ID,
            Verdict::Pass,
            format!("ssl mode {ssl}"),
            "TLS when the server requires it",
            "the server does not require TLS",
            None,
        );
    }
    if ssl == "none" {
        check(ID, Verdict::Warn, "require_secure_transport=ON, endpoint ssl mode none", "verify-ca or verify-full", "the server refuses plain connections (error 3159)", o.endpoint.as_ref().map(|e| format!("aws dms modify-endpoint --region {} --endpoint-arn {} --ssl-mode verify-full --certificate-arn CERTIFICATE_ARN", o.region, e.arn)))
    } else {
        check(
            ID,
            Verdict::Pass,
            format!("ssl mode {ssl}"),
            "verify-ca or verify-full",
            "the endpoint uses TLS",
            None,
        )
    }
}

fn connection(o: &Observed) -> Check {
    const ID: &str = "dms.connection";
    let test = o.task.as_ref().zip(o.endpoint.as_ref()).and_then(|(t, e)| {
        t.replication_instance_arn.as_ref().map(|ri| format!("aws dms test-connection --region {} --replication-instance-arn {ri} --endpoint-arn {}", o.region, e.arn))
    });
    match &o.connection {
        None => check(
            ID,
            Verdict::Warn,
            "never tested",
            "successful",
            "no connection test on record from the replication instance (proves reachability only, not the binlog)",
            test,
        ),
        Some(c) if c.status == Some(ConnectionStatus::Successful) => check(
            ID,
            Verdict::Pass,
            "successful",
            "successful",
            "the replication instance reaches the source and logs in",
            None,
        ),
        Some(c) if c.status == Some(ConnectionStatus::Testing) => check(
            ID,
            Verdict::Warn,
            "testing",
            "successful",
            "a connection test is running",
            None,
        ),
        Some(c) => check(
            ID,
            Verdict::Fail,
            ConnectionStatus::text(c.status.as_ref()),
            "successful",
            format!(
                "the last connection test failed: {}",
                c.last_failure_message.as_deref().unwrap_or("no message")
            ),
            test,
        ),
    }
}

fn task_health(o: &Observed) -> Check {
    const ID: &str = "dms.task-health";
    let Some(t) = &o.task else {
        return check(
            ID,
            Verdict::Fail,
            "missing",
            "running",
            "the DMS task in replication.dms_task_arn does not exist",
            None,
        );
    };
    let msg = t
        .last_failure_message
        .as_deref()
        .or(t.stop_reason.as_deref())
        .unwrap_or("");
    let hint = if msg.contains("1236") {
        " (error 1236: the binlog position is gone; see binlog.resume-position and binlog.retention-rds)"
    } else if msg.contains("3159") {
        " (error 3159: the server requires TLS; see tls.aurora84)"
    } else {
        ""
    };
    let s = t.status_text();
    match t.status {
        Some(
            TaskStatus::Running
            | TaskStatus::Ready
            | TaskStatus::Creating
            | TaskStatus::Starting
            | TaskStatus::Modifying
            | TaskStatus::Testing,
        ) => check(ID, Verdict::Pass, s, "running", "the task is healthy", None),
        _ => check(
            ID,
            Verdict::Warn,
            format!(
                "{s}{}",
                if msg.is_empty() {
                    String::new()
                } else {
                    format!(": {msg}")
                }
            ),
            "running",
            format!("the task is {s}{hint}"),
            Some(format!(
                "aws dms describe-replication-tasks --region {} --filters Name=replication-task-arn,Values={}",
                o.region, t.arn
            )),
        ),
    }
}

#[cfg(test)]
mod tests;
