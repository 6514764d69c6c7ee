//! The topology file as written: serde structs, `deny_unknown_fields` everywhere, no flatten.
//! Values are kept loose (strings, [`Scalar`]) so that semantic validation can report every
//! problem with its path and expected range instead of stopping at the first type error.

use std::fmt;

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub version: Scalar,
    #[serde(default)]
    pub aws: Aws,
    pub sites: IndexMap<String, Site>,
    pub services: IndexMap<String, Service>,
    pub failover: Option<Failover>,
    pub replication: Option<Replication>,
    pub dr: Option<Dr>,
    pub journal: Option<String>,
    pub coordination: Option<Coordination>,
    pub watch: Option<Watch>,
    pub notify: Option<Vec<Notify>>,
    pub metrics: Option<Metrics>,
    pub overflow: Option<IndexMap<String, Overflow>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Watch {
    pub interval: Option<String>,
    pub fail_after: Option<Scalar>,
    pub unknown_after: Option<Scalar>,
    pub hold: Option<String>,
    pub ok_for: Option<String>,
    pub auto_failback: Option<Scalar>,
    pub max_auto_failovers: Option<Scalar>,
    pub window: Option<String>,
}

/// One notification sink. The URL is never in the file: `url_env` names the variable.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notify {
    pub kind: String,
    pub url_env: String,
    pub min_severity: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    pub prometheus: Option<Prometheus>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prometheus {
    pub address: String,
    pub timeout: Option<String>,
    pub bearer_token_env: Option<String>,
    #[serde(default)]
    pub headers: IndexMap<String, String>,
    pub ca_file: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overflow {
    pub query: String,
    pub above: Scalar,
    pub below: Scalar,
    #[serde(rename = "for")]
    pub sustain: Option<String>,
    pub weights: IndexMap<String, Scalar>,
    pub on_no_data: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coordination {
    pub dynamodb_table: String,
    pub region: Option<String>,
    pub lease: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aws {
    pub region: Option<String>,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    pub kind: String,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub listener_arn: String,
    pub rule_arn: Option<String>,
    pub target_groups: IndexMap<String, String>,
    pub weights: IndexMap<String, Scalar>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Failover {
    pub from: String,
    pub to: String,
    pub alarm: Option<String>,
    pub min_healthy_targets: Option<Scalar>,
    pub max_cdc_latency: Option<String>,
    pub failback_steps: Option<Vec<Scalar>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replication {
    pub dms_task_arn: String,
    pub source: Source,
    pub sql: Option<Sql>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub rds_instance: Option<String>,
    pub aurora_cluster: Option<String>,
    pub self_managed: Option<Scalar>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sql {
    pub host: String,
    pub port: Option<Scalar>,
    pub user: String,
    pub password_env: String,
    pub tls: Option<Scalar>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dr {
    pub region: String,
    pub terraform: Option<Terraform>,
    pub dns: Dns,
    pub weights: IndexMap<String, IndexMap<String, Scalar>>,
    pub ready: Option<Ready>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terraform {
    pub dir: String,
    pub binary: Option<String>,
    #[serde(default)]
    pub vars: IndexMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dns {
    pub zone_id: String,
    pub record: String,
    #[serde(rename = "type")]
    pub record_type: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ready {
    pub target_group_arn: String,
    pub min_healthy_targets: Option<Scalar>,
    pub timeout: Option<String>,
}

/// A value where the file wants a whole number or a boolean, taken as found: serde's own type
/// error names neither the key nor the range, so validation decides and says both.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Int(i64),
    Bool(bool),
    /// A number with a fraction (`0.8`); only fraction-valued keys accept it.
    Float(f64),
    /// Anything else (text, a fraction, a number beyond i64, a list, a mapping), described
    /// for when the file's own spelling is not at hand.
    Other(String),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or true/false")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(i64::try_from(v).map_or_else(|_| Scalar::Other(format!("`{v}`")), Scalar::Int))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Scalar, E> {
        Ok(i64::try_from(v).map_or_else(|_| Scalar::Other(format!("`{v}`")), Scalar::Int))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Scalar, E> {
        Ok(i64::try_from(v).map_or_else(|_| Scalar::Other(format!("`{v}`")), Scalar::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }
    /// Quoted `"30"` and `"true"` were accepted before (serde-saphyr parses them for i64 and
    /// bool targets), so they still are.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(match v {
            "true" => Scalar::Bool(true),
            "false" => Scalar::Bool(false),
            _ => v.parse().map_or_else(
                |_| {
                    v.parse::<f64>()
                        .ok()
                        .filter(|f| f.is_finite())
                        .map_or_else(|| Scalar::Other(format!("`{v}`")), Scalar::Float)
                },
                Scalar::Int,
            ),
        })
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other("no value".into()))
    }
    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        Scalar::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("a list".into()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other("a mapping".into()))
    }
}
