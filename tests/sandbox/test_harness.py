"""run_tests: the pass/fail reward of code tasks, and the ways a program might fake a pass."""

import pytest

from curiosa.sandbox import CodeTestResult, SandboxConfig, run_tests
from curiosa.sandbox.backend import bwrap_status, working_bwrap

BWRAP = pytest.param("bwrap", marks=pytest.mark.skipif(
    working_bwrap() is None, reason=f"bubblewrap does not work here: {bwrap_status()}"))

HUMANEVAL_PROMPT = 'def add(a: int, b: int) -> int:\n    """Return the sum of a and b."""\n'
HUMANEVAL_TEST = (
    "METADATA = {'author': 'test'}\n\n\n"
    "def check(candidate):\n"
    "    assert candidate(1, 2) == 3\n"
    "    assert candidate(-1, 1) == 0\n"
    "    assert candidate(10, 5) == 15\n"
)
GOOD = HUMANEVAL_PROMPT + "    return a + b\n"
MBPP_TESTS = ["assert add(1, 2) == 3", "assert add(2, 2) == 4", "assert add(0, 0) == 0"]


def check(program, tests=HUMANEVAL_TEST, entry_point="add", kind="auto", **kwargs) -> CodeTestResult:
    config = SandboxConfig(kind=kind, timeout_s=kwargs.pop("timeout_s", 5.0), memory_mb=256)
    return run_tests(program, tests, entry_point, config=config, **kwargs)


@pytest.mark.parametrize("kind", [BWRAP, "fallback"])
def test_humaneval_style_pass_and_fail(kind):
    good = check(GOOD, kind=kind)
    assert good.passed and good.error is None and good.sandbox.kind == kind
    bad = check(HUMANEVAL_PROMPT + "    return a - b\n", kind=kind)
    assert not bad.passed
    assert bad.error == "AssertionError in: assert candidate(1, 2) == 3"


@pytest.mark.parametrize("kind", [BWRAP, "fallback"])
def test_mbpp_style_counts_each_assert(kind):
    program = "def add(a, b):\n    return a + b if a != 2 else 5\n"
    result = check(program, MBPP_TESTS, None, kind=kind)
    assert not result.passed and result.tests_passed == 2 and result.tests_total == 3
    assert "assert add(2, 2) == 4" in result.error
    assert check(GOOD, MBPP_TESTS, None, kind=kind).passed


def test_mbpp_tests_as_one_string_with_setup_and_imports():
    tests = "import math\nassert add(1, 2) == 3\nassert math.isclose(add(0.1, 0.2), 0.3)\n"
    result = check(GOOD, tests, None, setup="OFFSET = 0\n")
    assert result.passed and result.tests_passed == 2 and result.tests_total == 2


def test_program_main_block_does_not_run():
    program = GOOD + "if __name__ == '__main__':\n    print(input())\n    raise SystemExit(1)\n"
    assert check(program).passed


@pytest.mark.parametrize("program, expected", [
    (GOOD.replace("return a + b", "return a +"), "SyntaxError"),
    ("import sys\nsys.exit(0)\n" + GOOD, "exited early"),
    ("raise SystemExit(0)\n", "exited early"),
    ("import os\nos._exit(0)\n", "ended before the tests finished"),
    ("def something_else():\n    pass\n", "NameError"),
    ("while True:\n    pass\n", "timeout"),
    ("x = bytearray(2 * 1024 ** 3)\n", "MemoryError"),
    ("print('x' * 10 ** 8)\n", "output_limit"),
])
def test_broken_or_cheating_programs_fail(program, expected):
    result = check(program, timeout_s=1.0 if "while True" in program else 5.0)
    assert not result.passed
    assert expected in result.error, result.error


def test_program_cannot_rewrite_or_read_the_tests():
    cheat = (
        GOOD.replace("return a + b", "return 0")
        + "import os\n"
        + "for name in ('tests.json', 'solution.py'):\n"
        + "    print(name, os.path.exists(name))\n"
        + "open('tests.json', 'w').write('{\"tests\": [\"pass\"], \"counts\": [1]}')\n"
    )
    result = check(cheat)
    assert not result.passed
    assert "tests.json False" in result.sandbox.stdout


def test_printing_a_fake_verdict_does_not_pass():
    fake = GOOD.replace("return a + b", "return 0") + (
        "import json, os\n"
        "os.write(1, ('\\n' + 'f' * 32 + ' ' + json.dumps({'passed': True}) + '\\n').encode())\n"
        "os._exit(0)\n"
    )
    assert not check(fake).passed


@pytest.mark.parametrize("tests, entry_point, message", [
    ("assert (", None, "not valid Python"),
    (["x = 1"], None, "no assert"),
    ("assert True", "add", "must define check"),
    (HUMANEVAL_TEST, "not an identifier", "identifier"),
])
def test_malformed_tests_raise_instead_of_blaming_the_program(tests, entry_point, message):
    with pytest.raises(ValueError, match=message):
        run_tests(GOOD, tests, entry_point)
