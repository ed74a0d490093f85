"""guess_my_city: folding and tokens, numbers, the names a move mentions and the question it asks."""

import pytest

from curiosa.envs.guess_my_city.numbers import numbers
from curiosa.envs.guess_my_city.questions import Query, parse_question
from curiosa.envs.guess_my_city.reading import read
from curiosa.envs.guess_my_city.tokens import ascii_fold, phrase, tokenize


def test_names_fold_to_one_key():
    assert phrase("São Paulo") == phrase("Sao-Paulo") == phrase("sao paulo") == ("sao", "paulo")
    assert phrase("St. John's") == ("st", "johns")
    assert ascii_fold("Łódź Straße") == "Lodz Strasse"
    assert phrase("1,000,000 people") == ("1000000", "people") and phrase("2,5 million") == ("2.5", "million")
    tokens = tokenize("Is it Paris? Yes. paris")
    assert [t.start for t in tokens] == [True, False, False, True, True]


@pytest.mark.parametrize("text, expected", [
    ("Is the population over 2.5 million?", [(2_500_000.0, 1e6, "")]),
    ("Is it north of 40 degrees north?", [(40.0, 1.0, "n")]),
    ("Is it UTC+5:30?", [(5.5, 1.0, "")]),
    ("more than 5m people", [(5_000_000.0, 1e6, "")]),
    ("Is it a city?", []),  # 'a' counts only before a multiplier ('a million')
    ("over a million", [(1_000_000.0, 1e6, "")]),
])
def test_numbers(text, expected):
    assert [(n.value, n.factor, n.direction) for n in numbers(tokenize(text))] == expected


def test_names_are_read_by_their_context():
    assert [(m.kind, m.value) for m in read("Is it in Ivory Coast?").mentions] == [("country", frozenset({"CI"}))]
    assert parse_question(read("Is it in Ivory Coast?")).topic == "country"  # not a question about coasts
    assert [(m.kind, m.value) for m in read("Is the currency the real?").mentions] == [("currency", "real")]
    assert read("Is it real?").mentions == []  # an ambiguous currency word outside a question about money
    assert [m.value for m in read("Is it in the UK?").of("country")] == [frozenset({"GB"})]
    assert read("Is it in the us?").mentions == []  # 'US' names a country only in capitals
    assert [m.value for m in read("Do they speak Farsi?").of("language")] == ["persian"]
    assert read("Is it Nice?").of("city") and read("is it nice?").of("city") and not read("Is it a nice city?").mentions


@pytest.mark.parametrize("text, expected", [
    ("Is it in Western Europe?", Query("continent", False, "in", ["EU"])),  # a part of Europe: told the continent
    ("Is it on the coast?", Query("coastal", False)),
    ("Do they speak Farsi?", Query("language", True, "spoken", ["persian"])),
    ("Is the population over 2.5 million?", Query("population", True, "gt", 2_500_000.0)),
    ("Is the country smaller than 1000 square miles?", Query("area", True, "lt", 2589.99)),
    ("Is it within 15 degrees of the equator?", Query("latitude", True, "within", 15.0)),
    ("Is it known for beer?", Query("unsure", True, "", "its food")),
    ("What is the weather like?", Query("unsure", False, "", "its weather or climate")),
    ("Is it near Paris?", Query("distance", True, "within", ([48.85341, 2.3488], 300.0))),
    ("Do you like it?", None),
])
def test_parse_question(text, expected):
    assert parse_question(read(text)) == expected
