"""The environment: tasks cut from the problem pool, the instruction, and exact judging of the answer."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, ClassVar

from curiosa.envs.base import FormatError
from curiosa.envs.math_answers import extract_math_answer, format_number, parse_answer
from curiosa.envs.math_synthetic.pool import PER_LEVEL, problem_pool
from curiosa.envs.math_synthetic.problems import GROUP, MATH_REPLY_FORMAT, write_instruction
from curiosa.envs.self_correction import SelfCorrectionEnv, Verdict
from curiosa.envs.task import Task, make_tasks, stable_rng
from curiosa.envs.text import quote


class MathSyntheticEnv(SelfCorrectionEnv):
    """Solve a generated math problem, then (turn 2) review the solution and answer again."""

    group: ClassVar[str] = GROUP

    @classmethod
    def build_tasks(cls, split: str) -> list[Task]:
        params: list[dict[str, Any]] = []
        offset = 0
        for s in ("train", "test"):
            if s == split:
                for level, records in problem_pool().items():
                    order = stable_rng(GROUP, "split", level).permutation(len(records))
                    params += [dict(records[int(j)]) for j in order[offset:offset + PER_LEVEL[s]]]
            offset += PER_LEVEL[s]
        mixed = stable_rng(GROUP, "order", split).permutation(len(params))
        return make_tasks(GROUP, split, [params[int(i)] for i in mixed])

    def _problem_prompt(self) -> str:
        assert self.task is not None
        p = self.task.params
        return write_instruction(int(p["difficulty"]), str(p["problem"]))

    def parse_reply(self, reply: str) -> Fraction:
        """The exact number of the reply's ``Answer:`` line (or, lacking one, of its last ``\\boxed{}``)."""
        answer = extract_math_answer(reply)
        if answer is None:
            raise FormatError("no 'Answer:' line found. " + MATH_REPLY_FORMAT)
        return self._parse(answer)

    def _parse(self, answer: str) -> Fraction:
        assert self.task is not None
        try:
            return parse_answer(answer, str(self.task.params.get("variable") or "") or None)
        except (ValueError, ArithmeticError, RecursionError, OverflowError) as err:
            raise FormatError(f"{quote(answer)} is not a single exact number ({err}). "
                              "End with a line such as 'Answer: 12' or 'Answer: -7/4'.") from None

    def _judge(self, move: Fraction) -> Verdict:
        assert self.task is not None
        expected = Fraction(str(self.task.params["answer"]))
        return Verdict(move == expected, {"answer": format_number(move)})

    def _expected(self) -> str:
        assert self.task is not None
        return str(self.task.params["answer"])
