"""Which games exist and how to build them; game modules are imported on first use."""

from __future__ import annotations

import importlib
from typing import Any

from curiosa.envs.base import TextGameEnv
from curiosa.envs.task import Task, check_split

# name -> "module:Class". Imported lazily so `import curiosa.envs` stays cheap.
_BUILTIN: dict[str, str] = {
    "wordle": "curiosa.envs.wordle:WordleEnv",
    "mastermind": "curiosa.envs.mastermind:MastermindEnv",
    "battleship": "curiosa.envs.battleship:BattleshipEnv",
    "minesweeper": "curiosa.envs.minesweeper:MinesweeperEnv",
    "cellular_automata": "curiosa.envs.cellular_automata:CellularAutomataEnv",
    "bandit_best_arm": "curiosa.envs.bandit_best_arm:BanditBestArmEnv",
    "twenty_questions": "curiosa.envs.twenty_questions:TwentyQuestionsEnv",
    "guess_my_city": "curiosa.envs.guess_my_city:GuessMyCityEnv",
    "customer_service": "curiosa.envs.customer_service:CustomerServiceEnv",
    "murder_mystery": "curiosa.envs.murder_mystery:MurderMysteryEnv",
    "math_synthetic": "curiosa.envs.math_synthetic:MathSyntheticEnv",
    "humaneval": "curiosa.envs.code_tasks:HumanEvalEnv",
}
_REGISTERED: dict[str, type[TextGameEnv]] = {}


def register(env_class: type[TextGameEnv]) -> type[TextGameEnv]:
    """Add a game (usable as a class decorator); its ``group`` is its name."""
    name = env_class.group
    if not name or not isinstance(name, str):
        raise ValueError(f"{env_class.__name__}.group must be a non-empty name")
    if env_class.max_turns < 1:
        raise ValueError(f"{env_class.__name__}.max_turns must be at least 1")
    existing = _REGISTERED.get(name)
    if existing is not None and existing is not env_class:
        raise ValueError(f"a game named {name!r} is already registered ({existing.__module__}.{existing.__name__})")
    _REGISTERED[name] = env_class
    _register_with_gymnasium(name)
    return env_class


def names() -> list[str]:
    """Registered game names, built-in ones first in their fixed order."""
    return list(_BUILTIN) + sorted(n for n in _REGISTERED if n not in _BUILTIN)


def env_class(name: str) -> type[TextGameEnv]:
    if name in _REGISTERED:
        return _REGISTERED[name]
    if name not in _BUILTIN:
        raise KeyError(f"unknown game {name!r}; known games: {', '.join(names())}")
    module_name, class_name = _BUILTIN[name].split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return register(cls)


def _tasks(name: str, split: str) -> tuple[Task, ...]:
    return env_class(name).tasks(split)


def load_tasks(name: str, split: str = "train") -> list[Task]:
    """The tasks of one game and split, in a fixed order (fresh copies: callers may edit them)."""
    check_split(split)
    return [t.copy() for t in _tasks(name, split)]


def get_task(task_id: str) -> Task:
    """Look a task up by its id, e.g. ``"wordle-test-00003"``."""
    parts = task_id.rsplit("-", 2)
    if len(parts) != 3 or not parts[2].isdigit():
        raise KeyError(f"malformed task id {task_id!r}; expected '<game>-<split>-<number>'")
    name, split, _ = parts
    for task in _tasks(name, check_split(split)):
        if task.id == task_id:
            return task.copy()
    raise KeyError(f"no task {task_id!r} in {name}/{split}")


def make(name: str, task: Task | str | None = None, *, split: str = "train", **kwargs: Any) -> TextGameEnv:
    """Build a game environment; with no task, each ``reset(seed=...)`` draws one from ``split``.

    Dialogue games also take ``simulator="llm"`` and ``endpoint=Endpoint(...)`` (or a mapping with
    ``base_url``, ``model``, ``api_key_env``...) to be played and judged by a served model.
    """
    cls = env_class(name)
    from curiosa.envs.dialogue import DialogueEnv

    if not issubclass(cls, DialogueEnv):
        if kwargs.pop("simulator", "offline") != "offline" or kwargs.pop("endpoint", None) is not None:
            raise ValueError(f"{name} is played by a program: only dialogue games take simulator='llm'")
    if isinstance(task, str):
        task = get_task(task)
    return cls(task=task, split=split, **kwargs)


def _register_with_gymnasium(name: str) -> None:
    import gymnasium

    gym_id = f"curiosa/{name}-v0"
    if gym_id not in gymnasium.registry:
        gymnasium.register(id=gym_id, entry_point=_entry(name))


def _entry(name: str):
    def entry_point(**kwargs: Any) -> TextGameEnv:
        return make(name, **kwargs)

    entry_point.__name__ = f"make_{name}"
    return entry_point


def register_all_with_gymnasium() -> None:
    """Make every built-in game available as ``gymnasium.make("curiosa/<name>-v0")``."""
    for name in _BUILTIN:
        _register_with_gymnasium(name)
