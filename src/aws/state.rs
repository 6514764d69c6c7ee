//! `aws_state!`: the enums for states AWS reports as strings (alarm, target health, DMS task
//! and connection, RDS parameter apply status).
//!
//! AWS adds values over time, so each enum keeps an unknown value as `Other(String)` instead of
//! failing. Serialization writes exactly AWS's string, so public JSON holds what AWS sent.
//! A state AWS did not send at all is `None` in an `Option`; `MISSING` is the text that case
//! has always had in JSON and tables, kept so that output does not change.

macro_rules! aws_state {
    (
        $(#[$meta:meta])*
        pub enum $name:ident (missing = $missing:literal) {
            $( $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $variant, )+
            /// A value this version of hybridctl does not know, as AWS sent it.
            Other(String),
        }

        impl $name {
            /// Every value hybridctl knows, in AWS's documented order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// What JSON and tables show when AWS sent no value.
            pub const MISSING: &'static str = $missing;

            /// AWS's string; a value not known here becomes `Other`.
            pub fn from_aws(s: &str) -> Self {
                match s {
                    $( $wire => $name::$variant, )+
                    other => $name::Other(other.to_string()),
                }
            }

            /// AWS's string for this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(s) => s,
                }
            }

            /// AWS's string, or `MISSING` when AWS sent none.
            pub fn text(v: Option<&Self>) -> &str {
                v.map_or(Self::MISSING, Self::as_str)
            }

            /// For `#[serde(serialize_with)]` on an `Option<Self>` field: AWS's string, or
            /// `MISSING` (never `null`, which the JSON schema has never carried here).
            pub fn serialize_option<S: serde::Serializer>(
                v: &Option<Self>,
                s: S,
            ) -> Result<S::Ok, S::Error> {
                s.serialize_str(Self::text(v.as_ref()))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use aws_state;

#[cfg(test)]
mod tests {
    use super::super::cloudwatch::AlarmState;
    use super::super::dms::{ConnectionStatus, TaskStatus};
    use super::super::elbv2::TargetHealthState;
    use super::super::rds::ParameterApplyStatus;

    /// Each enum's strings, written out independently of the macro input: JSON must carry
    /// exactly these (the public schema has always held AWS's strings).
    #[test]
    fn serialize_to_the_strings_aws_uses() {
        let cases: Vec<(String, &str)> = vec![
            (json(&AlarmState::Ok), "OK"),
            (json(&AlarmState::Alarm), "ALARM"),
            (json(&AlarmState::InsufficientData), "INSUFFICIENT_DATA"),
            (json(&TargetHealthState::Initial), "initial"),
            (json(&TargetHealthState::Healthy), "healthy"),
            (json(&TargetHealthState::Unhealthy), "unhealthy"),
            (
                json(&TargetHealthState::UnhealthyDraining),
                "unhealthy.draining",
            ),
            (json(&TargetHealthState::Unused), "unused"),
            (json(&TargetHealthState::Draining), "draining"),
            (json(&TargetHealthState::Unavailable), "unavailable"),
            (json(&TaskStatus::Running), "running"),
            (json(&TaskStatus::Stopped), "stopped"),
            (json(&TaskStatus::Failed), "failed"),
            (json(&TaskStatus::FailedMove), "failed-move"),
            (json(&ConnectionStatus::Successful), "successful"),
            (json(&ConnectionStatus::Testing), "testing"),
            (json(&ConnectionStatus::Failed), "failed"),
            (json(&ParameterApplyStatus::InSync), "in-sync"),
            (json(&ParameterApplyStatus::PendingReboot), "pending-reboot"),
            (
                json(&ParameterApplyStatus::PendingDatabaseUpgrade),
                "pending-database-upgrade",
            ),
            (json(&TaskStatus::Other("frobbing".into())), "frobbing"),
        ];
        for (got, want) in cases {
            assert_eq!(got, format!("\"{want}\""));
        }
    }

    fn json<T: serde::Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap()
    }

    /// `from_aws` inverts `as_str` for every known value; anything else is kept as `Other`.
    #[test]
    fn round_trip() {
        fn check<T: PartialEq + std::fmt::Debug>(
            known: &[T],
            from: fn(&str) -> T,
            to: fn(&T) -> &str,
        ) {
            for v in known {
                assert_eq!(&from(to(v)), v);
            }
        }
        check(AlarmState::KNOWN, AlarmState::from_aws, AlarmState::as_str);
        check(
            TargetHealthState::KNOWN,
            TargetHealthState::from_aws,
            TargetHealthState::as_str,
        );
        check(TaskStatus::KNOWN, TaskStatus::from_aws, TaskStatus::as_str);
        check(
            ConnectionStatus::KNOWN,
            ConnectionStatus::from_aws,
            ConnectionStatus::as_str,
        );
        check(
            ParameterApplyStatus::KNOWN,
            ParameterApplyStatus::from_aws,
            ParameterApplyStatus::as_str,
        );
        assert_eq!(
            AlarmState::from_aws("ok"),
            AlarmState::Other("ok".into()),
            "AWS's strings are case-sensitive"
        );
        assert_eq!(
            ParameterApplyStatus::from_aws("rebooting").as_str(),
            "rebooting"
        );
    }

    /// The SDK's enums list the values AWS's model documents; ours must know all of them.
    #[test]
    fn know_every_value_the_sdk_models() {
        for v in aws_sdk_cloudwatch::types::StateValue::values() {
            assert!(
                !matches!(AlarmState::from_aws(v), AlarmState::Other(_)),
                "alarm state {v}"
            );
        }
        for v in aws_sdk_elasticloadbalancingv2::types::TargetHealthStateEnum::values() {
            assert!(
                !matches!(TargetHealthState::from_aws(v), TargetHealthState::Other(_)),
                "target health state {v}"
            );
        }
    }

    /// A state AWS did not send keeps the text JSON has always shown for it.
    #[test]
    fn missing_states_keep_their_old_text() {
        #[derive(serde::Serialize)]
        struct S {
            #[serde(serialize_with = "AlarmState::serialize_option")]
            alarm: Option<AlarmState>,
            #[serde(serialize_with = "TaskStatus::serialize_option")]
            task: Option<TaskStatus>,
        }
        let none = S {
            alarm: None,
            task: None,
        };
        assert_eq!(
            serde_json::to_string(&none).unwrap(),
            r#"{"alarm":"UNKNOWN","task":"unknown"}"#
        );
        let some = S {
            alarm: Some(AlarmState::Alarm),
            task: Some(TaskStatus::Running),
        };
        assert_eq!(
            serde_json::to_string(&some).unwrap(),
            r#"{"alarm":"ALARM","task":"running"}"#
        );
    }
}
