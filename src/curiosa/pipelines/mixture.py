"""The imitation data of the warm start: conversations from several sources, balanced.

A *source* is a callable ``fn(seed, n)`` yielding ``n`` conversations, the same ones for the same seed.
The built-in sources are the games with scripted policies, each episode played on the game's train
split by a policy of a kind drawn from a mix of qualities (expert, noisy, heuristic, random), and the
named extra sources of ``EXTRA_SOURCES``; a caller passes any other source explicitly
(``generate_conversations(config, sources={"name": fn})``). Sources are balanced so that each gets the
same share of text (short games get more episodes, long ones fewer), or the same number of episodes.
Episodes are generated in chunks, in worker processes when the sources can be pickled; the result
does not depend on the number of workers.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Literal, Mapping

import numpy as np

from curiosa.data.conversations import Conversation, check_conversation
from curiosa.policies.math_synthetic import self_correction_math

DataSource = Callable[[int, int], Iterable[Conversation]]
"""``fn(seed, n)`` yields ``n`` conversations, the same ones for the same seed."""

EXTRA_SOURCES: dict[str, DataSource] = {"self_correction_math": self_correction_math}
"""Named sources beyond the games, usable from a config (``extra_sources``)."""


@dataclass
class MixtureConfig:
    """Which conversations the warm start imitates, and how much of each."""

    games: list[str] = field(default_factory=list)
    """Games imitated (empty: every game that has scripted policies)."""
    extra_sources: dict[str, float] = field(default_factory=dict)
    """Other sources and their weights: names of EXTRA_SOURCES (e.g. {'self_correction_math': 1.0}) or of
    sources passed in by the caller."""
    source_weights: dict[str, float] = field(default_factory=dict)
    """Weight of a game in the mixture (default 1.0 each): its share of text, or of episodes with balance 'episodes'."""
    episodes_per_game: int = 1000
    """Episodes of an average game; with balance 'tokens' the total (games x this) is shared so that every
    source gets the same amount of text, so short games get more episodes and long ones fewer."""
    min_episodes: int = 40
    """No source gets fewer episodes than this (keeps long games represented)."""
    balance: Literal["tokens", "episodes"] = "tokens"
    """Balance the sources by amount of text ('tokens', measured in characters) or by episode count."""
    policy_mix: dict[str, float] = field(default_factory=lambda: {
        "expert": 0.35, "noisy": 0.25, "heuristic": 0.25, "random": 0.15})
    """Scripted policy kinds and their probabilities (each episode is played by one kind)."""
    noisy_epsilon: float = 0.3
    """Probability that the noisy policy slips: makes a random move instead of the expert's."""
    noisy_repeat: float = 0.0
    """Share of the noisy policy's slips that repeat one of its earlier replies word for word instead of a
    random move: the loop a small model falls into (the same question twenty times), shown with the
    expert going on from it."""
    train_on_slips: bool = True
    """Imitate the noisy policy's slips like its other replies (True), or keep them in the conversation as
    context only (False), so that the model learns to play on well after a mistake without learning to
    make it."""
    split: str = "train"
    """Task split the games are played on (keep 'train': test tasks are for evaluation)."""
    seed: int = 0
    """Seed of every episode."""
    workers: int = 0
    """Processes generating episodes (0: one per available core, at most 4; 1: in this process)."""

    def __post_init__(self) -> None:
        if self.balance not in ("tokens", "episodes"):
            raise ValueError(f"balance must be 'tokens' or 'episodes', got {self.balance!r}")
        from curiosa.policies.base import check_policy_mix

        check_policy_mix(self.policy_mix)
        if not 0.0 <= self.noisy_epsilon <= 1.0 or not 0.0 <= self.noisy_repeat <= 1.0:
            raise ValueError(f"noisy_epsilon and noisy_repeat must be in [0, 1], got {self.noisy_epsilon} and "
                             f"{self.noisy_repeat}")
        if self.episodes_per_game < 1 or self.min_episodes < 0:
            raise ValueError("episodes_per_game must be >= 1 and min_episodes >= 0")


