"""Guess my city: the city pool, the offline host's understanding and answers, guesses, leaks, LLM hooks."""

import json
from collections import Counter

import pytest

from curiosa import envs
from curiosa.envs import guess_my_city as gmc
from curiosa.envs.guess_my_city import GuessMyCityEnv
from curiosa.envs.task import Task
from curiosa.envs.text import REPLY_FORMAT

GAME = "guess_my_city"
envs.register(GuessMyCityEnv)  # a no-op once the registry lists the game


def facts_of(city, country=None):
    return next(f for f in gmc.city_pool() if f["city"] == city and (country is None or f["country"] == country))


def env_for(city, country=None):
    task = Task(f"{GAME}-test-99999", GAME, "test", facts_of(city, country))
    env = envs.make(GAME, task=task)
    env.reset(seed=0)
    return env


def ask(env, question):
    obs, reward, terminated, truncated, info = env.step(f"Thought: hmm\nAnswer: {question}")
    return obs, info["feedback"], terminated, reward


# ----------------------------------------------------------------------------- tasks and data
def test_task_sizes_split_and_determinism():
    train, test = envs.load_tasks(GAME, "train"), envs.load_tasks(GAME, "test")
    assert len(train) >= 500 and len(test) >= 185
    assert [t.to_dict() for t in test] == [t.to_dict() for t in envs.load_tasks(GAME, "test")]
    ids = [t.params["geonameid"] for t in train + test]
    assert len(set(ids)) == len(ids), "train and test must hold different cities"
    json.dumps([t.params for t in train + test])  # JSON-serialisable hidden state


def test_pool_is_diverse_and_well_known():
    pool = gmc.city_pool()
    per_country = Counter(f["country_code"] for f in pool)
    assert len(per_country) >= 150 and max(per_country.values()) <= 15
    assert set(Counter(f["continent"] for f in pool)) == set(gmc.CONTINENTS)
    names = {(f["city"], f["country"]) for f in pool}
    for famous in [("Paris", "France"), ("Tokyo", "Japan"), ("New York City", "United States"),
                   ("Cairo", "Egypt"), ("Sao Paulo", "Brazil"), ("Sydney", "Australia"), ("Munich", "Germany"),
                   ("Washington", "United States")]:
        assert famous in names
    assert all(f["population"] >= 100_000 or f["is_capital"] for f in pool)
    assert sum(f["is_capital"] for f in pool) >= 150
    capitals = {f["country_code"]: f["city"] for f in pool if f["is_capital"]}
    assert capitals["DE"] == "Berlin" and capitals["US"] == "Washington" and capitals["NG"] == "Abuja"
    f = facts_of("Novosibirsk")
    assert f["continent"] == "AS" and f["country_code"] == "RU"  # Siberia is in Asia
    assert facts_of("Moscow")["continent"] == "EU"


def test_facts_of_one_city():
    f = facts_of("Munich")
    assert f["country"] == "Germany" and f["continent"] == "EU" and not f["is_capital"]
    assert f["languages"][0] == "German" and f["currency_code"] == "EUR" and f["currency_name"] == "euro"
    assert "FR" in f["neighbours"] and "France" in f["neighbour_names"]
    assert f["tz_std"] == 1.0 and f["tz_dst"] == 2.0
    assert facts_of("Mumbai")["tz_std"] == 5.5 and facts_of("Mumbai")["tz_dst"] is None
    assert all(isinstance(v, (int, float, str, bool, list, type(None))) for v in f.values())


# ----------------------------------------------------------------------------- the host's answers
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
def test_yes_no_questions_about_munich(question, topic, expected):
    env = env_for("Munich")
    obs, fb, done, reward = ask(env, question)
    assert (fb["kind"], fb["topic"], fb["answer"]) == ("question", topic, expected), obs
    assert obs.startswith("Yes" if expected == "yes" else "No") and not done and reward == 0.0


def test_southern_and_western_city():
    env = env_for("Sao Paulo")
    for q, a in [("Is it in the southern hemisphere?", "yes"), ("Is it south of 20 degrees south?", "yes"),
                 ("Is it north of 30 degrees south?", "yes"),
                 ("Is the longitude between 40 and 50 degrees west?", "yes"),
                 ("Is it west of 50 degrees west?", "no"), ("Is it in Latin America?", "yes"),
                 ("Is Portuguese the main language?", "yes"), ("Is the currency the real?", "yes")]:
        assert ask(env, q)[1]["answer"] == a, q


