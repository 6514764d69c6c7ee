use super::*;

const LISTENER: &str = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2";
const RULE: &str = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener-rule/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";

fn tg(name: &str) -> String {
    format!(
        "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:targetgroup/{name}/73e2d6bc24d8a067"
    )
}

fn group(kind: &str, targets: &[(&str, Option<&str>)]) -> GroupFacts {
    GroupFacts {
        arn: tg("g"),
        target_type: kind.into(),
        targets: targets
            .iter()
            .map(|(id, az)| TargetFacts {
                id: id.to_string(),
                availability_zone: az.map(str::to_string),
            })
            .collect(),
    }
}

fn vpc() -> Vec<Cidr> {
    vec![
        "10.0.0.0/16".parse().unwrap(),
        "10.1.0.0/16".parse().unwrap(),
    ]
}

#[test]
fn classification_table() {
    let a = Some("ap-northeast-2a");
    let cases: Vec<(GroupFacts, Vec<Cidr>, Class, &str)> = vec![
        (
            group("instance", &[("i-0abc", None)]),
            vec![],
            Class::Aws,
            "target type `instance`",
        ),
        (
            group("lambda", &[]),
            vpc(),
            Class::Aws,
            "target type `lambda`",
        ),
        (group("alb", &[]), vpc(), Class::Aws, "target type `alb`"),
        (
            group("ip", &[("10.0.1.5", a), ("10.20.0.11", None)]),
            vpc(),
            Class::Onprem,
            "10.20.0.11 is outside the VPC (10.0.0.0/16, 10.1.0.0/16)",
        ),
        (
            group("ip", &[("10.20.0.11", None)]),
            vec![],
            Class::Unknown,
            "no VPC CIDR known",
        ),
        (
            group("ip", &[("10.0.1.5", Some("all"))]),
            vec![],
            Class::Onprem,
            "Availability Zone `all`",
        ),
        (
            group("ip", &[("10.0.1.5", Some("all"))]),
            vpc(),
            Class::Onprem,
            "Availability Zone `all`",
        ),
        (
            group("ip", &[("10.0.1.5", a), ("10.1.9.9", a)]),
            vpc(),
            Class::Aws,
            "all 2 IP target(s) are inside the VPC",
        ),
        (
            group("ip", &[]),
            vpc(),
            Class::Unknown,
            "no registered targets",
        ),
        (
            group("ip", &[("not-an-ip", None)]),
            vpc(),
            Class::Unknown,
            "not an IP address",
        ),
        (
            group("ip", &[("2600:1f18::5", None)]),
            vec!["2600:1f18::/56".parse().unwrap()],
            Class::Aws,
            "inside the VPC",
        ),
        (
            group("ip", &[("2001:db8::5", None)]),
            vec!["2600:1f18::/56".parse().unwrap()],
            Class::Onprem,
            "outside the VPC",
        ),
        (
            group("udp", &[]),
            vpc(),
            Class::Unknown,
            "target type `udp` is not known",
        ),
    ];
    for (g, cidrs, class, why) in cases {
        let c = classify(&g, &cidrs);
        assert_eq!(c.class, class, "{g:?} with {cidrs:?}: {c:?}");
        assert!(c.why.contains(why), "{g:?}: `{}` lacks `{why}`", c.why);
    }
}

fn forward(rule: Option<&str>, hosts: &[&str], groups: &[(&str, i32)]) -> ForwardFacts {
    ForwardFacts {
        listener_arn: LISTENER.into(),
        rule_arn: rule.map(str::to_string),
        priority: rule.map(|_| "7".into()),
        hosts: hosts.iter().map(|h| h.to_string()).collect(),
        paths: vec![],
        groups: groups.iter().map(|(n, w)| (tg(n), *w)).collect(),
    }
}

fn class(c: Class) -> Classified {
    Classified {
        class: c,
        why: format!("{c:?} because"),
    }
}

#[test]
fn the_draft_names_sites_by_class_and_services_by_host_and_validates() {
    let forwards = vec![
        forward(Some(RULE), &["Web.example.com"], &[("on", 40), ("aws", 60)]),
        forward(None, &[], &[("on", 0), ("aws", 100)]),
        forward(Some(RULE), &[], &[("only", 1)]),
    ];
    let classes = vec![
        (tg("on"), class(Class::Onprem)),
        (tg("aws"), class(Class::Aws)),
    ];
    let d = draft(&DraftInput {
        region: "ap-northeast-2",
        endpoint_url: Some("http://127.0.0.1:5000"),
        forwards: &forwards,
        classes: &classes,
    });
    let names: Vec<&str> = d.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["web", "default"],
        "the unweighted forward is left out"
    );
    let sites: Vec<&str> = d.sites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(sites, ["onprem", "aws"]);
    assert_eq!(
        d.failover,
        Some(DraftFailover {
            from: "onprem".into(),
            to: "aws".into()
        })
    );
    let text = d.to_yaml("the test");
    let topo = crate::topology::parse(std::path::Path::new("draft.yaml"), &text)
        .unwrap_or_else(|e| panic!("{e:?}\n{text}"));
    assert_eq!(topo.services[0].targets[0].weight, 40);
    assert_eq!(topo.services[1].alb().and_then(|(_, r)| r), None);
    assert_eq!(
        topo.aws.endpoint_url.as_deref(),
        Some("http://127.0.0.1:5000")
    );
    assert!(
        text.contains("kind: onprem  # guessed: on-prem: Onprem because"),
        "{text}"
    );
    assert!(
        text.contains("web:  # guessed: name from the rule's host header `Web.example.com`"),
        "{text}"
    );
    assert_eq!(text.matches("# guessed:").count(), 2 + 2 + 4 + 1, "{text}");
}

