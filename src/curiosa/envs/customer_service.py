"""Customer service: find a non-technical customer's hidden fault by asking questions, then suggest the fix.

Scenarios are built from per-product fault manuals (``customer_service_scenarios``): 16 products, 6
faults each, every fault with a canonical fix and its accepted phrasings, the complaints it
presents with, and the diagnostic facts that set it apart from the other faults of its product.
Customer details (name, model, age, opening wording, when it started, what they already tried) vary
per task; train and test customers have disjoint names, so the splits never share a hidden state.

Hidden state (``Task.params``): ``{"product", "fault", "complaint" (the opening's complaint key, "vague" for
openings such as "Something is wrong with my fridge."), "opening", "symptom" (the fault's own complaint
wording, told when asked what exactly goes wrong), "name", "model", "age", "since", "tried": [phrases],
"tried_fault": key | None}``.

Offline simulator, one message at a time (the Answer line, free text):
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

import json
import re
from functools import lru_cache
from typing import Any, ClassVar, Sequence

from curiosa.envs.base import Outcome
from curiosa.envs.customer_service_scenarios import (
    AGES, GLOBAL_ORDER, NA_REPLY, NAMES, PRODUCT_BY_KEY, PRODUCTS, SINCE, TOPICS, UNKNOWN_REPLY, VAGUE, VAGUE_OPENINGS,
    Fault, Product, Topic,
)
from curiosa.envs.dialogue import DialogueEnv, JudgeSpec
from curiosa.envs.task import Task, distinct_draws, make_tasks, stable_rng
from curiosa.envs.text import REPLY_FORMAT

N_TRAIN, N_TEST = 1000, 200
N_TEST_NAMES = 20
MAX_FAILED_FIXES = 2
VAGUE_SHARE = 0.4
"""Share of customers who open with a vague complaint ("Something is wrong with my fridge.")."""

SUCCESS_REPLY = "Okay, let me do that now... Oh, it works again! Thank you so much!"
WRONG_REPLY = "Okay, I did that, but it's still not working."
ALREADY_REPLY = "I already did that before I called, and it didn't help."
GIVE_UP = " That's {n} things that didn't work now. I give up, I'll take it to a repair shop."
EXAMPLE_FIX = "Please turn it off, wait ten seconds and turn it back on."
"""The instruction's example of a suggested fix (it is no product's real fix)."""
MULTI_REPLY = "That's a lot of different things. Which one should I do? Just tell me one thing to try, please."
ASKED_YES = "Yes, I already did that, but it didn't help."
ASKED_NO = "No, I haven't done that."

# ------------------------------------------------------------------------------------------ text matching
_APOSTROPHES = re.compile(r"['\u2019`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_SENTENCE = re.compile(r"[.!?;\n]+")


def normalize(text: str) -> str:
    """Lower case, apostrophes dropped ("don't" -> "dont"), other punctuation -> spaces, padded with spaces."""
    text = _APOSTROPHES.sub("", text.lower())
    return " " + _NON_WORD.sub(" ", text).strip() + " "


def _word_regex(word: str) -> str:
    if word.endswith("*"):
        return re.escape(word[:-1]) + r"\w*"
    return re.escape(word) + r"(?:s|es)?"


def _phrase_regex(phrase: str, gap: bool) -> str:
    words = normalize(phrase.replace("*", "qstarq")).replace("qstarq", "*").split()
    joiner = r"\s+(?:\w+\s+){0,3}?" if gap else r"\s+"
    return r"\b" + joiner.join(_word_regex(w) for w in words) + r"\b"


@lru_cache(maxsize=None)
def _alternatives(spec: str, gap: bool) -> re.Pattern:
    return re.compile("|".join(f"(?:{_phrase_regex(alt, gap)})" for alt in spec.split("|") if alt.strip()))


@lru_cache(maxsize=None)
def _fix_pattern(spec: str) -> tuple[re.Pattern, ...]:
    return tuple(_alternatives(group.strip(), True) for group in spec.split(" + "))


def fix_matches(pattern: str, text: str) -> bool:
    """Whether normalized ``text`` satisfies one fix pattern (every group present)."""
    return all(g.search(text) for g in _fix_pattern(pattern))


def matched_faults(product: Product, text: str) -> list[str]:
    """Keys of the product's faults whose fix ``text`` (any case/punctuation) mentions, in manual order."""
    norm = normalize(text)
    return [f.key for f in product.faults if any(fix_matches(p, norm) for p in f.patterns)]


