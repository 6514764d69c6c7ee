//! The audit journal: one JSON record a line, appended and fsynced, never truncated. One
//! tagged type (`kind`, `schema`): `intent` before each write (so even SIGKILL leaves a record
//! of what may have been written), `outcome` after it, `change` per service and `step` per DR
//! step at the end of a run, `warning` for anything the run could not do (a tag, a record).
//! Lines written before schema 2 (no `kind`) still read.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::plan::traffic::Weights;
use crate::report::{Outcome, StepOutcome};

pub const SCHEMA: u32 = 2;
pub const HISTORY_SCHEMA: &str = "hybridctl.history/v1";

/// `hybridctl history`: journal records, newest first, from the shared history or a journal.
#[derive(Debug, Serialize)]
pub struct HistoryReport {
    pub schema: &'static str,
    /// `coordination table NAME` or `journal PATH`.
    pub source: String,
    pub records: Vec<Record>,
}

/// One journal line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    #[serde(flatten)]
    pub body: Body,
    pub schema: u32,
    pub time: String,
    /// Joins one run's records.
    pub run: String,
    pub user: String,
    pub host: String,
    pub pid: Option<u32>,
    pub command: String,
    pub reason: Option<String>,
    /// The lease this write ran under: `gen 7` (the fencing generation in the coordination
    /// table), `NO LEASE: REASON` (`--no-lease`); absent without a coordination table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease: Option<String>,
    /// Who acted when not a person at a terminal: `watch`, `lambda`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

/// What AWS holds (or will) for one resource: a service's weights, or a DR stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Held {
    Stage {
        stage: String,
    },
    /// An ECS service's or Auto Scaling group's sizes (`max` None: an ECS service without a
    /// scalable target, which has no maximum of its own).
    Capacity {
        min: u32,
        desired: u32,
        max: Option<u32>,
    },
    Weights(Weights),
}

impl Held {
    pub fn capacity(s: crate::plan::capacity::Sizes) -> Held {
        Held::Capacity {
            min: s.min,
            desired: s.desired,
            max: s.max,
        }
    }

    /// A scaler's sizes, for a capacity record.
    pub fn sizes(&self) -> Option<crate::plan::capacity::Sizes> {
        match self {
            Held::Capacity { min, desired, max } => Some(crate::plan::capacity::Sizes {
                min: *min,
                desired: *desired,
                max: *max,
            }),
            _ => None,
        }
    }
}

/// How a write ended, as far as this run knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WriteResult {
    /// Written and read back.
    Verified,
    /// The call failed: AWS may or may not hold it (see `now`).
    Failed,
    /// Written, but it did not read back.
    NotVerified,
    /// A signal arrived during the write (see `now`).
    Interrupted,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Body {
    /// About to write `to` to `resource`.
    Intent {
        resource: String,
        service: Option<String>,
        step: String,
        to: Held,
        forced_gates: Vec<String>,
        /// What the resource held before (a scale-out's sizes, which failback gives back).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        before: Option<Held>,
    },
    /// How the write ended; `now` is what AWS was read to hold (None: unknown).
    Outcome {
        resource: String,
        service: Option<String>,
        step: String,
        result: WriteResult,
        now: Option<Held>,
        message: Option<String>,
    },
    /// A traffic run's summary for one service it wrote or tried to write.
    Change {
        service: String,
        before: Weights,
        /// What AWS holds at the end; None when it could not be read and nothing was verified.
        after: Option<Weights>,
        target: Weights,
        /// The planned steps.
        steps: usize,
        /// Writes verified, rollback included (None in schema 1 lines).
        written: Option<usize>,
        forced_gates: Vec<String>,
        outcome: Outcome,
        message: String,
        /// A signal that arrived while the last write was in flight: the change was completed
        /// and is reported as it is, and the run ends with the signal's exit code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        interrupted_by: Option<String>,
    },
    /// A DR step's result.
    Step {
        step: String,
        outcome: StepOutcome,
        message: String,
        /// As for `Change`: the signal that arrived while the step's write was in flight.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        interrupted_by: Option<String>,
    },
    /// Something the run could not do that a reader of the journal must know.
    Warning { message: String },
    /// A drill's end (`hybridctl drill`, or `watch`'s schedule): its shift and its return are
    /// the run's `change` records (command `drill`); this says how the drill itself ended.
    Drill {
        service: String,
        /// passed | failed | aborted | refused | interrupted
        outcome: String,
        message: String,
        /// The weights before the drill (what the return goes back to).
        before: Option<Weights>,
        /// The weights the drill held.
        during: Option<Weights>,
        /// What AWS held at the end, as last read or verified.
        after: Option<Weights>,
        share: u32,
        hold_seconds: u64,
        /// When the drill began (RFC 3339).
        started: String,
        /// The receiving target group's metrics over the hold, when read.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        metrics: Option<crate::plan::drill::MetricsReading>,
    },
}

