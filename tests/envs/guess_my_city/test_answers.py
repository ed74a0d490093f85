"""guess_my_city: the offline host's answers to yes/no and open questions."""

import pytest

from curiosa.envs import guess_my_city as gmc

MUNICH = [
    ("Is it in Europe?", "continent", "yes"),
    ("Is the city located in Asia?", "continent", "no"),
    ("Is it in Asia or Europe?", "continent", "yes"),
    ("Is it in the European Union?", "continent", "yes"),
    ("Is the country in the EU?", "continent", "yes"),
    ("Is it in the Middle East?", "continent", "no"),
    ("Is the city in the southern hemisphere?", "hemisphere", "no"),
    ("Is it north of the equator?", "hemisphere", "yes"),
    ("Is it in the eastern hemisphere?", "hemisphere", "yes"),
    ("Is it west of the prime meridian?", "hemisphere", "no"),
    ("Is the population over a million?", "population", "yes"),
    ("Does the city have more than 2 million inhabitants?", "population", "no"),
    ("Is it a city of more than 500k people?", "population", "yes"),
    ("Is the population between 1 and 2 million?", "population", "yes"),
    ("Does it have fewer than 1,000,000 residents?", "population", "no"),
    ("Is it a megacity?", "population", "no"),
    ("Does the country use the euro?", "currency", "yes"),
    ("Is the currency the dollar?", "currency", "no"),
    ("Do they pay in EUR?", "currency", "yes"),
    ("Is Spanish spoken there?", "language", "no"),
    ("Do people speak German?", "language", "yes"),
    ("Is it an English-speaking country?", "language", "no"),
    ("Is German the official language?", "language", "yes"),
    ("Is it the capital?", "capital", "no"),
    ("Is this city the capital of its country?", "capital", "no"),
    ("Is it the capital of Germany?", "capital", "no"),
    ("Is the capital Berlin?", "capital", "yes"),
    ("Is it in Germany?", "country", "yes"),
    ("Is the city in France?", "country", "no"),
    ("Is it in France or Germany?", "country", "yes"),
    ("Does the country border France?", "neighbours", "yes"),
    ("Is Spain a neighbouring country?", "neighbours", "no"),
    ("Does the country have more than 5 neighbours?", "neighbours", "yes"),
    ("Is it north of 45 degrees?", "latitude", "yes"),
    ("Is it north of 50 degrees north?", "latitude", "no"),
    ("Is the latitude between 40 and 50 degrees north?", "latitude", "yes"),
    ("Is it in the tropics?", "latitude", "no"),
    ("Is it east of 10 degrees east?", "longitude", "yes"),
    ("Is the longitude greater than 12?", "longitude", "no"),
    ("Is it north of Rome?", "direction", "yes"),
    ("Is it west of Vienna?", "direction", "yes"),
    ("Is it in UTC+1?", "timezone", "yes"),
    ("Is the time zone GMT+2?", "timezone", "no"),
    ("Does it observe daylight saving time?", "timezone", "yes"),
    ("Is it more than 3 hours ahead of UTC?", "timezone", "no"),
    ("Is the country larger than 100,000 square kilometres?", "area", "yes"),
    ("Is the country's population over 100 million?", "country_population", "no"),
    ("Is it the largest city in its country?", "largest", "no"),
]


@pytest.mark.parametrize("question,topic,expected", MUNICH)
def test_yes_no_questions_about_munich(question, topic, expected, env_for, ask):
    env = env_for("Munich")
    obs, fb, done, reward = ask(env, question)
    assert (fb["kind"], fb["topic"], fb["answer"]) == ("question", topic, expected), obs
    assert obs.startswith("Yes" if expected == "yes" else "No") and not done and reward == 0.0


def test_southern_and_western_city(env_for, ask):
    env = env_for("Sao Paulo")
    for q, a in [("Is it in the southern hemisphere?", "yes"), ("Is it south of 20 degrees south?", "yes"),
                 ("Is it north of 30 degrees south?", "yes"),
                 ("Is the longitude between 40 and 50 degrees west?", "yes"),
                 ("Is it west of 50 degrees west?", "no"), ("Is it in Latin America?", "yes"),
                 ("Is Portuguese the main language?", "yes"), ("Is the currency the real?", "yes")]:
        assert ask(env, q)[1]["answer"] == a, q


def test_open_questions_give_facts_without_names(env_for, ask):
    env = env_for("Munich")
    expected = {
        "Which continent is it in?": "It is in Europe.",
        "How many people live there?": "About 1.5 million people live there.",
        "What language do people speak?": "People there mainly speak German.",
        "What currency is used?": "The currency there is the euro (EUR).",
        "What time zone is it in?": "Its standard time is UTC+1, and UTC+2 with daylight saving time in summer.",
        "What is its latitude?": "Its latitude is between 40 and 50 degrees north.",
        "What is the capital of the country?": "The capital of its country is Berlin.",
        "How many countries border it?": "Its country borders 9 other countries by land.",
        "How big is the country?": "Its country covers about 360,000 square kilometres.",
        "How many people live in the country?": "About 83 million people live in its country.",
    }
    for question, reply in expected.items():
        obs, fb, _, _ = ask(env, question)
        assert obs == reply and fb["reply"] == reply and fb["kind"] == "question", question
    obs, fb, _, _ = ask(env, "Which countries border it?")
    assert "France" in obs and "Austria" in obs and "Germany" not in obs
    assert ask(env, "Is it on the coast?")[0] == gmc.COASTAL_REPLY  # no coastline data: declined honestly
    assert ask(env, "What is the name of the city?")[0] == gmc.NAME_REPLY


def test_capital_city_and_leaky_capital_names(env_for, ask):
    assert ask(env_for("Berlin"), "What is the capital of the country?")[0] == \
        "This city is itself the capital of its country."
    assert ask(env_for("Guadalajara"), "What is the capital of the country?")[0].startswith(
        "I cannot name the capital without giving away the country")  # Mexico City names Mexico


def test_time_zone_names_never_leak_the_city(env_for, ask):
    obs = ask(env_for("Paris", "France"), "What time zone is it in?")[0]
    assert "Paris" not in obs and "Europe/" not in obs and "UTC+1" in obs
