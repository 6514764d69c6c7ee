//! Semantic validation: wire structs -> the domain model, reporting every problem at once.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use indexmap::IndexMap;

use super::arn::{self, Arn, Expect};
use super::model::*;
use super::tree::Index;
use super::url::{QUERY_REFUSED, USERINFO_REFUSED, url_has_userinfo};
use super::values::{self, is_table_name};
use super::wire::{self, Scalar};
use crate::error::Problem;

mod capacity;
mod checker;
mod dns_service;
mod drill;
mod overflow;
mod probe;

use checker::{Checker, check_record, check_split, relative_to};
pub use checker::{MAX_ALB_WEIGHT, MAX_R53_WEIGHT};
pub use drill::{parse_date, parse_window};

const DR_STAGES: [&str; 3] = ["normal", "building", "recovered"];

pub fn validate(file: &Path, mut w: wire::File, index: &Index) -> Result<Topology, Vec<Problem>> {
    let mut c = Checker {
        index,
        problems: Vec::new(),
    };
    match &w.version {
        Scalar::Int(1) => {}
        Scalar::Int(v) => c.fail(
            "version",
            format!("unsupported version {v}: this hybridctl reads version 1"),
        ),
        other => {
            let found = c.found("version", other);
            c.fail(
                "version",
                format!("expected version 1 (the file format version), found {found}"),
            );
        }
    }
    let aws = check_aws(&mut c, w.aws);
    let sites = check_sites(&mut c, &w.sites);
    let mut services = check_services(&mut c, &w.services, &sites);
    for (name, s) in w.services.iter_mut() {
        let probes = probe::check_probes(&mut c, name, s, &sites, file);
        if let Some(svc) = services.iter_mut().find(|x| &x.name == name) {
            svc.probes = probes;
        }
    }
    let failover = w
        .failover
        .map(|f| check_failover(&mut c, f, &sites, &services));
    let replication = w
        .replication
        .and_then(|r| check_replication(&mut c, r, file));
    let coordination = w.coordination.map(|k| check_coordination(&mut c, k));
    let dr =
        w.dr.map(|d| check_dr(&mut c, d, file, coordination.as_ref()));
    not_the_dr_record(&mut c, &services, dr.as_ref());
    let watch = w
        .watch
        .map(|wa| check_watch(&mut c, wa, failover.is_some(), coordination.as_ref()));
    let notify = check_notify(&mut c, w.notify.unwrap_or_default());
    let prometheus = w
        .metrics
        .and_then(|m| m.prometheus)
        .map(|p| overflow::check_prometheus(&mut c, p, file));
    let overflow = overflow::check_overflow(
        &mut c,
        w.overflow,
        (&w.services, &services),
        failover.as_ref(),
        prometheus.is_some(),
    );
    let drill = w
        .drill
        .map(|d| drill::check_drill(&mut c, d, failover.as_ref()));
    let journal = match w.journal {
        Some(j) if j.trim().is_empty() => {
            c.fail("journal", "the journal path is empty");
            None
        }
        Some(j) => Some(relative_to(file, &j)),
        None => None,
    };
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(Topology {
        file: file.to_path_buf(),
        aws,
        sites,
        services,
        failover,
        replication,
        dr,
        journal,
        coordination,
        watch,
        notify,
        prometheus,
        overflow,
        drill,
        locations: index.locations().clone(),
    })
}

fn check_aws(c: &mut Checker, a: wire::Aws) -> AwsSettings {
    if let Some(r) = &a.region
        && !arn::is_region(r)
    {
        c.fail(
            "aws.region",
            format!("`{r}` is not an AWS region (like ap-northeast-2)"),
        );
    }
    if let Some(u) = &a.endpoint_url {
        if url_has_userinfo(u) {
            c.fail("aws.endpoint_url", USERINFO_REFUSED);
        } else if u.contains(['?', '#']) {
            c.fail("aws.endpoint_url", QUERY_REFUSED);
        } else if !(u.starts_with("http://") || u.starts_with("https://")) {
            c.fail(
                "aws.endpoint_url",
                format!("`{u}` must start with http:// or https://"),
            );
        }
    }
    if let Some(p) = &a.profile
        && p.trim().is_empty()
    {
        c.fail("aws.profile", "the profile name is empty");
    }
    let elbv2_describe_limit = a.elbv2_describe_limit.and_then(|l| {
        let path = "aws.elbv2_describe_limit";
        let burst = c.whole(&format!("{path}.burst"), &l.burst, 1..=100_000, "burst");
        let per_second = c.whole(
            &format!("{path}.per_second"),
            &l.per_second,
            1..=100_000,
            "rate",
        );
        Some(ApiLimit {
            burst: burst? as u32,
            per_second: per_second? as u32,
        })
    });
    AwsSettings {
        region: a.region,
        profile: a.profile,
        endpoint_url: a.endpoint_url,
        elbv2_describe_limit,
    }
}

