//! A draft topology file (`hybridctl init`) as YAML text, with a `# guessed:` comment on
//! every value that was inferred rather than read.

use std::fmt::Write;

use super::SiteKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub region: String,
    pub endpoint_url: Option<String>,
    pub sites: Vec<DraftSite>,
    pub services: Vec<DraftService>,
    pub failover: Option<DraftFailover>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftSite {
    pub name: String,
    pub kind: SiteKind,
    /// Why this kind.
    pub guess: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftService {
    pub name: String,
    /// Where the name came from.
    pub name_guess: String,
    pub listener_arn: String,
    pub rule_arn: Option<String>,
    /// `arn` of each group: a target group's ARN, or (dns services) a SetIdentifier.
    pub groups: Vec<DraftGroup>,
    /// The weighted records of a dns service (then listener_arn and rule_arn are unused).
    pub dns: Option<DraftDns>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftDns {
    pub zone_id: String,
    pub record: String,
    pub record_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftGroup {
    pub site: String,
    pub arn: String,
    pub weight: u32,
    /// Why this group belongs to its site.
    pub guess: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftFailover {
    pub from: String,
    pub to: String,
}

/// One line of comment text: no line breaks, no control characters.
fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

impl Draft {
    /// The file's text. `source` names where it came from, for the header.
    pub fn to_yaml(&self, source: &str) -> String {
        let mut y = String::new();
        let w = &mut y;
        let _ = writeln!(
            w,
            "# Draft written by `hybridctl init` from {}.",
            comment(source)
        );
        let _ = writeln!(
            w,
            "# Check every guess (the `guessed:` comments), then: hybridctl -c THIS_FILE validate && hybridctl -c THIS_FILE status"
        );
        let _ = writeln!(w, "version: 1\naws:\n  region: {}", self.region);
        if let Some(u) = &self.endpoint_url {
            let _ = writeln!(
                w,
                "  endpoint_url: {u}  # from --endpoint-url / AWS_ENDPOINT_URL"
            );
        }
        let _ = writeln!(w, "sites:");
        for s in &self.sites {
            let kind = match s.kind {
                SiteKind::Onprem => "onprem",
                SiteKind::Aws => "aws",
            };
            let _ = writeln!(w, "  {}:", s.name);
            let _ = writeln!(w, "    kind: {kind}  # guessed: {}", comment(&s.guess));
        }
        let _ = writeln!(w, "services:");
        for s in &self.services {
            self.service(w, s);
        }
        if let Some(f) = &self.failover {
            let _ = writeln!(
                w,
                "# guessed: failover drains the on-prem site into the AWS site; edit or remove.\nfailover:\n  from: {}\n  to: {}\n  min_healthy_targets: 1",
                f.from, f.to
            );
        }
        y
    }

    fn service(&self, w: &mut String, s: &DraftService) {
        let _ = writeln!(
            w,
            "  {}:  # guessed: name {}",
            s.name,
            comment(&s.name_guess)
        );
        if let Some(d) = &s.dns {
            let _ = writeln!(
                w,
                "    dns:\n      zone_id: {}\n      record: {}\n      type: {}\n      set_ids:",
                d.zone_id, d.record, d.record_type
            );
            for g in &s.groups {
                let _ = writeln!(
                    w,
                    "        {}: {}  # guessed: {}",
                    g.site,
                    yaml_string(&g.arn),
                    comment(&g.guess)
                );
            }
            self.weights(w, s);
            return;
        }
        let _ = writeln!(w, "    listener_arn: {}", s.listener_arn);
        match &s.rule_arn {
            Some(r) => {
                let _ = writeln!(w, "    rule_arn: {r}");
            }
            None => {
                let _ = writeln!(w, "    # no rule_arn: the listener's default action");
            }
        }
        let _ = writeln!(w, "    target_groups:");
        for g in &s.groups {
            let _ = writeln!(
                w,
                "      {}: {}  # guessed: {}",
                g.site,
                g.arn,
                comment(&g.guess)
            );
        }
        self.weights(w, s);
    }

    fn weights(&self, w: &mut String, s: &DraftService) {
        let _ = writeln!(
            w,
            "    # the weights AWS holds now, taken as the normal weights (failback restores them)"
        );
        let _ = writeln!(w, "    weights:");
        for g in &s.groups {
            let _ = writeln!(w, "      {}: {}", g.site, g.weight);
        }
    }
}

/// A SetIdentifier as a YAML string: quoted (JSON's escapes are YAML's), so any text reads back
/// as itself.
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}
