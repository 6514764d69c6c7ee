//! `hybridctl iam-policy`: a least-privilege policy from the operation table and the
//! topology's ARNs. Offline: makes no AWS call.

use std::path::Path;

use crate::cli::IamPolicyArgs;
use crate::error::{Error, ExitStatus, Result};
use crate::plan::iam;
use crate::render::Output;
use crate::render::iam::{IAM_POLICY_SCHEMA, IamPolicyReport};

/// IAM's limit for a managed policy, in characters without whitespace.
const MANAGED_POLICY_LIMIT: usize = 6144;

pub fn run(args: &IamPolicyArgs, config: &Path, out: &Output) -> Result<ExitStatus> {
    let commands: Vec<String> = if args.commands.is_empty() {
        iam::command_names().iter().map(|s| s.to_string()).collect()
    } else {
        args.commands.iter().map(|c| iam::normalize(c)).collect()
    };
    // Fails on an unknown name before the topology is read.
    iam::policy(&commands, None).map_err(Error::usage)?;
    let topo = if commands.iter().all(|c| c == "init") {
        None
    } else {
        Some(crate::topology::load(config)?)
    };
    let policy = iam::policy(&commands, topo.as_ref()).map_err(Error::usage)?;
    let document = policy.document();
    let mut notes = policy.notes;
    let size = serde_json::to_string(&document)
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .count();
    if size > MANAGED_POLICY_LIMIT {
        notes.push(format!(
            "the policy is {size} characters, over IAM's {MANAGED_POLICY_LIMIT} for a managed policy: \
             split it by command (hybridctl iam-policy COMMAND...)"
        ));
    }
    if commands
        .iter()
        .any(|c| c.starts_with("dr-") && c != "dr-status")
    {
        notes.push(
            "Terraform (dr provision, dr failback --destroy) runs with its own permissions and its \
             backend's, which this policy does not grant (docs/iam.md)"
                .into(),
        );
    }
    let report = IamPolicyReport {
        schema: IAM_POLICY_SCHEMA,
        commands,
        policy: document,
        notes,
    };
    crate::render::iam::print(out, &report)?;
    Ok(ExitStatus::Success)
}
