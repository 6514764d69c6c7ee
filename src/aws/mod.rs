//! The one place that builds AWS SDK configuration, plus one thin adapter per service.
//!
//! Precedence for profile, region and endpoint: flag > environment > topology file > the SDK's
//! default chain. Credentials always come from the default chain (env, profile, SSO, web
//! identity, ECS/IMDS), never from hybridctl's own files.

pub mod appscaling;
pub mod autoscaling;
pub mod budget;
pub mod calls;
pub mod clock;
pub mod cloudwatch;
pub mod dms;
pub mod dynamodb;
pub mod ec2;
pub mod ecs;
pub mod elbv2;
mod error;
pub mod rds;
pub mod route53;
mod state;

use std::time::{Duration, Instant};

use aws_config::{AppName, BehaviorVersion, SdkConfig};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::region::Region;

pub use error::{AwsResultExt, ErrorListener, Service, on_error};

use crate::error::Error;
use crate::topology::AwsSettings;

/// Where AWS calls go, after flag > env > file precedence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// The account's ELBv2 Describe* limit from the topology file (no flag or env overrides it).
    pub elbv2_describe_limit: Option<crate::topology::ApiLimit>,
}

/// What the command line says about AWS (clap already folded AWS_PROFILE, AWS_REGION and
/// AWS_ENDPOINT_URL into these).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
}

/// Flags win over AWS_DEFAULT_REGION, which wins over the topology file.
pub fn resolve(flags: &Flags, env_default_region: Option<&str>, file: &AwsSettings) -> Resolved {
    Resolved {
        profile: flags.profile.clone().or_else(|| file.profile.clone()),
        region: flags
            .region
            .clone()
            .or_else(|| env_default_region.map(str::to_string))
            .or_else(|| file.region.clone()),
        endpoint_url: flags
            .endpoint_url
            .clone()
            .or_else(|| file.endpoint_url.clone()),
        elbv2_describe_limit: file.elbv2_describe_limit,
    }
}

/// Shared SDK configuration and the clients built from it.
#[derive(Clone, Debug)]
pub struct AwsContext {
    sdk: SdkConfig,
}

