//! Runs Terraform (or OpenTofu) for the DR environment and follows its machine-readable UI
//! stream (`-json`): planned changes, apply progress per resource, errors and diagnostics.
//! The full stream is kept in a log file; progress goes to stderr.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

use crate::signal::Interrupt;
use crate::topology::Terraform;

/// What an `apply`, `destroy` or `plan` run reported.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub success: bool,
    /// Resources planned to change (planned_change events, or the change summary).
    pub planned: u64,
    /// Resources finished (apply_complete events).
    pub done: u64,
    /// `error` diagnostics and apply_errored messages, in order.
    pub errors: Vec<String>,
    /// "Plan: 3 to add, 0 to change, 0 to destroy." and the like.
    pub summary: Option<String>,
    /// hybridctl was signalled during the run and passed it on as SIGINT.
    pub interrupted: bool,
}

/// One line of the stream; only the fields hybridctl reads.
#[derive(Debug, Deserialize)]
struct Line {
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "@message", default)]
    message: String,
    #[serde(default)]
    hook: Option<Hook>,
    #[serde(default)]
    diagnostic: Option<Diagnostic>,
    #[serde(default)]
    changes: Option<Changes>,
}

#[derive(Debug, Deserialize)]
struct Hook {
    #[serde(default)]
    resource: Option<Resource>,
}

#[derive(Debug, Deserialize)]
struct Resource {
    #[serde(default)]
    addr: String,
}

#[derive(Debug, Deserialize)]
struct Diagnostic {
    #[serde(default)]
    severity: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    detail: String,
}

#[derive(Debug, Deserialize)]
struct Changes {
    #[serde(default)]
    add: u64,
    #[serde(default)]
    change: u64,
    #[serde(default)]
    remove: u64,
}

/// Progress callbacks: (done, planned, current resource).
pub type OnProgress<'a> = &'a (dyn Fn(u64, u64, &str) + Sync);

/// Where Terraform runs and how it is called.
pub struct Runner {
    pub binary: PathBuf,
    pub dir: PathBuf,
    pub vars: Vec<(String, String)>,
    pub log: PathBuf,
}

/// Finds the binary (a path, or a name on PATH) and checks the directory: both are usage
/// errors (exit 2) when missing, before anything changes.
pub fn runner(tf: &Terraform, log: PathBuf, env: &crate::settings::Env) -> Result<Runner, String> {
    let binary = find_binary(&tf.binary, env.get("PATH")).ok_or_else(|| {
        format!(
            "Terraform binary `{}` not found on PATH: install terraform (or tofu and set dr.terraform.binary: tofu)",
            tf.binary
        )
    })?;
    if !tf.dir.is_dir() {
        return Err(format!(
            "dr.terraform.dir {} is not a directory",
            tf.dir.display()
        ));
    }
    Ok(Runner {
        binary,
        dir: tf.dir.clone(),
        vars: tf.vars.clone(),
        log,
    })
}

fn find_binary(name: &str, path: Option<&str>) -> Option<PathBuf> {
    let p = Path::new(name);
    if p.components().count() > 1 {
        return p.is_file().then(|| p.to_path_buf());
    }
    path.and_then(|paths| {
        std::env::split_paths(paths)
            .map(|d| d.join(name))
            .find(|c| c.is_file())
    })
}

impl Runner {
    /// The apply as the plan shows it.
    pub fn describe_apply(&self) -> String {
        let bin = self.binary.display();
        format!(
            "{bin} init; {bin} apply -auto-approve -input=false -json {} (in {})",
            self.var_args().join(" "),
            self.dir.display()
        )
    }

    /// The destroy as the plan shows it.
    pub fn describe_destroy(&self) -> String {
        format!(
            "{} destroy -auto-approve -input=false -json (in {})",
            self.binary.display(),
            self.dir.display()
        )
    }

    fn var_args(&self) -> Vec<String> {
        self.vars
            .iter()
            .map(|(k, v)| format!("-var={k}={v}"))
            .collect()
    }

    /// `init -input=false`; its output goes to the log only.
    pub async fn init(&self) -> Result<(), String> {
        let out = self
            .run(&["init", "-input=false", "-no-color"], &[], None, None)
            .await?;
        if out.success {
            Ok(())
        } else {
            Err(self.failure("init", &out))
        }
    }

