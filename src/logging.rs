//! Logs go to stderr through `tracing`; stdout is for results only. A progress bar on the
//! terminal is lifted while a log line is written, so the two never share a line.

use std::io::Write;
use std::sync::Mutex;

use indicatif::{ProgressBar, WeakProgressBar};
use tracing_subscriber::EnvFilter;

/// -q: errors only; default: warnings; -v: hybridctl debug (each AWS call); -vv: SDK internals too.
/// `HYBRIDCTL_LOG` (an EnvFilter directive, from the run's environment snapshot) overrides all
/// of it.
/// `ansi`: colour the log lines (decided for stderr by `--color` and stderr's own terminal).
pub fn init(verbose: u8, quiet: bool, directive: Option<&str>, ansi: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "warn,hybridctl=debug",
        // reqwest and hyper_util log request targets at debug: kept at info, a webhook URL is a secret.
        (false, _) => "debug,hyper=info,h2=info,rustls=info,reqwest=info,hyper_util=info",
    };
    let filter = directive
        .and_then(|d| EnvFilter::try_new(d).ok())
        .unwrap_or_else(|| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(LogLine::default)
        .with_ansi(ansi)
        .with_target(false)
        .without_time()
        .try_init();
}

/// The bar drawn on stderr now, if any (the newest one: one is drawn at a time).
static PROGRESS: Mutex<Option<WeakProgressBar>> = Mutex::new(None);

/// From now on, log lines and notes lift `bar` while they are written.
pub fn show_progress(bar: &ProgressBar) {
    if let Ok(mut p) = PROGRESS.lock() {
        *p = Some(bar.downgrade());
    }
}

/// Runs `write` with the progress bar (when one is drawn) cleared from the terminal, and draws
/// the bar again below what was written (indicatif's `suspend`).
pub fn above_progress<R>(write: impl FnOnce() -> R) -> R {
    let bar = PROGRESS
        .lock()
        .ok()
        .and_then(|p| p.as_ref().and_then(WeakProgressBar::upgrade));
    match bar {
        Some(b) if !b.is_finished() => b.suspend(write),
        _ => write(),
    }
}

/// One formatted event, written to stderr in one piece when the formatter is done with it.
#[derive(Default)]
struct LogLine(Vec<u8>);

impl Write for LogLine {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for LogLine {
    fn drop(&mut self) {
        if self.0.is_empty() {
            return;
        }
        let line = std::mem::take(&mut self.0);
        above_progress(|| {
            let _ = std::io::stderr().lock().write_all(&line);
        });
    }
}
