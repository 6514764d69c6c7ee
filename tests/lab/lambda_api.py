"""The Lambda Runtime API (2018-06-01) for the lab: what a `provided.al2023` sandbox offers
its runtime, one function per listener on its own 127.0.0.1 port, so tests are isolated and
the runtime under test reads a plain `host:port` from AWS_LAMBDA_RUNTIME_API, as in Lambda.

Served, as AWS documents them:
  GET  /2018-06-01/runtime/invocation/next            long poll: blocks until an event is queued
  POST /2018-06-01/runtime/invocation/{id}/response   202; 400 for an unknown request id
  POST /2018-06-01/runtime/invocation/{id}/error      202; the error type header is kept
  POST /2018-06-01/runtime/init/error                 202; the sandbox's init failed
The next invocation carries Lambda-Runtime-Aws-Request-Id, Lambda-Runtime-Deadline-Ms,
Lambda-Runtime-Invoked-Function-Arn and Lambda-Runtime-Trace-Id.

Controls, under the lab's /_lab/lambda/ (JSON bodies):
  open {account, name?}                 -> {function, runtime_api: "127.0.0.1:PORT"}
  enqueue {function, event | raw, timeout_ms?} -> {request_id}
  result {function, request_id, wait_s?} -> {done, kind: response|error, body, error_type, times}
  init-error {function, wait_s?}        -> {init_error: null | {error_type, body, at}}
  state {function}                      -> {next_polls, first_next_at, waiting, queued}
  close {function}
Times are the lab's `time.time()` in seconds, so a benchmark on the same host compares them
with its own clock.
"""
import itertools
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01/runtime"
RESULT_RE = re.compile(PREFIX + r"/invocation/([^/]+)/(response|error)$")
FUNCTIONS = {}  # function id -> Function
LOCK = threading.Lock()
COUNTER = itertools.count(1)
REGION = "ap-northeast-2"


class Function:
    def __init__(self, fid, account, name):
        self.id, self.account, self.name = fid, account, name
        self.cond = threading.Condition()
        self.queue = []  # [(request_id, body bytes, timeout_ms)]
        self.results = {}  # request_id -> dict
        self.times = {}  # request_id -> {"enqueued": t, "taken": t}
        self.known = set()  # request ids handed out by /next
        self.init_error = None
        self.next_polls = 0
        self.first_next_at = None
        self.waiting = 0
        self.closed = False
        self.server = None

    def arn(self):
        return f"arn:aws:lambda:{REGION}:{self.account}:function:{self.name}"


def _handler(fn):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # the runtime keeps its connection, as with RAPID

        def log_message(self, *args):
            pass

        def _body(self):
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                out = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass  # trailers (the error type may come as one)
                        return out
                    out += self.rfile.read(size)
                    self.rfile.readline()
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n) if n else b""

        def _send(self, code, obj, headers=()):
            data = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path != PREFIX + "/invocation/next":
                return self._send(404, {"errorType": "NotFound", "errorMessage": self.path})
            with fn.cond:
                fn.next_polls += 1
                if fn.first_next_at is None:
                    fn.first_next_at = time.time()
                fn.waiting += 1
                while not fn.queue and not fn.closed:
                    fn.cond.wait(1.0)
                fn.waiting -= 1
                if fn.closed:
                    self.close_connection = True
                    return self._send(500, {"errorType": "Runtime.Closed", "errorMessage": "the lab closed this function"})
                rid, body, timeout_ms = fn.queue.pop(0)
                fn.known.add(rid)
                fn.times[rid]["taken"] = time.time()
            deadline = int(time.time() * 1000) + timeout_ms
            trace = f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Parent={uuid.uuid4().hex[:16]};Sampled=0"
            self._send(200, body, [("Lambda-Runtime-Aws-Request-Id", rid),
                                   ("Lambda-Runtime-Deadline-Ms", str(deadline)),
                                   ("Lambda-Runtime-Invoked-Function-Arn", fn.arn()),
                                   ("Lambda-Runtime-Trace-Id", trace)])

        def do_POST(self):
            body = self._body()
            if self.path == PREFIX + "/init/error":
                with fn.cond:
                    fn.init_error = {"error_type": self.headers.get("Lambda-Runtime-Function-Error-Type"),
                                     "body": _json_or_text(body), "at": time.time()}
                    fn.cond.notify_all()
                return self._send(202, {"status": "OK"})
            m = RESULT_RE.match(self.path)
            if not m:
                return self._send(404, {"errorType": "NotFound", "errorMessage": self.path})
            rid, kind = m.group(1), m.group(2)
            with fn.cond:
                if rid not in fn.known:
                    return self._send(400, {"errorType": "InvalidRequestID",
                                            "errorMessage": f"no invocation {rid} in progress"})
                if rid in fn.results:
                    return self._send(400, {"errorType": "InvalidStateTransition",
                                            "errorMessage": f"{rid} was already answered"})
                fn.results[rid] = {"kind": kind, "body": _json_or_text(body),
                                   "error_type": self.headers.get("Lambda-Runtime-Function-Error-Type"),
                                   "at": time.time()}
                fn.cond.notify_all()
            self._send(202, {"status": "OK"})

    return Handler