fn check_sites(c: &mut Checker, sites: &IndexMap<String, wire::Site>) -> Vec<Site> {
    if sites.len() < 2 {
        c.fail("sites", "declare at least two sites (e.g. onprem and aws)");
    }
    let mut out = Vec::new();
    for (name, s) in sites {
        let path = format!("sites.{name}");
        c.name(&path, "site", name);
        let kind = match s.kind.as_str() {
            "onprem" => SiteKind::Onprem,
            "aws" => SiteKind::Aws,
            other => {
                c.fail(
                    format!("{path}.kind"),
                    format!("unknown site kind `{other}`: use onprem or aws"),
                );
                continue;
            }
        };
        out.push(Site {
            name: name.clone(),
            kind,
            description: s.description.clone(),
        });
    }
    out
}

/// What must be unique across the file's services, as seen so far: key -> who has it.
#[derive(Default)]
struct Taken {
    /// A target group belongs to one site across the whole file: ARN -> (site, key path).
    tg_site: HashMap<String, (String, String)>,
    /// One service per rule or listener default action.
    action_of: HashMap<String, String>,
    /// One capacity entry per ECS service or Auto Scaling group.
    scaler_of: HashMap<String, String>,
    /// One dns service per record name and type.
    record_of: HashMap<String, String>,
}

fn check_services(
    c: &mut Checker,
    services: &IndexMap<String, wire::Service>,
    sites: &[Site],
) -> Vec<Service> {
    if services.is_empty() {
        c.fail("services", "declare at least one service");
    }
    let mut taken = Taken::default();
    let mut out = Vec::new();
    for (name, s) in services {
        let path = format!("services.{name}");
        c.name(&path, "service", name);
        let svc = match &s.dns {
            Some(dns) => dns_service::check(c, &path, name, s, dns, sites, &mut taken.record_of),
            None => check_alb_service(c, &path, name, s, sites, &mut taken),
        };
        out.extend(svc);
    }
    out
}

/// One ALB service: its listener and rule, target groups and weights, capacity.
fn check_alb_service(
    c: &mut Checker,
    path: &str,
    name: &str,
    s: &wire::Service,
    sites: &[Site],
    taken: &mut Taken,
) -> Option<Service> {
    let target_groups = alb_keys(c, path, s)?;
    let (listener, rule) = check_action(c, path, s);
    one_service_per_action(
        c,
        &mut taken.action_of,
        name,
        &listener,
        &rule,
        s.rule_arn.is_none(),
    );
    let n = target_groups.len();
    if !(2..=5).contains(&n) {
        c.fail(
            format!("{path}.target_groups"),
            format!("{n} target groups: an ALB forward action splits between 2 and 5"),
        );
    }
    let mut regions = BTreeSet::new();
    if let Some(l) = &listener {
        regions.insert(l.region.clone());
    }
    let mut targets = Vec::new();
    for (site, tg) in target_groups {
        let tpath = format!("{path}.target_groups.{site}");
        if !sites.iter().any(|x| &x.name == site) {
            c.fail(
                &tpath,
                format!("`{site}` is not a declared site (see sites)"),
            );
        }
        let Some(arn) = c.arn(&tpath, tg, Expect::TargetGroup) else {
            continue;
        };
        regions.insert(arn.region.clone());
        let key = arn.to_string();
        match taken.tg_site.get(&key) {
            Some((other_site, other_path)) if other_site != site => c.fail(
                &tpath,
                format!("this target group is already site `{other_site}` at {other_path}"),
            ),
            _ => {
                taken.tg_site.insert(key, (site.clone(), tpath.clone()));
            }
        }
        targets.push((site.clone(), arn));
    }
    one_region(c, path, regions);
    let weights = check_split(
        c,
        &format!("{path}.weights"),
        target_groups,
        &s.weights,
        MAX_ALB_WEIGHT,
        "target group",
    );
    let capacity = capacity::check_capacity(
        c,
        path,
        s.capacity.as_ref(),
        sites,
        &weights,
        listener.as_ref().map(|l| l.region.as_str()),
    );
    one_entry_per_scaler(c, &mut taken.scaler_of, path, &capacity);
    Some(Service {
        name: name.to_string(),
        route: Route::Alb {
            listener_arn: listener?,
            rule_arn: rule,
        },
        targets: targets
            .into_iter()
            .map(|(site, arn)| SiteTarget {
                weight: weights.get(&site).copied().unwrap_or(0),
                site,
                via: Via::TargetGroup(arn),
            })
            .collect(),
        capacity,
        probes: Vec::new(),
    })
}

