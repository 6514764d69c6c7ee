//! The audit journal (one JSON line per change, fsynced, never truncated) and the host-local
//! lock that keeps two traffic commands from overlapping.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::plan::traffic::Weights;

/// `journal:` from the file, else `$XDG_STATE_HOME/hybridctl/journal.jsonl`, else
/// `~/.local/state/hybridctl/journal.jsonl`.
pub fn path(configured: Option<&Path>) -> PathBuf {
    if let Some(p) = configured {
        return p.to_path_buf();
    }
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .unwrap_or_else(|| PathBuf::from("."));
    state.join("hybridctl/journal.jsonl")
}

/// Who runs hybridctl: `user@host`, recorded in the journal and the rule's tag.
pub fn identity() -> (String, String) {
    let user = ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
        .or_else(|| {
            let out = std::process::Command::new("id").arg("-un").output().ok()?;
            let name = String::from_utf8(out.stdout).ok()?.trim().to_string();
            (out.status.success() && !name.is_empty()).then_some(name)
        })
        .unwrap_or_else(|| "unknown".into());
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    (user, host)
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub time: String,
    pub user: String,
    pub host: String,
    pub command: String,
    pub reason: Option<String>,
    pub service: String,
    pub before: Weights,
    pub after: Weights,
    pub target: Weights,
    pub steps: usize,
    pub forced_gates: Vec<String>,
    /// applied, failed, interrupted, stopped (a gate failed mid-way), rolled-back
    pub outcome: String,
    pub message: Option<String>,
}

/// Appends one line and fsyncs it before returning.
pub fn append<T: Serialize>(path: &Path, entry: &T) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = OpenOptions::new().create(true).append(true).open(path)?;
    let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
    line.push(b'\n');
    f.write_all(&line)?;
    f.sync_all()
}

/// An exclusive advisory lock on `<journal>.lock`, held until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: File,
}

impl Lock {
    /// Waits up to `timeout` for another hybridctl on this host to finish.
    pub async fn acquire(journal: &Path, timeout: Duration) -> Result<Lock, String> {
        let path = lock_path(journal);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))?;
        let started = Instant::now();
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Lock { _file: file }),
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => {
                    return Err(format!("cannot lock {}: {e}", path.display()));
                }
            }
            if started.elapsed() >= timeout {
                return Err(format!(
                    "another hybridctl run holds {} (waited {}); try again when it has finished",
                    path.display(),
                    crate::duration::format(timeout)
                ));
            }
            if !told {
                tracing::warn!(
                    "waiting for another hybridctl run to finish (lock {})",
                    path.display()
                );
                told = true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

pub fn lock_path(journal: &Path) -> PathBuf {
    let mut name = journal
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "journal".into());
    name.push(".lock");
    journal.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_keeps_every_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("deep/journal.jsonl");
        let entry = Entry {
            time: "t".into(),
            user: "u".into(),
            host: "h".into(),
            command: "failover".into(),
            reason: Some("drill".into()),
            service: "web".into(),
            before: [("onprem".to_string(), 40), ("aws".to_string(), 60)]
                .into_iter()
                .collect(),
            after: Weights::new(),
            target: Weights::new(),
            steps: 1,
            forced_gates: vec![],
            outcome: "applied".into(),
            message: None,
        };
        append(&p, &entry).unwrap();
        append(&p, &entry).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(text.lines().count(), 2);
        let v: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(v["before"]["onprem"], 40);
        assert_eq!(v["reason"], "drill");
    }

    #[test]
    fn the_lock_is_exclusive_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let j = dir.path().join("journal.jsonl");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let first = rt
            .block_on(Lock::acquire(&j, Duration::from_millis(100)))
            .unwrap();
        let err = rt
            .block_on(Lock::acquire(&j, Duration::from_millis(300)))
            .unwrap_err();
        assert!(err.contains("another hybridctl run holds"), "{err}");
        drop(first);
        rt.block_on(Lock::acquire(&j, Duration::from_millis(100)))
            .unwrap();
    }

    #[test]
    fn default_path_follows_xdg() {
        assert_eq!(path(Some(Path::new("/x/j.jsonl"))), Path::new("/x/j.jsonl"));
        assert_eq!(
            lock_path(Path::new("/x/j.jsonl")),
            Path::new("/x/j.jsonl.lock")
        );
    }
}
