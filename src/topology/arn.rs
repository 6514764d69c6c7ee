//! Amazon Resource Names: parsed once, checked for the service and resource type a key needs.

use std::fmt;

use serde::Serialize;

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account: String,
    pub resource: String,
}

impl Arn {
    pub fn parse(text: &str) -> Result<Arn, String> {
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let [arn, partition, service, region, account, resource] = parts.as_slice() else {
            return Err(format!(
                "`{text}` is not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)"
            ));
        };
        if *arn != "arn" || !matches!(*partition, "aws" | "aws-cn" | "aws-us-gov") {
            return Err(format!(
                "`{text}` is not an ARN: it must start with arn:aws:, arn:aws-cn: or arn:aws-us-gov:"
            ));
        }
        if !is_region(region) {
            return Err(format!("`{text}`: `{region}` is not an AWS region"));
        }
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("`{text}`: account `{account}` must be 12 digits"));
        }
        if resource.is_empty() {
            return Err(format!("`{text}`: the resource part is empty"));
        }
        Ok(Arn {
            partition: partition.to_string(),
            service: service.to_string(),
            region: region.to_string(),
            account: account.to_string(),
            resource: resource.to_string(),
        })
    }

    /// Resource path segments split on `/`, e.g. `targetgroup`, `web-onprem`, `73e2d6bc24d8a067`.
    pub fn segments(&self) -> Vec<&str> {
        self.resource.split('/').collect()
    }

    /// The short name in the middle of an ELBv2 ARN (`targetgroup/NAME/ID` -> NAME).
    pub fn elb_name(&self) -> &str {
        self.resource.split('/').nth(1).unwrap_or(&self.resource)
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

impl Serialize for Arn {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `ap-northeast-2`, `us-gov-west-1`, `cn-north-1`.
pub fn is_region(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].parse::<u8>().is_ok_and(|n| n > 0)
}

/// [`is_region`] as a regular expression (unanchored).
pub fn region_pattern() -> String {
    format!(
        "[a-z]+(?:-[a-z]+)+-\\+?0*{}",
        crate::pattern::digits(1, u8::MAX.into())
    )
}

/// What a key in the topology file expects an ARN to name.
#[derive(Debug, Clone, Copy)]
pub enum Expect {
    Listener,
    ListenerRule,
    TargetGroup,
    DmsTask,
    EcsService,
}

impl Expect {
    fn describe(self) -> &'static str {
        match self {
            Expect::Listener => {
                "an ALB listener ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID)"
            }
            Expect::ListenerRule => {
                "an ALB listener rule ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener-rule/app/NAME/ID/ID/ID)"
            }
            Expect::TargetGroup => {
                "a target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID)"
            }
            Expect::DmsTask => "a DMS task ARN (arn:aws:dms:REGION:ACCOUNT:task:ID)",
            Expect::EcsService => {
                "an ECS service ARN (arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME)"
            }
        }
    }
}

impl Expect {
    /// [`parse_expecting`] as a regular expression, for the topology file's JSON Schema.
    pub fn pattern(self) -> String {
        let (service, resource) = match self {
            Expect::Listener => ("elasticloadbalancing", "listener/app/[^/]+/[^/]+/[^/]+"),
            Expect::ListenerRule => (
                "elasticloadbalancing",
                "listener-rule/app/[^/]+/[^/]+/[^/]+/[^/]+",
            ),
            Expect::TargetGroup => ("elasticloadbalancing", "targetgroup/[^/]+/[^/]+"),
            Expect::DmsTask => ("dms", "task:[\\s\\S]+"),
            Expect::EcsService => ("ecs", "service/[^/]+/[^/]+"),
        };
        format!(
            "^arn:(?:aws|aws-cn|aws-us-gov):{service}:{}:[0-9]{{12}}:{resource}$",
            region_pattern()
        )
    }
}

/// Parses `text` and checks it names what `expect` says.
pub fn parse_expecting(text: &str, expect: Expect) -> Result<Arn, String> {
    let arn = Arn::parse(text)?;
    let segs = arn.segments();
    let nonempty = |s: &[&str]| s.iter().all(|p| !p.is_empty());
    let ok = match expect {
        Expect::Listener => {
            arn.service == "elasticloadbalancing"
                && segs.len() == 5
                && segs[0] == "listener"
                && segs[1] == "app"
                && nonempty(&segs)
        }
        Expect::ListenerRule => {
            arn.service == "elasticloadbalancing"
                && segs.len() == 6
                && segs[0] == "listener-rule"
                && segs[1] == "app"
                && nonempty(&segs)
        }
        Expect::TargetGroup => {
            arn.service == "elasticloadbalancing"
                && segs.len() == 3
                && segs[0] == "targetgroup"
                && nonempty(&segs)
        }
        Expect::DmsTask => {
            arn.service == "dms"
                && arn
                    .resource
                    .strip_prefix("task:")
                    .is_some_and(|id| !id.is_empty())
        }
        Expect::EcsService => {
            arn.service == "ecs" && segs.len() == 3 && segs[0] == "service" && nonempty(&segs)
        }
    };
    if ok {
        Ok(arn)
    } else {
        Err(format!("`{text}` is not {}", expect.describe()))
    }
}

/// A rule ARN belongs to a listener when they share load balancer and listener ids.
pub fn rule_belongs_to(rule: &Arn, listener: &Arn) -> bool {
    let r = rule.segments();
    let l = listener.segments();
    rule.region == listener.region
        && rule.account == listener.account
        && r.len() == 6
        && l.len() == 5
        && r[1..5] == l[1..5]
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: &str = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2";
    const R: &str = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener-rule/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";

    #[test]
    fn parses_and_checks_kinds() {
        assert!(parse_expecting(L, Expect::Listener).is_ok());
        assert!(parse_expecting(R, Expect::ListenerRule).is_ok());
        assert!(parse_expecting(L, Expect::ListenerRule).is_err());
        assert!(
            parse_expecting(
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067",
                Expect::TargetGroup
            )
            .is_ok()
        );
        assert!(
            parse_expecting(
                "arn:aws:dms:eu-west-1:123456789012:task:ABCDEF",
                Expect::DmsTask
            )
            .is_ok()
        );
        assert!(
            parse_expecting(
                "arn:aws:dms:eu-west-1:123456789012:endpoint:ABCDEF",
                Expect::DmsTask
            )
            .is_err()
        );
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "",
            "arn:aws:elasticloadbalancing",
            "arn:aws:elasticloadbalancing:nowhere:123456789012:listener/app/a/b/c",
            "arn:aws:elasticloadbalancing:eu-west-1:1234:listener/app/a/b/c",
            "arn:azure:elasticloadbalancing:eu-west-1:123456789012:listener/app/a/b/c",
            "nra:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/a/b/c",
        ] {
            assert!(Arn::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rule_membership() {
        let l = Arn::parse(L).unwrap();
        let r = Arn::parse(R).unwrap();
        assert!(rule_belongs_to(&r, &l));
        let other = Arn::parse(&R.replace("f2f7dc8efc522ab2", "0000000000000000")).unwrap();
        assert!(!rule_belongs_to(&other, &l));
    }

    #[test]
    fn regions() {
        for ok in [
            "ap-northeast-2",
            "us-gov-west-1",
            "cn-north-1",
            "eu-central-1",
        ] {
            assert!(is_region(ok), "{ok}");
        }
        for bad in [
            "",
            "apnortheast2",
            "ap-northeast",
            "AP-NORTHEAST-2",
            "ap--2",
            "eu-west-0",
        ] {
            assert!(!is_region(bad), "{bad}");
        }
    }
}
