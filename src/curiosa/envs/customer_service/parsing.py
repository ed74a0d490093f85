"""How the offline customer reads an agent's message: a fix, several fixes, a question about the past,
an instruction outside the manual, a diagnostic question, or nothing it understands.

The word lists (openers, request lead-ins, action verbs...) live in ``data/vocabulary.json``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from curiosa.envs.customer_service.manual import Product, read_data
from curiosa.envs.customer_service.matching import match_topic, matched_faults, normalize

_SENTENCE = re.compile(r"[.!?;\n]+")


def _any_of(words: Sequence[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


@lru_cache(maxsize=1)
def _vocabulary() -> dict:
    return read_data("vocabulary.json")


@lru_cache(maxsize=1)
def _fillers() -> tuple[str, ...]:
    """Words that open a sentence without changing what kind of sentence it is ("ok", "thanks"...)."""
    return tuple(_vocabulary()["fillers"])


@lru_cache(maxsize=1)
def _requests() -> tuple[str, ...]:
    """Lead-ins that make what follows a request or suggestion ("please", "could you"...)."""
    return tuple(_vocabulary()["requests"])


@lru_cache(maxsize=1)
def _suggestion_leads() -> tuple[str, ...]:
    """Openers of a question that is really a suggestion ("can you", "why not"...)."""
    return tuple(_vocabulary()["suggestion_leads"])


@lru_cache(maxsize=1)
def _past_question() -> re.Pattern:
    past = _vocabulary()["past_question"]
    return re.compile(f"^ (?:{_any_of(past['auxiliaries'])} {_any_of(past['subjects'])}|"
                      f"{'|'.join(re.escape(w) for w in past['openers'])}) ")


@lru_cache(maxsize=1)
def _question() -> re.Pattern:
    return re.compile(f"^ {_any_of(_vocabulary()['question_openers'])} ")


@lru_cache(maxsize=1)
def _action_verbs() -> re.Pattern:
    # stems: "replac" matches replace, replacing, replaced...
    return re.compile(f"^ {_any_of(_vocabulary()['action_stems'])}" + r"\w*")


@lru_cache(maxsize=1)
def _diagnostic_request() -> re.Pattern:
    return re.compile(f" {_any_of(_vocabulary()['diagnostic_requests'])} ")


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
    norm = _strip_lead(normalize(sentence), _fillers())
    for lead in _suggestion_leads():
        if norm.startswith(f" {lead} "):
            return "suggestion"
    if _past_question().match(norm):
        return "past"
    if _question().match(norm):
        return "question"
    return "suggestion"


def is_action(sentence: str) -> bool:
    """Whether a sentence is an instruction to do something ("Try restarting it", "Please replace it")."""
    norm = _strip_lead(_strip_lead(normalize(sentence), _fillers()), _requests())
    return sentence_kind(sentence) == "suggestion" and bool(_action_verbs().match(norm))


def proposes_action(move: str) -> bool:
    """Whether a message tells the customer to do something (outside the manual's fixes) without asking
    them to report anything back: "Restart it", "Could you replace the power supply?"."""
    sentences = [s for s in _SENTENCE.split(move) if s.strip()]
    return any(is_action(s) for s in sentences) and not _diagnostic_request().search(normalize(move))


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
