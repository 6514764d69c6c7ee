//! `hybridctl dms check-binlog`: read the DMS task, its source endpoint and replication
//! instance, the RDS instance or Aurora cluster and their parameter groups, and (with SQL) the
//! live server; evaluate the catalog (pure); render. Exit 0 when nothing FAILs (`--strict`:
//! nothing WARNs either), 1 otherwise, 3 when AWS or the SQL probe could not be read.

use std::time::Duration;

use crate::aws::{AwsContext, dms, rds};
use crate::cli::CheckBinlogArgs;
use crate::error::{AwsError, Error, ExitStatus, Result};
use crate::plan::binlog::{self, Kind, Observed, Params, Report};
use crate::render::{self, Output};
use crate::settings::Settings;
use crate::topology::{Replication, Source};

const SQL_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Used when `--sql` is asked for and the file has no `replication.sql`.
pub const DEFAULT_PASSWORD_ENV: &str = "HYBRIDCTL_SQL_PASSWORD";

pub fn run(
    s: &Settings,
    args: &CheckBinlogArgs,
    out: &Output,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitStatus> {
    let topo = &s.topology;
    let Some(rep) = topo.replication.as_ref() else {
        return Err(Error::Usage {
            message: format!(
                "dms check-binlog needs a replication section in {}",
                topo.file.display()
            ),
            hint: Some(
                "set replication.dms_task_arn and replication.source (see hybridctl.example.yaml)"
                    .into(),
            ),
        });
    };
    let want_sql = !args.no_sql && (args.sql || rep.sql.is_some());
    // The password env var is checked before any call: a missing secret is a usage error.
    let password = if want_sql {
        let var = rep
            .sql
            .as_ref()
            .map(|s| s.password_env.as_str())
            .unwrap_or(DEFAULT_PASSWORD_ENV);
        Some(s.env.raw(var).map(str::to_string).ok_or_else(|| Error::Usage {
            message: format!("the SQL password variable {var} is not set"),
            hint: Some(format!("export {var}=... (the DMS source user's password), or pass --no-sql for the API checks only")),
        })?)
    } else {
        None
    };
    let report = rt.block_on(async {
        let ctx = AwsContext::load(&s.aws).await?;
        gather_and_check(&ctx, rep, password, args.strict).await
    })?;
    render::binlog::print(out, &report)?;
    if let Some(e) = &report.sql_error {
        out.note(&format!("error: the SQL probe failed: {e}"));
        return Ok(ExitStatus::Failure);
    }
    Ok(if report.ok {
        ExitStatus::Success
    } else {
        ExitStatus::No
    })
}

async fn gather_and_check(
    ctx: &AwsContext,
    rep: &Replication,
    password: Option<String>,
    strict: bool,
) -> Result<Report> {
    let dms_client = ctx.dms();
    let rds_client = ctx.rds();
    let kind = match rep.source {
        Source::RdsInstance(_) => Kind::Rds,
        Source::AuroraCluster(_) => Kind::Aurora,
        Source::SelfManaged => Kind::SelfManaged,
    };
    let (d, r) = tokio::try_join!(
        read_dms(&dms_client, rep),
        read_rds(&rds_client, &rep.source)
    )?;

    // SQL: one connection, after the endpoint is known (it names the server when the file
    // does not).
    let sql = match password {
        Some(password) => probe_sql(rep, d.endpoint.as_ref(), password, kind).await,
        None => SqlSide::default(),
    };

    let observed = Observed {
        kind,
        region: ctx.region().to_string(),
        task: d.task,
        endpoint: d.endpoint,
        dms_version: d.version,
        connection: d.connection,
        instance: r.instance,
        params: r.params,
        cluster: r.cluster,
        cluster_params: r.cluster_params,
        sql: sql.facts,
        sql_user: sql.user,
    };
    let source = match &rep.source {
        Source::RdsInstance(id) => format!("RDS instance {id}"),
        Source::AuroraCluster(id) => format!("Aurora cluster {id}"),
        Source::SelfManaged => "self-managed".into(),
    };
    Ok(Report::new(
        source,
        strict,
        sql.at,
        sql.error,
        binlog::evaluate(&observed),
    ))
}

/// What DMS says about the task and its source endpoint; all None past a missing task.
struct DmsSide {
    task: Option<dms::Task>,
    endpoint: Option<dms::Endpoint>,
    version: Option<String>,
    connection: Option<dms::Connection>,
}

/// DMS: the task, then its endpoint, instance version and connection test, at once.
async fn read_dms(
    client: &aws_sdk_databasemigration::Client,
    rep: &Replication,
) -> Result<DmsSide, AwsError> {
    let task = dms::describe_task(client, &rep.dms_task_arn.to_string()).await?;
    let Some(t) = &task else {
        return Ok(DmsSide {
            task,
            endpoint: None,
            version: None,
            connection: None,
        });
    };
    let endpoint = async {
        match &t.source_endpoint_arn {
            Some(a) => dms::describe_endpoint(client, a).await,
            None => Ok(None),
        }
    };
    let version = async {
        match &t.replication_instance_arn {
            Some(a) => dms::instance_engine_version(client, a).await,
            None => Ok(None),
        }
    };
    let conn = async {
        match &t.source_endpoint_arn {
            Some(a) => dms::connection(client, a).await,
            None => Ok(None),
        }
    };
    let (endpoint, version, connection) = tokio::try_join!(endpoint, version, conn)?;
    Ok(DmsSide {
        task,
        endpoint,
        version,
        connection,
    })
}

/// What RDS says about the source. RDS: the instance and its group. Aurora: the writer
/// instance and its group, plus the cluster and its cluster group.
struct RdsSide {
    instance: Option<rds::Instance>,
    params: Params,
    cluster: Option<rds::Cluster>,
    cluster_params: Params,
}

/// RDS: the instance (or the cluster and its writer) with parameter groups.
async fn read_rds(client: &aws_sdk_rds::Client, source: &Source) -> Result<RdsSide, AwsError> {
    match source {
        Source::RdsInstance(id) => {
            let (i, params) = instance_with_params(client, id).await?;
            Ok(RdsSide {
                instance: Some(i),
                params,
                cluster: None,
                cluster_params: Params::default(),
            })
        }
        Source::AuroraCluster(id) => {
            let c = rds::describe_cluster(client, id).await?;
            let cluster_params = group_params(client, Some(c.parameter_group.clone()), true);
            let writer = async {
                match c.members.iter().find(|m| m.writer) {
                    Some(m) => {
                        let (i, p) = instance_with_params(client, &m.instance).await?;
                        Ok((Some(i), p))
                    }
                    None => Ok((None, Params::default())),
                }
            };
            let (cluster_params, (instance, params)) = tokio::try_join!(cluster_params, writer)?;
            Ok(RdsSide {
                instance,
                params,
                cluster: Some(c),
                cluster_params,
            })
        }
        Source::SelfManaged => Ok(RdsSide {
            instance: None,
            params: Params::default(),
            cluster: None,
            cluster_params: Params::default(),
        }),
    }
}

/// An instance and the values of its (first) parameter group.
async fn instance_with_params(
    client: &aws_sdk_rds::Client,
    id: &str,
) -> Result<(rds::Instance, Params), AwsError> {
    let i = rds::describe_instance(client, id).await?;
    let params = group_params(
        client,
        i.parameter_groups.first().map(|g| g.name.clone()),
        false,
    )
    .await?;
    Ok((i, params))
}

/// The SQL probe's outcome; all None when no probe was asked for.
#[derive(Default)]
struct SqlSide {
    /// user@host:port of the server probed.
    at: Option<String>,
    error: Option<String>,
    facts: Option<crate::sql::Facts>,
    user: Option<String>,
}

async fn probe_sql(
    rep: &Replication,
    endpoint: Option<&dms::Endpoint>,
    password: String,
    kind: Kind,
) -> SqlSide {
    let mut out = SqlSide::default();
    match sql_target(rep, endpoint, password) {
        None => out.error = Some(
            "no SQL target: set replication.sql, or give the DMS endpoint a server name and user"
                .into(),
        ),
        Some(t) => {
            out.at = Some(format!("{}@{}:{}", t.user, t.host, t.port));
            out.user = Some(t.user.clone());
            match crate::sql::probe(&t, kind != Kind::SelfManaged).await {
                Ok(f) => out.facts = Some(f),
                Err(e) => out.error = Some(e),
            }
        }
    }
    out
}

/// `replication.sql` when the file has it, else the server the DMS endpoint names.
fn sql_target(
    rep: &Replication,
    endpoint: Option<&dms::Endpoint>,
    password: String,
) -> Option<crate::sql::Target> {
    match &rep.sql {
        Some(s) => Some(crate::sql::Target {
            host: s.host.clone(),
            port: s.port,
            user: s.user.clone(),
            password,
            tls: s.tls,
            tls_ca_file: s.tls_ca_file.clone(),
            connect_timeout: SQL_CONNECT_TIMEOUT,
        }),
        None => endpoint.and_then(|e| {
            Some(crate::sql::Target {
                host: e.server.clone()?,
                port: e.port.unwrap_or(3306) as u16,
                user: e.username.clone()?,
                password,
                tls: e.ssl_mode.as_deref().is_some_and(|m| m != "none"),
                tls_ca_file: None,
                connect_timeout: SQL_CONNECT_TIMEOUT,
            })
        }),
    }
}

/// A parameter group's values (all pages), or nothing when there is no group.
async fn group_params(
    client: &aws_sdk_rds::Client,
    group: Option<String>,
    cluster: bool,
) -> Result<Params, AwsError> {
    let Some(g) = group else {
        return Ok(Params::default());
    };
    let list = if cluster {
        rds::cluster_parameters(client, &g).await?
    } else {
        rds::parameters(client, &g).await?
    };
    Ok(Params {
        group: Some(g),
        values: list.into_iter().map(|p| (p.name, p.value)).collect(),
    })
}