def product_topics(product: Product) -> dict[str, Topic]:
    return {**TOPICS, **product.topics}


def match_topic(product: Product, text: str) -> str | None:
    """The one diagnostic topic a message asks about: best keyword weight, then earliest position."""
    norm = normalize(text)
    best: tuple[int, int] | None = None
    best_key = None
    for key, topic in product_topics(product).items():
        for weight, spec in topic.keywords.items():
            m = _alternatives(spec, False).search(norm)
            if m is None:
                continue
            score = (weight, -m.start())
            if best is None or score > best:
                best, best_key = score, key
    return best_key


# Words that open a sentence without changing what kind of sentence it is.
_FILLERS = ("ok", "okay", "alright", "all right", "great", "thanks", "thank you", "i see", "got it", "so", "well",
            "then", "now", "hmm", "right", "perfect", "good", "sure", "understood", "in that case", "next", "also",
            "and", "sorry", "oh", "ah", "hi", "hello", "dear", "alright then")
# Lead-ins that make what follows a request or suggestion.
_REQUESTS = ("please", "pls", "try to", "try", "you should", "you could", "you need to", "you must", "you can",
             "could you", "can you", "would you", "will you", "i suggest", "i recommend", "i would", "id", "lets",
             "let us", "go ahead and", "why dont you", "why not", "how about", "what about", "maybe", "perhaps",
             "just", "first", "you might want to", "you may want to", "we should", "we need to", "do you want to",
             "would you mind", "i think you should", "the fix is to", "the solution is to", "kindly", "simply")
_PAST_QUESTION = re.compile(r"^ (?:(?:have|has|had) (?:you|u|anyone|anybody|someone|somebody|they|he|she|it|we)|did|"
                            r"when did|when was|when have) ")
_QUESTION = re.compile(r"^ (?:is|are|was|were|does|do|what|which|where|how|why|who|will|would|should|could|can|"
                       r"may|might|any|anything) ")
_ACTION_VERBS = re.compile(
    r"^ (?:replac|repair|reset|restart|reboot|reinstall|install|updat|upgrad|clean|tighten|loosen|unplug|plug|"
    r"reconnect|disconnect|connect|refill|fill|recharg|charg|adjust|remov|buy|swap|chang|turn|switch|press|push|"
    r"pull|hold|clos|shut|descal|defrost|inflat|pump|oil|lubric|flush|wip|empty|emptie|mov|tak|bring|send|return|"
    r"call|contact|wait|put|use|using|set|tap|wash|rins|delet|uninstall|cancel|pay|leav|power cycl|factory|format|"
    r"run|fix|cut|reinsert|reseat|re insert|re seat|straighten|unblock|unclog|clear|scrap|brush|blow|vacuum|"
    r"level|centr|center|realign|pair|unpair|forget|rearrang|spray|lube|grease|hit|shake|kick|tap|jiggle)\w*")


def _strip_lead(norm: str, phrases: Sequence[str]) -> str:
    changed = True
    while changed:
        changed = False
        for p in phrases:
            if norm.startswith(f" {p} "):
                norm = norm[len(p) + 1:]
                changed = True
    return norm


def sentence_kind(sentence: str) -> str:
    """'past' (did you / have you...), 'question' (is it / what...), or 'suggestion' (anything else)."""
    norm = _strip_lead(normalize(sentence), _FILLERS)
    for lead in ("can you", "could you", "would you", "will you", "why dont you", "why not", "how about",
                 "what about", "do you want to", "would you mind", "would it help to", "how about you"):
        if norm.startswith(f" {lead} "):
            return "suggestion"
    if _PAST_QUESTION.match(norm):
        return "past"
    if _QUESTION.match(norm):
        return "question"
    return "suggestion"


