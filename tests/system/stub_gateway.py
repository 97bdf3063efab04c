#!/usr/bin/env python3
"""A stand-in for the OpenClaw agent gateway, for the system test (python3 standard library only).

Answers like the hooks endpoint described in docs/DESIGN.md:
  POST /hooks/agent  -> 200 {"ok": true, "runId": "..."}; with "waitForCompletion": true also
                        "completion": {"status": <STUB_COMPLETION_STATUS, default ok>}
  GET  /readyz       -> 200 {"ok": true}
  anything else      -> 404 / 405 (plain text, like an early gateway error)
A bearer token is checked when STUB_TOKEN is set (401 "Unauthorized" otherwise). The same
idempotency key (header Idempotency-Key, else body idempotencyKey) returns the same runId.

Every request is appended as one JSON line to STUB_LOG (default ./stub_gateway.jsonl):
  {"time": ..., "method": ..., "path": ..., "headers": {...}, "body": ..., "status": ...}
with the Authorization header redacted.

Environment:
  STUB_HOST / STUB_PORT     where to listen (127.0.0.1:18789)
  STUB_LOG                  request log file (JSON lines)
  STUB_DELAY                seconds to wait before answering a POST (float, default 0)
  STUB_TOKEN                expected bearer token (unset: any or none accepted)
  STUB_COMPLETION_STATUS    completion status when waitForCompletion (ok|error|skipped)
  STUB_FAIL_STATUS          if set (e.g. 503), answer every POST with this status instead
Usage: python3 stub_gateway.py   (stops on SIGTERM or Ctrl-C)
"""

import json
import os
import signal
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = os.environ.get("STUB_HOST", "127.0.0.1")
PORT = int(os.environ.get("STUB_PORT", "18789"))
LOG = os.environ.get("STUB_LOG", "stub_gateway.jsonl")
DELAY = float(os.environ.get("STUB_DELAY", "0"))
TOKEN = os.environ.get("STUB_TOKEN")
COMPLETION_STATUS = os.environ.get("STUB_COMPLETION_STATUS", "ok")
FAIL_STATUS = int(os.environ["STUB_FAIL_STATUS"]) if os.environ.get("STUB_FAIL_STATUS") else None
MAX_BODY = 256 * 1024

_lock = threading.Lock()
_runs = {}  # idempotency key -> runId


def _record(entry):
    with _lock, open(LOG, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, sort_keys=True) + "\n")


class Handler(BaseHTTPRequestHandler):
    server_version = "stub-gateway/1"

    def log_message(self, fmt, *args):  # one short line per request on stderr
        print("stub_gateway: " + (fmt % args), flush=True)

    def _send(self, status, payload, content_type="application/json"):
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _entry(self, body, status):
        headers = {k: ("<redacted>" if k.lower() in ("authorization", "x-openclaw-token") else v)
                   for k, v in self.headers.items()}
        return {"time": time.time(), "method": self.command, "path": self.path,
                "headers": headers, "body": body, "status": status}

    def do_GET(self):
        if self.path == "/readyz":
            self._send(200, {"ok": True})
        elif self.path == "/hooks/agent":
            self._send(405, b"Method Not Allowed", "text/plain")
        else:
            self._send(404, b"Not Found", "text/plain")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, b"Payload Too Large", "text/plain")
            return
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"null")
        except ValueError:
            body = None
        if self.path != "/hooks/agent":
            _record(self._entry(body, 404))
            self._send(404, b"Not Found", "text/plain")
            return
        if TOKEN is not None:
            auth = self.headers.get("Authorization", "")
            if auth != "Bearer " + TOKEN and self.headers.get("x-openclaw-token") != TOKEN:
                _record(self._entry(body, 401))
                self._send(401, b"Unauthorized", "text/plain")
                return
        if not isinstance(body, dict) or not isinstance(body.get("message"), str):
            _record(self._entry(body, 400))
            self._send(400, {"ok": False, "error": "message is required"})
            return
        if DELAY > 0:
            time.sleep(DELAY)
        if FAIL_STATUS is not None:
            _record(self._entry(body, FAIL_STATUS))
            self._send(FAIL_STATUS, {"ok": False, "error": "stub failure"})
            return
        key = self.headers.get("Idempotency-Key") or body.get("idempotencyKey")
        with _lock:
            run_id = _runs.get(key) if key else None
            if run_id is None:
                run_id = "run-" + uuid.uuid4().hex[:12]
                if key:
                    _runs[key] = run_id
        answer = {"ok": True, "runId": run_id}
        if body.get("waitForCompletion"):
            answer["completion"] = {"status": COMPLETION_STATUS}
        _record(self._entry(body, 200))
        self._send(200, answer)


def main():
    server = ThreadingHTTPServer((HOST, PORT), Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"stub_gateway: listening on http://{HOST}:{PORT}, log {LOG}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
