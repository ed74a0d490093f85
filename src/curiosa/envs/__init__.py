"""Text games in the Gymnasium API: ``names()``, ``load_tasks(name, split)``, ``make(name, task=...)``."""

from curiosa.envs.base import FormatError, Outcome, TextGameEnv
from curiosa.envs.dialogue import DialogueEnv, JudgeSpec
from curiosa.envs.registry import env_class, get_task, load_tasks, make, names, register, register_all_with_gymnasium
from curiosa.envs.task import SPLITS, Task
from curiosa.envs.text import REPLY_FORMAT, extract_answer, format_reply

register_all_with_gymnasium()

__all__ = [
    "DialogueEnv", "FormatError", "JudgeSpec", "Outcome", "REPLY_FORMAT", "SPLITS", "Task", "TextGameEnv", "env_class", "extract_answer",
    "format_reply", "get_task", "load_tasks", "make", "names", "register",
]
