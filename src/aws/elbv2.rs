//! ELBv2: listener rules and default actions (the weighted forward), target health.

use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum};
use serde::Serialize;

use super::state::aws_state;
use super::{AwsResultExt, Service, budget};
use crate::error::AwsError;

/// DescribeRules and DescribeListeners take at most 20 ARNs a call.
pub const ARNS_PER_CALL: usize = 20;

/// The weighted forward of a rule or a listener's default action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forward {
    /// In AWS's order. A plain `TargetGroupArn` forward is one group with weight 1.
    pub target_groups: Vec<WeightedGroup>,
    pub stickiness: Option<Stickiness>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeightedGroup {
    pub arn: String,
    pub weight: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stickiness {
    pub enabled: bool,
    pub duration_seconds: Option<i32>,
}

/// A rule's or a listener's full action list (kept whole: writes must send it all back).
#[derive(Debug, Clone)]
pub struct Actions {
    pub arn: String,
    pub actions: Vec<Action>,
}

impl Actions {
    /// The forward among the actions, in either shape AWS returns.
    pub fn forward(&self) -> Option<Forward> {
        let action = self
            .actions
            .iter()
            .find(|a| a.r#type() == Some(&ActionTypeEnum::Forward))?;
        if let Some(fc) = action.forward_config()
            && !fc.target_groups().is_empty()
        {
            return Some(Forward {
                target_groups: fc
                    .target_groups()
                    .iter()
                    .map(|t| WeightedGroup {
                        arn: t.target_group_arn().unwrap_or_default().to_string(),
                        weight: t.weight().unwrap_or(1),
                    })
                    .collect(),
                stickiness: fc.target_group_stickiness_config().map(|s| Stickiness {
                    enabled: s.enabled().unwrap_or(false),
                    duration_seconds: s.duration_seconds(),
                }),
            });
        }
        action.target_group_arn().map(|arn| Forward {
            target_groups: vec![WeightedGroup {
                arn: arn.to_string(),
                weight: 1,
            }],
            stickiness: None,
        })
    }
}

/// Waits for this region's ELBv2 Describe* budget (see `budget`).
async fn describe_budget(client: &Client) {
    let region = client.config().region().map(|r| r.as_ref()).unwrap_or("");
    budget::elbv2_describe(region).take().await;
}

/// The actions of the given rules, batched 20 ARNs a call. Missing rules are an error.
pub async fn describe_rules(client: &Client, arns: &[String]) -> Result<Vec<Actions>, AwsError> {
    let mut out = Vec::with_capacity(arns.len());
    for chunk in arns.chunks(ARNS_PER_CALL) {
        describe_budget(client).await;
        let resp = client
            .describe_rules()
            .set_rule_arns(Some(chunk.to_vec()))
            .send()
            .await
            .aws(Service::Elbv2, "DescribeRules")?;
        out.extend(resp.rules().iter().map(|r| Actions {
            arn: r.rule_arn().unwrap_or_default().to_string(),
            actions: r.actions().to_vec(),
        }));
    }
    Ok(out)
}

/// The default actions of the given listeners, batched 20 ARNs a call.
pub async fn describe_listeners(
    client: &Client,
    arns: &[String],
) -> Result<Vec<Actions>, AwsError> {
    let mut out = Vec::with_capacity(arns.len());
    for chunk in arns.chunks(ARNS_PER_CALL) {
        describe_budget(client).await;
        let resp = client
            .describe_listeners()
            .set_listener_arns(Some(chunk.to_vec()))
            .send()
            .await
            .aws(Service::Elbv2, "DescribeListeners")?;
        out.extend(resp.listeners().iter().map(|l| Actions {
            arn: l.listener_arn().unwrap_or_default().to_string(),
            actions: l.default_actions().to_vec(),
        }));
    }
    Ok(out)
}

aws_state! {
    /// A registered target's `TargetHealth.State`.
    pub enum TargetHealthState (missing = "unknown") {
        Initial = "initial",
        Healthy = "healthy",
        Unhealthy = "unhealthy",
        UnhealthyDraining = "unhealthy.draining",
        Unused = "unused",
        Draining = "draining",
        Unavailable = "unavailable",
    }
}

/// One registered target and its health.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetState {
    pub id: String,
    pub port: Option<i32>,
    /// None: AWS sent no health state.
    #[serde(serialize_with = "TargetHealthState::serialize_option")]
    pub state: Option<TargetHealthState>,
    pub reason: Option<String>,
    pub description: Option<String>,
}

impl TargetState {
    pub fn is_healthy(&self) -> bool {
        self.state == Some(TargetHealthState::Healthy)
    }
}

pub async fn target_health(
    client: &Client,
    target_group_arn: &str,
) -> Result<Vec<TargetState>, AwsError> {
    describe_budget(client).await;
    let resp = client
        .describe_target_health()
        .target_group_arn(target_group_arn)
        .send()
        .await
        .aws(Service::Elbv2, "DescribeTargetHealth")?;
    Ok(resp
        .target_health_descriptions()
        .iter()
        .map(|d| {
            let health = d.target_health();
            TargetState {
                id: d
                    .target()
                    .and_then(|t| t.id())
                    .unwrap_or_default()
                    .to_string(),
                port: d.target().and_then(|t| t.port()),
                state: health
                    .and_then(|h| h.state())
                    .map(|s| TargetHealthState::from_aws(s.as_str())),
                reason: health
                    .and_then(|h| h.reason())
                    .map(|r| r.as_str().to_string()),
                description: health.and_then(|h| h.description()).map(str::to_string),
            }
        })
        .collect())
}

/// The action list with only the forward weights changed (by target group ARN). Everything
/// else (other actions and their order, target group order, stickiness) is sent back as read,
/// because ModifyRule and ModifyListener replace the whole list.
///
/// One field cannot be sent back as read: DescribeRules never returns an authenticate-oidc
/// action's ClientSecret, and ModifyRule refuses that action without either the secret or
/// `UseExistingClientSecret: true`, which keeps the secret ELBv2 holds. (authenticate-cognito
/// has no client secret in the API: Cognito holds it.)
pub fn with_weights(
    actions: &[Action],
    weights: &std::collections::HashMap<String, i32>,
) -> Vec<Action> {
    actions
        .iter()
        .map(|a| {
            let mut a = a.clone();
            if let Some(oidc) = a.authenticate_oidc_config.as_mut()
                && oidc.client_secret.is_none()
            {
                oidc.use_existing_client_secret = Some(true);
            }
            if a.r#type() == Some(&ActionTypeEnum::Forward)
                && let Some(fc) = a.forward_config.as_mut()
                && let Some(groups) = fc.target_groups.as_mut()
            {
                for g in groups.iter_mut() {
                    if let Some(w) = g.target_group_arn().and_then(|arn| weights.get(arn)) {
                        g.weight = Some(*w);
                    }
                }
            }
            a
        })
        .collect()
}

pub async fn modify_rule(client: &Client, arn: &str, actions: Vec<Action>) -> Result<(), AwsError> {
    client
        .modify_rule()
        .rule_arn(arn)
        .set_actions(Some(actions))
        .send()
        .await
        .aws(Service::Elbv2, "ModifyRule")?;
    Ok(())
}

pub async fn modify_listener(
    client: &Client,
    arn: &str,
    actions: Vec<Action>,
) -> Result<(), AwsError> {
    client
        .modify_listener()
        .listener_arn(arn)
        .set_default_actions(Some(actions))
        .send()
        .await
        .aws(Service::Elbv2, "ModifyListener")?;
    Ok(())
}

/// The tag hybridctl leaves on a rule or listener it changed.
pub const LAST_CHANGE_TAG: &str = "hybridctl:last-change";

/// A text ELBv2 takes as a tag value: only letters, numbers, spaces and `_ . : / = + - @`
/// (`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`), at most 256 characters, no space at either end. Any
/// other character (a reason's parentheses, commas, quotes, newlines) becomes a space, and runs
/// of spaces one: ELBv2 refuses the whole AddTags otherwise.
pub fn tag_text(value: &str) -> String {
    // Comparisons keep their meaning in words (`0.95 >= above 0.8`).
    let value = value
        .replace(">=", " at or over ")
        .replace("<=", " at or under ")
        .replace('>', " over ")
        .replace('<', " under ");
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        let keep = c.is_ascii_alphanumeric()
            || "_.:/=+-@".contains(c)
            || (!c.is_ascii() && (c.is_alphabetic() || c.is_numeric()) && !c.is_control());
        let c = if keep { c } else { ' ' };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    let out: String = out.trim_end().chars().take(256).collect();
    out.trim_end().to_string()
}

pub async fn tag(client: &Client, arn: &str, key: &str, value: &str) -> Result<(), AwsError> {
    let value = tag_text(value);
    client
        .add_tags()
        .resource_arns(arn)
        .tags(
            aws_sdk_elasticloadbalancingv2::types::Tag::builder()
                .key(key)
                .value(value)
                .build(),
        )
        .send()
        .await
        .aws(Service::Elbv2, "AddTags")?;
    Ok(())
}

/// The value of `key` on each resource that has it, 20 ARNs a call.
pub async fn tag_values(
    client: &Client,
    arns: &[String],
    key: &str,
) -> Result<std::collections::HashMap<String, String>, AwsError> {
    let mut out = std::collections::HashMap::new();
    for chunk in arns.chunks(ARNS_PER_CALL) {
        describe_budget(client).await;
        let resp = client
            .describe_tags()
            .set_resource_arns(Some(chunk.to_vec()))
            .send()
            .await
            .aws(Service::Elbv2, "DescribeTags")?;
        for d in resp.tag_descriptions() {
            if let (Some(arn), Some(v)) = (
                d.resource_arn(),
                d.tags()
                    .iter()
                    .find(|t| t.key() == Some(key))
                    .and_then(|t| t.value()),
            ) {
                out.insert(arn.to_string(), v.to_string());
            }
        }
    }
    Ok(out)
}

/// A listener's load balancer and default actions (`init`).
#[derive(Debug, Clone)]
pub struct Listener {
    pub load_balancer_arn: Option<String>,
    pub default_actions: Actions,
}

/// One listener; Err when AWS does not know it (ListenerNotFound).
pub async fn listener(client: &Client, arn: &str) -> Result<Listener, AwsError> {
    describe_budget(client).await;
    let resp = client
        .describe_listeners()
        .listener_arns(arn)
        .send()
        .await
        .aws(Service::Elbv2, "DescribeListeners")?;
    let l = resp.listeners().first().ok_or_else(|| AwsError {
        service: Service::Elbv2.name(),
        operation: "DescribeListeners",
        code: None,
        message: format!("the answer has no listener {arn}"),
        request_id: None,
        hint: None,
    })?;
    Ok(Listener {
        load_balancer_arn: l.load_balancer_arn().map(str::to_string),
        default_actions: Actions {
            arn: arn.to_string(),
            actions: l.default_actions().to_vec(),
        },
    })
}

/// A rule as `init` sees it: where it matches (for a name) and what it does.
#[derive(Debug, Clone)]
pub struct Rule {
    pub priority: Option<String>,
    pub is_default: bool,
    pub hosts: Vec<String>,
    pub paths: Vec<String>,
    pub actions: Actions,
}

/// Every rule of a listener (the default rule included), all pages.
pub async fn listener_rules(client: &Client, listener_arn: &str) -> Result<Vec<Rule>, AwsError> {
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        describe_budget(client).await;
        let resp = client
            .describe_rules()
            .listener_arn(listener_arn)
            .page_size(100)
            .set_marker(marker.take())
            .send()
            .await
            .aws(Service::Elbv2, "DescribeRules")?;
        out.extend(resp.rules().iter().map(|r| {
            let values = |field: &str| -> Vec<String> {
                r.conditions()
                    .iter()
                    .filter(|c| c.field() == Some(field))
                    .flat_map(|c| {
                        let typed = match field {
                            "host-header" => c.host_header_config().map(|h| h.values()),
                            _ => c.path_pattern_config().map(|p| p.values()),
                        };
                        typed
                            .filter(|v| !v.is_empty())
                            .unwrap_or(c.values())
                            .to_vec()
                    })
                    .collect()
            };
            Rule {
                priority: r.priority().map(str::to_string),
                is_default: r.is_default().unwrap_or(false),
                hosts: values("host-header"),
                paths: values("path-pattern"),
                actions: Actions {
                    arn: r.rule_arn().unwrap_or_default().to_string(),
                    actions: r.actions().to_vec(),
                },
            }
        }));
        match resp.next_marker() {
            Some(m) if !m.is_empty() => marker = Some(m.to_string()),
            _ => return Ok(out),
        }
    }
}