/// An ALB service's listener and target groups are there; None (said) when one is missing.
fn alb_keys<'s>(
    c: &mut Checker,
    path: &str,
    s: &'s wire::Service,
) -> Option<&'s IndexMap<String, String>> {
    let missing: Vec<&str> = [
        ("listener_arn", s.listener_arn.is_none()),
        ("target_groups", s.target_groups.is_none()),
    ]
    .into_iter()
    .filter_map(|(k, m)| m.then_some(k))
    .collect();
    if !missing.is_empty() {
        c.fail(
            path,
            format!(
                "{} missing: an ALB service needs listener_arn and target_groups (or `dns:` for Route 53 weighted records, docs/dns.md)",
                missing.join(" and ")
            ),
        );
        return None;
    }
    s.target_groups.as_ref()
}

/// The listener and the rule (if any) a service changes; the rule must be the listener's.
fn check_action(c: &mut Checker, path: &str, s: &wire::Service) -> (Option<Arn>, Option<Arn>) {
    let listener = c.arn(
        &format!("{path}.listener_arn"),
        s.listener_arn.as_deref().unwrap_or_default(),
        Expect::Listener,
    );
    let rule = match &s.rule_arn {
        None => None,
        Some(None) => {
            c.fail(
                format!("{path}.rule_arn"),
                "rule_arn has no value: give the listener rule's ARN, or leave the key out to \
                 change the listener's default action",
            );
            None
        }
        Some(Some(r)) => c.arn(&format!("{path}.rule_arn"), r, Expect::ListenerRule),
    };
    if let (Some(l), Some(r)) = (&listener, &rule)
        && !arn::rule_belongs_to(r, l)
    {
        c.fail(
            format!("{path}.rule_arn"),
            "the rule does not belong to listener_arn (load balancer, listener, region and account must match)",
        );
    }
    (listener, rule)
}

/// Two services on one rule (or one listener's default action) would plan two different
/// writes of the same action: the second is refused, naming the first.
fn one_service_per_action(
    c: &mut Checker,
    action_of: &mut HashMap<String, String>,
    name: &str,
    listener: &Option<Arn>,
    rule: &Option<Arn>,
    no_rule: bool,
) {
    let path = format!("services.{name}");
    let (key, at) = match (rule, listener) {
        (Some(r), _) => (r.to_string(), format!("{path}.rule_arn")),
        (None, Some(l)) if no_rule => (format!("{l} default"), format!("{path}.listener_arn")),
        _ => return,
    };
    match action_of.get(&key) {
        Some(other) => c.fail(
            &at,
            format!(
                "service `{other}` already changes this {}: one service per rule or listener default action",
                if rule.is_some() {
                    "rule"
                } else {
                    "listener's default action"
                }
            ),
        ),
        None => {
            action_of.insert(key, name.to_string());
        }
    }
}

fn one_region(c: &mut Checker, path: &str, regions: BTreeSet<String>) {
    if regions.len() > 1 {
        c.fail(
            path,
            format!(
                "listener and target groups are in different regions ({}); a service lives in one region",
                regions.into_iter().collect::<Vec<_>>().join(", ")
            ),
        );
    }
}

