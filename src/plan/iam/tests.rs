use std::collections::BTreeSet;
use std::path::Path;

use super::*;

const BASE: &str = include_str!("../../../tests/data/base.yaml");
const LISTENER: &str = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2";
const RULE: &str = "arn:aws:elasticloadbalancing:ap-northeast-2:123456789012:listener-rule/app/hybrid/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";

fn topo(text: &str) -> Topology {
    crate::topology::parse(Path::new("t.yaml"), text).unwrap_or_else(|e| panic!("{e:?}"))
}

fn with_coordination() -> Topology {
    topo(&format!(
        "{BASE}coordination:\n  dynamodb_table: hybridctl-coordination\n"
    ))
}

fn all() -> Vec<String> {
    command_names().iter().map(|s| s.to_string()).collect()
}

fn statement<'a>(p: &'a Policy, sid: &str) -> &'a Statement {
    p.statements
        .iter()
        .find(|s| s.sid == sid)
        .unwrap_or_else(|| panic!("no {sid} in {:#?}", p.statements))
}

#[test]
fn every_command_resolves_and_includes_name_table_entries() {
    for name in command_names() {
        assert!(!ops_of(name).unwrap().is_empty(), "{name}");
    }
    assert!(ops_of("nope").is_none());
    assert_eq!(normalize(" DMS  check-binlog "), "dms-check-binlog");
    let e = policy(&["_lease".into()], None).unwrap_err();
    assert!(e.contains("known: status, shift-traffic"), "{e}");
}

#[test]
fn the_policy_names_the_topologys_arns_with_narrowing_conditions() {
    let p = policy(&all(), Some(&with_coordination())).unwrap();
    assert_eq!(statement(&p, "ModifyRulesOfTheTopology").resources, [RULE]);
    let tag = statement(&p, "TagOnlyLastChange");
    assert_eq!(tag.actions, ["elasticloadbalancing:AddTags"]);
    assert_eq!(tag.resources, [RULE]);
    assert_eq!(
        tag.condition.as_ref().unwrap()["ForAllValues:StringEquals"]["aws:TagKeys"],
        json!(["hybridctl:last-change"])
    );
    assert_eq!(
        statement(&p, "FailoverAlarm").resources,
        ["arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:onprem-requestcount-high"]
    );
    let upsert = statement(&p, "UpsertDrRecordWeights");
    assert_eq!(upsert.actions, ["route53:ChangeResourceRecordSets"]);
    assert_eq!(
        upsert.resources,
        ["arn:aws:route53:::hostedzone/Z0123456789ABC"]
    );
    let c = &upsert.condition.as_ref().unwrap()["ForAllValues:StringEquals"];
    assert_eq!(
        c["route53:ChangeResourceRecordSetsNormalizedRecordNames"],
        json!(["ticket.example.com"])
    );
    assert_eq!(
        c["route53:ChangeResourceRecordSetsRecordTypes"],
        json!(["A"])
    );
    assert_eq!(
        c["route53:ChangeResourceRecordSetsActions"],
        json!(["UPSERT"])
    );
    assert_eq!(
        statement(&p, "RdsSourceInstance").resources,
        ["arn:aws:rds:ap-northeast-2:123456789012:db:hybrid-mariadb"]
    );
    let table = statement(&p, "CoordinationTable");
    assert_eq!(
        table.resources,
        ["arn:aws:dynamodb:ap-northeast-2:123456789012:table/hybridctl-coordination"]
    );
    assert_eq!(
        table.actions,
        [
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Query",
            "dynamodb:UpdateItem"
        ]
    );
    // `*` only for actions without resource-level permissions.
    let any = statement(&p, "NoResourceLevelPermissions");
    for a in &any.actions {
        let unscoped = COMMANDS
            .iter()
            .flat_map(|c| c.ops)
            .filter(|o| o.action == *a)
            .any(|o| o.scope == Scope::Any);
        assert!(unscoped, "{a}");
    }
    assert!(!any.actions.contains(&"elasticloadbalancing:ModifyRule"));
    // No default-action service and no Aurora in this topology: those are left out, and said.
    assert!(
        p.notes.iter().any(|n| n.contains("ModifyListener")),
        "{:?}",
        p.notes
    );
    assert!(
        p.notes.iter().any(|n| n.contains("DescribeDBClusters")),
        "{:?}",
        p.notes
    );
}

#[test]
fn a_default_action_service_gets_modify_listener_and_status_gets_no_writes() {
    let text = BASE.replace(&format!("    rule_arn: {RULE}\n"), "");
    let t = topo(&text);
    let p = policy(&["failover".into()], Some(&t)).unwrap();
    assert_eq!(
        statement(&p, "ModifyDefaultActionsOfTheTopology").resources,
        [LISTENER]
    );
    assert_eq!(statement(&p, "TagOnlyLastChange").resources, [LISTENER]);
    assert!(
        p.statements
            .iter()
            .all(|s| s.sid != "ModifyRulesOfTheTopology")
    );
    let s = policy(&["status".into()], Some(&t)).unwrap();
    let actions: Vec<&str> = s
        .statements
        .iter()
        .flat_map(|s| s.actions.clone())
        .collect();
    assert!(
        actions
            .iter()
            .all(|a| !a.contains("Modify") && !a.contains("AddTags")),
        "{actions:?}"
    );
}

