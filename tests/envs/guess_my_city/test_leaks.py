"""guess_my_city: no reply but the winning one names the city or its country."""

from curiosa import envs
from curiosa.envs import guess_my_city as gmc

GAME = "guess_my_city"

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


def test_final_check_replaces_a_leaking_reply(monkeypatch, env_for, ask):
    env = env_for("Munich")
    monkeypatch.setattr("curiosa.envs.guess_my_city.env.UNKNOWN_REPLY", "I only know it is in Germany.")
    obs, fb, done, _ = ask(env, "Tell me a joke.")
    assert obs == gmc.LEAK_REPLY and fb["reply"] == gmc.LEAK_REPLY and not done


def test_find_leak_masks_longer_names_of_other_places(facts_of):
    sudan = facts_of("Khartoum")
    assert gmc.find_leak("Its country borders South Sudan and Egypt.", sudan["geonameid"], "SD") is None
    assert gmc.find_leak("It is in Sudan.", sudan["geonameid"], "SD") == ("sudan",)
    us = facts_of("Chicago")
    assert gmc.find_leak("It is in North America.", us["geonameid"], "US") is None
    assert gmc.find_leak("Welcome to the USA", us["geonameid"], "US") == ("usa",)
    assert gmc.find_leak("Near CHICAGO!", us["geonameid"], "US") == ("chicago",)
