"""Read the game's texts back: the host's Yes/No in an observation, the category in an instruction,
and an LLM host's reply (accepted only when it is exactly one of the allowed words)."""

from __future__ import annotations

import re

from curiosa.envs.twenty_questions.catalogue import Category, category_by_name

_REPLY_LINE = re.compile(r"^(?P<reply>Yes|No|Goal reached)\b", re.MULTILINE)
_CATEGORY_LINE = re.compile(r"^Category: (?P<category>[a-z ]+)$", re.MULTILINE)
_LLM_REPLY = re.compile(r"^(yes|no|goal reached)$")


def parse_reply(observation: str) -> str | None:
    """"yes", "no" or "goal" for an observation that answers a question or guess, else None."""
    m = _REPLY_LINE.match(observation.strip())
    if m is None:
        return None
    return {"Yes": "yes", "No": "no", "Goal reached": "goal"}[m.group("reply")]


def parse_category(instruction: str) -> Category | None:
    """The category announced in an instruction."""
    m = _CATEGORY_LINE.search(instruction)
    return category_by_name(m.group("category")) if m else None


def extract_llm_reply(text: str) -> str | None:
    """"Yes", "No" or "Goal reached" when the simulator's text is exactly one of them, else None."""
    if not isinstance(text, str):
        return None
    cleaned = re.sub(r"[^a-z ]+", " ", text.lower())
    cleaned = " ".join(cleaned.split())
    m = _LLM_REPLY.match(cleaned)
    if m is None:
        return None
    return {"yes": "Yes", "no": "No", "goal reached": "Goal reached"}[m.group(1)]
