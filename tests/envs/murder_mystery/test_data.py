"""Murder mystery: the data files (schema, types, no duplicates, enough entries for the generator, references
that resolve)."""

import json
import re
import string
from collections import Counter

from curiosa.envs.murder_mystery import CAUSES, WEAPON_KIND, WEAPONS
from curiosa.envs.murder_mystery.tables import DATA_DIR, DENIALS, ITEM_ALIBIS, OCCUPATIONS, SETTINGS

FILES = ("settings.json", "people.json", "items.json", "alibis.json", "vocabulary.json")
MAX_SUSPECTS = 6
"""cases.py draws 3 to 6 suspects."""
MAX_PLACES = 7
"""cases.py draws up to 7 places (the scene and one per claimed place)."""
WORD = re.compile(r"^[a-z]+(?: [a-z]+)*$")
NAME = re.compile(r"^[A-Za-z']+(?: [A-Za-z']+)*$")
"""Places and items: words the narrator and the lexicon can match ("victim's diary", "Egyptian hall")."""
GENDERS = {"m", "f"}


def _no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    duplicates = [k for k, n in Counter(keys).items() if n > 1]
    assert not duplicates, f"duplicate keys {duplicates}"
    return dict(pairs)


def load(name):
    """A data file parsed strictly: a key repeated inside one JSON object fails."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"), object_pairs_hook=_no_duplicate_keys)


def _unique_strings(value, what, *, at_least=1):
    assert isinstance(value, list) and len(value) >= at_least, f"{what}: a list of at least {at_least}"
    assert all(isinstance(s, str) and s and s.strip() == s for s in value), f"{what}: non-empty trimmed strings"
    assert len(set(value)) == len(value), f"{what}: duplicates {[s for s, n in Counter(value).items() if n > 1]}"


def _fields(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_data_file_is_checked_here_and_is_ascii():
    assert sorted(p.name for p in DATA_DIR.glob("*.json")) == sorted(FILES)
    for name in FILES:
        assert (DATA_DIR / name).read_text(encoding="utf-8").isascii(), name
        load(name)


def test_settings():
    data = load("settings.json")
    assert set(data) == {"settings", "on_words"}
    settings = data["settings"]
    assert isinstance(settings, list) and settings
    _unique_strings([s["name"] for s in settings], "setting names")
    for s in settings:
        assert set(s) == {"name", "role", "staff", "places"}, s.get("name")
        assert all(isinstance(s[k], str) and s[k] for k in ("name", "role", "staff")), s["name"]
        _unique_strings(s["places"], f"{s['name']}.places", at_least=MAX_PLACES)
        assert all(NAME.match(p) for p in s["places"]), s["name"]
    _unique_strings(data["on_words"], "on_words")
    last_words = {p.split()[-1] for s in settings for p in s["places"]}
    for word in data["on_words"]:
        assert WORD.match(word) and word in last_words, f"on_words: no place ends with {word!r}"


def test_people():
    people = load("people.json")
    lists = ("male_first", "female_first", "surnames", "victim_male", "victim_female", "victim_surnames", "motives",
             "denials")
    assert set(people) == {*lists, "victim_titles", "plain_titles", "pronouns", "occupations", "silent_denials"}
    for key in ("male_first", "female_first", "surnames"):
        _unique_strings(people[key], key, at_least=MAX_SUSPECTS)
    for key in ("victim_male", "victim_female", "victim_surnames", "denials"):
        _unique_strings(people[key], key)
    _unique_strings(people["motives"], "motives", at_least=MAX_SUSPECTS)
    for key in ("male_first", "female_first", "surnames", "victim_male", "victim_female", "victim_surnames"):
        assert all(re.fullmatch(r"[A-Z][a-z]+", n) for n in people[key]), key
    assert not set(people["male_first"]) & set(people["female_first"])
    for motive in people["motives"]:
        assert _fields(motive) <= {"his"}, motive
    for key in ("victim_titles", "plain_titles"):
        assert set(people[key]) == GENDERS, key
        for gender, titles in people[key].items():
            _unique_strings(titles, f"{key}.{gender}")
    assert set(people["pronouns"]) == GENDERS
    for forms in people["pronouns"].values():
        assert set(forms) == {"he", "him", "his"} and all(isinstance(v, str) and v for v in forms.values())
    occupations = people["occupations"]
    assert isinstance(occupations, list) and len(occupations) >= MAX_SUSPECTS
    for o in occupations:
        assert set(o) == {"occupation", "title"}, o
        assert re.fullmatch(r"(a|an) [a-z ]+", o["occupation"]), o
        assert o["title"] is None or re.fullmatch(r"[A-Z][a-z]+", o["title"]), o
    _unique_strings([o["occupation"] for o in occupations], "occupations")
    assert isinstance(people["silent_denials"], int) and people["silent_denials"] >= 0
    assert DENIALS[:len(people["denials"])] == people["denials"] and DENIALS.count("") == people["silent_denials"]


def test_items():
    items = load("items.json")
    assert set(items) == {"causes", "weapons", "use_marks", "links", "scene_drops", "motive_carriers", "fillers"}
    kinds = list(items["causes"])
    assert kinds and list(items["weapons"]) == kinds and list(items["use_marks"]) == kinds
    assert all(isinstance(v, str) and v for v in (*items["causes"].values(), *items["use_marks"].values()))
    _unique_strings(list(items["causes"].values()), "causes")
    for kind, weapons in items["weapons"].items():
        _unique_strings(weapons, f"weapons.{kind}", at_least=2)
    all_weapons = [w for weapons in items["weapons"].values() for w in weapons]
    _unique_strings(all_weapons, "weapons (one kind each)")
    for key in ("links", "scene_drops"):
        _unique_strings(items[key], key)
        assert all(_fields(t) == {"N"} for t in items[key]), key
    for key in ("motive_carriers", "fillers"):
        _unique_strings(items[key], key, at_least=2 if key == "motive_carriers" else 1)
    alibi_items = list(load("alibis.json")["items"])
    _unique_strings(all_weapons + items["motive_carriers"] + items["fillers"] + alibi_items, "item names of all kinds")
    assert all(NAME.match(i) and i == i.lower() for i in all_weapons + items["motive_carriers"] + items["fillers"]
               + alibi_items)


def test_alibis():
    alibis = load("alibis.json")
    assert set(alibis) == {"search", "items", "witness_activities", "suspicions"}
    template_fields = {"activity", "hint", "confirm", "contradict"}
    search = alibis["search"]
    assert isinstance(search, list) and len(search) >= MAX_SUSPECTS
    _unique_strings([t["activity"] for t in search], "search activities")
    for t in search + list(alibis["items"].values()):
        assert set(t) == template_fields, t
        assert all(isinstance(v, str) and v for v in t.values()), t
        for key in template_fields:
            assert _fields(t[key]) <= {"N", "P", "staff", "Staff"}, (key, t[key])
    assert len(alibis["items"]) >= 2, "up to two suspects check their claim by an item"
    _unique_strings(alibis["witness_activities"], "witness_activities", at_least=3)
    assert all(_fields(a) == {"W"} for a in alibis["witness_activities"])
    _unique_strings(alibis["suspicions"], "suspicions")
    assert all(_fields(s) == {"N"} for s in alibis["suspicions"])


def test_vocabulary():
    vocabulary = load("vocabulary.json")
    assert set(vocabulary) == {"title_aliases", "action_words", "scene_words", "generic_heads"}
    assert list(vocabulary["action_words"]) == ["accuse", "question", "search", "examine"]
    words = [w for family in vocabulary["action_words"].values() for w in family]
    _unique_strings(words, "action words (one family each)")
    for key in ("scene_words", "generic_heads"):
        _unique_strings(vocabulary[key], key)
    assert all(WORD.match(w) for w in words + vocabulary["scene_words"] + vocabulary["generic_heads"])
    people = load("people.json")
    titles = {o["title"] for o in people["occupations"] if o["title"]}
    titles |= {t for key in ("victim_titles", "plain_titles") for ts in people[key].values() for t in ts}
    for title, aliases in vocabulary["title_aliases"].items():
        assert title in titles, f"title_aliases: unknown title {title}"
        _unique_strings(aliases, f"title_aliases.{title}")
        assert all(WORD.match(a) for a in aliases)


def test_loaded_tables_match_the_files():
    assert SETTINGS == load("settings.json")["settings"]
    assert OCCUPATIONS == [(o["occupation"], o["title"]) for o in load("people.json")["occupations"]]
    assert list(CAUSES) == list(WEAPONS) == list(load("items.json")["causes"])
    assert len(WEAPON_KIND) == sum(len(w) for w in WEAPONS.values())
    assert list(ITEM_ALIBIS) == list(load("alibis.json")["items"])
