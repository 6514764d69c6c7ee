//! DynamoDB: the coordination table's leases and shared history. The table has a string
//! partition key `pk` and a string sort key `sk`; nothing else about it is assumed.
//!
//! - A lease is the item (`pk = "lease"`, `sk = RESOURCE`). It is taken with one conditional
//!   UpdateItem that succeeds only when no lease exists or the existing one expired more than a
//!   skew margin ago; every taking adds 1 to `generation` (the fencing number), so the item is
//!   released by expiring it, never deleted. Renewal and release are conditional on the
//!   holder's `version`.
//! - A history record is an item (`pk = "history"`, `sk = TIME#RUN#N`) holding the journal
//!   record as JSON, so every host reads the same history newest first with one Query.
//! - A DR waiting for approval (`dr.auto.approve`) is an item (`pk = "dr-pending"`, `sk = RUN`)
//!   that `dr approve` and `dr deny` answer with one UpdateItem conditional on it still being
//!   pending, and the watcher closes when it acts on it.
//! - `ttl` (epoch seconds) is only for garbage collection, if the table enables TTL on it.

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};

use super::{AwsResultExt, Service};
use crate::error::AwsError;

pub const LEASE_PK: &str = "lease";
pub const HISTORY_PK: &str = "history";
pub const WATCH_PK: &str = "watch";
pub const DR_PENDING_PK: &str = "dr-pending";
/// Pending DR items stay about 30 days, then TTL may remove them.
const PENDING_TTL_S: i64 = 30 * 24 * 3600;
/// A released lease item stays this long (its generation with it), then TTL may remove it.
const RELEASED_TTL_S: i64 = 30 * 24 * 3600;
/// History items stay about 400 days, then TTL may remove them.
const HISTORY_TTL_S: i64 = 400 * 24 * 3600;

/// A lease item as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub resource: String,
    pub user: String,
    pub host: String,
    pub pid: u32,
    pub command: String,
    pub reason: Option<String>,
    /// RFC 3339, when it was taken.
    pub since: String,
    /// Epoch milliseconds; 0: released.
    pub expires_ms: i64,
    pub generation: u64,
    /// Changes with every taking: renewals and releases are conditional on it.
    pub version: String,
    /// Set by `lease break`: who broke it (`user@host`), when and why.
    pub broken: Option<Broken>,
}

/// Who broke a lease (`lease break`), when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub by: String,
    pub at: String,
    pub reason: String,
}

impl Lease {
    pub fn live(&self, now_ms: i64) -> bool {
        self.expires_ms > now_ms
    }

    /// `failover by ops@mgmt01 (pid 4242, since ..., expires ...): reason`; a released or
    /// broken lease says so instead of an expiry.
    pub fn describe(&self) -> String {
        let until = match (&self.broken, self.expires_ms) {
            (Some(b), 0) => format!("broken by {} at {}: {}", b.by, b.at, b.reason),
            (None, 0) => "released".to_string(),
            (_, ms) => format!(
                "expires {}",
                super::rfc3339(&aws_smithy_types::DateTime::from_millis(ms))
            ),
        };
        let mut s = format!(
            "{} by {}@{} (pid {}, since {}, {until}, generation {})",
            self.command, self.user, self.host, self.pid, self.since, self.generation
        );
        if let Some(r) = &self.reason {
            s.push_str(": ");
            s.push_str(r);
        }
        s
    }
}

/// Who takes a lease.
#[derive(Debug, Clone)]
pub struct Taker<'a> {
    pub user: &'a str,
    pub host: &'a str,
    pub pid: u32,
    pub command: &'a str,
    pub reason: Option<&'a str>,
    pub since: &'a str,
    pub version: &'a str,
}

/// Why a lease was not taken or kept.
#[derive(Debug)]
pub enum Refused {
    /// Another holder has it (as read after the refusal; None if it vanished meanwhile).
    Held(Option<Lease>),
    /// The table refused the condition, so someone else holds it, but the GetItem that would
    /// name the holder failed: still held (never "the table is unavailable").
    HeldUnknown(AwsError),
    /// The call failed (throttled, unreachable, no permission).
    Failed(AwsError),
    /// This host's clock is too far from AWS's for a lease to mean anything.
    Skew(String),
}

