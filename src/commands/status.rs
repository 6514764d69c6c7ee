//! `hybridctl status`: live state of every section, read concurrently, then concluded (pure)
//! and rendered. Exit 0 when all is well, 1 on warnings or criticals, 3 when a read failed.

use std::collections::HashMap;
use std::time::Duration;

use super::live;
use super::live::dns::Sites;
use crate::aws::{AwsContext, cloudwatch, dms, elbv2, rds, route53};
use crate::cli::StatusArgs;
use crate::error::{ExitStatus, Result};
use crate::plan::capacity::Live;
use crate::plan::status::{
    self, LiveDr, LiveReplication, LiveService, Observed, SectionError, StatusReport,
};
use crate::render::{self, Output};
use crate::settings::{Clock, Env, Settings};
use crate::topology::{Service, Source, Topology};

/// CDC latency is read over this window.
const CDC_WINDOW: Duration = Duration::from_secs(300);

pub fn run(
    s: &Settings,
    args: &StatusArgs,
    out: &Output,
    rt: &tokio::runtime::Runtime,
) -> Result<ExitStatus> {
    let topo = &s.topology;
    let services = live::select(topo, &args.service)?;
    rt.block_on(async {
        let ctx = AwsContext::load(&s.aws).await?;
        match args.watch {
            None => {
                let spinner = render::status::reading(out, live::target_groups(&services).len());
                let mut report = read(&ctx, topo, &services, s.clock, &s.env).await;
                let table = crate::runbook::table_client(s, &ctx);
                let (watch, drills) = super::watch::store::peek(s, table.clone()).await;
                report.watch = watch;
                status::with_drills(topo, &mut report, &drills, s.clock.epoch());
                status::with_clock_skew(&mut report, clock_skew(s, table.as_ref()).await);
                if let Some(s) = spinner {
                    s.finish_and_clear();
                }
                render::status::print(out, &report)?;
                Ok(exit_status(&report))
            }
            Some(interval) => watch(&ctx, topo, &services, interval, out, s.clock, &s.env).await,
        }
    })
}

/// This host's clock against AWS's, measured on the coordination table's answers (one GetItem
/// when nothing has been read from it yet); None without a table or an answer.
async fn clock_skew(s: &Settings, table: Option<&aws_sdk_dynamodb::Client>) -> Option<i64> {
    let (client, c) = (table?, s.topology.coordination.as_ref()?);
    if crate::aws::clock::skew_ms().is_none() {
        let _ = crate::aws::dynamodb::get(client, &c.dynamodb_table, "clock").await;
    }
    // Only a skew beyond the limit by more than the measurement's uncertainty counts.
    crate::aws::clock::check()
        .err()
        .and(crate::aws::clock::skew_ms())
}

fn exit_status(r: &StatusReport) -> ExitStatus {
    if r.has_errors() {
        ExitStatus::Failure
    } else if r.ok {
        ExitStatus::Success
    } else {
        ExitStatus::No
    }
}

/// Reads every section concurrently and concludes.
pub async fn read(
    ctx: &AwsContext,
    topo: &Topology,
    services: &[&Service],
    clock: Clock,
    env: &Env,
) -> StatusReport {
    let (observed, overflow, capacity, probes) = tokio::join!(
        observe(ctx, topo, services),
        overflow(topo, services, env),
        capacity(ctx, services),
        probes(topo, services)
    );
    let mut report = status::conclude(topo, services, observed, clock.epoch());
    if let Some(readings) = overflow {
        status::with_overflow(topo, &mut report, &readings);
    }
    if !capacity.is_empty() {
        status::with_capacity(topo, &mut report, capacity);
    }
    report.probes = probes;
    report
}

