//! `hybridctl init`: a draft topology from a listener ARN. Read-only AWS calls; the draft is
//! validated before it is written, and an existing file is never replaced without --force.

use std::path::{Path, PathBuf};

use tokio::runtime::Runtime;

use crate::aws::{self, AwsContext, elbv2, route53};
use crate::cli::InitArgs;
use crate::error::{Error, ExitStatus, Result};
use crate::plan::init::dns::RecordFacts;
use crate::plan::init::{
    self, Cidr, Classified, DraftInput, ForwardFacts, GroupFacts, INIT_SCHEMA, InitReport,
    TargetFacts,
};
use crate::render::Output;
use crate::settings::Env;
use crate::topology::arn::{self, Arn, Expect};
use crate::topology::draft::DraftDns;

/// What the command line asks for, checked before any AWS call.
struct Request {
    listener: Arn,
    rules: Vec<String>,
    cidrs: Vec<Cidr>,
}

/// What AWS says about the listener.
struct Facts {
    vpc_id: Option<String>,
    rule_count: usize,
    forwards: Vec<ForwardFacts>,
    groups: Vec<GroupFacts>,
}

pub fn run(
    args: &InitArgs,
    flags: &aws::Flags,
    env: &Env,
    out: &Output,
    rt: &Runtime,
) -> Result<ExitStatus> {
    if args.zone_id.is_some() {
        return run_dns(args, flags, env, out, rt);
    }
    let req = request(args)?;
    refuse_existing(args)?;
    crate::settings::check_endpoint_flag(flags)?;
    let mut resolved = aws::resolve(flags, env.get("AWS_DEFAULT_REGION"), &Default::default());
    // The listener's ARN says where it is.
    resolved.region = Some(req.listener.region.clone());
    let (facts, cidrs) = rt.block_on(async {
        let ctx = AwsContext::load(&resolved).await?;
        let facts = gather(&ctx, &req.listener.to_string()).await?;
        let cidrs = vpc_cidrs(&ctx, &req, facts.vpc_id.as_deref(), out).await;
        Ok::<_, Error>((facts, cidrs))
    })?;
    let forwards = select(&req, facts.forwards, facts.rule_count)?;
    refuse_all_zero(&forwards)?;
    let mut classes: Vec<(String, Classified)> = facts
        .groups
        .iter()
        .map(|g| (g.arn.clone(), init::classify(g, &cidrs)))
        .collect();
    init::pair_with_onprem(&forwards, &mut classes);
    let draft = init::draft(&DraftInput {
        region: &req.listener.region,
        endpoint_url: resolved.endpoint_url.as_deref(),
        forwards: &forwards,
        classes: &classes,
    });
    let source = format!("listener {}", req.listener);
    let text = draft.to_yaml(&source);
    let hint = "check the listener's rules and target groups in AWS; pick the rules to draft with --rule-arn";
    write_draft(args, &text, |e| draft_invalid(&source, Some(hint), e))?;
    let report = InitReport {
        listener_arn: Some(req.listener.to_string()),
        vpc_id: facts.vpc_id,
        vpc_cidrs: cidrs.iter().map(ToString::to_string).collect(),
        ..report(args, &draft, &classes, text)
    };
    crate::render::init::print(out, &report)?;
    Ok(ExitStatus::Success)
}

/// The report of a valid draft: where it went and every guess; the caller fills in what it
/// was read from.
fn report(
    args: &InitArgs,
    draft: &crate::topology::draft::Draft,
    classes: &[(String, Classified)],
    text: String,
) -> InitReport {
    InitReport {
        schema: INIT_SCHEMA,
        listener_arn: None,
        zone_id: None,
        record: None,
        vpc_id: None,
        vpc_cidrs: Vec::new(),
        file: args.out.as_ref().map(|p| p.display().to_string()),
        valid: true,
        services: init::guesses(draft, classes),
        topology: args.out.is_none().then_some(text),
    }
}

