"""guess_my_city: any name of the city wins, other guesses continue, one guess at a time."""

import pytest

from curiosa import envs
from curiosa.envs import guess_my_city as gmc

GAME = "guess_my_city"


@pytest.mark.parametrize("guess", ["Is it Munich?", "München", "is it munchen?", "My guess is Munich, Germany.",
                                   "I think it is Muenchen in Germany", "The city is MUNICH", "Munich?"])
def test_any_name_of_the_city_wins(guess, env_for, ask):
    env = env_for("Munich")
    obs, fb, done, reward = ask(env, guess)
    assert done and reward == 1.0 and fb == {"reply": obs, "kind": "guess", "topic": "guess", "answer": "yes"}
    assert "Munich, Germany" in obs


@pytest.mark.parametrize("guess", ["Is it Berlin?", "Is it Munich, Austria?", "Is it Atlantis?", "Cologne"])
def test_wrong_guesses_continue(guess, env_for, ask):
    env = env_for("Munich")
    obs, fb, done, reward = ask(env, guess)
    assert obs == "No, that is not the city." and not done and reward == 0.0
    assert fb["kind"] == "guess" and fb["answer"] == "no"


def test_one_guess_at_a_time_and_word_like_names(env_for, ask):
    env = env_for("Munich")
    obs, fb, done, _ = ask(env, "Is it Munich or Berlin?")
    assert obs == gmc.ONE_GUESS_REPLY and not done
    nice = env_for("Nice")
    assert ask(nice, "Is it a nice city?")[1]["kind"] != "guess"  # an ordinary word, not a guess
    assert ask(env, "Is it an old city?")[1]["kind"] != "guess"  # 'Old City' and 'University City' exist
    assert ask(env, "Is it a university city?")[1]["kind"] != "guess"
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
