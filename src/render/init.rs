//! `init` on the screen: the draft on stdout (when not written to a file), a summary of every
//! guess on stderr; with -o json, the report.

use super::Output;
use crate::plan::init::{Class, InitReport};

pub fn print(out: &Output, r: &InitReport) -> anyhow::Result<()> {
    if out.is_json() {
        return out.json(r);
    }
    if let Some(text) = &r.topology {
        out.text(text)?;
    }
    out.note(&summary(r));
    Ok(())
}

fn summary(r: &InitReport) -> String {
    let source = match (&r.listener_arn, &r.zone_id, &r.record) {
        (Some(l), ..) => format!("listener {l}"),
        (None, Some(z), Some(rec)) => format!("records {rec} in hosted zone {z}"),
        _ => "AWS".into(),
    };
    let mut s = match &r.file {
        Some(f) => format!("wrote {f} (valid) from {source}\n"),
        None => format!("draft (valid) from {source}\n"),
    };
    let mut unknown = false;
    for svc in &r.services {
        let place = match (&svc.rule_arn, &r.record) {
            (Some(rule), _) => format!("rule {rule}"),
            (None, Some(rec)) => format!("records {rec}"),
            (None, None) => "the listener's default action".into(),
        };
        s.push_str(&format!("  service {}: {place}\n", svc.name));
        for g in &svc.target_groups {
            unknown |= g.class == Class::Unknown;
            s.push_str(&format!(
                "    {} = {} weight {}: {}\n",
                g.site,
                g.arn.rsplit(':').next().unwrap_or(&g.arn),
                g.weight,
                g.why
            ));
        }
    }
    if unknown {
        let vpc = r.vpc_id.as_deref().unwrap_or("VPC_ID");
        s.push_str(&format!(
            "some sites could not be told apart: pass the VPC's CIDR blocks with --vpc-cidr \
             (aws ec2 describe-vpcs --vpc-ids {vpc} --query 'Vpcs[].CidrBlockAssociationSet[].CidrBlock'), \
             or edit the `unknown` site\n"
        ));
    }
    s.push_str("check every `# guessed:` line before using the file");
    s
}