    /// `apply -auto-approve -input=false -json -var ...`. A signal to hybridctl is passed on
    /// to Terraform as SIGINT (it then stops after the operations in flight and saves its
    /// state), so a systemd stop or a Jenkins abort ends a 30-minute apply promptly.
    pub async fn apply(
        &self,
        progress: OnProgress<'_>,
        stop: &Interrupt,
    ) -> Result<Outcome, String> {
        self.run(
            &["apply", "-auto-approve", "-input=false", "-json"],
            &self.var_args(),
            Some(progress),
            Some(stop),
        )
        .await
    }

    /// `destroy -auto-approve -input=false -json -var ...`, stopped like `apply`.
    pub async fn destroy(
        &self,
        progress: OnProgress<'_>,
        stop: &Interrupt,
    ) -> Result<Outcome, String> {
        self.run(
            &["destroy", "-auto-approve", "-input=false", "-json"],
            &self.var_args(),
            Some(progress),
            Some(stop),
        )
        .await
    }

    /// `plan -input=false -json -var ...` (changes nothing).
    pub async fn plan(&self) -> Result<Outcome, String> {
        self.run(
            &["plan", "-input=false", "-json"],
            &self.var_args(),
            None,
            None,
        )
        .await
    }

    pub fn failure(&self, what: &str, out: &Outcome) -> String {
        let errors = if out.errors.is_empty() {
            "no diagnostics".to_string()
        } else {
            out.errors.join("; ")
        };
        format!(
            "terraform {what} failed: {errors} (full log: {})",
            self.log.display()
        )
    }

    async fn run(
        &self,
        args: &[&str],
        vars: &[String],
        progress: Option<OnProgress<'_>>,
        stop: Option<&Interrupt>,
    ) -> Result<Outcome, String> {
        if let Some(dir) = self.log.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        // Owner-only: Terraform's output can hold values a person should not share.
        let mut log = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&self.log)
            .await
            .map_err(|e| format!("cannot open the Terraform log {}: {e}", self.log.display()))?;
        log.write_all(
            format!(
                "# {} {} {}\n",
                self.binary.display(),
                args.join(" "),
                vars.join(" ")
            )
            .as_bytes(),
        )
        .await
        .ok();
        let mut child = Command::new(&self.binary)
            .args(args)
            .args(vars)
            .current_dir(&self.dir)
            .env("TF_IN_AUTOMATION", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.binary.display()))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let mut out = Outcome::default();
        let mut lines = BufReader::new(stdout).lines();
        let pid = child.id();
        let signalled = async {
            match stop {
                Some(s) => s.wait().await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(signalled);
        loop {
            tokio::select! {
                line = lines.next_line() => {
                    let Ok(Some(line)) = line else { break };
                    log.write_all(line.as_bytes()).await.ok();
                    log.write_all(b"\n").await.ok();
                    follow(&line, &mut out, progress);
                }
                sig = &mut signalled, if !out.interrupted => {
                    out.interrupted = true;
                    if let Some(pid) = pid {
                        log.write_all(format!("# {}: passed on to terraform as SIGINT\n", sig.name()).as_bytes()).await.ok();
                        let _ = std::process::Command::new("kill").args(["-INT", &pid.to_string()]).status();
                    }
                }
            }
        }
        let mut err_text = String::new();
        let mut err_lines = BufReader::new(stderr).lines();
        while let Ok(Some(line)) = err_lines.next_line().await {
            log.write_all(format!("stderr: {line}\n").as_bytes())
                .await
                .ok();
            err_text.push_str(&line);
            err_text.push('\n');
        }
        let status = child
            .wait()
            .await
            .map_err(|e| format!("terraform did not finish: {e}"))?;
        log.flush().await.ok();
        out.success = status.success();
        if !out.success && out.errors.is_empty() {
            let why = match status.code() {
                Some(c) => format!("exit status {c}"),
                None => "killed by a signal".to_string(),
            };
            let tail: String = err_text.lines().last().unwrap_or("").to_string();
            out.errors.push(if tail.is_empty() {
                why
            } else {
                format!("{why}: {tail}")
            });
        }
        Ok(out)
    }
}