/// Two capacity entries on one ECS service or group would scale it twice (the second write
/// would find it changed): the second is refused, naming the first.
fn one_entry_per_scaler(
    c: &mut Checker,
    scaler_of: &mut HashMap<String, String>,
    path: &str,
    capacity: &[Capacity],
) {
    for cap in capacity {
        let at = format!("{path}.capacity.{}", cap.site);
        match scaler_of.get(&cap.scaler.id()) {
            Some(other) => c.fail(
                &at,
                format!(
                    "{} already carries {other}: one capacity entry per ECS service or Auto Scaling group",
                    cap.scaler.describe()
                ),
            ),
            None => {
                scaler_of.insert(cap.scaler.id(), at);
            }
        }
    }
}

/// Weights name exactly the service's sites, each in 0..=max, not all zero.
fn check_failover(
    c: &mut Checker,
    f: wire::Failover,
    sites: &[Site],
    services: &[Service],
) -> Failover {
    for (key, site) in [("from", &f.from), ("to", &f.to)] {
        let path = format!("failover.{key}");
        if !sites.iter().any(|s| &s.name == site) {
            c.fail(
                &path,
                format!("`{site}` is not a declared site (see sites)"),
            );
            continue;
        }
        for svc in services {
            if !svc.targets.iter().any(|t| &t.site == site) {
                c.fail(
                    &path,
                    format!(
                        "service `{}` has no target group for site `{site}`",
                        svc.name
                    ),
                );
            }
        }
    }
    if f.from == f.to {
        c.fail(
            "failover.to",
            "failover.from and failover.to must be different sites",
        );
    }
    if let Some(alarm) = &f.alarm
        && (alarm.is_empty() || alarm.chars().count() > values::MAX_ALARM_NAME)
    {
        c.fail("failover.alarm", "an alarm name is 1 to 255 characters");
    }
    let min_healthy_targets = c.count(
        "failover.min_healthy_targets",
        f.min_healthy_targets.as_ref(),
        1,
    );
    let max_cdc_latency = c.duration(
        "failover.max_cdc_latency",
        f.max_cdc_latency.as_deref(),
        "30s",
    );
    let mut failback_steps = Vec::new();
    for (i, step) in f.failback_steps.iter().flatten().enumerate() {
        let path = format!("failover.failback_steps[{i}]");
        let Some(step) = c.whole(&path, step, 1..=MAX_ALB_WEIGHT, "step") else {
            continue;
        };
        if failback_steps
            .last()
            .is_some_and(|&last| step as u32 <= last)
        {
            c.fail(&path, "failback steps must increase");
        } else {
            failback_steps.push(step as u32);
        }
    }
    Failover {
        from: f.from,
        to: f.to,
        alarm: f.alarm,
        min_healthy_targets,
        max_cdc_latency,
        failback_steps,
    }
}

fn check_coordination(c: &mut Checker, k: wire::Coordination) -> Coordination {
    if !is_table_name(&k.dynamodb_table) {
        c.fail(
            "coordination.dynamodb_table",
            format!(
                "`{}` is not a DynamoDB table name (3 to 255 letters, digits, `_`, `-`, `.`)",
                k.dynamodb_table
            ),
        );
    }
    if let Some(r) = &k.region
        && !arn::is_region(r)
    {
        c.fail(
            "coordination.region",
            format!("`{r}` is not an AWS region (like ap-northeast-2)"),
        );
    }
    let lease = c.duration("coordination.lease", k.lease.as_deref(), "2m");
    let (min, max) = (
        std::time::Duration::from_secs(5),
        std::time::Duration::from_secs(3600),
    );
    if !(min..=max).contains(&lease) {
        c.fail(
            "coordination.lease",
            "a lease lasts 5s to 1h: long enough to outlive a slow AWS call, short enough that \
             another host takes over soon after a holder dies",
        );
    }
    Coordination {
        dynamodb_table: k.dynamodb_table,
        region: k.region,
        lease,
    }
}

pub use super::values::is_env_name;

