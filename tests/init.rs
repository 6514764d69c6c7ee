//! `hybridctl init` against the lab: a rule and a listener default action, on-prem found by
//! Availability Zone `all` and AWS by CIDR or by elimination, all weights 0, a listener without a weighted forward, an existing output file, and the draft in use.

use std::path::Path;
use std::process::Output;

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, ForwardActionConfig, ProtocolEnum, TargetGroupTuple,
};
use serde_json::{Value, json};

use crate::support::{Account, Seeded, lab, rt};

fn forward(groups: &[(String, i32)]) -> Action {
    let fc = ForwardActionConfig::builder()
        .set_target_groups(Some(
            groups
                .iter()
                .map(|(arn, w)| {
                    TargetGroupTuple::builder()
                        .target_group_arn(arn)
                        .weight(*w)
                        .build()
                })
                .collect(),
        ))
        .build();
    Action::builder()
        .r#type(ActionTypeEnum::Forward)
        .forward_config(fc)
        .build()
}

/// The seeded listener's default action made a weighted forward too (30 / 70).
fn weighted_default(s: &Seeded) {
    let groups = [
        (s.res("/services/web/target_groups/onprem"), 30),
        (s.res("/services/web/target_groups/aws"), 70),
    ];
    rt().block_on(
        s.context()
            .elbv2()
            .modify_listener()
            .listener_arn(s.res("/listener"))
            .default_actions(forward(&groups))
            .send(),
    )
    .unwrap();
}

fn init(s: &Seeded, args: &[&str]) -> Output {
    s.account
        .hybridctl()
        .args(["--endpoint-url", &lab().endpoint(), "init"])
        .args(args)
        .output()
        .unwrap()
}

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

fn draft_path(s: &Seeded) -> String {
    s.account
        .dir
        .path()
        .join("draft.yaml")
        .display()
        .to_string()
}

#[test]
fn a_rule_and_a_default_action_become_services_sites_found_by_zone_and_cidr_and_status_runs() {
    let s = Account::new().seed(1);
    weighted_default(&s);
    s.account.reset_calls();
    let out_file = draft_path(&s);
    let listener = s.res("/listener");
    let out = init(
        &s,
        &[
            "--listener-arn",
            &listener,
            "--vpc-cidr",
            "10.0.0.0/16",
            "--out",
            &out_file,
        ],
    );
    exits(&out, 0);
    assert!(out.stdout.is_empty(), "the draft went to the file");
    let calls = s.account.calls();
    assert!(
        calls
            .keys()
            .all(|k| k.starts_with("elasticloadbalancing:Describe")),
        "init only reads: {calls:?}"
    );
    let text = std::fs::read_to_string(&out_file).unwrap();
    let onprem = s.res("/services/web/target_groups/onprem");
    let aws = s.res("/services/web/target_groups/aws");
    let rule = s.res("/services/web/rule_arn");
    for want in [
        format!("rule_arn: {rule}"),
        // Availability Zone `all` (echoed by DescribeTargetHealth) is the on-prem evidence.
        format!(
            "onprem: {onprem}  # guessed: IP target 10.20.0.11 is registered with Availability Zone `all`"
        ),
        format!("aws: {aws}  # guessed: all 2 IP target(s) are inside the VPC (10.0.0.0/16)"),
        "kind: onprem  # guessed: on-prem:".to_string(),
        "web:  # guessed: name from the rule's host header `web.example.com`".to_string(),
        "default:  # guessed: name the listener's default action".to_string(),
        "# no rule_arn: the listener's default action".to_string(),
        "      onprem: 40\n      aws: 60\n".to_string(),
        "      onprem: 30\n      aws: 70\n".to_string(),
        "failover:\n  from: onprem\n  to: aws".to_string(),
    ] {
        assert!(text.contains(&want), "no `{want}` in\n{text}");
    }
    // The draft is a working topology file.
    let v = s
        .account
        .hybridctl()
        .args(["-c", &out_file, "validate"])
        .output()
        .unwrap();
    exits(&v, 0);
    let st = s
        .account
        .hybridctl()
        .args(["-c", &out_file, "status", "-o", "json"])
        .output()
        .unwrap();
    exits(&st, 0);
    let doc = json_of(&st);
    let names: Vec<&str> = doc["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["web", "default"], "{doc}");
    // The same --rule-arn twice is one service (two services on one rule would not validate).
    let out = init(
        &s,
        &[
            "--listener-arn",
            &listener,
            "--rule-arn",
            &rule,
            "--rule-arn",
            &rule,
            "--vpc-cidr",
            "10.0.0.0/16",
        ],
    );
    exits(&out, 0);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("rule_arn: ").count(), 1, "{text}");
}