/// The VPC's CIDR blocks that tell on-prem IP targets from AWS ones: --vpc-cidr when given,
/// else read from the load balancer's VPC (one DescribeVpcs). A read that fails is said and
/// leaves the classification to the targets' Availability Zones, as without a VPC.
async fn vpc_cidrs(
    ctx: &AwsContext,
    req: &Request,
    vpc_id: Option<&str>,
    out: &Output,
) -> Vec<Cidr> {
    let Some(vpc) = vpc_id.filter(|_| req.cidrs.is_empty()) else {
        return req.cidrs.clone();
    };
    match crate::aws::ec2::vpc_cidrs(&ctx.ec2(), vpc).await {
        Ok(blocks) => blocks
            .iter()
            .filter_map(|b| b.parse::<Cidr>().ok())
            .collect(),
        Err(e) => {
            out.note(&format!(
                "warning: the CIDR blocks of {vpc} could not be read ({e}); targets are told apart by their Availability Zone only: pass --vpc-cidr to classify by address"
            ));
            Vec::new()
        }
    }
}

/// Without --force, an existing --out is refused before any AWS call.
fn refuse_existing(args: &InitArgs) -> Result<()> {
    match &args.out {
        Some(path) if !args.force && path.exists() => Err(exists(path)),
        _ => Ok(()),
    }
}

/// Checks the draft as `validate` would, then writes it to --out (atomically; --force replaces
/// a regular file only) and loads it back. Without --out, nothing is written.
fn write_draft(
    args: &InitArgs,
    text: &str,
    invalid: impl Fn(&crate::error::ConfigError) -> Error,
) -> Result<()> {
    let name = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("<stdout>"));
    // The same checks as `validate`, before anything is written. A problem here is in what
    // AWS holds (or in init), never in a file the user has: no FILE:LINE:COL.
    crate::topology::parse(&name, text).map_err(|e| invalid(&e))?;
    let Some(path) = &args.out else {
        return Ok(());
    };
    // --force replaces a file, never a directory, a device, a fifo or a link.
    if let Ok(m) = std::fs::symlink_metadata(path)
        && !m.file_type().is_file()
    {
        return Err(Error::usage(format!(
            "--out {}: it exists and is not a regular file; nothing was written",
            path.display()
        )));
    }
    match crate::statefile::create_text(path, text, args.force) {
        Ok(true) => {}
        Ok(false) => return Err(exists(path)),
        Err(e) => return Err(Error::Operational(anyhow::anyhow!(e))),
    }
    // `validate` on the file as written.
    crate::topology::load(path)?;
    Ok(())
}

/// `init --zone-id Z --record NAME [--type T]`: a dns service from the name's weighted records.
fn run_dns(
    args: &InitArgs,
    flags: &aws::Flags,
    env: &Env,
    out: &Output,
    rt: &Runtime,
) -> Result<ExitStatus> {
    let zone = args.zone_id.clone().unwrap_or_default();
    let zone = zone.trim_start_matches("/hostedzone/").to_string();
    if zone.trim().is_empty() {
        return Err(Error::usage("--zone-id is empty"));
    }
    let mut record = args.record.clone().unwrap_or_default();
    if record.trim_end_matches('.').trim().is_empty() {
        return Err(Error::usage("--record is empty"));
    }
    if !record.ends_with('.') {
        record.push('.');
    }
    let dns = DraftDns {
        zone_id: zone,
        record,
        record_type: args.record_type.clone(),
    };
    refuse_existing(args)?;
    crate::settings::check_endpoint_flag(flags)?;
    let resolved = aws::resolve(flags, env.get("AWS_DEFAULT_REGION"), &Default::default());
    let records = rt.block_on(async {
        let ctx = AwsContext::load(&resolved).await?;
        let all =
            route53::weighted_records(&ctx.route53(), &dns.zone_id, &dns.record, &dns.record_type)
                .await?;
        Ok::<_, Error>(all)
    })?;
    let facts: Vec<RecordFacts> = records.iter().filter_map(record_facts).collect();
    let region = resolved
        .region
        .clone()
        .unwrap_or_else(|| "us-east-1".into());
    let (draft, classes) = init::dns::draft(
        &region,
        resolved.endpoint_url.as_deref(),
        &dns,
        &facts,
    )
    .map_err(|m| Error::Usage {
        message: format!("{m}; nothing was written"),
        hint: Some(
            "hybridctl moves the weights of a name's weighted records (one SetIdentifier per site): check --zone-id, --record and --type"
                .into(),
        ),
    })?;
    let source = format!(
        "the weighted records {} {} in hosted zone {}",
        dns.record, dns.record_type, dns.zone_id
    );
    let text = draft.to_yaml(&source);
    write_draft(args, &text, |e| draft_invalid(&source, None, e))?;
    let report = InitReport {
        zone_id: Some(dns.zone_id.clone()),
        record: Some(format!("{} {}", dns.record, dns.record_type)),
        ..report(args, &draft, &classes, text)
    };
    crate::render::init::print(out, &report)?;
    Ok(ExitStatus::Success)
}

