//! `hybridctl validate`: the topology file checked offline, every problem at once.

use serde::Serialize;

use std::path::Path;

use crate::error::{Error, ExitStatus, Problem, Result};
use crate::render::Output;
use crate::settings::Env;
use crate::topology;

#[derive(Debug, Serialize)]
struct Report<'a> {
    schema: &'static str,
    ok: bool,
    file: String,
    sites: Vec<&'a str>,
    services: Vec<&'a str>,
    problems: &'a [Problem],
}

const SCHEMA: &str = "hybridctl.validate/v1";

pub fn run(config: &Path, env: &Env, out: &Output) -> Result<ExitStatus> {
    let file = config.display().to_string();
    let topo = match topology::load(config) {
        Ok(t) => t,
        Err(e) => {
            if out.is_json() {
                out.json(&Report {
                    schema: SCHEMA,
                    ok: false,
                    file,
                    sites: vec![],
                    services: vec![],
                    problems: &e.problems,
                })?;
            }
            return Err(Error::Config(e));
        }
    };
    // Valid, but this host cannot deliver: said on stderr, not a problem (the file may be
    // checked on a build host that lacks the variables).
    for (i, n) in topo.notify.iter().enumerate() {
        if env.get(&n.url_env).is_none() {
            out.note(&format!(
                "warning: {}: {} is not set here, so {} notifications from this host would fail",
                topo.at(&format!("notify[{i}].url_env")),
                n.url_env,
                n.kind.as_str()
            ));
        }
    }
    let sites: Vec<&str> = topo.sites.iter().map(|s| s.name.as_str()).collect();
    let services: Vec<&str> = topo.services.iter().map(|s| s.name.as_str()).collect();
    if out.is_json() {
        out.json(&Report {
            schema: SCHEMA,
            ok: true,
            file,
            sites,
            services,
            problems: &[],
        })?;
    } else {
        out.text(&summary(&file, &topo, &sites, &services))?;
    }
    Ok(ExitStatus::Success)
}

fn summary(file: &str, t: &topology::Topology, sites: &[&str], services: &[&str]) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = vec![
        format!("{} ({})", plural(sites.len(), "site"), sites.join(", ")),
        format!(
            "{} ({})",
            plural(services.len(), "service"),
            services.join(", ")
        ),
    ];
    if let Some(f) = &t.failover {
        parts.push(format!("failover {} -> {}", f.from, f.to));
    }
    if t.replication.is_some() {
        parts.push("DMS replication".into());
    }
    if let Some(dr) = &t.dr {
        parts.push(format!("DR in {}", dr.region));
    }
    if !t.notify.is_empty() {
        parts.push(plural(t.notify.len(), "notification sink"));
    }
    if !t.overflow.is_empty() {
        let names: Vec<&str> = t.overflow.iter().map(|o| o.service.as_str()).collect();
        parts.push(format!("overflow ({})", names.join(", ")));
    }
    format!("{file}: valid: {}", parts.join(", "))
}
