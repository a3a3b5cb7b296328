"""A real webhook receiver on 127.0.0.1, as an integrator writes one: it verifies each request
with the `standardwebhooks` package, deduplicates on webhook-id, and can be told to answer with
other statuses, or be stopped and started again on the same port."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests.support.servers import free_port


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    path: str
    at: float
    verified: bool
    payload: Any = None

    @property
    def msg_id(self) -> str:
        return self.headers.get("webhook-id", "")


@dataclass
class Receiver:
    """Records every request; `processed` holds the payloads handled once per webhook-id."""

    secrets: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    requests: list[Received] = field(default_factory=list)
    processed: dict[str, Any] = field(default_factory=dict)
    # Decides the answer to each verified request: (status, headers, body). Default 204.
    respond: Callable[[Received], tuple[int, dict[str, str], bytes]] | None = None
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/nablagrade"

    def verify(self, body: bytes, headers: dict[str, str]) -> Any:
        """The payload if some secret verifies it (WebhookVerificationError otherwise)."""
        last: Exception = WebhookVerificationError("no secret to verify with")
        for secret in self.secrets:
            try:
                return Webhook(secret).verify(body, headers)
            except WebhookVerificationError as exc:
                last = exc
        raise last

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    payload, verified = receiver.verify(body, headers), True
                except WebhookVerificationError:
                    payload, verified = None, False
                got = Received(headers, body, self.path, time.time(), verified, payload)
                status, extra, answer = (400, {}, b"bad signature") if not verified else (
                    receiver.respond(got) if receiver.respond else (204, {}, b""))
                with receiver._lock:
                    receiver.requests.append(got)
                    if verified and 200 <= status < 300:
                        receiver.processed.setdefault(got.msg_id, payload)  # dedup by webhook-id
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="receiver", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def of_type(self, event_type: str) -> list[Received]:
        with self._lock:
            return [r for r in self.requests if r.verified and json.loads(r.body)["type"] == event_type]

    def processed_of_type(self, event_type: str) -> list[Any]:
        with self._lock:
            return [p for p in self.processed.values() if p["type"] == event_type]