#[test]
fn without_out_the_draft_is_on_stdout_and_json_reports_every_guess() {
    let s = Account::new().seed_with(json!({"services": 1, "listener_service": true}));
    let listener = s.res("/services/api/listener_arn");
    let out = init(
        &s,
        &["--listener-arn", &listener, "--vpc-cidr", "10.0.0.0/16"],
    );
    exits(&out, 0);
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(
        text.starts_with("# Draft written by `hybridctl init` from listener"),
        "{text}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("service default: the listener's default action"),
        "{stderr}"
    );

    let out = init(
        &s,
        &[
            "--listener-arn",
            &listener,
            "--vpc-cidr",
            "10.0.0.0/16",
            "-o",
            "json",
        ],
    );
    exits(&out, 0);
    let doc = json_of(&out);
    assert_eq!(doc["schema"], "hybridctl.init/v1");
    assert_eq!(doc["valid"], true);
    assert_eq!(doc["topology"].as_str(), Some(text.as_str()));
    let groups = &doc["services"][0]["target_groups"];
    assert_eq!(groups[0]["class"], "onprem", "{doc}");
    assert_eq!(
        groups[0]["arn"],
        s.res("/services/api/target_groups/onprem")
    );
    assert_eq!(groups[1]["class"], "aws", "{doc}");
    assert_eq!(groups[1]["weight"], 60);
}

#[test]
fn a_listener_without_a_weighted_forward_is_a_clear_error_and_writes_nothing() {
    let s = Account::new().seed(1);
    let single = forward(&[(s.res("/services/web/target_groups/aws"), 1)]);
    let listener = rt()
        .block_on(
            s.context()
                .elbv2()
                .create_listener()
                .load_balancer_arn(s.res("/alb"))
                .protocol(ProtocolEnum::Http)
                .port(9090)
                .default_actions(single)
                .send(),
        )
        .unwrap()
        .listeners()[0]
        .listener_arn()
        .unwrap()
        .to_string();
    let out_file = draft_path(&s);
    let out = init(&s, &["--listener-arn", &listener, "--out", &out_file]);
    exits(&out, 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "error: listener {listener} has no weighted forward: neither its default action nor any of its 0 rule(s)"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: hybridctl shifts weights"),
        "{stderr}"
    );
    assert!(!Path::new(&out_file).exists());
    // A named rule that is not weighted is named too.
    let rule = s.res("/services/web/rule_arn");
    rt().block_on(
        s.context()
            .elbv2()
            .modify_rule()
            .rule_arn(&rule)
            .actions(forward(&[(s.res("/services/web/target_groups/aws"), 1)]))
            .send(),
    )
    .unwrap();
    let out = init(
        &s,
        &["--listener-arn", &s.res("/listener"), "--rule-arn", &rule],
    );
    exits(&out, 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("error: rule {rule} has no weighted forward")),
        "{stderr}"
    );
}

