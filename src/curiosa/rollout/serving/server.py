"""One model behind an OpenAI-compatible HTTP API, on the standard library's threading HTTP server.

Routes: ``POST /v1/chat/completions``, ``GET /v1/models``, ``GET /v1/models/NAME`` and ``GET /health``.
Each handler thread renders its request with the model's chat template and hands the token ids to a
:class:`~curiosa.rollout.serving.batcher.Batcher`, whose single worker runs the backend; the handler
waits for its reply. Every request is logged as one line. A ``stop`` string cuts the reply after
generation (the backend itself stops at the end-of-turn token or ``max_tokens``).
"""

from __future__ import annotations

import json
import secrets
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

from curiosa.rollout.serving.batcher import Batcher
from curiosa.rollout.serving.protocol import (
    ChatRequest,
    RequestError,
    completion_body,
    cut_at_stop,
    model_body,
    models_body,
    parse_chat_request,
)
from curiosa.rollout.types import SamplingConfig

DEFAULT_MAX_TOKENS = 512
"""Longest reply when a request does not say (and the context leaves room)."""


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class ChatServer:
    """``with ChatServer(backend, "name", port=0) as server:`` answers at ``server.base_url`` until closed.

    ``backend`` is a token-level backend with ``tokenizer`` and ``model`` attributes (the transformers
    backend); ``name`` is the model name clients must send. ``port=0`` takes a free port.
    """

    def __init__(self, backend: Any, name: str, *, host: str = "127.0.0.1", port: int = 8000, batch: int = 8,
                 max_tokens: int = DEFAULT_MAX_TOKENS, log: Callable[[str], None] | None = _stderr) -> None:
        if batch < 1:
            raise ValueError(f"batch must be at least 1, got {batch}")
        self.backend = backend
        self.name = name
        self.tokenizer = backend.tokenizer
        config = backend.model.config.get_text_config()
        self.context: int | None = getattr(config, "max_position_embeddings", None)
        self.max_tokens = max_tokens
        self.log = log or (lambda line: None)
        self.created = int(time.time())
        self._tokenizer_lock = threading.Lock()  # fast tokenizers are not safe to call from several threads
        try:
            self._httpd = ThreadingHTTPServer((host, port), _handler(self))
        except OSError as err:
            raise RuntimeError(f"cannot listen on {host}:{port}: {err}") from err
        self._httpd.daemon_threads = True
        self.batcher = Batcher(backend, batch=batch)
        self._thread: threading.Thread | None = None
        self._serving = False

    @classmethod
    def load(cls, model: str, **kwargs: Any) -> "ChatServer":
        """Serve ``model`` (a catalogue name, a model directory or a .gguf file) under that name."""
        from curiosa.models.loading import load_model, load_tokenizer
        from curiosa.rollout.backends.transformers_backend import TransformersBackend

        try:
            tokenizer = load_tokenizer(model)
            network = load_model(model, tokenizer=tokenizer)
        except FileNotFoundError:
            raise
        except OSError as err:  # transformers' answer to a name that is neither here nor reachable
            raise FileNotFoundError(f"cannot load model {model!r}: it is not a model directory, a .gguf file nor "
                                    f"a catalogue name (see `curiosa models list`) ({err})") from err
        return cls(TransformersBackend(network, tokenizer, name=model), model, **kwargs)

    # ----------------------------------------------------------------- lifecycle
    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> "ChatServer":
        """Serve from a background thread."""
        self._serving = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="curiosa-serve", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve from this thread until interrupted (Ctrl-C or SIGTERM), then close."""
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _interrupt)
        self._serving = True
        try:
            self._httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self._serving = False
            self.close()

    def close(self) -> None:
        if self._serving:
            self._httpd.shutdown()
            self._serving = False
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._httpd.server_close()
        self.batcher.close()

    def __enter__(self) -> "ChatServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ----------------------------------------------------------------- chat
    def prompt_ids(self, messages: list[dict[str, str]]) -> list[int]:
        """The conversation rendered by the model's chat template, up to the generation prompt."""
        try:
            text = self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        except Exception as err:  # the template's own check, e.g. roles that do not alternate
            raise RequestError(400, f"the model's chat template refused the messages: {err}",
                               param="messages") from None
        with self._tokenizer_lock:
            return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def complete(self, request: ChatRequest) -> tuple[dict[str, Any], str]:
        """The completion body for ``request`` and a short note for the log."""
        ids = self.prompt_ids(request.messages)
        room = None if self.context is None else self.context - len(ids)
        if room is not None and room < 1:
            raise RequestError(400, f"the prompt has {len(ids)} tokens; the model's context is {self.context}",
                               param="messages", code="context_length_exceeded")
        max_tokens = request.max_tokens
        if max_tokens is None:
            max_tokens = self.max_tokens if room is None else min(self.max_tokens, room)
        elif room is not None and max_tokens > room:
            raise RequestError(400, f"the prompt ({len(ids)} tokens) and max_tokens ({max_tokens}) exceed the "
                                    f"model's context of {self.context} tokens",
                               param="max_tokens", code="context_length_exceeded")
        sampling = SamplingConfig(temperature=request.temperature, top_p=request.top_p, min_p=request.min_p,
                                  max_new_tokens=max_tokens)
        seed = request.seed if request.seed is not None else (0 if request.temperature == 0 else secrets.randbits(31))
        result = self.batcher.submit(ids, sampling, seed).result()
        text, stopped = cut_at_stop(result.text, request.stop)
        finish = "stop" if result.ended or stopped else "length"
        body = completion_body(self.name, text, finish, len(ids), len(result.token_ids))
        return body, f"prompt={len(ids)} completion={len(result.token_ids)} finish={finish}"

    def route(self, method: str, path: str, raw: bytes) -> tuple[int, dict[str, Any], str]:
        """(status, JSON body, log note) for one request."""
        path = path.split("?", 1)[0].rstrip("/")
        if method == "POST" and path == "/v1/chat/completions":
            body, note = self.complete(parse_chat_request(raw, self.name))
            return 200, body, note
        if method == "GET" and path == "/v1/models":
            return 200, models_body(self.name, self.created), ""
        if method == "GET" and path.startswith("/v1/models/"):
            wanted = path[len("/v1/models/"):]
            if wanted != self.name:
                raise RequestError(404, f"the model {wanted!r} does not exist here; this server serves {self.name!r}",
                                   code="model_not_found")
            return 200, model_body(self.name, self.created), ""
        if method == "GET" and path == "/health":
            return 200, {"status": "ok", "model": self.name}, ""
        raise RequestError(404, f"no route {method} {path or '/'}", kind="not_found_error")


