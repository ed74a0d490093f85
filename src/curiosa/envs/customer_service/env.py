"""The customer service env: the instruction, the offline customer's turn, and the LLM-mode hooks.

Hidden state (``Task.params``): ``{"product", "fault", "complaint" (the opening's complaint key, "vague" for
openings such as "Something is wrong with my fridge."), "opening", "symptom" (the fault's own complaint
wording, told when asked what exactly goes wrong), "name", "model", "age", "since", "tried": [phrases],
"tried_fault": key | None}``.

Offline simulator, one message at a time (the Answer line, free text, read by ``parsing.read_move``):
1. A sentence that proposes a manual fix of this product ("Please clean the filter", "Could you try
   cleaning the filter?") is a fix attempt. Exactly one fix named: the customer tries it; the true
   fix wins, any other fails. Several fixes in one message: the customer asks for one at a time.
   A question about the past ("Have you cleaned the filter?") is not a proposal: the customer says
   whether they already did it. Other questions mentioning a fix ("Is the filter clean?") are asked
   about their topic.
2. Otherwise an instruction with an action verb that asks nothing back ("Restart it", "Could you
   replace the power supply?") is a fix outside the manual: it fails. ("Turn it on and tell me what
   the lights do" is a question.)
3. Otherwise the message is mapped to ONE diagnostic topic by keyword matching (the best-weighted
   keyword wins, ties go to the earliest in the message; a message with several questions gets the
   answer to that one topic only) and the customer says in plain words what it shows for this fault.
4. Anything else gets the fixed reply "I'm not sure what you mean, I'm not very technical."
Every message uses a turn. After ``max_failed_fixes`` failed fixes the customer gives up (loss).
Feedback: ``{"reply", "kind": "question"|"fix"|"unknown", "topic", "fixed", "failed_fixes"}``.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from curiosa.envs.base import Outcome
from curiosa.envs.customer_service.answers import (
    ALREADY_REPLY, ASKED_NO, ASKED_YES, GIVE_UP, MULTI_REPLY, NA_REPLY, SUCCESS_REPLY, UNKNOWN_REPLY, WRONG_REPLY,
    manual_reply, tried_reply,
)
from curiosa.envs.customer_service.manual import GLOBAL_ORDER, PRODUCT_BY_KEY, Fault, Product, product_topics
from curiosa.envs.customer_service.matching import matched_faults
from curiosa.envs.customer_service.parsing import read_move
from curiosa.envs.customer_service.scenarios import N_TEST, N_TRAIN, build_scenarios
from curiosa.envs.dialogue import DialogueEnv, JudgeSpec
from curiosa.envs.task import Task, make_tasks
from curiosa.envs.text import REPLY_FORMAT

MAX_FAILED_FIXES = 2
EXAMPLE_FIX = "Please turn it off, wait ten seconds and turn it back on."
"""The instruction's example of a suggested fix (it is no product's real fix)."""


class CustomerServiceEnv(DialogueEnv):
    """Diagnose a customer's product fault by asking questions and suggest the right fix within 20 turns."""

    group: ClassVar[str] = "customer_service"
    max_turns: ClassVar[int] = 20
    simulator_role: ClassVar[str] = "the customer"
    max_failed_fixes: ClassVar[int] = MAX_FAILED_FIXES

    @classmethod
    def build_tasks(cls, split: str) -> list[Task]:
        n = N_TEST if split == "test" else N_TRAIN
        return make_tasks(cls.group, split, build_scenarios(split, n))

    # ----------------------------------------------------------------------------- setup
    def _start(self) -> str:
        assert self.task is not None
        p = self.task.params
        self.product: Product = PRODUCT_BY_KEY[p["product"]]
        self.fault: Fault = self.product.fault(p["fault"])
        self.complaint: str = p["complaint"]
        self.name: str = p["name"]
        self.failed = 0
        name = self.name
        return (
            f"You are a customer support agent talking to a customer, {name}.\n"
            f"Product: {self.product.name} ({p['model']}, {p['age']})\n"
            f'{name} says: "{p["opening"]}"\n'
            f"Find out what is wrong and tell {name} how to fix it. Each turn, ask one question or suggest one fix. "
            f"{name} is not technical: they only answer what you ask (lights, noises, messages, smells, when it "
            f"started, what they tried...) and cannot guess the cause.\n"
            f"You win when {name} tries the right fix. After {self.max_failed_fixes} fixes that do not work, "
            f"{name} gives up. You have {self.max_turns} turns.\n"
            f"Examples: 'Answer: Are any lights blinking on it?' or 'Answer: {EXAMPLE_FIX}'\n\n"
            f"{REPLY_FORMAT}"
        )

    # ----------------------------------------------------------------------------- answers
    def topic_answer(self, topic: str) -> str:
        assert self.task is not None
        if topic == "tried":
            return tried_reply(self.task.params["tried"])
        if topic == "symptom":
            return self.task.params["symptom"]
        if topic == "about":
            return f"It's the {self.task.params['model']}, {self.task.params['age']}."
        reply = manual_reply(self.product, self.fault, topic)
        return self.task.params["since"] if reply is None else reply

    def _status_line(self) -> str:
        left = self.max_turns - self.turn
        return f"Turns left: {left}. Failed fixes: {self.failed} of {self.max_failed_fixes}."

    def _status(self) -> dict[str, Any]:
        return {"failed_fixes": self.failed}

    def _say(self, reply: str, kind: str, topic: str | None, *, fixed: bool = False, done: bool = False,
             tail: str | None = None) -> Outcome:
        feedback = {"reply": reply, "kind": kind, "topic": topic, "fixed": fixed, "failed_fixes": self.failed}
        text = f"{self.name}: {reply}\n{tail if tail is not None else self._status_line()}"
        return Outcome(text, feedback, done=done, success=fixed)

    def _offline_play(self, move: str) -> Outcome:
        assert self.task is not None
        kind, topic, faults = read_move(self.product, move)
        if kind == "multi":
            return self._say(MULTI_REPLY, "fix", None)
        if kind == "fix":
            if faults[0] == self.fault.key:
                return self._say(SUCCESS_REPLY, "fix", None, fixed=True, done=True,
                                 tail="The problem is solved. You win!")
            return self._failed_fix(ALREADY_REPLY if faults[0] == self.task.params["tried_fault"] else WRONG_REPLY)
        if kind == "action":
            return self._failed_fix(WRONG_REPLY)
        if kind == "asked":
            done_before = self.task.params["tried_fault"] in faults
            return self._say(ASKED_YES if done_before else ASKED_NO, "question", "tried")
        if kind == "question":
            assert topic is not None
            return self._say(self.topic_answer(topic), "question", topic)
        return self._say(UNKNOWN_REPLY, "unknown", None)

    def _failed_fix(self, reply: str) -> Outcome:
        self.failed += 1
        if self.failed >= self.max_failed_fixes:
            return self._say(reply + GIVE_UP.format(n=self.failed), "fix", None, done=True,
                             tail=f"{self.name} has given up. The game is over.")
        return self._say(reply, "fix", None)

    def _reveal(self) -> str:
        return f"The problem was {self.fault.name}. The fix: {self.fault.fix}"

    # ----------------------------------------------------------------------------- LLM mode
    def scenario_facts(self) -> list[tuple[str, str]]:
        """(topic label, what the customer says) for every topic with something to say in this scenario."""
        topics = product_topics(self.product)
        facts = []
        for key in GLOBAL_ORDER + tuple(self.product.topics):
            answer = self.topic_answer(key)
            if answer != NA_REPLY:
                facts.append((topics[key].label, answer))
        return facts

    def llm_simulator_prompt(self) -> str:
        assert self.task is not None
        p = self.task.params
        facts = "\n".join(f"- {label}: {answer}" for label, answer in self.scenario_facts())
        return (
            f"You are role-playing {self.name}, a customer who is not technical, talking to a support agent about "
            f"your {self.product.name} ({p['model']}, {p['age']}). You started the conversation with: \"{p['opening']}\"\n"
            f"What you know, to be told only when the agent asks about that thing:\n{facts}\n"
            f"- anything else: you haven't noticed anything like that.\n"
            f"Secret, never say it or hint at it: the real cause is {self.fault.name}, and the only fix that works is: "
            f"{self.fault.fix}\n"
            f"Rules: reply in one or two short sentences of plain everyday words, no technical terms. Answer only "
            f"what was asked; if the agent asks several things at once, answer only the first. Never name the cause "
            f"and never suggest the fix yourself. If the agent tells you to do something, pretend you did it: say it "
            f"is fixed only if it is the fix above or an equivalent action, otherwise say it did not help. If you do "
            f"not understand a message, say \"{UNKNOWN_REPLY}\"\n"
            f"Write only {self.name}'s words: no name or role prefix, no quotation marks, no stage directions."
        )

    def llm_extract_reply(self, text: str) -> str | None:
        if not isinstance(text, str):
            return None
        reply = text.strip()
        names = [re.escape(n) for n in ("customer", "assistant", "user", "reply", "answer", "response",
                                        getattr(self, "name", "customer"))]
        prefix = re.compile(r"^[\s*_#>`]*(?:" + "|".join(names) + r")[\s*_`]*[:\-][\s*_`]*", re.IGNORECASE)
        for _ in range(3):
            stripped = prefix.sub("", reply, count=1).strip()
            if stripped == reply:
                break
            reply = stripped
        reply = reply.strip().strip('"\u201c\u201d').strip()
        if not reply or self.fault.key in matched_faults(self.product, reply):
            return None  # empty, or the customer would be giving the fix away
        return reply

    def llm_feedback(self, move: str, label: str) -> dict[str, Any]:
        kind, topic, _ = read_move(self.product, move)
        if label == "yes" or kind in ("fix", "multi", "action"):
            return {"kind": "fix", "topic": None, "fixed": label == "yes", "failed_fixes": None}
        return {"kind": "question" if topic else "unknown", "topic": topic, "fixed": False, "failed_fixes": None}

    def llm_judge(self, move: str) -> JudgeSpec:
        fix = self.fault.fix.rstrip(".")
        return JudgeSpec(
            question=f"Does the message propose to {fix[0].lower() + fix[1:]} (or an equivalent action) as the fix?",
            labels={"yes": (True, True), "no": (False, False)},
        )
