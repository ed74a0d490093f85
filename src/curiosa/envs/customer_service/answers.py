"""What the offline customer says: its fixed replies and the manual's answer to each diagnostic topic."""

from __future__ import annotations

from typing import Sequence

from curiosa.envs.customer_service.manual import VAGUE, Fault, Product, complaint_of
from curiosa.envs.customer_service.matching import matched_faults

NA_REPLY = "Hmm, I haven't noticed anything like that."
UNKNOWN_REPLY = "I'm not sure what you mean, I'm not very technical."
SUCCESS_REPLY = "Okay, let me do that now... Oh, it works again! Thank you so much!"
WRONG_REPLY = "Okay, I did that, but it's still not working."
ALREADY_REPLY = "I already did that before I called, and it didn't help."
GIVE_UP = " That's {n} things that didn't work now. I give up, I'll take it to a repair shop."
MULTI_REPLY = "That's a lot of different things. Which one should I do? Just tell me one thing to try, please."
ASKED_YES = "Yes, I already did that, but it didn't help."
ASKED_NO = "No, I haven't done that."


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
