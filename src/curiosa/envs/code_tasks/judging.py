"""Judging a candidate program: compiled here to reject syntax errors, run only in curiosa's sandbox.

Model-written code never runs in this process. :func:`run_unit_tests` is the only place of the code
tasks that talks to :mod:`curiosa.sandbox`; a sandbox that cannot be used raises
:class:`JudgeUnavailable` instead of scoring zero (a silent zero would train against a broken judge).
"""

from __future__ import annotations

from dataclasses import dataclass

from curiosa.envs.self_correction import JudgeUnavailable

DEFAULT_TIMEOUT = 10.0
"""Seconds allowed for one run of a candidate against its tests."""


class SandboxUnavailable(JudgeUnavailable):
    """curiosa.sandbox is missing or unusable, so code cannot be judged."""


@dataclass
class TestRun:
    """The outcome of running one candidate program against its tests."""

    passed: bool
    detail: str = ""
    """A short reason when it failed (error line, timeout...)."""


def syntax_error(code: str) -> str | None:
    """The syntax error of ``code`` (compiled, never run), or None when it compiles."""
    try:
        compile(code, "<candidate>", "exec", dont_inherit=True)
    except SyntaxError as err:
        return f"SyntaxError: {err.msg} (line {err.lineno})"
    except Exception as err:  # noqa: BLE001 - e.g. too deeply nested: not a program we can run
        return f"{type(err).__name__}: {err}"[:200]
    return None


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

    A sandbox that cannot be set up, or malformed (trusted) tests, raise :class:`JudgeUnavailable`
    instead of scoring zero.
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
