"""The episode viewer: evaluation episodes embedded as JSON, read turn by turn in the page.

Past ``limit`` the page embeds every episode of a deterministic subset of tasks (stable hash of the
task id, balanced over groups) and says so, to keep the file small enough for a browser.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from typing import Any, Callable, Mapping, Sequence

from curiosa.evaluation.html.markup import escape, script_json, section
from curiosa.evaluation.html.templates import read_template
from curiosa.evaluation.metrics import episode_success
from curiosa.rollout.trajectory import Trajectory

EpisodeRecord = Callable[[str, Trajectory], dict[str, Any]]
"""Turns (model, episode) into what the viewer shows."""


def _stable_key(task_id: str) -> str:
    return hashlib.sha1(task_id.encode("utf-8")).hexdigest()


def _task_order(episodes: Mapping[str, Sequence[Trajectory]]) -> list[str]:
    """Task ids interleaved over groups, each group in stable-hash order: any prefix is balanced."""
    by_group: dict[str, set[str]] = defaultdict(set)
    for rows in episodes.values():
        for t in rows:
            by_group[t.group].add(t.task_id)
    queues = [sorted(by_group[g], key=_stable_key) for g in sorted(by_group)]
    order: list[str] = []
    for i in range(max((len(q) for q in queues), default=0)):
        order += [q[i] for q in queues if i < len(q)]
    return order


def select_episodes(episodes: Mapping[str, Sequence[Trajectory]],
                    limit: int) -> tuple[list[tuple[str, Trajectory]], str | None]:
    """The (model, episode) pairs to embed, and a note when only a subset of tasks fits.

    Whole tasks are kept (every sample, of every model) so the models stay comparable.
    """
    everything = [(m, t) for m, rows in episodes.items() for t in rows]
    if len(everything) <= limit:
        return everything, None
    count = Counter(t.task_id for _, t in everything)
    chosen: set[str] = set()
    used = 0
    for task in _task_order(episodes):
        if used + count[task] <= limit:
            chosen.add(task)
            used += count[task]
    subset = [(m, t) for m, t in everything if t.task_id in chosen]
    note = (f"The viewer embeds {len(subset)} of {len(everything)} evaluation episodes: every episode of "
            f"{len(chosen)} of {len(count)} tasks, chosen by a stable hash of the task id and balanced over "
            f"groups, to keep this file small (limit {limit}). All episodes are in eval/<model>/trajectories.jsonl.")
    return subset, note


def episode_record(model: str, t: Trajectory) -> dict[str, Any]:
    """The viewer's record of an episode as it is (templates/viewer.js reads these keys)."""
    return {
        "model": model, "id": t.id, "task": t.task_id, "group": t.group, "success": episode_success(t),
        "turns": t.num_turns, "stop": t.stop_reason, "invalid": t.invalid_actions, "format_errors": t.format_errors,
        "score": t.score, "seed": t.seed, "sample": t.sample_index,
        "messages": [[str(m.get("role", "")), str(m.get("content", ""))] for m in t.messages],
    }


def viewer_section(episodes: Mapping[str, Sequence[Trajectory]], limit: int,
                   record: EpisodeRecord = episode_record, intro: str = "") -> tuple[str, str]:
    """The viewer's markup and its embedded data (both empty when there are no episodes).

    ``intro`` (markup) goes above the viewer; the data goes to ``page.write_page``, which adds the
    viewer's script only when there is data.
    """
    if not episodes:
        return "", ""
    chosen, note = select_episodes(episodes, limit)
    models = list(episodes)
    chosen.sort(key=lambda mt: (mt[1].group, mt[1].task_id, mt[1].sample_index, models.index(mt[0])))
    data = script_json({"episodes": [record(m, t) for m, t in chosen]})
    note_html = f'<p class="note">{escape(note)}</p>' if note else ""
    markup = section("episodes", "Evaluation episodes", intro + note_html + "\n" + read_template("viewer.html"))
    return markup, f'<script type="application/json" id="episode-data">{data}</script>'
