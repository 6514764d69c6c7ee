//! The kinds of value the topology file holds, each with its check (used by `validate`) and its
//! JSON Schema (used by `schema.rs` through `#[schemars(with = ...)]` on the wire structs), side
//! by side so that the schema says what `validate` accepts: names, ARNs, regions, durations,
//! whole numbers in range (also quoted, as the loader takes `"30"`), enums, maps of sites.
//!
//! What JSON Schema cannot say (cross-references such as a weight's site being declared,
//! comparisons such as `below < above` or duration ranges, the credential scan) is listed in
//! README.md (the topology file) and in tests/schema.rs, which checks schema and `validate` agree.

use std::borrow::Cow;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Value, json};

use super::arn::{self, Expect};

/// Site, service and DR stage names: letters, digits, `-`, `_`, starting with a letter or digit.
pub const NAME: &str = "^[A-Za-z0-9][A-Za-z0-9_-]*$";

pub fn is_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// An environment variable name: letters, digits and `_`, not starting with a digit.
pub const ENV_NAME: &str = "^[A-Za-z_][A-Za-z0-9_]*$";

pub fn is_env_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|ch| ch.is_ascii_alphabetic() || ch == '_')
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

/// DynamoDB table names: 3..255 of `a-z A-Z 0-9 _ - .`.
pub const TABLE_NAME: &str = "^[A-Za-z0-9_.-]{3,255}$";

pub fn is_table_name(t: &str) -> bool {
    (3..=255).contains(&t.len())
        && t.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-' | '.'))
}

/// `watch.listen`: an IP address (no host name: nothing is resolved) and a port. The IPv4 form
/// is exact; IPv6 inside brackets is checked by its characters here and fully by
/// [`listen_address`].
pub const LISTEN_ADDRESS: &str = concat!(
    "^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}",
    "|\\[[0-9A-Fa-f:.]+\\])",
    ":(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}|0)$"
);

/// `watch.listen` (and `watch --listen`) as a socket address.
pub fn listen_address(text: &str) -> Result<std::net::SocketAddr, String> {
    text.parse().map_err(|_| {
        format!(
            "expected IP:PORT (an IPv4 address or [IPv6] and a port 0..65535, e.g. 127.0.0.1:9464), found `{text}`"
        )
    })
}

/// Text that is not blank (`trim().is_empty()` is refused).
/// A drill window, UTC: `Day:HH:MM-Day:HH:MM`.
pub const DRILL_WINDOW: &str = "^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun):(?:[01][0-9]|2[0-3]):[0-5][0-9]-(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun):(?:[01][0-9]|2[0-3]):[0-5][0-9]$";

/// A UTC date: `YYYY-MM-DD`.
/// `YYYY-MM-DD`; the loader trims the text around it.
pub const DRILL_DATE: &str = "^\\s*[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])\\s*$";

pub const NOT_BLANK: &str = "\\S";

/// The longest CloudWatch alarm name, in characters.
pub const MAX_ALARM_NAME: usize = 255;

/// Headers that carry credentials: they would sit in the file in clear.
pub const SECRET_HEADERS: [&str; 3] = ["authorization", "proxy-authorization", "cookie"];

/// Headers that frame, encode or route the request: the HTTP client sets them, and one from the
/// file would break the request (an empty query body, bytes left on a kept-alive connection, a
/// gzip answer the client does not decode) or send it to another virtual host.
pub const PROTOCOL_HEADERS: [&str; 14] = [
    "host",
    "content-length",
    "transfer-encoding",
    "content-type",
    "content-encoding",
    "accept-encoding",
    "range",
    "connection",
    "proxy-connection",
    "keep-alive",
    "upgrade",
    "te",
    "trailer",
    "expect",
];

/// RFC 9110 `tchar`.
pub fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// A schema-only type: what a wire field holds, for `#[schemars(with = "...")]`.
macro_rules! schema_type {
    ($(#[$doc:meta])* $name:ident, $schema:expr) => {
        $(#[$doc])*
        pub struct $name;
        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                Schema::try_from($schema).expect("a schema object")
            }
        }
    };
}

fn text(pattern: impl Into<String>) -> Value {
    json!({ "type": "string", "pattern": pattern.into() })
}

/// The types whose YAML text a free-text key takes: the loader reads `12345` or `true` there as
/// the text it is written as.
pub const TEXT_TYPES: [&str; 3] = ["string", "number", "boolean"];

/// Free text, as a number or true/false is also read (a pattern applies to strings only).
fn free_text(pattern: &str) -> Value {
    json!({ "type": TEXT_TYPES, "pattern": pattern })
}

/// `Scalar` as a whole number in `LO..=HI`: a YAML integer, or text `str::parse` reads as one.
pub struct Whole<const LO: i64, const HI: i64>;

