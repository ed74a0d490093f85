"""Telling a guess from a question, and judging it.

A guess names a city; any GeoNames name of the secret city counts (case and accents do not matter),
also as 'City, Country'. A city named as a reference ('Is it north of Rome?') is not a guess, nor is
one in a question about capitals ('Is the capital Berlin?') or distances ('Is it within 500 km of Rome?').
"""

from __future__ import annotations

from curiosa.envs.guess_my_city.names import all_name_keys
from curiosa.envs.guess_my_city.reading import GUESS_LEAD, Mention, Reading
from curiosa.envs.guess_my_city.tables import topic_words

_REFERENCE_BEFORE = frozenset("than near from like as to".split())
_DIRECTIONS = frozenset("north south east west northeast northwest southeast southwest".split())
_UNITS = frozenset("km kilometres kilometers kilometre kilometer miles mile".split())
"""'Within 500 km of Rome': a distance from a city names it as a reference."""
_NAME_GLUE = frozenset("de del la las los le les el al am an upon on sur der di da do dos das du of the y en "
                       "bin city saint st san santa".split())
"""Lower-case words inside place names ('Rio de Janeiro', 'Saint Petersburg')."""


def _is_reference(reading: Reading, mention: Mention) -> bool:
    words = [t.low for t in reading.tokens]
    before = words[mention.start - 1] if mention.start > 0 else ""
    before2 = words[mention.start - 2] if mention.start > 1 else ""
    return before in _REFERENCE_BEFORE or (before in ("of", "from") and (before2 in _DIRECTIONS or before2 in _UNITS))


def judge_guess(reading: Reading, secret_id: int, country_code: str) -> str | None:
    """'right', 'wrong' or 'several' (cities at once) when the move guesses, None when it does not.

    Marks the mentions of ``reading`` that turn out to be the secret city or a mere reference first,
    so that a question read afterwards sees them right.
    """
    words = [t.low for t in reading.tokens]
    for m in reading.of("subdivision"):  # 'Is it New York?' names the city, 'Is it in New York?' the state
        key = tuple(words[m.start:m.end])
        if key in all_name_keys(secret_id) and (m.start == 0 or words[m.start - 1] not in ("in", "of")):
            m.kind = "secret"
    for m in reading.of("secret"):
        if _is_reference(reading, m):  # 'Is it north of Rome?' while the city is Rome: not a guess
            m.kind, m.value = "city", (secret_id,)
    guesses = [m for m in reading.mentions if m.kind in ("city", "secret") and not _is_reference(reading, m)]
    capital_question = reading.has(r"\bcapital\b") and not any(m.kind == "secret" for m in guesses)
    if capital_question and guesses:
        guesses = []
    if len({tuple(words[m.start:m.end]) for m in guesses}) > 1:
        return "several"
    if not guesses:
        return None
    countries = set().union(*[m.value for m in reading.of("country")]) if reading.of("country") else set()
    if guesses[0].kind == "secret" and (not countries or country_code in countries):
        return "right"
    return "wrong"


def unknown_name_guess(reading: Reading) -> bool:
    """A guess of a place the host does not know, e.g. 'Is it Atlantis?'."""
    m = GUESS_LEAD.match(reading.text)
    rest = reading.tokens[len(m.group().split()):] if m else reading.tokens
    if not rest or len(rest) > 5 or (not m and len(rest) > 3):
        return False
    if m is None and len(reading.tokens) != len(rest):
        return False
    named = [t for t in rest if t.low not in _NAME_GLUE]
    topics = topic_words()
    return bool(named) and all(t.cased[:1].isupper() and t.low.isalpha() for t in named) and \
        not any(t.low in topics for t in named)
