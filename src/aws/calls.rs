//! Which AWS operations each command calls: the one table the AWS layer declares, beside the
//! adapters that make the calls. `iam-policy` builds its policies from it (`plan::iam`), and
//! two tests hold it to the code: `plan::iam::tests` scans these adapters for SDK calls, and
//! `tests/iam.rs` runs every command against the lab and compares the calls it made with its
//! policy.
//!
//! The groups (names starting with `_`) follow the adapters' functions: a command that calls
//! one includes its group, so a new call site names what it calls once, here.

/// What a policy may name for an action: `Any` when AWS has no resource type for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// `*`: the action has no resource-level permissions (ELBv2 Describe*, DMS Describe*,
    /// GetMetricData, ec2:DescribeVpcs).
    Any,
    /// The services' listener rules (ModifyRule).
    Rules,
    /// The listeners of services on a default action (ModifyListener).
    Listeners,
    /// Rules and default-action listeners, only hybridctl's tag key (AddTags).
    TagLastChange,
    /// The failover alarm and the drill's alarms.
    Alarm,
    /// The DR hosted zone.
    HostedZone,
    /// The DR hosted zone, only UPSERT of the DR record (ChangeResourceRecordSets).
    RecordUpsert,
    /// Route 53 health checks (their ids are read from the records at run time).
    HealthChecks,
    /// Route 53 changes (GetChange).
    Changes,
    /// The hosted zones of the dns services (`services.S.dns`).
    ServiceZones,
    /// The dns services' hosted zones, only UPSERT of their records.
    ServiceRecordUpsert,
    /// Route 53 health checks, only when a service is a dns service.
    ServiceHealthChecks,
    /// Route 53 changes, only when a service is a dns service.
    ServiceChanges,
    /// The RDS source instance (or any instance, for an Aurora writer found at run time).
    DbInstance,
    /// The Aurora source cluster.
    DbCluster,
    /// DB parameter groups (their names are read from the instance at run time).
    DbParameterGroups,
    /// DB cluster parameter groups (likewise).
    ClusterParameterGroups,
    /// The coordination table, only its `history`, `lease`, `watch` and `dr-pending`
    /// partitions.
    CoordinationTable,
    /// The ECS services named by `capacity` (UpdateService).
    EcsServices,
    /// The Auto Scaling groups named by `capacity` (UpdateAutoScalingGroup).
    AutoScalingGroups,
    /// `*`, only when `capacity` names an ECS service (Application Auto Scaling has no
    /// resource-level permissions for a target whose id AWS assigns).
    EcsAny,
    /// `*`, only when `capacity` names an Auto Scaling group (DescribeAutoScalingGroups).
    AsgAny,
}

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
    // `live::dns`: the dns services' records and their health checks.
    op("route53:ListResourceRecordSets", ServiceZones),
    op("route53:GetHealthCheckStatus", ServiceHealthChecks),
];

const TRAFFIC_WRITES: &[Op] = &[
    op("elasticloadbalancing:ModifyRule", Rules),
    op("elasticloadbalancing:ModifyListener", Listeners),
    op("elasticloadbalancing:AddTags", TagLastChange),
    // A dns service's write and its INSYNC wait (`route53::{set_weights, wait_insync}`).
    op("route53:ChangeResourceRecordSets", ServiceRecordUpsert),
    op("route53:GetChange", ServiceChanges),
];

/// `dynamodb::{acquire, renew, release, get, put_history}`: the cross-host lease and the
/// shared history.
const LEASE: &[Op] = &[
    op("dynamodb:GetItem", CoordinationTable),
    op("dynamodb:PutItem", CoordinationTable),
    op("dynamodb:UpdateItem", CoordinationTable),
];

/// `dynamodb::watch_state`: the watcher's state, which `status` shows when the file
/// configures a watcher and a coordination table.
const WATCH_STATE_READ: &[Op] = &[op("dynamodb:GetItem", CoordinationTable)];

/// `ecs::describe`, `appscaling::target`, `autoscaling::describe`: what carries an AWS site
/// (`capacity`). DescribeScalableTargets and DescribeAutoScalingGroups have no resource-level
/// permissions.
const CAPACITY_READS: &[Op] = &[
    op("ecs:DescribeServices", EcsServices),
    op("application-autoscaling:DescribeScalableTargets", EcsAny),
    op("autoscaling:DescribeAutoScalingGroups", AsgAny),
];

