"""A local OpenAI-compatible chat server for tests: no network, scripted answers and failures."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Union

# A responder gets the request body and returns the reply text, or a dict with "content" and
# optionally "finish_reason" and "usage", or (HTTP status, error message), or ("sleep", seconds) to
# stall the request (for timeout tests).
Response = Union[str, dict[str, Any], tuple[int, str], tuple[str, float]]
Responder = Callable[[dict[str, Any]], Response]


class FakeOpenAIServer:
    """``with FakeOpenAIServer(responder) as server: Endpoint(base_url=server.base_url, model="fake")``."""

    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                outer.requests.append(body)
                if not self.path.endswith("/chat/completions"):
                    return self._send(404, {"error": {"message": f"no route {self.path}"}})
                answer = outer.responder(body)
                if isinstance(answer, tuple) and answer[0] == "sleep":
                    time.sleep(float(answer[1]))
                    answer = "late"
                if isinstance(answer, tuple):
                    return self._send(int(answer[0]), {"error": {"message": answer[1]}})
                extra = answer if isinstance(answer, dict) else {"content": answer}
                self._send(200, {
                    "id": f"chatcmpl-{len(outer.requests)}", "object": "chat.completion", "created": 0,
                    "model": body.get("model", "fake"),
                    "choices": [{"index": 0, "finish_reason": extra.get("finish_reason", "stop"),
                                 "message": {"role": "assistant", "content": extra["content"]}}],
                    "usage": extra.get("usage", {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}),
                })

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self._write(status, data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to report

            def _write(self, status: int, data: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> "FakeOpenAIServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
