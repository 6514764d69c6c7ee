//! `hybridctl iam-policy`: the document is IAM-shaped and names the topology's ARNs, and every
//! AWS call each command makes against the lab (the lab's call counter) is allowed by the
//! policy generated for that command.

use std::collections::BTreeSet;
use std::process::Output;

use serde_json::{Value, json};

use crate::support::prom::FakeProm;
use crate::support::{Account, Seeded, lab};

fn exits(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn seeded() -> Seeded {
    Account::new().seed_with(json!({"services": 1, "listener_service": true, "coordination": "2m"}))
}

fn policy(s: &Seeded, commands: &[&str]) -> Value {
    let out = s
        .hybridctl()
        .arg("iam-policy")
        .args(commands)
        .output()
        .unwrap();
    exits(&out, 0);
    json_of(&out)
}

/// Valid IAM structure: Version, and statements with a unique alphanumeric Sid, Allow, a
/// non-empty Action list of `service:Operation`, a Resource, and an optional Condition object.
fn assert_iam_shaped(doc: &Value) {
    let keys: BTreeSet<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, BTreeSet::from(["Version", "Statement"]), "{doc}");
    assert_eq!(doc["Version"], "2012-10-17");
    let mut sids = BTreeSet::new();
    for st in doc["Statement"].as_array().unwrap() {
        for k in st.as_object().unwrap().keys() {
            assert!(
                ["Sid", "Effect", "Action", "Resource", "Condition"].contains(&k.as_str()),
                "{k}"
            );
        }
        let sid = st["Sid"].as_str().unwrap();
        assert!(
            !sid.is_empty() && sid.chars().all(|c| c.is_ascii_alphanumeric()),
            "{sid}"
        );
        assert!(sids.insert(sid.to_string()), "Sid {sid} twice");
        assert_eq!(st["Effect"], "Allow");
        let actions = st["Action"].as_array().unwrap();
        assert!(!actions.is_empty());
        for a in actions {
            let (svc, op) = a.as_str().unwrap().split_once(':').unwrap();
            assert!(
                !svc.is_empty() && op.chars().all(|c| c.is_ascii_alphanumeric()),
                "{a}"
            );
        }
        match &st["Resource"] {
            Value::String(r) => assert_eq!(r, "*"),
            Value::Array(rs) => assert!(
                rs.iter()
                    .all(|r| r.as_str().unwrap().starts_with("arn:aws:"))
            ),
            other => panic!("Resource {other}"),
        }
        assert!(st.get("Condition").is_none_or(Value::is_object));
    }
}

fn resources_of(doc: &Value, action: &str) -> Vec<String> {
    doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|st| st["Action"].as_array().unwrap().iter().any(|a| a == action))
        .flat_map(|st| match &st["Resource"] {
            Value::String(r) => vec![r.clone()],
            Value::Array(rs) => rs.iter().map(|r| r.as_str().unwrap().to_string()).collect(),
            _ => vec![],
        })
        .collect()
}

#[test]
fn the_policy_is_iam_shaped_and_names_the_topologys_arns() {
    let s = seeded();
    let doc = policy(&s, &[]);
    assert_iam_shaped(&doc);
    let account = &s.account.id;
    assert_eq!(
        resources_of(&doc, "elasticloadbalancing:ModifyRule"),
        [s.res("/services/web/rule_arn")]
    );
    assert_eq!(
        resources_of(&doc, "elasticloadbalancing:ModifyListener"),
        [s.res("/services/api/listener_arn")]
    );
    let mut tagged = vec![
        s.res("/services/web/rule_arn"),
        s.res("/services/api/listener_arn"),
    ];
    tagged.sort();
    assert_eq!(resources_of(&doc, "elasticloadbalancing:AddTags"), tagged);
    // The alarm's account is the listener ARN's.
    assert_eq!(
        resources_of(&doc, "cloudwatch:DescribeAlarms"),
        [format!(
            "arn:aws:cloudwatch:ap-northeast-2:{account}:alarm:onprem-requestcount-high"
        )]
    );
    let zone = format!("arn:aws:route53:::hostedzone/{}", s.res("/zone_id"));
    assert_eq!(
        resources_of(&doc, "route53:ChangeResourceRecordSets"),
        std::slice::from_ref(&zone)
    );
    // `init --zone-id` reads a zone no topology names yet: any zone, for that command (a read).
    assert_eq!(
        resources_of(&doc, "route53:ListResourceRecordSets"),
        ["*".to_string(), zone]
    );
    assert_eq!(
        resources_of(&doc, "dynamodb:UpdateItem"),
        [format!(
            "arn:aws:dynamodb:ap-northeast-2:{account}:table/hybridctl-coordination"
        )]
    );
    assert_eq!(
        resources_of(&doc, "elasticloadbalancing:DescribeRules"),
        ["*"]
    );

    // -o json: the same document inside a report.
    let out = s
        .hybridctl()
        .args(["iam-policy", "status", "-o", "json"])
        .output()
        .unwrap();
    exits(&out, 0);
    let report = json_of(&out);
    assert_eq!(report["schema"], "hybridctl.iam-policy/v1");
    assert_eq!(report["commands"], json!(["status"]));
    assert_iam_shaped(&report["policy"]);
    assert_eq!(report["policy"], policy(&s, &["status"]));

    let out = s
        .hybridctl()
        .args(["iam-policy", "status", "reboot"])
        .output()
        .unwrap();
    exits(&out, 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("`reboot` is not a command"));
}

