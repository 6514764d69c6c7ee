//! The DR runbook, planned without I/O: which named stage Route 53 is in, whether a stage can
//! be applied to the records the zone has, and the steps of a provision given what is done.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::aws::route53::WeightedRecord;
use crate::topology::Stage;

/// The stages every dr section names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StageName {
    Normal,
    Building,
    Recovered,
}

impl StageName {
    pub fn as_str(self) -> &'static str {
        match self {
            StageName::Normal => "normal",
            StageName::Building => "building",
            StageName::Recovered => "recovered",
        }
    }

    pub fn of(name: &str) -> Option<StageName> {
        [StageName::Normal, StageName::Building, StageName::Recovered]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// The steps of `dr provision`, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProvisionStep {
    Building,
    Terraform,
    Ready,
    Recovered,
}

impl ProvisionStep {
    pub const ALL: [ProvisionStep; 4] = [
        ProvisionStep::Building,
        ProvisionStep::Terraform,
        ProvisionStep::Ready,
        ProvisionStep::Recovered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProvisionStep::Building => "building",
            ProvisionStep::Terraform => "terraform",
            ProvisionStep::Ready => "ready",
            ProvisionStep::Recovered => "recovered",
        }
    }
}

/// What a provision has done so far (`dr-state.json` next to the journal).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ProvisionState {
    pub started: Option<String>,
    pub done: Vec<ProvisionStep>,
    pub last_error: Option<String>,
    pub finished: bool,
}

/// What a (resumed) provision does with a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resume {
    Run,
    /// The live records already show the step's target: never rewritten.
    Live,
    /// A later step's target is live: rewriting this one would undo it.
    Superseded,
    /// The state file says an earlier run did it (Terraform).
    DoneEarlier,
}

/// The provision plan from the live stage and the state file: resume starts from what the
/// live records show, whatever the state file says (it may lag a write by a crash).
pub fn resume(live: Option<StageName>, done: &[ProvisionStep]) -> Vec<(ProvisionStep, Resume)> {
    let recovered = live == Some(StageName::Recovered);
    ProvisionStep::ALL
        .into_iter()
        .map(|step| {
            let r = match step {
                ProvisionStep::Building if live == Some(StageName::Building) => Resume::Live,
                ProvisionStep::Building | ProvisionStep::Ready if recovered => Resume::Superseded,
                ProvisionStep::Recovered if recovered => Resume::Live,
                ProvisionStep::Terraform if done.contains(&step) => Resume::DoneEarlier,
                _ => Resume::Run,
            };
            (step, r)
        })
        .collect()
}

/// The named stage the records carry, if any.
pub fn live_stage(stages: &[Stage], records: &[WeightedRecord]) -> Option<StageName> {
    stage_of(stages, records).and_then(|s| StageName::of(&s.name))
}

/// The stage whose weights the records carry exactly, if any.
pub fn stage_of<'a>(stages: &'a [Stage], records: &[WeightedRecord]) -> Option<&'a Stage> {
    stages.iter().find(|s| matches(s, records))
}

/// The records carry exactly this stage's weights.
pub fn matches(stage: &Stage, records: &[WeightedRecord]) -> bool {
    stage
        .weights
        .iter()
        .all(|(id, w)| records.iter().any(|r| r.is(id, i64::from(*w))))
}

/// Every record is weighted and named, and the zone has every set identifier the stages name.
pub fn check_records(
    stages: &[Stage],
    records: &[WeightedRecord],
    record: &str,
    zone: &str,
) -> Result<(), String> {
    if records.is_empty() {
        return Err(format!(
            "zone {zone} has no records named {record} of the configured type"
        ));
    }
    if let Some(r) = records
        .iter()
        .find(|r| r.set_identifier.is_none() || r.weight.is_none())
    {
        let what = match r.set_identifier {
            None => "without a SetIdentifier",
            Some(_) => "without a weight",
        };
        return Err(format!(
            "{record} has a record {what} ({}): hybridctl only moves weighted records",
            r.set_identifier.as_deref().unwrap_or("unnamed")
        ));
    }
    for s in stages {
        for (id, _) in &s.weights {
            if !records
                .iter()
                .any(|r| r.set_identifier.as_deref() == Some(id))
            {
                let have: Vec<&str> = records.iter().map(WeightedRecord::name).collect();
                return Err(format!(
                    "stage {} names set identifier {id}, which {record} in zone {zone} does not have (it has: {})",
                    s.name,
                    have.join(", ")
                ));
            }
        }
    }
    Ok(())
}

/// The stage would send all traffic to records whose health checks fail (records without a
/// health check count as healthy). `healthy` maps set identifier -> health.
pub fn all_weight_unhealthy(stage: &Stage, healthy: &HashMap<String, bool>) -> bool {
    let weighted: Vec<&String> = stage
        .weights
        .iter()
        .filter(|(_, w)| *w > 0)
        .map(|(id, _)| id)
        .collect();
    !weighted.is_empty() && weighted.iter().all(|id| healthy.get(*id) == Some(&false))
}