/// `ecs::set_desired`, `appscaling::set`, `autoscaling::set`: the capacity step, and failback's
/// give-back. A scalable target's ARN holds an id AWS assigns, unknown to the file:
/// RegisterScalableTarget is not scoped.
const CAPACITY_WRITES: &[Op] = &[
    op("ecs:UpdateService", EcsServices),
    op("application-autoscaling:RegisterScalableTarget", EcsAny),
    op("autoscaling:UpdateAutoScalingGroup", AutoScalingGroups),
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
        name: "_watch-state-read",
        includes: &[],
        ops: WATCH_STATE_READ,
    },
    CommandOps {
        name: "_capacity-reads",
        includes: &[],
        ops: CAPACITY_READS,
    },
    CommandOps {
        name: "_capacity-writes",
        includes: &["_capacity-reads"],
        ops: CAPACITY_WRITES,
    },
    CommandOps {
        name: "status",
        includes: &["_traffic-reads", "_watch-state-read", "_capacity-reads"],
        ops: &[
            op("rds:DescribeDBInstances", DbInstance),
            op("route53:ListResourceRecordSets", HostedZone),
        ],
    },
    CommandOps {
        name: "shift-traffic",
        includes: &[
            "_traffic-reads",
            "_traffic-writes",
            "_lease",
            "_capacity-writes",
        ],
        ops: &[],
    },
    CommandOps {
        name: "failover",
        includes: &[
            "_traffic-reads",
            "_traffic-writes",
            "_lease",
            "_capacity-writes",
        ],
        ops: &[],
    },
    CommandOps {
        name: "failback",
        includes: &[
            "_traffic-reads",
            "_traffic-writes",
            "_lease",
            "_capacity-writes",
        ],
        // Finding the scale-out to give back in the shared history (`dynamodb::history`).
        ops: &[op("dynamodb:Query", CoordinationTable)],
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
    // `dynamodb::{pending_drs, get_pending, answer_pending}` and the shared history.
    CommandOps {
        name: "dr-pending",
        includes: &[],
        ops: &[op("dynamodb:Query", CoordinationTable)],
    },
    CommandOps {
        name: "dr-approve",
        includes: &[],
        ops: &[
            op("dynamodb:GetItem", CoordinationTable),
            op("dynamodb:UpdateItem", CoordinationTable),
            op("dynamodb:PutItem", CoordinationTable),
        ],
    },
    CommandOps {
        name: "dr-deny",
        includes: &["dr-approve"],
        ops: &[],
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
            // `init --zone-id`: no topology yet to scope it by.
            op("route53:ListResourceRecordSets", Any),
            // `ec2::vpc_cidrs`: the load balancer VPC's blocks, unless --vpc-cidr gives them.
            op("ec2:DescribeVpcs", Any),
        ],
    },
    // Commands arriving from other branches: their operations are these commands'.
    CommandOps {
        name: "watch",
        // `dr-provision` and `dr-approve`: automatic DR (`dr.auto`) and its pending item.
        includes: &[
            "status",
            "failover",
            "failback",
            "lease-status",
            "dr-provision",
            "dr-approve",
        ],
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
    // Its shift and return are shift-traffic's; it reads the drill alarms and the receiving
    // target group's metrics, and records the drill in the watcher's state.
    CommandOps {
        name: "drill",
        includes: &["shift-traffic", "_watch-state-read"],
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

/// Every operation `name` needs, with its includes, each action once, in table order.
pub fn ops_of(name: &str) -> Option<Vec<Op>> {
    let c = COMMANDS.iter().find(|c| c.name == name)?;
    let mut out: Vec<Op> = Vec::new();
    for inc in c.includes {
        for o in ops_of(inc).expect("includes name commands in the table") {
            if !out.contains(&o) {
                out.push(o);
            }
        }
    }
    // An action may be needed on two scopes (ListResourceRecordSets of the DR zone and of the
    // dns services' zones): each is kept.
    for o in c.ops {
        if !out.contains(o) {
            out.push(*o);
        }
    }
    Some(out)
}
