"""Every data file of guess_my_city: shape and types, unique keys, and references that resolve
(to GeoNames, to the other tables, to the cities of the game)."""

import json
import re

import pytest

from curiosa.envs.guess_my_city import tables
from curiosa.envs.guess_my_city.pool import city_pool
from curiosa.envs.guess_my_city.tokens import ascii_fold, phrase

FILES = {"languages", "timezones", "continents", "regions", "region_phrases", "countries", "subdivisions",
         "currency_words", "language_synonyms", "transliterations", "number_words", "topic_words", "out_of_scope"}
LOWER_PHRASE = re.compile(r"[a-z]+( [a-z]+)*")
"""A name already folded: lower-case ASCII words separated by single spaces."""


def _no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    assert len(set(keys)) == len(keys), f"duplicate keys: {sorted(k for k in keys if keys.count(k) > 1)}"
    return dict(pairs)


def raw(name):
    """A data file parsed strictly: a key written twice fails (json.loads would keep the last)."""
    text = (tables.DATA_DIR / f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text, object_pairs_hook=_no_duplicate_keys)


def countries():
    return tables.geonames()[1]


def test_every_data_file_is_checked_here():
    assert {p.stem for p in tables.DATA_DIR.glob("*.json")} == FILES
    assert not [p for p in tables.DATA_DIR.iterdir() if p.suffix != ".json"]


@pytest.mark.parametrize("name", sorted(FILES))
def test_files_parse_without_duplicate_keys(name):
    assert raw(name) == tables.load(name)


def test_languages():
    data = raw("languages")
    assert isinstance(data, dict) and len(data) > 200
    for code, name in data.items():
        assert re.fullmatch(r"[a-z]{2,3}", code), code
        assert isinstance(name, str) and name.isascii() and name[:1].isupper(), (code, name)
    used = {tag.split("-")[0].strip() for c in countries().values() for tag in c.get("languages", "").split(",")}
    assert {"en", "de", "fr", "es", "zh", "ar", "hi", "pt", "ru", "ja"} <= set(data) & used
    assert all(f["languages"] for f in city_pool()), "every city of the game has a named language"


def test_timezones():
    data = raw("timezones")
    for zone, offsets in data.items():
        assert isinstance(zone, str) and isinstance(offsets, list) and len(offsets) == 2, zone
        std, dst = offsets
        assert isinstance(std, float) and -12 <= std <= 14 and (std * 4).is_integer(), zone
        assert dst is None or (isinstance(dst, float) and dst - std == 1.0), zone
    used = {c["timezone"] for c in tables.geonames()[0].values()}
    assert used <= set(data), f"GeoNames time zones without offsets: {sorted(used - set(data))}"
    zone_of = {int(c["geonameid"]): c["timezone"] for c in tables.geonames()[0].values()}
    for f in city_pool():
        assert (f["tz_std"], f["tz_dst"]) == tuple(data[zone_of[f["geonameid"]]])


def test_continents():
    data = raw("continents")
    assert set(data) <= {c["continentcode"] for c in countries().values()} - {tables.ANTARCTICA}
    assert all(isinstance(name, str) and name for name in data.values())
    assert len(set(data.values())) == len(data)
    assert tables.CONTINENTS == data


def test_regions():
    data = raw("regions")
    names = [r["name"] for r in data.values()]
    assert len(set(names)) == len(names)
    for key, region in data.items():
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", key) and key not in raw("continents"), key
        assert isinstance(region["name"], str) and region["name"]
        assert set(region) in ({"name", "countries"}, {"name", "continents"}), key
        members = region.get("countries", region.get("continents"))
        assert members and members == sorted(set(members)), key
        if "countries" in region:
            assert set(members) <= set(countries()), (key, set(members) - set(countries()))
        else:
            assert set(members) <= set(raw("continents")), key
        assert tables.REGIONS[key] == (region["name"], frozenset(region.get("countries", ())))
    assert set(tables.REGION_CONTINENTS) == {k for k, r in data.items() if "continents" in r}