/// Every probe of the shown services, at once.
async fn probes(topo: &Topology, services: &[&Service]) -> Vec<status::StatusProbe> {
    let Some(prober) = crate::probe::Prober::of(topo) else {
        return Vec::new();
    };
    let all: Vec<(&str, &crate::topology::Probe)> = services
        .iter()
        .flat_map(|s| s.probes.iter().map(move |p| (s.name.as_str(), p)))
        .collect();
    let results = futures::future::join_all(all.iter().map(|(_, p)| prober.check(p))).await;
    all.iter()
        .zip(results)
        .map(|((service, _), result)| status::StatusProbe {
            service: service.to_string(),
            result,
        })
        .collect()
}

/// What carries each AWS site with `capacity`, all at once.
async fn capacity(
    ctx: &AwsContext,
    services: &[&Service],
) -> Vec<(String, String, std::result::Result<Option<Live>, String>)> {
    let reads = services.iter().flat_map(|s| {
        s.capacity.iter().map(move |c| async move {
            let read = live::read_scaler(ctx, &c.scaler)
                .await
                .map_err(|e| e.to_string());
            (s.name.clone(), c.site.clone(), read)
        })
    });
    futures::future::join_all(reads).await
}

/// Each shown service's overflow query, all at once; None when no shown service has overflow.
async fn overflow(
    topo: &Topology,
    services: &[&Service],
    env: &Env,
) -> Option<HashMap<String, (Option<f64>, String, bool)>> {
    let cfgs: Vec<_> = services
        .iter()
        .filter_map(|s| topo.overflow_of(&s.name))
        .collect();
    let prom = topo.prometheus.as_ref().filter(|_| !cfgs.is_empty())?;
    let client = match crate::metrics::Client::new(prom, env) {
        Ok(c) => c,
        Err(e) => {
            let failed = (None, e.message, true);
            return Some(
                cfgs.iter()
                    .map(|c| (c.service.clone(), failed.clone()))
                    .collect(),
            );
        }
    };
    let samples = futures::future::join_all(cfgs.iter().map(|c| client.query(&c.query))).await;
    Some(
        cfgs.iter()
            .zip(samples)
            .map(|(c, s)| {
                let r = match s {
                    Ok(crate::metrics::Sample::Value(v)) => (Some(v), format!("{v}"), false),
                    Ok(crate::metrics::Sample::NoData(n)) => (None, n.as_str().to_string(), false),
                    Err(e) => (None, e.message, true),
                };
                (c.service.clone(), r)
            })
            .collect(),
    )
}

async fn observe(ctx: &AwsContext, topo: &Topology, services: &[&Service]) -> Observed {
    let (traffic, alarms, replication, dr) = tokio::join!(
        traffic(ctx, topo, services),
        alarms(ctx, topo),
        replication(ctx, topo),
        dr(ctx, topo),
    );
    Observed {
        traffic: traffic.map_err(SectionError::from),
        alarms: alarms.map(|r| r.map_err(SectionError::from)),
        replication: replication.map(|r| r.map_err(SectionError::from)),
        dr: dr.map(|r| r.map_err(SectionError::from)),
    }
}

/// Action lists, tags and target health, all at once.
async fn traffic(
    ctx: &AwsContext,
    topo: &Topology,
    services: &[&Service],
) -> Result<Vec<LiveService>, crate::error::AwsError> {
    let client = ctx.elbv2();
    // Route 53 records carry no tags (no ARN: no DescribeTags call).
    let arns: Vec<String> = services
        .iter()
        .filter(|s| s.alb().is_some())
        .map(|s| s.resource())
        .collect();
    let read = async {
        let (routes, tags, mut health) = tokio::try_join!(
            live::routes(ctx, &client, services),
            elbv2::tag_values(&client, &arns, elbv2::LAST_CHANGE_TAG),
            live::health(&client, services),
        )?;
        health.extend(live::site_health(ctx, topo, services, &routes, Sites::All).await);
        Ok::<_, crate::error::AwsError>((routes, tags, health))
    };
    let (routes, tags, health) = match read.await {
        Ok(r) => r,
        Err(e) => return Err(live::explain(&client, topo, services, e).await),
    };
    Ok(services
        .iter()
        .map(|s| LiveService {
            name: s.name.clone(),
            forward: routes.get(&s.name).and_then(|l| l.forward(s)),
            last_change: tags.get(&s.resource()).cloned(),
            health: s
                .targets
                .iter()
                .filter_map(|t| {
                    let key = s.health_key(t);
                    health.get(&key).map(|h| (key, h.clone()))
                })
                .collect(),
        })
        .collect())
}

