"""The base of the code tasks: read the code of a reply, compile it, and let the task's tests decide."""

from __future__ import annotations

from typing import ClassVar

from curiosa.envs.base import FormatError
from curiosa.envs.code_tasks.judging import DEFAULT_TIMEOUT, TestRun, syntax_error
from curiosa.envs.code_tasks.replies import CODE_REPLY_FORMAT, extract_code
from curiosa.envs.self_correction import SelfCorrectionEnv, Verdict
from curiosa.envs.text import MAX_ACTION_CHARS


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
