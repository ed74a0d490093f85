"""twenty_questions: every catalogue phrasing and every name is read as what it asks."""

from curiosa.envs.twenty_questions.catalogue import catalogue
from curiosa.envs.twenty_questions.questions import interpret


def test_every_catalogue_phrasing_is_read_as_its_attribute():
    for cat in catalogue().categories.values():
        for attr in cat.attributes:
            for question in cat.questions[attr]:
                r = interpret(question, cat.id)
                assert r.kind == "question" and not r.negated and r.other_attribute is None, (cat.id, question, r)
                same = r.attribute == attr or all(e.values[attr] == e.values[r.attribute] for e in cat.entities)
                assert same, (cat.id, question, attr, r.attribute)


def test_every_name_and_alias_is_read_as_a_guess_of_its_entity():
    for cat in catalogue().categories.values():
        for ent in cat.entities:
            for label in ent.names:
                for move in (f"Is it a {label}?", label, f"My guess is the {label}."):
                    r = interpret(move, cat.id)
                    assert r.kind == "guess" and r.entity is ent, (cat.id, move, r)
