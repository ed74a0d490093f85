"""Reduce a question to its content words, so that differently worded questions compare equal.

Questions and the catalogue's own phrasings go through the same steps: lower case and expanded
contractions (:func:`normalise`), then phrase rewrites, word synonyms, a light stemmer and the
removal of filler words (:func:`question_tokens`). The tables live in ``data/words.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

WORDS_FILE = Path(__file__).resolve().parent / "data" / "words.json"

# A negative auxiliary that opens a question ("isn't it", normalised to "is not it") asks the positive one.
_OPENING_NEGATION = re.compile(
    r"^(is|are|does|do|did|can|could|would|will|was|were|has|have|should) not (it|this|that|they|you|there)\b")


@dataclass(frozen=True)
class WordTables:
    """The word tables of ``data/words.json``, compiled."""

    contractions: tuple[tuple[re.Pattern[str], str], ...]
    numbers: dict[str, str]
    phrases: tuple[tuple[re.Pattern[str], str], ...]
    """Rewrites applied in order before tokenising (longer and more specific first)."""
    synonyms: dict[str, str]
    """Word (or its stem) -> the words it stands for ("" drops it)."""
    irregular_plurals: dict[str, str]
    stopwords: frozenset[str]
    """Words that never carry the content of a question."""
    function_words: frozenset[str]
    """The few words ignored when checking whether a question only names the category."""
    negations: frozenset[str]
    wh_words: frozenset[str]


@lru_cache(maxsize=1)
def word_tables() -> WordTables:
    """The packaged word tables, loaded once."""
    raw: dict[str, Any] = json.loads(WORDS_FILE.read_text(encoding="utf-8"))
    return WordTables(
        contractions=tuple((re.compile(p), r) for p, r in raw["contractions"]),
        numbers=dict(raw["numbers"]),
        phrases=tuple((re.compile(p), r) for p, r in raw["phrases"]),
        synonyms=dict(raw["synonyms"]),
        irregular_plurals=dict(raw["irregular_plurals"]),
        stopwords=frozenset(raw["stopwords"]),
        function_words=frozenset(raw["function_words"]),
        negations=frozenset(raw["negations"]),
        wh_words=frozenset(raw["wh_words"]),
    )


def normalise(text: str) -> str:
    """Lower case, expanded contractions, letters and digits only, single spaces."""
    tables = word_tables()
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("&", " and ")
    for pattern, repl in tables.contractions:
        text = pattern.sub(repl, text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(tables.numbers.get(w, w) for w in text.split())


def stem(word: str) -> str:
    """A light, consistent stemmer: both questions and catalogue phrasings go through it."""
    word = word_tables().irregular_plurals.get(word, word)
    if len(word) <= 3:
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return stem(word[: -len(suffix)] + repl)
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) >= len(suffix) + 3:
            word = word[: -len(suffix)]
            if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "ls":
                word = word[:-1]
            break
    if word.endswith("ly") and len(word) > 5:
        word = word[:-2]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


NEGATION_MARK = "\x00not"
"""Stands for a negation inside a synonym ("quiet" -> "not loud"): it flips the question."""


@lru_cache(maxsize=None)
def _canon_word(word: str) -> tuple[str, ...]:
    """The content tokens a word stands for (empty for filler words; ``NEGATION_MARK`` for a negation)."""
    tables = word_tables()
    if word in tables.stopwords:
        return ()
    mapped = tables.synonyms.get(word)
    if mapped is None:
        mapped = tables.synonyms.get(stem(word), word)
    return tuple(NEGATION_MARK if w in tables.negations else stem(w)
                 for w in mapped.split() if w and w not in tables.stopwords)


@dataclass(frozen=True)
class Tokens:
    """A question reduced to content tokens plus the parity of its negations."""

    content: tuple[str, ...]
    negated: bool


def rewrite(text: str) -> str:
    """A (normalised) question with its phrase rewrites applied: two wordings of one question often
    become the same text here ("made out of wood" and "made of wood")."""
    text = _OPENING_NEGATION.sub(r"\1 \2", text)
    for pattern, repl in word_tables().phrases:
        text = pattern.sub(repl, text)
    return " ".join(text.split())


def question_tokens(text: str) -> Tokens:
    """Content tokens of a (normalised) question, with negation parity.

    A negative auxiliary that opens the question ("is not it", from "isn't it") asks the positive
    question and is dropped; any other negation word flips the answer.
    """
    tables = word_tables()
    text = rewrite(text)
    negated = False
    content: list[str] = []
    for word in text.split():
        if word in tables.negations:
            negated = not negated
            continue
        for tok in _canon_word(word):
            if tok == NEGATION_MARK:
                negated = not negated
            elif tok not in content:
                content.append(tok)
    return Tokens(tuple(content), negated)
