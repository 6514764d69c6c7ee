//! A first, untyped pass over the YAML: syntax and input budgets, a key path -> location index
//! for semantic errors, and the scan that refuses credentials anywhere in the file.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

/// A YAML node with the location of every child.
#[derive(Debug)]
pub enum Tree {
    Scalar(Option<String>),
    Seq(Vec<Spanned<Tree>>),
    Map(Vec<(String, Spanned<Tree>)>),
}

/// Line and column (1-based) of every key path in the file, and each scalar as written.
#[derive(Debug, Default)]
pub struct Index {
    locations: HashMap<String, (u64, u64)>,
    /// The source text of scalar values (`thirty`, `30.5`, `"30"`), for "found ..." messages.
    written: HashMap<String, String>,
}

impl Index {
    pub fn build(root: &Spanned<Tree>, text: &str) -> Index {
        let mut index = Index::default();
        index.add("", root, text);
        index
    }

    fn add(&mut self, path: &str, node: &Spanned<Tree>, text: &str) {
        let loc = node.referenced;
        if loc.line() > 0 {
            self.locations
                .insert(path.to_string(), (loc.line(), loc.column()));
        }
        match &node.value {
            Tree::Scalar(_) => {
                let span = loc.span();
                let written = span
                    .byte_offset()
                    .zip(span.byte_len())
                    .and_then(|(at, len)| {
                        text.get(usize::try_from(at).ok()?..usize::try_from(at + len).ok()?)
                    });
                if let Some(w) = written {
                    self.written.insert(path.to_string(), w.to_string());
                }
            }
            Tree::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.add(&format!("{path}[{i}]"), item, text);
                }
            }
            Tree::Map(entries) => {
                for (key, value) in entries {
                    self.add(&join(path, key), value, text);
                }
            }
        }
    }

    /// The location of `path`, or of its nearest ancestor present in the file.
    /// Every key path's place.
    pub fn locations(&self) -> &HashMap<String, (u64, u64)> {
        &self.locations
    }

    pub fn locate(&self, path: &str) -> Option<(u64, u64)> {
        let mut p = path;
        loop {
            if let Some(loc) = self.locations.get(p) {
                return Some(*loc);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// The scalar at `path` as the file spells it; None for lists, mappings and absent keys.
    pub fn written(&self, path: &str) -> Option<&str> {
        self.written.get(path).map(String::as_str)
    }

    /// The key path of the value around `line`:`col`: on that line, the last value starting at
    /// or before it (else the line's first, as when the place is in the key); on a line without
    /// a value (a comment), the last value before it.
    pub fn path_around(&self, line: u64, col: u64) -> Option<String> {
        let located = || self.locations.iter().filter(|(p, _)| !p.is_empty());
        let on_line = located()
            .filter(|(_, at)| at.0 == line && at.1 <= col)
            .max_by_key(|(p, at)| (at.1, std::cmp::Reverse(p.len())))
            .or_else(|| {
                located()
                    .filter(|(_, at)| at.0 == line)
                    .min_by_key(|(p, at)| (at.1, p.len()))
            })
            .or_else(|| {
                located()
                    .filter(|(_, at)| **at < (line, col))
                    .max_by_key(|(p, at)| (**at, std::cmp::Reverse(p.len())))
            });
        on_line.map(|(p, _)| p.clone())
    }

    /// The key path whose value starts at `line`:`col`, to name the key in a serde error.
    pub fn path_at(&self, line: u64, col: u64) -> Option<&str> {
        self.locations
            .iter()
            .filter(|(_, at)| **at == (line, col))
            .map(|(p, _)| p.as_str())
            .filter(|p| !p.is_empty())
            .min_by_key(|p| (p.len(), *p))
    }
}

pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A key that names a credential. `*_env` keys name an environment variable and are fine.
fn is_credential_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase().replace('-', "_");
    if k.ends_with("_env") {
        return false;
    }
    const WORDS: [&str; 9] = [
        "password",
        "passwd",
        "secret",
        "token",
        "access_key",
        "private_key",
        "api_key",
        "apikey",
        "credential",
    ];
    // Short forms only as a whole word of the key (`db_pass`, `dbPass`, `admin-pwd`), not
    // inside another word (`passive`, `bypass`).
    const SEGMENTS: [&str; 8] = [
        "pass",
        "pwd",
        "pw",
        "passphrase",
        "cred",
        "creds",
        "bearer",
        "auth",
    ];
    WORDS.iter().any(|w| k.contains(w)) || words(key).iter().any(|w| SEGMENTS.contains(&w.as_str()))
}

/// The words of a key: split on `_`, `-`, `.` and lower-to-upper case changes (`dbPass`).
fn words(key: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut prev_lower = false;
    for ch in key.chars() {
        if matches!(ch, '_' | '-' | '.') {
            out.push(String::new());
            prev_lower = false;
            continue;
        }
        if ch.is_ascii_uppercase() && prev_lower {
            out.push(String::new());
        }
        prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
        out.last_mut()
            .expect("never empty")
            .push(ch.to_ascii_lowercase());
    }
    out.retain(|w| !w.is_empty());
    out
}

/// A value that is a credential whatever key holds it: AWS access key ids, PEM private keys.
fn is_credential_value(v: &str) -> bool {
    let v = v.trim();
    let aws_key_id = v.len() == 20
        && (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    // A URL with `user:password@` carries its secret in the value itself.
    let url_with_secret = v.contains("://") && super::url::url_has_userinfo(v);
    aws_key_id || v.contains("PRIVATE KEY-----") || url_with_secret
}

/// Every place in the tree that holds or names a credential: (path, what was found).
pub fn find_credentials(root: &Spanned<Tree>) -> Vec<(String, String)> {
    fn walk(path: &str, node: &Spanned<Tree>, found: &mut Vec<(String, String)>) {
        match &node.value {
            Tree::Scalar(Some(v)) if is_credential_value(v) => {
                found.push((
                    path.to_string(),
                    "this value looks like a credential".into(),
                ));
            }
            Tree::Scalar(_) => {}
            Tree::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(&format!("{path}[{i}]"), item, found);
                }
            }
            Tree::Map(entries) => {
                for (key, value) in entries {
                    let p = join(path, key);
                    if is_credential_key(key) {
                        found.push((p, format!("`{key}` looks like a credential")));
                    } else {
                        walk(&p, value, found);
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    walk("", root, &mut found);
    found
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tree, E> {
        Ok(Tree::Scalar(Some(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tree, E> {
        Ok(Tree::Scalar(Some(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tree, E> {
        Ok(Tree::Scalar(Some(v.to_string())))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Tree, E> {
        Ok(Tree::Scalar(Some(v.to_string())))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Tree, E> {
        Ok(Tree::Scalar(Some(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tree, E> {
        Ok(Tree::Scalar(Some(v.to_string())))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree::Scalar(Some(v.to_string())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Scalar(None))
    }
    fn visit_none<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Scalar(None))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Tree, D::Error> {
        Tree::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Tree>>()? {
            items.push(item);
        }
        Ok(Tree::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut entries = Vec::new();
        while let Some(KeyText(key)) = map.next_key()? {
            entries.push((key, map.next_value::<Spanned<Tree>>()?));
        }
        Ok(Tree::Map(entries))
    }
}

/// A mapping key as text, whatever scalar spelled it.
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Tree::deserialize(d)? {
            Tree::Scalar(Some(s)) => Ok(KeyText(s)),
            Tree::Scalar(None) => Ok(KeyText("~".into())),
            _ => Err(de::Error::custom(
                "mapping keys must be plain scalars, not lists or mappings",
            )),
        }
    }
}
