"""hybridctl's local AWS lab: moto on 127.0.0.1 behind a middleware that serves the AWS SDK for Rust.

moto alone does not serve the Rust SDK, and differs from AWS in places (tests/lab/README.md lists
what the lab models beyond moto, and why). This middleware:
  a) translates CloudWatch Smithy RPC v2 CBOR to moto's awsJson1_0 and back;
  b) rewrites DMS timestamps (ISO strings) to the epoch numbers awsJson1.1 requires;
  c) offers a control API under /_lab/ to force failure states moto never produces;
  d) injects faults per AWS operation, or on every operation with `*` (latency, throttling,
     HTTP 500, AccessDenied, dropped connection, and
     `stale`: the previous answer replayed, as from an ALB node that has not converged; and
     `ratelimit`: a token bucket like ELBv2's, `Throttling` once it is empty);
  e) counts calls per account and operation;
  f) behaves like AWS where moto does not: ELBv2 authenticate-oidc client secrets, Route 53
     health checker observations, capacity that takes time to come up (ECS tasks, Auto Scaling
     instances, their targets' first health checks; capacity.py);
  g) receives notifications: POST /_hooks/<name>[/...] is recorded (headers, body, time) and
     read back with /_lab/hooks/<name>; {"status": 500} or {"hang_s": N} there sets the answer.
  g) serves the Lambda Runtime API for `hybridctl lambda`, one function per port
     (lambda_api.py, controls under /_lab/lambda/).

Accounts: a request signed with access key id `LAB<12 digits>` lands in that moto account, so
tests sharing one server are isolated by their credentials alone; the binary under test needs
no test-only code. Any other key lands in moto's default account 123456789012.

Usage:
  lab.py serve [--host 127.0.0.1] [--port 0] [--port-file F] [--exit-on-stdin-eof]
  lab.py seed --endpoint URL [--account ID] [--services N] [--cdc-latency S]
              [--capacity ecs|ecs-scalable|asg] [--out FILE]
  lab.py ctl --endpoint URL PATH [JSON]      (POST a control call, print the answer)
"""
import argparse
import base64
import datetime as dt
import email.utils
import io
import json
import math
import os
import re
import socket
import sys
import threading
import time
import unicodedata
import urllib.request
from urllib.parse import parse_qs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import capacity as lab_capacity  # noqa: E402  (beside this file: ECS, Auto Scaling and their target groups)

DEFAULT_ACCOUNT = "123456789012"
# LAB<12 digits> names the account; letters after the digits name one principal in it (two
# hosts of one account, as two IAM roles), so a fault or a clock can be given to one host.
AKID_RE = re.compile(r"Credential=(LAB(\d{12})[A-Z0-9]*)/")
SCOPE_RE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/")
CW_PREFIX = "/service/GraniteServiceVersion20100801/operation/"
STALE_OPS = {"DescribeRules", "DescribeListeners"}  # answers kept for the `stale` fault
DDB_LOCK = threading.Lock()  # DynamoDB requests, one at a time (conditional writes are atomic)
# Route 53's health checkers: regions and (documentation-range) addresses, 15 in all.
R53_CHECKERS = [(region, f"192.0.2.{10 * i + j}")
                for i, region in enumerate(["us-east-1", "us-west-1", "us-west-2", "eu-west-1",
                                            "ap-southeast-1", "ap-southeast-2", "ap-northeast-1",
                                            "sa-east-1"])
                for j in range(2)][:15]

# Route 53 is REST: map (method, path) to the operation name for counting and faults.
ROUTE53_OPS = [
    ("GET", r"/2013-04-01/hostedzone/[^/]+/rrset/?$", "ListResourceRecordSets"),
    ("POST", r"/2013-04-01/hostedzone/[^/]+/rrset/?$", "ChangeResourceRecordSets"),
    ("GET", r"/2013-04-01/hostedzone/[^/]+$", "GetHostedZone"),
    ("GET", r"/2013-04-01/hostedzone/?$", "ListHostedZones"),
    ("POST", r"/2013-04-01/hostedzone/?$", "CreateHostedZone"),
    ("GET", r"/2013-04-01/change/[^/]+$", "GetChange"),
    ("GET", r"/2013-04-01/healthcheck/[^/]+/status$", "GetHealthCheckStatus"),
    ("GET", r"/2013-04-01/healthcheck/[^/]+$", "GetHealthCheck"),
    ("GET", r"/2013-04-01/healthcheck/?$", "ListHealthChecks"),
    ("POST", r"/2013-04-01/healthcheck/?$", "CreateHealthCheck"),
]


