//! The Prometheus HTTP API: one instant query (`POST /api/v1/query`) over HTTP(S), with a
//! timeout, a bearer token from the environment, extra headers and a CA file. The only module
//! that talks to Prometheus. Errors name the address and the query, never the token.

use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::settings::Env;
use crate::topology::Prometheus;

/// What one query gave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sample {
    /// One finite number.
    Value(f64),
    /// No number to judge by: an empty result, NaN or an infinity.
    NoData(NoData),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoData {
    Empty,
    NaN,
    Infinite,
}

impl NoData {
    pub fn as_str(self) -> &'static str {
        match self {
            NoData::Empty => "no data (empty result)",
            NoData::NaN => "no data (NaN)",
            NoData::Infinite => "no data (infinite)",
        }
    }
}

/// A query that gave no usable answer; the message names the address and the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub message: String,
    pub hint: Option<String>,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A configured Prometheus server, ready to query.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    address: String,
    timeout: Duration,
}

impl Client {
    /// Builds the HTTP client: reads the token variable and the CA file now, so that a
    /// missing variable or an unreadable file is said once, before any query.
    pub fn new(p: &Prometheus, env: &Env) -> Result<Client, QueryError> {
        let fail = |m: String| QueryError {
            message: format!("Prometheus at {}: {m}", p.address),
            hint: None,
        };
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in &p.headers {
            let n = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| fail(format!("header `{name}`: {e}")))?;
            let v = reqwest::header::HeaderValue::from_str(value)
                .map_err(|e| fail(format!("header `{name}`: {e}")))?;
            headers.insert(n, v);
        }
        if let Some(var) = &p.bearer_token_env {
            let token = env.get(var).ok_or_else(|| QueryError {
                message: format!(
                    "Prometheus at {}: metrics.prometheus.bearer_token_env names {var}, which is not set",
                    p.address
                ),
                hint: Some(format!("export {var} with the token before running hybridctl")),
            })?;
            let mut v = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}"))
                .map_err(|_| fail(format!("the token in {var} is not a valid header value")))?;
            v.set_sensitive(true);
            headers.insert(reqwest::header::AUTHORIZATION, v);
        }
        // reqwest (without a provider feature) uses the process default; already set is fine.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .default_headers(headers)
            .timeout(p.timeout)
            .connect_timeout(p.timeout)
            .user_agent(concat!("hybridctl/", env!("CARGO_PKG_VERSION")))
            // A redirect could send the query (and the headers) to another server, whose
            // answer would then move traffic: it is an error instead.
            .redirect(reqwest::redirect::Policy::none())
            // Plain HTTP needs no trust store: loading the system's roots costs a poll ~100 ms.
            .tls_built_in_root_certs(p.address.starts_with("https://"));
        if let Some(ca) = &p.ca_file {
            let pem = std::fs::read(ca)
                .map_err(|e| fail(format!("cannot read ca_file {}: {e}", ca.display())))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                fail(format!(
                    "ca_file {}: not PEM certificates: {e}",
                    ca.display()
                ))
            })?;
            if certs.is_empty() {
                return Err(fail(format!(
                    "ca_file {} holds no certificate",
                    ca.display()
                )));
            }
            for c in certs {
                builder = builder.add_root_certificate(c);
            }
        }
        let http = builder
            .build()
            .map_err(|e| fail(format!("cannot set up HTTP: {e}")))?;
        Ok(Client {
            http,
            address: p.address.clone(),
            timeout: p.timeout,
        })
    }

    pub fn address(&self) -> &str {
        &self.address
    }

    /// One instant query; logs the query and its duration at debug level (`-v`).
    pub async fn query(&self, query: &str) -> Result<Sample, QueryError> {
        let started = Instant::now();
        let result = self.query_once(query).await;
        tracing::debug!(
            address = %self.address,
            query,
            elapsed_ms = started.elapsed().as_millis() as u64,
            ok = result.is_ok(),
            "prometheus instant query"
        );
        result
    }

    async fn query_once(&self, query: &str) -> Result<Sample, QueryError> {
        let fail = |m: String, hint: Option<String>| QueryError {
            message: format!("Prometheus at {}: query `{query}`: {m}", self.address),
            hint,
        };
        let url = format!("{}/api/v1/query", self.address);
        let sent = self.http.post(&url).form(&[("query", query)]).send().await;
        let response = sent.map_err(|e| fail(transport(&e, self.timeout), None))?;
        let status = response.status();
        let body = read_bounded(response)
            .await
            .map_err(|e| fail(e.unwrap_or_else(|e| transport(&e, self.timeout)), None))?;
        let answer: Option<Answer> = serde_json::from_slice(&body).ok();
        if !status.is_success() {
            let said = answer
                .as_ref()
                .and_then(|a| a.error.as_ref().map(|e| (a.error_type.as_deref(), e)));
            let message = match said {
                Some((kind, e)) => format!("HTTP {status}: {}: {e}", kind.unwrap_or("error")),
                None if status.is_redirection() => format!(
                    "HTTP {status}: redirects are not followed; set metrics.prometheus.address to where Prometheus answers"
                ),
                None => format!("HTTP {status}"),
            };
            let hint = match status.as_u16() {
                401 | 403 => Some(
                    "check the token (metrics.prometheus.bearer_token_env) and the headers"
                        .to_string(),
                ),
                _ => None,
            };
            return Err(fail(message, hint));
        }
        let answer =
            answer.ok_or_else(|| fail("the answer is not Prometheus JSON".into(), None))?;
        parse(answer).map_err(|m| fail(m, None))
    }
}

