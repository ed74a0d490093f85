"""Generation backends behind one protocol (:class:`curiosa.rollout.types.Backend`).

Backends are imported only when made, so that choosing one never requires the others' heavy or
optional dependencies (vLLM needs a GPU; the OpenAI backend needs a server).
"""

from __future__ import annotations

import importlib
from typing import Any

from curiosa.rollout.types import Backend

BACKENDS: dict[str, str] = {
    "openai": "curiosa.rollout.backends.openai_backend:OpenAIBackend",
    "vllm": "curiosa.rollout.backends.vllm_backend:VLLMBackend",
    "transformers": "curiosa.rollout.backends.transformers_backend:TransformersBackend",
    "scripted": "curiosa.rollout.backends.scripted:ScriptedBackend",
}
"""Backend kind -> "module:class"; a new backend is one entry here."""


def make_backend(kind: str, **kwargs: Any) -> Backend:
    """Construct the backend called ``kind`` with ``kwargs`` (its constructor's arguments)."""
    try:
        target = BACKENDS[kind]
    except KeyError:
        raise ValueError(f"unknown backend {kind!r}; choose one of: {', '.join(sorted(BACKENDS))}") from None
    module_name, _, class_name = target.partition(":")
    backend_class = getattr(importlib.import_module(module_name), class_name)
    return backend_class(**kwargs)


__all__ = ["BACKENDS", "make_backend"]
