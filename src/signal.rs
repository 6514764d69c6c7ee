//! SIGINT, SIGTERM and SIGHUP, caught once per run by the runbook: the runbook finishes or abandons the
//! current write, reads what AWS holds, reports and journals it, and exits 130, 143 or 129.
//! Waits and prompts wake at once; AWS calls in flight finish (bounded by the SDK timeouts).

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

use crate::error::ExitStatus;

/// A signal that ends a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Int,
    Term,
    Hup,
}

impl Signal {
    pub fn name(self) -> &'static str {
        match self {
            Signal::Int => "SIGINT",
            Signal::Term => "SIGTERM",
            Signal::Hup => "SIGHUP",
        }
    }

    /// 128 + the signal number, as shells and systemd expect.
    pub fn exit_status(self) -> ExitStatus {
        match self {
            Signal::Int => ExitStatus::Interrupted,
            Signal::Term => ExitStatus::Terminated,
            Signal::Hup => ExitStatus::HangUp,
        }
    }

    fn code(self) -> u8 {
        match self {
            Signal::Int => 1,
            Signal::Term => 2,
            Signal::Hup => 3,
        }
    }

    fn from_code(c: u8) -> Option<Signal> {
        match c {
            1 => Some(Signal::Int),
            2 => Some(Signal::Term),
            3 => Some(Signal::Hup),
            _ => None,
        }
    }
}

/// Set by the first of SIGINT, SIGTERM, SIGHUP; cheap to clone.
#[derive(Clone)]
pub struct Interrupt {
    got: Arc<AtomicU8>,
    notify: Arc<Notify>,
}

impl Interrupt {
    /// Installs the handlers (inside a tokio runtime). From now on these signals no longer
    /// kill the process: the run must check `signal()` between steps.
    pub fn install() -> std::io::Result<Interrupt> {
        use tokio::signal::unix::{SignalKind, signal};
        let it = Interrupt::manual();
        let mut streams = [
            (Signal::Int, signal(SignalKind::interrupt())?),
            (Signal::Term, signal(SignalKind::terminate())?),
            (Signal::Hup, signal(SignalKind::hangup())?),
        ];
        let handle = it.clone();
        tokio::spawn(async move {
            let [(a, sa), (b, sb), (c, sc)] = &mut streams;
            let which = tokio::select! {
                _ = sa.recv() => *a,
                _ = sb.recv() => *b,
                _ = sc.recv() => *c,
            };
            handle.raise(which);
        });
        Ok(it)
    }

    /// An interrupt that only `raise` sets (tests, and commands that install no handler).
    pub fn manual() -> Interrupt {
        Interrupt {
            got: Arc::new(AtomicU8::new(0)),
            notify: Arc::new(Notify::new()),
        }
    }

    pub fn raise(&self, s: Signal) {
        let _ = self
            .got
            .compare_exchange(0, s.code(), Ordering::SeqCst, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    pub fn signal(&self) -> Option<Signal> {
        Signal::from_code(self.got.load(Ordering::SeqCst))
    }

    pub fn is_set(&self) -> bool {
        self.signal().is_some()
    }

    /// Resolves when a signal arrives.
    pub async fn wait(&self) -> Signal {
        loop {
            let notified = self.notify.notified();
            if let Some(s) = self.signal() {
                return s;
            }
            notified.await;
        }
    }

    /// Sleeps; true when interrupted.
    pub async fn sleep(&self, d: Duration) -> bool {
        tokio::select! {
            _ = tokio::time::sleep(d) => self.is_set(),
            _ = self.wait() => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_signal_wins_and_wakes_sleepers() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let it = Interrupt::manual();
        assert!(!it.is_set());
        let waker = it.clone();
        let woke = rt.block_on(async move {
            tokio::spawn(async move { waker.raise(Signal::Term) });
            it.sleep(Duration::from_secs(3600)).await
        });
        assert!(woke);
        let it = Interrupt::manual();
        it.raise(Signal::Hup);
        it.raise(Signal::Int);
        assert_eq!(it.signal(), Some(Signal::Hup));
        assert_eq!(Signal::Term.exit_status().code(), 143);
        assert_eq!(Signal::Hup.exit_status().code(), 129);
        assert_eq!(Signal::Int.exit_status().code(), 130);
    }
}
