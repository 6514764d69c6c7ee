//! Where the watcher's state lives between polls and restarts: the coordination table when the
//! file has one (so a standby on another host continues from it), else a local file written
//! atomically; `--observe` keeps its own local file and never touches the shared state.

use std::path::PathBuf;

use crate::aws::dynamodb;
use crate::plan::watch::WatchState;
use crate::settings::Settings;

pub enum Store {
    Local(PathBuf),
    Table {
        client: aws_sdk_dynamodb::Client,
        table: String,
        key: String,
        /// The revision last read (0: none yet); writes are conditional on it.
        rev: i64,
    },
}

/// The state's key: one watcher state per set of watched rules, whatever the file's order.
pub fn key(s: &Settings) -> String {
    let mut arns: Vec<String> = s
        .topology
        .services
        .iter()
        .map(crate::commands::live::action_arn)
        .collect();
    arns.sort();
    arns.dedup();
    format!("watch:{}", arns.join(","))
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
            _ if observe => Store::Local(dir.join("watch-observe-state.json")),
            _ => Store::Local(dir.join("watch-state.json")),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Store::Local(p) => p.display().to_string(),
            Store::Table { table, .. } => format!("coordination table {table}"),
        }
    }

    pub async fn load(&mut self) -> Result<WatchState, String> {
        match self {
            Store::Local(p) => Ok(crate::statefile::read(p)?.unwrap_or_default()),
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
                    Some((json, r)) => {
                        *rev = r;
                        serde_json::from_str(&json).map_err(|e| {
                            format!("the watch state in {table} ({key}) is corrupt: {e}")
                        })
                    }
                }
            }
        }
    }

    /// Saves; a table write that lost a race (another watcher wrote) is an error: the caller
    /// reloads on its next poll.
    pub async fn save(&mut self, state: &WatchState) -> Result<(), String> {
        match self {
            Store::Local(p) => crate::statefile::write(p, state),
            Store::Table {
                client,
                table,
                key,
                rev,
            } => {
                let json = serde_json::to_string(state).map_err(|e| e.to_string())?;
                match dynamodb::put_watch_state(client, table, key, &json, *rev).await {
                    Ok(true) => {
                        *rev += 1;
                        Ok(())
                    }
                    Ok(false) => Err(format!(
                        "another watcher wrote the watch state in {table} meanwhile; it is read again next poll"
                    )),
                    Err(e) => Err(format!("cannot write the watch state to {table}: {e}")),
                }
            }
        }
    }
}

/// The stored state for `status` (None: no watcher has run here or in the table).
pub async fn peek(
    s: &Settings,
    table: Option<aws_sdk_dynamodb::Client>,
) -> Option<crate::plan::watch::WatchStatus> {
    let mut store = Store::open(s, table, false);
    match &store {
        Store::Local(p) if !p.exists() => return None,
        // One read of the table, only for files that configure a watcher.
        Store::Table { .. } if s.topology.watch.is_none() => return None,
        _ => {}
    }
    let state = match store.load().await {
        Ok(st) if st.last_evaluation.is_none() => return None,
        other => other,
    };
    Some(crate::plan::watch::WatchStatus::of(store.describe(), state))
}
