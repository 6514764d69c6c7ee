//! The only code that writes results to stdout: JSON documents and plain text, and the colour
//! decision. Progress and logs go to stderr elsewhere.

pub mod binlog;
pub mod coordination;
pub mod dr;
pub mod drill;
pub mod iam;
pub mod init;
pub mod overflow;
pub mod status;
pub mod traffic;
pub mod watch;

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

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

/// A shared, swappable text sink.
type Sink = Arc<Mutex<Box<dyn Write + Send>>>;

/// Where results and messages go: the process's stdout and stderr, or buffers (tests).
#[derive(Clone)]
pub struct Writers {
    out: Sink,
    err: Sink,
}

impl Writers {
    pub fn std() -> Writers {
        Writers {
            out: Arc::new(Mutex::new(Box::new(std::io::stdout()))),
            err: Arc::new(Mutex::new(Box::new(std::io::stderr()))),
        }
    }

    /// Writers that append to these buffers.
    pub fn buffers(out: Arc<Mutex<Vec<u8>>>, err: Arc<Mutex<Vec<u8>>>) -> Writers {
        Writers {
            out: Arc::new(Mutex::new(Box::new(Shared(out)))),
            err: Arc::new(Mutex::new(Box::new(Shared(err)))),
        }
    }
}

impl std::fmt::Debug for Writers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Writers")
    }
}

/// A `Write` into a shared buffer.
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn write_all(sink: &Sink, bytes: &[u8]) -> std::io::Result<()> {
    let mut w = sink
        .lock()
        .map_err(|_| std::io::Error::other("output lock poisoned"))?;
    w.write_all(bytes)?;
    w.flush()
}

/// Where and how results are printed, and what a person sees on stderr (plan, prompt,
/// progress, notes). The one place that knows about `-q`, terminals and colour.
#[derive(Debug, Clone)]
pub struct Output {
    writers: Writers,
    pub format: Format,
    /// Colour on stdout: `--color`, else stdout is a terminal and NO_COLOR is unset.
    pub color: bool,
    /// Colour on stderr (log lines): the same rule for stderr's own terminal.
    pub stderr_color: bool,
    pub quiet: bool,
    pub stdout_is_tty: bool,
    /// Progress bars only on a terminal; plain lines otherwise (Jenkins logs).
    pub stderr_is_tty: bool,
    /// Whether cursor and erase sequences may be written (spinners, bars, `status --watch`
    /// redrawn in place): not with `TERM=dumb`, nor with `--color never` (no escape sequence at
    /// all). Without them a terminal gets plain lines, as a pipe does.
    pub redraw: bool,
    /// Columns for tables on stdout: its terminal's width, or 100 off a terminal.
    pub width: u16,
    /// The same for stderr (a plan shown before the prompt, a nested report).
    pub stderr_width: u16,
    /// Whether a person can be asked (confirmation prompts).
    pub stdin_is_tty: bool,
}

