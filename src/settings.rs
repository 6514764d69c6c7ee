//! Settings resolved once per run (uv's `XSettings`, just's `Config`): the environment read in
//! one place, the topology file, where AWS calls go, the journal, who runs hybridctl, and the
//! clock. Commands receive a `Settings`; nothing below `lib::run` reads the environment itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::aws::{self, Flags};
use crate::error::Result;
use crate::topology::Topology;

/// A snapshot of the process environment, taken once at start-up.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    /// The process environment (variables that are not UTF-8 are left out).
    pub fn capture() -> Env {
        Env {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
        }
    }

    /// An environment made of these pairs (tests).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Env {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// The variable's value; an empty value counts as unset.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The variable's value even when empty (secrets: an empty password is a password).
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Whether the variable is set at all (even empty).
    pub fn is_set(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    /// `$XDG_STATE_HOME`, else `~/.local/state`, else `.`.
    pub fn state_home(&self) -> PathBuf {
        self.get("XDG_STATE_HOME")
            .map(PathBuf::from)
            .or_else(|| self.get("HOME").map(|h| Path::new(h).join(".local/state")))
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

/// Who runs hybridctl: recorded in the journal, the lock files and the rule's tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub user: String,
    pub host: String,
    pub pid: u32,
}

impl Identity {
    pub fn of(env: &Env) -> Identity {
        let user = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|v| env.get(v).map(str::to_string))
            .or_else(|| {
                let out = std::process::Command::new("id").arg("-un").output().ok()?;
                let name = String::from_utf8(out.stdout).ok()?.trim().to_string();
                (out.status.success() && !name.is_empty()).then_some(name)
            })
            .unwrap_or_else(|| "unknown".into());
        Identity {
            user,
            host: gethostname::gethostname().to_string_lossy().into_owned(),
            pid: std::process::id(),
        }
    }

    /// `user@host`.
    pub fn who(&self) -> String {
        format!("{}@{}", self.user, self.host)
    }
}

/// The wall clock, injectable so that decisions made on time are tested without sleeping.
#[derive(Debug, Clone, Copy, Default)]
pub enum Clock {
    #[default]
    System,
    /// Always this instant (tests).
    Fixed(SystemTime),
}

impl Clock {
    /// `HYBRIDCTL_NOW` (epoch seconds) fixes the clock: decisions made on time (the watcher's
    /// hold and ok_for, --if-ok-for) are tested and rehearsed without waiting. Leases keep
    /// the real time.
    pub fn from_env(env: &Env) -> crate::error::Result<Clock> {
        let Some(v) = env.get("HYBRIDCTL_NOW") else {
            return Ok(Clock::System);
        };
        let secs: u64 = v.trim().parse().map_err(|_| {
            crate::error::Error::usage(format!(
                "HYBRIDCTL_NOW must be whole seconds since the epoch, found `{v}`"
            ))
        })?;
        Ok(Clock::Fixed(
            SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(secs),
        ))
    }

    pub fn now(&self) -> SystemTime {
        match self {
            Clock::System => SystemTime::now(),
            Clock::Fixed(t) => *t,
        }
    }

    /// Now, in whole seconds since the epoch.
    pub fn epoch(&self) -> i64 {
        self.now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    }

    /// Now, in milliseconds since the epoch.
    pub fn epoch_ms(&self) -> i64 {
        self.now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }

    /// Now, as RFC 3339 UTC with milliseconds.
    pub fn rfc3339(&self) -> String {
        crate::aws::rfc3339(&aws_smithy_types::DateTime::from(self.now()))
    }
}

/// `journal:` from the file, else `$XDG_STATE_HOME/hybridctl/journal.jsonl`, else
/// `~/.local/state/hybridctl/journal.jsonl`.
pub fn journal_path(configured: Option<&Path>, env: &Env) -> PathBuf {
    match configured {
        Some(p) => p.to_path_buf(),
        None => env.state_home().join("hybridctl/journal.jsonl"),
    }
}

/// Everything a command that reads a topology needs, resolved once.
#[derive(Debug, Clone)]
pub struct Settings {
    pub topology: Topology,
    pub aws: aws::Resolved,
    /// The journal file; its folder also holds the lock files and the DR state.
    pub journal: PathBuf,
    pub identity: Identity,
    pub env: Env,
    pub clock: Clock,
}

impl Settings {
    /// Loads the topology file and resolves AWS settings and the journal path.
    pub fn resolve(config: &Path, flags: &Flags, env: Env) -> Result<Settings> {
        check_endpoint_flag(flags)?;
        let topology = crate::topology::load(config)?;
        let aws = aws::resolve(flags, env.get("AWS_DEFAULT_REGION"), &topology.aws);
        let journal = journal_path(topology.journal.as_deref(), &env);
        let clock = Clock::from_env(&env)?;
        Ok(Settings {
            identity: Identity::of(&env),
            topology,
            aws,
            journal,
            env,
            clock,
        })
    }
}

/// Refuses an --endpoint-url (or AWS_ENDPOINT_URL) with credentials, a query or a fragment.
pub fn check_endpoint_flag(flags: &Flags) -> Result<()> {
    if let Some(u) = flags.endpoint_url.as_deref() {
        let why = if crate::topology::url_has_userinfo(u) {
            Some(crate::topology::USERINFO_REFUSED)
        } else if u.contains(['?', '#']) {
            Some(crate::topology::QUERY_REFUSED)
        } else {
            None
        };
        if let Some(why) = why {
            return Err(crate::error::Error::Usage {
                message: format!("--endpoint-url (or AWS_ENDPOINT_URL): {why}"),
                hint: None,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_variables_count_as_unset() {
        let env = Env::from_pairs([("A", ""), ("B", "x")]);
        assert_eq!(env.get("A"), None);
        assert!(env.is_set("A"));
        assert_eq!(env.get("B"), Some("x"));
    }

    #[test]
    fn state_home_follows_xdg_then_home() {
        let env = Env::from_pairs([("XDG_STATE_HOME", "/s"), ("HOME", "/h")]);
        assert_eq!(env.state_home(), Path::new("/s"));
        let env = Env::from_pairs([("HOME", "/h")]);
        assert_eq!(env.state_home(), Path::new("/h/.local/state"));
        assert_eq!(Env::default().state_home(), Path::new("."));
    }

    #[test]
    fn the_journal_follows_the_file_then_xdg() {
        let env = Env::from_pairs([("XDG_STATE_HOME", "/s")]);
        let file = Some(Path::new("/x/j.jsonl"));
        assert_eq!(journal_path(file, &env), Path::new("/x/j.jsonl"));
        assert_eq!(
            journal_path(None, &env),
            Path::new("/s/hybridctl/journal.jsonl")
        );
    }

    #[test]
    fn a_fixed_clock_does_not_move() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let c = Clock::Fixed(t);
        assert_eq!(c.epoch(), 1_700_000_000);
        assert_eq!(c.rfc3339(), "2023-11-14T22:13:20Z");
    }
}