impl Body {
    /// The record's `kind` as written: `intent`, `change`, `drill`...
    pub fn kind(&self) -> &'static str {
        match self {
            Body::Intent { .. } => "intent",
            Body::Outcome { .. } => "outcome",
            Body::Change { .. } => "change",
            Body::Step { .. } => "step",
            Body::Warning { .. } => "warning",
            Body::Drill { .. } => "drill",
        }
    }

    /// The resource a write record is about.
    pub fn resource(&self) -> Option<&str> {
        match self {
            Body::Intent { resource, .. } | Body::Outcome { resource, .. } => Some(resource),
            _ => None,
        }
    }
}

impl Record {
    /// The service the record is about, if any.
    pub fn service(&self) -> Option<&str> {
        match &self.body {
            Body::Intent { service, .. } | Body::Outcome { service, .. } => service.as_deref(),
            Body::Change { service, .. } | Body::Drill { service, .. } => Some(service),
            Body::Step { .. } | Body::Warning { .. } => None,
        }
    }

    /// A line of any schema: schema 2 as is, older lines mapped onto the same type.
    pub fn parse(line: &str) -> Result<Record, String> {
        // Straight from the text, so weights keep their site order (a `Value` sorts keys).
        let typed = serde_json::from_str::<Record>(line);
        let v: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
        if v.get("kind").is_some() {
            return typed.map_err(|e| e.to_string());
        }
        legacy(&v).ok_or_else(|| "neither a schema 2 record nor a schema 1 line".to_string())
    }
}

fn legacy(v: &Value) -> Option<Record> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let weights = |k: &str| serde_json::from_value::<Weights>(v.get(k)?.clone()).ok();
    let body = if let Some(step) = s("step") {
        Body::Step {
            outcome: serde_json::from_value(v.get("outcome")?.clone()).ok()?,
            step,
            message: s("message").unwrap_or_default(),
            interrupted_by: None,
        }
    } else {
        let after = weights("after").filter(|w| !w.is_empty());
        Body::Change {
            service: s("service")?,
            before: weights("before")?,
            after,
            target: weights("target").unwrap_or_default(),
            steps: v.get("steps").and_then(Value::as_u64).unwrap_or(0) as usize,
            written: None,
            forced_gates: serde_json::from_value(v.get("forced_gates")?.clone())
                .unwrap_or_default(),
            outcome: serde_json::from_value(v.get("outcome")?.clone()).ok()?,
            message: s("message").unwrap_or_default(),
            interrupted_by: None,
        }
    };
    Some(Record {
        body,
        schema: 1,
        time: s("time")?,
        run: String::new(),
        user: s("user")?,
        host: s("host")?,
        pid: None,
        command: s("command")?,
        reason: s("reason"),
        lease: None,
        actor: None,
    })
}

/// Every record of a journal file, oldest first, and a problem (`FILE:LINE: why`) for each
/// line that cannot be read (a line torn by a full disk or a crash): those are skipped, so
/// one bad line never hides the rest of the record.
pub fn read(path: &Path) -> Result<(Vec<Record>, Vec<String>), String> {
    let bytes = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let text = String::from_utf8_lossy(&bytes);
    let (mut records, mut problems) = (Vec::new(), Vec::new());
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        match Record::parse(line) {
            Ok(r) => records.push(r),
            Err(e) => problems.push(format!("{}:{}: {e}", path.display(), i + 1)),
        }
    }
    Ok((records, problems))
}

/// The journal, open for appending.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: File,
}

