//! Logs go to stderr through `tracing`; stdout is for results only.

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
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false)
        .without_time()
        .try_init();
}
