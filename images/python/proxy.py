"""Sluice's Python 3 action proxy: the OpenWhisk action-proxy protocol on 127.0.0.1:$PORT.

POST /init {"value": {"code": "...", "main": "main"}}  once: compiles the code, finds the function
POST /run  {"value": <input>}                           per call: main(input) -> output JSON
Answers are JSON: /init {"ok": true}; /run the output; an error {"error": "..."} with status 502
(the function raised or returned something that is not JSON) or 403 (a second /init) or 500 (not
initialised). Standard library only. Every connection has its own thread (the runtime keeps
connections alive and sends at most its `concurrency` setting of calls at a time).
"""

import http.server
import json
import os
import sys
import threading
import traceback

_main = None
_init_lock = threading.Lock()


def _init(value):
    global _main
    with _init_lock:
        if _main is not None:
            return 403, {"error": "cannot initialize the action more than once"}
        code = value.get("code")
        name = value.get("main") or "main"
        if not code:
            return 500, {"error": "no code to initialize (a prebuilt image needs its own proxy)"}
        for k, v in (value.get("env") or {}).items():
            os.environ[str(k)] = str(v)
        scope = {"__name__": "__sluice_action__"}
        try:
            exec(compile(code, value.get("file") or "<action>", "exec"), scope)
        except BaseException:  # a syntax error or a failing import is the function's error
            return 502, {"error": "the code failed to load: " + traceback.format_exc(limit=3)}
        fn = scope.get(name)
        if not callable(fn):
            return 502, {"error": "the code defines no function named %r" % name}
        _main = fn
        return 200, {"ok": True}


def _run(value):
    if _main is None:
        return 500, {"error": "the action was not initialized (POST /init first)"}
    try:
        out = _main(value)
    except BaseException as e:  # reported to the runtime, which fails the call with it
        return 502, {"error": "%s: %s" % (type(e).__name__, e), "trace": traceback.format_exc(limit=5)}
    try:
        body = json.dumps(out)
    except (TypeError, ValueError) as e:
        return 502, {"error": "the function returned something that is not JSON: %s" % e}
    return 200, body


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, the body waits for the client's
    # delayed ACK (~40 ms per warm call, measured with `bin/sluice bench runtime`).
    disable_nagle_algorithm = True

    def log_message(self, *args):  # quiet: the container log keeps only what the function prints
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            msg = json.loads(raw) if raw else {}
            value = msg.get("value") if isinstance(msg, dict) else None
        except ValueError:
            self._send(400, {"error": "the request is not JSON"})
            return
        if self.path == "/init":
            status, body = _init(value or {})
        elif self.path == "/run":
            status, body = _run(value)
        else:
            status, body = 404, {"error": "no route " + self.path}
        self._send(status, body)

    def _send(self, status, body):
        data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        sys.stdout.flush()
        sys.stderr.flush()


def main():
    port = int(os.environ.get("PORT", "8080"))
    host = os.environ.get("SLUICE_BIND", "127.0.0.1")
    server = http.server.ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    print("sluice python proxy listening on %s:%d" % (host, port), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