/// A target group's target type (`ip`, `instance`, `lambda`, `alb`) and VPC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetGroup {
    pub arn: String,
    pub target_type: Option<String>,
    pub vpc_id: Option<String>,
}

pub async fn target_groups(client: &Client, arns: &[String]) -> Result<Vec<TargetGroup>, AwsError> {
    let mut out = Vec::with_capacity(arns.len());
    for chunk in arns.chunks(ARNS_PER_CALL) {
        describe_budget(client).await;
        let resp = client
            .describe_target_groups()
            .set_target_group_arns(Some(chunk.to_vec()))
            .send()
            .await
            .aws(Service::Elbv2, "DescribeTargetGroups")?;
        out.extend(resp.target_groups().iter().map(|g| TargetGroup {
            arn: g.target_group_arn().unwrap_or_default().to_string(),
            target_type: g.target_type().map(|t| t.as_str().to_string()),
            vpc_id: g.vpc_id().map(str::to_string),
        }));
    }
    Ok(out)
}

/// A registered target's id and Availability Zone (`all` for an IP outside the VPC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub id: String,
    pub availability_zone: Option<String>,
}

pub async fn registered_targets(
    client: &Client,
    target_group_arn: &str,
) -> Result<Vec<Registered>, AwsError> {
    describe_budget(client).await;
    let resp = client
        .describe_target_health()
        .target_group_arn(target_group_arn)
        .send()
        .await
        .aws(Service::Elbv2, "DescribeTargetHealth")?;
    Ok(resp
        .target_health_descriptions()
        .iter()
        .filter_map(|d| d.target())
        .map(|t| Registered {
            id: t.id().unwrap_or_default().to_string(),
            availability_zone: t.availability_zone().map(str::to_string),
        })
        .collect())
}

