"""Understanding a question: its topic (continent, population, time zone...), whether it asks yes or no,
and the comparison it makes ('Is the population over 2 million?': population, gt, 2e6).

:func:`parse_question` works on a :class:`reading.Reading`, whose names are already found and masked,
so a name never reads as a keyword (the 'coast' of Ivory Coast). Its checks run in order of
precedence: questions about names, coasts, borders, capitals, money and languages come first. A
question about something GeoNames does not record (climate, landmarks, food, history...) is read as
topic "unsure", which the host answers with an honest "I'm not sure".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from curiosa.envs.guess_my_city.names import city_location
from curiosa.envs.guess_my_city.numbers import Number, between_bounds, numbers, op_before
from curiosa.envs.guess_my_city.reading import LANGUAGE_CONTEXT, MONEY_CONTEXT, Reading
from curiosa.envs.guess_my_city.tables import out_of_scope

TROPIC, POLAR_CIRCLE = 23.44, 66.56
"""Latitudes (degrees) of the tropics and of the polar circles."""
NEAR_KM, FAR_KM = 300.0, 1000.0
"""What "near" and "far from" a named city mean to the host, in kilometres."""
MILE_KM = 1.609344


@dataclass
class Query:
    """A question the host understood."""

    topic: str
    polar: bool
    """A yes/no question."""
    op: str = ""
    value: Any = None


_WH = frozenset("what whats which where how who when tell name describe give list whereabouts".split())
_QUALIFIERS = frozenset("west western east eastern north northern south southern central saharan sub middle "
                        "northwest northeast southwest southeast upper lower".split())
"""Words before a region that name only a part of it ('Western Europe'): the host answers with the continent."""


def _polar(reading: Reading) -> bool:
    first = reading.tokens[0].low if reading.tokens else ""
    return first not in _WH


_YES_NO = frozenset("is are was were am do does did can could would will shall should has have had may might must "
                    "isnt arent doesnt dont didnt cant couldnt wouldnt wont hasnt havent".split())


def is_yes_no(reading: Reading) -> bool:
    """Whether the move is a yes/no question ("Is it...?", "Does it...?"): one the host cannot read
    gets an honest "I'm not sure"."""
    return bool(reading.tokens) and reading.tokens[0].low in _YES_NO


def parse_question(reading: Reading) -> Query | None:
    """The question in ``reading`` (names already found), or None if the host does not understand it."""
    r = reading
    polar = _polar(r)
    countries = [m.value for m in r.of("country")]
    subdivisions = [m.value for m in r.of("subdivision")]
    nums = numbers(r.tokens)

    if r.has(r"\b(name|names|called|spell|spelled|spelling|spelt|letters?|starts? with|begins? with|ends? with|"
             r"initials?)\b") and not r.has(r"\bcapital\b") and not countries and \
            not (r.mentions or r.has(MONEY_CONTEXT) or r.has(LANGUAGE_CONTEXT)):
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
    if currencies or r.has(MONEY_CONTEXT):
        return Query("currency", bool(currencies) and polar, "is", sorted(set(currencies)))
    languages = [m.value for m in r.of("language")]
    if languages or r.has(LANGUAGE_CONTEXT):
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
            op = op_before(r, n)
            if op and polar and n.value < 100:
                return Query("neighbours", True, "count_" + op, n.value)
        return Query("neighbours", polar, "any")
    if r.has(r"\b(largest|biggest|most populous|most populated) (city|town)\b") and \
            r.has(r"\b(country|countrys|nation)\b") and polar:
        return Query("largest", True)
    for subject in out_of_scope():
        if r.has(subject.pattern):
            return Query("unsure", polar, "", subject.label)
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
    cities = r.of("city")
    if cities and r.has(r"\b(near|nearby|close|far|distance|distant|how many (km|kilometres|kilometers|miles)|"
                        r"within)\b"):
        ref = city_location(cities[0].value)
        if ref is not None:
            return _distance_query(r, nums, polar, ref)
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
    if direction and cities:
        ref = city_location(cities[0].value)
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


def _distance_query(r: Reading, nums: Sequence[Number], polar: bool, ref: list[float]) -> Query:
    """'Is it near Paris?', 'Is it within 500 km of Berlin?', 'How far is it from London?'."""
    limit = next((n.value for n in nums if n.value > 0 and not n.multiplied), None)
    if polar and limit is not None and r.has(r"\b(within|less than|under|fewer than|closer than)\b"):
        return Query("distance", True, "within", (ref, limit * (MILE_KM if r.has(r"\bmiles?\b") else 1.0)))
    if polar and limit is not None and r.has(r"\b(more than|over|further than|farther than)\b"):
        return Query("distance", True, "beyond", (ref, limit * (MILE_KM if r.has(r"\bmiles?\b") else 1.0)))
    if polar and r.has(r"\bfar\b") and not r.has(r"\bhow far\b"):
        return Query("distance", True, "beyond", (ref, FAR_KM))
    if polar and r.has(r"\b(near|nearby|close)\b"):
        return Query("distance", True, "within", (ref, NEAR_KM))
    return Query("distance", False, "", (ref, 0.0))


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
        op = op_before(r, n)
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
    between = between_bounds(r, nums)
    if between and polar and (topic == "area" or between[1] >= 1000):
        return Query(topic, True, "between", [between[0] * scale, between[1] * scale])
    for n in useful:
        op = op_before(r, n)
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
    if polar and len(useful) >= 2 and between_bounds(r, useful):
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
        op = op_before(r, n)
        if op and polar:
            return Query(topic, True, op, v)
    return Query(topic, False)
