"""Generation with vLLM on GPUs: every live episode of a turn in one batched call, on exact token ids.

Token-level: prompts go in as the engine's exact token ids (never re-tokenized text) and replies come
back as the ids the model sampled, so trajectories can be trained on as generated. Episodes are not
kept alive between turns; instead vLLM's automatic prefix caching recognises the conversation
prefix that each episode re-sends and skips its prefill, which is what makes multi-turn rollouts
cheap on vLLM.

vLLM is optional: this module imports without it, and constructing the backend without it raises
an ImportError that says how to install it.
"""

from __future__ import annotations

from typing import Any, Sequence

from curiosa.models.chat import ChatTokenizer
from curiosa.rollout.backends.seeding import SeedTracker
from curiosa.rollout.types import SamplingConfig, TurnRequest, TurnResult

INSTALL_HINT = (
    "the vLLM backend needs the 'vllm' package and a CUDA GPU: pip install vllm "
    "(on a machine without a GPU use the transformers backend instead)"
)


class VLLMBackend:
    """A ``vllm.LLM`` engine behind the :class:`curiosa.rollout.types.Backend` protocol."""

    token_level = True

    def __init__(
        self,
        model: str,
        tokenizer: Any = None,
        *,
        enable_prefix_caching: bool = True,
        gpu_memory_utilization: float = 0.85,
        tensor_parallel_size: int = 1,
        dtype: str = "auto",
        seed: int = 0,
        **llm_kwargs: Any,
    ) -> None:
        """``model``: a Hugging Face model path or name, loaded by vLLM. ``tokenizer``: the training
        tokenizer (loaded from ``model`` when omitted); it defines the end-of-turn token that stops
        each reply. ``llm_kwargs`` go to ``vllm.LLM`` unchanged (e.g. ``max_model_len``)."""
        try:
            import vllm
        except ImportError as err:
            raise ImportError(INSTALL_HINT) from err
        self._vllm = vllm
        self.model = str(model)
        if tokenizer is None:
            from transformers import AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained(self.model)
        self.chat = ChatTokenizer(tokenizer)
        self.tokenizer = self.chat.tokenizer
        self.stop_token_id = self.chat.stop_token_id
        self._stop_text = self.tokenizer.decode([self.stop_token_id])
        # Tokens that may close a reply besides the template's end-of-turn token (vLLM also stops at
        # the model's EOS). Such an ending is replaced by the end-of-turn token, which is what the
        # chat template puts after a reply and so what training must see.
        self._end_ids = {self.stop_token_id}
        if getattr(self.tokenizer, "eos_token_id", None) is not None:
            self._end_ids.add(int(self.tokenizer.eos_token_id))
        self.llm = vllm.LLM(
            model=self.model,
            enable_prefix_caching=enable_prefix_caching,
            gpu_memory_utilization=gpu_memory_utilization,
            tensor_parallel_size=tensor_parallel_size,
            dtype=dtype,
            seed=seed,
            **llm_kwargs,
        )
        self._seeds = SeedTracker()

    def generate(self, requests: Sequence[TurnRequest], sampling: SamplingConfig) -> list[TurnResult]:
        """All requests in one ``LLM.generate`` call (vLLM schedules and batches them itself)."""
        if not requests:
            return []
        prompts: list[dict[str, list[int]]] = []
        params = []
        for r in requests:
            if not r.prompt_ids:
                raise ValueError(f"episode {r.key!r}: the vLLM backend is token-level and needs prompt_ids")
            ids = list(r.prompt_ids)
            prompts.append({"prompt_token_ids": ids})
            params.append(self._vllm.SamplingParams(
                n=1,
                temperature=sampling.temperature,
                top_p=sampling.top_p,
                min_p=sampling.min_p,
                max_tokens=sampling.max_new_tokens,
                stop_token_ids=[self.stop_token_id],
                seed=self._seeds.seed(sampling.seed, r.key, ids),
                skip_special_tokens=True,
                include_stop_str_in_output=False,
            ))
        outputs = self.llm.generate(prompts, sampling_params=params, use_tqdm=False)
        if len(outputs) != len(requests):
            raise RuntimeError(f"vLLM returned {len(outputs)} outputs for {len(requests)} prompts")
        return [self._result(r, out) for r, out in zip(requests, outputs)]

    def _result(self, request: TurnRequest, output: Any) -> TurnResult:
        completion = output.outputs[0]
        reason = completion.finish_reason
        if reason not in ("stop", "length"):
            raise RuntimeError(f"episode {request.key!r}: vLLM ended the reply with finish_reason {reason!r}")
        ids = [int(t) for t in completion.token_ids]
        text = completion.text or ""
        ended = reason == "stop"
        if ended:
            if ids and ids[-1] in self._end_ids:
                ids.pop()
            ids.append(self.stop_token_id)
            if self._stop_text and text.endswith(self._stop_text):  # in case a vLLM version keeps it
                text = text[: -len(self._stop_text)]
        prompt_len = len(request.prompt_ids or [])
        cached = getattr(output, "num_cached_tokens", None)
        prefill = prompt_len - int(cached) if cached is not None else prompt_len
        return TurnResult(text=text, token_ids=ids, ended=ended, prefill_tokens=max(0, prefill))

    def release(self, key: str) -> None:
        """vLLM's prefix cache evicts old blocks by itself; only the local resample count is dropped."""
        self._seeds.forget(key)

    def describe(self) -> dict[str, object]:
        return {"backend": "vllm", "model": self.model}
