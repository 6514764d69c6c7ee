//! The topology file's JSON Schema (`hybridctl generate schema`), derived from the wire structs
//! with schemars so it cannot drift from the loader: `deny_unknown_fields` becomes
//! `additionalProperties: false`, the `///` docs become descriptions, and each value's schema
//! comes from `values.rs`, next to the check `validate` makes of it.

use serde_json::{Value, json};

use super::wire::File;

/// The schema document, pretty-printed with a trailing newline (the committed
/// `hybridctl.schema.json`).
pub fn document() -> String {
    let schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<File>();
    let mut value = schema.to_value();
    null_as_absent(&mut value);
    let mut text = serde_json::to_string_pretty(&value).expect("a schema serializes");
    text.push('\n');
    text
}

/// An optional key may be `null` (`key:` with no value), which the loader takes as absent.
/// schemars says so with `anyOf: [T, {type: null}]`, which validators and editors report as
/// "not valid under any of the given schemas" at the key instead of the mistake inside T at its
/// own key path; `if null, else T` says the same and lets T's own errors through.
fn null_as_absent(v: &mut Value) {
    let Some(map) = v.as_object_mut() else {
        if let Some(list) = v.as_array_mut() {
            list.iter_mut().for_each(null_as_absent);
        }
        return;
    };
    // `#[serde(default)]` on an optional key says `default: null`: absent is the default.
    if map.get("default") == Some(&Value::Null) {
        map.remove("default");
    }
    let null = json!({ "type": "null" });
    if let Some(Value::Array(any)) = map.get("anyOf")
        && any.len() == 2
        && any[1] == null
        && let Some(inner) = map.remove("anyOf").map(|mut a| a[0].take())
    {
        map.insert("if".into(), null);
        map.insert("else".into(), inner);
    }
    map.values_mut().for_each(null_as_absent);
}
