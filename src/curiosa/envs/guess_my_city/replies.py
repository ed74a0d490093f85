"""The host's fixed replies, and reading a reply's yes or no (as a player does)."""

from __future__ import annotations

import re

from curiosa.envs.guess_my_city.tables import CONTINENTS

UNKNOWN_REPLY = (
    "I cannot answer that. Ask one question about the city's continent, hemisphere, latitude or longitude, "
    "population, time zone or whether it is the capital, or about its country's languages, currency, "
    "neighbours, area or population; or guess the city by name."
)
NAME_REPLY = ("I cannot tell you the name of the city or of its country, or how they are spelled. "
              "Ask about its features, or guess the city.")
COASTAL_REPLY = ("I cannot say whether it lies on a coast, a river or a lake: I only know its location, "
                 "population and time zone, and its country's facts.")
"""GeoNames has no coastline data, so questions about coasts, seas and rivers are declined honestly."""
WRONG_GUESS_REPLY = "No, that is not the city."
UNSURE_REPLY = "I'm not sure."
"""For a yes/no question the host cannot read: an honest answer, not a request for another question."""
ONE_GUESS_REPLY = "Please guess one city at a time. That guess does not count."
COMPARE_REPLY = ("I cannot compare it with other places, except for directions and distances (e.g. 'Is it "
                 "north of Madrid?', 'Is it near Madrid?'). Ask about its own features instead.")
LEAK_REPLY = "I cannot answer that without giving away the name of the city or its country."

_POLARITY = re.compile(r"^\s*(yes|no)\b", re.IGNORECASE)
_CONTINENT_REPLY = re.compile(r"It is in (" + "|".join(map(re.escape, CONTINENTS.values())) + r")\b")


def polarity(observation: str) -> str | None:
    """'yes' or 'no' when the host's reply starts with it (yes/no answers and guess replies do)."""
    m = _POLARITY.match(observation or "")
    return m.group(1).lower() if m else None


def parse_continent_reply(observation: str) -> str | None:
    """The continent name in an open continent reply, e.g. 'Europe'."""
    m = _CONTINENT_REPLY.search(observation or "")
    return m.group(1) if m else None