@dataclass
class GameSource:
    """Episodes of one game on one split, each played by a scripted policy of a kind drawn from a mix."""

    game: str
    policy_mix: Mapping[str, float]
    epsilon: float = 0.3
    split: str = "train"
    repeat: float = 0.0
    """Share of the noisy policy's slips that repeat an earlier reply (``ScriptedPolicy.repeat``)."""
    train_on_slips: bool = True
    """False: the noisy policy's slips are marked ``train: False`` (context, not imitated)."""

    def __call__(self, seed: int, n: int) -> Iterable[Conversation]:
        from curiosa import envs
        from curiosa.policies import run_episode, scripted

        rng = np.random.default_rng(seed)
        tasks = envs.load_tasks(self.game, self.split)
        env = envs.make(self.game, split=self.split)
        kinds = list(self.policy_mix)
        probs = np.array([self.policy_mix[k] for k in kinds], dtype=float)
        probs /= probs.sum()
        order = rng.permutation(len(tasks))
        for i in range(n):
            kind = kinds[int(rng.choice(len(kinds), p=probs))]
            task = tasks[int(order[i % len(tasks)])]
            episode_seed = int(rng.integers(2**31 - 1))
            policy = scripted(self.game, kind, seed=episode_seed, epsilon=self.epsilon, repeat=self.repeat)
            messages = run_episode(env, policy, seed=episode_seed, task=task).messages
            if not self.train_on_slips:
                replies = iter(policy.slips)
                messages = [{**m, "train": False} if m["role"] == "assistant" and next(replies, False) else m
                            for m in messages]
            yield messages


@dataclass
class _Part:
    """One source of the mixture."""

    name: str
    fn: DataSource
    weight: float


def mixture(config: MixtureConfig, sources: Mapping[str, DataSource] | None = None) -> list[_Part]:
    """The sources of the mixture: the chosen games, then the extra sources named in the config (looked
    up in ``sources``, then in EXTRA_SOURCES)."""
    from curiosa import policies

    available = policies.games()
    games = list(config.games) or available
    missing = [g for g in games if g not in available]
    if missing:
        raise ValueError(f"no scripted policies for game(s) {', '.join(missing)}; available: {', '.join(available)}")
    unknown = set(config.source_weights) - set(games) - set(config.extra_sources)
    if unknown:
        raise ValueError(f"source_weights names source(s) not in the mixture: {', '.join(sorted(unknown))}")
    parts = [_Part(g, GameSource(g, dict(config.policy_mix), config.noisy_epsilon, config.split,
                                 config.noisy_repeat, config.train_on_slips),
                   float(config.source_weights.get(g, 1.0))) for g in games]
    known = {**EXTRA_SOURCES, **(sources or {})}
    for name, weight in config.extra_sources.items():
        if name not in known:
            raise ValueError(f"unknown data source {name!r}; known: {', '.join(sorted(known)) or 'none'} "
                             "(pass your own with sources={name: fn})")
        parts.append(_Part(name, known[name], float(weight)))
    if any(p.weight < 0 for p in parts) or not any(p.weight > 0 for p in parts):
        raise ValueError("mixture weights must be non-negative with at least one positive")
    return [p for p in parts if p.weight > 0]


def _chunk_seed(seed: int, name: str, chunk: int) -> int:
    from curiosa.envs.task import stable_rng

    return int(stable_rng("bootstrap", seed, name, chunk).integers(2**31 - 1))


def _run_chunk(job: tuple[DataSource, int, int]) -> list[Conversation]:
    fn, seed, n = job
    return [check_conversation(c) for c in fn(seed, n)]


def _workers(config: MixtureConfig) -> int:
    if config.workers > 0:
        return config.workers
    return min(4, available_cores())


