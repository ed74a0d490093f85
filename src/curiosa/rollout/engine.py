"""The rollout engine: many episodes of many games played at once by one backend.

Every round, each live episode asks for its next reply and the backend answers them all in one
batch; while episodes wait for a place, a backend that offers it (``on_result``) takes each episode's
next turn, or a waiting episode, into its running passes as soon as a reply is stepped (continuous
batching). An unreadable reply is resampled (the episode asks again with the same prompt, which a
token-level backend serves from its cache) up to ``max_resamples`` times per turn; then the episode
ends with stop reason ``format_failure`` (or, for environments that judge unreadable replies
themselves, such as the two-attempt tasks, the reply is stepped and play goes on). Finished episodes make room for waiting ones at once.
"""

from __future__ import annotations

import inspect
import zlib
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from curiosa import envs
from curiosa.envs.base import FormatError, TextGameEnv
from curiosa.envs.task import Task
from curiosa.models.chat import ChatTokenizer
from curiosa.rollout.trajectory import Trajectory, score_of
from curiosa.rollout.types import Backend, SamplingConfig, TurnRequest


@dataclass
class EngineConfig:
    """How the engine schedules episodes."""

    max_concurrent: int = 64
    """Episodes played at once (the generation batch)."""
    max_resamples: int = 3
    """Resamples of an unreadable reply before the episode fails (the paper used up to 10)."""
    system_prompt: str | None = None
    """Optional system message put before every game's instruction."""
    progress: bool = True
    """Show a progress bar with the live success rate."""
    continuous: bool = False
    """Continuous batching, on backends that offer it (transformers): while episodes wait for a place, an
    episode whose reply ends is stepped at once and its next turn (or a waiting episode) joins the passes
    still running, instead of waiting for every live episode's reply; once none wait, play goes on in
    rounds. The same trajectories to rounding. Off by default: on a 2-core CPU at batch 64 it was 8.5%
    faster with 256 episodes but 18% slower with 128 (docs/rollout.md)."""


@dataclass(frozen=True)
class EpisodeJob:
    """One episode to play: a task, which of its samples this is, and the environment seed."""

    task: Task
    sample_index: int
    seed: int

    @property
    def id(self) -> str:
        return f"{self.task.id}#{self.sample_index}"


def make_jobs(tasks: Iterable[Task], samples_per_task: int, seed: int = 0) -> list[EpisodeJob]:
    """``samples_per_task`` jobs per task with environment seeds fixed by (seed, task, sample)."""
    return [
        EpisodeJob(t, i, zlib.crc32(f"{seed}:{t.id}:{i}".encode()) & 0x7FFFFFFF)
        for t in tasks for i in range(samples_per_task)
    ]


@dataclass
class _Episode:
    job: EpisodeJob
    env: TextGameEnv
    messages: list[dict[str, str]]
    ids: list[int] | None
    mask: list[int] | None
    turn_resamples: int = 0
    format_errors: int = 0
    invalid_actions: int = 0
    last_info: dict[str, Any] = field(default_factory=dict)


def takes_on_result(backend: Backend) -> bool:
    """Whether the backend's ``generate`` offers continuous batching (an ``on_result`` parameter), read
    from its signature: a wrapper that forwards other attributes but not this parameter is played in
    rounds."""
    try:
        return "on_result" in inspect.signature(backend.generate).parameters
    except (TypeError, ValueError):
        return False


