//! The checker every section's validation reports through, and helpers shared by the sections
//! (validate.rs and its children depend on this file, never the other way).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::duration;
use crate::error::Problem;
use crate::topology::arn::{self, Arn, Expect};
use crate::topology::model::Dns;
use crate::topology::tree::Index;
use crate::topology::wire::Scalar;

pub use crate::topology::model::{MAX_ALB_WEIGHT, MAX_R53_WEIGHT};

/// Collects problems, each located through the key path index.
pub struct Checker<'a> {
    pub index: &'a Index,
    pub problems: Vec<Problem>,
}

impl Checker<'_> {
    /// Problems found so far.
    pub fn len(&self) -> usize {
        self.problems.len()
    }

    pub fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        let path = path.into();
        let (line, column) = match self.index.locate(&path) {
            Some((l, c)) => (Some(l), Some(c)),
            None => (None, None),
        };
        self.problems.push(Problem {
            path,
            line,
            column,
            message: message.into(),
        });
    }

    pub fn arn(&mut self, path: &str, text: &str, expect: Expect) -> Option<Arn> {
        match arn::parse_expecting(text, expect) {
            Ok(a) => Some(a),
            Err(m) => {
                self.fail(path, m);
                None
            }
        }
    }

    pub fn duration(
        &mut self,
        path: &str,
        text: Option<&str>,
        default: &str,
    ) -> std::time::Duration {
        match duration::parse(text.unwrap_or(default)) {
            Ok(d) => d,
            Err(m) => {
                self.fail(path, m);
                std::time::Duration::ZERO
            }
        }
    }

    /// What the file holds at `path`, as it spells it: `thirty`, `30.5`, or "a list".
    pub fn found(&self, path: &str, value: &Scalar) -> String {
        match self.index.written(path).map(str::trim) {
            Some(w) if !w.is_empty() => {
                let short = first_chars(w.lines().next().unwrap_or(w), 40);
                if short.len() == w.len() {
                    format!("`{w}`")
                } else {
                    format!("`{short}...`")
                }
            }
            _ => match value {
                Scalar::Int(v) => format!("`{v}`"),
                Scalar::Bool(b) => format!("`{b}`"),
                Scalar::Float(f) => format!("`{f}`"),
                Scalar::Other(d) => d.clone(),
            },
        }
    }

    /// A whole number in `range`. `what` names it in the out-of-range message ("weight 1000 is
    /// out of range 0..999"); anything that is not a whole number is "expected ..., found ...".
    pub fn whole(
        &mut self,
        path: &str,
        value: &Scalar,
        range: std::ops::RangeInclusive<i64>,
        what: &str,
    ) -> Option<i64> {
        let (lo, hi) = (range.start(), range.end());
        match value {
            Scalar::Int(v) if range.contains(v) => Some(*v),
            Scalar::Int(v) => {
                let what = if what.is_empty() {
                    String::new()
                } else {
                    format!("{what} ")
                };
                self.fail(path, format!("{what}{v} is out of range {lo}..{hi}"));
                None
            }
            other => {
                let found = self.found(path, other);
                self.fail(
                    path,
                    format!("expected a whole number {lo}..{hi}, found {found}"),
                );
                None
            }
        }
    }

    pub fn flag(&mut self, path: &str, value: Option<&Scalar>) -> Option<bool> {
        match value? {
            Scalar::Bool(b) => Some(*b),
            other => {
                let found = self.found(path, other);
                self.fail(path, format!("expected true or false, found {found}"));
                None
            }
        }
    }

    pub fn count(&mut self, path: &str, value: Option<&Scalar>, default: u32) -> u32 {
        value
            .and_then(|v| self.whole(path, v, 0..=1000, ""))
            .map_or(default, |v| v as u32)
    }

    pub fn name(&mut self, path: &str, what: &str, name: &str) {
        if !crate::topology::values::is_name(name) {
            self.fail(
                path,
                format!("{what} name `{name}` must be letters, digits, `-` or `_`, starting with a letter or digit"),
            );
        }
    }
}

fn first_chars(s: &str, n: usize) -> &str {
    s.char_indices().nth(n).map_or(s, |(at, _)| &s[..at])
}

/// Paths in the file are relative to the file's folder, not to wherever hybridctl runs.
pub fn relative_to(file: &Path, p: &str) -> PathBuf {
    let p = Path::new(p);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        file.parent().unwrap_or(Path::new(".")).join(p)
    }
}

/// Weights for exactly the sites of `target_groups`, each in 0..=max, not all zero.
/// `target_groups`: the sites that receive a share (target groups, or a dns service's set_ids,
/// `what` says which for the message).
pub fn check_split(
    c: &mut Checker,
    path: &str,
    target_groups: &IndexMap<String, String>,
    weights: &IndexMap<String, Scalar>,
    max: i64,
    what: &str,
) -> HashMap<String, u32> {
    let mut out = HashMap::new();
    for site in target_groups.keys() {
        if !weights.contains_key(site) {
            c.fail(path, format!("no weight for site `{site}`"));
        }
    }
    for (site, w) in weights {
        let wpath = format!("{path}.{site}");
        if !target_groups.contains_key(site) {
            c.fail(&wpath, format!("`{site}` has a weight but no {what}"));
        }
        if let Some(w) = c.whole(&wpath, w, 0..=max, "weight") {
            out.insert(site.clone(), w as u32);
        }
    }
    if !weights.is_empty() && weights.values().all(|w| *w == Scalar::Int(0)) {
        let why = if max == MAX_R53_WEIGHT {
            "Route 53 would answer with every record alike, a split nobody chose"
        } else {
            "an ALB has no defined behaviour for that"
        };
        c.fail(path, format!("all weights are 0: {why}"));
    }
    out
}

/// A hosted zone, a record name (normalised with its trailing dot) and a record type.
pub fn check_record(c: &mut Checker, path: &str, zone_id: &str, record: &str, rtype: &str) -> Dns {
    if zone_id.trim().is_empty() {
        c.fail(format!("{path}.zone_id"), "the hosted zone id is empty");
    }
    if !matches!(rtype, "A" | "AAAA" | "CNAME") {
        c.fail(
            format!("{path}.type"),
            format!("record type `{rtype}`: use A, AAAA or CNAME"),
        );
    }
    let name = record.trim_end_matches('.');
    if name.trim().is_empty() {
        c.fail(format!("{path}.record"), "the record name is empty");
    } else if name.split('.').any(|label| label.trim().is_empty()) {
        c.fail(
            format!("{path}.record"),
            format!("`{record}` has an empty label (two dots in a row): not a DNS name"),
        );
    }
    // One spelling per record set, so that locks, leases, the journal and the policy name it
    // alike however the file writes it: Route 53 ids without their `/hostedzone/` prefix,
    // names in lower case (Route 53 compares them so) with the trailing dot.
    Dns {
        zone_id: zone_id
            .trim()
            .trim_start_matches("/hostedzone/")
            .to_string(),
        record: format!("{}.", name.to_ascii_lowercase()),
        record_type: rtype.to_string(),
    }
}