def _interrupt(*args: Any) -> None:
    raise KeyboardInterrupt


def _handler(app: ChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the openai client expects

        def log_message(self, *args: Any) -> None:
            pass  # one line of our own per request instead

        def do_GET(self) -> None:  # noqa: N802
            self._answer("GET", b"")

        def do_POST(self) -> None:  # noqa: N802
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = 0  # read as an empty body: a 400
            self._answer("POST", self.rfile.read(length) if length > 0 else b"")

        def _answer(self, method: str, raw: bytes) -> None:
            start = time.perf_counter()
            try:
                status, body, note = app.route(method, self.path, raw)
            except RequestError as err:
                status, body, note = err.status, err.body(), f"error: {err.message}"
            except Exception as err:  # a failed generation: the client gets a 500 with the reason
                status, note = 500, f"error: {type(err).__name__}: {err}"
                body = {"error": {"message": f"generation failed: {type(err).__name__}: {err}",
                                  "type": "server_error", "param": None, "code": None}}
            data = json.dumps(body).encode("utf-8")
            elapsed = (time.perf_counter() - start) * 1000
            # logged before the answer goes out: a client that stops the server once answered loses no line
            app.log(f"{time.strftime('%H:%M:%S')} {self.client_address[0]} {method} {self.path} {status} "
                    f"{elapsed:.0f}ms {note}".rstrip())
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                app.log(f"{time.strftime('%H:%M:%S')} {self.client_address[0]} {method} {self.path}: "
                        "the client left before the answer")

    return Handler


def serve(model: str, *, host: str = "127.0.0.1", port: int = 8000, batch: int = 8) -> None:
    """``curiosa serve``: load ``model``, answer until Ctrl-C or SIGTERM."""
    if batch < 1:
        raise ValueError(f"--batch must be at least 1, got {batch}")
    server = ChatServer.load(model, host=host, port=port, batch=batch)
    _stderr(f"curiosa serve: {model} at {server.base_url} (batch {batch}); Ctrl-C stops")
    server.serve_forever()
