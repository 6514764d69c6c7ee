//! The topology file: the only module that knows YAML. `load` turns a path into a validated
//! [`Topology`] or a [`ConfigError`] listing every problem with its location.

pub mod arn;
pub mod draft;
mod model;
pub mod schema;
mod tree;
mod url;
mod validate;
pub mod values;
mod wire;

use std::io::Read;
use std::path::Path;

pub use model::*;
pub use url::{QUERY_REFUSED, USERINFO_REFUSED, url_has_userinfo};
pub use validate::{
    MAX_ALB_WEIGHT, MAX_R53_WEIGHT, is_env_name, min_watch_lease, parse_date, parse_window,
    remote_refused,
};

use crate::error::{ConfigError, Problem};

/// Topology files are small; anything larger is a mistake or an attack.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

const CREDENTIAL_HINT: &str = "hybridctl never reads credentials from the topology file: use an AWS profile \
(--profile or aws.profile), SSO or AWS_* environment variables; for SQL, name the environment variable \
that holds the password in replication.sql.password_env; for Terraform, use TF_VAR_* variables";

const EMPTY_FILE: &str = "the file is empty: it needs at least `version: 1`, `sites` and `services` \
(see hybridctl.example.yaml)";

/// Reads, parses and validates a topology file. Makes no AWS call.
pub fn load(path: &Path) -> Result<Topology, ConfigError> {
    let whole = |message: String, hint: Option<String>| {
        ConfigError::single(
            path.to_path_buf(),
            Problem {
                path: String::new(),
                line: None,
                column: None,
                message,
            },
            hint,
        )
    };
    let file = std::fs::File::open(path).map_err(|e| {
        let hint = (e.kind() == std::io::ErrorKind::NotFound).then(|| {
            "pass the file with -c FILE or HYBRIDCTL_CONFIG; hybridctl.example.yaml shows every key".to_string()
        });
        whole(format!("cannot read the topology file: {e}"), hint)
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| whole(format!("cannot read the topology file: {e}"), None))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(whole(
            "the file is larger than 1 MiB; a topology file is a few kilobytes".into(),
            None,
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| not_utf8(path, e.as_bytes()))?;
    parse(path, &text)
}

/// A file that is not UTF-8, reported where its first bad byte is (LINE:COL counted in the text
/// before it) and under the key path there, found by reading the file with the bad bytes
/// replaced. The bytes themselves are not echoed.
fn not_utf8(path: &Path, bytes: &[u8]) -> ConfigError {
    let good = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let before = String::from_utf8_lossy(&bytes[..good]);
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u64 + 1;
    let lossy = String::from_utf8_lossy(bytes);
    let key =
        serde_saphyr::from_str_with_options::<serde_saphyr::Spanned<tree::Tree>>(&lossy, options())
            .ok()
            .and_then(|root| tree::Index::build(&root, &lossy).path_around(line, column));
    ConfigError::single(
        path.to_path_buf(),
        Problem {
            path: key.unwrap_or_default(),
            line: Some(line),
            column: Some(column),
            message: format!(
                "the file is not UTF-8: byte 0x{:02X} here starts no UTF-8 character (save the file as UTF-8)",
                bytes[good]
            ),
        },
        None,
    )
}

/// Parses and validates topology text; `path` names it in errors and anchors relative paths.
pub fn parse(path: &Path, text: &str) -> Result<Topology, ConfigError> {
    let fail = |problems: Vec<Problem>, hint: Option<&str>| ConfigError {
        file: path.to_path_buf(),
        problems,
        hint: hint.map(str::to_string),
    };
    let root: serde_saphyr::Spanned<tree::Tree> =
        serde_saphyr::from_str_with_options(text, options())
            .map_err(|e| fail(vec![yaml_problem(&e, text, None)], None))?;
    let index = tree::Index::build(&root, text);
    if let Some(problem) = root_problem(&root) {
        return Err(fail(vec![problem], None));
    }
    let credentials = tree::find_credentials(&root);
    if !credentials.is_empty() {
        let problems = credentials
            .into_iter()
            .map(|(p, message)| {
                let loc = index.locate(&p);
                Problem {
                    path: p,
                    line: loc.map(|l| l.0),
                    column: loc.map(|l| l.1),
                    message,
                }
            })
            .collect();
        return Err(fail(problems, Some(CREDENTIAL_HINT)));
    }
    let wire: wire::File = serde_saphyr::from_str_with_options(text, options())
        .map_err(|e| fail(vec![yaml_problem(&e, text, Some(&index))], None))?;
    validate::validate(path, wire, &index).map_err(|problems| fail(problems, None))
}

/// Input budgets: a topology file has a few hundred nodes; an alias bomb has billions.
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_nodes: 200_000,
            max_depth: 64,
            max_documents: 1,
            max_total_scalar_bytes: 4 * 1024 * 1024,
        },
        // `.nan` and `.inf` reach the value's own check, which names its key and what it takes.
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
    }
}