fn check_notify(c: &mut Checker, entries: Vec<wire::Notify>) -> Vec<NotifySink> {
    let mut sinks = Vec::new();
    for (i, n) in entries.into_iter().enumerate() {
        let at = |key: &str| format!("notify[{i}].{key}");
        let kind = match n.kind.as_str() {
            "slack" => Some(SinkKind::Slack),
            "webhook" => Some(SinkKind::Webhook),
            other => {
                c.fail(
                    at("kind"),
                    format!("unknown kind `{other}`: expected slack or webhook"),
                );
                None
            }
        };
        if !is_env_name(&n.url_env) {
            // Not repeated: it may be the URL itself, which carries the webhook's secret.
            c.fail(
                at("url_env"),
                "the value is not an environment variable name (letters, digits and _, not \
                 starting with a digit; it is not printed here in case it is the URL): name \
                 the variable that holds the webhook URL, not the URL",
            );
        }
        let min_severity = match n.min_severity.as_deref() {
            None => Some(Severity::Info),
            Some(s) => Severity::ALL
                .into_iter()
                .find(|v| v.as_str() == s)
                .or_else(|| {
                    c.fail(
                        at("min_severity"),
                        format!("unknown severity `{s}`: expected info, warning or critical"),
                    );
                    None
                }),
        };
        if let (Some(kind), Some(min_severity)) = (kind, min_severity) {
            sinks.push(NotifySink {
                kind,
                url_env: n.url_env,
                min_severity,
            });
        }
    }
    sinks
}

fn check_replication(c: &mut Checker, r: wire::Replication, file: &Path) -> Option<Replication> {
    let dms_task_arn = c.arn("replication.dms_task_arn", &r.dms_task_arn, Expect::DmsTask);
    let chosen: Vec<Source> = [
        r.source.rds_instance.clone().map(Source::RdsInstance),
        r.source.aurora_cluster.clone().map(Source::AuroraCluster),
        r.source.self_managed.as_ref().map(|_| Source::SelfManaged),
    ]
    .into_iter()
    .flatten()
    .collect();
    let self_managed = c.flag(
        "replication.source.self_managed",
        r.source.self_managed.as_ref(),
    );
    if self_managed == Some(false) {
        c.fail(
            "replication.source.self_managed",
            "self_managed: false says nothing: name rds_instance or aurora_cluster instead",
        );
    }
    let source = match chosen.as_slice() {
        [one] => one.clone(),
        _ => {
            c.fail(
                "replication.source",
                "name exactly one of rds_instance, aurora_cluster or self_managed: true",
            );
            Source::SelfManaged
        }
    };
    if let Source::RdsInstance(id) | Source::AuroraCluster(id) = &source
        && id.trim().is_empty()
    {
        c.fail("replication.source", "the identifier is empty");
    }
    let sql = r.sql.map(|s| check_sql(c, s, file));
    Some(Replication {
        dms_task_arn: dms_task_arn?,
        source,
        sql,
    })
}

fn check_sql(c: &mut Checker, s: wire::Sql, file: &Path) -> Sql {
    let port = s
        .port
        .as_ref()
        .and_then(|p| c.whole("replication.sql.port", p, 1..=65535, "port"))
        .map_or(3306, |p| p as u16);
    if !is_env_name(&s.password_env) {
        // The value is not repeated: it may be the password itself.
        c.fail(
            "replication.sql.password_env",
            "the value is not an environment variable name (letters, digits and _, not \
             starting with a digit; it is not printed here in case it is the password): \
             name the variable that holds the password, not the password",
        );
    }
    if s.host.trim().is_empty() {
        c.fail("replication.sql.host", "the host is empty");
    } else if s.host.contains('@') {
        // Not repeated: `user:password@host` carries the password.
        c.fail(
            "replication.sql.host",
            "the host carries credentials (user[:password]@host), which would be printed in \
             logs and errors: name the host alone, the user in replication.sql.user and the \
             variable holding the password in replication.sql.password_env (the value is not \
             printed here)",
        );
    }
    let tls = c
        .flag("replication.sql.tls", s.tls.as_ref())
        .unwrap_or(false);
    if s.tls_ca_file.is_some() && !tls {
        c.fail(
            "replication.sql.tls_ca_file",
            "a CA file is only used over TLS: set tls: true as well",
        );
    }
    Sql {
        host: s.host,
        port,
        user: s.user,
        password_env: s.password_env,
        tls,
        tls_ca_file: s.tls_ca_file.map(|f| relative_to(file, &f)),
    }
}

