import pytest

from curiosa.data.encode import reply_spans
from curiosa.data.repeats import repeat_avoidance


def test_reply_spans_are_the_runs_of_the_mask():
    assert reply_spans([0, 1, 1, 0, 0, 1, 0, 1]) == [(1, 3), (5, 6), (7, 8)]
    assert reply_spans([0, 0]) == []


def test_each_reply_avoids_where_an_earlier_one_would_go_on():
    #        user  reply 1      user  reply 2      user  reply 3 (= reply 1)   user  reply 4
    ids = [9, 10, 11, 12, 9, 10, 11, 13, 9, 10, 11, 12, 9, 14, 11, 12]
    mask = [0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1]
    found = repeat_avoidance(ids, mask, mask)
    # reply 2 parts from reply 1 at its third token; reply 3 equals reply 1 (nothing for it) and parts
    # from reply 2 at its third token; reply 4 parts from all three at its first token
    assert found == [(7, 12), (11, 13), (13, 10)]


def test_only_trained_places_are_listed_and_untrained_replies_still_count_as_earlier():
    ids = [9, 10, 11, 9, 10, 12, 9, 10, 13]
    replies = [0, 1, 1, 0, 1, 1, 0, 1, 1]
    trained = [0, 0, 0, 0, 1, 1, 0, 1, 1]  # the first reply is context only
    assert repeat_avoidance(ids, replies, trained) == [(5, 11), (8, 11), (8, 12)]
    trained = [0, 0, 0, 0, 0, 0, 0, 1, 1]
    assert repeat_avoidance(ids, replies, trained) == [(8, 11), (8, 12)]


def test_a_reply_that_is_a_prefix_of_an_earlier_one_gives_nothing_for_it():
    ids = [9, 10, 11, 12, 9, 10, 11]
    mask = [0, 1, 1, 1, 0, 1, 1]
    assert repeat_avoidance(ids, mask, mask) == []


def test_lengths_must_agree():
    with pytest.raises(ValueError, match="differ in length: 3, 2, 3"):
        repeat_avoidance([1, 2, 3], [0, 1], [0, 1, 1])