class RolloutEngine:
    """Plays episodes with a backend and returns trajectories."""

    def __init__(
        self,
        backend: Backend,
        sampling: SamplingConfig | None = None,
        config: EngineConfig | None = None,
        *,
        chat: ChatTokenizer | None = None,
        env_kwargs: dict[str, Any] | None = None,
    ) -> None:
        self.backend = backend
        self.sampling = sampling or SamplingConfig()
        self.config = config or EngineConfig()
        self.env_kwargs = env_kwargs or {}
        if backend.token_level and chat is None:
            chat = getattr(backend, "chat", None)
            if chat is None:
                raise ValueError("a token-level backend needs a ChatTokenizer (chat=...)")
        if chat is not None and self.config.system_prompt and chat.system_prompt != self.config.system_prompt:
            chat = ChatTokenizer(chat.tokenizer, system_prompt=self.config.system_prompt)
        self.chat = chat if backend.token_level else None
        self.stats = {"episodes": 0, "successes": 0, "turns": 0, "resamples": 0, "prefill_tokens": 0,
                      "generated_tokens": 0}

    def policy_record(self) -> dict[str, Any]:
        s = self.sampling
        extra = {}
        if self.chat is not None:
            from curiosa.models.chat import tokenizer_fingerprint

            extra["tokenizer"] = tokenizer_fingerprint(self.chat.tokenizer)
        return {**self.backend.describe(), **extra, "temperature": s.temperature, "top_p": s.top_p, "min_p": s.min_p,
                "max_new_tokens": s.max_new_tokens, "seed": s.seed, "max_resamples": self.config.max_resamples}

    def run(
        self,
        jobs: Sequence[EpisodeJob],
        on_trajectory: Callable[[Trajectory], None] | None = None,
    ) -> list[Trajectory]:
        """Play every job; ``on_trajectory`` sees each trajectory as soon as its episode ends."""
        waiting = deque(jobs)
        live: dict[str, _Episode] = {}
        done: list[Trajectory] = []
        policy = self.policy_record()
        bar = self._progress(len(jobs))

        continuous = self.config.continuous and takes_on_result(self.backend)

        def fill() -> list[str]:
            """Start waiting episodes while there is room; their keys."""
            started = []
            while waiting and len(live) < self.config.max_concurrent:
                job = waiting.popleft()
                if job.id in live:
                    raise ValueError(f"job {job.id} is listed twice")
                live[job.id] = self._start(job)
                started.append(job.id)
            return started

        def answer(request: TurnRequest, result: Any) -> list[TurnRequest]:
            """Apply a reply. Continuous batching: the requests that follow it at once, the episode's next
            turn while episodes wait (afterwards it waits for the next round), new episodes when it is over;
            rounds: none (the next round asks every live episode)."""
            ep = live[request.key]
            self.stats["prefill_tokens"] += result.prefill_tokens
            self.stats["generated_tokens"] += len(result.token_ids)
            finished = self._advance(ep, result)
            if finished is None:
                return [self._request(ep)] if continuous and waiting else []
            del live[request.key]
            self.backend.release(request.key)
            trajectory = self._trajectory(ep, finished, policy)
            done.append(trajectory)
            self.stats["episodes"] += 1
            self.stats["successes"] += int(trajectory.success)
            self.stats["turns"] += trajectory.num_turns
            if on_trajectory is not None:
                on_trajectory(trajectory)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(success=f"{self.stats['successes'] / self.stats['episodes']:.1%}")
            started = fill()
            return [self._request(live[k]) for k in started] if continuous else []

        try:
            fill()
            requests = [self._request(live[k]) for k in live]
            while requests:
                if continuous and waiting:
                    self.backend.generate(requests, self.sampling, on_result=answer)  # type: ignore[call-arg]
                else:
                    results = self.backend.generate(requests, self.sampling)
                    for request, result in zip(requests, results):
                        answer(request, result)
                requests = [self._request(live[k]) for k in live]
        finally:
            for key in live:
                self.backend.release(key)
            if bar is not None:
                bar.close()
        return done

    @staticmethod
    def _request(ep: _Episode) -> TurnRequest:
        return TurnRequest(ep.job.id, list(ep.messages), list(ep.ids) if ep.ids is not None else None)

    # ----------------------------------------------------------------- episode steps
    def _start(self, job: EpisodeJob) -> _Episode:
        env = envs.make(job.task.group, task=job.task, **self.env_kwargs)
        observation, info = env.reset(seed=job.seed)
        messages = [{"role": "user", "content": observation}]
        if self.config.system_prompt:
            messages.insert(0, {"role": "system", "content": self.config.system_prompt})
        ids = mask = None
        if self.chat is not None:
            ids = self.chat.start(messages)
            mask = [0] * len(ids)
        return _Episode(job, env, messages, ids, mask, last_info=info)

    def _advance(self, ep: _Episode, result: Any) -> str | None:
        """Apply one reply; return the stop reason when the episode is over."""
        try:
            ep.env.parse_reply(result.text)
        except FormatError:
            ep.format_errors += 1
            if ep.turn_resamples < self.config.max_resamples:
                ep.turn_resamples += 1
                self.stats["resamples"] += 1
                return None
            if ep.env.unreadable_ends_episode:
                self._append_reply(ep, result)
                return "format_failure"
            # otherwise the environment judges the unreadable reply itself and play goes on
        ep.turn_resamples = 0
        observation, _, terminated, truncated, info = ep.env.step(result.text)
        ep.last_info = info
        ep.invalid_actions += int(info["invalid_action"])
        self._append_reply(ep, result)
        ep.messages.append({"role": "user", "content": observation})
        if ep.ids is not None and ep.mask is not None:
            more = self.chat.continue_after_reply(  # type: ignore[union-attr]
                observation, reply_ended=result.ended, generation_prompt=not (terminated or truncated))
            ep.ids += more
            ep.mask += [0] * len(more)
        if terminated:
            return "success" if info["success"] else "failure"
        if truncated:
            return "turn_limit"
        return None

    def _append_reply(self, ep: _Episode, result: Any) -> None:
        ep.messages.append({"role": "assistant", "content": result.text})
        if ep.ids is not None and ep.mask is not None:
            ep.ids += result.token_ids
            ep.mask += [1] * len(result.token_ids)

    def _trajectory(self, ep: _Episode, stop_reason: str, policy: dict[str, Any]) -> Trajectory:
        info = ep.last_info
        success = stop_reason == "success"
        turns = int(info.get("turn", 0))
        feedback = info.get("feedback") or {}
        total_reward = feedback.get("total_reward") if isinstance(feedback, dict) else None
        task = ep.job.task
        return Trajectory(
            id=ep.job.id, task_id=task.id, group=task.group, split=task.split, sample_index=ep.job.sample_index,
            messages=ep.messages, success=success, num_turns=turns,
            score=score_of(task.group, success, turns, ep.env.max_turns, total_reward),
            invalid_actions=ep.invalid_actions, stop_reason=stop_reason, policy=policy, seed=ep.job.seed,
            input_ids=ep.ids, agent_mask=ep.mask, format_errors=ep.format_errors,
            info={"final_feedback": feedback, "max_turns": ep.env.max_turns},
        )

    def _progress(self, total: int) -> Any:
        if not self.config.progress:
            return None
        from tqdm.auto import tqdm

        return tqdm(total=total, desc="episodes", unit="ep", dynamic_ncols=True)