impl AwsContext {
    /// Loads the default chain with hybridctl's overrides. Fails (exit 2) when no region is known.
    pub async fn load(r: &Resolved) -> Result<AwsContext, Error> {
        budget::configure_elbv2_describe(r.elbv2_describe_limit);
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .app_name(AppName::new("hybridctl").expect("a valid app name"))
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(5))
                    .operation_attempt_timeout(Duration::from_secs(20))
                    .operation_timeout(Duration::from_secs(60))
                    .build(),
            );
        if let Some(p) = &r.profile {
            loader = loader.profile_name(p);
        }
        if let Some(region) = &r.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(url) = &r.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let sdk = loader.load().await;
        if sdk.region().is_none() {
            return Err(Error::Usage {
                message: "no AWS region is configured".into(),
                hint: Some(
                    "pass --region, set AWS_REGION, or set aws.region in the topology file".into(),
                ),
            });
        }
        Ok(AwsContext { sdk })
    }

    /// Wraps an SDK configuration built elsewhere (tests with static credentials).
    pub fn from_sdk_config(sdk: SdkConfig) -> AwsContext {
        AwsContext { sdk }
    }

    /// The same configuration in another region (the DR region).
    pub fn in_region(&self, region: &str) -> AwsContext {
        let sdk = self
            .sdk
            .clone()
            .into_builder()
            .region(Region::new(region.to_string()))
            .build();
        AwsContext { sdk }
    }

    pub fn region(&self) -> &str {
        self.sdk.region().map(|r| r.as_ref()).unwrap_or("")
    }

    pub fn elbv2(&self) -> aws_sdk_elasticloadbalancingv2::Client {
        let conf = aws_sdk_elasticloadbalancingv2::config::Builder::from(&self.sdk)
            .interceptor(CallLog)
            .build();
        aws_sdk_elasticloadbalancingv2::Client::from_conf(conf)
    }

    /// ELBv2 for writes: one attempt per call. A timed-out ModifyRule retried by the SDK could
    /// land after a later step and silently undo it; the runbook reads back instead, and
    /// retries only answers that prove the request was refused (throttling).
    pub fn elbv2_writer(&self) -> aws_sdk_elasticloadbalancingv2::Client {
        let conf = aws_sdk_elasticloadbalancingv2::config::Builder::from(&self.sdk)
            .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(1))
            .interceptor(CallLog)
            .build();
        aws_sdk_elasticloadbalancingv2::Client::from_conf(conf)
    }

    pub fn cloudwatch(&self) -> aws_sdk_cloudwatch::Client {
        let conf = aws_sdk_cloudwatch::config::Builder::from(&self.sdk)
            .interceptor(CallLog)
            .build();
        aws_sdk_cloudwatch::Client::from_conf(conf)
    }

    pub fn dynamodb(&self) -> aws_sdk_dynamodb::Client {
        let conf = aws_sdk_dynamodb::config::Builder::from(&self.sdk)
            .interceptor(CallLog)
            .interceptor(clock::SkewMeter)
            .build();
        aws_sdk_dynamodb::Client::from_conf(conf)
    }

    pub fn dms(&self) -> aws_sdk_databasemigration::Client {
        let conf = aws_sdk_databasemigration::config::Builder::from(&self.sdk)
            .interceptor(CallLog)
            .build();
        aws_sdk_databasemigration::Client::from_conf(conf)
    }

    pub fn rds(&self) -> aws_sdk_rds::Client {
        let conf = aws_sdk_rds::config::Builder::from(&self.sdk)
            .interceptor(CallLog)
            .build();
        aws_sdk_rds::Client::from_conf(conf)
    }

    pub fn ecs(&self) -> aws_sdk_ecs::Client {
        let conf = aws_sdk_ecs::config::Builder::from(&self.sdk)
            .interceptor(CallLog)
            .build();
        aws_sdk_ecs::Client::from_conf(conf)
    }

    pub fn autoscaling(&self) -> aws_sdk_autoscaling::Client {
        let conf = aws_sdk_autoscaling::config::Builder::from(&self.sdk)
            .interceptor(CallLog)
            .build();
        aws_sdk_autoscaling::Client::from_conf(conf)
    }

    pub fn appscaling(&self) -> aws_sdk_applicationautoscaling::Client {
        let conf = aws_sdk_applicationautoscaling::config::Builder::from(&self.sdk)
            .interceptor(CallLog)
            .build();
        aws_sdk_applicationautoscaling::Client::from_conf(conf)
    }

    pub fn route53(&self) -> aws_sdk_route53::Client {
        let conf = aws_sdk_route53::config::Builder::from(&self.sdk)
            .interceptor(CallLog)
            .build();
        aws_sdk_route53::Client::from_conf(conf)
    }

    pub fn ec2(&self) -> aws_sdk_ec2::Client {
        let conf = aws_sdk_ec2::config::Builder::from(&self.sdk)
            .interceptor(CallLog)
            .build();
        aws_sdk_ec2::Client::from_conf(conf)
    }

    /// Route 53 for ChangeResourceRecordSets: one attempt per call, for the reason of
    /// `elbv2_writer` (a timed-out batch retried by the SDK could land after a later step's
    /// and undo it). `route53::set_weights` retries only the answers that prove the batch was
    /// refused (PriorRequestNotComplete, throttling).
    pub fn route53_writer(&self) -> aws_sdk_route53::Client {
        let conf = aws_sdk_route53::config::Builder::from(&self.sdk)
            .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(1))
            .interceptor(CallLog)
            .build();
        aws_sdk_route53::Client::from_conf(conf)
    }
}

/// `-v`: one debug line per AWS call with its outcome and wall time.
#[derive(Debug)]
struct CallLog;

#[derive(Debug, Clone)]
struct CallStart(Instant);

impl Storable for CallStart {
    type Storer = StoreReplace<Self>;
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "hybridctl.call-log"
    }

    fn read_before_execution(
        &self,
        _ctx: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(CallStart(Instant::now()));
        Ok(())
    }

    fn read_after_execution(
        &self,
        ctx: &FinalizerInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let elapsed = cfg.load::<CallStart>().map(|s| s.0.elapsed());
        let (service, operation) = cfg
            .load::<Metadata>()
            .map(|m| (m.service().to_string(), m.name().to_string()))
            .unwrap_or_default();
        let outcome = match ctx.output_or_error() {
            Some(Ok(_)) => "ok",
            Some(Err(_)) => "failed",
            None => "no response",
        };
        let status = ctx
            .response()
            .map(|r| r.status().as_u16().to_string())
            .unwrap_or_else(|| "-".into());
        tracing::debug!(
            "aws {service} {operation}: {outcome} (HTTP {status}) in {:.1} ms",
            elapsed.unwrap_or_default().as_secs_f64() * 1000.0
        );
        Ok(())
    }
}

/// A timestamp from an AWS response as RFC 3339 text.
pub fn rfc3339(t: &aws_smithy_types::DateTime) -> String {
    t.fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_else(|_| t.secs().to_string())
}