class State:
    """Everything the control API sets. Keys carry the account, so tests never see each other."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls = {}  # account -> {"service:Op": n}
        self.faults = {}  # account -> [fault dict]
        self.gates = {}  # (account, gate name) -> threading.Event opened by /_lab/release
        self.target_health = {}  # (tg_arn, target_id) -> {State, Reason, Description}
        self.dms_task = {}  # task_arn -> {Status, StopReason, LastFailureMessage}
        self.dms_connection = {}  # (account, endpoint_arn) -> {Status, LastFailureMessage}
        self.rds_apply = {}  # (account, instance id) -> ParameterApplyStatus
        self.r53_health = {}  # health check id -> {"healthy": bool, "reason": str}
        self.last_answer = {}  # (account, op) -> (status, headers, body), for `stale`
        self.hooks = {}  # name -> [request], POSTs to /_hooks/<name>[/...]
        self.probe_behaviour = {}  # name -> {"status", "hang_s"}, GET /_probe/<name>
        self.probe_hits = {}  # name -> GETs
        self.hook_behaviour = {}  # name -> {"status": int, "hang_s": float}
        self.r53_pending = {}  # account -> GetChange answers still PENDING (-1: never INSYNC)
        self.date_offset_ms = {}  # access key id -> offset of the Date header of DynamoDB answers
        self.call_log = {}  # account -> [(epoch s, access key id, "service:Op")], in arrival order

    def reset(self):
        with self.lock:
            self.__init__()


STATE = State()


# ------------------------------------------------------------------ ELBv2 authenticate-oidc
# Real ELBv2 never returns an OIDC action's ClientSecret (DescribeRules, DescribeListeners, and
# the Create*/Modify* answers), and requires every Create*/Modify* that carries an
# authenticate-oidc action to send either ClientSecret or UseExistingClientSecret=true (then it
# keeps the secret it has). moto returns the secret and accepts neither. The lab behaves like
# ELBv2: the backend keeps or refuses as ELBv2 does, and `_strip_client_secret` removes the
# secret from every ELBv2 answer.
CLIENT_SECRET_RE = re.compile(rb"<ClientSecret>.*?</ClientSecret>", re.S)


def _strip_client_secret(data):
    return CLIENT_SECRET_RE.sub(b"", data)


def _patch_oidc_client_secret(elbv2_models):
    from moto.elbv2.exceptions import ELBClientError

    def is_oidc(action):
        return (action.get("Type") or "").lower() == "authenticate-oidc"

    def settle(actions, existing, modifying):
        """Applies ELBv2's rule to each authenticate-oidc action of a request."""
        old = [a.data for a in existing or [] if is_oidc(a.data)]
        for i, action in enumerate(a for a in actions or [] if is_oidc(a)):
            cfg = action.setdefault("AuthenticateOidcConfig", {})
            use_existing = str(cfg.pop("UseExistingClientSecret", "false")).lower() == "true"
            if cfg.get("ClientSecret"):
                continue
            if use_existing and modifying and i < len(old):
                cfg["ClientSecret"] = old[i].get("AuthenticateOidcConfig", {}).get("ClientSecret")
                continue
            raise ELBClientError(
                "ValidationError",
                "You must specify a client secret for an authenticate-oidc action "
                "(ClientSecret, or UseExistingClientSecret set to true when modifying)",
            )

    backend = elbv2_models.ELBv2Backend
    orig_create_rule, orig_modify_rule = backend.create_rule, backend.modify_rule
    orig_create_listener, orig_modify_listener = backend.create_listener, backend.modify_listener

    def create_rule(self, listener_arn, conditions, priority, actions, *args, **kwargs):
        settle(actions, [], modifying=False)
        return orig_create_rule(self, listener_arn, conditions, priority, actions, *args, **kwargs)

    def modify_rule(self, rule_arn, conditions, actions):
        rules = self.describe_rules(listener_arn=None, rule_arns=[rule_arn]) if actions else []
        settle(actions, rules[0].actions if rules else [], modifying=True)
        return orig_modify_rule(self, rule_arn, conditions, actions)

    def create_listener(self, *args, **kwargs):
        actions = kwargs.get("actions", args[5] if len(args) > 5 else None)
        settle(actions, [], modifying=False)
        return orig_create_listener(self, *args, **kwargs)

    def modify_listener(self, arn, *args, **kwargs):
        actions = kwargs.get("actions", args[4] if len(args) > 4 else None)
        if actions:
            listener = self.describe_listeners(load_balancer_arn=None, listener_arns=[arn])[0]
            settle(actions, listener.default_actions, modifying=True)
        return orig_modify_listener(self, arn, *args, **kwargs)

    backend.create_rule, backend.modify_rule = create_rule, modify_rule
    backend.create_listener, backend.modify_listener = create_listener, modify_listener


# ------------------------------------------------------------------ ELBv2 tag values
# ELBv2 refuses a tag key or value outside ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$ (letters, spaces,
# numbers and _ . : / = + - @; keys 1-128, values 0-256 characters) with ValidationError
# (API reference, Tag). moto stores anything. The lab refuses as ELBv2 does.
def _tag_text_ok(text, longest):
    if len(text) > longest:
        return False
    for c in text:
        cat = unicodedata.category(c)
        if not (cat[0] in "LNZ" or c in "_.:/=+-@"):
            return False
    return True


def _patch_tag_pattern(elbv2_models):
    from moto.elbv2.exceptions import ELBClientError

    backend = elbv2_models.ELBv2Backend
    orig_add_tags = backend.add_tags

    def add_tags(self, resource_arns, tags):
        for t in tags:
            key, value = t.get("Key", ""), t.get("Value", "") or ""
            if not key or not _tag_text_ok(key, 128) or not _tag_text_ok(value, 256):
                raise ELBClientError(
                    "ValidationError",
                    "1 validation error detected: Value at 'tags.member.1.member.value' failed to "
                    "satisfy constraint: Member must satisfy regular expression pattern: "
                    "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$",
                )
        return orig_add_tags(self, resource_arns, tags)

    backend.add_tags = add_tags


# ------------------------------------------------------------------ ELBv2 target Availability Zone
# An IP target outside the VPC is registered with an AvailabilityZone (`all`, or a zone of the
# VPC), and DescribeTargetHealth's TargetHealthDescriptions[].Target carries AvailabilityZone
# (API reference, DescribeTargetHealth response syntax). moto drops it at RegisterTargets. The
# lab keeps the value a target was registered with and returns it. Not modelled: the zone AWS
# detects by itself for an IP inside the VPC registered without one.
def _patch_target_availability_zone(elbv2_models):
    group = elbv2_models.FakeTargetGroup
    orig_register, orig_health_for = group.register, group.health_for

    def register(self, targets):
        orig_register(self, targets)
        for target in targets:
            if target.get("AvailabilityZone"):
                self.targets[target["Id"]]["AvailabilityZone"] = target["AvailabilityZone"]

    def health_for(self, target, ec2_backend):
        status = orig_health_for(self, target, ec2_backend)
        registered = self.targets.get(target["Id"]) or {}
        status.availability_zone = registered.get("AvailabilityZone")
        return status

    def target(self):
        out = {"Id": self.instance_id, "Port": self.port}
        if getattr(self, "availability_zone", None):
            out["AvailabilityZone"] = self.availability_zone
        return out

    group.register, group.health_for = register, health_for
    elbv2_models.FakeHealthStatus.target = property(target)


