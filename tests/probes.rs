//! `services.S.probes` against the lab: its `/_probe/NAME` endpoint answers 200, 500, a
//! redirect or nothing on command; `watch` fails over on the from-site's failing probe while
//! ALB target health is still healthy; `status` shows each probe; `validate` refuses URLs that
//! would print a secret.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{Account, Seeded, lab, w};
use crate::watch::Running;

/// The seeded lab with probes for both sites of `web` (names unique to the account).
fn seeded(extra: &str, timeout: &str) -> Seeded {
    let s = Account::new().seed(1);
    let text = std::fs::read_to_string(&s.config).unwrap();
    let base = lab().endpoint();
    let id = &s.account.id;
    let probes = format!(
        "    weights: {{ onprem: 40, aws: 60 }}\n    probes:\n      onprem: {{ url: \"{base}/_probe/onprem-{id}\", timeout: {timeout} }}\n      aws: {{ url: \"{base}/_probe/aws-{id}?check=deep\", expect: 200 }}\n"
    );
    let text = text.replacen("    weights: { onprem: 40, aws: 60 }\n", &probes, 1);
    std::fs::write(&s.config, format!("{text}{extra}")).unwrap();
    s
}

fn answer(s: &Seeded, site: &str, how: Value) {
    lab().ctl(&format!("probe/{site}-{}", s.account.id), &how);
}

fn status_probes(s: &Seeded) -> Vec<Value> {
    let out = s
        .hybridctl()
        .args(["status", "-o", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["probes"].as_array().cloned().unwrap_or_default()
}

fn onprem(probes: &[Value]) -> &Value {
    probes.iter().find(|p| p["site"] == "onprem").unwrap()
}

#[test]
fn status_shows_each_probe_and_500_hang_and_redirect_fail_with_the_reason() {
    // 2 s: a loaded machine's lab can take over half a second to answer a probe.
    let s = seeded("", "2s");
    let p = status_probes(&s);
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(
        p.iter().all(|x| x["ok"] == true && x["service"] == "web"),
        "{p:?}"
    );
    assert_eq!(onprem(&p)["message"], "HTTP 200");

    answer(&s, "onprem", json!({"status": 500}));
    let p = status_probes(&s);
    assert_eq!(onprem(&p)["ok"], false, "{p:?}");
    assert_eq!(onprem(&p)["status"], 500);
    assert!(
        onprem(&p)["message"]
            .as_str()
            .unwrap()
            .contains("HTTP 500, expected 200..399"),
        "{p:?}"
    );
    // The other site is judged on its own.
    assert_eq!(p.iter().find(|x| x["site"] == "aws").unwrap()["ok"], true);

    answer(&s, "onprem", json!({"status": 302}));
    let p = status_probes(&s);
    assert_eq!(onprem(&p)["ok"], false);
    assert!(
        onprem(&p)["message"]
            .as_str()
            .unwrap()
            .contains("HTTP 302: redirects are not followed"),
        "{p:?}"
    );

    answer(&s, "onprem", json!({"status": 200, "hang_s": 5}));
    let started = Instant::now();
    let p = status_probes(&s);
    assert_eq!(onprem(&p)["ok"], false);
    assert_eq!(onprem(&p)["message"], "no answer within 2s");
    assert!(onprem(&p)["status"].is_null());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the timeout bounds the probe"
    );

    // The table says the same.
    let out = s.hybridctl().args(["status"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Probes"), "{text}");
    assert!(text.contains("FAIL: no answer within 2s"), "{text}");
}

#[test]
fn watch_fails_over_on_a_failing_probe_while_target_health_is_still_healthy() {
    let s = seeded("watch: { interval: 1s, fail_after: 2 }\n", "2s");
    let mut run = Running::start(s.hybridctl_std());
    run.json("a good poll", 30, |v| v["services"][0]["poll"] == "good");
    answer(&s, "onprem", json!({"status": 503}));
    let failing = Instant::now();
    let line = run.json("the failover", 30, |v| v["action"]["kind"] == "failover");
    let took = failing.elapsed();
    assert_eq!(
        line["action"]["outcome"],
        "applied",
        "{line}\n{}",
        run.log()
    );
    // fail_after x interval + 2 s.
    assert!(
        took <= Duration::from_secs(4),
        "took {took:?}:\n{}",
        run.log()
    );
    let reason = line["action"]["reason"].as_str().unwrap();
    assert!(
        reason.contains("the probe of onprem fails: HTTP 503"),
        "{reason}"
    );
    // ALB target health was healthy all along: the probe alone decided.
    assert_eq!(line["services"][0]["healthy"], 2, "{line}");
    assert_eq!(s.weights("web"), w(0, 100));
    run.signal("TERM");
    assert_eq!(run.exit(20), Some(0));
}

#[test]
fn validate_refuses_probe_urls_that_would_print_a_secret() {
    for (url, said) in [
        ("https://ops:hunter22@lb.example.com/healthz", "credential"),
        (
            "https://lb.example.com/healthz?access_token=abc123",
            "looks like a secret",
        ),
        (
            "https://lb.example.com/healthz?X-Amz-Signature=abc123",
            "looks like a secret",
        ),
    ] {
        let s = Account::new().seed(1);
        let text = std::fs::read_to_string(&s.config).unwrap().replacen(
            "    weights: { onprem: 40, aws: 60 }\n",
            &format!("    weights: {{ onprem: 40, aws: 60 }}\n    probes:\n      onprem: {{ url: \"{url}\" }}\n"),
            1,
        );
        std::fs::write(&s.config, text).unwrap();
        let out = s.hybridctl().args(["validate"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{url}: {err}");
        assert!(err.contains("services.web.probes.onprem.url"), "{err}");
        assert!(err.contains(said), "{err}");
        assert!(
            !err.contains("hunter22") && !err.contains("abc123"),
            "a secret is printed: {err}"
        );
    }
}