async fn alarms(
    ctx: &AwsContext,
    topo: &Topology,
) -> Option<Result<Vec<cloudwatch::Alarm>, crate::error::AwsError>> {
    let name = topo.failover.as_ref()?.alarm.clone()?;
    Some(cloudwatch::describe_alarms(&ctx.cloudwatch(), &[name]).await)
}

/// DMS task and RDS source at once; CDC latency once the task's identifier is known.
async fn replication(
    ctx: &AwsContext,
    topo: &Topology,
) -> Option<Result<LiveReplication, crate::error::AwsError>> {
    let r = topo.replication.as_ref()?;
    let task_arn = r.dms_task_arn.to_string();
    let dms_client = ctx.dms();
    let cw_client = ctx.cloudwatch();
    let task_and_cdc = async {
        let task = dms::describe_task(&dms_client, &task_arn).await?;
        let cdc = match &task {
            Some(t) => cloudwatch::cdc_latency(&cw_client, &t.id, CDC_WINDOW).await?,
            None => cloudwatch::CdcLatency::default(),
        };
        Ok::<_, crate::error::AwsError>((task, cdc))
    };
    let source = async {
        match &r.source {
            Source::RdsInstance(id) => rds::describe_instance(&ctx.rds(), id).await.map(Some),
            Source::AuroraCluster(_) | Source::SelfManaged => Ok(None),
        }
    };
    Some(
        tokio::try_join!(task_and_cdc, source).map(|((task, cdc), source)| LiveReplication {
            task,
            cdc,
            source,
        }),
    )
}

/// The weighted records and the DR ready target group, in the DR region, at once.
async fn dr(ctx: &AwsContext, topo: &Topology) -> Option<Result<LiveDr, crate::error::AwsError>> {
    let d = topo.dr.as_ref()?;
    let r53 = ctx.route53();
    let records =
        route53::weighted_records(&r53, &d.dns.zone_id, &d.dns.record, &d.dns.record_type);
    let ready = async {
        match &d.ready {
            Some(r) => elbv2::target_health(
                &ctx.in_region(&d.region).elbv2(),
                &r.target_group_arn.to_string(),
            )
            .await
            .map(Some),
            None => Ok(None),
        }
    };
    Some(tokio::try_join!(records, ready).map(|(records, ready)| LiveDr { records, ready }))
}

/// Refreshes until Ctrl-C: in place on a terminal, one line per change otherwise.
async fn watch(
    ctx: &AwsContext,
    topo: &Topology,
    services: &[&Service],
    interval: Duration,
    out: &Output,
    clock: Clock,
    env: &Env,
) -> Result<ExitStatus> {
    let mut last: Vec<String> = Vec::new();
    let in_place = out.stdout_is_tty && out.redraw && !out.is_json();
    loop {
        let report = read(ctx, topo, services, clock, env).await;
        if in_place {
            out.text("\x1b[2J\x1b[H")?;
            render::status::print(out, &report)?;
            out.note(&format!(
                "refreshing every {}; Ctrl-C to stop",
                crate::duration::format(interval)
            ));
        } else if out.is_json() {
            out.json_line(&report)?;
        } else {
            let lines = render::status::summary_lines(&report);
            for line in lines.iter().filter(|l| !last.contains(l)) {
                out.text(&format!("{} {line}", clock.rfc3339()))?;
            }
            last = lines;
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = tokio::signal::ctrl_c() => return Ok(ExitStatus::Interrupted),
        }
    }
}