impl<const LO: i64, const HI: i64> JsonSchema for Whole<LO, HI> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        format!("Whole_{LO}_{HI}").into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["integer", "string"],
            "minimum": LO,
            "maximum": HI,
            "pattern": crate::pattern::whole_number(LO, HI),
        })
    }
}

schema_type!(
    /// `Scalar` as true/false (also the text `"true"`, `"false"`).
    Flag,
    json!({ "type": ["boolean", "string"], "enum": [true, false, "true", "false"] })
);
schema_type!(
    /// `Scalar` that may only be true (`self_managed`: false says nothing).
    OnlyTrue,
    json!({ "type": ["boolean", "string"], "enum": [true, "true"] })
);
schema_type!(
    /// `Scalar` as a number, whole or with a fraction (also text that reads as one).
    Number,
    json!({ "type": ["number", "string"], "pattern": crate::pattern::DECIMAL })
);
schema_type!(
    /// `capacity.*.headroom`: a number 1 to 10 (also text that reads as one).
    Headroom,
    json!({ "type": ["number", "string"], "minimum": 1, "maximum": 10, "pattern": crate::pattern::DECIMAL })
);
schema_type!(
    /// `Scalar` as a number 0 to 1 (also text that reads as one).
    Rate,
    json!({ "type": ["number", "string"], "minimum": 0, "maximum": 1, "pattern": crate::pattern::DECIMAL })
);
schema_type!(
    /// `Scalar` as a number above 0 (also text that reads as one).
    PositiveNumber,
    json!({ "type": ["number", "string"], "exclusiveMinimum": 0, "pattern": crate::pattern::DECIMAL })
);
schema_type!(ListenerArn, text(Expect::Listener.pattern()));
schema_type!(RuleArn, text(Expect::ListenerRule.pattern()));
schema_type!(TargetGroupArn, text(Expect::TargetGroup.pattern()));
schema_type!(DmsTaskArn, text(Expect::DmsTask.pattern()));
schema_type!(EcsServiceArn, text(Expect::EcsService.pattern()));
schema_type!(
    /// An EC2 Auto Scaling group's name: 1 to 255 characters, no control characters.
    AsgName,
    json!({ "type": TEXT_TYPES, "pattern": "^[^\\u0000-\\u001f]{1,255}$" })
);
schema_type!(
    ScaleBack,
    json!({ "type": "string", "enum": ["restore", "keep"] })
);
schema_type!(Region, text(format!("^{}$", arn::region_pattern())));
schema_type!(Duration, text(crate::duration::pattern()));
schema_type!(
    /// `drill.schedule.every`: a duration, or whole days (`7d`).
    DrillEvery,
    text(format!("^\\s*0*[0-9]+d\\s*$|{}", crate::duration::pattern()))
);
schema_type!(Name, text(NAME));
schema_type!(EnvName, text(ENV_NAME));
schema_type!(TableName, text(TABLE_NAME));
schema_type!(NotBlank, free_text(NOT_BLANK));
schema_type!(
    /// Any text (also a number or true/false, read as written).
    Text,
    json!({ "type": TEXT_TYPES })
);
schema_type!(
    AlarmName,
    json!({ "type": TEXT_TYPES, "minLength": 1, "maxLength": MAX_ALARM_NAME })
);
schema_type!(
    /// `aws.endpoint_url`: http(s), no `user@`, no query or fragment.
    EndpointUrl,
    text("^https?://[^/?#@]*(?:/[^?#]*)?$")
);
schema_type!(
    /// `metrics.prometheus.address`: as an endpoint, trimmed, and naming a host.
    PrometheusAddress,
    text("^\\s*https?://(?=[^?#]*\\S)[^/?#@]*(?:/[^?#]*)?$")
);
schema_type!(
    /// `replication.sql.host`: not blank, no `user@`.
    SqlHost,
    free_text("^[^@]*[^@\\s][^@]*$")
);
schema_type!(
    /// `watch.listen`: `IPv4:PORT` or `[IPv6]:PORT`, port 0..65535 (0: any free port).
    ListenAddress,
    text(LISTEN_ADDRESS)
);
schema_type!(
    SiteKind,
    json!({ "type": "string", "enum": ["onprem", "aws"] })
);
schema_type!(
    RecordType,
    json!({ "type": "string", "enum": ["A", "AAAA", "CNAME"] })
);
schema_type!(
    SinkKind,
    json!({ "type": "string", "enum": ["slack", "webhook"] })
);
schema_type!(
    Severity,
    json!({ "type": "string", "enum": ["info", "warning", "critical"] })
);
schema_type!(
    /// A drill window, UTC: `Day:HH:MM-Day:HH:MM`, days Mon..Sun.
    DrillWindow,
    text(DRILL_WINDOW)
);
schema_type!(
    /// A UTC date: `YYYY-MM-DD`.
    DrillDate,
    text(DRILL_DATE)
);
schema_type!(
    OnTimeout,
    json!({ "type": "string", "enum": ["abort", "proceed"] })
);
schema_type!(
    /// A probe URL: http(s), a host, no `user@`, no fragment.
    ProbeUrl,
    text("^https?://[^/?#@]+(?:[/?][^#]*)?$")
);
schema_type!(
    /// A status code 100..599, or a range `LO..HI` of them.
    StatusExpect,
    json!({ "anyOf": [
        Whole::<100, 599>::json_schema(&mut SchemaGenerator::default()),
        { "type": "string", "pattern": "^[1-5][0-9]{2}\\.\\.[1-5][0-9]{2}$" }
    ] })
);
schema_type!(
    OnNoData,
    json!({ "type": "string", "enum": ["hold", "normal"] })
);
schema_type!(Version, {
    let mut v = Whole::<1, 1>::json_schema(&mut SchemaGenerator::default()).to_value();
    v["description"] = json!("The file format version: 1.");
    v
});

