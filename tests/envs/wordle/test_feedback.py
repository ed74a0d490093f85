"""Wordle's feedback line: written and read back."""

from curiosa.envs.wordle.feedback import feedback_line, parse_feedback

G, Y, X = "green", "yellow", "grey"


def test_feedback_line_round_trip():
    line = feedback_line("eerie", [X, X, Y, X, G])
    assert line == "EERIE: E=grey E=grey R=yellow I=grey E=green"
    assert parse_feedback("noise\n" + line + "\n3 turns left.") == ("eerie", [X, X, Y, X, G])
