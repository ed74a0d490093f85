"""Scripted customer-service agents.

All three read the product and the complaint from the instruction and the customer's replies from the
observations, and use the public fault manual (``curiosa.envs.customer_service.manual``), never the task.

expert: keeps the manual's faults for the complaint that fit every answer so far (and drops fixes
that failed or that the customer already tried), asks the question whose expected answer splits the
remaining faults best (smallest expected number left), and proposes the fix once one fault is left.
heuristic: a novice with the manual: asks what was tried, when it started and about error messages,
then tries the complaint's fixes in manual order, skipping what the customer already tried.
random: random questions about any topic, or a random fix from the product's manual.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from curiosa.envs.customer_service import (
    ASKED_YES, VAGUE, Fault, Product, candidates, complaint_of, consistent, manual_class, matched_faults,
    parse_customer, parse_instruction, product_topics, read_move,
)
from curiosa.policies.base import ScriptedPolicy, View, choice

GENERIC_QUESTIONS = ("symptom", "tried", "when")
"""What the heuristic asks first, whatever the product (the symptom only after a vague opening)."""


@dataclass
class _State:
    product: Product
    complaint: str
    name: str
    asked: list[str] = field(default_factory=list)
    """Topics asked about so far."""
    tried_text: str | None = None
    """The customer's answer about what they already tried."""
    ruled_out: set[str] = field(default_factory=set)
    """Faults excluded by failed fixes or by what the customer already did."""
    answers: list[tuple[str, str]] = field(default_factory=list)
    """(topic, reply) pairs."""

    def remaining(self) -> list[Fault]:
        out = []
        for f in candidates(self.product, self.complaint):
            if f.key in self.ruled_out:
                continue
            if all(consistent(self.product, f, t, r) for t, r in self.answers):
                out.append(f)
        return out


def _read(view: View) -> _State | None:
    parsed = parse_instruction(view.instruction)
    if parsed is None:
        return None
    product, complaint, name = parsed
    state = _State(product, complaint, name)
    for answer, observation in zip(view.answers, view.observations):
        if answer is None:
            continue
        reply = parse_customer(observation, name)
        if reply is None:
            continue
        kind, topic, faults = read_move(product, answer)
        if kind == "fix":
            state.ruled_out.add(faults[0])  # the game went on, so it was not the fix
        elif kind == "asked" and reply == ASKED_YES and len(faults) == 1:
            state.ruled_out.add(faults[0])  # already done before the call, and it did not help
        if kind != "question" or topic is None:
            continue
        state.asked.append(topic)
        if topic == "tried":
            state.tried_text = reply
            state.ruled_out.update(matched_faults(product, reply))
        elif topic == "symptom" and complaint_of(product, reply) not in (None, VAGUE):
            state.complaint = complaint_of(product, reply)
        else:
            state.answers.append((topic, reply))
    return state


def _names(faults: list[Fault]) -> str:
    shorts = [f.short for f in faults]
    if len(shorts) > 3:
        return f"any of {len(shorts)} causes"
    return shorts[0] if len(shorts) == 1 else ", ".join(shorts[:-1]) + " or " + shorts[-1]


class CustomerServicePolicy(ScriptedPolicy):
    game = "customer_service"

    # ----------------------------------------------------------------------------- moves
    def _question(self, state: _State, topic: str) -> str:
        return choice(self.rng, product_topics(state.product)[topic].questions)

    def _fix(self, fault: Fault) -> str:
        text = fault.fix
        lower = text[0].lower() + text[1:]
        return choice(self.rng, (text, f"Please {lower}", f"Could you {lower.rstrip('.')}?"))

    # ----------------------------------------------------------------------------- random
    def random(self, view: View) -> tuple[str, str]:
        state = _read(view)
        if state is None:
            return "I cannot tell what the product is, so I ask a general question.", "What seems to be the problem?"
        if self.rng.random() < 0.5:
            fault = choice(self.rng, state.product.faults)
            return f"I'll just try a fix from the {state.product.name} manual at random.", self._fix(fault)
        topic = choice(self.rng, list(product_topics(state.product)))
        label = product_topics(state.product)[topic].label
        return f"I ask about {label}, picked at random.", self._question(state, topic)

    # ----------------------------------------------------------------------------- heuristic
    def heuristic(self, view: View) -> tuple[str, str]:
        state = _read(view)
        if state is None:
            return self.random(view)
        for topic in GENERIC_QUESTIONS:
            if topic == "symptom" and state.complaint != VAGUE:
                continue
            if topic not in state.asked:
                label = product_topics(state.product)[topic].label
                return f"Before trying anything, a standard question about {label}.", self._question(state, topic)
        options = [f for f in candidates(state.product, state.complaint) if f.key not in state.ruled_out]
        if not options:
            options = [f for f in state.product.faults if f.key not in state.ruled_out] or list(state.product.faults)
        fault = options[0]
        return (f"The manual's next fix for this complaint is for {fault.short}, so I suggest it.",
                self._fix(fault))

    # ----------------------------------------------------------------------------- expert
    def expert(self, view: View) -> tuple[str, str]:
        state = _read(view)
        if state is None:
            return self.random(view)
        remaining = state.remaining()
        if not remaining:  # answers contradict the manual (cannot happen with the offline customer)
            return self.heuristic(view)
        if len(remaining) == 1:
            fault = remaining[0]
            n = len(candidates(state.product, state.complaint))
            return (f"Of the {n} causes the manual lists for this, only {fault.short} fits what {state.name} told me.",
                    self._fix(fault))
        topic, groups = self._best_topic(state, remaining)
        if topic is None:
            fault = remaining[0]
            return f"No question can separate {_names(remaining)}, so I try the fix for {fault.short}.", self._fix(fault)
        label = product_topics(state.product)[topic].label
        if groups == len(remaining):
            thought = f"It could be {_names(remaining)}; asking about {label} tells them all apart."
        else:
            thought = f"It could be {_names(remaining)}; {label} narrows it down the most."
        return thought, self._question(state, topic)

    def _best_topic(self, state: _State, remaining: list[Fault]) -> tuple[str | None, int]:
        """The unasked topic with the smallest expected number of faults left after its answer."""
        best: list[str] = []
        best_score = len(remaining) ** 2
        best_groups = 1
        for topic in product_topics(state.product):
            if topic == "tried" or topic in state.asked:
                continue
            classes: dict[str, int] = {}
            for f in remaining:
                key = manual_class(state.product, f, topic)
                classes[key] = classes.get(key, 0) + 1
            score = sum(c * c for c in classes.values())
            if score < best_score:
                best, best_score, best_groups = [topic], score, len(classes)
            elif score == best_score and best:
                best.append(topic)
        if not best:
            return None, 1
        return choice(self.rng, best), best_groups