/// The set identifier that carries the most weight in a stage (the one whose health matters).
pub fn main_record(stage: &Stage) -> Option<&str> {
    stage
        .weights
        .iter()
        .max_by_key(|(_, w)| *w)
        .map(|(id, _)| id.as_str())
}

pub fn weights_of(stage: &Stage) -> HashMap<String, i64> {
    stage
        .weights
        .iter()
        .map(|(id, w)| (id.clone(), i64::from(*w)))
        .collect()
}

pub fn format_stage(stage: &Stage) -> String {
    stage
        .weights
        .iter()
        .map(|(id, w)| format!("{id} {w}"))
        .collect::<Vec<_>>()
        .join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_starts_from_the_live_stage() {
        use ProvisionStep as P;
        use Resume::*;
        use StageName as S;
        let table: [(Option<S>, &[P], [Resume; 4]); 7] = [
            (Some(S::Normal), &[], [Run, Run, Run, Run]),
            (None, &[], [Run, Run, Run, Run]),
            (Some(S::Building), &[P::Building], [Live, Run, Run, Run]),
            (Some(S::Building), &[], [Live, Run, Run, Run]),
            (
                Some(S::Building),
                &[P::Building, P::Terraform],
                [Live, DoneEarlier, Run, Run],
            ),
            // Killed after the recovered write, before the state file recorded it.
            (
                Some(S::Recovered),
                &[P::Building, P::Terraform, P::Ready],
                [Superseded, DoneEarlier, Superseded, Live],
            ),
            // The state file lost: the live stage still rules.
            (Some(S::Recovered), &[], [Superseded, Run, Superseded, Live]),
        ];
        for (live, done, want) in table {
            let got: Vec<Resume> = resume(live, done).into_iter().map(|(_, r)| r).collect();
            assert_eq!(got, want, "live {live:?}, done {done:?}");
        }
    }

    fn rec(id: &str, w: i64) -> WeightedRecord {
        WeightedRecord {
            set_identifier: Some(id.into()),
            weight: Some(w),
            ttl: Some(60),
            health_check_id: None,
            raw: aws_sdk_route53::types::ResourceRecordSet::builder()
                .name("ticket.example.com.")
                .r#type(aws_sdk_route53::types::RrType::A)
                .build()
                .unwrap(),
        }
    }

    fn stage(name: &str, w: &[(&str, u8)]) -> Stage {
        Stage {
            name: name.into(),
            weights: w.iter().map(|(i, v)| (i.to_string(), *v)).collect(),
        }
    }

    #[test]
    fn stages_match_by_weights() {
        let stages = [
            stage("normal", &[("prod", 100), ("dr", 0)]),
            stage("building", &[("prod", 0), ("dr", 100)]),
        ];
        assert_eq!(
            stage_of(&stages, &[rec("prod", 100), rec("dr", 0)]).map(|s| s.name.as_str()),
            Some("normal")
        );
        assert_eq!(
            stage_of(&stages, &[rec("prod", 0), rec("dr", 100)]).map(|s| s.name.as_str()),
            Some("building")
        );
        assert!(stage_of(&stages, &[rec("prod", 50), rec("dr", 50)]).is_none());
    }

    #[test]
    fn records_are_checked_against_the_stages() {
        let stages = [stage("normal", &[("prod", 100), ("dr", 0)])];
        assert!(check_records(&stages, &[rec("prod", 1), rec("dr", 0)], "r.", "Z").is_ok());
        let e = check_records(&stages, &[rec("prod", 1)], "r.", "Z").unwrap_err();
        assert!(
            e.contains("names set identifier dr, which r. in zone Z does not have"),
            "{e}"
        );
        let no_weight = WeightedRecord {
            weight: None,
            ..rec("dr", 0)
        };
        let e = check_records(&stages, &[rec("prod", 1), no_weight], "r.", "Z").unwrap_err();
        assert!(e.contains("without a weight"), "{e}");
        let no_id = WeightedRecord {
            set_identifier: None,
            ..rec("prod", 1)
        };
        let e = check_records(&stages, &[no_id], "r.", "Z").unwrap_err();
        assert!(e.contains("without a SetIdentifier"), "{e}");
        assert!(check_records(&stages, &[], "r.", "Z").is_err());
    }

    #[test]
    fn unhealthy_destinations() {
        let s = stage("building", &[("prod", 0), ("ecs", 100)]);
        let h = |pairs: &[(&str, bool)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect::<HashMap<_, _>>()
        };
        assert!(all_weight_unhealthy(
            &s,
            &h(&[("ecs", false), ("prod", true)])
        ));
        assert!(!all_weight_unhealthy(&s, &h(&[("ecs", true)])));
        assert!(
            !all_weight_unhealthy(&s, &h(&[])),
            "no health check counts as healthy"
        );
        assert_eq!(main_record(&s), Some("ecs"));
    }
}