# ------------------------------------------------------------------ moto patches (c)
def install_patches():
    from moto import backends as moto_backends

    # moto lists its package directory (~180 stat calls) on every request to route it; the
    # answer never changes while the server runs. A third of each request's time, saved.
    modules = tuple(moto_backends.list_of_moto_modules())
    moto_backends.list_of_moto_modules = lambda: modules

    from moto.dms import models as dms_models
    from moto.elbv2 import models as elbv2_models
    from moto.rds import models as rds_models
    from moto.route53 import responses as r53_responses

    orig_health_for = elbv2_models.FakeTargetGroup.health_for

    def health_for(self, target, ec2_backend):
        status = orig_health_for(self, target, ec2_backend)
        if target["Id"] in self.targets:
            # A new ECS task or Auto Scaling instance is `initial` until its health checks
            # pass (capacity.py); a forced state (below) wins.
            initial = lab_capacity.initial_health(self.arn, target["Id"])
            if initial:
                status.status, status.reason, status.description = initial
        spec = STATE.target_health.get((self.arn, target["Id"]))
        if spec:
            status.status = spec["State"]
            status.reason = spec.get("Reason")
            status.description = spec.get("Description")
        return status

    elbv2_models.FakeTargetGroup.health_for = health_for
    _patch_target_availability_zone(elbv2_models)
    lab_capacity.install()
    _patch_oidc_client_secret(elbv2_models)
    _patch_tag_pattern(elbv2_models)

    orig_task_to_dict = dms_models.FakeReplicationTask.to_dict

    def task_to_dict(self):
        out = orig_task_to_dict(self)
        spec = STATE.dms_task.get(self.arn)
        if spec:
            if spec.get("Status"):
                self.status = spec["Status"]
                out["Status"] = spec["Status"]
            for key in ("StopReason", "LastFailureMessage", "RecoveryCheckpoint"):
                if spec.get(key):
                    out[key] = spec[key]
        return out

    dms_models.FakeReplicationTask.to_dict = task_to_dict

    orig_conn_to_dict = dms_models.FakeConnection.to_dict

    def conn_to_dict(self):
        out = orig_conn_to_dict(self)
        account = self.replication_instance_arn.split(":")[4]
        spec = STATE.dms_connection.get((account, self.endpoint_arn))
        if spec:
            out.update({k: v for k, v in spec.items() if v is not None})
        return out

    dms_models.FakeConnection.to_dict = conn_to_dict

    orig_pg_status = rds_models.DBInstance.db_parameter_group_status_list

    def pg_status(self):
        groups = orig_pg_status.fget(self)
        forced = STATE.rds_apply.get((self.account_id, self.db_instance_identifier))
        if forced:
            for group in groups:
                group.ParameterApplyStatus = forced
        return groups

    rds_models.DBInstance.db_parameter_group_status_list = property(pg_status)

    orig_hc_status = r53_responses.Route53.get_health_check_status

    def hc_status(self):
        # Route 53 answers with one observation per checker (about 15, in 8 regions); moto
        # returns one. The lab returns 15, `failing` of them failures (all when forced
        # unhealthy), so a client is tested on Route 53's own rule: healthy while more than
        # 18% of checkers report success.
        result = orig_hc_status(self)
        spec = STATE.r53_health.get(self._get_param("HealthCheckId")) or {}
        failing = spec.get("failing", 0 if spec.get("healthy", True) else len(R53_CHECKERS))
        template = result.result["HealthCheckObservations"][0]
        observations = []
        for i, (region, ip) in enumerate(R53_CHECKERS):
            status = (("Failure: " + spec.get("reason", "forced by the lab")) if i < failing
                      else template["StatusReport"]["Status"])
            observations.append({"Region": region, "IPAddress": ip, "StatusReport": {
                "Status": status, "CheckedTime": template["StatusReport"]["CheckedTime"]}})
        result.result["HealthCheckObservations"] = observations
        return result

    r53_responses.Route53.get_health_check_status = hc_status

    from moto.cloudwatch import models as cw_models

    orig_get_metric_data = cw_models.CloudWatchBackend.get_metric_data

    def get_metric_data(self, queries, start_time, end_time, scan_by="TimestampAscending"):
        """moto sums every datapoint for any Metrics Insights query; evaluate the shape
        hybridctl sends (one metric, SCHEMA, optional WHERE dim = 'v') properly."""
        mine = [q for q in queries if INSIGHTS_RE.match(q.get("Expression", ""))]
        rest = [q for q in queries if q not in mine]
        out = orig_get_metric_data(self, rest, start_time, end_time, scan_by) if rest else []
        for q in mine:
            out.append(_insights(self, q, start_time, end_time, scan_by))
        return out

    cw_models.CloudWatchBackend.get_metric_data = get_metric_data

    orig_stat = cw_models.Statistics.get_statistics_for_type

    def get_statistics_for_type(self, stat):
        """moto answers None for a percentile (`p99`); CloudWatch answers the percentile of
        the period's samples. Modelled with nearest rank over the values put."""
        m = PERCENTILE_RE.match(stat or "")
        if not m:
            return orig_stat(self, stat)
        values = sorted(float(v) for v in self.metric_single_values_list)
        if not values:
            return None
        rank = max(1, math.ceil(float(m.group(1)) / 100.0 * len(values)))
        return values[min(rank, len(values)) - 1]

    cw_models.Statistics.get_statistics_for_type = get_statistics_for_type


PERCENTILE_RE = re.compile(r"^p(\d{1,2}(?:\.\d+)?|100)$")

INSIGHTS_RE = re.compile(
    r"^SELECT (MAX|MIN|AVG|SUM)\((\w+)\) FROM SCHEMA\(\"([^\"]+)\"((?:,\s*\w+)*)\)"
    r"(?: WHERE (\w+) = '([^']*)')?$")


def _insights(backend, q, start_time, end_time, scan_by):
    stat, metric, namespace, dims, where_key, where_value = INSIGHTS_RE.match(q["Expression"]).groups()
    schema = sorted(d.strip() for d in dims.split(",") if d.strip())
    period = dt.timedelta(seconds=int(q.get("Period", 60)))
    start, end = start_time, end_time  # moto truncates to seconds and misses this second's data

    def wanted(md):
        names = sorted(d.name for d in md.dimensions)
        values = {d.name: d.value for d in md.dimensions}
        return (md.namespace == namespace and md.name == metric and names == schema
                and (where_key is None or values.get(where_key) == where_value))

    data = [md for md in backend.get_all_metrics() if wanted(md) and start <= md.timestamp < end]
    values, stamps, t = [], [], start
    while t < end:
        bucket = [float(md.value) for md in data if t <= md.timestamp < t + period]
        if bucket:
            agg = {"MAX": max, "MIN": min, "SUM": sum, "AVG": lambda b: sum(b) / len(b)}[stat]
            values.append(agg(bucket))
            stamps.append(t)
        t += period
    if scan_by == "TimestampDescending":
        values.reverse()
        stamps.reverse()
    return {"id": q["Id"], "label": q.get("Label") or q["Id"], "values": values,
            "timestamps": stamps, "status_code": "Complete"}


