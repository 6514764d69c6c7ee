//! `hybridctl lambda`: the same binary as the failover alarm's Lambda function
//! (`provided.al2023`). A runtime loop on the Lambda Runtime API (`lambda_runtime`): the
//! topology is validated at cold start (an invalid one fails the init, located as `validate`
//! says it), then each event is classified by `plan::lambda` and handled by the same code as
//! `watch` and the manual commands. `lambda package` builds the deployable zip.

mod handle;
mod package;
mod runtime_api;

use std::path::{Path, PathBuf};

use crate::aws::AwsContext;
use crate::cli::{GlobalArgs, LambdaArgs, LambdaCommand, WatchArgs};
use crate::commands::watch::{self, Watcher, signals::Signals};
use crate::error::{Error, ExitStatus, Result};
use crate::render::Output;
use crate::settings::{Env, Identity, Settings};

/// The watcher's flags for the lambda: it writes, one evaluation per event.
static ONCE: WatchArgs = WatchArgs {
    observe: false,
    once: true,
    unlatch: None,
    reason: None,
    listen: None,
};

/// After a signal, how long the runtime may take to post the answer of the event that was in
/// flight (Lambda's shutdown phase gives a runtime 300 to 500 ms).
const ANSWER_GRACE: std::time::Duration = std::time::Duration::from_millis(250);

/// The variables `lambda_runtime` reads (it panics without them); Lambda always sets them.
const LAMBDA_ENV: [&str; 3] = [
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
];

pub fn run(g: &GlobalArgs, args: &LambdaArgs, out: &Output, env: Env) -> Result<ExitStatus> {
    match &args.command {
        Some(LambdaCommand::Package(p)) => package::run(&g.config, p, out),
        None => serve(g, out, env),
    }
}

/// The topology: `HYBRIDCTL_CONFIG` or `-c` when given, else `hybridctl.yaml` beside the binary
/// (in the package, beside `bootstrap`; Lambda's working directory is not promised).
fn config_path(g: &GlobalArgs, env: &Env) -> PathBuf {
    let default = Path::new("hybridctl.yaml");
    if env.get("HYBRIDCTL_CONFIG").is_some() || g.config != default {
        return g.config.clone();
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|d| d.join(default)))
        .unwrap_or_else(|| default.to_path_buf())
}

fn serve(g: &GlobalArgs, out: &Output, env: Env) -> Result<ExitStatus> {
    let Some(api) = env.get("AWS_LAMBDA_RUNTIME_API").map(str::to_string) else {
        return Err(Error::Usage {
            message: "hybridctl lambda runs inside AWS Lambda: AWS_LAMBDA_RUNTIME_API is not set"
                .into(),
            hint: Some(
                "build the function's zip with `hybridctl lambda package` (docs/lambda.md)".into(),
            ),
        });
    };
    let out = lambda_output(out);
    let rt = crate::runtime()?;
    rt.block_on(async {
        let api = runtime_api::Api::new(&api)?;
        let s = match init(g, &env) {
            Ok(s) => s,
            Err(e) => return Err(api.init_failed(e).await),
        };
        let ctx = AwsContext::load(&s.aws).await?;
        let table = crate::runbook::table_client(&s, &ctx);
        let signals = Signals::install()
            .map_err(|e| Error::Operational(anyhow::anyhow!("cannot catch signals: {e}")))?;
        let f = s.topology.failover.as_ref().expect("prepared");
        out.note(&format!(
            "lambda: ready: {} service(s), failover {} -> {}, alarm {}, state and lease in coordination table {}",
            s.topology.services.len(),
            f.from,
            f.to,
            f.alarm.as_deref().unwrap_or("(none)"),
            s.topology.coordination.as_ref().map_or("", |c| c.dynamodb_table.as_str()),
        ));
        let stop = signals.stop.clone();
        let w = Watcher::new(s, ctx, table, &ONCE, &out, signals, "lambda");
        let w = tokio::sync::Mutex::new(w);
        let w = &w;
        let service = lambda_runtime::service_fn(move |ev: lambda_runtime::LambdaEvent<serde_json::Value>| async move {
            let mut w = w.lock().await;
            handle::event(&mut w, ev.payload, &ev.context.request_id).await
        });
        let runtime = lambda_runtime::Runtime::new(service).run();
        tokio::pin!(runtime);
        tokio::select! {
            done = &mut runtime => {
                done.map_err(|e| Error::Operational(anyhow::anyhow!("the Lambda Runtime API failed: {e}")))?;
            }
            sig = stop.wait() => {
                // Lambda's shutdown (SIGTERM): the event in flight finishes its step (the
                // runbook sees the signal) and is answered; then the process ends.
                // The runtime is driven meanwhile: the handler runs inside it.
                let idle = async { drop(w.lock().await) };
                tokio::select! {
                    () = idle => {
                        let _ = tokio::time::timeout(ANSWER_GRACE, &mut runtime).await;
                    }
                    _ = &mut runtime => {}
                }
                out.note(&format!("lambda: {}: stopped", sig.name()));
            }
        }
        Ok(ExitStatus::Success)
    })
}

/// Plain lines on stderr for CloudWatch Logs: no colour, no progress bars, no prompt, and
/// the reports go to the Runtime API rather than stdout.
fn lambda_output(out: &Output) -> Output {
    let mut o = out.clone();
    o.format = crate::render::Format::Json;
    o.color = false;
    o.stderr_color = false;
    o.quiet = false;
    o.stdout_is_tty = false;
    o.stderr_is_tty = false;
    o.stdin_is_tty = false;
    o
}

/// Cold start: the topology validated, `coordination` and `failover` present, the watch
/// settings resolved; errors here fail the init.
fn init(g: &GlobalArgs, env: &Env) -> Result<Settings> {
    let flags = crate::aws::Flags {
        profile: g.profile.clone(),
        region: g.region.clone(),
        endpoint_url: g.endpoint_url.clone(),
    };
    let mut s = Settings::resolve(&config_path(g, env), &flags, env.clone())?;
    if s.topology.coordination.is_none() {
        return Err(Error::Usage {
            message: format!(
                "hybridctl lambda needs a coordination section in {}: a Lambda keeps nothing on disk, so the lease, the history and the watch state live in the DynamoDB table",
                s.topology.file.display()
            ),
            hint: Some("add coordination.dynamodb_table (docs/coordination.md)".into()),
        });
    }
    if let Some(missing) = LAMBDA_ENV.iter().find(|v| env.get(v).is_none()) {
        return Err(Error::usage(format!(
            "{missing} is not set: hybridctl lambda runs inside AWS Lambda, which sets it"
        )));
    }
    s = watch::prepared(&s)?;
    watch::ready_for_lambda(&s.topology)?;
    // Who acts, in the lease, the journal and the history: the function, not the sandbox user.
    let function = env.get("AWS_LAMBDA_FUNCTION_NAME").unwrap_or("lambda");
    s.identity = Identity {
        user: "lambda".into(),
        host: format!("lambda:{function}"),
        pid: std::process::id(),
    };
    // Only /tmp is writable in Lambda; the shared history is the table's.
    let tmp = env.get("TMPDIR").unwrap_or("/tmp");
    s.journal = Path::new(tmp).join("hybridctl/journal.jsonl");
    Ok(s)
}