/// Every action a command's policy allows.
pub(crate) fn allowed(s: &Seeded, command: &str) -> BTreeSet<String> {
    policy(s, &[command])["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|st| st["Action"].as_array().unwrap().clone())
        .map(|a| a.as_str().unwrap().to_ascii_lowercase())
        .collect()
}

/// The lab counts calls by signing name (`monitoring` for CloudWatch); IAM says `cloudwatch`.
pub(crate) fn iam_action(call: &str) -> String {
    let (svc, op) = call.split_once(':').unwrap();
    let svc = if svc == "monitoring" {
        "cloudwatch"
    } else {
        svc
    };
    format!("{svc}:{op}").to_ascii_lowercase()
}

/// Every command, as a user runs it: the file configures everything (a watcher and a
/// coordination table, so `status` shows the watcher's state; overflow with a query API), and
/// each run's calls must be allowed by that command's policy. `lambda` runs in its own
/// runtime: `lambda::` makes the same comparison.
#[test]
fn every_call_each_command_makes_is_allowed_by_its_policy() {
    let s = seeded();
    let prom = FakeProm::start();
    prom.answer_value("0.95");
    let mut text = std::fs::read_to_string(&s.config).unwrap();
    text.push_str(&format!(
        "watch: {{ interval: 1s }}\nmetrics:\n  prometheus: {{ address: {} }}\n\
         overflow:\n  web: {{ query: up, above: 0.8, below: 0.6, for: 0s, \
         weights: {{ onprem: 20, aws: 80 }} }}\n",
        prom.address()
    ));
    std::fs::write(&s.config, text).unwrap();
    let endpoint = lab().endpoint();
    let listener = s.res("/listener");
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("status", vec!["status"]),
        (
            "shift-traffic",
            vec!["shift-traffic", "--all", "onprem=30", "aws=70", "--yes"],
        ),
        // Enters: the overflow split is written, journaled and tagged.
        ("overflow", vec!["overflow", "--apply", "--yes"]),
        ("failover", vec!["failover", "--all", "--yes"]),
        // Failed over: who set the weights is read from the rule's tag.
        ("overflow", vec!["overflow", "--apply", "--yes"]),
        ("failback", vec!["failback", "--all", "--yes", "--force"]),
        // Shift, hold (health, the alarm), return: all through shift-traffic's calls.
        ("drill", vec!["drill", "--all", "--hold", "1s", "--yes"]),
        ("dms-check-binlog", vec!["dms", "check-binlog", "--no-sql"]),
        ("dr-status", vec!["dr", "status"]),
        (
            "dr-provision",
            vec!["dr", "provision", "--yes", "--skip-terraform"],
        ),
        ("dr-failback", vec!["dr", "failback", "--yes"]),
        ("dr-pending", vec!["dr", "pending"]),
        // No such pending DR: refused (exit 1) after reading the item.
        ("dr-approve", vec!["dr", "approve", "dr-0-1"]),
        ("dr-deny", vec!["dr", "deny", "dr-0-1"]),
        ("lease-status", vec!["lease", "status"]),
        (
            "lease-break",
            vec![
                "lease",
                "break",
                "no-such-lease",
                "--reason",
                "test",
                "--yes",
            ],
        ),
        ("history", vec!["history"]),
        ("watch", vec!["watch", "--once"]),
        (
            "init",
            vec![
                "--endpoint-url",
                &endpoint,
                "init",
                "--listener-arn",
                &listener,
            ],
        ),
    ];
    let run: BTreeSet<&str> = runs.iter().map(|(c, _)| *c).chain(["lambda"]).collect();
    let every: BTreeSet<&str> = hybridctl::plan::iam::command_names().into_iter().collect();
    assert_eq!(run, every, "every command `iam-policy` knows is run");
    let mut seen = BTreeSet::new();
    for (command, args) in runs {
        s.account.reset_calls();
        let out = s.hybridctl().args(&args).output().unwrap();
        let code = out.status.code();
        assert!(
            matches!(code, Some(0) | Some(1)),
            "{command}: exit {code:?}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let calls = s.account.calls();
        assert!(!calls.is_empty(), "{command} made no AWS call");
        let allowed = allowed(&s, command);
        for call in calls.keys() {
            assert!(
                allowed.contains(&iam_action(call)),
                "{command} called {call}, which `iam-policy {command}` does not allow: {allowed:?}"
            );
            seen.insert(iam_action(call));
        }
    }
    // The runs above reach every kind of operation hybridctl has (reads and writes of every
    // service), so a call left out of the table shows here.
    for a in [
        "dynamodb:getitem",
        "elasticloadbalancing:describetags",
        "elasticloadbalancing:modifyrule",
        "elasticloadbalancing:modifylistener",
        "elasticloadbalancing:addtags",
        "route53:changeresourcerecordsets",
        "dynamodb:updateitem",
        "dynamodb:query",
        "rds:describedbparameters",
        "dms:describeconnections",
    ] {
        assert!(seen.contains(a), "no run called {a}: {seen:?}");
    }
}

/// Issue 22: the help says which coordination-table partitions the policy allows, and they are
/// the ones the document's `dynamodb:LeadingKeys` condition names (all of them).
#[test]
fn the_help_names_the_partitions_the_policy_allows() {
    let s = seeded();
    let doc = policy(&s, &[]);
    let table = doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|st| st["Sid"] == "CoordinationTable")
        .expect("a statement for the coordination table");
    let keys: Vec<&str> = table["Condition"]["ForAllValues:StringEquals"]["dynamodb:LeadingKeys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    let out = s
        .hybridctl()
        .args(["iam-policy", "--help"])
        .output()
        .unwrap();
    exits(&out, 0);
    let help = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let (last, rest) = keys.split_last().unwrap();
    let said = format!(
        "DynamoDB only the {} and {last} partitions",
        rest.join(", ")
    );
    assert!(help.contains(&said), "want `{said}` in:\n{help}");
}