/// The DR runbook's record (`dr.dns`) moves between its stages; a dns service on the same
/// record set would plan against weights the DR runbook owns.
fn not_the_dr_record(c: &mut Checker, services: &[Service], dr: Option<&Dr>) {
    let Some(dr) = dr else { return };
    for svc in services {
        if let Some(d) = svc.dns()
            && d.zone_id == dr.dns.zone_id
            && d.record == dr.dns.record
            && d.record_type == dr.dns.record_type
        {
            c.fail(
                format!("services.{}.dns.record", svc.name),
                "this is the DR runbook's record (dr.dns): one owner per record name and type; give the service its own record",
            );
        }
    }
}

fn check_dr(c: &mut Checker, d: wire::Dr, file: &Path, coordination: Option<&Coordination>) -> Dr {
    if !arn::is_region(&d.region) {
        c.fail("dr.region", format!("`{}` is not an AWS region", d.region));
    }
    let dns = check_dns(c, d.dns);
    let stages = check_stages(c, &d.weights);
    let terraform = d.terraform.map(|t| check_terraform(c, t, file));
    let ready = d.ready.and_then(|r| check_ready(c, r, &d.region));
    let auto = d
        .auto
        .map(|a| probe::check_dr_auto(c, a, &stages, coordination, file));
    Dr {
        region: d.region,
        terraform,
        dns,
        stages,
        ready,
        auto,
    }
}

fn check_dns(c: &mut Checker, dns: wire::Dns) -> Dns {
    check_record(c, "dr.dns", &dns.zone_id, &dns.record, &dns.record_type)
}

/// The stages the DR runbook moves between: the three it needs must exist, and every stage
/// must name the same set identifiers.
fn check_stages(
    c: &mut Checker,
    weights: &IndexMap<String, IndexMap<String, Scalar>>,
) -> Vec<Stage> {
    for stage in DR_STAGES {
        if !weights.contains_key(stage) {
            c.fail(
                "dr.weights",
                format!("stage `{stage}` is missing: the DR runbook needs normal, building and recovered"),
            );
        }
    }
    let first_ids: Option<BTreeSet<&String>> = weights.values().next().map(|w| w.keys().collect());
    let mut stages = Vec::new();
    for (name, weights) in weights {
        let path = format!("dr.weights.{name}");
        c.name(&path, "stage", name);
        if weights.is_empty() {
            c.fail(&path, "the stage names no set identifier");
        }
        let ids: BTreeSet<&String> = weights.keys().collect();
        if let Some(first) = &first_ids
            && &ids != first
        {
            let want: Vec<&str> = first.iter().map(|s| s.as_str()).collect();
            c.fail(
                &path,
                format!(
                    "every stage must name the same set identifiers ({})",
                    want.join(", ")
                ),
            );
        }
        stages.push(Stage {
            name: name.clone(),
            weights: check_r53_weights(c, &path, weights),
        });
    }
    stages
}

/// A stage's weights that fit Route 53's range; the others are reported.
fn check_r53_weights(
    c: &mut Checker,
    path: &str,
    weights: &IndexMap<String, Scalar>,
) -> Vec<(String, u8)> {
    let mut out = Vec::new();
    for (id, w) in weights {
        let wpath = format!("{path}.{id}");
        if let Some(w) = c.whole(&wpath, w, 0..=MAX_R53_WEIGHT, "Route 53 weight") {
            out.push((id.clone(), w as u8));
        }
    }
    out
}

fn check_terraform(c: &mut Checker, t: wire::Terraform, file: &Path) -> Terraform {
    if t.dir.trim().is_empty() {
        c.fail("dr.terraform.dir", "the Terraform directory is empty");
    }
    Terraform {
        dir: relative_to(file, &t.dir),
        binary: t.binary.unwrap_or_else(|| "terraform".into()),
        vars: t.vars.into_iter().collect(),
    }
}

fn check_ready(c: &mut Checker, r: wire::Ready, region: &str) -> Option<Ready> {
    let arn = c.arn(
        "dr.ready.target_group_arn",
        &r.target_group_arn,
        Expect::TargetGroup,
    )?;
    if arn.region != region {
        c.fail(
            "dr.ready.target_group_arn",
            format!(
                "the target group is in {}, not in dr.region {}",
                arn.region, region
            ),
        );
    }
    Some(Ready {
        target_group_arn: arn,
        min_healthy_targets: c.count(
            "dr.ready.min_healthy_targets",
            r.min_healthy_targets.as_ref(),
            1,
        ),
        timeout: c.duration("dr.ready.timeout", r.timeout.as_deref(), "30m"),
    })
}

