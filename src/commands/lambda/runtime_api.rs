//! The one Runtime API call `lambda_runtime` does not make for us: `POST /runtime/init/error`
//! when the cold start fails (an invalid topology, no coordination), with the same body and
//! header as the crate sends for its own init failures.

use crate::error::{Error, ExitStatus};

pub struct Api {
    client: lambda_runtime_api_client::Client,
}

impl Api {
    /// `AWS_LAMBDA_RUNTIME_API` is `host:port` in Lambda; a URL with a path works too (the lab).
    pub fn new(api: &str) -> Result<Api, Error> {
        let uri: http::Uri = api.parse().map_err(|e| {
            Error::usage(format!(
                "AWS_LAMBDA_RUNTIME_API `{api}` is not host:port: {e}"
            ))
        })?;
        if uri.authority().is_none() {
            return Err(Error::usage(format!(
                "AWS_LAMBDA_RUNTIME_API `{api}` is not host:port"
            )));
        }
        let client = lambda_runtime_api_client::Client::builder()
            .with_endpoint(uri)
            .build()
            .map_err(|e| Error::Operational(anyhow::anyhow!("the Runtime API client: {e}")))?;
        Ok(Api { client })
    }

    /// Reports the init failure to Lambda (which then fails the invocation that started this
    /// sandbox), says it on stderr, and hands the error back for the exit code.
    pub async fn init_failed(&self, e: Error) -> Error {
        let mut text = Vec::new();
        let _ = e.report(&mut text);
        let message = String::from_utf8_lossy(&text).trim_end().to_string();
        let kind = match e.exit_status() {
            ExitStatus::Usage => "hybridctl.ConfigError",
            _ => "hybridctl.InitError",
        };
        eprintln!("lambda: init failed: {message}");
        let body = serde_json::json!({ "errorType": kind, "errorMessage": message });
        let req = lambda_runtime_api_client::build_request()
            .method(http::Method::POST)
            .uri("/2018-06-01/runtime/init/error")
            .header("Lambda-Runtime-Function-Error-Type", "Runtime.InitError")
            .header("Content-Type", "application/json")
            .body(lambda_runtime_api_client::body::Body::from(
                body.to_string(),
            ));
        match req {
            Ok(req) => match self.client.call(req).await {
                Ok(resp) if resp.status().is_success() => {}
                Ok(resp) => eprintln!(
                    "lambda: the Runtime API refused the init error: {}",
                    resp.status()
                ),
                Err(err) => {
                    eprintln!("lambda: cannot report the init error to the Runtime API: {err}")
                }
            },
            Err(err) => eprintln!("lambda: cannot build the init error request: {err}"),
        }
        e
    }
}
