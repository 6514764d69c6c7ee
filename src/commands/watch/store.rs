//! Where the watcher's state lives between polls and restarts: the coordination table when the
//! file has one (so a standby on another host continues from it), else a local file written
//! atomically; `--observe` keeps its own local file and never touches the shared state.

use std::path::PathBuf;

use crate::aws::dynamodb;
use crate::plan::watch::WatchState;
use crate::settings::Settings;
use crate::topology::Route;

pub enum Store {
    Local {
        path: PathBuf,
        /// The revision last read or written; a save finding another is a conflict.
        rev: u64,
    },
    Table {
        client: aws_sdk_dynamodb::Client,
        table: String,
        key: String,
        /// The revision last read (0: none yet); writes are conditional on it.
        rev: i64,
    },
}

/// Why a save did not happen.
pub enum SaveError {
    /// Someone else wrote the state meanwhile (`watch --unlatch`, another watcher): read it
    /// again before the next decision.
    Conflict(String),
    /// The store cannot be written (disk full, permissions, throttling): keep the state in
    /// memory and try again next poll.
    Failed(String),
}

/// The deployment a watcher watches: its load balancers, whatever services the file lists, so
/// that two hosts whose files differ by a service (a rolling change) still share one lease and
/// one state. Bounded (DynamoDB sort keys are at most 1024 bytes): the first load balancer's
/// name and a hash of them all. E.g. `watch:hybrid-alb:5f0c7d3e9a1b2c4d`.
pub fn key(s: &Settings) -> String {
    let mut albs: Vec<String> = s
        .topology
        .services
        .iter()
        .map(|svc| match &svc.route {
            Route::Alb {
                listener_arn: a, ..
            } => {
                let lb: Vec<&str> = a.segments().into_iter().skip(1).take(3).collect();
                format!("{}:{}:{}", a.account, a.region, lb.join("/"))
            }
            Route::Dns(d) => format!("route53:{}", d.zone_id),
        })
        .collect();
    albs.sort();
    albs.dedup();
    let name = s
        .topology
        .services
        .iter()
        .map(|svc| match &svc.route {
            Route::Alb { listener_arn, .. } => listener_arn.elb_name().to_string(),
            Route::Dns(d) => d.record.trim_end_matches('.').to_string(),
        })
        .min()
        .unwrap_or_default();
    let hash = albs
        .join(",")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("watch:{name}:{hash:016x}")
}

fn local_name(stem: &str, s: &Settings) -> String {
    let k = key(s);
    let hash = k.rsplit(':').next().unwrap_or_default();
    format!("{stem}-{hash}.json")
}

impl Store {
    pub fn open(s: &Settings, table: Option<aws_sdk_dynamodb::Client>, observe: bool) -> Store {
        let dir = s
            .journal
            .parent()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        match (table, &s.topology.coordination) {
            (Some(client), Some(c)) if !observe => Store::Table {
                client,
                table: c.dynamodb_table.clone(),
                key: key(s),
                rev: 0,
            },
            // One file per deployment: two topologies on one host never share a state.
            _ => Store::Local {
                path: dir.join(local_name(
                    if observe {
                        "watch-observe-state"
                    } else {
                        "watch-state"
                    },
                    s,
                )),
                rev: 0,
            },
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Store::Local { path, .. } => path.display().to_string(),
            Store::Table { table, .. } => format!("coordination table {table}"),
        }
    }

    pub async fn load(&mut self) -> Result<WatchState, String> {
        match self {
            Store::Local { path, rev } => {
                let st: WatchState = crate::statefile::read(path)?.unwrap_or_default();
                *rev = st.rev;
                Ok(st)
            }
            Store::Table {
                client,
                table,
                key,
                rev,
            } => {
                let got = dynamodb::watch_state(client, table, key)
                    .await
                    .map_err(|e| format!("cannot read the watch state from {table}: {e}"))?;
                match got {
                    None => {
                        *rev = 0;
                        Ok(WatchState::default())
                    }
                    Some((_, None)) => Err(format!(
                        "the watch state in {table} (pk=watch, sk={key}) has no revision: it was edited by hand; \
                         delete the item to start from a fresh state"
                    )),
                    Some((json, Some(r))) => {
                        *rev = r;
                        serde_json::from_str(&json).map_err(|e| {
                            format!("the watch state in {table} ({key}) is corrupt: {e}")
                        })
                    }
                }
            }
        }
    }

    /// Saves `state` if nobody wrote since it was read.
    pub async fn save(&mut self, state: &WatchState) -> Result<(), SaveError> {
        match self {
            Store::Local { path, rev } => {
                // One host: the watcher's own lock keeps other watchers out; only a person's
                // `watch --unlatch` may write meanwhile, and it bumps the revision.
                let on_disk = crate::statefile::read::<WatchState>(path)
                    .map_err(SaveError::Failed)?
                    .map_or(0, |st| st.rev);
                if on_disk != *rev {
                    return Err(SaveError::Conflict(format!(
                        "{} was changed meanwhile (watch --unlatch?); it is read again",
                        path.display()
                    )));
                }
                let mut next = state.clone();
                next.rev = *rev + 1;
                crate::statefile::write(path, &next).map_err(SaveError::Failed)?;
                *rev = next.rev;
                Ok(())
            }
            Store::Table {
                client,
                table,
                key,
                rev,
            } => {
                let json =
                    serde_json::to_string(state).map_err(|e| SaveError::Failed(e.to_string()))?;
                match dynamodb::put_watch_state(client, table, key, &json, *rev).await {
                    Ok(true) => {
                        *rev += 1;
                        Ok(())
                    }
                    Ok(false) => Err(SaveError::Conflict(format!(
                        "the watch state in {table} was written meanwhile (watch --unlatch, or another watcher); it is read again"
                    ))),
                    Err(e) => Err(SaveError::Failed(format!(
                        "cannot write the watch state to {table}: {e}"
                    ))),
                }
            }
        }
    }
}

/// The stored state for `status` (None: no watcher has run here or in the table), and the
/// last drill per service (written by `hybridctl drill` and `watch`'s schedule).
pub async fn peek(
    s: &Settings,
    table: Option<aws_sdk_dynamodb::Client>,
) -> (
    Option<crate::plan::watch::WatchStatus>,
    std::collections::BTreeMap<String, crate::plan::watch::LastDrill>,
) {
    let mut store = Store::open(s, table, false);
    match &store {
        Store::Local { path, .. } if !path.exists() => return (None, Default::default()),
        // One read of the table, only for files that configure a watcher or drills.
        Store::Table { .. } if s.topology.watch.is_none() && s.topology.drill.is_none() => {
            return (None, Default::default());
        }
        _ => {}
    }
    let state = store.load().await;
    let drills = state
        .as_ref()
        .map(|st| st.drills.clone())
        .unwrap_or_default();
    let watched = match &state {
        Ok(st) => st.last_evaluation.is_some(),
        Err(_) => s.topology.watch.is_some(),
    };
    let status = watched.then(|| crate::plan::watch::WatchStatus::of(store.describe(), state));
    (status, drills)
}