def test_open_questions_give_facts_without_names():
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


def test_capital_city_and_leaky_capital_names():
    assert ask(env_for("Berlin"), "What is the capital of the country?")[0] == \
        "This city is itself the capital of its country."
    assert ask(env_for("Guadalajara"), "What is the capital of the country?")[0].startswith(
        "I cannot name the capital without giving away the country")  # Mexico City names Mexico


def test_time_zone_names_never_leak_the_city():
    obs = ask(env_for("Paris", "France"), "What time zone is it in?")[0]
    assert "Paris" not in obs and "Europe/" not in obs and "UTC+1" in obs


def test_unknown_question_uses_a_turn_with_one_fixed_reply():
    env = env_for("Munich")
    for turn, q in enumerate(["Is it known for beer?", "Do you like it?"], start=1):
        obs, reward, terminated, truncated, info = env.step(f"Answer: {q}")
        assert obs == gmc.UNKNOWN_REPLY and info["feedback"]["kind"] == "unknown" and info["turn"] == turn
        assert not info["invalid_action"] and not terminated


# ----------------------------------------------------------------------------- guesses
@pytest.mark.parametrize("guess", ["Is it Munich?", "München", "is it munchen?", "My guess is Munich, Germany.",
                                   "I think it is Muenchen in Germany", "The city is MUNICH", "Munich?"])
def test_any_name_of_the_city_wins(guess):
    env = env_for("Munich")
    obs, fb, done, reward = ask(env, guess)
    assert done and reward == 1.0 and fb == {"reply": obs, "kind": "guess", "topic": "guess", "answer": "yes"}
    assert "Munich, Germany" in obs


@pytest.mark.parametrize("guess", ["Is it Berlin?", "Is it Munich, Austria?", "Is it Atlantis?", "Cologne"])
def test_wrong_guesses_continue(guess):
    env = env_for("Munich")
    obs, fb, done, reward = ask(env, guess)
    assert obs == "No, that is not the city." and not done and reward == 0.0
    assert fb["kind"] == "guess" and fb["answer"] == "no"


def test_one_guess_at_a_time_and_word_like_names():
    env = env_for("Munich")
    obs, fb, done, _ = ask(env, "Is it Munich or Berlin?")
    assert obs == gmc.ONE_GUESS_REPLY and not done
    nice = env_for("Nice")
    assert ask(nice, "Is it a nice city?")[1]["kind"] == "unknown"  # an ordinary word, not a guess
    assert ask(nice, "is it nice?")[2]
    ny = env_for("New York City")
    assert ask(ny, "Is it in New York?")[1]["topic"] == "country"  # the state
    assert ask(ny, "Is it New York?")[2]


def test_every_task_is_won_by_its_name_and_by_city_country():
    env = envs.make(GAME)
    for task in envs.load_tasks(GAME, "train") + envs.load_tasks(GAME, "test"):
        env.reset(options={"task": task})
        f = task.params
        reply, fb, won = env.respond(f"Is it {f['city']}?")
        assert won, (f["city"], reply)
        assert env.respond(f"My guess: {f['city']}, {f['country']}")[2], f["city"]


# ----------------------------------------------------------------------------- never naming the secret
OPEN = ["Which continent is it in?", "Which hemisphere?", "What is its latitude?", "What is its longitude?",
        "How many people live there?", "Is it the capital?", "What is the capital of the country?",
        "What languages are spoken?", "What currency is used?", "Which countries border it?", "How big is the country?",
        "How many people live in the country?", "What time zone is it in?", "Does it observe daylight saving time?",
        "Is it the largest city of the country?", "What is the name of the country?"]


def test_no_reply_names_the_city_or_country_over_all_tasks():
    env = envs.make(GAME)
    for task in envs.load_tasks(GAME, "train") + envs.load_tasks(GAME, "test"):
        env.reset(options={"task": task})
        f = task.params
        city, country = f["city"].lower(), f["country"].lower()
        for q in OPEN:
            reply, fb, won = env.respond(q)
            assert not won and reply.isascii()
            assert gmc.find_leak(reply, f["geonameid"], f["country_code"]) is None, (f["city"], q, reply)
            words = f" {' '.join(gmc.phrase(reply))} "
            assert f" {' '.join(gmc.phrase(city))} " not in words, (f["city"], q, reply)
            if country not in ("niger", "guinea", "sudan", "dominica", "republic of the congo"):  # in longer names
                assert f" {' '.join(gmc.phrase(country))} " not in words, (f["city"], q, reply)