def test_region_phrases():
    data = raw("region_phrases")
    targets = set(raw("continents")) | set(raw("regions")) | {tables.ANTARCTICA}
    for words, target in data.items():
        assert LOWER_PHRASE.fullmatch(words) and target in targets, (words, target)
    keys = [phrase(words) for words in data]
    assert len(set(keys)) == len(keys)
    assert set(data.values()) == targets, "every continent and region can be named"


def test_countries():
    data = raw("countries")
    assert set(data) == {"skipped", "display_names", "aliases", "abbreviations"}
    geonames = countries()
    for code, reason in data["skipped"].items():
        assert code in geonames and isinstance(reason, str) and reason, code
    skipped = set(data["skipped"])
    folded_names = {ascii_fold(c["name"]).strip() for c in geonames.values()}
    for name, shown in data["display_names"].items():
        assert name in folded_names and isinstance(shown, str) and shown, name
    for code, aliases in data["aliases"].items():
        assert code in geonames and code not in skipped, code
        assert aliases and len(set(aliases)) == len(aliases), code
        assert all(LOWER_PHRASE.fullmatch(a) for a in aliases), code
    for abbreviation, code in data["abbreviations"].items():
        assert re.fullmatch(r"[A-Z]{2,5}", abbreviation) and code in geonames and code not in skipped
    assert tables.skipped_countries() == frozenset(skipped)


def test_subdivisions():
    data = raw("subdivisions")
    assert set(data) == {"uk_nations", "us_state_aliases"}
    nations = data["uk_nations"]
    assert all(LOWER_PHRASE.fullmatch(n) and re.fullmatch(r"[A-Z]{3}", c) for n, c in nations.items())
    assert len(set(nations.values())) == len(nations)
    states = tables.us_states()
    for name, code in data["us_state_aliases"].items():
        assert LOWER_PHRASE.fullmatch(name) and code in states, name


def test_currency_words():
    data = raw("currency_words")
    assert set(data) == {"synonyms", "ambiguous"}
    names = {ascii_fold(c.get("currencyname", "")).lower() for c in countries().values()} - {""}
    codes = {c["currencycode"] for c in countries().values() if c.get("currencycode")}
    for word, target in data["synonyms"].items():
        assert LOWER_PHRASE.fullmatch(word) and (target in names or target in codes), (word, target)
    ambiguous = data["ambiguous"]
    assert ambiguous == sorted(set(ambiguous)) and all(re.fullmatch(r"[a-z]+", w) for w in ambiguous)


def test_language_synonyms():
    data = raw("language_synonyms")
    names = {name.lower() for name in raw("languages").values()}
    for word, target in data.items():
        assert LOWER_PHRASE.fullmatch(word) and target in names, (word, target)


def test_transliterations():
    data = raw("transliterations")
    for char, replacement in data.items():
        assert len(char) == 1 and isinstance(replacement, str) and replacement.isascii(), char
        assert ascii_fold(char) == replacement, char


def test_number_words():
    data = raw("number_words")
    assert set(data) == {"numbers", "multipliers"}
    for table in data.values():
        for word, value in table.items():
            assert re.fullmatch(r"[a-z]+", word) and isinstance(value, (int, float)) and value > 0, word
    assert not set(data["numbers"]) & set(data["multipliers"])
    assert all(value >= 100 for value in data["multipliers"].values())


def test_topic_words():
    data = raw("topic_words")
    assert isinstance(data, list) and data == sorted(set(data))
    assert all(re.fullmatch(r"[a-z]+", w) for w in data)


def test_out_of_scope():
    data = raw("out_of_scope")
    assert set(data) == {"description", "topics"} and data["topics"]
    for key, row in data["topics"].items():
        assert re.fullmatch(r"[a-z_]+", key) and set(row) == {"label", "keywords"}, key
        assert isinstance(row["label"], str) and row["label"] and row["label"] == row["label"].strip()
        keywords = row["keywords"]
        assert keywords and len(set(keywords)) == len(keywords), key
        for word in keywords:
            assert re.fullmatch(r"[a-z()?| ]+", word) and word == word.strip(), (key, word)
            re.compile(word)
    compiled = tables.out_of_scope()
    assert [s.key for s in compiled] == list(data["topics"])
