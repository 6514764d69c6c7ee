//! The watcher's own signal handling: SIGTERM and SIGINT stop it (the step in progress is
//! finished first: the runbook sees them through `stop`), SIGHUP asks for a reload and does
//! not stop anything. And the systemd notifications (`Type=notify`, watchdog).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

use crate::signal::{Interrupt, Signal};

pub struct Signals {
    /// Raised by SIGTERM or SIGINT; handed to the runbook as its interrupt.
    pub stop: Interrupt,
    reload: Arc<AtomicBool>,
    wake: Arc<Notify>,
}

impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        let mut hup = signal(SignalKind::hangup())?;
        let s = Signals {
            stop: Interrupt::manual(),
            reload: Arc::new(AtomicBool::new(false)),
            wake: Arc::new(Notify::new()),
        };
        let (stop, reload, wake) = (s.stop.clone(), s.reload.clone(), s.wake.clone());
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = term.recv() => stop.raise(Signal::Term),
                    _ = int.recv() => stop.raise(Signal::Int),
                    _ = hup.recv() => {
                        reload.store(true, Ordering::SeqCst);
                        wake.notify_one();
                    }
                }
            }
        });
        Ok(s)
    }

    /// A reload was asked for since the last call.
    pub fn take_reload(&self) -> bool {
        self.reload.swap(false, Ordering::SeqCst)
    }

    /// Waits `d`, or less when a signal arrives.
    pub async fn pause(&self, d: Duration) {
        if self.reload.load(Ordering::SeqCst) {
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(d) => {}
            _ = self.stop.wait() => {}
            _ = self.wake.notified() => {}
        }
    }
}

/// Tells systemd (when it started us with NOTIFY_SOCKET); a failure is only logged.
pub fn systemd(state: &[sd_notify::NotifyState]) {
    if let Err(e) = sd_notify::notify(false, state) {
        tracing::debug!("sd_notify: {e}");
    }
}
