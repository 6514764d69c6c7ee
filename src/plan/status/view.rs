//! The `hybridctl.status/v1` shape of what the AWS adapters read: alarms, the DMS task, its CDC
//! latency and the RDS source. The adapters' structs are not serialized, so renaming one of
//! their fields cannot change the public JSON; each `From` destructures the adapter struct in
//! full, so a field added there fails to compile here until someone decides whether it is public.

use serde::Serialize;

use crate::aws::cloudwatch::{Alarm, AlarmState, CdcLatency};
use crate::aws::dms::{Task, TaskStatus};
use crate::aws::rds::{Instance, ParameterApplyStatus, ParameterGroupStatus};

/// A CloudWatch alarm as `status` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlarmView {
    pub name: String,
    /// None: AWS sent no state (JSON says `UNKNOWN`).
    #[serde(serialize_with = "AlarmState::serialize_option")]
    pub state: Option<AlarmState>,
    pub reason: Option<String>,
    /// RFC 3339
    pub since: Option<String>,
}

impl AlarmView {
    /// The state as AWS spells it (`UNKNOWN` when it sent none), for people.
    pub fn state_text(&self) -> &str {
        AlarmState::text(self.state.as_ref())
    }
}

impl From<Alarm> for AlarmView {
    fn from(a: Alarm) -> Self {
        // `since_epoch` is for findings ("OK for 10m"), never in the JSON.
        let Alarm {
            name,
            state,
            reason,
            since,
            since_epoch: _,
        } = a;
        AlarmView {
            name,
            state,
            reason,
            since,
        }
    }
}

/// The DMS replication task as `status` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskView {
    pub arn: String,
    pub id: String,
    /// None: AWS sent no status (JSON says `unknown`).
    #[serde(serialize_with = "TaskStatus::serialize_option")]
    pub status: Option<TaskStatus>,
    pub stop_reason: Option<String>,
    pub last_failure_message: Option<String>,
    pub migration_type: Option<String>,
    pub source_endpoint_arn: Option<String>,
    pub replication_instance_arn: Option<String>,
    pub recovery_checkpoint: Option<String>,
}

impl TaskView {
    /// The status as AWS spells it (`unknown` when it sent none), for people.
    pub fn status_text(&self) -> &str {
        TaskStatus::text(self.status.as_ref())
    }
}

impl From<Task> for TaskView {
    fn from(t: Task) -> Self {
        let Task {
            arn,
            id,
            status,
            stop_reason,
            last_failure_message,
            migration_type,
            source_endpoint_arn,
            replication_instance_arn,
            recovery_checkpoint,
        } = t;
        TaskView {
            arn,
            id,
            status,
            stop_reason,
            last_failure_message,
            migration_type,
            source_endpoint_arn,
            replication_instance_arn,
            recovery_checkpoint,
        }
    }
}

/// The latest DMS CDC latency in seconds; None: no datapoint in the window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct CdcLatencyView {
    pub source_seconds: Option<f64>,
    pub target_seconds: Option<f64>,
}

impl From<CdcLatency> for CdcLatencyView {
    fn from(c: CdcLatency) -> Self {
        let CdcLatency {
            source_seconds,
            target_seconds,
        } = c;
        CdcLatencyView {
            source_seconds,
            target_seconds,
        }
    }
}

/// The RDS instance DMS reads from, as `status` reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceView {
    pub id: String,
    /// `DBInstanceStatus` as AWS sends it; None: not sent (JSON says `unknown`).
    #[serde(serialize_with = "unknown_if_none")]
    pub status: Option<String>,
    pub engine: String,
    pub engine_version: String,
    pub backup_retention_days: i32,
    pub parameter_groups: Vec<ParameterGroupView>,
    pub address: Option<String>,
    pub read_replica_source: Option<String>,
}

impl SourceView {
    /// The status as AWS spells it, `unknown` when it sent none, for people.
    pub fn status_text(&self) -> &str {
        self.status.as_deref().unwrap_or("unknown")
    }
}

/// JSON has always said `unknown` for an instance status AWS did not send.
fn unknown_if_none<S: serde::Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v.as_deref().unwrap_or("unknown"))
}

impl From<Instance> for SourceView {
    fn from(i: Instance) -> Self {
        let Instance {
            id,
            status,
            engine,
            engine_version,
            backup_retention_days,
            parameter_groups,
            address,
            read_replica_source,
        } = i;
        SourceView {
            id,
            status,
            engine,
            engine_version,
            backup_retention_days,
            parameter_groups: parameter_groups.into_iter().map(Into::into).collect(),
            address,
            read_replica_source,
        }
    }
}

/// One parameter group of the source instance and whether its values are in effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParameterGroupView {
    pub name: String,
    /// None: AWS sent no apply status (JSON says `unknown`).
    #[serde(serialize_with = "ParameterApplyStatus::serialize_option")]
    pub apply_status: Option<ParameterApplyStatus>,
}

impl ParameterGroupView {
    /// The apply status as AWS spells it (`unknown` when it sent none), for people.
    pub fn apply_status_text(&self) -> &str {
        ParameterApplyStatus::text(self.apply_status.as_ref())
    }
}

impl From<ParameterGroupStatus> for ParameterGroupView {
    fn from(g: ParameterGroupStatus) -> Self {
        let ParameterGroupStatus { name, apply_status } = g;
        ParameterGroupView { name, apply_status }
    }
}