# ------------------------------------------------------------------ shapes (a, b)
_MODELS = {}


def service_model(name):
    if name not in _MODELS:
        import botocore.session

        _MODELS[name] = botocore.session.get_session().get_service_model(name)
    return _MODELS[name]


def _to_datetime(v):
    if isinstance(v, dt.datetime):
        return v if v.tzinfo else v.replace(tzinfo=dt.timezone.utc)
    if isinstance(v, (int, float)):
        return dt.datetime.fromtimestamp(v, dt.timezone.utc)
    d = dt.datetime.fromisoformat(str(v).replace("Z", "+00:00"))
    return d if d.tzinfo else d.replace(tzinfo=dt.timezone.utc)


def walk(shape, value, leaf):
    """Rebuild value following a botocore shape; leaf(shape, v) converts scalars; drops nulls."""
    if value is None or shape is None:
        return value
    t = shape.type_name
    if t == "structure" and isinstance(value, dict):
        return {k: walk(shape.members.get(k), v, leaf) for k, v in value.items() if v is not None}
    if t == "list" and isinstance(value, list):
        return [walk(shape.member, v, leaf) for v in value]
    if t == "map" and isinstance(value, dict):
        return {k: walk(shape.value, v, leaf) for k, v in value.items() if v is not None}
    return leaf(shape, value)


def _json_leaf(shape, v):  # CBOR-decoded request value -> JSON-able
    if isinstance(v, dt.datetime):
        return _to_datetime(v).timestamp()
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(v).decode()
    return v


def _cbor_leaf(shape, v):  # moto JSON answer -> CBOR-typed value
    t = shape.type_name
    if t == "timestamp":
        return _to_datetime(v)
    if t in ("double", "float") and isinstance(v, (int, float)):
        return float(v)
    if t in ("integer", "long") and isinstance(v, float) and v.is_integer():
        return int(v)
    if t == "blob" and isinstance(v, str):
        return base64.b64decode(v)
    return v


def _epoch_leaf(shape, v):  # DMS ISO timestamp -> epoch seconds
    if shape.type_name == "timestamp" and isinstance(v, str):
        return _to_datetime(v).timestamp()
    return v


# ------------------------------------------------------------------ the middleware
def _matches(pattern, service, op):
    """`*`, `Op`, `service:Op`, or a prefix ending in `*` (`elasticloadbalancing:Describe*`)."""
    if pattern == "*":
        return True
    name = f"{service}:{op}" if ":" in pattern else op
    if pattern.endswith("*"):
        return name.startswith(pattern[:-1])
    return name == pattern


def _call(app, environ, body, headers, path=None):
    env = dict(environ)
    if path is not None:
        env.update(PATH_INFO=path, RAW_URI=path, REQUEST_URI=path, QUERY_STRING="")
    env["wsgi.input"] = io.BytesIO(body)
    env["CONTENT_LENGTH"] = str(len(body))
    for k, v in headers.items():
        key = k.upper().replace("-", "_")
        env[key if key == "CONTENT_TYPE" else "HTTP_" + key] = v
    captured = {}

    def start_response(status, hdrs, exc_info=None):
        captured["status"], captured["headers"] = status, hdrs

    chunks = app(env, start_response)
    data = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return captured["status"], captured["headers"], data


