"""twenty_questions LLM mode: the simulator's prompt, strict reply extraction, the judge."""

from curiosa import envs
from curiosa.envs.twenty_questions.replies import extract_llm_reply

GAME = "twenty_questions"


def test_llm_simulator_prompt_names_the_secret_and_the_reply_form(task_for):
    env = envs.make(GAME, task=task_for("animals", "giraffe"))
    env.reset(seed=0)
    prompt = env.llm_simulator_prompt()
    for text in ("giraffe", "camelopard", "animals", "Yes", "No", "Goal reached", "Is it a mammal"):
        assert text in prompt
    assert "Does it eat meat" not in prompt  # only the true facts are listed


def test_llm_reply_extraction_is_strict():
    assert extract_llm_reply("Yes") == "Yes" and extract_llm_reply(" no. ") == "No"
    assert extract_llm_reply("**Goal reached!**") == "Goal reached" and extract_llm_reply("'YES'") == "Yes"
    for text in ("Yes, it is.", "Maybe", "I think so", "", "No no", "Goal"):
        assert extract_llm_reply(text) is None, text


def test_llm_judge_and_feedback(task_for):
    env = envs.make(GAME, task=task_for("animals", "giraffe"))
    env.reset(seed=0)
    spec = env.llm_judge("Is it a giraffe?")
    assert "giraffe" in spec.question and "camelopard" in spec.question
    assert spec.labels == {"yes": (True, True), "no": (False, False)}
    assert env.llm_feedback("Is it a giraffe?", "yes") == {"kind": "guess", "answer": "goal", "attribute": None}
    assert env.llm_feedback("Does it have fur?", "no") == {"kind": "question", "answer": None, "attribute": "fur"}