def test_final_check_replaces_a_leaking_reply(monkeypatch):
    env = env_for("Munich")
    monkeypatch.setattr(gmc, "UNKNOWN_REPLY", "I only know it is in Germany.")
    obs, fb, done, _ = ask(env, "Is it known for beer?")
    assert obs == gmc.LEAK_REPLY and fb["reply"] == gmc.LEAK_REPLY and not done


def test_find_leak_masks_longer_names_of_other_places():
    sudan = facts_of("Khartoum")
    assert gmc.find_leak("Its country borders South Sudan and Egypt.", sudan["geonameid"], "SD") is None
    assert gmc.find_leak("It is in Sudan.", sudan["geonameid"], "SD") == ("sudan",)
    us = facts_of("Chicago")
    assert gmc.find_leak("It is in North America.", us["geonameid"], "US") is None
    assert gmc.find_leak("Welcome to the USA", us["geonameid"], "US") == ("usa",)
    assert gmc.find_leak("Near CHICAGO!", us["geonameid"], "US") == ("chicago",)


# ----------------------------------------------------------------------------- game frame
def test_instruction_reveal_and_ascii():
    env = env_for("Munich")
    obs, _ = env.reset(seed=0)
    assert obs.endswith(REPLY_FORMAT) and "20 turns" in obs and "Answer: Is it Munich?" in obs and obs.isascii()
    for _ in range(19):
        ask(env, "Is it in Asia?")
    obs, _, terminated, truncated, info = env.step("Answer: Is it in Asia?")
    assert truncated and not terminated and not info["success"]
    assert obs.endswith("The city was Munich, Germany.")


# ----------------------------------------------------------------------------- LLM hooks
def test_llm_hooks():
    env = env_for("Munich")
    prompt = env.llm_simulator_prompt()
    for fact in ("Munich", "Germany", "Europe", "German", "euro (EUR)", "UTC+1", "Berlin", "Austria"):
        assert fact in prompt
    assert "Never write the name" in prompt
    assert env.llm_extract_reply("  Yes, it is in Europe.  ") == "Yes, it is in Europe."
    assert env.llm_extract_reply('"No, that is not the city."') == "No, that is not the city."
    for bad in ("", "   ", "...", "Yes, it is Munich!", "It is in Germany.", "Ja, München."):
        assert env.llm_extract_reply(bad) is None, bad
    spec = env.llm_judge("Is it Munich?")
    assert spec.question == "Does the message guess that the city is Munich (Germany)?"
    assert spec.labels == {"yes": (True, True), "no": (False, False)}
    assert env.llm_feedback("Is it Munich?", "yes") == {"kind": "guess", "topic": "guess", "answer": "yes"}
    assert env.llm_feedback("Is it Berlin?", "no") == {"kind": "guess", "topic": "guess", "answer": "no"}
    assert env.llm_feedback("Is it in Europe?", "no") == {"kind": "question", "topic": "continent", "answer": None}
    assert env.llm_feedback("Is it famous?", "no")["kind"] == "unknown"


def test_llm_mode_retries_a_reply_that_names_the_city():
    from curiosa.testing.fake_openai import FakeOpenAIServer

    answers = iter(["Yes, Munich is in Europe.", "Yes, it is in Europe."])

    def role_play(body):
        system = body["messages"][0]["content"]
        last = body["messages"][-1]["content"]
        if system.startswith("You are a strict referee"):
            return "yes" if "munich" in last.split("Player's message:")[-1].lower() else "no"
        return next(answers)

    with FakeOpenAIServer(role_play) as server:
        task = Task(f"{GAME}-test-99999", GAME, "test", facts_of("Munich"))
        ep = {"base_url": server.base_url, "model": "fake", "backoff_s": 0.0, "timeout_s": 5.0}
        env = envs.make(GAME, task=task, simulator="llm", endpoint=ep)
        env.reset(seed=0)
        obs, reward, terminated, _, info = env.step("Answer: Is it in Europe?")
        assert obs == "Yes, it is in Europe." and not terminated and reward == 0.0
        assert info["feedback"]["topic"] == "continent"
        obs, reward, terminated, _, info = env.step("Answer: Is it Munich?")
        assert terminated and reward == 1.0 and info["success"]