def _json_response(start_response, code, obj):
    body = json.dumps(obj, default=str).encode()
    start_response(f"{code} {'OK' if code < 400 else 'Error'}",
                   [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


class Lab:
    def __init__(self, app, base_url_ref):
        self.app = app
        self.base_url_ref = base_url_ref  # list holding the server's own URL, set after bind

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_lab/"):
            return self._control(environ, start_response, path[len("/_lab/"):])
        if path.startswith("/_hooks/"):
            return self._hook(environ, start_response, path)
        if path.startswith("/_probe/"):
            return self._probe(environ, start_response, path)
        auth = environ.get("HTTP_AUTHORIZATION", "")
        m = AKID_RE.search(auth)
        account = m.group(2) if m else DEFAULT_ACCOUNT
        akid = m.group(1) if m else ""
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = account
        body = self._read(environ)
        service, op = self._operation(environ, auth, path, body)
        key = f"{service}:{op}"
        lab_capacity.tick(account)  # tasks and instances that have started since join their groups
        with STATE.lock:
            counts = STATE.calls.setdefault(account, {})
            counts[key] = counts.get(key, 0) + 1
            log = STATE.call_log.setdefault(account, [])
            if len(log) < 20000:
                log.append((time.time(), akid, key))
            fault = self._take_fault(account, service, op, akid)
        if fault and fault["kind"] == "slow-answer":
            # Answered late with what AWS held when the request arrived (a slow network or a
            # delaying proxy): the request is served now and its answer held back.
            captured = {}

            def late(status, headers, exc_info=None):
                captured["status"], captured["headers"] = status, headers
                return captured.setdefault("extra", []).append

            data = b"".join(self._serve(environ, late, account, akid, service, op, body, path))
            if fault["gate"]:
                # Given a gate: held back until a test opens it, never longer than latency_ms.
                with STATE.lock:
                    gate = STATE.gates.setdefault((account, fault["gate"]), threading.Event())
                gate.wait(fault.get("latency_ms", 60000) / 1000)
            else:
                time.sleep(fault.get("latency_ms", 1000) / 1000)
            start_response(captured["status"], captured["headers"])
            return [b"".join(captured.get("extra", [])) + data]
        if fault:
            kind = fault["kind"]
            if kind == "latency":
                time.sleep(fault.get("latency_ms", 1000) / 1000)
            elif kind == "hold":
                # Held until a test opens the gate (`/_lab/release`), so a race is staged in
                # order instead of hoped for within a latency; never longer than latency_ms.
                with STATE.lock:
                    gate = STATE.gates.setdefault((account, fault["gate"] or "default"), threading.Event())
                gate.wait(fault.get("latency_ms", 60000) / 1000)
            elif kind == "drop":
                sock = environ.get("werkzeug.socket")
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    sock.close()
                raise ConnectionAbortedError("lab: dropped connection on purpose")
            elif kind == "stale":
                cached = STATE.last_answer.get((account, op))
                if cached:
                    start_response(cached[0], cached[1])
                    return [cached[2]]
            else:
                return self._error(environ, start_response, service, kind)
        return self._serve(environ, start_response, account, akid, service, op, body, path)

    def _serve(self, environ, start_response, account, akid, service, op, body, path):
        """Serves a request once its faults (other than `slow-answer`) have been applied."""
        environ["wsgi.input"] = io.BytesIO(body)
        if service == "elasticloadbalancing":
            status, headers, data = _call(self.app, environ, body, {})
            data = _strip_client_secret(data)
            headers = [(k, str(len(data)) if k.lower() == "content-length" else v) for k, v in headers]
            if op in STALE_OPS and int(status.split()[0]) < 300:
                STATE.last_answer[(account, op)] = (status, headers, data)
            start_response(status, headers)
            return [data]
        environ["CONTENT_LENGTH"] = str(len(body))
        if service == "dynamodb":
            # DynamoDB applies each conditional write atomically; moto checks the condition and
            # writes in two steps, so two requests served at once could both pass a condition
            # only one may. The lab serves DynamoDB one request at a time, as AWS orders them.
            with DDB_LOCK:
                status, headers, data = _call(self.app, environ, body, {})
            start_response(status, self._dated(headers, akid))
            return [data]
        if service == "route53" and op == "GetChange":
            return self._get_change(environ, start_response, account, body)
        if path.startswith(CW_PREFIX) and environ.get("REQUEST_METHOD") == "POST":
            return self._cloudwatch_cbor(environ, start_response, op, body)
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("AmazonDMSv20160101."):
            return self._dms(environ, start_response, op, body)
        return self.app(environ, start_response)

    def _get_change(self, environ, start_response, account, body):
        """Route 53 answers PENDING until a change has propagated (about 60 s); moto answers
        INSYNC at once. `r53-pending` makes the next N GetChange answers PENDING."""
        status, headers, data = _call(self.app, environ, body, {})
        with STATE.lock:
            pending = STATE.r53_pending.get(account, 0)
            if pending != 0:
                STATE.r53_pending[account] = pending - 1 if pending > 0 else pending
                data = data.replace(b"<Status>INSYNC</Status>", b"<Status>PENDING</Status>")
        headers = [(k, str(len(data)) if k.lower() == "content-length" else v) for k, v in headers]
        start_response(status, headers)
        return [data]

    @staticmethod
    def _read(environ):
        n = int(environ.get("CONTENT_LENGTH") or 0)
        return environ["wsgi.input"].read(n) if n else b""

    @staticmethod
    def _operation(environ, auth, path, body):
        m = SCOPE_RE.search(auth)
        service = m.group(1) if m else "unknown"
        if path.startswith(CW_PREFIX):
            return "monitoring", path[len(CW_PREFIX):]
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target:
            return service, target.split(".", 1)[1]
        if service == "route53":
            method = environ.get("REQUEST_METHOD", "GET")
            for meth, pattern, name in ROUTE53_OPS:
                if meth == method and re.search(pattern, path):
                    return service, name
            return service, f"{method} {path}"
        if body:
            action = parse_qs(body.decode(errors="replace")).get("Action")
            if action:
                return service, action[0]
        action = parse_qs(environ.get("QUERY_STRING", "")).get("Action")
        return service, action[0] if action else "unknown"

    @staticmethod
    def _dated(headers, akid):
        """Every AWS answer carries a `Date` header (AWS's clock, whole seconds). The lab's is
        this machine's clock, shifted for one access key by `date-offset`: that host's clock
        is then off by as much, as far as anything it can measure says."""
        with STATE.lock:
            offset = STATE.date_offset_ms.get(akid, 0)
        date = email.utils.formatdate(time.time() + offset / 1000, usegmt=True)
        return [(k, v) for k, v in headers if k.lower() != "date"] + [("Date", date)]

    @staticmethod
    def _take_fault(account, service, op, akid=""):
        now = time.monotonic()
        # Rate limits first: a throttled call is refused before any other fault applies.
        for fault in sorted(STATE.faults.get(account, []), key=lambda f: f["kind"] != "ratelimit"):
            if not _matches(fault["operation"], service, op) or fault["remaining"] == 0:
                continue
            if fault.get("key") and fault["key"] != akid:
                continue  # a fault for another host (access key) of the account
            if fault["kind"] == "ratelimit":
                # ELBv2-style token bucket: a call takes a token; none left is `Throttling`.
                fault["tokens"] = min(fault["capacity"],
                                      fault["tokens"] + (now - fault["refilled"]) * fault["refill_per_s"])
                fault["refilled"] = now
                if fault["tokens"] >= 1:
                    fault["tokens"] -= 1
                    continue
                fault["throttled"] += 1
                return {"kind": "throttle"}
            if fault.get("after", 0) > 0:
                fault["after"] -= 1  # let the first `after` matching calls through untouched
                continue
            fault["remaining"] -= 1  # a negative count never runs out
            return fault
        return None

    @staticmethod
    def _error(environ, start_response, service, kind):
        """A throttling error or an HTTP 500 in the protocol the caller speaks."""
        status, code, message = {
            "throttle": ("400 Bad Request", "Throttling", "Rate exceeded"),
            "denied": ("403 Forbidden", "AccessDenied", "User: arn:aws:iam::123456789012:user/lab is not authorized to perform this action"),
        }.get(kind, ("500 Internal Server Error", "InternalFailure", "lab: injected server error"))
        rid = "lab-fault-0000"
        if environ.get("PATH_INFO", "").startswith(CW_PREFIX):
            import cbor2

            body = cbor2.dumps({"__type": code, "message": message})
            headers = [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
        elif environ.get("HTTP_X_AMZ_TARGET"):
            if kind in ("throttle", "denied"):
                code = code + "Exception" if kind == "denied" else "ThrottlingException"
            body = json.dumps({"__type": code, "message": message}).encode()
            headers = [("Content-Type", "application/x-amz-json-1.1")]
        else:
            kind_word = "Receiver" if kind == "http500" else "Sender"
            body = (f"<ErrorResponse><Error><Type>{kind_word}</Type><Code>{code}</Code>"
                    f"<Message>{message}</Message></Error><RequestId>{rid}</RequestId></ErrorResponse>").encode()
            headers = [("Content-Type", "text/xml")]
        headers += [("x-amzn-RequestId", rid), ("Content-Length", str(len(body)))]
        start_response(status, headers)
        return [body]

    def _cloudwatch_cbor(self, environ, start_response, op_name, raw):
        import cbor2

        op = service_model("cloudwatch").operation_model(op_name)
        params = cbor2.loads(raw) if raw else {}
        params = walk(op.input_shape, params, _json_leaf) if op.input_shape else {}
        try:
            status, headers, data = _call(self.app, environ, json.dumps(params).encode(), {
                "Content-Type": "application/x-amz-json-1.0",
                "X-Amz-Target": f"GraniteServiceVersion20100801.{op_name}",
            }, path="/")
        except NotImplementedError as e:
            status, headers = "501 Not Implemented", []
            data = json.dumps({"__type": "NotImplemented", "message": str(e)}).encode()
        code = int(status.split()[0])
        try:
            body = json.loads(data) if data else {}
        except ValueError:
            body = {"__type": "InternalFailure", "message": data[:200].decode(errors="replace")}
        if code < 300:
            body = walk(op.output_shape, body, _cbor_leaf) if op.output_shape else {}
        else:
            body = {"__type": body.get("__type", "InternalFailure"),
                    "message": body.get("message") or body.get("Message")}
        out = cbor2.dumps(body, datetime_as_timestamp=True)
        start_response(status, [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"),
                                ("Content-Length", str(len(out))),
                                *[(k, v) for k, v in headers if k.lower().startswith("x-amz")]])
        return [out]

    def _dms(self, environ, start_response, op_name, raw):
        try:
            status, headers, data = _call(self.app, environ, raw, {})
        except NotImplementedError as e:
            status = "501 Not Implemented"
            headers = [("Content-Type", "application/x-amz-json-1.1")]
            data = json.dumps({"__type": "NotImplemented", "message": str(e)}).encode()
        if int(status.split()[0]) < 300 and data:
            op = service_model("dms").operation_model(op_name)
            data = json.dumps(walk(op.output_shape, json.loads(data), _epoch_leaf)).encode()
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(status, headers + [("Content-Length", str(len(data)))])
        return [data]

    # -------------------------------------------------------------- notification receiver (g)
    def _hook(self, environ, start_response, path):
        """Records a POST to /_hooks/<name>[/anything] and answers as /_lab/hooks/<name> set."""
        name = path[len("/_hooks/"):].split("/", 1)[0]
        body = self._read(environ)
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items()
                   if k.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        with STATE.lock:
            STATE.hooks.setdefault(name, []).append({
                "method": environ.get("REQUEST_METHOD"), "path": path, "headers": headers,
                "body": body.decode(errors="replace"), "time": time.time()})
            behaviour = dict(STATE.hook_behaviour.get(name, {}))
        if behaviour.get("hang_s"):
            time.sleep(float(behaviour["hang_s"]))
        status = int(behaviour.get("status", 200))
        data = b"ok" if status < 300 else b"lab: failing on purpose"
        start_response(f"{status} {'OK' if status < 300 else 'Error'}",
                       [("Content-Type", "text/plain"), ("Content-Length", str(len(data)))])
        return [data]

    def _probe(self, environ, start_response, path):
        """A site's health endpoint for hybridctl's probes: GET /_probe/<name> answers as
        /_lab/probe/<name> set ({"status": 500}, {"hang_s": 30}, {"status": 302}); 200 until
        told otherwise. Every GET is counted."""
        name = path[len("/_probe/"):].split("/", 1)[0]
        with STATE.lock:
            STATE.probe_hits[name] = STATE.probe_hits.get(name, 0) + 1
            behaviour = dict(STATE.probe_behaviour.get(name, {}))
        if behaviour.get("hang_s"):
            time.sleep(float(behaviour["hang_s"]))
        status = int(behaviour.get("status", 200))
        data = b"ok" if status < 300 else b"lab: failing on purpose"
        headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(data)))]
        if 300 <= status < 400:
            headers.append(("Location", "/_probe/elsewhere"))
        start_response(f"{status} {'OK' if status < 300 else 'Lab'}", headers)
        return [data]

    # -------------------------------------------------------------- control API (c, d, e)
    def _control(self, environ, start_response, what):
        raw = self._read(environ)
        try:
            req = json.loads(raw) if raw else {}
        except ValueError as e:
            return _json_response(start_response, 400, {"error": f"bad JSON: {e}"})
        account = str(req.get("account", DEFAULT_ACCOUNT))
        try:
            answer = self._control_call(what, account, req)
        except KeyError as e:
            return _json_response(start_response, 400, {"error": f"missing field {e}"})
        except Exception as e:  # an answer, not a dead server: the test reads the message
            return _json_response(start_response, 500, {"error": f"{type(e).__name__}: {e}"})
        if answer is None:
            return _json_response(start_response, 404, {"error": f"no control call /_lab/{what}"})
        return _json_response(start_response, 200, answer)

    def _control_call(self, what, account, req):
        if what == "health":
            return {"ok": True}
        if what == "reset":
            STATE.reset()
            lab_capacity.reset()
            import lambda_api  # beside this file

            lambda_api.reset()
            from moto.moto_api._internal.models import moto_api_backend

            moto_api_backend.reset()
            return {"ok": True}
        if what == "calls":
            with STATE.lock:
                counts = dict(STATE.calls.get(account, {}))
                if req.get("reset"):
                    STATE.calls[account] = {}
                    STATE.call_log[account] = []
            return {"calls": counts, "total": sum(counts.values())}
        if what == "release":
            # Opens a `hold` fault's gate: held calls go on, and later ones pass at once.
            with STATE.lock:
                gate = STATE.gates.setdefault((account, req.get("gate", "default")), threading.Event())
            gate.set()
            return {"ok": True}
        if what == "faults" and req.get("clear"):
            with STATE.lock:
                STATE.faults[account] = []
            return {"ok": True}
        if what == "faults":
            fault = {"operation": req["operation"], "kind": req["kind"],
                     "remaining": int(req.get("count", 1)), "latency_ms": int(req.get("latency_ms", 1000)),
                     "after": int(req.get("after", 0)), "key": req.get("key"),
                     "gate": req.get("gate")}
            if req["kind"] == "hold":
                fault["latency_ms"] = int(req.get("latency_ms", 60000))
            kinds = ("latency", "slow-answer", "hold", "throttle", "http500", "drop", "stale",
                     "denied", "ratelimit")
            if fault["kind"] not in kinds:
                raise ValueError("kind must be one of " + ", ".join(kinds))
            if fault["kind"] == "ratelimit":
                capacity = float(req.get("capacity", 40))
                fault.update(capacity=capacity, tokens=capacity, refilled=time.monotonic(),
                             refill_per_s=float(req.get("refill_per_s", 10)), throttled=0, remaining=-1)
            with STATE.lock:
                STATE.faults.setdefault(account, []).append(fault)
            return {"ok": True}
        if what == "oidc-secret":
            # What the backend holds (ELBv2 answers never show it): the secrets of a rule's
            # authenticate-oidc actions, in order.
            from moto.elbv2.models import elbv2_backends
            backend = elbv2_backends[account][req.get("region", "ap-northeast-2")]
            rule = backend.describe_rules(listener_arn=None, rule_arns=[req["arn"]])[0]
            return {"secrets": [a.data.get("AuthenticateOidcConfig", {}).get("ClientSecret")
                                for a in rule.actions
                                if (a.data.get("Type") or "").lower() == "authenticate-oidc"]}
        if what == "call-log":
            # Every call of the account in arrival order (optionally one `service:Op`): who
            # (access key id) called what when, as CloudTrail would list it.
            with STATE.lock:
                log = list(STATE.call_log.get(account, []))
            op = req.get("op")
            return {"calls": [{"time": t, "key": k, "op": o} for t, k, o in log if not op or o == op]}
        if what == "date-offset":
            with STATE.lock:
                STATE.date_offset_ms[req["key"]] = int(req["offset_ms"])
            return {"ok": True}
        if what == "r53-pending":
            with STATE.lock:
                STATE.r53_pending[account] = int(req["polls"])
            return {"ok": True}
        if what == "fault-stats":
            with STATE.lock:
                # `remaining` 0: every call the fault was for has arrived (a held one is held).
                return {"faults": [{"operation": f["operation"], "kind": f["kind"],
                                    "throttled": f.get("throttled", 0),
                                    "remaining": f["remaining"]}
                                   for f in STATE.faults.get(account, [])]}
        if what == "target-health":
            STATE.target_health[(req["target_group_arn"], req["target_id"])] = {
                "State": req["state"], "Reason": req.get("reason"), "Description": req.get("description")}
            return {"ok": True}
        if what == "dms-task":
            STATE.dms_task[req["task_arn"]] = {
                "Status": req.get("status"), "StopReason": req.get("stop_reason"),
                "LastFailureMessage": req.get("last_failure_message"),
                "RecoveryCheckpoint": req.get("recovery_checkpoint")}
            return {"ok": True}
        if what == "dms-connection":
            STATE.dms_connection[(account, req["endpoint_arn"])] = {
                "Status": req["status"], "LastFailureMessage": req.get("last_failure_message")}
            return {"ok": True}
        if what == "rds-apply-status":
            STATE.rds_apply[(account, req["instance"])] = req["status"]
            return {"ok": True}
        if what == "route53-health":
            STATE.r53_health[req["health_check_id"]] = {
                "healthy": bool(req.get("healthy", True)), "reason": req.get("reason", "forced by the lab")}
            if "failing" in req:
                STATE.r53_health[req["health_check_id"]]["failing"] = int(req["failing"])
            return {"ok": True}
        if what.startswith("probe/"):
            # {} reads how many GETs /_probe/<name> had; {"status": 500}, {"hang_s": 30} or
            # {"status": 200} sets how it answers from now on.
            name = what[len("probe/"):]
            behaviour = {k: req[k] for k in ("status", "hang_s") if k in req}
            with STATE.lock:
                if behaviour:
                    STATE.probe_behaviour[name] = behaviour
                    return {"ok": True}
                return {"hits": STATE.probe_hits.get(name, 0)}
        if what.startswith("hooks/"):
            # {} reads what /_hooks/<name> received; {"status": 500} or {"hang_s": 30} (or
            # both) sets how it answers from now on.
            name = what[len("hooks/"):]
            behaviour = {k: req[k] for k in ("status", "hang_s") if k in req}
            with STATE.lock:
                if behaviour:
                    STATE.hook_behaviour[name] = behaviour
                    return {"ok": True}
                return {"requests": list(STATE.hooks.get(name, []))}
        if what in ("capacity-timing", "ecs-rollout", "ecs-policy-scale"):
            return lab_capacity.control(what, account, req)
        if what.startswith("lambda/"):
            import lambda_api  # beside this file: the Lambda Runtime API

            return lambda_api.control(what[len("lambda/"):], account, req)
        if what == "seed":
            from seed import seed  # beside this file

            return seed(self.base_url_ref[0], account, int(req.get("services", 1)),
                        listener_service=bool(req.get("listener_service", False)),
                        coordination=req.get("coordination"), cdc_latency=req.get("cdc_latency"),
                        capacity=req.get("capacity"), dns_service=bool(req.get("dns_service", False)))
        return None


