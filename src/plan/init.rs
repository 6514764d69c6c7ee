//! `hybridctl init`, pure: which forwards are weighted, which target group is on-prem and
//! which is AWS, and the draft topology built from them (with a reason for every guess).

pub mod cidr;
pub mod dns;

use std::collections::BTreeSet;
use std::net::IpAddr;

pub use cidr::Cidr;

use crate::topology::SiteKind;
use crate::topology::draft::{Draft, DraftFailover, DraftGroup, DraftService, DraftSite};

/// What DescribeTargetGroups and DescribeTargetHealth say about one target group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupFacts {
    pub arn: String,
    /// `ip`, `instance`, `lambda`, `alb` (as AWS spells it).
    pub target_type: String,
    pub targets: Vec<TargetFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetFacts {
    pub id: String,
    /// `all` or an Availability Zone; AWS requires it for an IP outside the VPC.
    pub availability_zone: Option<String>,
}

/// Where a target group's targets run, as far as the facts tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    Onprem,
    Aws,
    /// The facts do not tell: the draft says so and asks for an edit.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Classified {
    pub class: Class,
    /// Why, for the `# guessed:` comment.
    pub why: String,
}

fn classified(class: Class, why: String) -> Classified {
    Classified { class, why }
}

/// On-prem: IP targets registered with Availability Zone `all`, or with an IP outside every
/// VPC CIDR. AWS: instance, Lambda or ALB targets, or IP targets all inside the VPC. Anything
/// else is unknown.
pub fn classify(g: &GroupFacts, vpc_cidrs: &[Cidr]) -> Classified {
    match g.target_type.as_str() {
        "ip" => {}
        "instance" | "lambda" | "alb" => {
            return classified(
                Class::Aws,
                format!("target type `{}` runs in AWS", g.target_type),
            );
        }
        other => {
            return classified(
                Class::Unknown,
                format!("target type `{other}` is not known"),
            );
        }
    }
    if let Some(t) = g
        .targets
        .iter()
        .find(|t| t.availability_zone.as_deref() == Some("all"))
    {
        return classified(
            Class::Onprem,
            format!(
                "IP target {} is registered with Availability Zone `all` (AWS asks that for IPs outside the VPC)",
                t.id
            ),
        );
    }
    if g.targets.is_empty() {
        return classified(
            Class::Unknown,
            "no registered targets to look at".to_string(),
        );
    }
    if vpc_cidrs.is_empty() {
        return classified(
            Class::Unknown,
            "IP targets, no VPC CIDR known (pass --vpc-cidr) and no target in Availability Zone `all`".into(),
        );
    }
    let blocks = || {
        vpc_cidrs
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    for t in &g.targets {
        match t.id.parse::<IpAddr>() {
            Ok(ip) if !vpc_cidrs.iter().any(|c| c.contains(ip)) => {
                return classified(
                    Class::Onprem,
                    format!("IP target {ip} is outside the VPC ({})", blocks()),
                );
            }
            Ok(_) => {}
            Err(_) => {
                return classified(
                    Class::Unknown,
                    format!(
                        "target `{}` of an ip target group is not an IP address",
                        t.id
                    ),
                );
            }
        }
    }
    classified(
        Class::Aws,
        format!(
            "all {} IP target(s) are inside the VPC ({})",
            g.targets.len(),
            blocks()
        ),
    )
}

/// The AWS site told by elimination: in a forward of exactly two target groups where one is
/// on-prem by its own facts and the other could not be told, the other is taken as AWS (a
/// hybrid forward splits between the two sites), and its reason says so. Only a group the facts
/// left unknown changes; an on-prem class is never inferred, so one pass is enough.
pub fn pair_with_onprem(forwards: &[ForwardFacts], classes: &mut [(String, Classified)]) {
    let class = |classes: &[(String, Classified)], arn: &str| class_of(classes, arn).class;
    for f in forwards.iter().filter(|f| f.groups.len() == 2) {
        let (a, b) = (&f.groups[0].0, &f.groups[1].0);
        let (unknown, onprem) = match (class(classes, a), class(classes, b)) {
            (Class::Unknown, Class::Onprem) => (a, b),
            (Class::Onprem, Class::Unknown) => (b, a),
            _ => continue,
        };
        let name = onprem.split('/').nth(1).unwrap_or(onprem);
        let why = format!(
            "the other target group of its forward, {name}, is on-prem, so of the two this is the AWS one (pass --vpc-cidr to check)"
        );
        if let Some((_, c)) = classes.iter_mut().find(|(arn, _)| arn == unknown) {
            *c = classified(Class::Aws, why);
        }
    }
}

/// One weighted forward found on the listener: a rule's, or the listener's default action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardFacts {
    pub listener_arn: String,
    /// None: the listener's default action.
    pub rule_arn: Option<String>,
    pub priority: Option<String>,
    /// The rule's host-header and path-pattern values, for a name.
    pub hosts: Vec<String>,
    pub paths: Vec<String>,
    /// (target group ARN, weight) in AWS's order.
    pub groups: Vec<(String, i32)>,
}

