//! SDK errors as `<service> <Operation> failed: <code>: <message> (request id ...)` with a hint
//! for the usual causes: no credentials, expired SSO token, access denied, unreachable endpoint.

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::http::Response;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::request_id::RequestId;

use crate::error::AwsError;

/// The innermost cause of an error, in one line: `Connection refused (os error 111)` rather
/// than the SDK's whole chain, whose outer layers print internal structures.
fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut e = err;
    while let Some(next) = e.source() {
        e = next;
    }
    let text = e.to_string();
    let line = text.lines().next().unwrap_or_default().trim();
    if line.is_empty() || line.contains('{') {
        DisplayErrorContext(err).to_string().replace('\n', " ")
    } else {
        line.to_string()
    }
}

/// The services hybridctl calls, with the names the AWS docs and IAM use.
#[derive(Debug, Clone, Copy)]
pub enum Service {
    Elbv2,
    CloudWatch,
    Dms,
    Rds,
    Route53,
    DynamoDb,
    Ecs,
    AutoScaling,
    ApplicationAutoScaling,
    Ec2,
}

impl Service {
    pub fn name(self) -> &'static str {
        match self {
            Service::Elbv2 => "elbv2",
            Service::CloudWatch => "cloudwatch",
            Service::Dms => "dms",
            Service::Rds => "rds",
            Service::Route53 => "route53",
            Service::DynamoDb => "dynamodb",
            Service::Ecs => "ecs",
            Service::AutoScaling => "autoscaling",
            Service::ApplicationAutoScaling => "application-autoscaling",
            Service::Ec2 => "ec2",
        }
    }

    fn iam_prefix(self) -> &'static str {
        match self {
            Service::Elbv2 => "elasticloadbalancing",
            Service::CloudWatch => "cloudwatch",
            Service::Dms => "dms",
            Service::Rds => "rds",
            Service::Route53 => "route53",
            Service::DynamoDb => "dynamodb",
            Service::Ecs => "ecs",
            Service::AutoScaling => "autoscaling",
            Service::ApplicationAutoScaling => "application-autoscaling",
            Service::Ec2 => "ec2",
        }
    }
}

/// Told of every failed AWS call, with the service and the error code (`Timeout`, `Dispatch`
/// when there was no answer): the watcher's metrics count them. Never an AWS call itself.
pub type ErrorListener = Box<dyn Fn(Service, &str) + Send + Sync>;

static LISTENER: std::sync::RwLock<Option<ErrorListener>> = std::sync::RwLock::new(None);

/// Sets (or, with None, removes) the listener of failed calls for this process.
pub fn on_error(listener: Option<ErrorListener>) {
    if let Ok(mut l) = LISTENER.write() {
        *l = listener;
    }
}

fn tell(service: Service, code: &str) {
    if let Ok(l) = LISTENER.read()
        && let Some(f) = l.as_ref()
    {
        f(service, code);
    }
}

pub trait AwsResultExt<T> {
    /// Names the failed call: `.aws(Service::Elbv2, "DescribeRules")?`.
    fn aws(self, service: Service, operation: &'static str) -> Result<T, AwsError>;
}

impl<T, E> AwsResultExt<T> for Result<T, SdkError<E, Response>>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    fn aws(self, service: Service, operation: &'static str) -> Result<T, AwsError> {
        self.map_err(|e| convert(service, operation, e))
    }
}

fn convert<E>(service: Service, operation: &'static str, err: SdkError<E, Response>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let request_id = err.request_id().map(str::to_string);
    let (code, message) = match &err {
        SdkError::ServiceError(se) => {
            let e = se.err();
            let status = se.raw().status().as_u16();
            let message = e
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| format!("HTTP {status}"));
            (e.code().map(str::to_string), message)
        }
        SdkError::TimeoutError(_) => (None, "the call timed out".to_string()),
        SdkError::DispatchFailure(d) => {
            let what = if d.is_timeout() {
                "timed out connecting"
            } else if d.is_io() {
                "could not connect"
            } else {
                "the request could not be sent"
            };
            (None, format!("{what}: {}", root_cause(&err)))
        }
        _ => (None, DisplayErrorContext(&err).to_string()),
    };
    let told = code.as_deref().unwrap_or(match &err {
        SdkError::TimeoutError(_) => "Timeout",
        SdkError::DispatchFailure(_) => "Dispatch",
        _ => "Unknown",
    });
    tell(service, told);
    let hint = hint(service, operation, code.as_deref(), &message, &err);
    AwsError {
        service: service.name(),
        operation,
        code,
        message,
        request_id,
        hint,
    }
}

fn hint<E>(
    service: Service,
    operation: &str,
    code: Option<&str>,
    message: &str,
    err: &SdkError<E, Response>,
) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    match code {
        Some(
            "AccessDenied"
            | "AccessDeniedException"
            | "UnauthorizedOperation"
            | "AuthorizationError",
        ) => {
            return Some(format!(
                "the caller lacks the IAM permission {}:{operation}; grant it to the role or user hybridctl runs as",
                service.iam_prefix()
            ));
        }
        Some("ExpiredToken" | "ExpiredTokenException" | "RequestExpired") => {
            return Some(
                "the credentials have expired: run `aws sso login --profile NAME` (or refresh the role session) and retry"
                    .into(),
            );
        }
        Some(
            "InvalidClientTokenId"
            | "UnrecognizedClientException"
            | "SignatureDoesNotMatch"
            | "InvalidSignatureException",
        ) => {
            return Some(
                "AWS does not accept these credentials: check the profile or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY".into(),
            );
        }
        Some(
            "Throttling"
            | "ThrottlingException"
            | "TooManyRequestsException"
            | "RequestLimitExceeded",
        ) => {
            return Some(
                "the account's API rate limit is shared with other tools (controllers, CI); retry in a minute".into(),
            );
        }
        _ => {}
    }
    if lower.contains("credential")
        && (lower.contains("no ")
            || lower.contains("failed to load")
            || lower.contains("not loaded"))
    {
        return Some(
            "no AWS credentials were found: pass --profile (or set AWS_PROFILE), run `aws sso login`, or export \
             AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; on an on-prem host set AWS_EC2_METADATA_DISABLED=true so the \
             instance-metadata probe does not add seconds"
                .into(),
        );
    }
    if lower.contains("sso") && (lower.contains("expired") || lower.contains("token")) {
        return Some(
            "the SSO session has expired: run `aws sso login --profile NAME` and retry".into(),
        );
    }
    if matches!(
        err,
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_)
    ) {
        return Some(
            "the AWS endpoint is unreachable: check the network path from this host (VPN, proxy, HTTPS_PROXY) \
             or --endpoint-url"
                .into(),
        );
    }
    None
}
