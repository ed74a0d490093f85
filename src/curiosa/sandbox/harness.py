"""The reward for code tasks: run a model's program against unit tests in the sandbox, pass or fail.

Two test styles are accepted:

* HumanEval: ``tests`` is source defining ``check(candidate)``; ``entry_point`` names the function
  under test, and the harness calls ``check(<that function>)``.
* MBPP: ``tests`` is a list of statements (usually ``assert f(x) == y`` lines), or one string of them;
  each top-level assert counts as one test and all must pass.

Why a harness rather than concatenating program and tests: a program that calls ``sys.exit(0)`` or
``os._exit(0)`` before the tests, or rewrites the test file, must not score as passing. So the harness
reads and compiles the tests before the program runs, deletes the files, treats any exception
(``SystemExit`` included) as a failure, and only counts a run as passed when it prints a verdict line
tagged with a random nonce it read from stdin. A program written to *deliberately* subvert an
in-process harness (digging the nonce out of the harness's frames) can still fake a pass; the sandbox
still contains what it does.
"""

from __future__ import annotations

import ast
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from curiosa.sandbox.config import SandboxConfig
from curiosa.sandbox.result import SandboxResult
from curiosa.sandbox.run import run_python

_HARNESS = r'''
import json as _json
import os as _os
import sys as _sys


def _describe(exc, sources=None):
    if isinstance(exc, SystemExit):
        return "the program exited early (SystemExit %r)" % (exc.code,)
    text = type(exc).__name__ + (": %s" % exc if str(exc) else "")
    if sources is not None:
        # Name the failing test line: a bare AssertionError says nothing on its own.
        tb, where = exc.__traceback__, None
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.startswith("<test "):
                where = (int(name[6:-1]), tb.tb_lineno)
            tb = tb.tb_next
        if where is not None:
            lines = sources[where[0]].splitlines()
            if 0 < where[1] <= len(lines):
                text += " in: " + lines[where[1] - 1].strip()
    return text[:500]


def _main():
    write, dumps, exit_now, flush = _os.write, _json.dumps, _os._exit, _sys.stdout.flush
    nonce = _sys.stdin.readline().strip()
    with open("solution.py", encoding="utf-8") as handle:
        program = handle.read()
    with open("tests.json", encoding="utf-8") as handle:
        spec = _json.load(handle)
    _os.remove("solution.py")
    _os.remove("tests.json")

    def report(passed, stage, error=None, tests_passed=None):
        try:
            flush()
        except BaseException:
            pass
        summary = {"passed": passed, "stage": stage, "error": error, "tests_passed": tests_passed}
        write(1, ("\n%s %s\n" % (nonce, dumps(summary))).encode("utf-8"))
        exit_now(0 if passed else 1)

    tests = [compile(source, "<test %d>" % i, "exec") for i, source in enumerate(spec["tests"])]
    setup = compile(spec["setup"], "<setup>", "exec")
    try:
        program_code = compile(program, "solution.py", "exec")
    except SyntaxError as exc:
        report(False, "compile", _describe(exc))
    namespace = {"__name__": "solution", "__builtins__": __builtins__}
    try:
        exec(program_code, namespace)
    except BaseException as exc:
        report(False, "program", _describe(exc))
    try:
        exec(setup, namespace)
    except BaseException as exc:
        report(False, "setup", _describe(exc))
    entry_point = spec["entry_point"]
    if entry_point is not None:
        try:
            exec(tests[0], namespace)
            if entry_point not in namespace:
                raise NameError("the program defines no %r" % entry_point)
            namespace["check"](namespace[entry_point])
        except BaseException as exc:
            report(False, "tests", _describe(exc, spec["tests"]))
        report(True, "tests")
    passed, first_error = 0, None
    for code, counts in zip(tests, spec["counts"]):
        try:
            exec(code, namespace)
            passed += counts
        except BaseException as exc:
            if first_error is None:
                first_error = _describe(exc, spec["tests"])
    report(first_error is None, "tests", first_error, passed)


_main()
'''


