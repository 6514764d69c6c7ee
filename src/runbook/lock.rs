//! Host-local locks, one per thing changed (a service's rule or listener, the DR record), so a
//! 30-minute `dr provision` never blocks an alarm-driven `failover`. Each lock is an flock on
//! `<journal dir>/locks/<resource>.lock`; the holder writes who it is into the file, so a
//! refused run can name it. The kernel drops an flock when its holder dies, even by SIGKILL.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// Who holds a lock, as written into the lock file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub pid: u32,
    pub user: String,
    pub host: String,
    pub command: String,
    pub since: String,
}

impl Holder {
    pub fn describe(&self) -> String {
        format!(
            "{} (pid {}, {}@{}, since {})",
            self.command, self.pid, self.user, self.host, self.since
        )
    }
}

/// Why a set of locks could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another run holds one of them (after waiting the lock timeout).
    Busy {
        resource: String,
        holder: Option<Holder>,
        waited: Duration,
    },
    /// The lock file cannot be created or locked.
    Io(String),
    /// A signal arrived while waiting.
    Interrupted,
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockError::Busy {
                resource,
                holder,
                waited,
            } => {
                let who = holder
                    .as_ref()
                    .map(Holder::describe)
                    .unwrap_or_else(|| "another hybridctl run".into());
                write!(
                    f,
                    "{resource} is locked by {who} (waited {}); nothing was changed: try again when it has finished",
                    crate::duration::format(*waited)
                )
            }
            LockError::Io(m) => f.write_str(m),
            LockError::Interrupted => f.write_str("interrupted while waiting for a lock"),
        }
    }
}

/// Locks held until dropped.
#[derive(Debug)]
pub struct Locks {
    _files: Vec<File>,
}

/// The folder of lock files beside the journal.
pub fn dir(journal: &Path) -> PathBuf {
    journal.with_file_name("locks")
}

/// A file name for a resource: readable, bounded, and distinct per resource.
pub fn file_name(resource: &str) -> String {
    let mut safe: String = resource
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if safe.len() > 80 {
        safe = safe[safe.len() - 80..].to_string();
    }
    // FNV-1a keeps two resources that sanitize alike apart.
    let hash = resource.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{safe}.{hash:016x}.lock")
}

/// Takes the locks of every resource, in sorted order (so two runs never deadlock), all or
/// none, waiting up to `timeout` in all. `on_wait` is told once when a lock is busy.
pub async fn acquire(
    journal: &Path,
    resources: &[String],
    holder: &Holder,
    timeout: Duration,
    on_wait: &(dyn Fn(&str, Option<&Holder>) + Sync),
    interrupt: &crate::signal::Interrupt,
) -> Result<Locks, LockError> {
    let dir = dir(journal);
    std::fs::create_dir_all(&dir)
        .map_err(|e| LockError::Io(format!("cannot create {}: {e}", dir.display())))?;
    let mut sorted: Vec<&String> = resources.iter().collect();
    sorted.sort();
    sorted.dedup();
    let started = Instant::now();
    let mut files = Vec::new();
    for resource in sorted {
        let path = dir.join(file_name(resource));
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| {
                LockError::Io(format!("cannot open the lock file {}: {e}", path.display()))
            })?;
        let mut told = false;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(e)) => {
                    return Err(LockError::Io(format!(
                        "cannot lock {}: {e}",
                        path.display()
                    )));
                }
            }
            let current = read_holder(&mut file);
            if started.elapsed() >= timeout {
                return Err(LockError::Busy {
                    resource: resource.clone(),
                    holder: current,
                    waited: timeout,
                });
            }
            if !told {
                on_wait(resource, current.as_ref());
                told = true;
            }
            if interrupt.sleep(Duration::from_millis(100)).await {
                return Err(LockError::Interrupted);
            }
        }
        write_holder(&mut file, holder)
            .map_err(|e| LockError::Io(format!("cannot write {}: {e}", path.display())))?;
        files.push(file);
    }
    Ok(Locks { _files: files })
}

fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    serde_json::from_str(&text).ok()
}

fn write_holder(file: &mut File, holder: &Holder) -> std::io::Result<()> {
    file.set_len(0)?;
    file.rewind()?;
    file.write_all(&serde_json::to_vec(holder).map_err(std::io::Error::other)?)?;
    file.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder(cmd: &str) -> Holder {
        Holder {
            pid: 42,
            user: "ops".into(),
            host: "mgmt1".into(),
            command: cmd.into(),
            since: "2026-11-23T00:00:00Z".into(),
        }
    }

    #[test]
    fn busy_names_the_holder_and_other_resources_stay_free() {
        let dir = tempfile::tempdir().unwrap();
        let j = dir.path().join("journal.jsonl");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let none = |_: &str, _: Option<&Holder>| {};
        let it = crate::signal::Interrupt::manual();
        let a = vec!["arn:rule/a".to_string()];
        let held = rt
            .block_on(acquire(
                &j,
                &a,
                &holder("dr provision"),
                Duration::ZERO,
                &none,
                &it,
            ))
            .unwrap();
        let err = rt
            .block_on(acquire(
                &j,
                &a,
                &holder("failover"),
                Duration::from_millis(200),
                &none,
                &it,
            ))
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("arn:rule/a is locked by dr provision (pid 42, ops@mgmt1"),
            "{text}"
        );
        // Another resource is not blocked by the first.
        let b = vec!["arn:rule/b".to_string()];
        rt.block_on(acquire(
            &j,
            &b,
            &holder("failover"),
            Duration::ZERO,
            &none,
            &it,
        ))
        .unwrap();
        // All or none: a set that includes a busy resource takes nothing.
        let both = vec!["arn:rule/c".to_string(), "arn:rule/a".to_string()];
        assert!(
            rt.block_on(acquire(&j, &both, &holder("x"), Duration::ZERO, &none, &it))
                .is_err()
        );
        rt.block_on(acquire(
            &j,
            &["arn:rule/c".to_string()],
            &holder("y"),
            Duration::ZERO,
            &none,
            &it,
        ))
        .unwrap();
        drop(held);
        rt.block_on(acquire(
            &j,
            &a,
            &holder("failover"),
            Duration::ZERO,
            &none,
            &it,
        ))
        .unwrap();
    }

    #[test]
    fn a_signal_ends_the_wait_for_a_lock() {
        let dir = tempfile::tempdir().unwrap();
        let j = dir.path().join("journal.jsonl");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let none = |_: &str, _: Option<&Holder>| {};
        let idle = crate::signal::Interrupt::manual();
        let a = vec!["arn:rule/a".to_string()];
        let _held = rt
            .block_on(acquire(&j, &a, &holder("x"), Duration::ZERO, &none, &idle))
            .unwrap();
        let it = crate::signal::Interrupt::manual();
        it.raise(crate::signal::Signal::Term);
        let err = rt
            .block_on(acquire(
                &j,
                &a,
                &holder("y"),
                Duration::from_secs(3600),
                &none,
                &it,
            ))
            .unwrap_err();
        assert!(matches!(err, LockError::Interrupted), "{err}");
    }

    #[test]
    fn file_names_are_distinct_and_bounded() {
        let a = file_name("arn:aws:elasticloadbalancing:r:1:listener-rule/app/x/1/2/3");
        let b = file_name("arn_aws_elasticloadbalancing_r_1_listener-rule/app/x/1/2/3");
        assert_ne!(a, b);
        assert!(file_name(&"x".repeat(500)).len() < 110);
    }
}
