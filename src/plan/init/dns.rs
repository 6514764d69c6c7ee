//! `init --zone-id Z --record NAME`: a draft dns service from the weighted records of a name.
//! Each record's SetIdentifier becomes a site; whether the site is AWS is read from where the
//! record points (an alias to an AWS load balancer or CloudFront is AWS; anything else is
//! taken for the other cloud and says so).

use super::{Class, Classified, DraftSite, base_site, clean, failover, site_for};
use crate::topology::draft::{Draft, DraftDns, DraftGroup, DraftService};

/// One weighted record as Route 53 holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFacts {
    pub set_id: String,
    pub weight: i64,
    /// The alias target's DNS name, or the first value of the record.
    pub target: String,
    pub alias: bool,
}

/// AWS endpoints an alias may point at.
const AWS_SUFFIXES: [&str; 3] = [".elb.amazonaws.com", ".cloudfront.net", ".amazonaws.com"];

pub fn classify(r: &RecordFacts) -> Classified {
    let target = r.target.trim_end_matches('.').to_ascii_lowercase();
    match AWS_SUFFIXES.iter().find(|s| target.ends_with(*s)) {
        Some(_) => Classified {
            class: Class::Aws,
            why: format!("the record points at an AWS endpoint ({})", r.target),
        },
        None => Classified {
            class: Class::Onprem,
            why: format!(
                "the record points outside AWS's endpoints ({}): another cloud or a data centre",
                r.target
            ),
        },
    }
}

/// The draft, and each SetIdentifier's class for the report; Err when the records cannot make
/// a dns service (fewer than 2 or more than 5, every weight 0).
pub fn draft(
    region: &str,
    endpoint_url: Option<&str>,
    dns: &DraftDns,
    records: &[RecordFacts],
) -> Result<(Draft, Vec<(String, Classified)>), String> {
    let what = format!(
        "{} {} in hosted zone {}",
        dns.record, dns.record_type, dns.zone_id
    );
    match records.len() {
        0 => return Err(format!("{what} has no weighted records")),
        1 => {
            return Err(format!(
                "{what} has one weighted record: a dns service splits between 2 and 5 sites; add the other site's record (weight 0 keeps traffic as it is)"
            ));
        }
        n if n > 5 => {
            return Err(format!(
                "{what} has {n} weighted records: a dns service splits between 2 and 5 sites"
            ));
        }
        _ => {}
    }
    if records.iter().all(|r| r.weight == 0) {
        return Err(format!(
            "every weighted record of {what} has weight 0: hybridctl would have no split to keep"
        ));
    }
    let mut sites: Vec<DraftSite> = Vec::new();
    let mut groups = Vec::new();
    let mut classes = Vec::new();
    for r in records {
        let c = classify(r);
        let site = (1..)
            .map(|n| match n {
                1 => base_site(c.class).to_string(),
                n => format!("{}-{n}", base_site(c.class)),
            })
            .find(|name| sites.iter().all(|s| &s.name != name))
            .expect("an unbounded range yields a free name");
        sites.push(site_for(&site, &c));
        groups.push(DraftGroup {
            site,
            arn: r.set_id.clone(),
            weight: r.weight.clamp(0, crate::topology::MAX_R53_WEIGHT) as u32,
            guess: c.why.clone(),
        });
        classes.push((r.set_id.clone(), c));
    }
    let (name, name_guess) = match dns.record.split('.').next().and_then(clean) {
        Some(n) => (n, format!("from the record's first label `{}`", dns.record)),
        None => (
            "dns".into(),
            "the record's first label has no usable name".into(),
        ),
    };
    let failover = failover(&sites);
    Ok((
        Draft {
            region: region.to_string(),
            endpoint_url: endpoint_url.map(str::to_string),
            sites,
            services: vec![DraftService {
                name,
                name_guess,
                listener_arn: String::new(),
                rule_arn: None,
                groups,
                dns: Some(dns.clone()),
            }],
            failover,
        },
        classes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, weight: i64, target: &str, alias: bool) -> RecordFacts {
        RecordFacts {
            set_id: id.into(),
            weight,
            target: target.into(),
            alias,
        }
    }

    fn dns() -> DraftDns {
        DraftDns {
            zone_id: "Z0123456789ABCDEFGHIJ".into(),
            record: "ticket.example.com.".into(),
            record_type: "A".into(),
        }
    }

    #[test]
    fn seed_004_nhn_and_an_alb_alias_draft_a_valid_dns_service() {
        let records = [
            rec("nhn-lb", 100, "203.0.113.10", false),
            rec(
                "aws-alb",
                0,
                "dualstack.ticket-alb-123.ap-northeast-2.elb.amazonaws.com.",
                true,
            ),
        ];
        let (d, classes) = draft("ap-northeast-2", None, &dns(), &records).unwrap();
        assert_eq!(classes[0].1.class, Class::Onprem);
        assert_eq!(classes[1].1.class, Class::Aws);
        let text = d.to_yaml("records ticket.example.com. A");
        assert!(text.contains("set_ids:"), "{text}");
        assert!(text.contains("        onprem: \"nhn-lb\""), "{text}");
        assert!(
            text.contains("failover:\n  from: onprem\n  to: aws"),
            "{text}"
        );
        let t = crate::topology::parse(std::path::Path::new("d.yaml"), &text)
            .unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        let svc = &t.services[0];
        assert_eq!(svc.name, "ticket");
        assert_eq!(svc.dns().unwrap().record, "ticket.example.com.");
        assert_eq!(svc.targets[0].weight, 100);
    }

    #[test]
    fn one_record_six_records_and_all_zero_are_refused_with_the_reason() {
        let one = [rec("a", 1, "x", false)];
        assert!(
            draft("r", None, &dns(), &one)
                .unwrap_err()
                .contains("one weighted record")
        );
        let six: Vec<RecordFacts> = (0..6)
            .map(|i| rec(&format!("s{i}"), 1, "x", false))
            .collect();
        assert!(
            draft("r", None, &dns(), &six)
                .unwrap_err()
                .contains("6 weighted records")
        );
        let zero = [rec("a", 0, "x", false), rec("b", 0, "y", false)];
        assert!(
            draft("r", None, &dns(), &zero)
                .unwrap_err()
                .contains("weight 0")
        );
    }
}
