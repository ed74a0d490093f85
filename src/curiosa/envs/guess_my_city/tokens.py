"""Text folded to ASCII and split into tokens: the one form in which names and moves are compared.

A name's key (:func:`phrase`) is its tuple of lower-case tokens, so 'São Paulo', 'Sao-Paulo' and
'sao paulo' match, and so do 'St. John's' and 'St Johns'.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from curiosa.envs.guess_my_city.tables import transliterations

_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[A-Za-z]+|[<>+\-]")
_SENTENCE_BREAK = re.compile(r"[.?!:;]")


@lru_cache(maxsize=1)
def _translation() -> dict[int, str]:
    return str.maketrans(transliterations())


def ascii_fold(text: str) -> str:
    """``text`` with accents removed and other letters transliterated; non-ASCII leftovers dropped."""
    text = str(text)
    if text.isascii():
        return text.replace("`", "'")
    text = unicodedata.normalize("NFKD", text.translate(_translation()))
    return "".join(c for c in text if not unicodedata.combining(c)).encode("ascii", "ignore").decode("ascii")


@dataclass(frozen=True)
class Token:
    low: str
    """Lower-case form used for matching (numbers without thousands separators)."""
    cased: str
    """As written (after folding to ASCII)."""
    start: bool
    """First word of a sentence (capitalisation there says nothing)."""


def tokenize(text: str) -> list[Token]:
    """Words, numbers and the signs ``+ - < >`` of ``text``, folded to ASCII; apostrophes dropped."""
    folded = ascii_fold(text).replace("'", "")
    tokens: list[Token] = []
    last_end = 0
    for m in _TOKEN.finditer(folded):
        raw = m.group()
        start = not tokens or bool(_SENTENCE_BREAK.search(folded[last_end:m.start()]))
        last_end = m.end()
        if raw[0].isdigit():
            raw = _clean_number(raw)
        elif raw in "+-":
            nxt = folded[m.end():m.end() + 1]
            prev_is_number = bool(tokens) and tokens[-1].low[0].isdigit()
            if not nxt.isdigit() or (raw == "-" and prev_is_number):
                continue  # hyphen inside a word, or a range dash: not a sign
        tokens.append(Token(raw.lower(), raw, start))
    return tokens


def _clean_number(raw: str) -> str:
    """'1,000,000' -> '1000000', '2,5' -> '2.5', '1.000.000' -> '1000000'; times ('5:30') unchanged."""
    if ":" in raw:
        return raw
    if "," in raw:
        parts = raw.split(",")
        if all(len(p) == 3 for p in parts[1:]):
            raw = "".join(parts)
        else:
            raw = raw.replace(",", ".")
    if raw.count(".") > 1:
        raw = raw.replace(".", "")
    return raw


def phrase(text: str) -> tuple[str, ...]:
    """The matching key of a name: its lower-case tokens."""
    return tuple(t.low for t in tokenize(text))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Words that English writes in lower case (web2): such city names count only when capitalised."""
    import english_words

    web2 = english_words.get_english_words_set(["web2"], lower=False, alpha=True)
    return frozenset(w for w in web2 if w.islower())


def needs_capital(key: tuple[str, ...]) -> bool:
    """A one-word name that is also an English word ('nice') or very short: a city only if capitalised."""
    return len(key) == 1 and (key[0] in common_words() or len(key[0]) <= 3)


def capitalised(tokens: Sequence[Token]) -> bool:
    """Every token starts with a capital, and the first is not a sentence's first word."""
    return all(t.cased[:1].isupper() for t in tokens) and not tokens[0].start