def is_action(sentence: str) -> bool:
    """Whether a sentence is an instruction to do something ("Try restarting it", "Please replace it")."""
    norm = _strip_lead(_strip_lead(normalize(sentence), _FILLERS), _REQUESTS)
    return sentence_kind(sentence) == "suggestion" and bool(_ACTION_VERBS.match(norm))


_DIAGNOSTIC_REQUEST = re.compile(r" (?:tell me|let me know|what|how|describe|see|look|check|listen|notice|whether|if|"
                                 r"report|read) ")


def proposes_action(move: str) -> bool:
    """Whether a message tells the customer to do something (outside the manual's fixes) without asking
    them to report anything back: "Restart it", "Could you replace the power supply?"."""
    sentences = [s for s in _SENTENCE.split(move) if s.strip()]
    return any(is_action(s) for s in sentences) and not _DIAGNOSTIC_REQUEST.search(normalize(move))


def classify_fixes(product: Product, move: str) -> tuple[list[str], list[str]]:
    """(faults whose fix the message proposes, faults whose fix it asks the customer about in the past tense)."""
    proposed: list[str] = []
    asked: list[str] = []
    sentences = [s for s in _SENTENCE.split(move) if s.strip()]
    for sentence in sentences:
        keys = matched_faults(product, sentence)
        if not keys:
            continue
        kind = sentence_kind(sentence)
        target = proposed if kind == "suggestion" else asked if kind == "past" else None
        if target is not None:
            target += [k for k in keys if k not in target]
    if not proposed and not asked and len(sentences) > 1:
        keys = matched_faults(product, move)
        if keys and all(sentence_kind(s) == "suggestion" for s in sentences):
            proposed = keys
    return proposed, asked


def read_move(product: Product, move: str) -> tuple[str, str | None, list[str]]:
    """How the offline customer reads a message: ``(kind, topic, fault keys)`` with kind one of
    'fix' (one manual fix proposed), 'multi' (several), 'action' (a fix outside the manual), 'asked'
    (did you already do <manual fix>?), 'question' (a diagnostic topic) or 'unknown'."""
    proposed, asked = classify_fixes(product, move)
    if len(proposed) > 1:
        return "multi", None, proposed
    if proposed:
        return "fix", None, proposed
    if asked:
        return "asked", "tried", asked
    if proposes_action(move):
        return "action", None, []
    topic = match_topic(product, move)
    if topic is not None:
        return "question", topic, []
    return "unknown", None, []


