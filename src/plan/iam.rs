//! `hybridctl iam-policy`, pure: the one table of which AWS operations each command calls,
//! what resources IAM lets a policy name for each, and the least-privilege policy built from
//! a topology.
//!
//! Resource types and condition keys follow the Service Authorization Reference (see
//! docs/iam.md). The table is checked against the code twice: a unit test scans src/aws/*.rs
//! for SDK calls, and an integration test runs each command against the lab and compares its
//! calls (the lab's counter) with the policy for that command.

use serde::Serialize;
use serde_json::{Value, json};

use crate::topology::Topology;

pub use resources::Scope;

/// One IAM action (`service:Operation`; the operation is the API name) and its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Op {
    pub action: &'static str,
    pub scope: Scope,
}

const fn op(action: &'static str, scope: Scope) -> Op {
    Op { action, scope }
}

/// A command (as `iam-policy` takes it), the commands whose operations it also needs, and its
/// own operations.
#[derive(Debug)]
pub struct CommandOps {
    pub name: &'static str,
    pub includes: &'static [&'static str],
    pub ops: &'static [Op],
}

use Scope::*;

const TRAFFIC_READS: &[Op] = &[
    op("elasticloadbalancing:DescribeRules", Any),
    op("elasticloadbalancing:DescribeListeners", Any),
    op("elasticloadbalancing:DescribeTargetHealth", Any),
    op("elasticloadbalancing:DescribeTags", Any),
    op("cloudwatch:DescribeAlarms", Alarm),
    op("cloudwatch:GetMetricData", Any),
    op("dms:DescribeReplicationTasks", Any),
];

const TRAFFIC_WRITES: &[Op] = &[
    op("elasticloadbalancing:ModifyRule", Rules),
    op("elasticloadbalancing:ModifyListener", Listeners),
    op("elasticloadbalancing:AddTags", TagLastChange),
];

const LEASE: &[Op] = &[
    op("dynamodb:GetItem", CoordinationTable),
    op("dynamodb:PutItem", CoordinationTable),
    op("dynamodb:UpdateItem", CoordinationTable),
];

/// THE table: command -> AWS operations. Internal groups start with `_`.
pub const COMMANDS: &[CommandOps] = &[
    CommandOps {
        name: "_traffic-reads",
        includes: &[],
        ops: TRAFFIC_READS,
    },
    CommandOps {
        name: "_traffic-writes",
        includes: &[],
        ops: TRAFFIC_WRITES,
    },
    CommandOps {
        name: "_lease",
        includes: &[],
        ops: LEASE,
    },
    CommandOps {
        name: "status",
        includes: &["_traffic-reads"],
        ops: &[
            op("rds:DescribeDBInstances", DbInstance),
            op("route53:ListResourceRecordSets", HostedZone),
        ],
    },
    CommandOps {
        name: "shift-traffic",
        includes: &["_traffic-reads", "_traffic-writes", "_lease"],
        ops: &[],
    },
    CommandOps {
        name: "failover",
        includes: &["_traffic-reads", "_traffic-writes", "_lease"],
        ops: &[],
    },
    CommandOps {
        name: "failback",
        includes: &["_traffic-reads", "_traffic-writes", "_lease"],
        ops: &[],
    },
    CommandOps {
        name: "dms-check-binlog",
        includes: &[],
        ops: &[
            op("dms:DescribeReplicationTasks", Any),
            op("dms:DescribeEndpoints", Any),
            op("dms:DescribeReplicationInstances", Any),
            op("dms:DescribeConnections", Any),
            op("rds:DescribeDBInstances", DbInstance),
            op("rds:DescribeDBClusters", DbCluster),
            op("rds:DescribeDBParameters", DbParameterGroups),
            op("rds:DescribeDBClusterParameters", ClusterParameterGroups),
        ],
    },
    CommandOps {
        name: "dr-status",
        includes: &[],
        ops: &[
            op("route53:ListResourceRecordSets", HostedZone),
            op("route53:GetHealthCheckStatus", HealthChecks),
            op("elasticloadbalancing:DescribeTargetHealth", Any),
        ],
    },
    CommandOps {
        name: "dr-provision",
        includes: &["dr-status", "_lease"],
        ops: &[
            op("route53:ChangeResourceRecordSets", RecordUpsert),
            op("route53:GetChange", Changes),
        ],
    },
    CommandOps {
        name: "dr-failback",
        includes: &["dr-status", "_lease"],
        ops: &[
            op("route53:ChangeResourceRecordSets", RecordUpsert),
            op("route53:GetChange", Changes),
        ],
    },
    CommandOps {
        name: "lease-status",
        includes: &[],
        ops: &[op("dynamodb:Query", CoordinationTable)],
    },
    CommandOps {
        name: "lease-break",
        includes: &["_lease"],
        ops: &[],
    },
    CommandOps {
        name: "history",
        includes: &[],
        ops: &[op("dynamodb:Query", CoordinationTable)],
    },
    CommandOps {
        name: "init",
        includes: &[],
        ops: &[
            op("elasticloadbalancing:DescribeListeners", Any),
            op("elasticloadbalancing:DescribeRules", Any),
            op("elasticloadbalancing:DescribeTargetGroups", Any),
            op("elasticloadbalancing:DescribeTargetHealth", Any),
            op("elasticloadbalancing:DescribeLoadBalancers", Any),
        ],
    },
    // Commands arriving from other branches: their operations are these commands'.
    CommandOps {
        name: "watch",
        includes: &["status", "failover", "failback", "lease-status"],
        ops: &[],
    },
    CommandOps {
        name: "lambda",
        includes: &["watch"],
        ops: &[],
    },
    CommandOps {
        name: "overflow",
        includes: &["status", "shift-traffic"],
        ops: &[],
    },
];

/// The public command names, in the table's order.
pub fn command_names() -> Vec<&'static str> {
    COMMANDS
        .iter()
        .map(|c| c.name)
        .filter(|n| !n.starts_with('_'))
        .collect()
}

/// `dms check-binlog`, `dms-check-binlog` and `DMS  check-binlog` are one name.
pub fn normalize(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .to_ascii_lowercase()
}

/// Every operation `name` needs, with its includes, each action once, in table order.
pub fn ops_of(name: &str) -> Option<Vec<Op>> {
    let c = COMMANDS.iter().find(|c| c.name == name)?;
    let mut out: Vec<Op> = Vec::new();
    for inc in c.includes {
        for o in ops_of(inc).expect("includes name commands in the table") {
            if !out.iter().any(|x| x.action == o.action) {
                out.push(o);
            }
        }
    }
    for o in c.ops {
        if !out.iter().any(|x| x.action == o.action) {
            out.push(*o);
        }
    }
    Some(out)
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
            if !ops.iter().any(|x| x.action == o.action) {
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