/// An instant query's answer is one number: far below this. A larger body is refused rather
/// than held in memory (a watcher or a 128 MB Lambda must not be made to run out).
const MAX_ANSWER: usize = 4 << 20;

/// The body, refused past `MAX_ANSWER` (Err(Ok(text))) or on a transport error (Err(Err)).
async fn read_bounded(
    mut response: reqwest::Response,
) -> Result<Vec<u8>, Result<String, reqwest::Error>> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(Err)? {
        if body.len() + chunk.len() > MAX_ANSWER {
            return Err(Ok(format!(
                "the answer is larger than {} MiB: not one number",
                MAX_ANSWER >> 20
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn transport(e: &reqwest::Error, timeout: Duration) -> String {
    if e.is_timeout() {
        return format!("no answer within {}", crate::duration::format(timeout));
    }
    // The URL is left out: the message names the address already.
    let mut text = String::from(if e.is_connect() {
        "cannot connect"
    } else if e.is_decode() || e.is_body() {
        "cannot read the answer"
    } else {
        "request failed"
    });
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    text
}

#[derive(Debug, Deserialize)]
struct Answer {
    status: String,
    data: Option<Data>,
    #[serde(rename = "errorType")]
    error_type: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Data {
    #[serde(rename = "resultType")]
    result_type: String,
    result: serde_json::Value,
}

#[derive(Debug, Deserialize)]
struct Series {
    value: (serde_json::Value, String),
}

/// The number in a successful answer: a scalar, or a vector of exactly one element.
fn parse(a: Answer) -> Result<Sample, String> {
    if a.status != "success" {
        return Err(format!(
            "{}: {}",
            a.error_type.as_deref().unwrap_or("error"),
            a.error.as_deref().unwrap_or("no error text")
        ));
    }
    let data = a.data.ok_or("the answer has no data")?;
    let text = match data.result_type.as_str() {
        "scalar" => {
            let (_, v): (serde_json::Value, String) = serde_json::from_value(data.result)
                .map_err(|e| format!("a malformed scalar: {e}"))?;
            v
        }
        "vector" => {
            let mut series: Vec<Series> = serde_json::from_value(data.result)
                .map_err(|e| format!("a malformed vector: {e}"))?;
            match series.len() {
                0 => return Ok(Sample::NoData(NoData::Empty)),
                1 => series.remove(0).value.1,
                n => {
                    return Err(format!(
                        "gives {n} series, overflow needs one number: aggregate it (avg(...), max(...))"
                    ));
                }
            }
        }
        other => {
            return Err(format!(
                "gives a {other}, overflow needs one number (a scalar or a one-element instant vector)"
            ));
        }
    };
    number(&text)
}

/// Prometheus writes sample values as strings: `"0.77"`, `"NaN"`, `"+Inf"`.
fn number(text: &str) -> Result<Sample, String> {
    let v: f64 = text
        .parse()
        .map_err(|_| format!("the value `{text}` is not a number"))?;
    Ok(if v.is_nan() {
        Sample::NoData(NoData::NaN)
    } else if v.is_infinite() {
        Sample::NoData(NoData::Infinite)
    } else {
        Sample::Value(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(json: &str) -> Result<Sample, String> {
        parse(serde_json::from_str(json).unwrap())
    }

    #[test]
    fn answers_as_prometheus_gives_them() {
        let vector = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1795443110.774,"0.77"]}]}}"#;
        assert_eq!(answer(vector), Ok(Sample::Value(0.77)));
        let scalar = r#"{"status":"success","data":{"resultType":"scalar","result":[1795443110.774,"0.5"]}}"#;
        assert_eq!(answer(scalar), Ok(Sample::Value(0.5)));
        let empty = r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;
        assert_eq!(answer(empty), Ok(Sample::NoData(NoData::Empty)));
        for (text, want) in [
            ("NaN", NoData::NaN),
            ("+Inf", NoData::Infinite),
            ("-Inf", NoData::Infinite),
        ] {
            let j = format!(
                r#"{{"status":"success","data":{{"resultType":"scalar","result":[1,"{text}"]}}}}"#
            );
            assert_eq!(answer(&j), Ok(Sample::NoData(want)), "{text}");
        }
        let two = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1,"1"]},{"metric":{"a":"2"},"value":[1,"2"]}]}}"#;
        assert!(answer(two).unwrap_err().contains("gives 2 series"));
        let matrix = r#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#;
        assert!(answer(matrix).unwrap_err().contains("gives a matrix"));
        let words = r#"{"status":"success","data":{"resultType":"scalar","result":[1,"high"]}}"#;
        assert!(
            answer(words)
                .unwrap_err()
                .contains("`high` is not a number")
        );
        let error = r#"{"status":"error","errorType":"bad_data","error":"parse error"}"#;
        assert_eq!(answer(error), Err("bad_data: parse error".into()));
    }
}