#[test]
fn same_class_twice_and_unknown_get_their_own_sites_and_no_failover() {
    let forwards = vec![forward(
        Some(RULE),
        &[],
        &[("a1", 50), ("a2", 50), ("x", 0)],
    )];
    let classes = vec![
        (tg("a1"), class(Class::Aws)),
        (tg("a2"), class(Class::Aws)),
        (tg("x"), class(Class::Unknown)),
    ];
    let d = draft(&DraftInput {
        region: "ap-northeast-2",
        endpoint_url: None,
        forwards: &forwards,
        classes: &classes,
    });
    let sites: Vec<&str> = d.sites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(sites, ["aws", "aws-2", "unknown"]);
    assert_eq!(d.services[0].name, "rule-7");
    assert!(d.sites[2].guess.contains("edit me"), "{:?}", d.sites[2]);
    assert_eq!(d.failover, None);
    let text = d.to_yaml("x");
    assert!(!text.contains("endpoint_url"), "{text}");
    crate::topology::parse(std::path::Path::new("d.yaml"), &text)
        .unwrap_or_else(|e| panic!("{e:?}\n{text}"));
}

#[test]
fn service_names_are_cleaned_and_unique() {
    let mut used = BTreeSet::new();
    let f = |hosts: &[&str], paths: &[&str]| ForwardFacts {
        paths: paths.iter().map(|p| p.to_string()).collect(),
        ..forward(Some(RULE), hosts, &[])
    };
    let cases = [
        (f(&["*.example.com"], &[]), "rule-7"),
        (f(&["api.example.com"], &[]), "api"),
        (f(&["api.example.com"], &[]), "api-2"),
        (f(&[], &["/Shop/*"]), "shop"),
        (f(&[], &["/*"]), "rule-7-2"),
        (forward(None, &[], &[]), "default"),
    ];
    for (facts, want) in cases {
        assert_eq!(service_name(&facts, &mut used).0, want, "{facts:?}");
    }
}

#[test]
fn comments_cannot_break_lines() {
    let d = Draft {
        region: "ap-northeast-2".into(),
        endpoint_url: None,
        sites: vec![DraftSite {
            name: "onprem".into(),
            kind: SiteKind::Onprem,
            guess: "a\nkind: aws".into(),
        }],
        services: vec![],
        failover: None,
    };
    assert!(d.to_yaml("y").contains("# guessed: a kind: aws\n"));
}

#[test]
fn of_two_groups_one_on_prem_by_its_facts_the_other_unknown_is_aws() {
    let classes_of = |pairs: &[(&str, Class)]| -> Vec<(String, Classified)> {
        pairs.iter().map(|(n, c)| (tg(n), class(*c))).collect()
    };
    use Class::{Aws, Onprem, Unknown};
    // (forward's groups, classes by the facts, classes after, the reason of `x` contains)
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, Class)>, Vec<Class>, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec!["on", "x"],
            vec![("on", Onprem), ("x", Unknown)],
            vec![Onprem, Aws],
            "of its forward, on, is on-prem",
        ),
        (
            vec!["x", "on"],
            vec![("x", Unknown), ("on", Onprem)],
            vec![Aws, Onprem],
            "pass --vpc-cidr to check",
        ),
        // Three groups: elimination does not tell which one is AWS.
        (
            vec!["on", "x", "y"],
            vec![("on", Onprem), ("x", Unknown), ("y", Unknown)],
            vec![Onprem, Unknown, Unknown],
            "Unknown because",
        ),
        (
            vec!["x", "y"],
            vec![("x", Unknown), ("y", Unknown)],
            vec![Unknown, Unknown],
            "Unknown because",
        ),
        // An AWS group never makes the other on-prem: on-prem is only found by facts.
        (
            vec!["a", "x"],
            vec![("a", Aws), ("x", Unknown)],
            vec![Aws, Unknown],
            "Unknown because",
        ),
        (
            vec!["on", "x"],
            vec![("on", Onprem), ("x", Onprem)],
            vec![Onprem, Onprem],
            "Onprem because",
        ),
    ];
    for (groups, before, after, why) in cases {
        let weighted: Vec<(&str, i32)> = groups.iter().map(|g| (*g, 50)).collect();
        let forwards = vec![forward(Some(RULE), &[], &weighted)];
        let mut classes = classes_of(&before);
        pair_with_onprem(&forwards, &mut classes);
        let got: Vec<Class> = classes.iter().map(|(_, c)| c.class).collect();
        assert_eq!(got, after, "{groups:?}");
        let x = &classes.iter().find(|(a, _)| *a == tg("x")).unwrap().1;
        assert!(x.why.contains(why), "{groups:?}: {}", x.why);
    }
}
