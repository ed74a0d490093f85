"""The cities of the game and the facts the host knows about each.

The pool is chosen deterministically from GeoNames: every country gets a quota that grows with the
square root of its population (at most 15), filled with its capital first and then its best-known
cities (ranked by population and by how many alternate names GeoNames lists, a proxy for fame),
skipping districts of an already chosen city (closer than 20 km), towns under 100,000 people, and
city states whose name is the country's.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any, Mapping, Sequence

from curiosa.envs.guess_my_city.tables import (
    CONTINENTS, country_display_names, geonames, languages, skipped_countries, timezones,
)
from curiosa.envs.guess_my_city.tokens import ascii_fold, phrase

MAX_PER_COUNTRY = 15
MIN_POPULATION, MIN_CAPITAL_POPULATION = 100_000, 15_000
MIN_COUNTRY_POPULATION = 100_000
MIN_ALTERNATE_NAMES = 10
"""Fewer alternate names in GeoNames: too little known for a guessing game."""
MIN_DISTANCE_KM = 20.0
"""A closer city is a district of one already chosen."""

_ADMIN_WORDS = re.compile(r"\b(Province|District|Region|County|Prefecture|Municipality|Governorate|Oblast|Regency|"
                          r"Department)\b")


def country_display(code: str) -> str:
    """The name the game shows for a country: GeoNames' name folded to ASCII, without a leading 'The'."""
    name = ascii_fold(geonames()[1][code]["name"]).strip()
    if name.startswith("The "):
        name = name[4:]
    return country_display_names().get(name, name)


def _distance_km(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _capital_id(code: str, cities_of_country: Sequence[Mapping[str, Any]]) -> int | None:
    """GeoNames id of the country's capital: the most populous city whose name matches the capital's."""
    capital = phrase(geonames()[1][code].get("capital", ""))
    if not capital:
        return None
    first = capital[0][0]
    best = None
    for c in cities_of_country:
        names = [c["name"], *c.get("alternatenames", [])]
        if any(ascii_fold(n[:1]).lower() == first and phrase(n) == capital for n in names) and \
                (best is None or c["population"] > best["population"]):
            best = c
    return None if best is None else int(best["geonameid"])


@lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[dict[str, Any]]]:
    by_country: dict[str, list] = {}
    for c in geonames()[0].values():
        by_country.setdefault(c["countrycode"], []).append(c)
    return by_country


@lru_cache(maxsize=1)
def capitals() -> dict[str, int]:
    """Country code -> GeoNames id of its capital, where GeoNames has the capital as a city."""
    countries = geonames()[1]
    out = {}
    for code, lst in _cities_by_country().items():
        if code in countries:
            cid = _capital_id(code, lst)
            if cid is not None:
                out[code] = cid
    return out


@lru_cache(maxsize=1)
def largest_cities() -> dict[str, int]:
    """Country code -> GeoNames id of its most populous city (the lowest id on a tie)."""
    best: dict[str, tuple[int, int]] = {}
    for c in geonames()[0].values():
        key = (int(c["population"]), -int(c["geonameid"]))
        if key > best.get(c["countrycode"], (-1, 0)):
            best[c["countrycode"]] = key
    return {code: -gid for code, (_, gid) in best.items()}


def _fame(c: Mapping[str, Any]) -> float:
    return math.log10(1 + c["population"]) + 1.5 * math.log10(1 + len(c.get("alternatenames", [])))


def _in_game(code: str, country: Mapping[str, Any] | None) -> bool:
    return not (country is None or code in skipped_countries() or not country.get("currencycode")
                or not country.get("languages") or country.get("continentcode") not in CONTINENTS
                or country.get("population", 0) < MIN_COUNTRY_POPULATION)


@lru_cache(maxsize=1)
def city_pool() -> tuple[dict[str, Any], ...]:
    """Facts of every city of the game (train and test), sorted by GeoNames id: the public list."""
    countries = geonames()[1]
    zones = timezones()
    by_country = _cities_by_country()
    pool = []
    for code in sorted(by_country):
        country = countries.get(code)
        if not _in_game(code, country):
            continue
        quota = min(MAX_PER_COUNTRY, max(1, round(math.sqrt(country["population"] / 1e6))))
        ranked = sorted(by_country[code], key=lambda c: (-_fame(c), c["geonameid"]))
        capital = capitals().get(code)
        ranked.sort(key=lambda c: c["geonameid"] != capital)  # stable: the capital first
        country_key = phrase(country_display(code))
        chosen: list[dict] = []
        for c in ranked:
            if len(chosen) >= quota:
                break
            min_population = MIN_CAPITAL_POPULATION if c["geonameid"] == capital else MIN_POPULATION
            if c["population"] < min_population or len(c.get("alternatenames", [])) < MIN_ALTERNATE_NAMES:
                continue
            if any(ch.isdigit() for ch in c["name"]) or _ADMIN_WORDS.search(c["name"]) or c["timezone"] not in zones:
                continue
            key = phrase(c["name"])
            if not key or key == country_key or any(phrase(o["name"]) == key for o in chosen):
                continue
            if any(_distance_km(c, o) < MIN_DISTANCE_KM for o in chosen):
                continue
            chosen.append(c)
        pool += [_facts(c, country) for c in chosen]
    pool.sort(key=lambda f: f["geonameid"])
    return tuple(pool)


def _facts(city: Mapping[str, Any], country: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the host may say about a city (JSON-serialisable: it is the task's hidden state)."""
    cities, countries = geonames()
    code = country["iso"]
    names = languages()
    langs: list[str] = []
    for tag in country["languages"].split(","):
        name = names.get(tag.split("-")[0].strip())
        if name and name not in langs:
            langs.append(name)
    skipped = skipped_countries()
    neighbours = [n for n in country.get("neighbours", "").split(",") if n in countries and n not in skipped]
    lat, lon = round(float(city["latitude"]), 4), round(float(city["longitude"]), 4)
    continent = country["continentcode"]
    if code == "RU" and lon > 60:  # Siberia and the Russian Far East lie in Asia
        continent = "AS"
    std, dst = timezones()[city["timezone"]]
    capital_id = capitals().get(code)
    capital_name = ""
    if capital_id is not None and str(capital_id) in cities:
        capital_name = ascii_fold(cities[str(capital_id)]["name"])
    return {
        "geonameid": int(city["geonameid"]),
        "city": ascii_fold(city["name"]),
        "country": country_display(code),
        "country_code": code,
        "admin1": str(city.get("admin1code", "")),
        "continent": continent,
        "lat": lat,
        "lon": lon,
        "population": int(city["population"]),
        "is_capital": capital_id == int(city["geonameid"]),
        "is_largest": int(city["geonameid"]) == largest_cities().get(code),
        "capital": capital_name or ascii_fold(country.get("capital", "")),
        "languages": langs,
        "currency_code": country["currencycode"],
        "currency_name": ascii_fold(country["currencyname"]).lower(),
        "neighbours": sorted(neighbours),
        "neighbour_names": sorted(country_display(n) for n in neighbours),
        "area_km2": int(country.get("areakm2") or 0),
        "country_population": int(country.get("population") or 0),
        "tz_std": float(std),
        "tz_dst": None if dst is None else float(dst),
    }