def available_cores() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _run_jobs(jobs: list[tuple[DataSource, int, int]], workers: int, progress: Any) -> list[list[Conversation]]:
    """Run chunks of sources, in a process pool when there are several and the sources are picklable."""
    results: list[list[Conversation] | None] = [None] * len(jobs)
    pooled = []
    for i, job in enumerate(jobs):
        if workers > 1:
            try:
                pickle.dumps(job[0])
                pooled.append(i)
                continue
            except Exception:  # noqa: BLE001 - closures, lambdas: run them here
                pass
        results[i] = _run_chunk(job)
        progress(job[2])
    if pooled:
        import multiprocessing as mp

        # fork: workers need no re-import of the caller's main module (spawn would, and scripts without a
        # main guard would then recurse); they only run game code, never torch.
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        with mp.get_context(method).Pool(min(workers, len(pooled))) as pool:
            for i, out in zip(pooled, pool.imap(_run_chunk, [jobs[i] for i in pooled])):
                results[i] = out
                progress(jobs[i][2])
    return [r or [] for r in results]


def generate_conversations(config: MixtureConfig, sources: Mapping[str, DataSource] | None = None,
                           progress: bool = False) -> dict[str, list[Conversation]]:
    """Every source's conversations, balanced as configured; deterministic for a seed (any worker count)."""
    parts = mixture(config, sources)
    workers = _workers(config)
    chunk = 32
    mean_weight = float(np.mean([p.weight for p in parts]))
    with _progress(progress, "episodes") as bar:
        # A first chunk per source measures its text length (balance 'tokens'); it is kept as data.
        pilot_n = min(chunk, max(1, config.min_episodes, 8)) if config.balance == "tokens" else 0
        pilots = _run_jobs([(p.fn, _chunk_seed(config.seed, p.name, 0), pilot_n) for p in parts], workers,
                           bar.advance) if pilot_n else [[] for _ in parts]
        if config.balance == "tokens":
            chars = [max(1.0, float(np.mean([_chars(c) for c in pilot])) if pilot else 1.0) for pilot in pilots]
            share = config.episodes_per_game * float(np.mean(chars))  # characters per unit of weight
            wanted = [share * p.weight / mean_weight / c for p, c in zip(parts, chars)]
        else:
            wanted = [config.episodes_per_game * p.weight / mean_weight for p in parts]
        counts = [max(config.min_episodes, int(round(w))) for w in wanted]
        bar.total(sum(max(n, len(pilot)) for n, pilot in zip(counts, pilots)))
        jobs, owners = [], []
        for k, (part, n) in enumerate(zip(parts, counts)):
            remaining, index = n - len(pilots[k]), 1
            while remaining > 0:
                size = min(chunk, remaining)
                jobs.append((part.fn, _chunk_seed(config.seed, part.name, index), size))
                owners.append(k)
                remaining -= size
                index += 1
        outs = _run_jobs(jobs, workers, bar.advance)
    data = {p.name: list(pilots[k][: counts[k]]) for k, p in enumerate(parts)}
    for k, out in zip(owners, outs):
        data[parts[k].name] += out
    return data


def _chars(conversation: Conversation) -> int:
    return sum(len(m["content"]) for m in conversation)



class _Bar:
    """A thin wrapper over a rich progress bar (or nothing)."""

    def __init__(self, progress: Any, task: Any) -> None:
        self._progress, self._task = progress, task

    def advance(self, n: int = 1, status: str | None = None) -> None:
        if self._progress is not None:
            kwargs = {"status": status} if status is not None else {}
            self._progress.update(self._task, advance=n, **kwargs)

    def total(self, total: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, total=total)


@contextlib.contextmanager
def _progress(enabled: bool, label: str, total: int | None = None):
    if not enabled:
        yield _Bar(None, None)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = [TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TimeRemainingColumn(), TextColumn("{task.fields[status]}")]
    with Progress(*columns, transient=False) as progress:
        yield _Bar(progress, progress.add_task(label, total=total, status=""))