@dataclass(frozen=True)
class CodeTestResult:
    """The verdict on one program against its tests."""

    passed: bool
    """Every test passed within the limits: the binary reward."""
    tests_passed: int | None
    """MBPP style: how many assert statements passed (None for HumanEval style or when none ran)."""
    tests_total: int | None
    """MBPP style: how many assert statements there are (None for HumanEval style)."""
    error: str | None
    """Why it failed, in one line: the first failing test's exception, a timeout, a limit, ..."""
    sandbox: SandboxResult
    """The raw sandbox result (output, exit code, duration)."""


def run_tests(
    program: str,
    tests: str | Sequence[str],
    entry_point: str | None = None,
    timeout_s: float | None = None,
    memory_mb: int | None = None,
    *,
    setup: str = "",
    config: SandboxConfig | None = None,
) -> CodeTestResult:
    """Run ``program`` against ``tests`` in the sandbox; ``passed`` is the code-task reward.

    ``setup`` runs after the program and before the tests (MBPP's ``test_setup_code`` or imports).
    Malformed *tests* raise ValueError (they are trusted data; a broken test set must not look like
    a failing model). Anything wrong with the *program* is a failed result, never an exception.
    """
    if not isinstance(program, str):
        raise TypeError(f"program must be a str of Python source; got {type(program).__name__}")
    if not isinstance(setup, str):
        raise TypeError(f"setup must be a str of Python source; got {type(setup).__name__}")
    _compile_trusted(setup, "setup")
    if entry_point is not None:
        sources, counts = _humaneval_tests(tests, entry_point), [0]
        total = None
    else:
        sources, counts = _mbpp_tests(tests)
        total = sum(counts)
    spec = {"tests": sources, "counts": counts, "setup": setup, "entry_point": entry_point}
    nonce = secrets.token_hex(16)
    result = run_python(
        _HARNESS,
        timeout_s,
        memory_mb,
        stdin=nonce + "\n",
        files={"solution.py": program, "tests.json": json.dumps(spec)},
        config=config,
    )
    summary = _find_summary(result.stdout, nonce)
    if summary is None:
        return CodeTestResult(False, None, total, _sandbox_error(result), result)
    passed = bool(summary.get("passed")) and result.passed
    tests_passed = summary.get("tests_passed") if entry_point is None else None
    error = None if passed else (summary.get("error") or _sandbox_error(result))
    return CodeTestResult(passed, tests_passed, total, error, result)


def _humaneval_tests(tests: str | Sequence[str], entry_point: str) -> list[str]:
    if not isinstance(entry_point, str) or not entry_point.isidentifier():
        raise ValueError(f"entry_point must be a Python identifier; got {entry_point!r}")
    source = tests if isinstance(tests, str) else "\n".join(tests)
    tree = _compile_trusted(source, "tests")
    if not any(isinstance(node, ast.FunctionDef) and node.name == "check" for node in tree.body):
        raise ValueError("HumanEval-style tests (entry_point given) must define check(candidate)")
    return [source]


def _mbpp_tests(tests: str | Sequence[str]) -> tuple[list[str], list[int]]:
    if isinstance(tests, str):
        tree = _compile_trusted(tests, "tests")
        sources = [ast.get_source_segment(tests, node) or ast.unparse(node) for node in tree.body]
        counts = [int(isinstance(node, ast.Assert)) for node in tree.body]
    else:
        sources, counts = [], []
        for i, item in enumerate(tests):
            if not isinstance(item, str):
                raise TypeError(f"tests[{i}] must be a str; got {type(item).__name__}")
            tree = _compile_trusted(item, f"tests[{i}]")
            sources.append(item)
            counts.append(sum(isinstance(node, ast.Assert) for node in tree.body))
    if not any(counts):
        raise ValueError("tests contain no assert statement: nothing would be checked")
    return sources, counts


def _compile_trusted(source: str, what: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError as exc:
        raise ValueError(f"{what} is not valid Python: {exc}") from exc


def _find_summary(stdout: str, nonce: str) -> dict[str, object] | None:
    for line in reversed(stdout.splitlines()):
        if line.startswith(nonce + " "):
            try:
                summary = json.loads(line[len(nonce) + 1:])
            except json.JSONDecodeError:
                return None
            return summary if isinstance(summary, dict) else None
    return None


def _sandbox_error(result: SandboxResult) -> str:
    if result.killed_reason is not None:
        return f"stopped by the sandbox: {result.killed_reason}"
    return f"the program ended before the tests finished (exit code {result.exit_code})"
