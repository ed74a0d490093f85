"""Generation backends behind one protocol (:class:`curiosa.rollout.types.Backend`).

Backends are imported only when made, so that choosing one never requires the others' heavy or
optional dependencies (vLLM needs a GPU; the OpenAI backend needs a server).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from curiosa.rollout.types import Backend

DRAFT_TOKENS = 4
"""The transformers backend's default draft per row and pass (docs/rollout.md, Drafting: the best of seven
settings measured on the ten games, drafts of 2, 4 and 8 tokens under budgets of 48 to 1,024)."""
DRAFT_BUDGET = 256
"""The transformers backend's default most tokens a checking pass feeds in all."""

DEFAULT_MODEL = "default"
"""The name of the embedded default model in a ModelConfig (a pipeline resolves it to a directory)."""

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


@dataclass
class ModelConfig:
    """Which model plays, and through which backend."""

    path: str = DEFAULT_MODEL
    """A Hugging Face model directory, a catalogue name (`curiosa models list`), a .gguf file, or a hub name where a hub is reachable; 'default' is the embedded default model (warm-started first if absent).
    With backend 'openai', the model name at the endpoint."""
    backend: str = "transformers"
    """transformers (CPU or GPU), vllm (GPU), or openai (any OpenAI-compatible endpoint)."""
    base_url: str | None = None
    """Backend 'openai': the endpoint's base URL, e.g. http://127.0.0.1:8000/v1."""
    api_key_env: str = "OPENAI_API_KEY"
    """Backend 'openai': environment variable holding the API key."""
    dtype: str = "auto"
    """Weights' dtype: auto (bf16 on GPUs and on CPUs that compute it natively, else float32; the choice is recorded in the run's environment.json), float32, bfloat16, float16."""
    threads: int | None = None
    """CPU threads for torch (default: torch's choice)."""
    draft_tokens: int = DRAFT_TOKENS
    """Backend 'transformers': decode up to this many more tokens per row and pass by checking a prompt-lookup draft (0: off); the same replies, to rounding (docs/rollout.md, Drafting)."""
    draft_budget: int = DRAFT_BUDGET
    """Backend 'transformers': the most tokens a checking pass feeds in all, so drafts go to passes with few rows."""


def build_backend(model: ModelConfig) -> Backend:
    """The backend named by ``model.backend`` with its model loaded."""
    if (model.draft_tokens, model.draft_budget) != (DRAFT_TOKENS, DRAFT_BUDGET) and model.backend != "transformers":
        raise ValueError(f"model.draft_tokens and draft_budget are settings of the transformers backend, not of "
                         f"{model.backend!r}")
    if model.backend == "openai":
        if not model.base_url:
            raise ValueError("backend 'openai' needs model.base_url")
        return make_backend("openai", endpoint={"base_url": model.base_url, "model": model.path,
                                                 "api_key_env": model.api_key_env})
    path = model.path
    if path == DEFAULT_MODEL:
        raise ValueError("model.path 'default' names the embedded default model, which a pipeline prepares: "
                         "resolve it first (curiosa.pipelines.warm_start.resolve_model_path), or pass a directory")
    if model.backend == "vllm":
        return make_backend("vllm", model=path, dtype=model.dtype)
    if model.backend != "transformers":
        raise ValueError(f"unknown backend {model.backend!r}: expected transformers, vllm or openai")
    import torch

    from curiosa.models.loading import load_model, load_tokenizer

    if model.threads:
        torch.set_num_threads(model.threads)
    tokenizer = load_tokenizer(path)
    return make_backend("transformers", model=load_model(path, dtype=model.dtype, tokenizer=tokenizer),
                        tokenizer=tokenizer, name=path, draft_tokens=model.draft_tokens, draft_budget=model.draft_budget)


__all__ = ["BACKENDS", "DEFAULT_MODEL", "DRAFT_BUDGET", "DRAFT_TOKENS", "ModelConfig", "build_backend", "make_backend"]
