"""The offline host: its reply to a move about a known secret.

A guess that names the secret wins; any other guess is answered No. A question gets the secret's
yes/no value (see :meth:`Interpretation.value`). A yes/no question the catalogue does not record gets
a short, honest "I'm not sure." (``feedback["answer"] == "unsure"``), an open question ("What colour
is it?") a reminder that the host answers only yes or no, and a move that is neither one fixed
explanation. Every move uses a turn; none of them is an invalid move.
"""

from __future__ import annotations

from curiosa.envs.base import Outcome
from curiosa.envs.twenty_questions.catalogue import Entity
from curiosa.envs.twenty_questions.questions import interpret, is_open_question

UNKNOWN_REPLY = (
    "I can only answer yes/no questions about the secret's properties, or a guess that names it; "
    "I could not understand that question."
)
UNSURE_REPLY = "I'm not sure."
OPEN_QUESTION_REPLY = "I can only answer yes or no."


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
    if reading.kind == "unsure":
        return Outcome(_with_turns(UNSURE_REPLY, turns_left), feedback={
            "reply": UNSURE_REPLY, "kind": "question", "answer": "unsure", "attribute": None})
    reply = OPEN_QUESTION_REPLY if is_open_question(move) else UNKNOWN_REPLY
    return Outcome(_with_turns(reply, turns_left), feedback={
        "reply": reply, "kind": "unknown", "answer": None, "attribute": None})


def _with_turns(reply: str, left: int) -> str:
    if left <= 0:
        return reply
    turns = "1 turn left." if left == 1 else f"{left} turns left."
    return f"{reply} {turns}"