/// The shortest lease a watcher works with: the standby takes over once the active watcher's
/// lease has expired plus the skew margin, and polls once an interval; the active watcher renews
/// every poll with a lease shortened by the margin and two polls (see commands::watch::role),
/// which must still outlast one poll.
pub fn min_watch_lease(interval: std::time::Duration) -> std::time::Duration {
    SKEW_MARGIN + 3 * interval
}

fn check_watch(
    c: &mut Checker,
    w: wire::Watch,
    has_failover: bool,
    coordination: Option<&Coordination>,
) -> Watch {
    use std::time::Duration;
    if !has_failover {
        c.fail(
            "watch",
            "`watch` needs a `failover` section: it fails over from failover.from to failover.to",
        );
    }
    let interval = c.duration("watch.interval", w.interval.as_deref(), "10s");
    if !(Duration::from_secs(1)..=Duration::from_secs(3600)).contains(&interval) {
        c.fail(
            "watch.interval",
            "a poll interval is 1s to 1h (each poll reads target health, the rules and the alarm)",
        );
    }
    let positive = |c: &mut Checker, key: &str, v: Option<&Scalar>, default: u32| {
        let path = format!("watch.{key}");
        v.and_then(|v| c.whole(&path, v, 1..=1000, ""))
            .map_or(default, |v| v as u32)
    };
    let fail_after = positive(c, "fail_after", w.fail_after.as_ref(), 3);
    let unknown_after = positive(c, "unknown_after", w.unknown_after.as_ref(), 4);
    let max_auto_failovers = positive(c, "max_auto_failovers", w.max_auto_failovers.as_ref(), 1);
    let hold = c.duration("watch.hold", w.hold.as_deref(), "30m");
    let ok_for = c.duration("watch.ok_for", w.ok_for.as_deref(), "15m");
    let window = c.duration("watch.window", w.window.as_deref(), "6h");
    let week = Duration::from_secs(7 * 24 * 3600);
    for (key, d) in [("hold", hold), ("ok_for", ok_for)] {
        if d > week {
            c.fail(format!("watch.{key}"), "at most 7 days (168h)");
        }
    }
    if !(Duration::from_secs(60)..=4 * week).contains(&window) {
        c.fail("watch.window", "a window is 1m to 28 days (672h)");
    }
    let auto_failback = c
        .flag("watch.auto_failback", w.auto_failback.as_ref())
        .unwrap_or(false);
    if let Some(k) = coordination
        && k.lease < min_watch_lease(interval)
    {
        c.fail(
            "coordination.lease",
            format!(
                "with `watch`, the lease must be at least {}s (the {}s clock-skew margin plus three \
                 polls of watch.interval), so that a standby takes over within one lease",
                min_watch_lease(interval).as_secs_f64().ceil(),
                SKEW_MARGIN.as_secs()
            ),
        );
    }
    let (listen, listen_allow_remote) = check_listen(c, &w);
    Watch {
        interval,
        fail_after,
        unknown_after,
        hold,
        ok_for,
        auto_failback,
        max_auto_failovers,
        window,
        listen,
        listen_allow_remote,
    }
}

/// `watch.listen` and `watch.listen_allow_remote`: a non-loopback address only when allowed.
fn check_listen(c: &mut Checker, w: &wire::Watch) -> (Option<std::net::SocketAddr>, bool) {
    let allow = c
        .flag("watch.listen_allow_remote", w.listen_allow_remote.as_ref())
        .unwrap_or(false);
    let listen = w
        .listen
        .as_deref()
        .and_then(|text| match super::values::listen_address(text) {
            Ok(a) => Some(a),
            Err(m) => {
                c.fail("watch.listen", m);
                None
            }
        });
    if let Some(a) = listen
        && !allow
        && !a.ip().is_loopback()
    {
        c.fail("watch.listen", remote_refused(&a.to_string()));
    }
    (listen, allow)
}

/// Why a non-loopback metrics address is refused (the file's key and `watch --listen`).
pub fn remote_refused(addr: &str) -> String {
    format!(
        "{addr} is not a loopback address: the endpoint has no authentication and names every service and site; set watch.listen_allow_remote: true to serve it beyond this host"
    )
}