#[test]
fn an_existing_output_file_is_refused_untouched_and_replaced_only_with_force() {
    let s = Account::new().seed(1);
    let out_file = draft_path(&s);
    std::fs::write(&out_file, "keep me\n").unwrap();
    s.account.reset_calls();
    let listener = s.res("/listener");
    let out = init(&s, &["--listener-arn", &listener, "--out", &out_file]);
    exits(&out, 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("draft.yaml exists; nothing was written"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: pass --force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "keep me\n");
    assert!(s.account.calls().is_empty(), "refused before any AWS call");
    let out = init(
        &s,
        &[
            "--listener-arn",
            &listener,
            "--vpc-cidr",
            "10.0.0.0/16",
            "--out",
            &out_file,
            "--force",
        ],
    );
    exits(&out, 0);
    let text = std::fs::read_to_string(&out_file).unwrap();
    assert!(text.contains("version: 1"), "{text}");
    let files: Vec<_> = std::fs::read_dir(s.account.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("draft"))
        .collect();
    assert_eq!(files, ["draft.yaml"], "no temp file left");
    // --force replaces a file, never a fifo, a directory or a link (as root, a device).
    let fifo = s.account.dir.path().join("draft.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let link = s.account.dir.path().join("draft.link");
    std::os::unix::fs::symlink(&out_file, &link).unwrap();
    for target in [&fifo, &link, &s.account.dir.path().to_path_buf()] {
        let out = init(
            &s,
            &[
                "--listener-arn",
                &listener,
                "--vpc-cidr",
                "10.0.0.0/16",
                "--out",
                target.to_str().unwrap(),
                "--force",
            ],
        );
        exits(&out, 2);
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("is not a regular file"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_forward_with_every_weight_0_is_refused_naming_the_listener_not_a_file_never_written() {
    let s = Account::new().seed(1);
    let listener = s.res("/listener");
    let groups = [
        (s.res("/services/web/target_groups/onprem"), 0),
        (s.res("/services/web/target_groups/aws"), 0),
    ];
    rt().block_on(
        s.context()
            .elbv2()
            .modify_listener()
            .listener_arn(&listener)
            .default_actions(forward(&groups))
            .send(),
    )
    .unwrap();
    let out_file = draft_path(&s);
    for out_args in [&["--out", out_file.as_str()][..], &[]] {
        let mut args = vec![
            "--listener-arn",
            listener.as_str(),
            "--vpc-cidr",
            "10.0.0.0/16",
        ];
        args.extend_from_slice(out_args);
        let out = init(&s, &args);
        exits(&out, 2);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "error: the default action of listener {listener} forwards to 2 target groups, every one with weight 0"
            )),
            "{stderr}"
        );
        assert!(stderr.contains("hint: "), "{stderr}");
        for never_written in ["draft.yaml", "<stdout>", "hybridctl.yaml"] {
            assert!(
                !stderr.contains(never_written),
                "{never_written} in {stderr}"
            );
        }
        assert!(out.stdout.is_empty());
        assert!(!Path::new(&out_file).exists());
    }
}

#[test]
fn without_cidr_blocks_the_other_group_of_an_on_prem_one_in_zone_all_is_the_aws_site() {
    let s = Account::new().seed(1);
    weighted_default(&s);
    // No --vpc-cidr, and the caller may not read the VPC: said, and init goes on.
    s.account.ctl(
        "faults",
        json!({"operation": "DescribeVpcs", "kind": "denied", "count": -1}),
    );
    let out_file = draft_path(&s);
    let listener = s.res("/listener");
    let out = init(&s, &["--listener-arn", &listener, "--out", &out_file]);
    exits(&out, 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("could not be told apart"), "{stderr}");
    assert!(
        stderr.contains("could not be read") && stderr.contains("pass --vpc-cidr"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&out_file).unwrap();
    let onprem = s.res("/services/web/target_groups/onprem");
    let aws = s.res("/services/web/target_groups/aws");
    let onprem_name = onprem.split('/').nth(1).unwrap();
    let by_elimination = format!(
        "the other target group of its forward, {onprem_name}, is on-prem, so of the two this is the AWS one (pass --vpc-cidr to check)"
    );
    for want in [
        format!(
            "onprem: {onprem}  # guessed: IP target 10.20.0.11 is registered with Availability Zone `all`"
        ),
        format!("aws: {aws}  # guessed: {by_elimination}"),
        format!("kind: aws  # guessed: AWS: {by_elimination}"),
        "failover:\n  from: onprem\n  to: aws".to_string(),
    ] {
        assert!(text.contains(&want), "no `{want}` in\n{text}");
    }
    assert!(!text.contains("unknown"), "{text}");
    let v = s
        .account
        .hybridctl()
        .args(["-c", &out_file, "validate"])
        .output()
        .unwrap();
    exits(&v, 0);
    let out = init(&s, &["--listener-arn", &listener, "-o", "json"]);
    exits(&out, 0);
    let doc = json_of(&out);
    for svc in doc["services"].as_array().unwrap() {
        let classes: Vec<&str> = svc["target_groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["class"].as_str().unwrap())
            .collect();
        assert_eq!(classes, ["onprem", "aws"], "{doc}");
    }
    assert_eq!(doc["vpc_cidrs"], json!([]), "{doc}");
}

#[test]
fn without_vpc_cidr_init_reads_the_load_balancers_vpc_blocks_itself() {
    let s = Account::new().seed(1);
    weighted_default(&s);
    s.account.reset_calls();
    let listener = s.res("/listener");
    let out = init(&s, &["--listener-arn", &listener, "-o", "json"]);
    exits(&out, 0);
    let doc = json_of(&out);
    assert_eq!(doc["vpc_cidrs"], json!(["10.0.0.0/16"]), "{doc}");
    assert_eq!(
        s.account.calls().get("ec2:DescribeVpcs").copied(),
        Some(1),
        "{:?}",
        s.account.calls()
    );
    let groups = doc["services"][0]["target_groups"].as_array().unwrap();
    let aws = groups.iter().find(|g| g["site"] == "aws").unwrap();
    assert_eq!(aws["class"], "aws", "{doc}");
    let why = aws["why"].as_str().unwrap();
    assert!(
        why.contains("10.0.0.0/16"),
        "classified by the VPC's block: {why}"
    );
    // --vpc-cidr overrides: no EC2 call.
    s.account.reset_calls();
    let out = init(
        &s,
        &[
            "--listener-arn",
            &listener,
            "--vpc-cidr",
            "10.0.0.0/16",
            "-o",
            "json",
        ],
    );
    exits(&out, 0);
    assert_eq!(s.account.calls().get("ec2:DescribeVpcs"), None);
}
