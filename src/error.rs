//! The error type, its exit codes, and the `error: / caused by: / hint:` printing.

use std::fmt;
use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

/// How the process ends. `No` is an answer, not an error: degraded status, failed check,
/// refused safety gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    Success = 0,
    No = 1,
    Usage = 2,
    Failure = 3,
    /// SIGHUP (128 + 1).
    HangUp = 129,
    /// SIGINT, Ctrl-C (128 + 2).
    Interrupted = 130,
    /// SIGTERM (128 + 15): systemd stop, Jenkins abort, `timeout`.
    Terminated = 143,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// Every way a command can fail. The variant decides the exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad arguments that clap could not catch (exit 2).
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },
    /// The topology file is unreadable or invalid (exit 2).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// An AWS call failed (exit 3).
    #[error(transparent)]
    Aws(#[from] AwsError),
    /// Anything else that went wrong while running (exit 3).
    #[error("{0}")]
    Operational(anyhow::Error),
    /// Ctrl-C (exit 130).
    #[error("interrupted")]
    Interrupted,
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: None,
        }
    }

    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Error::Usage { .. } | Error::Config(_) => ExitStatus::Usage,
            Error::Aws(_) | Error::Operational(_) => ExitStatus::Failure,
            Error::Interrupted => ExitStatus::Interrupted,
        }
    }

    fn hint(&self) -> Option<&str> {
        match self {
            Error::Usage { hint, .. } => hint.as_deref(),
            Error::Config(e) => e.hint.as_deref(),
            Error::Aws(e) => e.hint.as_deref(),
            Error::Operational(_) | Error::Interrupted => None,
        }
    }

    /// Writes `error: ...`, `caused by: ...` lines and an optional `hint: ...` (uv style).
    pub fn report(&self, out: &mut impl Write) -> std::io::Result<()> {
        match self {
            Error::Config(e) => e.report(out)?,
            Error::Operational(e) => {
                writeln!(out, "error: {e}")?;
                for cause in e.chain().skip(1) {
                    writeln!(out, "  caused by: {cause}")?;
                }
            }
            other => writeln!(out, "error: {other}")?,
        }
        if let Some(hint) = self.hint() {
            writeln!(out, "hint: {hint}")?;
        }
        Ok(())
    }
}

impl From<anyhow::Error> for Error {
    fn from(e: anyhow::Error) -> Self {
        Error::Operational(e)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One problem found in the topology file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Dotted key path, e.g. `services.web.weights.onprem`; empty for the whole file.
    pub path: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

/// The topology file cannot be used. Holds every problem found, not only the first.
#[derive(Debug)]
pub struct ConfigError {
    pub file: PathBuf,
    pub problems: Vec<Problem>,
    pub hint: Option<String>,
}

impl ConfigError {
    pub fn single(file: PathBuf, problem: Problem, hint: Option<String>) -> Self {
        ConfigError {
            file,
            problems: vec![problem],
            hint,
        }
    }

    /// `FILE:LINE:COL: path: message`, the form editors and CI logs link.
    pub fn location_line(&self, p: &Problem) -> String {
        let mut s = self.file.display().to_string();
        if let Some(line) = p.line {
            s.push_str(&format!(":{line}"));
            if let Some(col) = p.column {
                s.push_str(&format!(":{col}"));
            }
        }
        s.push_str(": ");
        if !p.path.is_empty() {
            s.push_str(&p.path);
            s.push_str(": ");
        }
        s.push_str(&p.message);
        s
    }

    fn report(&self, out: &mut impl Write) -> std::io::Result<()> {
        match self.problems.as_slice() {
            [one] => writeln!(out, "error: {}", self.location_line(one)),
            many => {
                writeln!(
                    out,
                    "error: {} has {} problems:",
                    self.file.display(),
                    many.len()
                )?;
                for p in many {
                    writeln!(out, "  {}", self.location_line(p))?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self
            .problems
            .iter()
            .map(|p| self.location_line(p))
            .collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for ConfigError {}

/// An AWS API call that failed, named the way the AWS docs name it.
#[derive(Debug)]
pub struct AwsError {
    pub service: &'static str,
    pub operation: &'static str,
    pub code: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
    pub hint: Option<String>,
}

impl AwsError {
    /// AWS refused the call for the request rate: it was not applied.
    pub fn is_throttling(&self) -> bool {
        matches!(
            self.code.as_deref(),
            Some(
                "Throttling"
                    | "ThrottlingException"
                    | "TooManyRequestsException"
                    | "RequestLimitExceeded"
            )
        )
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} failed: ", self.service, self.operation)?;
        if let Some(code) = &self.code {
            write!(f, "{code}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for AwsError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_contract() {
        assert_eq!(Error::usage("x").exit_status().code(), 2);
        let cfg = ConfigError::single(
            "f.yaml".into(),
            Problem {
                path: String::new(),
                line: None,
                column: None,
                message: "m".into(),
            },
            None,
        );
        assert_eq!(Error::from(cfg).exit_status().code(), 2);
        assert_eq!(Error::from(anyhow::anyhow!("boom")).exit_status().code(), 3);
        assert_eq!(Error::Interrupted.exit_status().code(), 130);
    }

    #[test]
    fn aws_error_names_service_operation_code_and_request_id() {
        let e = AwsError {
            service: "elbv2",
            operation: "DescribeRules",
            code: Some("RuleNotFound".into()),
            message: "One or more rules not found".into(),
            request_id: Some("abc-123".into()),
            hint: None,
        };
        assert_eq!(
            e.to_string(),
            "elbv2 DescribeRules failed: RuleNotFound: One or more rules not found (request id abc-123)"
        );
    }

    #[test]
    fn config_error_prints_file_line_col() {
        let e = ConfigError::single(
            "hybridctl.yaml".into(),
            Problem {
                path: "services.web.weights.aws".into(),
                line: Some(12),
                column: Some(30),
                message: "weight 1000 is out of range 0..999".into(),
            },
            None,
        );
        let mut out = Vec::new();
        Error::from(e).report(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "error: hybridctl.yaml:12:30: services.web.weights.aws: weight 1000 is out of range 0..999\n"
        );
    }
}