/// Before a lease is taken: the clock must be within the skew limit. Without a measurement
/// yet, one GetItem of the item measures it (one call; its failure proves nothing about the
/// table, so the acquisition goes on and its own answer is measured: see `acquire`).
async fn check_clock(client: &Client, table: &str, resource: &str) -> Result<(), Refused> {
    if super::clock::skew_ms().is_none() {
        let _ = get(client, table, resource).await;
    }
    super::clock::check().map_err(Refused::Skew)
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

fn text(item: &HashMap<String, AttributeValue>, k: &str) -> Option<String> {
    item.get(k).and_then(|v| v.as_s().ok()).cloned()
}

fn num(item: &HashMap<String, AttributeValue>, k: &str) -> Option<i64> {
    item.get(k)
        .and_then(|v| v.as_n().ok())
        .and_then(|v| v.parse().ok())
}

fn lease_of(item: &HashMap<String, AttributeValue>) -> Option<Lease> {
    Some(Lease {
        resource: text(item, "sk")?,
        user: text(item, "user").unwrap_or_default(),
        host: text(item, "host").unwrap_or_default(),
        pid: num(item, "pid").unwrap_or(0) as u32,
        command: text(item, "command").unwrap_or_default(),
        reason: text(item, "reason"),
        since: text(item, "since").unwrap_or_default(),
        expires_ms: num(item, "expires_ms").unwrap_or(0),
        generation: num(item, "generation").unwrap_or(0) as u64,
        version: text(item, "version").unwrap_or_default(),
        broken: text(item, "broken_by").map(|by| Broken {
            by,
            at: text(item, "broken_at").unwrap_or_default(),
            reason: text(item, "broken_reason").unwrap_or_default(),
        }),
    })
}

/// Takes the lease of `resource` until `now_ms + len_ms`, when there is none or it expired
/// more than `margin_ms` ago (another host's clock may be behind ours).
pub async fn acquire(
    client: &Client,
    table: &str,
    resource: &str,
    who: &Taker<'_>,
    now_ms: i64,
    len_ms: i64,
    margin_ms: i64,
) -> Result<Lease, Refused> {
    check_clock(client, table, resource).await?;
    let mut update = client
        .update_item()
        .table_name(table)
        .key("pk", s(LEASE_PK))
        .key("sk", s(resource))
        .update_expression(
            "SET #user = :user, #host = :host, pid = :pid, #command = :command, since = :since, \
             expires_ms = :expires, version = :version, #ttl = :ttl \
             REMOVE reason, broken_by, broken_at, broken_reason ADD generation :one",
        )
        .condition_expression("attribute_not_exists(pk) OR expires_ms < :cutoff")
        .expression_attribute_names("#user", "user")
        .expression_attribute_names("#host", "host")
        .expression_attribute_names("#command", "command")
        .expression_attribute_names("#ttl", "ttl")
        .expression_attribute_values(":user", s(who.user))
        .expression_attribute_values(":host", s(who.host))
        .expression_attribute_values(":pid", n(i64::from(who.pid)))
        .expression_attribute_values(":command", s(who.command))
        .expression_attribute_values(":since", s(who.since))
        .expression_attribute_values(":expires", n(now_ms + len_ms))
        .expression_attribute_values(":version", s(who.version))
        .expression_attribute_values(":ttl", n((now_ms + len_ms) / 1000 + RELEASED_TTL_S))
        .expression_attribute_values(":one", n(1))
        .expression_attribute_values(":cutoff", n(now_ms - margin_ms))
        .return_values(ReturnValue::AllNew);
    if let Some(r) = who.reason {
        update = update
            .update_expression(
                "SET #user = :user, #host = :host, pid = :pid, #command = :command, \
                 since = :since, expires_ms = :expires, version = :version, #ttl = :ttl, \
                 reason = :reason REMOVE broken_by, broken_at, broken_reason \
                 ADD generation :one",
            )
            .expression_attribute_values(":reason", s(r));
    }
    let out = conditional(client, table, resource, update.send().await).await?;
    let taken = out
        .attributes()
        .and_then(lease_of)
        .ok_or_else(|| Refused::Failed(missing("UpdateItem")))?;
    // Measured only now (the GetItem before failed): a lease taken with a clock that is off
    // is given back at once.
    if let Err(m) = super::clock::check() {
        let _ = release(client, table, resource, Some(who.version)).await;
        return Err(Refused::Skew(m));
    }
    Ok(taken)
}

type UpdateResult = Result<
    aws_sdk_dynamodb::operation::update_item::UpdateItemOutput,
    aws_smithy_runtime_api::client::result::SdkError<
        aws_sdk_dynamodb::operation::update_item::UpdateItemError,
        aws_smithy_runtime_api::http::Response,
    >,
>;

/// A conditional UpdateItem's answer: refused by its condition -> the lease as it now is
/// (read after the refusal); any other failure -> the call's error.
async fn conditional(
    client: &Client,
    table: &str,
    resource: &str,
    result: UpdateResult,
) -> Result<aws_sdk_dynamodb::operation::update_item::UpdateItemOutput, Refused> {
    match result {
        Ok(out) => Ok(out),
        Err(e)
            if e.as_service_error()
                .is_some_and(|se| se.is_conditional_check_failed_exception()) =>
        {
            Err(match get(client, table, resource).await {
                Ok(holder) => Refused::Held(holder),
                Err(e) => Refused::HeldUnknown(e),
            })
        }
        Err(e) => Err(Refused::Failed(
            Err::<(), _>(e)
                .aws(Service::DynamoDb, "UpdateItem")
                .unwrap_err(),
        )),
    }
}

fn missing(op: &'static str) -> AwsError {
    AwsError {
        service: Service::DynamoDb.name(),
        operation: op,
        code: None,
        message: "the answer has no attributes".into(),
        request_id: None,
        hint: None,
    }
}

/// Extends a lease this holder still holds: the condition proves that the item is still this
/// run's taking (`version`, `generation`) and was neither released nor broken. This is the
/// fence before every write, and the renewal during waits.
pub async fn renew(
    client: &Client,
    table: &str,
    resource: &str,
    version: &str,
    generation: Option<u64>,
    expires_ms: i64,
) -> Result<(), Refused> {
    super::clock::check().map_err(Refused::Skew)?;
    let mut update = client
        .update_item()
        .table_name(table)
        .key("pk", s(LEASE_PK))
        .key("sk", s(resource))
        .update_expression("SET expires_ms = :expires, #ttl = :ttl")
        .condition_expression("version = :version AND expires_ms > :zero")
        .expression_attribute_names("#ttl", "ttl")
        .expression_attribute_values(":expires", n(expires_ms))
        .expression_attribute_values(":ttl", n(expires_ms / 1000 + RELEASED_TTL_S))
        .expression_attribute_values(":version", s(version))
        .expression_attribute_values(":zero", n(0));
    if let Some(g) = generation {
        update = update
            .condition_expression(
                "version = :version AND generation = :generation AND expires_ms > :zero",
            )
            .expression_attribute_values(":generation", n(g as i64));
    }
    let out = update.send().await;
    conditional(client, table, resource, out).await.map(|_| ())
}

/// `lease break`: expires the lease of the holder `version` and records who broke it, so the
/// holder's next renewal says so.
pub async fn break_lease(
    client: &Client,
    table: &str,
    resource: &str,
    version: &str,
    by: &Broken,
) -> Result<bool, AwsError> {
    expire(client, table, resource, Some(version), Some(by)).await
}

/// Expires a lease: only this holder's (`Some(version)`), or whoever's (`None`).
/// The item stays, so the next taking's generation is higher.
pub async fn release(
    client: &Client,
    table: &str,
    resource: &str,
    version: Option<&str>,
) -> Result<bool, AwsError> {
    expire(client, table, resource, version, None).await
}

async fn expire(
    client: &Client,
    table: &str,
    resource: &str,
    version: Option<&str>,
    broken: Option<&Broken>,
) -> Result<bool, AwsError> {
    let mut update = client
        .update_item()
        .table_name(table)
        .key("pk", s(LEASE_PK))
        .key("sk", s(resource))
        .update_expression("SET expires_ms = :zero")
        .expression_attribute_values(":zero", n(0));
    if let Some(b) = broken {
        update = update
            .update_expression(
                "SET expires_ms = :zero, broken_by = :by, broken_at = :at, broken_reason = :why",
            )
            .expression_attribute_values(":by", s(&b.by))
            .expression_attribute_values(":at", s(&b.at))
            .expression_attribute_values(":why", s(&b.reason));
    }
    update = match version {
        Some(v) => update
            .condition_expression("version = :version")
            .expression_attribute_values(":version", s(v)),
        None => update.condition_expression("attribute_exists(pk)"),
    };
    match update.send().await {
        Ok(_) => Ok(true),
        Err(e)
            if e.as_service_error()
                .is_some_and(|se| se.is_conditional_check_failed_exception()) =>
        {
            Ok(false)
        }
        Err(e) => Err(Err::<(), _>(e)
            .aws(Service::DynamoDb, "UpdateItem")
            .unwrap_err()),
    }
}

/// One item by its keys, read consistently (None: there is none).
async fn item(
    client: &Client,
    table: &str,
    pk: &str,
    sk: &str,
) -> Result<Option<HashMap<String, AttributeValue>>, AwsError> {
    let out = client
        .get_item()
        .table_name(table)
        .key("pk", s(pk))
        .key("sk", s(sk))
        .consistent_read(true)
        .send()
        .await
        .aws(Service::DynamoDb, "GetItem")?;
    Ok(out.item().cloned())
}

/// One lease item (live or not).
pub async fn get(client: &Client, table: &str, resource: &str) -> Result<Option<Lease>, AwsError> {
    Ok(item(client, table, LEASE_PK, resource)
        .await?
        .as_ref()
        .and_then(lease_of))
}

/// Every lease item (one Query of the lease partition, all pages).
pub async fn leases(client: &Client, table: &str) -> Result<Vec<Lease>, AwsError> {
    let items = query(client, table, LEASE_PK, None, true, None).await?;
    Ok(items.iter().filter_map(lease_of).collect())
}

/// Appends one history record (its JSON) under a sort key that orders by time.
pub async fn put_history(
    client: &Client,
    table: &str,
    sk: &str,
    service: Option<&str>,
    json: &str,
    epoch_s: i64,
) -> Result<(), AwsError> {
    let mut put = client
        .put_item()
        .table_name(table)
        .item("pk", s(HISTORY_PK))
        .item("sk", s(sk))
        .item("record", s(json))
        .item("ttl", n(epoch_s + HISTORY_TTL_S));
    if let Some(svc) = service {
        put = put.item("service", s(svc));
    }
    put.send().await.aws(Service::DynamoDb, "PutItem")?;
    Ok(())
}

/// History records' JSON, newest first, with sort keys from `since_sk` on, at most `limit`.
pub async fn history(
    client: &Client,
    table: &str,
    since_sk: &str,
    service: Option<&str>,
    limit: usize,
) -> Result<Vec<String>, AwsError> {
    let items = query(client, table, HISTORY_PK, Some(since_sk), false, service).await?;
    Ok(items
        .iter()
        .filter_map(|i| text(i, "record"))
        .take(limit)
        .collect())
}

/// The watcher's state (its JSON) and its revision (None: the item has none, so it was
/// edited by hand), written only by the active watcher.
pub async fn watch_state(
    client: &Client,
    table: &str,
    key: &str,
) -> Result<Option<(String, Option<i64>)>, AwsError> {
    let out = client
        .get_item()
        .table_name(table)
        .key("pk", s(WATCH_PK))
        .key("sk", s(key))
        .consistent_read(true)
        .send()
        .await
        .aws(Service::DynamoDb, "GetItem")?;
    Ok(out
        .item()
        .and_then(|i| Some((text(i, "state")?, num(i, "rev")))))
}

/// Writes the watcher's state if its revision is still `rev` (0: none yet); Ok(false) when
/// another watcher wrote meanwhile.
pub async fn put_watch_state(
    client: &Client,
    table: &str,
    key: &str,
    json: &str,
    rev: i64,
) -> Result<bool, AwsError> {
    let put = client
        .put_item()
        .table_name(table)
        .item("pk", s(WATCH_PK))
        .item("sk", s(key))
        .item("state", s(json))
        .item("rev", n(rev + 1))
        .condition_expression("attribute_not_exists(pk) OR rev = :rev")
        .expression_attribute_values(":rev", n(rev));
    match put.send().await {
        Ok(_) => Ok(true),
        Err(e)
            if e.as_service_error()
                .is_some_and(|se| se.is_conditional_check_failed_exception()) =>
        {
            Ok(false)
        }
        Err(e) => Err(Err::<(), _>(e)
            .aws(Service::DynamoDb, "PutItem")
            .unwrap_err()),
    }
}

/// A Query of one partition, all pages; `from_sk`: sort keys >= it; `service`: a filter.
async fn query(
    client: &Client,
    table: &str,
    pk: &str,
    from_sk: Option<&str>,
    forward: bool,
    service: Option<&str>,
) -> Result<Vec<HashMap<String, AttributeValue>>, AwsError> {
    let mut out = Vec::new();
    let mut start: Option<HashMap<String, AttributeValue>> = None;
    loop {
        let mut q = client
            .query()
            .table_name(table)
            .key_condition_expression(if from_sk.is_some() {
                "pk = :pk AND sk >= :from"
            } else {
                "pk = :pk"
            })
            .expression_attribute_values(":pk", s(pk))
            .scan_index_forward(forward)
            .set_exclusive_start_key(start.take());
        if let Some(f) = from_sk {
            q = q.expression_attribute_values(":from", s(f));
        }
        if let Some(svc) = service {
            q = q
                .filter_expression("service = :service")
                .expression_attribute_values(":service", s(svc));
        }
        let page = q.send().await.aws(Service::DynamoDb, "Query")?;
        out.extend(page.items().iter().cloned());
        match page.last_evaluated_key() {
            Some(k) if !k.is_empty() => start = Some(k.clone()),
            _ => break,
        }
    }
    Ok(out)
}

/// A pending automatic DR, as the table holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDr {
    pub run: String,
    /// Epoch seconds.
    pub since: i64,
    pub deadline: i64,
    pub trigger: String,
    /// pending | approved | denied | started | aborted
    pub status: String,
    /// Who answered (`user@host`), and why.
    pub by: Option<String>,
    pub reason: Option<String>,
}