#[test]
fn the_document_keeps_iams_key_order() {
    let p = policy(&["failover".into()], Some(&topo(BASE))).unwrap();
    let text = serde_json::to_string(&p.document()).unwrap();
    assert!(
        text.starts_with(r#"{"Version":"2012-10-17","Statement":[{"Sid":"#),
        "{text}"
    );
    assert!(text.contains(r#""Effect":"Allow","Action":["#), "{text}");
}

#[test]
fn the_document_is_iam_shaped() {
    let p = policy(&all(), Some(&with_coordination())).unwrap();
    let d = serde_json::to_value(p.document()).unwrap();
    assert_eq!(d["Version"], "2012-10-17");
    let mut sids = BTreeSet::new();
    for s in d["Statement"].as_array().unwrap() {
        let sid = s["Sid"].as_str().unwrap();
        assert!(sid.chars().all(|c| c.is_ascii_alphanumeric()), "{sid}");
        assert!(sids.insert(sid.to_string()), "Sid {sid} twice");
        assert_eq!(s["Effect"], "Allow");
        assert!(!s["Action"].as_array().unwrap().is_empty());
        assert!(s["Resource"].is_string() || s["Resource"].is_array());
    }
}

/// Every AWS operation the code calls, read from src/aws/*.rs: the SDK fluent calls on a
/// client (`client.describe_rules()`, across line breaks) and the operation names the calls
/// report errors under (`.aws(Service::Elbv2, "DescribeRules")`).
fn operations_in_code() -> (BTreeSet<String>, BTreeSet<String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/aws");
    let mut fluent = BTreeSet::new();
    let mut tagged = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.split("#[cfg(test)]").next().unwrap();
        let prefix = match stem.as_str() {
            "elbv2" => "elasticloadbalancing",
            "cloudwatch" | "dms" | "rds" | "route53" | "dynamodb" | "ec2" | "ecs"
            | "autoscaling" => stem.as_str(),
            "appscaling" => "application-autoscaling",
            _ => continue,
        };
        for (i, _) in text.match_indices("client") {
            let rest = text[i + "client".len()..].trim_start();
            let Some(rest) = rest.strip_prefix('.') else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            if rest[name.len()..].starts_with("()") && name != "config" {
                fluent.insert(format!("{prefix}:{}", name.replace('_', "")));
            }
        }
        for (i, _) in text.match_indices(".aws(Service::") {
            let rest = &text[i..];
            let op = rest.split('"').nth(1).unwrap();
            tagged.insert(format!("{prefix}:{}", op.to_ascii_lowercase()));
        }
    }
    (fluent, tagged)
}

#[test]
fn every_aws_operation_the_code_calls_is_in_the_table() {
    let (fluent, tagged) = operations_in_code();
    assert!(fluent.len() >= 25, "the scan found too little: {fluent:?}");
    assert_eq!(
        fluent, tagged,
        "every SDK call reports its errors under its own name"
    );
    let table: BTreeSet<String> = COMMANDS
        .iter()
        .flat_map(|c| c.ops)
        .map(|o| o.action.to_ascii_lowercase())
        .collect();
    let missing: Vec<&String> = fluent.iter().filter(|o| !table.contains(*o)).collect();
    assert!(
        missing.is_empty(),
        "calls no command's policy allows: {missing:?}"
    );
    let unused: Vec<&String> = table.iter().filter(|o| !fluent.contains(*o)).collect();
    assert!(
        unused.is_empty(),
        "table entries the code never calls: {unused:?}"
    );
}

#[test]
fn the_example_in_docs_iam_md_is_what_the_code_prints() {
    let example = include_str!("../../../hybridctl.example.yaml");
    let p = policy(&["failover".into()], Some(&topo(example))).unwrap();
    let text = serde_json::to_string_pretty(&p.document()).unwrap();
    let doc = include_str!("../../../docs/iam.md");
    assert!(
        doc.contains(&format!("```json\n{text}\n```")),
        "docs/iam.md's failover example drifted; it should be:\n{text}"
    );
}

/// Issue 22: `status` shows the watcher's state, read from the coordination table (GetItem),
/// so the read-only cron policy allows that read, and no DynamoDB write.
#[test]
fn status_may_read_the_watch_state_and_write_nothing() {
    let p = policy(&["status".into()], Some(&with_coordination())).unwrap();
    assert_eq!(
        statement(&p, "CoordinationTable").actions,
        ["dynamodb:GetItem"]
    );
}