/// A weighted record's SetIdentifier, weight and where it points (None: not weighted).
fn record_facts(r: &route53::WeightedRecord) -> Option<RecordFacts> {
    let (target, alias) = match r.raw.alias_target() {
        Some(a) => (a.dns_name().to_string(), true),
        None => (
            r.raw
                .resource_records()
                .first()
                .map(|v| v.value().to_string())
                .unwrap_or_default(),
            false,
        ),
    };
    Some(RecordFacts {
        set_id: r.set_identifier.clone()?,
        weight: r.weight?,
        target,
        alias,
    })
}

fn exists(path: &Path) -> Error {
    Error::Usage {
        message: format!("{} exists; nothing was written", path.display()),
        hint: Some("pass --force to replace it, or choose another --out".into()),
    }
}

fn request(args: &InitArgs) -> Result<Request> {
    let listener = arn::parse_expecting(
        args.listener_arn.as_deref().unwrap_or_default(),
        Expect::Listener,
    )
    .map_err(|e| Error::usage(format!("--listener-arn: {e}")))?;
    let mut rules = Vec::new();
    for r in &args.rule_arn {
        let rule = arn::parse_expecting(r, Expect::ListenerRule)
            .map_err(|e| Error::usage(format!("--rule-arn: {e}")))?;
        if !arn::rule_belongs_to(&rule, &listener) {
            return Err(Error::usage(format!(
                "--rule-arn: rule {r} is not a rule of listener {listener}"
            )));
        }
        // The same rule twice is one service.
        if !rules.contains(r) {
            rules.push(r.clone());
        }
    }
    let cidrs = args
        .vpc_cidr
        .iter()
        .map(|c| {
            c.parse::<Cidr>()
                .map_err(|e| Error::usage(format!("--vpc-cidr: {e}")))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Request {
        listener,
        rules,
        cidrs,
    })
}

/// The weighted forwards asked for: every one on the listener, or those of --rule-arn (each
/// of which must exist and be weighted). None at all is an error naming the listener.
fn select(req: &Request, all: Vec<ForwardFacts>, rule_count: usize) -> Result<Vec<ForwardFacts>> {
    if !req.rules.is_empty() {
        let mut picked = Vec::new();
        for r in &req.rules {
            let f = all
                .iter()
                .find(|f| f.rule_arn.as_deref() == Some(r.as_str()))
                .ok_or_else(|| {
                    Error::usage(format!("rule {r} is not on listener {}", req.listener))
                })?;
            if !f.is_weighted() {
                return Err(no_weighted(&format!("rule {r}"), 0));
            }
            picked.push(f.clone());
        }
        return Ok(picked);
    }
    let weighted: Vec<ForwardFacts> = all.into_iter().filter(ForwardFacts::is_weighted).collect();
    if weighted.is_empty() {
        return Err(no_weighted(
            &format!("listener {}", req.listener),
            rule_count,
        ));
    }
    Ok(weighted)
}

fn no_weighted(what: &str, rules: usize) -> Error {
    let detail = if what.starts_with("listener") {
        format!(
            ": neither its default action nor any of its {rules} rule(s) forwards to two or more target groups"
        )
    } else {
        ": it does not forward to two or more target groups".into()
    };
    Error::Usage {
        message: format!("{what} has no weighted forward{detail}; nothing was written"),
        hint: Some(
            "hybridctl shifts weights between the target groups of one forward action: add the other \
             site's target group to the forward (weight 0 keeps traffic as it is), then run init again"
                .into(),
        ),
    }
}

/// A weighted forward whose weights are all 0 cannot be drafted: said of the listener or
/// rule (where the user can fix it), every one at once.
fn refuse_all_zero(forwards: &[ForwardFacts]) -> Result<()> {
    let zero: Vec<String> = forwards
        .iter()
        .filter(|f| f.all_weights_zero())
        .map(|f| {
            format!(
                "{} forwards to {} target groups, every one with weight 0",
                f.place(),
                f.groups.len()
            )
        })
        .collect();
    if zero.is_empty() {
        return Ok(());
    }
    Err(Error::Usage {
        message: format!(
            "{}: an ALB has no defined behaviour for that and hybridctl would have no split to keep; nothing was written",
            zero.join("; ")
        ),
        hint: Some(
            "give the target group that serves now a weight above 0 in that forward \
             (aws elbv2 modify-rule or modify-listener), or pick other rules with --rule-arn, then run init again"
                .into(),
        ),
    })
}

/// The draft failed the checks of `validate`: what AWS holds is something init does not
/// model. Said with the key path in the draft, never a LINE:COL of a file that was not written.
/// `source`: what the draft was built from (`listener ARN`, `the weighted records ...`).
fn draft_invalid(source: &str, hint: Option<&str>, e: &crate::error::ConfigError) -> Error {
    let problems: Vec<String> = e
        .problems
        .iter()
        .map(|p| match p.path.as_str() {
            "" => p.message.clone(),
            path => format!("{path}: {}", p.message),
        })
        .collect();
    Error::Usage {
        message: format!(
            "the draft built from {source} would not pass validate ({}); nothing was written",
            problems.join("; ")
        ),
        hint: hint.map(str::to_string),
    }
}

async fn gather(ctx: &AwsContext, listener_arn: &str) -> Result<Facts> {
    let elb = ctx.elbv2();
    let (listener, rules) = tokio::try_join!(
        elbv2::listener(&elb, listener_arn),
        elbv2::listener_rules(&elb, listener_arn)
    )?;
    let vpc_id = match &listener.load_balancer_arn {
        Some(lb) => elbv2::load_balancer_vpc(&elb, lb).await?,
        None => None,
    };
    let mut forwards = Vec::new();
    let to_facts = |rule_arn: Option<String>, r: Option<&elbv2::Rule>, a: &elbv2::Actions| {
        a.forward().map(|f| ForwardFacts {
            listener_arn: listener_arn.to_string(),
            rule_arn,
            priority: r.and_then(|r| r.priority.clone()),
            hosts: r.map(|r| r.hosts.clone()).unwrap_or_default(),
            paths: r.map(|r| r.paths.clone()).unwrap_or_default(),
            groups: f
                .target_groups
                .into_iter()
                .map(|g| (g.arn, g.weight))
                .collect(),
        })
    };
    let non_default: Vec<&elbv2::Rule> = rules.iter().filter(|r| !r.is_default).collect();
    forwards.extend(
        non_default
            .iter()
            .filter_map(|r| to_facts(Some(r.actions.arn.clone()), Some(*r), &r.actions)),
    );
    forwards.extend(to_facts(None, None, &listener.default_actions));
    let mut arns: Vec<String> = forwards
        .iter()
        .filter(|f| f.is_weighted())
        .flat_map(|f| f.groups.iter().map(|(a, _)| a.clone()))
        .collect();
    arns.sort();
    arns.dedup();
    let groups = describe_groups(&elb, &arns).await?;
    Ok(Facts {
        vpc_id,
        rule_count: non_default.len(),
        forwards,
        groups,
    })
}

async fn describe_groups(
    elb: &aws_sdk_elasticloadbalancingv2::Client,
    arns: &[String],
) -> Result<Vec<GroupFacts>> {
    if arns.is_empty() {
        return Ok(Vec::new());
    }
    let described = elbv2::target_groups(elb, arns).await?;
    let targets = futures::future::try_join_all(
        described
            .iter()
            .map(|g| elbv2::registered_targets(elb, &g.arn)),
    )
    .await?;
    Ok(described
        .into_iter()
        .zip(targets)
        .map(|(g, t)| GroupFacts {
            arn: g.arn,
            target_type: g.target_type.unwrap_or_default(),
            targets: t
                .into_iter()
                .map(|r| TargetFacts {
                    id: r.id,
                    availability_zone: r.availability_zone,
                })
                .collect(),
        })
        .collect())
}
