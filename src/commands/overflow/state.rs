//! Where `hybridctl overflow` keeps its streaks between runs: a state file beside the journal.
//! A leaf: the failback reads it too (to land on the overflow split while overflow holds).

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::plan::overflow::OverflowState;
use crate::settings::Settings;

/// Every service's overflow memory, keyed by service name.
pub type States = BTreeMap<String, OverflowState>;

/// Where the one-shot command keeps its streaks: beside the journal.
fn state_path(s: &Settings) -> PathBuf {
    s.journal
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("overflow-state.json")
}

/// The streaks from the last run (empty on the first).
pub fn load_state(s: &Settings) -> Result<States> {
    crate::statefile::read(&state_path(s))
        .map(Option::unwrap_or_default)
        .map_err(|e| Error::Operational(anyhow::anyhow!(e)))
}

pub fn save_state(s: &Settings, states: &States) -> Result<()> {
    crate::statefile::write(&state_path(s), states)
        .map_err(|e| Error::Operational(anyhow::anyhow!(e)))
}
