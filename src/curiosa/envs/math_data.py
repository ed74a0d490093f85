"""User-provided math datasets (MATH-style or GSM8K-style JSONL) as two-attempt self-correction tasks.

Nothing is downloaded: point curiosa at your files. Each line is one JSON object, either

* MATH-style: ``{"problem": ..., "solution": "... \\\\boxed{answer} ..."}`` or with an ``"answer"`` field
  (optional ``"level"`` such as ``"Level 3"`` and ``"type"``/``"subject"``), or
* GSM8K-style: ``{"question": ..., "answer": "... #### 42"}``.

The format is recognised per line. Usage::

    from curiosa.envs.math_data import register_math_jsonl
    register_math_jsonl(train="math_train.jsonl", test="math500.jsonl")   # game "math"
    register_math_jsonl(path="gsm8k.jsonl", name="gsm8k")                  # one file, hash split
    envs.load_tasks("math", "test")

or set ``CURIOSA_MATH_TRAIN`` / ``CURIOSA_MATH_TEST`` (and optionally ``CURIOSA_MATH_NAME``) and call
:func:`register_from_environment`. A registered dataset joins ``envs.names()``; without one the game
does not exist (there is no built-in data).

Answers are compared with :func:`curiosa.envs.math_answers.equivalent`: exact rationals, then
math-verify's symbolic equivalence when the ``math-verify`` package is installed, then normalised
text. Problems that appear in the test file are dropped from the train file (no leakage).
"""

from __future__ import annotations

import os
import re
import zlib
from pathlib import Path
from typing import Any, Mapping

from curiosa.envs.base import FormatError
from curiosa.envs.file_datasets import FileDataset, Records, json_lines, register_file_dataset, split_files
from curiosa.envs.math_answers import equivalent, extract_math_answer, last_boxed
from curiosa.envs.self_correction import SelfCorrectionEnv, Verdict
from curiosa.envs.task import Task, check_split, make_tasks
from curiosa.envs.text import quote

MATH_DATA_REPLY_FORMAT = (
    "Reply with a line 'Thought:' followed by your working, and end with a line 'Answer: <your final answer>' "
    "(a number or a LaTeX expression in simplest form)."
)
_LEVEL = re.compile(r"(\d+)")


def _gsm8k_final(answer: str) -> str | None:
    m = re.search(r"####\s*(.+?)\s*$", answer.strip(), re.DOTALL)
    return m.group(1).replace(",", "").strip() if m else None


def read_math_record(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    """One dataset line as task params; raises ValueError naming ``where`` (``file:line``) when unusable."""
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: expected a JSON object, got {type(data).__name__}")
    if isinstance(data.get("problem"), str):
        problem = data["problem"]
        answer = data.get("answer")
        if not isinstance(answer, (str, int, float)) or str(answer).strip() == "":
            solution = data.get("solution")
            answer = last_boxed(solution) if isinstance(solution, str) else None
            if answer is None:
                raise ValueError(f"{where}: MATH-style record has no 'answer' and no \\boxed{{...}} in its 'solution'")
        record: dict[str, Any] = {"format": "math", "problem": problem.strip(), "answer": str(answer).strip()}
        level = _LEVEL.search(str(data.get("level", "")))
        if level:
            record["difficulty"] = int(level.group(1))
        subject = data.get("type") or data.get("subject")
        if isinstance(subject, str):
            record["subject"] = subject
        return record
    if isinstance(data.get("question"), str):
        raw = data.get("answer")
        answer = _gsm8k_final(raw) if isinstance(raw, str) else (str(raw) if isinstance(raw, (int, float)) else None)
        if not answer:
            raise ValueError(f"{where}: GSM8K-style record needs an 'answer' ending in '#### <number>'")
        return {"format": "gsm8k", "problem": data["question"].strip(), "answer": answer}
    raise ValueError(f"{where}: a record needs 'problem' (MATH-style) or 'question' (GSM8K-style); "
                     f"found fields {sorted(data)[:10]}")


def read_math_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Every record of a file, in file order, duplicates of a problem dropped (the first one is kept)."""
    path = Path(path).expanduser()
    records, seen = [], set()
    for number, where, data in json_lines(path, "math dataset"):
        record = read_math_record(data, where)
        if not record["problem"]:
            raise ValueError(f"{where}: the problem text is empty")
        if record["problem"] in seen:
            continue
        seen.add(record["problem"])
        record["source"] = f"{path.name}:{number}"
        records.append(record)
    if not records:
        raise ValueError(f"{path}: no records")
    return records


def hash_split(problem: str, test_fraction: float) -> str:
    """``"test"`` for a fixed ``test_fraction`` of problems, by a hash of the text (stable under reordering)."""
    return "test" if zlib.crc32(problem.encode("utf-8")) % 10_000 < round(test_fraction * 10_000) else "train"


def load_math_jsonl(path: str | Path, split: str = "test", *, group: str = "math") -> list[Task]:
    """Every record of ``path`` as a task of ``split`` (the file is that split)."""
    check_split(split)
    return make_tasks(group, split, read_math_jsonl(path))


class MathDatasetEnv(FileDataset, SelfCorrectionEnv):
    """Base of registered math datasets; :func:`register_math_jsonl` makes a subclass per dataset."""

    def _problem_prompt(self) -> str:
        assert self.task is not None
        return f"Solve this math problem.\nProblem: {self.task.params['problem']}\n{MATH_DATA_REPLY_FORMAT}"

    def parse_reply(self, reply: str) -> str:
        answer = extract_math_answer(reply)
        if answer is None:
            raise FormatError("no 'Answer:' line found. " + MATH_DATA_REPLY_FORMAT)
        return self._parse(answer)

    def _parse(self, answer: str) -> str:
        if len(answer) > 500:
            raise FormatError(f"{quote(answer)} is too long for a final answer; give only the result.")
        return answer

    def _judge(self, move: str) -> Verdict:
        assert self.task is not None
        return Verdict(equivalent(move, str(self.task.params["answer"])), {"answer": move[:200]})

    def _expected(self) -> str:
        assert self.task is not None
        return str(self.task.params["answer"])


def register_math_jsonl(train: str | Path | None = None, test: str | Path | None = None, *,
                        path: str | Path | None = None, name: str = "math",
                        test_fraction: float = 0.2) -> type[MathDatasetEnv]:
    """Register a math dataset as the game ``name`` (it then appears in ``envs.names()``).

    ``train``/``test``: one file per split. ``path``: one file, cut by a hash of each problem so that
    ``test_fraction`` of it is test. A name can be registered once per process.
    """
    def load() -> Records:
        if path is not None and train is None and test is None and not 0.0 < test_fraction < 1.0:
            raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
        return split_files(train, test, path, read=read_math_jsonl, key="problem", what="math dataset",
                           split_of=lambda r: hash_split(r["problem"], test_fraction))

    return register_file_dataset(MathDatasetEnv, name, f"Math dataset {name!r} from user files.", load)


def register_from_environment() -> type[MathDatasetEnv] | None:
    """Register the dataset named by ``CURIOSA_MATH_TRAIN`` / ``CURIOSA_MATH_TEST`` (None when unset)."""
    train, test = os.environ.get("CURIOSA_MATH_TRAIN") or None, os.environ.get("CURIOSA_MATH_TEST") or None
    if train is None and test is None:
        return None
    return register_math_jsonl(train=train, test=test, name=os.environ.get("CURIOSA_MATH_NAME", "math"))