# ------------------------------------------------------------------ serve
class _CountingInput:
    """wsgi.input that remembers how much of the request body the application read."""

    def __init__(self, raw, length):
        self.raw, self.left = raw, length

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        data = self.raw.read(n) if n else b""
        self.left -= len(data)
        return data

    def readline(self, limit=-1):
        limit = self.left if limit is None or limit < 0 else min(limit, self.left)
        data = self.raw.readline(limit) if limit else b""
        self.left -= len(data)
        return data

    def drain(self):
        while self.left and self.read(65536):
            pass


def keep_alive_handler():
    """A werkzeug request handler that keeps HTTP/1.1 connections open, as AWS endpoints do.

    werkzeug's development server closes every connection after one answer, so each SDK call
    paid a TCP connect and a new server thread, and the lab, not the client, set the pace of
    concurrent reads. This handler reuses werkzeug's WSGI environ (moto reads its keys) and
    answers with a Content-Length, draining any unread request body so the next request on
    the connection starts where it should. Chunked requests still close the connection.
    """
    from werkzeug.serving import WSGIRequestHandler

    class KeepAlive(WSGIRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body are two writes

        def log_request(self, code="-", size="-"):
            pass  # the lab logs errors only; formatting every request line costs time

        def run_wsgi(self):  # http.server has already answered `Expect: 100-continue`
            environ = self.make_environ()
            chunked = "wsgi.input_terminated" in environ
            body_in = None
            if not chunked:
                body_in = _CountingInput(self.rfile, int(environ.get("CONTENT_LENGTH") or 0))
                environ["wsgi.input"] = body_in
            captured, extra = {}, []

            def start_response(status, headers, exc_info=None):
                captured["status"], captured["headers"] = status, headers
                return extra.append

            try:
                chunks = self.server.app(environ, start_response)
                try:
                    data = b"".join(extra) + b"".join(chunks)
                finally:
                    if hasattr(chunks, "close"):
                        chunks.close()
            except ConnectionError:  # the `drop` fault closed the socket on purpose
                self.close_connection = True
                return
            except Exception as e:  # moto bug: answer 500 like werkzeug, keep serving
                import traceback

                traceback.print_exc()
                data = f"lab: {type(e).__name__}: {e}".encode()
                captured["status"], captured["headers"] = "500 Internal Server Error", [
                    ("Content-Type", "text/plain")]
            if chunked:
                self.close_connection = True
            else:
                body_in.drain()
            code, _, reason = captured["status"].partition(" ")
            # send_response would add its own Date before the app's (a second Date header):
            # the app's (a skewed clock, see `date-offset`) is the one sent, else the real one.
            self.send_response_only(int(code), reason)
            if not any(k.lower() == "date" for k, _ in captured["headers"]):
                self.send_header("Date", self.date_time_string())
            sent_length = False
            for key, value in captured["headers"]:
                low = key.lower()
                if low in ("connection", "transfer-encoding"):
                    continue
                sent_length |= low == "content-length"
                self.send_header(key, value)
            if not sent_length:
                self.send_header("Content-Length", str(len(data)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

    return KeepAlive


def serve(args):
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "LAB" + DEFAULT_ACCOUNT)
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "lab")
    import logging

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    install_patches()
    base = [""]
    app = Lab(DomainDispatcherApplication(create_backend_app), base)
    srv = make_server(args.host, args.port, app, threaded=True,
                      request_handler=keep_alive_handler())
    port = srv.server_port
    base[0] = f"http://{args.host}:{port}"
    os.environ["MOTO_PORT"] = str(port)
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(port))
        os.replace(tmp, args.port_file)
    print(f"lab listening on {base[0]}", flush=True)
    if args.exit_on_stdin_eof:
        def watch():
            sys.stdin.read()
            os._exit(0)

        threading.Thread(target=watch, daemon=True).start()
    srv.serve_forever()