/// A weight of 0, however written.
fn zero() -> Value {
    json!({ "anyOf": [{ "const": 0 }, { "type": "string", "pattern": "^(?:\\+?0+|-0+)$" }] })
}

schema_type!(
    /// An ALB split: site -> weight 0..999, 2 to 5 sites, not all 0.
    AlbWeights,
    json!({
        "type": "object",
        "minProperties": 2,
        "maxProperties": 5,
        "propertyNames": { "pattern": NAME },
        "additionalProperties": Whole::<0, 999>::json_schema(&mut SchemaGenerator::default()),
        "not": { "additionalProperties": zero() },
    })
);
schema_type!(
    /// A service's target groups: site -> target group ARN, 2 to 5.
    TargetGroups,
    json!({
        "type": "object",
        "minProperties": 2,
        "maxProperties": 5,
        "propertyNames": { "pattern": NAME },
        "additionalProperties": text(Expect::TargetGroup.pattern()),
    })
);
schema_type!(
    /// A record name: labels separated by single dots, none empty; a trailing dot or not.
    RecordName,
    json!({ "type": "string", "pattern": "^[^.]*[^.\\s][^.]*(?:\\.[^.]*[^.\\s][^.]*)*\\.?$" })
);
schema_type!(
    /// A dns service's weighted records: site -> SetIdentifier (1..128 characters), 2 to 5.
    SetIds,
    json!({
        "type": "object",
        "minProperties": 2,
        "maxProperties": 5,
        "propertyNames": { "pattern": NAME },
        "additionalProperties": { "type": "string", "minLength": 1, "maxLength": 128, "pattern": "\\S" },
    })
);
schema_type!(
    /// The DR stages: stage -> set identifier -> Route 53 weight 0..255.
    Stages,
    json!({
        "type": "object",
        "required": ["normal", "building", "recovered"],
        "propertyNames": { "pattern": NAME },
        "additionalProperties": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": Whole::<0, 255>::json_schema(&mut SchemaGenerator::default()),
        },
    })
);

/// Case-insensitive alternatives: `host` -> `[Hh][Oo][Ss][Tt]`.
fn any_case(words: &[&str]) -> String {
    let one = |w: &str| {
        w.chars()
            .map(|c| {
                if c.is_ascii_alphabetic() {
                    format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
                } else {
                    regex_escape(c)
                }
            })
            .collect::<String>()
    };
    let alts: Vec<String> = words.iter().map(|w| one(w)).collect();
    format!("^(?:{})$", alts.join("|"))
}

fn regex_escape(c: char) -> String {
    if "\\^$.|?*+()[]{}-".contains(c) {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

schema_type!(
    /// Prometheus request headers: HTTP names, none that carry secrets or that hybridctl sets;
    /// values without control characters.
    Headers,
    {
        let tchar: String = (0u8..128)
            .filter(|b| is_token_byte(*b))
            .map(|b| regex_escape(b as char))
            .collect();
        let refused: Vec<&str> = SECRET_HEADERS.iter().chain(&PROTOCOL_HEADERS).copied().collect();
        json!({
            "type": "object",
            "propertyNames": { "pattern": format!("^[{tchar}]+$"), "not": { "pattern": any_case(&refused) } },
            "additionalProperties": free_text("^[^\\u0000-\\u0008\\u000a-\\u001f]*$"),
        })
    }
);

/// A map keyed by names (sites, services, overflow): at least `MIN` entries, each a `T`.
pub struct Named<T, const MIN: u32>(PhantomData<T>);

impl<T: JsonSchema, const MIN: u32> JsonSchema for Named<T, MIN> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        format!("Named_{}_{MIN}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "object",
            "minProperties": MIN,
            "propertyNames": { "pattern": NAME },
            "additionalProperties": generator.subschema_for::<T>(),
        })
    }
}

/// A list of `T`.
pub struct List<T>(PhantomData<T>);

impl<T: JsonSchema> JsonSchema for List<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        format!("List_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "array", "items": generator.subschema_for::<T>() })
    }
}
