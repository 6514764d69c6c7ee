//! The shared history: every journal record, once fsynced locally, is also written to the
//! coordination table, in the background so no write waits for it. A failure is a warning in
//! the output and in the local journal, never a lost local record.

use std::sync::Arc;

use tokio::task::JoinSet;

use crate::aws::dynamodb;
use crate::journal::Record;

pub struct History {
    client: aws_sdk_dynamodb::Client,
    table: Arc<str>,
    seq: u32,
    pending: JoinSet<Result<(), String>>,
}

/// The sort key of a history item: time first (epoch milliseconds, fixed width, so the order
/// of the keys is the order of the records), then the run and the record's number in it.
pub fn sort_key(epoch_ms: i64, run: &str, seq: u32) -> String {
    format!("{epoch_ms:013}#{run}#{seq:04}")
}

impl History {
    pub fn new(client: aws_sdk_dynamodb::Client, table: String) -> History {
        History {
            client,
            table: table.into(),
            seq: 0,
            pending: JoinSet::new(),
        }
    }

    /// Sends one record; it is awaited in `finish`.
    pub fn send(&mut self, record: &Record, epoch_ms: i64) {
        self.seq += 1;
        let sk = sort_key(epoch_ms, &record.run, self.seq);
        let service = record.service().map(str::to_string);
        let json = match serde_json::to_string(record) {
            Ok(j) => j,
            Err(e) => {
                self.pending.spawn(async move { Err(e.to_string()) });
                return;
            }
        };
        let (client, table) = (self.client.clone(), Arc::clone(&self.table));
        self.pending.spawn(async move {
            dynamodb::put_history(
                &client,
                &table,
                &sk,
                service.as_deref(),
                &json,
                epoch_ms / 1000,
            )
            .await
            .map_err(|e| e.to_string())
        });
    }

    /// Waits for every record sent; returns the failures.
    pub async fn finish(&mut self) -> Vec<String> {
        let mut failures = Vec::new();
        while let Some(done) = self.pending.join_next().await {
            match done {
                Ok(Ok(())) => {}
                Ok(Err(e)) => failures.push(e),
                Err(e) => failures.push(e.to_string()),
            }
        }
        failures
    }
}
