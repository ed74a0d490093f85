"""Wordle word lists: the answers and the vocabulary derived from the word packages."""

from curiosa.envs.wordle.words import answer_list, vocabulary


def test_answer_list_is_built_from_the_packages():
    answers = answer_list()
    assert len(answers) == 2315 == len(set(answers))
    assert all(len(w) == 5 and w.isascii() and w.isalpha() and w.islower() for w in answers)
    assert answers[:3] == ("about", "their", "there")  # frequency order
    assert {"crane", "house", "water", "piano"} <= set(answers)
    assert not {"times", "needs", "moved", "tried"} & set(answers)  # plurals and past tenses
    assert "whore" not in answers and "whore" in vocabulary()  # blocked answers can still be guessed
    assert "texas" not in answers  # proper nouns are capitalised in web2
    assert set(answers) < vocabulary() and len(vocabulary()) > 10_000
    assert {"xylyl", "times", "zymic"} <= vocabulary()
