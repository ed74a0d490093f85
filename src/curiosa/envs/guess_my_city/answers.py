"""The offline host's answers to the questions it understood: one handler per topic.

Open questions get a fact, and yes/no questions a reply starting with 'Yes' or 'No' (which the scripted
players read). Questions about what GeoNames does not record (coasts, climate, landmarks...) get an
honest "I'm not sure" (structured answer "unsure"). Distances from a named city are great-circle
distances, rounded like counts. Open replies give coordinates as 10-degree bands and counts rounded to two significant
digits, never exact values; the structured answer (``feedback["answer"]``) may be exact.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping, Sequence

from curiosa.envs.guess_my_city.leaks import find_leak
from curiosa.envs.guess_my_city.names import names_of_ids
from curiosa.envs.guess_my_city.questions import POLAR_CIRCLE, TROPIC, Query
from curiosa.envs.guess_my_city.replies import COASTAL_REPLY, COMPARE_REPLY, LEAK_REPLY, NAME_REPLY, UNKNOWN_REPLY
from curiosa.envs.guess_my_city.tables import ANTARCTICA, CONTINENTS, REGION_CONTINENTS, REGIONS
from curiosa.envs.guess_my_city.tokens import phrase
from curiosa.envs.guess_my_city.wording import approx, band, fmt_count, fmt_lat, fmt_lon, fmt_offset, join

EARTH_RADIUS_KM = 6371.0
Answer = tuple[str, Any]
"""The reply, and the structured answer: 'yes'/'no' for a yes/no question, else the value told."""


def _in_region(facts: Mapping[str, Any], key: str) -> bool:
    """Whether the city lies in a continent (code) or region (key of ``REGIONS``)."""
    if key in CONTINENTS or key == ANTARCTICA:
        return facts["continent"] == key
    if key in REGION_CONTINENTS:
        return facts["continent"] in REGION_CONTINENTS[key]
    return facts["country_code"] in REGIONS[key].countries


def _region_name(key: str) -> str:
    if key in CONTINENTS:
        return CONTINENTS[key]
    if key == ANTARCTICA:
        return "Antarctica"
    return REGIONS[key].name


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


def answer(query: Query, facts: Mapping[str, Any]) -> Answer:
    """The host's reply to an understood question and the structured answer ('yes'/'no' or a value)."""
    handler = _ANSWERS.get(query.topic)
    if handler is None:
        return UNKNOWN_REPLY, None
    return handler(query, facts)


def safe_answer(query: Query, facts: Mapping[str, Any]) -> Answer:
    """:func:`answer`, replaced by a fixed refusal if the reply would name the city or its country."""
    text, value = answer(query, facts)
    if find_leak(text, facts["geonameid"], facts["country_code"]):
        return LEAK_REPLY, None
    return text, value


def _answer_name(q: Query, f: Mapping[str, Any]) -> Answer:
    return NAME_REPLY, None


def _answer_coastal(q: Query, f: Mapping[str, Any]) -> Answer:
    return COASTAL_REPLY, "unsure"


def _answer_unsure(q: Query, f: Mapping[str, Any]) -> Answer:
    return f"I'm not sure; I don't know {q.value}.", "unsure"


