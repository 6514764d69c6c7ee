//! The only code that writes results to stdout: JSON documents and plain text, and the colour
//! decision. Progress and logs go to stderr elsewhere.

pub mod binlog;
pub mod dr;
pub mod status;
pub mod traffic;

use std::io::{IsTerminal, Write};

use serde::Serialize;

use crate::cli::{ColorChoice, GlobalArgs, OutputFormat};

/// Where and how results are printed.
#[derive(Debug, Clone)]
pub struct Output {
    pub format: OutputFormat,
    pub color: bool,
    pub quiet: bool,
    pub stdout_is_tty: bool,
    /// Progress bars only on a terminal; plain lines otherwise (Jenkins logs).
    pub stderr_is_tty: bool,
}

impl Output {
    pub fn new(g: &GlobalArgs) -> Output {
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match g.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color_env && std::io::stdout().is_terminal(),
        };
        Output {
            format: g.output,
            color,
            quiet: g.quiet,
            stdout_is_tty: std::io::stdout().is_terminal(),
            stderr_is_tty: std::io::stderr().is_terminal(),
        }
    }

    pub fn is_json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// One JSON document, pretty-printed, newline-terminated.
    pub fn json<T: Serialize>(&self, doc: &T) -> anyhow::Result<()> {
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut stdout, doc)?;
        writeln!(stdout)?;
        stdout.flush()?;
        Ok(())
    }

    /// One compact JSON document on one line (a stream of documents, e.g. `status --watch`).
    pub fn json_line<T: Serialize>(&self, doc: &T) -> anyhow::Result<()> {
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer(&mut stdout, doc)?;
        writeln!(stdout)?;
        stdout.flush()?;
        Ok(())
    }

    /// Text for a person, as is.
    pub fn text(&self, s: &str) -> anyhow::Result<()> {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(s.as_bytes())?;
        if !s.ends_with('\n') {
            writeln!(stdout)?;
        }
        stdout.flush()?;
        Ok(())
    }

    /// A progress or status line for a person, on stderr; silent with -q.
    pub fn note(&self, s: &str) {
        if !self.quiet {
            eprintln!("{s}");
        }
    }
}

/// Now, as RFC 3339 UTC.
pub fn now_rfc3339() -> String {
    crate::aws::rfc3339(&aws_smithy_types::DateTime::from(
        std::time::SystemTime::now(),
    ))
}