/// An empty file, or one whose document is not a mapping, said in words rather than as the
/// "unexpected end of input" or "invalid type" serde would give.
fn root_problem(root: &serde_saphyr::Spanned<tree::Tree>) -> Option<Problem> {
    const WANT: &str = "expected a mapping with `version: 1`, `sites` and `services`";
    let message = match &root.value {
        tree::Tree::Map(_) => return None,
        tree::Tree::Scalar(None) => EMPTY_FILE.to_string(),
        // Not echoed: this runs before the credential scan, and the value may be anything.
        tree::Tree::Scalar(Some(_)) => format!("{WANT}, found a single value"),
        tree::Tree::Seq(_) => format!("{WANT}, found a list"),
    };
    // An empty file is reported at its start, not after its last comment.
    let at = Some(root.referenced)
        .filter(|l| l.line() > 0 && !matches!(root.value, tree::Tree::Scalar(None)));
    Some(Problem {
        path: String::new(),
        line: Some(at.map_or(1, |l| l.line())),
        column: Some(at.map_or(1, |l| l.column())),
        message,
    })
}

/// Where a second YAML document starts, if that is what `e` is about. serde-saphyr reports it
/// as a document budget breach, which reads like an alias bomb.
fn second_document(e: &serde_saphyr::Error) -> Option<serde_saphyr::Location> {
    use serde_saphyr::{Error, budget::BudgetBreach};
    match e.without_snippet() {
        Error::Budget {
            breach: BudgetBreach::Documents { .. },
            location,
        }
        | Error::MultipleDocuments { location, .. } => Some(*location),
        _ => None,
    }
}

/// A serde-saphyr error as a problem: its location, the key path there (from `index`, once the
/// file has parsed), and its message without the location text.
fn yaml_problem(e: &serde_saphyr::Error, text: &str, index: Option<&tree::Index>) -> Problem {
    if let Some(at) = second_document(e).filter(|l| l.line() > 0) {
        let line = at.line();
        let separator = text
            .lines()
            .nth(usize::try_from(line - 1).unwrap_or(usize::MAX))
            .is_some_and(|l| l.starts_with("---"));
        let what = if separator {
            format!("a `---` separator at line {line}")
        } else {
            format!("a second document starts at line {line}")
        };
        return Problem {
            path: String::new(),
            line: Some(line),
            column: Some(at.column()),
            message: format!(
                "the file holds more than one YAML document ({what}): hybridctl reads one"
            ),
        };
    }
    let loc = e.location().filter(|l| l.line() > 0);
    let mut message = e.without_snippet().to_string();
    if let Some(l) = loc {
        let suffix = format!(" at line {}, column {}", l.line(), l.column());
        if let Some(stripped) = message.strip_suffix(&suffix) {
            message = stripped.to_string();
        }
    }
    if let Some(cut) = message.find(", set DuplicateKeyPolicy") {
        message.truncate(cut);
    }
    if message.contains("budget") || message.contains("Budget") {
        message = format!(
            "{message} (the file expands beyond hybridctl's input limits: too many aliases, nodes or nesting)"
        );
    }
    let path = loc
        .zip(index)
        .and_then(|(l, index)| index.path_at(l.line(), l.column()))
        .unwrap_or_default()
        .to_string();
    Problem {
        path,
        line: loc.map(|l| l.line()),
        column: loc.map(|l| l.column()),
        message,
    }
}

#[cfg(test)]
mod tests;