fn pending_of(item: &HashMap<String, AttributeValue>) -> Option<PendingDr> {
    Some(PendingDr {
        run: text(item, "sk")?,
        since: num(item, "since")?,
        deadline: num(item, "deadline")?,
        trigger: text(item, "trigger").unwrap_or_default(),
        status: text(item, "status")?,
        by: text(item, "by"),
        reason: text(item, "reason"),
    })
}

/// Records a pending DR (never over an existing item).
pub async fn put_pending(client: &Client, table: &str, p: &PendingDr) -> Result<(), AwsError> {
    client
        .put_item()
        .table_name(table)
        .item("pk", s(DR_PENDING_PK))
        .item("sk", s(&p.run))
        .item("since", n(p.since))
        .item("deadline", n(p.deadline))
        .item("trigger", s(&p.trigger))
        .item("status", s(&p.status))
        .item("ttl", n(p.deadline + PENDING_TTL_S))
        .condition_expression("attribute_not_exists(pk)")
        .send()
        .await
        .aws(Service::DynamoDb, "PutItem")?;
    Ok(())
}

/// One pending DR item, whatever its status.
pub async fn get_pending(
    client: &Client,
    table: &str,
    run: &str,
) -> Result<Option<PendingDr>, AwsError> {
    Ok(item(client, table, DR_PENDING_PK, run)
        .await?
        .as_ref()
        .and_then(pending_of))
}

