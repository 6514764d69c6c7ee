//! The only code that writes results to stdout: JSON documents and plain text, and the colour
//! decision. Progress and logs go to stderr elsewhere.

pub mod binlog;
pub mod dr;
pub mod status;
pub mod traffic;

use std::io::{IsTerminal, Write};

use serde::Serialize;

use crate::settings::Env;

/// How results are printed on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
}

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// Where and how results are printed, and what a person sees on stderr (plan, prompt,
/// progress, notes). The one place that knows about `-q`, terminals and colour.
#[derive(Debug, Clone)]
pub struct Output {
    pub format: Format,
    pub color: bool,
    pub quiet: bool,
    pub stdout_is_tty: bool,
    /// Progress bars only on a terminal; plain lines otherwise (Jenkins logs).
    pub stderr_is_tty: bool,
    /// Whether a person can be asked (confirmation prompts).
    pub stdin_is_tty: bool,
}

impl Output {
    pub fn new(format: Format, color: Color, quiet: bool, env: &Env) -> Output {
        let stdout_is_tty = std::io::stdout().is_terminal();
        let color = match color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => env.get("NO_COLOR").is_none() && stdout_is_tty,
        };
        Output {
            format,
            color,
            quiet,
            stdout_is_tty,
            stderr_is_tty: std::io::stderr().is_terminal(),
            stdin_is_tty: std::io::stdin().is_terminal(),
        }
    }

    pub fn is_json(&self) -> bool {
        self.format == Format::Json
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

    /// A change's plan, on stderr. One rule: always when a person is about to be asked to
    /// confirm it; otherwise not with `-q`, nor with `-o json` (the report carries it).
    pub fn plan(&self, text: &str, will_ask: bool) {
        if self.shows_plan(will_ask) {
            eprint!("{text}");
        }
    }

    /// Whether `plan` prints (so a message may say "see above").
    pub fn shows_plan(&self, will_ask: bool) -> bool {
        will_ask || !(self.quiet || self.is_json())
    }

    /// A question for the person at the terminal (stderr, no newline).
    pub fn prompt(&self, text: &str) {
        eprint!("{text}");
        let _ = std::io::stderr().flush();
    }
}