impl Output {
    pub fn new(format: Format, color: Color, quiet: bool, env: &Env) -> Output {
        let stdout_is_tty = std::io::stdout().is_terminal();
        let stderr_is_tty = std::io::stderr().is_terminal();
        // A dumb terminal shows escape sequences as text: like NO_COLOR, and no redraws.
        let dumb = env.get("TERM") == Some("dumb");
        let for_stream = |tty: bool| match color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => env.get("NO_COLOR").is_none() && !dumb && tty,
        };
        Output {
            writers: Writers::std(),
            format,
            color: for_stream(stdout_is_tty),
            stderr_color: for_stream(stderr_is_tty),
            quiet,
            stdout_is_tty,
            stderr_is_tty,
            redraw: !dumb && color != Color::Never,
            width: width_of(
                stdout_is_tty.then(|| terminal_size::terminal_size_of(std::io::stdout())),
            ),
            stderr_width: width_of(
                stderr_is_tty.then(|| terminal_size::terminal_size_of(std::io::stderr())),
            ),
            stdin_is_tty: std::io::stdin().is_terminal(),
        }
    }

    /// The same output into other writers (tests capture what a person would see).
    pub fn with_writers(self, writers: Writers) -> Output {
        Output { writers, ..self }
    }

    /// The same output with results sent to stderr as tables: a nested command's report
    /// beside the caller's own document on stdout (`overflow --apply` runs `shift-traffic`).
    pub fn nested(&self) -> Output {
        let mut o = self.clone();
        o.writers.out = o.writers.err.clone();
        o.format = Format::Table;
        o.color = o.stderr_color;
        o.width = o.stderr_width;
        o
    }

    pub fn is_json(&self) -> bool {
        self.format == Format::Json
    }

    /// One JSON document, pretty-printed, newline-terminated.
    pub fn json<T: Serialize>(&self, doc: &T) -> anyhow::Result<()> {
        let mut bytes = serde_json::to_vec_pretty(doc)?;
        bytes.push(b'\n');
        Ok(write_all(&self.writers.out, &bytes)?)
    }

    /// One compact JSON document on one line (a stream of documents, e.g. `status --watch`).
    pub fn json_line<T: Serialize>(&self, doc: &T) -> anyhow::Result<()> {
        let mut bytes = serde_json::to_vec(doc)?;
        bytes.push(b'\n');
        Ok(write_all(&self.writers.out, &bytes)?)
    }

    /// Text for a person, as is.
    pub fn text(&self, s: &str) -> anyhow::Result<()> {
        let mut text = s.to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        Ok(write_all(&self.writers.out, text.as_bytes())?)
    }

    /// A progress or status line for a person, on stderr; silent with -q.
    pub fn note(&self, s: &str) {
        if !self.quiet {
            self.stderr(&format!("{s}\n"));
        }
    }

    /// Text on stderr as is (a failure to write a message is not worth failing the run for),
    /// with a progress bar on the terminal lifted while it is written.
    fn stderr(&self, s: &str) {
        crate::logging::above_progress(|| {
            let _ = write_all(&self.writers.err, s.as_bytes());
        });
    }

    /// A change's plan, on stderr. One rule: always when a person is about to be asked to
    /// confirm it; otherwise not with `-q`, nor with `-o json` (the report carries it).
    pub fn plan(&self, text: &str, will_ask: bool) {
        if self.shows_plan(will_ask) {
            self.stderr(text);
        }
    }

    /// Whether `plan` prints (so a message may say "see above").
    pub fn shows_plan(&self, will_ask: bool) -> bool {
        will_ask || !(self.quiet || self.is_json())
    }

    /// A question for the person at the terminal (stderr, no newline).
    pub fn prompt(&self, text: &str) {
        self.stderr(text);
    }

    /// The one progress factory: a bar of `len` steps (a spinner when None) drawn on stderr,
    /// only on a terminal and without `-q`. None otherwise: callers print one plain line per
    /// event instead (Jenkins logs read well that way).
    pub fn progress(&self, template: &str, len: Option<u64>) -> Option<ProgressBar> {
        if !self.stderr_is_tty || !self.redraw || self.quiet {
            return None;
        }
        let b = match len {
            Some(n) => ProgressBar::new(n),
            None => ProgressBar::new_spinner(),
        };
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        b.set_style(style);
        b.enable_steady_tick(Duration::from_millis(150));
        // Log lines and notes are written above the bar, not into its line.
        crate::logging::show_progress(&b);
        Some(b)
    }
}

/// Tables off a terminal (pipes, files, Jenkins) are this wide.
pub const DEFAULT_WIDTH: u16 = 100;

/// A terminal's columns, when it says; 100 otherwise (a pipe, or a terminal reporting 0).
fn width_of(size: Option<Option<(terminal_size::Width, terminal_size::Height)>>) -> u16 {
    match size.flatten() {
        Some((terminal_size::Width(w), _)) if w > 0 => w,
        _ => DEFAULT_WIDTH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Buffer = Arc<Mutex<Vec<u8>>>;

    fn captured(format: Format, quiet: bool) -> (Output, Buffer, Buffer) {
        let (out, err) = (Arc::default(), Arc::default());
        let o = Output::new(format, Color::Never, quiet, &Env::default())
            .with_writers(Writers::buffers(Arc::clone(&out), Arc::clone(&err)));
        (o, out, err)
    }

    fn text(b: &Buffer) -> String {
        String::from_utf8(b.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn results_go_to_stdout_and_what_a_person_reads_to_stderr() {
        let (o, out, err) = captured(Format::Table, false);
        o.text("result").unwrap();
        o.note("note");
        o.plan("Plan: x\n", false);
        o.prompt("Apply? ");
        assert_eq!(text(&out), "result\n");
        assert_eq!(text(&err), "note\nPlan: x\nApply? ");
        assert!(
            o.progress("{spinner}", None).is_none(),
            "no bar off a terminal"
        );
    }

    #[test]
    fn tables_take_the_terminals_width_and_100_columns_otherwise() {
        use terminal_size::{Height, Width};
        assert_eq!(width_of(None), 100, "not a terminal");
        assert_eq!(width_of(Some(None)), 100, "a terminal that does not say");
        assert_eq!(
            width_of(Some(Some((Width(0), Height(0))))),
            100,
            "a 0x0 pty"
        );
        assert_eq!(width_of(Some(Some((Width(80), Height(24))))), 80);
        assert_eq!(width_of(Some(Some((Width(213), Height(50))))), 213);
    }

    #[test]
    fn one_rule_for_the_plan_with_quiet_and_json() {
        for (format, quiet, will_ask, shown) in [
            (Format::Table, false, false, true),
            (Format::Table, true, false, false),
            (Format::Json, false, false, false),
            (Format::Table, true, true, true),
            (Format::Json, true, true, true),
        ] {
            let (o, out, err) = captured(format, quiet);
            o.plan("Plan\n", will_ask);
            assert_eq!(
                text(&err) == "Plan\n",
                shown,
                "{format:?} quiet={quiet} ask={will_ask}"
            );
            assert!(text(&out).is_empty());
        }
        let (o, out, _) = captured(Format::Json, false);
        o.json(&serde_json::json!({"a": 1})).unwrap();
        assert_eq!(text(&out), "{\n  \"a\": 1\n}\n");
    }
}