def _json_or_text(raw):
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def _get(req):
    with LOCK:
        fn = FUNCTIONS.get(req["function"])
    if fn is None:
        raise ValueError(f"no lab function {req['function']}")
    return fn


def control(what, account, req):
    """The /_lab/lambda/... calls; None for an unknown one."""
    if what == "open":
        fid = f"fn{next(COUNTER)}"
        fn = Function(fid, account, req.get("name", "hybridctl-failover"))
        fn.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fn))
        fn.server.daemon_threads = True
        threading.Thread(target=fn.server.serve_forever, daemon=True).start()
        with LOCK:
            FUNCTIONS[fid] = fn
        return {"function": fid, "runtime_api": f"127.0.0.1:{fn.server.server_port}"}
    if what == "enqueue":
        fn = _get(req)
        raw = req["raw"].encode() if "raw" in req else json.dumps(req["event"]).encode()
        rid = str(uuid.uuid4())
        with fn.cond:
            fn.times[rid] = {"enqueued": time.time()}
            fn.queue.append((rid, raw, int(req.get("timeout_ms", 60000))))
            fn.cond.notify_all()
        return {"request_id": rid}
    if what == "result":
        fn = _get(req)
        rid = req["request_id"]
        end = time.time() + float(req.get("wait_s", 30))
        with fn.cond:
            while rid not in fn.results and time.time() < end:
                fn.cond.wait(max(0.0, end - time.time()))
            r = fn.results.get(rid)
            times = dict(fn.times.get(rid, {}))
        if r is None:
            return {"done": False, "times": times}
        times["answered"] = r["at"]
        return {"done": True, "kind": r["kind"], "body": r["body"], "error_type": r["error_type"],
                "times": times}
    if what == "init-error":
        fn = _get(req)
        end = time.time() + float(req.get("wait_s", 0))
        with fn.cond:
            while fn.init_error is None and time.time() < end:
                fn.cond.wait(max(0.0, end - time.time()))
            return {"init_error": fn.init_error}
    if what == "state":
        fn = _get(req)
        with fn.cond:
            return {"next_polls": fn.next_polls, "first_next_at": fn.first_next_at,
                    "waiting": fn.waiting, "queued": len(fn.queue)}
    if what == "close":
        fn = _get(req)
        close(fn)
        return {"ok": True}
    return None


def close(fn):
    with fn.cond:
        fn.closed = True
        fn.cond.notify_all()
    fn.server.shutdown()
    fn.server.server_close()


def reset():
    with LOCK:
        fns = list(FUNCTIONS.values())
        FUNCTIONS.clear()
    for fn in fns:
        close(fn)