impl ForwardFacts {
    /// Weighted: a forward to two or more target groups (what hybridctl shifts between).
    pub fn is_weighted(&self) -> bool {
        self.groups.len() >= 2
    }

    /// Every weight 0: the file cannot hold it (an ALB has no defined behaviour for it), so
    /// `init` refuses such a forward before drafting.
    pub fn all_weights_zero(&self) -> bool {
        self.groups.iter().all(|(_, w)| *w == 0)
    }

    /// Where the forward is, for a message: `rule ARN`, or the listener's default action.
    pub fn place(&self) -> String {
        match &self.rule_arn {
            Some(rule) => format!("the forward of rule {rule}"),
            None => format!("the default action of listener {}", self.listener_arn),
        }
    }
}

/// Where the draft's AWS calls go and what it knows about the VPC.
#[derive(Debug, Clone)]
pub struct DraftInput<'a> {
    pub region: &'a str,
    pub endpoint_url: Option<&'a str>,
    pub forwards: &'a [ForwardFacts],
    /// The classification of every target group the forwards name.
    pub classes: &'a [(String, Classified)],
}

/// The draft topology: one service per weighted forward, one site per class (a second group
/// of the same class in one forward gets `-2`, ...), failover from the on-prem site to the
/// AWS site when there is exactly one of each.
pub fn draft(input: &DraftInput<'_>) -> Draft {
    let mut services: Vec<DraftService> = Vec::new();
    let mut sites: Vec<DraftSite> = Vec::new();
    let mut used_names = BTreeSet::new();
    let mut site_of: Vec<(String, String)> = Vec::new();
    for f in input.forwards.iter().filter(|f| f.is_weighted()) {
        let (name, name_guess) = service_name(f, &mut used_names);
        let mut groups: Vec<DraftGroup> = Vec::new();
        for (arn, weight) in &f.groups {
            let c = class_of(input.classes, arn);
            // A target group keeps its site across services (the file allows no other).
            let site = match site_of.iter().find(|(a, _)| a == arn) {
                Some((_, site)) => site.clone(),
                None => {
                    let site = (1..)
                        .map(|n| match n {
                            1 => base_site(c.class).to_string(),
                            n => format!("{}-{n}", base_site(c.class)),
                        })
                        .find(|name| groups.iter().all(|g| &g.site != name))
                        .expect("an unbounded range yields a free name");
                    site_of.push((arn.clone(), site.clone()));
                    site
                }
            };
            if !sites.iter().any(|s| s.name == site) {
                sites.push(site_for(&site, &c));
            }
            groups.push(DraftGroup {
                site,
                arn: arn.clone(),
                weight: (*weight).clamp(0, crate::topology::MAX_ALB_WEIGHT as i32) as u32,
                guess: c.why.clone(),
            });
        }
        services.push(DraftService {
            name,
            name_guess,
            listener_arn: f.listener_arn.clone(),
            rule_arn: f.rule_arn.clone(),
            groups,
            dns: None,
        });
    }
    let failover = failover(&sites);
    Draft {
        region: input.region.to_string(),
        endpoint_url: input.endpoint_url.map(str::to_string),
        sites,
        services,
        failover,
    }
}

fn class_of(classes: &[(String, Classified)], arn: &str) -> Classified {
    classes
        .iter()
        .find(|(a, _)| a == arn)
        .map(|(_, c)| c.clone())
        .unwrap_or_else(|| classified(Class::Unknown, "not described by AWS".into()))
}

