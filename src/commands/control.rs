//! What the mutating commands share: asking for confirmation, Ctrl-C, and the clock.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::Notify;

use crate::error::{Error, Result};

/// `--yes` goes ahead; a terminal is asked (anything but y/yes is no); without a terminal the
/// run is refused (exit 2) before anything changes.
pub fn confirm(yes: bool, what: &str) -> Result<bool> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::Usage {
            message: format!(
                "refusing to change {what} without confirmation: stdin is not a terminal"
            ),
            hint: Some("pass --yes in scripts, cron and CI (and --dry-run to preview)".into()),
        });
    }
    eprint!("Apply this change? [y/N] ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).ok();
    Ok(matches!(
        line.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// Ctrl-C sets a flag: the flows check it between calls and wake from their waits, so the
/// current AWS call or Terraform step finishes and the state can be reported.
pub struct Interrupt {
    flag: Arc<AtomicBool>,
    notify: Arc<Notify>,
}

impl Interrupt {
    pub fn install() -> Interrupt {
        let flag = Arc::new(AtomicBool::new(false));
        let notify = Arc::new(Notify::new());
        let (f, n) = (flag.clone(), notify.clone());
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                f.store(true, Ordering::SeqCst);
                n.notify_waiters();
            }
        });
        Interrupt { flag, notify }
    }

    pub fn is_set(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Sleeps; true when interrupted.
    pub async fn sleep(&self, d: Duration) -> bool {
        if self.is_set() {
            return true;
        }
        tokio::select! {
            _ = tokio::time::sleep(d) => self.is_set(),
            _ = self.notify.notified() => true,
        }
    }
}

/// Now, in epoch seconds (for "alarm OK for ...").
pub fn now_epoch() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
