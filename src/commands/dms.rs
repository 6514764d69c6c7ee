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

    // DMS: the task, then its endpoint, instance version and connection test, at once.
    let dms_side = async {
        let task = dms::describe_task(&dms_client, &rep.dms_task_arn.to_string()).await?;
        let Some(t) = &task else {
            return Ok::<_, AwsError>((task, None, None, None));
        };
        let endpoint = async {
            match &t.source_endpoint_arn {
                Some(a) => dms::describe_endpoint(&dms_client, a).await,
                None => Ok(None),
            }
        };
        let version = async {
            match &t.replication_instance_arn {
                Some(a) => dms::instance_engine_version(&dms_client, a).await,
                None => Ok(None),
            }
        };
        let conn = async {
            match &t.source_endpoint_arn {
                Some(a) => dms::connection(&dms_client, a).await,
                None => Ok(None),
            }
        };
        let (e, v, c) = tokio::try_join!(endpoint, version, conn)?;
        Ok((task, e, v, c))
    };
    // RDS: the instance (or the cluster and its writer) with parameter groups.
    let rds_side = async {
        match &rep.source {
            Source::RdsInstance(id) => {
                let i = rds::describe_instance(&rds_client, id).await?;
                let params = group_params(
                    &rds_client,
                    i.parameter_groups.first().map(|g| g.name.clone()),
                    false,
                )
                .await?;
                Ok::<_, AwsError>((Some(i), params, None, Params::default()))
            }
            Source::AuroraCluster(id) => {
                let c = rds::describe_cluster(&rds_client, id).await?;
                let cluster_params =
                    group_params(&rds_client, Some(c.parameter_group.clone()), true);
                let writer = async {
                    match c.members.iter().find(|m| m.writer) {
                        Some(m) => {
                            let i = rds::describe_instance(&rds_client, &m.instance).await?;
                            let p = group_params(
                                &rds_client,
                                i.parameter_groups.first().map(|g| g.name.clone()),
                                false,
                            )
                            .await?;
                            Ok((Some(i), p))
                        }
                        None => Ok((None, Params::default())),
                    }
                };
                let (cp, (i, p)) = tokio::try_join!(cluster_params, writer)?;
                Ok((i, p, Some(c), cp))
            }
            Source::SelfManaged => Ok((None, Params::default(), None, Params::default())),
        }
    };
    let ((task, endpoint, dms_version, connection), (instance, params, cluster, cluster_params)) =
        tokio::try_join!(dms_side, rds_side)?;

    // SQL: one connection, after the endpoint is known (it names the server when the file
    // does not).
    let mut sql_at = None;
    let mut sql_error = None;
    let mut facts = None;
    let mut sql_user = None;
    if let Some(password) = password {
        let target = match &rep.sql {
            Some(s) => Some(crate::sql::Target {
                host: s.host.clone(),
                port: s.port,
                user: s.user.clone(),
                password,
                tls: s.tls,
                connect_timeout: SQL_CONNECT_TIMEOUT,
            }),
            None => endpoint.as_ref().and_then(|e| {
                Some(crate::sql::Target {
                    host: e.server.clone()?,
                    port: e.port.unwrap_or(3306) as u16,
                    user: e.username.clone()?,
                    password,
                    tls: e.ssl_mode.as_deref().is_some_and(|m| m != "none"),
                    connect_timeout: SQL_CONNECT_TIMEOUT,
                })
            }),
        };
        match target {
            None => sql_error = Some("no SQL target: set replication.sql, or give the DMS endpoint a server name and user".into()),
            Some(t) => {
                sql_at = Some(format!("{}@{}:{}", t.user, t.host, t.port));
                sql_user = Some(t.user.clone());
                match crate::sql::probe(&t, kind != Kind::SelfManaged).await {
                    Ok(f) => facts = Some(f),
                    Err(e) => sql_error = Some(e),
                }
            }
        }
    }

    let observed = Observed {
        kind,
        region: ctx.region().to_string(),
        task,
        endpoint,
        dms_version,
        connection,
        instance,
        params,
        cluster,
        cluster_params,
        sql: facts,
        sql_user,
    };
    let source = match &rep.source {
        Source::RdsInstance(id) => format!("RDS instance {id}"),
        Source::AuroraCluster(id) => format!("Aurora cluster {id}"),
        Source::SelfManaged => "self-managed".into(),
    };
    Ok(Report::new(
        source,
        strict,
        sql_at,
        sql_error,
        binlog::evaluate(&observed),
    ))
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
