//! `iam-policy` on the screen: the policy document on stdout, notes on stderr; with -o json,
//! a report holding the document.

use serde::Serialize;

use super::Output;

#[derive(Debug, Serialize)]
pub struct IamPolicyReport {
    pub schema: &'static str,
    pub commands: Vec<String>,
    pub policy: crate::plan::iam::Document,
    pub notes: Vec<String>,
}

pub const IAM_POLICY_SCHEMA: &str = "hybridctl.iam-policy/v1";

pub fn print(out: &Output, r: &IamPolicyReport) -> anyhow::Result<()> {
    if out.is_json() {
        return out.json(r);
    }
    out.json(&r.policy)?;
    for n in &r.notes {
        out.note(&format!("note: {n}"));
    }
    Ok(())
}
