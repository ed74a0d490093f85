"""Judging code: syntax errors are found by compiling only; the sandbox adapter's failure modes."""

import sys

import pytest

from curiosa.envs.code_tasks import judging
from curiosa.envs.self_correction import JudgeUnavailable


def test_syntax_error_compiles_without_running():
    assert judging.syntax_error("def f():\n    return 1\n") is None
    assert judging.syntax_error("import os\nos._exit(3)\n") is None  # compiled, never run
    assert judging.syntax_error("def f(:\n") == "SyntaxError: invalid syntax (line 1)"


def test_a_missing_sandbox_is_unavailable_not_a_failure(monkeypatch):
    import curiosa

    monkeypatch.setitem(sys.modules, "curiosa.sandbox", None)
    monkeypatch.delattr(curiosa, "sandbox", raising=False)
    assert not judging.sandbox_available()
    with pytest.raises(judging.SandboxUnavailable) as err:
        judging.run_unit_tests("def f(): pass\n", ["assert f() is None"])
    assert isinstance(err.value, JudgeUnavailable)