def post(endpoint, path, payload):
    req = urllib.request.Request(f"{endpoint}/_lab/{path}", data=json.dumps(payload).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return json.loads(resp.read())
    except urllib.error.HTTPError as e:
        sys.exit(f"lab: /_lab/{path} failed: {e.code} {e.read().decode(errors='replace')}")


def main(argv):
    p = argparse.ArgumentParser(prog="lab.py", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve", help="run the lab server")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=0, help="0 picks a free port")
    s.add_argument("--port-file", help="write the bound port here once listening")
    s.add_argument("--exit-on-stdin-eof", action="store_true", help="stop when stdin closes (test harness)")
    d = sub.add_parser("seed", help="create the example topology in a running lab")
    d.add_argument("--endpoint", required=True)
    d.add_argument("--account", default=DEFAULT_ACCOUNT)
    d.add_argument("--services", type=int, default=1)
    d.add_argument("--coordination", metavar="LEASE",
                   help="also create the coordination table and name it, with this lease (2m)")
    d.add_argument("--cdc-latency", type=float, metavar="SECONDS",
                   help="also publish the DMS task's CDC latency (CDCLatencySource and CDCLatencyTarget) "
                        "now, so a failback's replication gate has a datapoint for 5 minutes")
    d.add_argument("--capacity", choices=["ecs", "ecs-scalable", "asg"],
                   help="also create what carries the web service on AWS: an ECS service (with a "
                        "scalable target) or an Auto Scaling group")
    d.add_argument("--dns-service", action="store_true",
                   help="also create the dns service `ticket` (Route 53 weighted records, seed 004)")
    d.add_argument("--out", help="write the hybridctl topology file here (default: stdout)")
    d.add_argument("--resources", help="also write the created resources' ARNs here (JSON)")
    c = sub.add_parser("ctl", help="POST a control call")
    c.add_argument("--endpoint", required=True)
    c.add_argument("path")
    c.add_argument("json", nargs="?", default="{}")
    args = p.parse_args(argv)
    if args.cmd == "serve":
        serve(args)
    elif args.cmd == "seed":
        answer = post(args.endpoint, "seed", {"account": args.account, "services": args.services,
                                              "coordination": args.coordination,
                                              "cdc_latency": args.cdc_latency,
                                              "capacity": args.capacity,
                                              "dns_service": args.dns_service})
        if args.out:
            with open(args.out, "w") as f:
                f.write(answer["topology"])
        else:
            sys.stdout.write(answer["topology"])
        if args.resources:
            with open(args.resources, "w") as f:
                json.dump(answer["resources"], f)
    else:
        print(json.dumps(post(args.endpoint, args.path, json.loads(args.json)), indent=2))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main(sys.argv[1:])
