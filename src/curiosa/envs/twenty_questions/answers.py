"""The offline host: its reply to a move about a known secret.

A guess that names the secret wins; any other guess is answered No. A question gets the secret's
yes/no value (see :meth:`Interpretation.value`), and a move that is neither gets one fixed reply.
Every move uses a turn.
"""

from __future__ import annotations

from curiosa.envs.base import Outcome
from curiosa.envs.twenty_questions.catalogue import Entity
from curiosa.envs.twenty_questions.questions import interpret

UNKNOWN_REPLY = (
    "I can only answer yes/no questions about the secret's properties, or a guess that names it; "
    "I could not understand that question."
)


def answer(move: str, category_id: str, secret: Entity, turns_left: int) -> Outcome:
    """The host's reply to ``move`` when the secret is ``secret``, with the turns left after it."""
    reading = interpret(move, category_id)
    if reading.kind == "guess":
        feedback = {"kind": "guess", "attribute": None,
                    "guess": reading.entity.name if reading.entity else reading.guess_text}
        if reading.entity is secret:
            reply = f"Goal reached! You guessed it: {secret.name}."
            return Outcome(reply, feedback={"reply": reply, **feedback, "answer": "goal"}, done=True, success=True)
        reply = "No."
        return Outcome(_with_turns(reply, turns_left), feedback={"reply": reply, **feedback, "answer": "no"})
    if reading.kind == "question":
        yes = reading.value(secret)
        reply = "Yes." if yes else "No."
        return Outcome(_with_turns(reply, turns_left), feedback={
            "reply": reply, "kind": "question", "answer": "yes" if yes else "no", "attribute": reading.attribute})
    return Outcome(_with_turns(UNKNOWN_REPLY, turns_left), feedback={
        "reply": UNKNOWN_REPLY, "kind": "unknown", "answer": None, "attribute": None})


def _with_turns(reply: str, left: int) -> str:
    if left <= 0:
        return reply
    turns = "1 turn left." if left == 1 else f"{left} turns left."
    return f"{reply} {turns}"
