"""An HTTP proxy between a ``regiokg`` process and a SPARQL engine that ``kill -9``s the
process at an exact point of its write: when its k-th update request arrives.

The engine and the process are the real ones; the proxy only passes requests on (headers,
body and Digest authentication untouched) and counts the update requests that carry
credentials (an update without them is the first half of the Digest handshake and is
answered 401 by the engine without being run). With ``kill_at=k``:

* ``k == 0``: no update reaches the engine: the process is killed when its first arrives;
* ``k >= 1``: the k-th update is passed on and the process is killed at once, while the
  engine runs it; the engine finishes it (it does not notice that its client died) and
  :meth:`KillProxy.wait_engine` returns when it has. Its answer is never delivered.

``kill_at=None`` passes everything and only counts (``updates``).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host",
              "proxy-connection", "te", "trailer", "upgrade", "accept-encoding"}


class KillProxy:
    def __init__(self, engine_base: str, kill_at: int | None = None):
        parts = urlsplit(engine_base)
        self.engine = f"{parts.scheme}://{parts.netloc}"
        self.kill_at = kill_at
        self.updates = 0  # update requests with credentials seen so far
        self.log: list[tuple[float, str]] = []  # (time.monotonic(), the start of the body) per update
        self.victim: int | None = None  # the pid to kill
        self.killed = threading.Event()
        self.engine_done = threading.Event()
        self._lock = threading.Lock()
        self._http = httpx.Client(timeout=120)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                proxy._handle(self, b"")

            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                proxy._handle(self, self.rfile.read(length) if length else b"")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, engine_url: str) -> str:
        """``engine_url`` (the engine's query or update URL) as reached through the proxy."""
        parts = urlsplit(engine_url)
        return self.base + parts.path + (f"?{parts.query}" if parts.query else "")

    def _kill(self) -> None:
        if self.victim is not None and not self.killed.is_set():
            os.kill(self.victim, signal.SIGKILL)
            self.killed.set()

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        if self.killed.is_set():
            handler.close_connection = True
            return
        is_update = "update" in parse_qs(body.decode("utf-8", "replace")) or "update" in handler.path
        n = 0  # the number of this update, 0 when it is none (or not one the engine runs)
        if is_update and handler.headers.get("authorization"):
            with self._lock:
                self.updates += 1
                n = self.updates
                self.log.append((time.monotonic(), body[:120].decode("utf-8", "replace")))
            if self.kill_at == 0 and n == 1:
                self._kill()
                self.engine_done.set()
                handler.close_connection = True
                return
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP_BY_HOP}
        request = self._http.build_request(handler.command, self.engine + handler.path, headers=headers,
                                           content=body)
        kill_now = n >= 1 and n == self.kill_at
        if kill_now:
            # the engine runs the update while its client is dead; the answer goes nowhere
            def run() -> None:
                try:
                    self._http.send(request)
                finally:
                    self.engine_done.set()

            threading.Thread(target=run, daemon=True).start()
            self._kill()
            handler.close_connection = True
            return
        response = self._http.send(request)
        content = response.content
        handler.send_response_only(response.status_code)  # the engine's own Server header, not the proxy's
        for k, v in response.headers.multi_items():
            if k.lower() not in HOP_BY_HOP:
                handler.send_header(k, v)
        handler.send_header("Content-Length", str(len(content)))
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(content)
        handler.close_connection = True

    def wait_engine(self, timeout: float = 120) -> bool:
        """Until the engine has finished the update the process was killed at."""
        return self.engine_done.wait(timeout)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._http.close()