fn base_site(c: Class) -> &'static str {
    match c {
        Class::Onprem => "onprem",
        Class::Aws => "aws",
        Class::Unknown => "unknown",
    }
}

fn site_for(name: &str, c: &Classified) -> DraftSite {
    let (kind, guess) = match c.class {
        Class::Onprem => (SiteKind::Onprem, format!("on-prem: {}", c.why)),
        Class::Aws => (SiteKind::Aws, format!("AWS: {}", c.why)),
        // kind must be onprem or aws for the file to load; aws is only a placeholder.
        Class::Unknown => (
            SiteKind::Aws,
            format!("could not tell ({}): edit me, onprem or aws", c.why),
        ),
    };
    DraftSite {
        name: name.to_string(),
        kind,
        guess,
    }
}

fn failover(sites: &[DraftSite]) -> Option<DraftFailover> {
    let onprem: Vec<&DraftSite> = sites.iter().filter(|s| s.name == "onprem").collect();
    let aws: Vec<&DraftSite> = sites.iter().filter(|s| s.name == "aws").collect();
    (sites.len() == 2 && onprem.len() == 1 && aws.len() == 1).then(|| DraftFailover {
        from: "onprem".into(),
        to: "aws".into(),
    })
}

/// A service name from the rule: the first host's first label (`web.example.com` -> `web`),
/// else the first path segment, else `rule-PRIORITY`; `default` for the listener's default
/// action. Made unique with `-2`, `-3`, ...
fn service_name(f: &ForwardFacts, used: &mut BTreeSet<String>) -> (String, String) {
    let (base, why) = if f.rule_arn.is_none() {
        (
            "default".to_string(),
            "the listener's default action".to_string(),
        )
    } else if let Some(n) = f.hosts.first().and_then(|h| clean(h.split('.').next()?)) {
        (n, format!("from the rule's host header `{}`", f.hosts[0]))
    } else if let Some(n) = f
        .paths
        .first()
        .and_then(|p| clean(p.trim_start_matches('/').split('/').next()?))
    {
        (n, format!("from the rule's path pattern `{}`", f.paths[0]))
    } else {
        let p = f.priority.as_deref().and_then(clean).unwrap_or_default();
        (
            format!("rule-{p}").trim_end_matches('-').to_string(),
            "from the rule's priority".to_string(),
        )
    };
    let mut name = base.clone();
    let mut n = 2;
    while !used.insert(name.clone()) {
        name = format!("{base}-{n}");
        n += 1;
    }
    (name, why)
}

/// Letters, digits, `-` and `_` only, starting with a letter or digit; None when nothing is left.
fn clean(s: &str) -> Option<String> {
    let s: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let s = s.trim_start_matches(['-', '_']).to_ascii_lowercase();
    (!s.is_empty()).then_some(s)
}

/// What `init` found and wrote (`hybridctl.init/v1`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct InitReport {
    pub schema: &'static str,
    /// The listener read (an ALB draft).
    pub listener_arn: Option<String>,
    /// The hosted zone and `NAME TYPE` read (a dns draft); left out for an ALB draft.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    pub vpc_id: Option<String>,
    pub vpc_cidrs: Vec<String>,
    /// Where the draft was written; None: it is in `topology`.
    pub file: Option<String>,
    /// The draft passed `validate`.
    pub valid: bool,
    pub services: Vec<ServiceGuess>,
    /// The draft's text when it was not written to a file.
    pub topology: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ServiceGuess {
    pub name: String,
    pub rule_arn: Option<String>,
    pub target_groups: Vec<GroupGuess>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct GroupGuess {
    pub arn: String,
    pub site: String,
    pub weight: u32,
    pub class: Class,
    pub why: String,
}

pub const INIT_SCHEMA: &str = "hybridctl.init/v1";

/// The services of a draft with each group's class, for the report.
pub fn guesses(d: &Draft, classes: &[(String, Classified)]) -> Vec<ServiceGuess> {
    d.services
        .iter()
        .map(|s| ServiceGuess {
            name: s.name.clone(),
            rule_arn: s.rule_arn.clone(),
            target_groups: s
                .groups
                .iter()
                .map(|g| {
                    let c = class_of(classes, &g.arn);
                    GroupGuess {
                        arn: g.arn.clone(),
                        site: g.site.clone(),
                        weight: g.weight,
                        class: c.class,
                        why: c.why,
                    }
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests;
