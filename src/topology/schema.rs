//! The topology file's JSON Schema (`hybridctl generate schema`), derived from the wire structs
//! with schemars so it cannot drift from the loader: `deny_unknown_fields` becomes
//! `additionalProperties: false`, the `///` docs become descriptions. The loose [`Scalar`]
//! fields get their intended type and range here; the loader stays lenient (it also takes
//! `"30"` and `"true"`) and reports anything else with its key path.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Value, json};

use super::wire::{File, Scalar};

/// The schema document, pretty-printed with a trailing newline (the committed
/// `hybridctl.schema.json`).
pub fn document() -> String {
    // An optional key is absent, not `null`: `anyOf [X, null]` would make editors (and
    // validators) report a mistake inside X as "not valid under any of the given schemas" at
    // the parent instead of at its own key path. The loader still takes a `null` as absent.
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<File>();
    let mut value = schema.to_value();
    drop_null(&mut value);
    let mut text = serde_json::to_string_pretty(&value).expect("a schema serializes");
    text.push('\n');
    text
}

/// Rewrites schemars' `Option<T>` forms, `anyOf: [T, {type: null}]` and `type: [t, "null"]`,
/// to plain `T` and `t`, everywhere in the document.
fn drop_null(v: &mut Value) {
    let Some(map) = v.as_object_mut() else {
        if let Some(list) = v.as_array_mut() {
            list.iter_mut().for_each(drop_null);
        }
        return;
    };
    if let Some(Value::Array(types)) = map.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            map.insert("type".into(), only);
        }
    }
    let null = json!({ "type": "null" });
    if let Some(Value::Array(any)) = map.get("anyOf")
        && any.len() == 2
        && any[1] == null
        && let Some(Value::Object(inner)) = map.remove("anyOf").map(|mut a| a[0].take())
    {
        map.extend(inner);
    }
    map.values_mut().for_each(drop_null);
}

impl JsonSchema for Scalar {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Scalar".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["integer", "boolean"],
            "description": "A whole number or true/false, as the key's description says."
        })
    }
}

fn whole(min: i64, max: i64) -> serde_json::Value {
    json!({ "type": "integer", "minimum": min, "maximum": max })
}

pub fn version(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "integer", "const": 1 })
}

pub fn count(_: &mut SchemaGenerator) -> Schema {
    Schema::try_from(whole(0, 1000)).expect("an object")
}

pub fn port(_: &mut SchemaGenerator) -> Schema {
    Schema::try_from(whole(1, 65535)).expect("an object")
}

pub fn api_rate(_: &mut SchemaGenerator) -> Schema {
    Schema::try_from(whole(1, 100_000)).expect("an object")
}

pub fn flag(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "boolean" })
}

pub fn steps(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "array", "items": whole(1, 999) })
}

pub fn alb_weights(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "object", "additionalProperties": whole(0, 999) })
}

pub fn r53_stages(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "additionalProperties": { "type": "object", "additionalProperties": whole(0, 255) }
    })
}

pub fn site_kind(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": ["onprem", "aws"] })
}

pub fn record_type(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": ["A", "AAAA", "CNAME"] })
}

pub fn positive(_: &mut SchemaGenerator) -> Schema {
    Schema::try_from(whole(1, 1000)).expect("an object")
}

pub fn number(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "number" })
}

pub fn sink_kind(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": ["slack", "webhook"] })
}

pub fn severity(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": ["info", "warning", "critical"] })
}

pub fn on_no_data(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "enum": ["hold", "normal"] })
}
