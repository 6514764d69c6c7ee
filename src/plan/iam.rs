//! `hybridctl iam-policy`, pure: the least-privilege policy built from the table of AWS
//! operations each command calls (`aws::calls::COMMANDS`, declared by the AWS layer: the one
//! source) and the resources IAM lets a policy name for each, from a topology.
//!
//! Resource types and condition keys follow the Service Authorization Reference (see
//! docs/iam.md). The table is checked against the code twice: a unit test scans src/aws/*.rs
//! for SDK calls, and an integration test runs each command against the lab and compares its
//! calls (the lab's counter) with the policy for that command.

use serde::Serialize;
use serde_json::{Value, json};

use crate::topology::Topology;

pub use crate::aws::calls::{COMMANDS, CommandOps, Op, Scope, command_names, ops_of};

/// `dms check-binlog`, `dms-check-binlog` and `DMS  check-binlog` are one name.
pub fn normalize(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .to_ascii_lowercase()
}

/// One statement: actions that share resources and conditions.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: &'static str,
    pub actions: Vec<&'static str>,
    pub resources: Vec<String>,
    pub condition: Option<Value>,
}

/// The policy, and what a reader must know about it (a scope the topology leaves unused).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub statements: Vec<Statement>,
    pub notes: Vec<String>,
}

/// The IAM policy document, its keys in the order IAM's examples use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    #[serde(rename = "Version")]
    pub version: &'static str,
    #[serde(rename = "Statement")]
    pub statement: Vec<DocStatement>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocStatement {
    #[serde(rename = "Sid")]
    pub sid: &'static str,
    #[serde(rename = "Effect")]
    pub effect: &'static str,
    #[serde(rename = "Action")]
    pub action: Vec<&'static str>,
    /// `"*"` or a list of ARNs.
    #[serde(rename = "Resource")]
    pub resource: Value,
    #[serde(rename = "Condition", skip_serializing_if = "Option::is_none")]
    pub condition: Option<Value>,
}

impl Policy {
    /// The IAM policy document.
    pub fn document(&self) -> Document {
        Document {
            version: "2012-10-17",
            statement: self
                .statements
                .iter()
                .map(|s| DocStatement {
                    sid: s.sid,
                    effect: "Allow",
                    action: s.actions.clone(),
                    resource: if s.resources == ["*"] {
                        json!("*")
                    } else {
                        json!(s.resources)
                    },
                    condition: s.condition.clone(),
                })
                .collect(),
        }
    }
}

/// The least-privilege policy for `commands` (table names, already normalized) and `topo`
/// (None: only `init`, whose operations need no ARN). Unknown names are an error listing
/// the known ones.
pub fn policy(commands: &[String], topo: Option<&Topology>) -> Result<Policy, String> {
    let mut ops: Vec<Op> = Vec::new();
    for name in commands {
        let found = (!name.starts_with('_')).then(|| ops_of(name)).flatten();
        let Some(found) = found else {
            return Err(format!(
                "`{name}` is not a command hybridctl has a policy for; known: {}",
                command_names().join(", ")
            ));
        };
        for o in found {
            // One action may be needed on two scopes (ListResourceRecordSets of the DR zone
            // and of the dns services' zones): each gets its statement.
            if !ops
                .iter()
                .any(|x| x.action == o.action && x.scope == o.scope)
            {
                ops.push(o);
            }
        }
    }
    let mut scopes: Vec<Scope> = ops.iter().map(|o| o.scope).collect();
    scopes.sort();
    scopes.dedup();
    let mut statements = Vec::new();
    let mut notes = Vec::new();
    for scope in scopes {
        let mut actions: Vec<&'static str> = ops
            .iter()
            .filter(|o| o.scope == scope)
            .map(|o| o.action)
            .collect();
        actions.sort_unstable();
        match resources::of(scope, topo) {
            Ok((sid, resources, condition)) => statements.push(Statement {
                sid,
                actions,
                resources,
                condition,
            }),
            Err(why) => notes.push(format!("left out {}: {why}", actions.join(", "))),
        }
    }
    Ok(Policy { statements, notes })
}

mod resources;

#[cfg(test)]
mod tests;
