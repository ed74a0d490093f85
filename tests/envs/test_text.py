from curiosa.envs.text import CHARSET, extract_answer, format_reply, quote, sanitize


def test_extract_answer_takes_last_answer_line_case_and_space_insensitive():
    reply = "Thought: answer: is not this\nANSWER :  crane \n  answer:   Slate."
    assert extract_answer(reply) == "Slate"


def test_extract_answer_formats():
    assert extract_answer("**Answer:** `B3`") == "B3"
    assert extract_answer("Thought: hmm\nAnswer:\n\n  1234\n") == "1234"
    assert extract_answer("I pick <answer> red </answer> now") == "red"
    assert extract_answer("Thought: no move here") is None
    assert extract_answer("Answer:   ") is None
    assert extract_answer("") is None


def test_format_reply_round_trips():
    assert extract_answer(format_reply("because", "reveal 2 3")) == "reveal 2 3"


def test_sanitize_and_quote_stay_in_charset_and_bounded():
    nasty = "é\x00\u202e🙂\r\nok" * 50
    out = quote(nasty, limit=40)
    assert len(out) <= 42 and all(c in CHARSET for c in out)
    assert "\n" not in out
    assert all(c in CHARSET for c in sanitize(nasty))
    assert sanitize("São Paulo") == "São Paulo"