impl Journal {
    /// Opens (creating the folder and the file): the proof, before the first write, that the
    /// journal can take records.
    pub fn open(path: &Path) -> std::io::Result<Journal> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(path)?;
        Ok(Journal {
            path: path.to_path_buf(),
            file,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line and fsyncs it before returning. A line left torn by an earlier failure
    /// (a full disk, a crash) is ended first, so this record starts on a line of its own; an
    /// append that fails is cut back, so it leaves no torn line behind.
    pub fn append(&mut self, record: &Record) -> std::io::Result<()> {
        use std::os::unix::fs::FileExt;
        let mut line = serde_json::to_vec(record).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let len = self.file.metadata()?.len();
        let mut last = [b'\n'];
        if len > 0 {
            self.file.read_exact_at(&mut last, len - 1)?;
        }
        if last[0] != b'\n' {
            line.insert(0, b'\n');
        }
        let written = self
            .file
            .write_all(&line)
            .and_then(|()| self.file.sync_data());
        if written.is_err() {
            let _ = self.file.set_len(len);
        }
        written
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(body: Body) -> Record {
        Record {
            body,
            schema: SCHEMA,
            time: "2026-11-23T00:00:00Z".into(),
            run: "r1".into(),
            user: "u".into(),
            host: "h".into(),
            pid: Some(7),
            command: "failover".into(),
            reason: Some("drill".into()),
            lease: Some("gen 3".into()),
            actor: None,
        }
    }

    fn w(a: u32, b: u32) -> Weights {
        [("onprem".to_string(), a), ("aws".to_string(), b)]
            .into_iter()
            .collect()
    }

    #[test]
    fn records_round_trip_with_their_kind() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("deep/journal.jsonl");
        let mut j = Journal::open(&p).unwrap();
        let records = [
            rec(Body::Intent {
                resource: "arn:rule".into(),
                service: Some("web".into()),
                step: "1/1".into(),
                to: Held::Weights(w(0, 100)),
                forced_gates: vec![],
                before: None,
            }),
            rec(Body::Outcome {
                resource: "arn:rule".into(),
                service: Some("web".into()),
                step: "1/1".into(),
                result: WriteResult::Verified,
                now: Some(Held::Weights(w(0, 100))),
                message: None,
            }),
            rec(Body::Outcome {
                resource: "zone/rec".into(),
                service: None,
                step: "recovered".into(),
                result: WriteResult::Interrupted,
                now: Some(Held::Stage {
                    stage: "building".into(),
                }),
                message: None,
            }),
            rec(Body::Warning {
                message: "tag failed".into(),
            }),
        ];
        for r in &records {
            j.append(r).unwrap();
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["kind"], "intent");
        assert_eq!(first["schema"], 2);
        assert_eq!(first["to"]["aws"], 100);
        assert_eq!(read(&p).unwrap(), (records.to_vec(), vec![]));
    }

    #[test]
    fn schema_1_lines_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("journal.jsonl");
        std::fs::write(
            &p,
            concat!(
                r#"{"time":"t","user":"u","host":"h","command":"failover","reason":null,"service":"web","before":{"onprem":40,"aws":60},"after":{},"target":{"onprem":0,"aws":100},"steps":1,"forced_gates":["health web/aws"],"outcome":"failed","message":"m"}"#,
                "\n",
                r#"{"time":"t","user":"u","host":"h","command":"dr provision","reason":"x","step":"ready","outcome":"done earlier","message":"m"}"#,
                "\n"
            ),
        )
        .unwrap();
        let (got, problems) = read(&p).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].schema, 1);
        match &got[0].body {
            Body::Change {
                after,
                outcome,
                forced_gates,
                ..
            } => {
                assert_eq!(after, &None);
                assert_eq!(*outcome, Outcome::Failed);
                assert_eq!(forced_gates, &["health web/aws"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            got[1].body,
            Body::Step {
                outcome: StepOutcome::DoneEarlier,
                ..
            }
        ));
        std::fs::write(&p, "{\"nonsense\":1}\n").unwrap();
        let (good, bad) = read(&p).unwrap();
        assert!(
            good.is_empty() && bad[0].contains("journal.jsonl:1:"),
            "{bad:?}"
        );
    }

    #[test]
    fn a_torn_line_is_ended_before_the_next_record_and_skipped_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("journal.jsonl");
        let rec = rec(Body::Warning {
            message: "m".into(),
        });
        let mut j = Journal::open(&p).unwrap();
        j.append(&rec).unwrap();
        // A record torn half-way (the disk filled up during the write).
        let mut f = OpenOptions::new().append(true).open(&p).unwrap();
        f.write_all(b"{\"kind\":\"outcome\",\"reso").unwrap();
        drop(f);
        j.append(&rec).unwrap();
        let (good, bad) = read(&p).unwrap();
        assert_eq!(good, vec![rec.clone(), rec]);
        assert_eq!(bad.len(), 1);
        assert!(bad[0].contains("journal.jsonl:2:"), "{bad:?}");
    }

    #[test]
    fn a_directory_is_not_a_journal() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Journal::open(dir.path()).is_err());
    }
}
