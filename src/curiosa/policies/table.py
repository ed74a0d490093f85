"""Success rate and turns of every scripted policy on every game: the docs' reference table."""

from __future__ import annotations

import math
from concurrent.futures import ProcessPoolExecutor
from typing import Sequence

from curiosa.envs.registry import load_tasks
from curiosa.policies.runner import evaluate_policy


def _evaluate(job: tuple[str, str, str, int | None, int]) -> dict:
    from curiosa.policies import scripted

    game, kind, split, limit, seed = job
    tasks = load_tasks(game, split)
    if limit is not None:
        tasks = tasks[:limit]
    stats = evaluate_policy(game, lambda i: scripted(game, kind, seed=seed + i), tasks, seed=seed)
    return {"game": game, "kind": kind, **stats}


def policy_table(
    games: Sequence[str], kinds: Sequence[str], *, split: str = "test", limit: int | None = None,
    seed: int = 0, workers: int = 1,
) -> list[dict]:
    """One row per (game, kind), in the order given; ``limit`` caps the tasks per game."""
    jobs = [(g, k, split, limit, seed) for g in games for k in kinds]
    if workers <= 1:
        return [_evaluate(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_evaluate, jobs))


def to_markdown(rows: Sequence[dict]) -> str:
    def num(x: float, fmt: str) -> str:
        return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else format(x, fmt)

    lines = [
        "| game | policy | episodes | success | mean turns | mean turns (wins) | invalid moves |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['game']} | {r['kind']} | {r['episodes']} | {num(100 * r['success_rate'], '.1f')}% | "
            f"{num(r['mean_turns'], '.2f')} | {num(r['mean_turns_success'], '.2f')} | {num(100 * r['invalid_rate'], '.1f')}% |"
        )
    return "\n".join(lines)
