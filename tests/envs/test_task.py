from curiosa.envs.task import distinct_draws


def test_distinct_draws_keeps_the_first_of_each_key_in_order_and_skips_rejected_draws():
    draws = iter([3, None, 3, 1, 4, 1, None, 5, 9])
    assert distinct_draws(lambda: next(draws), 4) == [3, 1, 4, 5]


def test_distinct_draws_compares_by_key():
    draws = iter([{"a": 1, "n": 0}, {"a": 1, "n": 1}, {"a": 2, "n": 2}])
    assert distinct_draws(lambda: next(draws), 2, key=lambda d: d["a"]) == [{"a": 1, "n": 0}, {"a": 2, "n": 2}]
