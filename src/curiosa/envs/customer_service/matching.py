"""Matching free text against the manual's fix patterns and topic keywords (syntax in ``manual.py``)."""

from __future__ import annotations

import re
from functools import lru_cache

from curiosa.envs.customer_service.manual import Product, product_topics

_APOSTROPHES = re.compile(r"['\u2019`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


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