/// The VPC of a load balancer.
pub async fn load_balancer_vpc(client: &Client, arn: &str) -> Result<Option<String>, AwsError> {
    describe_budget(client).await;
    let resp = client
        .describe_load_balancers()
        .load_balancer_arns(arn)
        .send()
        .await
        .aws(Service::Elbv2, "DescribeLoadBalancers")?;
    Ok(resp
        .load_balancers()
        .first()
        .and_then(|lb| lb.vpc_id())
        .map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::tag_text;

    #[test]
    fn tag_values_keep_only_what_elbv2_accepts() {
        assert_eq!(
            tag_text(
                "2026-12-02T10:00:00Z failover by ops@mgmt-1 (gen 2): alarm X [120.0], \"hot\"\n"
            ),
            "2026-12-02T10:00:00Z failover by ops@mgmt-1 gen 2 : alarm X 120.0 hot"
        );
        assert_eq!(tag_text("  ((a))  "), "a");
        assert_eq!(
            tag_text("overflow enter: 0.95 >= above 0.8; 0.2 < below 0.65"),
            "overflow enter: 0.95 at or over above 0.8 0.2 under below 0.65"
        );
        assert_eq!(tag_text("장애 조치 40/60 ü"), "장애 조치 40/60 ü");
        let long = tag_text(&"a ".repeat(300));
        assert!(
            long.chars().count() <= 256 && !long.ends_with(' '),
            "{long}"
        );
        for c in tag_text("x\u{1b}[31m\t\u{0}y=z+_.:/-@").chars() {
            assert!(c.is_alphanumeric() || " _.:/=+-@".contains(c), "{c:?}");
        }
    }
}