# ------------------------------------------------------------------------------------------ the manual
def join_phrases(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def tried_reply(tried: Sequence[str]) -> str:
    if not tried:
        return "I haven't tried anything yet."
    return f"I already {join_phrases(tried)}, but it didn't help."


def manual_reply(product: Product, fault: Fault, topic: str) -> str | None:
    """What the customer says about ``topic`` for this fault; None when it depends on the customer's details
    ('tried', 'symptom', 'about', and 'when' for faults whose manual entry says nothing about the timing)."""
    if topic in ("tried", "symptom", "about"):
        return None
    t = product.aliases.get(topic, topic)
    if t in fault.facts:
        return fault.facts[t]
    if t == "when":
        return None
    for table in (product.complaint_facts.get(fault.complaint, {}), product.facts):
        if t in table:
            return table[t]
    return NA_REPLY


_DETAILS = "\x00details"


def manual_class(product: Product, fault: Fault, topic: str) -> str:
    """Which answer the manual predicts for ``topic`` (faults with equal classes cannot be told apart by it)."""
    if topic == "symptom":
        return "\x00complaint:" + fault.complaint
    reply = manual_reply(product, fault, topic)
    return _DETAILS if reply is None else reply


def consistent(product: Product, fault: Fault, topic: str, reply: str) -> bool:
    """Whether a customer's ``reply`` about ``topic`` fits ``fault`` (the expert's manual lookup)."""
    if topic == "tried":
        return fault.key not in matched_faults(product, reply)
    if topic == "symptom":
        return complaint_of(product, reply) in (fault.complaint, None, VAGUE)
    expected = manual_reply(product, fault, topic)
    if expected is not None:
        return expected == reply
    return reply not in {manual_reply(product, g, topic) for g in product.faults}


def candidates(product: Product, complaint: str) -> list[Fault]:
    """The manual's faults for a complaint (all of them for a vague one), in manual order."""
    return [f for f in product.faults if complaint in (VAGUE, f.complaint)]


def openings(product: Product, complaint: str) -> tuple[str, ...]:
    if complaint == VAGUE:
        return tuple(w.format(product=product.name) for w in VAGUE_OPENINGS)
    return tuple(product.complaints[complaint])


def complaint_of(product: Product, opening: str) -> str | None:
    """The complaint key of an opening wording (``VAGUE`` for the vague ones), or None."""
    for key in (*product.complaints, VAGUE):
        if opening in openings(product, key):
            return key
    return None


# ------------------------------------------------------------------------------------------ parsing helpers
_PRODUCT_LINE = re.compile(r"^Product: (?P<product>.+?) \((?P<details>.*)\)$", re.MULTILINE)
_OPENING_LINE = re.compile(r'^(?P<name>\w+) says: "(?P<opening>.*)"$', re.MULTILINE)
_PRODUCT_BY_NAME = {p.name: p for p in PRODUCTS}


def parse_instruction(instruction: str) -> tuple[Product, str, str] | None:
    """(product, complaint key, customer name) stated in the instruction, or None."""
    pm, om = _PRODUCT_LINE.search(instruction), _OPENING_LINE.search(instruction)
    if not pm or not om or pm.group("product") not in _PRODUCT_BY_NAME:
        return None
    product = _PRODUCT_BY_NAME[pm.group("product")]
    complaint = complaint_of(product, om.group("opening"))
    if complaint is None:
        return None
    return product, complaint, om.group("name")


def parse_customer(observation: str, name: str) -> str | None:
    """The customer's words in an observation (its first line, after '<name>: '), or None."""
    first = observation.split("\n", 1)[0]
    prefix = f"{name}: "
    return first[len(prefix):] if first.startswith(prefix) else None


# ------------------------------------------------------------------------------------------ scenarios
def _split_names(split: str) -> list[str]:
    order = stable_rng("customer_service", "names").permutation(len(NAMES))
    names = [NAMES[i] for i in order]
    return names[:N_TEST_NAMES] if split == "test" else names[N_TEST_NAMES:]


def build_scenarios(split: str, n: int) -> list[dict[str, Any]]:
    """``n`` distinct scenarios of one split; every fault appears about equally often."""
    rng = stable_rng("customer_service", "scenarios", split)
    names = _split_names(split)
    faults = [(p, f) for p in PRODUCTS for f in p.faults]
    order: list[int] = []
    pick = lambda seq: seq[int(rng.integers(len(seq)))]  # noqa: E731

    def draw() -> dict[str, Any] | None:
        if not order:
            order.extend(int(i) for i in rng.permutation(len(faults)))
        product, fault = faults[order.pop()]
        symptom = pick(product.complaints[fault.complaint])
        vague = rng.random() < VAGUE_SHARE
        tries = [product.tries[i] for i in sorted(rng.choice(len(product.tries), int(rng.integers(1, 3)), replace=False))]
        tried_fault = None
        if rng.random() < 0.5:
            other = pick([g for g in product.faults if g.key != fault.key])
            tried_fault = other.key
            tries.insert(int(rng.integers(len(tries) + 1)), other.tried)
        if matched_faults(product, tried_reply(tries)) != ([tried_fault] if tried_fault else []):
            return None  # the customer's words would hint at a fix they did not try
        return {
            "product": product.key, "fault": fault.key, "complaint": VAGUE if vague else fault.complaint,
            "opening": pick(openings(product, VAGUE)) if vague else symptom, "symptom": symptom,
            "name": pick(names), "model": pick(product.models),
            "age": pick(AGES), "since": pick(SINCE), "tried": tries, "tried_fault": tried_fault,
        }

    return distinct_draws(draw, n, key=lambda params: json.dumps(params, sort_keys=True))


# ------------------------------------------------------------------------------------------ the game
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
