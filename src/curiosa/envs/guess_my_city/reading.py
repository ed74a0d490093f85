"""Reading a move: its tokens and the names it mentions (countries, places, languages, currencies, cities).

Names are found longest first, so 'New York City' is one city and 'South Africa' one country. A word
that is both a name and something else is read by its context: 'real' is a currency only in a question
about money, 'Nice' a city only when capitalised or plainly guessed ('is it nice?'), and a lower-case
name after 'a' or 'an' describes the city instead of naming one ('is it a university city?').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Sequence

from curiosa.envs.guess_my_city.names import (
    MAX_NAME_TOKENS, Key, city_index, country_index, currency_codes, currency_index, language_index, region_index,
    subdivision_index,
)
from curiosa.envs.guess_my_city.tables import ambiguous_currency_words, country_abbreviations
from curiosa.envs.guess_my_city.tokens import Token, capitalised, needs_capital, tokenize

LANGUAGE_CONTEXT = r"\b(speak|speaks|spoke|spoken|speaking|speakers?|languages?|tongue|dialects?|lingua)\b"
MONEY_CONTEXT = r"\b(currency|currencies|money|cash|coins?|banknotes?|notes|pay|paid|tender|monetary)\b"
GUESS_LEAD = re.compile(
    r"^ (?:(?:so|ok|okay|then|well|hmm|is it|it is|its|is the city|the city is|is this|could it be|might it be|"
    r"can it be|maybe|perhaps|i guess|my guess is|my guess|my final guess is|my final answer is|final answer|"
    r"guess|i think it is|i think its|i believe it is|i say|are you thinking of|were you thinking of|"
    r"you are thinking of|is your city|your city is|the answer is|answer|it must be|must be|then it is) )+"
)
"""Words that only introduce a guess, at the start of a move's lower-case text (see :attr:`Reading.text`)."""


@dataclass
class Mention:
    kind: str
    """'country', 'subdivision', 'region', 'language', 'currency', 'city' or 'secret'."""
    start: int
    end: int
    value: Any


@dataclass
class Reading:
    """A move split into tokens and the names it mentions."""

    tokens: list[Token]
    text: str
    """Lower-case tokens joined by single spaces, with a space at each end."""
    mentions: list[Mention] = field(default_factory=list)

    def of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]

    @cached_property
    def masked(self) -> str:
        """``text`` with every name replaced by its kind in capitals (``COUNTRY``), so names never read as
        keywords (the 'coast' of Ivory Coast)."""
        words = [t.low for t in self.tokens]
        for m in sorted(self.mentions, key=lambda m: -m.start):
            words[m.start:m.end] = [m.kind.upper()]
        return " " + " ".join(words) + " "

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.masked) is not None


def read(move: str, secret_keys: frozenset[Key] = frozenset()) -> Reading:
    """Tokenize ``move`` and find the names in it (longest match first; ties: secret, country, ...)."""
    tokens = tokenize(move)
    words = [t.low for t in tokens]
    reading = Reading(tokens, " " + " ".join(words) + " ")
    language_context = re.search(LANGUAGE_CONTEXT, reading.text) is not None
    money_context = re.search(MONEY_CONTEXT, reading.text) is not None
    countries, subdivisions, regions = country_index(), subdivision_index(), region_index()
    languages, currencies, cities = language_index(), currency_index(), city_index()
    codes = currency_codes()
    abbreviations, ambiguous = country_abbreviations(), ambiguous_currency_words()
    i = 0
    while i < len(tokens):
        found = None
        for n in range(min(MAX_NAME_TOKENS, len(tokens) - i), 0, -1):
            key = tuple(words[i:i + n])
            span = tokens[i:i + n]
            city_ok = (key in secret_keys or key in cities) and (
                not needs_capital(key) or capitalised(span) or _guess_frame(words, i, i + n)) and not (
                i > 0 and words[i - 1] in ("a", "an") and not capitalised(span))  # 'an old city' describes
            if n == 1 and money_context and span[0].cased in codes and span[0].cased.isupper():
                found = Mention("currency", i, i + 1, span[0].cased)
            elif key in secret_keys and city_ok:
                found = Mention("secret", i, i + n, key)
            elif n == 1 and span[0].cased in abbreviations:
                found = Mention("country", i, i + 1, frozenset({abbreviations[span[0].cased]}))
            elif n == 1 and span[0].cased in codes and span[0].cased.isupper():
                found = Mention("currency", i, i + 1, span[0].cased)
            elif key in countries:
                found = Mention("country", i, i + n, countries[key])
            elif key in subdivisions:
                found = Mention("subdivision", i, i + n, subdivisions[key])
            elif key in regions:
                found = Mention("region", i, i + n, regions[key])
            elif key in languages and (language_context or not (key in cities and city_ok)) and \
                    not (key in currencies and money_context and not language_context):
                found = Mention("language", i, i + n, languages[key])
            elif key in currencies and (money_context or key[0] not in ambiguous):
                found = Mention("currency", i, i + n, currencies[key])
            elif key in cities and city_ok:
                found = Mention("city", i, i + n, cities[key])
            if found:
                break
        if found:
            reading.mentions.append(found)
            i = found.end
        else:
            i += 1
    return reading


def _guess_frame(words: Sequence[str], start: int, end: int) -> bool:
    """The words before ``start`` only introduce a guess ('is it', 'my guess is') and nothing but a
    country follows: then a name that is also an ordinary word ('nice', 'split') is a city."""
    lead = " " + " ".join(words[:start]) + " "
    if start and (GUESS_LEAD.fullmatch(lead) is None):
        return False
    rest = tuple(words[end:])
    countries = country_index()
    return not rest or rest in countries or (rest[0] in ("in", "of") and rest[1:] in countries)