/// Every pending DR item (one Query of the partition), oldest first.
pub async fn pending_drs(client: &Client, table: &str) -> Result<Vec<PendingDr>, AwsError> {
    let items = query(client, table, DR_PENDING_PK, None, true, None).await?;
    Ok(items.iter().filter_map(pending_of).collect())
}

/// Moves a DR item from `from` to `to`, saying who and why; Ok(false) when it was not in
/// `from` (answered or closed meanwhile, or gone).
pub async fn answer_pending(
    client: &Client,
    table: &str,
    run: &str,
    (from, to): (&str, &str),
    by: &str,
    reason: Option<&str>,
) -> Result<bool, AwsError> {
    let mut u = client
        .update_item()
        .table_name(table)
        .key("pk", s(DR_PENDING_PK))
        .key("sk", s(run))
        .update_expression(if reason.is_some() {
            "SET #st = :to, #by = :by, #why = :why"
        } else {
            "SET #st = :to, #by = :by"
        })
        .condition_expression("#st = :from")
        .expression_attribute_names("#st", "status")
        .expression_attribute_names("#by", "by")
        .expression_attribute_values(":to", s(to))
        .expression_attribute_values(":from", s(from))
        .expression_attribute_values(":by", s(by));
    if let Some(r) = reason {
        u = u
            .expression_attribute_names("#why", "reason")
            .expression_attribute_values(":why", s(r));
    }
    match u.send().await {
        Ok(_) => Ok(true),
        Err(e)
            if e.as_service_error()
                .is_some_and(|se| se.is_conditional_check_failed_exception()) =>
        {
            Ok(false)
        }
        Err(e) => Err(Err::<(), _>(e)
            .aws(Service::DynamoDb, "UpdateItem")
            .unwrap_err()),
    }
}