/// Updates the outcome from one stream line; lines that are not JSON are kept in the log only.
fn follow(line: &str, out: &mut Outcome, progress: Option<OnProgress<'_>>) {
    let Ok(l) = serde_json::from_str::<Line>(line) else {
        return;
    };
    let addr = l
        .hook
        .as_ref()
        .and_then(|h| h.resource.as_ref())
        .map(|r| r.addr.clone())
        .unwrap_or_default();
    match l.kind.as_str() {
        "planned_change" => out.planned += 1,
        "change_summary" => {
            if let Some(c) = &l.changes {
                out.planned = out.planned.max(c.add + c.change + c.remove);
            }
            out.summary = Some(l.message.clone());
        }
        "apply_start" | "apply_progress" => {
            if let Some(p) = progress {
                p(out.done, out.planned, &addr);
            }
        }
        "apply_complete" => {
            out.done += 1;
            if let Some(p) = progress {
                p(out.done, out.planned, &addr);
            }
        }
        "apply_errored" => out.errors.push(l.message.clone()),
        "diagnostic" => {
            if let Some(d) = &l.diagnostic
                && d.severity == "error"
            {
                let detail = if d.detail.is_empty() {
                    String::new()
                } else {
                    format!(": {}", d.detail)
                };
                out.errors.push(format!("{}{detail}", d.summary));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_documented_stream() {
        let stream = [
            r#"{"@level":"info","@message":"Terraform 1.9.0","type":"version","terraform":"1.9.0","ui":"1.2"}"#,
            r#"{"@message":"module.eks.aws_eks_cluster.this: Plan to create","type":"planned_change","change":{"resource":{"addr":"module.eks.aws_eks_cluster.this"},"action":"create"}}"#,
            r#"{"@message":"aws_eks_node_group.ng: Plan to create","type":"planned_change","change":{"resource":{"addr":"aws_eks_node_group.ng"},"action":"create"}}"#,
            r#"{"@message":"Plan: 2 to add, 0 to change, 0 to destroy.","type":"change_summary","changes":{"add":2,"change":0,"remove":0,"operation":"apply"}}"#,
            r#"{"@message":"module.eks.aws_eks_cluster.this: Creating...","type":"apply_start","hook":{"resource":{"addr":"module.eks.aws_eks_cluster.this"},"action":"create"}}"#,
            r#"{"@message":"module.eks.aws_eks_cluster.this: Still creating... [10s elapsed]","type":"apply_progress","hook":{"resource":{"addr":"module.eks.aws_eks_cluster.this"},"elapsed_seconds":10}}"#,
            r#"{"@message":"module.eks.aws_eks_cluster.this: Creation complete after 9m2s","type":"apply_complete","hook":{"resource":{"addr":"module.eks.aws_eks_cluster.this"},"action":"create"}}"#,
            r#"{"@message":"aws_eks_node_group.ng: Creation errored after 1s","type":"apply_errored","hook":{"resource":{"addr":"aws_eks_node_group.ng"}}}"#,
            r#"{"@level":"error","@message":"Error: creating EKS Node Group","type":"diagnostic","diagnostic":{"severity":"error","summary":"creating EKS Node Group","detail":"InvalidParameterException: subnet"}}"#,
            "not json at all",
        ];
        let seen = std::sync::Mutex::new(Vec::new());
        let cb = |done: u64, planned: u64, addr: &str| {
            seen.lock().unwrap().push((done, planned, addr.to_string()))
        };
        let mut out = Outcome::default();
        for line in stream {
            follow(line, &mut out, Some(&cb));
        }
        assert_eq!((out.planned, out.done), (2, 1));
        assert_eq!(
            out.summary.as_deref(),
            Some("Plan: 2 to add, 0 to change, 0 to destroy.")
        );
        assert_eq!(
            out.errors,
            [
                "aws_eks_node_group.ng: Creation errored after 1s",
                "creating EKS Node Group: InvalidParameterException: subnet"
            ]
        );
        assert_eq!(
            seen.lock().unwrap().last().unwrap(),
            &(1, 2, "module.eks.aws_eks_cluster.this".to_string())
        );
    }
}