def _distance_km(a: Sequence[float], b: Sequence[float]) -> float:
    """Great-circle distance between two (latitude, longitude) points, in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _answer_distance(q: Query, f: Mapping[str, Any]) -> Answer:
    ref, limit = q.value
    km = _distance_km((f["lat"], f["lon"]), ref)
    about = f"about {approx(max(km, 10.0))} km"
    if q.op == "within":
        return _yes_no(km <= limit, f"it is within {limit:g} km of that city ({about}).",
                       f"it is more than {limit:g} km from that city ({about}).")
    if q.op == "beyond":
        return _yes_no(km > limit, f"it is more than {limit:g} km from that city ({about}).",
                       f"it is within {limit:g} km of that city ({about}).")
    return f"It is {about} from that city.", round(km)


def _answer_compare(q: Query, f: Mapping[str, Any]) -> Answer:
    return COMPARE_REPLY, None


def _answer_continent(q: Query, f: Mapping[str, Any]) -> Answer:
    if q.polar:
        names = [_region_name(k) for k in q.value]
        hit = any(_in_region(f, k) for k in q.value)
        if len(names) == 1:
            return _yes_no(hit, f"it is in {names[0]}.", f"it is not in {names[0]}.")
        return _yes_no(hit, "it is in one of those.", f"it is in none of those: {join(names)}.")
    continent = CONTINENTS[f["continent"]]
    extra = [REGIONS[k].name for k in ("central_america", "caribbean") if _in_region(f, k)]
    if extra:
        return f"It is in {continent}, in {extra[0]}.", continent
    return f"It is in {continent}.", continent


def _answer_country(q: Query, f: Mapping[str, Any]) -> Answer:
    hit = any(code == f["country_code"] and (sub is None or sub == f["admin1"]) for code, sub in q.value)
    if any(sub for _, sub in q.value):
        return _yes_no(hit, "it is in that place.", "it is not in that place.")
    if len(q.value) == 1:
        return _yes_no(hit, "the city is in that country.", "the city is not in that country.")
    return _yes_no(hit, "the city is in one of those countries.", "the city is in none of those countries.")


def _answer_neighbours(q: Query, f: Mapping[str, Any]) -> Answer:
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
    return f"Its country borders {join(f['neighbour_names'])}.", list(f["neighbour_names"])


def _answer_capital(q: Query, f: Mapping[str, Any]) -> Answer:
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
        hit = any(capital in names_of_ids(ids) for ids in q.value)
        return _yes_no(hit, "that is the capital of its country.", "that is not the capital of its country.")
    if f["is_capital"]:
        return "This city is itself the capital of its country.", "this city"
    if find_leak(f["capital"], f["geonameid"], f["country_code"]):
        return "I cannot name the capital without giving away the country, but it is not this city.", None
    return f"The capital of its country is {f['capital']}.", f["capital"]


def _language_matches(name: str, spoken: str) -> bool:
    spoken = spoken.lower()
    return name == spoken or (name == "chinese" and spoken in ("mandarin", "chinese"))


def _answer_language(q: Query, f: Mapping[str, Any]) -> Answer:
    langs = list(f["languages"])
    if q.polar:
        title = [n[:1].upper() + n[1:] for n in q.value]
        shown = join(title) if len(title) <= 1 else "any of " + join(title)
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
        text += f" Other languages of the country include {join(others)}."
    return text, langs[:5]


def _currency_hit(wanted: str, f: Mapping[str, Any]) -> bool:
    if wanted.isupper():
        return wanted == f["currency_code"]
    return wanted == f["currency_name"] or wanted in f["currency_name"].split()


def _currency_label(f: Mapping[str, Any]) -> str:
    return f"the {f['currency_name']} ({f['currency_code']})"


def _answer_currency(q: Query, f: Mapping[str, Any]) -> Answer:
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


def _answer_timezone(q: Query, f: Mapping[str, Any]) -> Answer:
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


def _answer_hemisphere(q: Query, f: Mapping[str, Any]) -> Answer:
    ns = "N" if f["lat"] >= 0 else "S"
    ew = "E" if f["lon"] >= 0 else "W"
    names = {"N": "northern", "S": "southern", "E": "eastern", "W": "western"}
    if q.polar and len(q.value) == 1:
        v = q.value[0]
        hit = v in (ns, ew)
        return _yes_no(hit, f"it is in the {names[v]} hemisphere.", f"it is not in the {names[v]} hemisphere.")
    return f"It is in the {names[ns]} and {names[ew]} hemispheres.", [ns, ew]


def _answer_latitude(q: Query, f: Mapping[str, Any]) -> Answer:
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
        return _yes_no(hit, f"it lies {word} of latitude {fmt_lat(q.value)}.",
                       f"it does not lie {word} of latitude {fmt_lat(q.value)}.")
    if q.polar and q.op == "between":
        lo, hi = q.value
        hit = _compare(lat, "between", q.value)
        return _yes_no(hit, f"its latitude is between {fmt_lat(lo)} and {fmt_lat(hi)}.",
                       f"its latitude is not between {fmt_lat(lo)} and {fmt_lat(hi)}.")
    return f"Its latitude is {band(lat, 10, 'north', 'south')}.", band(lat, 10, "N", "S")


def _answer_longitude(q: Query, f: Mapping[str, Any]) -> Answer:
    lon = f["lon"]
    if q.polar and q.op in ("gt", "lt"):
        word = "east" if q.op == "gt" else "west"
        hit = _compare(lon, q.op, q.value)
        return _yes_no(hit, f"it lies {word} of longitude {fmt_lon(q.value)}.",
                       f"it does not lie {word} of longitude {fmt_lon(q.value)}.")
    if q.polar and q.op == "between":
        lo, hi = q.value
        hit = _compare(lon, "between", q.value)
        return _yes_no(hit, f"its longitude is between {fmt_lon(lo)} and {fmt_lon(hi)}.",
                       f"its longitude is not between {fmt_lon(lo)} and {fmt_lon(hi)}.")
    return f"Its longitude is {band(lon, 10, 'east', 'west')}.", band(lon, 10, "E", "W")


def _answer_direction(q: Query, f: Mapping[str, Any]) -> Answer:
    lat0, lon0 = q.value
    d_lon = (f["lon"] - lon0 + 540) % 360 - 180
    tests = {"north": f["lat"] > lat0, "south": f["lat"] < lat0, "east": d_lon > 0, "west": d_lon < 0}
    parts = [p for p in ("north", "south", "east", "west") if p in q.op]
    hit = all(tests[p] for p in parts)
    word = "".join(parts)
    return _yes_no(hit, f"it lies {word} of that city.", f"it does not lie {word} of that city.")


def _answer_population(q: Query, f: Mapping[str, Any]) -> Answer:
    country = q.topic == "country_population"
    pop = f["country_population"] if country else f["population"]
    where = "in its country" if country else "there"
    if q.polar and q.op in ("gt", "lt"):
        hit = _compare(pop, q.op, q.value)
        n = fmt_count(q.value)
        if q.op == "gt":
            return _yes_no(hit, f"more than {n} people live {where}.", f"no more than {n} people live {where}.")
        return _yes_no(hit, f"fewer than {n} people live {where}.", f"at least {n} people live {where}.")
    if q.polar and q.op == "between":
        lo, hi = (fmt_count(v) for v in q.value)
        hit = _compare(pop, "between", q.value)
        return _yes_no(hit, f"between {lo} and {hi} people live {where}.",
                       f"the number of people {where} is not between {lo} and {hi}.")
    return f"About {approx(pop)} people live {where}.", int(pop)


def _answer_area(q: Query, f: Mapping[str, Any]) -> Answer:
    area = f["area_km2"]
    if q.polar and q.op in ("gt", "lt", "between"):
        hit = _compare(area, q.op, q.value)
        if q.op == "between":
            lo, hi = (fmt_count(v) for v in q.value)
            return _yes_no(hit, f"its country covers between {lo} and {hi} square kilometres.",
                           f"its country does not cover between {lo} and {hi} square kilometres.")
        word = "more" if q.op == "gt" else "less"
        n = fmt_count(q.value)
        return _yes_no(hit, f"its country covers {word} than {n} square kilometres.",
                       f"its country does not cover {word} than {n} square kilometres.")
    return f"Its country covers about {approx(area)} square kilometres.", int(area)


def _answer_largest(q: Query, f: Mapping[str, Any]) -> Answer:
    return _yes_no(f["is_largest"], "it is the most populous city of its country.",
                   "it is not the most populous city of its country.")


_ANSWERS: dict[str, Callable[[Query, Mapping[str, Any]], Answer]] = {
    "name": _answer_name, "coastal": _answer_coastal, "compare": _answer_compare, "continent": _answer_continent,
    "country": _answer_country, "neighbours": _answer_neighbours, "capital": _answer_capital,
    "language": _answer_language, "currency": _answer_currency, "timezone": _answer_timezone,
    "hemisphere": _answer_hemisphere, "latitude": _answer_latitude, "longitude": _answer_longitude,
    "direction": _answer_direction, "population": _answer_population, "country_population": _answer_population,
    "area": _answer_area, "largest": _answer_largest, "unsure": _answer_unsure, "distance": _answer_distance,
}
