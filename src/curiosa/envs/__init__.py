"""Text games in the Gymnasium API: ``names()``, ``load_tasks(name, split)``, ``make(name, task=...)``."""

from curiosa.envs.base import FormatError, Outcome, TextGameEnv
from curiosa.envs.dialogue import DialogueEnv, JudgeSpec
from curiosa.envs.registry import env_class, get_task, load_tasks, make, names, register, register_all_with_gymnasium
from curiosa.envs.task import SPLITS, Task
from curiosa.envs.text import REPLY_FORMAT, extract_answer, format_reply

register_all_with_gymnasium()

PAPRIKA_GROUPS: tuple[str, ...] = (
    "twenty_questions", "guess_my_city", "wordle", "cellular_automata", "customer_service",
    "murder_mystery", "mastermind", "battleship", "minesweeper", "bandit_best_arm",
)
"""The ten task groups of PAPRIKA (docs/games.md)."""
SELF_CORRECTION_GROUPS: tuple[str, ...] = ("math_synthetic", "humaneval")
"""The built-in two-attempt SCoRe tasks (docs/self_correction.md); user datasets registered with
``curiosa.envs.math_data.register_math_jsonl`` / ``curiosa.envs.code_tasks.register_mbpp_jsonl`` join
``names()`` under their own names."""

__all__ = [
    "DialogueEnv", "FormatError", "JudgeSpec", "Outcome", "PAPRIKA_GROUPS", "REPLY_FORMAT", "SELF_CORRECTION_GROUPS", "SPLITS", "Task",
    "TextGameEnv", "env_class", "extract_answer",
    "format_reply", "get_task", "load_tasks", "make", "names", "register",
]
