"""A controllable stand-in for the two Prometheus sides the overflow tests need (stdlib only).

* `GET /metrics`: the exposition text a real Prometheus scrapes, with the value the test set
  (`onprem_cluster_cpu_utilization <value>`), or nothing when the value is None.
* `GET|POST /api/v1/query`: the instant-query API, answering what the test set: an HTTP status
  and a body (Prometheus' own JSON, as seen from a real server), optionally after a delay (a
  server that hangs) or only with the right bearer token (401 otherwise, as behind a proxy).
* `POST /_ctl`: sets any of `value`, `status`, `body`, `delay`, `token`, `location` (a Location
  header: with a 3xx status, a redirect) and `pad` (that many spaces after the JSON body: a huge
  answer); `GET /_ctl` returns the settings and the last query, its headers and how many
  queries came.

Serves HTTPS with --cert/--key. Writes its port to --port-file; exits when stdin closes, so a
test binary that dies takes it along.
"""
import argparse
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {
    "value": None,
    "status": 200,
    "body": None,
    "delay": 0,
    "token": None,
    "location": None,
    "pad": 0,
    "queries": 0,
    "last_query": None,
    "last_headers": {},
}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, status, body, ctype="application/json", location=None):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        self._route(b"")

    def do_POST(self):
        self._route(self._body())

    def _route(self, raw):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/metrics":
            with LOCK:
                v = STATE["value"]
            text = "" if v is None else f"# TYPE onprem_cluster_cpu_utilization gauge\nonprem_cluster_cpu_utilization {v}\n"
            return self._send(200, text, "text/plain; version=0.0.4")
        if url.path == "/_ctl":
            with LOCK:
                if raw:
                    STATE.update(json.loads(raw))
                return self._send(200, json.dumps(STATE))
        if url.path == "/api/v1/query":
            return self._query(url, raw)
        self._send(404, json.dumps({"error": f"no {url.path}"}))

    def _query(self, url, raw):
        form = urllib.parse.parse_qs(url.query)
        form.update(urllib.parse.parse_qs(raw.decode()))
        with LOCK:
            STATE["queries"] += 1
            STATE["last_query"] = (form.get("query") or [None])[0]
            STATE["last_headers"] = {k: v for k, v in self.headers.items()}
            delay, token = STATE["delay"], STATE["token"]
            status, body = STATE["status"], STATE["body"]
            location, pad = STATE["location"], STATE["pad"]
        if delay:
            time.sleep(delay)
        if token is not None and self.headers.get("Authorization") != f"Bearer {token}":
            return self._send(401, "Unauthorized\n", "text/plain")
        text = body if isinstance(body, str) else json.dumps(body)
        self._send(status, text + " " * pad, location=location)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--init", help="starting settings, as JSON")
    a = p.parse_args()
    if a.init:
        STATE.update(json.loads(a.init))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if a.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, a.port_file)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # until the test binary closes our stdin (or dies)


if __name__ == "__main__":
    main()
