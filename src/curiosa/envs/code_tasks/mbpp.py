"""MBPP from user JSON-lines files (``{"text", "code", "test_list", "test_setup_code"?, "task_id"?}`` per line).

Register a file with :func:`register_mbpp_jsonl`. One file whose records all carry integer task ids
is split the standard way (ids 11-510 are test, the others train); otherwise by a hash of the text.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from curiosa.envs.code_tasks.env import CodeEnv
from curiosa.envs.code_tasks.judging import TestRun, run_unit_tests
from curiosa.envs.code_tasks.replies import CODE_REPLY_FORMAT
from curiosa.envs.file_datasets import FileDataset, json_lines, register_file_dataset, split_files


def read_mbpp_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """MBPP records as task params; raises ValueError naming ``file:line`` for unusable lines."""
    path = Path(path).expanduser()
    records, seen = [], set()
    for number, where, data in json_lines(path, "MBPP"):
        if not isinstance(data, dict):
            raise ValueError(f"{where}: expected a JSON object")
        text, tests = data.get("text") or data.get("prompt"), data.get("test_list")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{where}: an MBPP record needs a non-empty 'text'")
        if not isinstance(tests, list) or not tests or not all(isinstance(t, str) for t in tests):
            raise ValueError(f"{where}: an MBPP record needs 'test_list', a non-empty list of assert strings")
        if text in seen:
            continue
        seen.add(text)
        record = {"text": text.strip(), "test_list": tests,
                  "test_setup_code": str(data.get("test_setup_code") or ""),
                  "reference": str(data.get("code") or ""), "source": f"{path.name}:{number}"}
        if isinstance(data.get("task_id"), int):
            record["task_id"] = data["task_id"]
        records.append(record)
    if not records:
        raise ValueError(f"{path}: no records")
    return records


def mbpp_split(record: dict[str, Any]) -> str:
    """The standard MBPP split (ids 11-510 test) when the record has an id, else a fixed hash of its text."""
    task_id = record.get("task_id")
    if isinstance(task_id, int):
        return "test" if 11 <= task_id <= 510 else "train"
    return "test" if zlib.crc32(record["text"].encode("utf-8")) % 100 < 50 else "train"


class MbppEnv(FileDataset, CodeEnv):
    """Write the function an MBPP problem describes; its asserts decide."""

    def _problem_prompt(self) -> str:
        assert self.task is not None
        p = self.task.params
        tests = "\n".join(p["test_list"])
        return (f"Write a Python function for this task: {p['text']}\n"
                f"Your code should pass these tests:\n```python\n{tests}\n```\n\n{CODE_REPLY_FORMAT}")

    def run(self, program: str) -> TestRun:
        assert self.task is not None
        p = self.task.params
        return run_unit_tests(program, list(p["test_list"]), setup=str(p.get("test_setup_code") or ""),
                              timeout=self.timeout)


def register_mbpp_jsonl(train: str | Path | None = None, test: str | Path | None = None, *,
                        path: str | Path | None = None, name: str = "mbpp") -> type[MbppEnv]:
    """Register an MBPP file (or one file per split) as the game ``name`` (then listed by ``envs.names()``)."""
    return register_file_dataset(MbppEnv, name, f"MBPP dataset {name!r} from user files.", lambda: split_files(
        train, test, path, read=read_mbpp_jsonl, key="text", split_of=mbpp_split, what="MBPP data"))
