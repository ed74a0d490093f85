import pytest

from curiosa import envs
from curiosa.evaluation.self_correction import (
    attempts, format_self_correction_table, result_checks, result_headline, summarize_self_correction,
)
from curiosa.rollout.trajectory import Trajectory


def _episode(task_id, rewards, answers, stop="failure"):
    return Trajectory(id=f"{task_id}#0", task_id=task_id, group="math_synthetic", split="test", sample_index=0,
                      messages=[], success=bool(rewards and rewards[-1]), num_turns=len(rewards), score=0.0,
                      invalid_actions=0, stop_reason=stop, policy={}, seed=0,
                      info={"final_feedback": {"attempt_rewards": rewards, "attempt_answers": answers}})


def test_the_env_records_each_attempts_answer():
    env = envs.make("math_synthetic", task=envs.load_tasks("math_synthetic", "test")[0])
    env.reset(seed=0)
    env.step("Thought: x\nAnswer: 3/4")
    *_, info = env.step("Thought: y\nAnswer: 0.75")
    assert info["feedback"]["attempt_answers"] == ["3/4", "3/4"]  # the same number, however written


def test_metrics_count_missing_attempts_as_wrong():
    episodes = [
        _episode("t1", [0.0, 1.0], ["1", "2"]),      # i->c, changed
        _episode("t2", [1.0, 0.0], ["2", "5"]),      # c->i, changed
        _episode("t3", [1.0, 1.0], ["4", "4"]),      # c->c, same answer
        _episode("t4", [], [], stop="format_failure"),  # no readable attempt at all: nothing changed
        _episode("t5", [1.0], ["7"], stop="format_failure"),  # right, then unreadable: changed
    ]
    assert attempts(episodes[3]) == ([0.0, 0.0], [None, None])
    s = summarize_self_correction(episodes, by=None, resamples=50)
    assert s["episodes"] == 5
    assert s["accuracy_t1"] == 0.6 and s["accuracy_t2"] == 0.4 and s["delta"] == pytest.approx(-0.2)
    assert s["delta_i_to_c"] == 0.2 and s["delta_c_to_i"] == 0.4
    assert s["changed_answer_rate"] == 0.6
    lo, hi = s["intervals"]["delta"]
    assert lo <= s["delta"] <= hi
    table = format_self_correction_table({"base": s})
    assert "Acc@t1" in table and "base" in table


def test_breakdown_by_task_parameter_and_empty_input():
    episodes = [_episode("a", [0.0, 1.0], ["1", "2"]), _episode("b", [0.0, 0.0], ["1", "1"])]
    s = summarize_self_correction(episodes, resamples=10, task_params={"a": {"difficulty": 1}, "b": {"difficulty": 2}})
    assert s["breakdown"]["1"]["delta"] == 1.0 and s["breakdown"]["2"]["delta"] == 0.0
    with pytest.raises(ValueError, match="no episodes"):
        summarize_self_correction([])


def test_result_checks_compare_score_with_every_other_method():
    def summary(t1, t2, ic, ci):
        return {"delta": t2 - t1, "delta_i_to_c": ic, "delta_c_to_i": ci}

    good = result_checks({"base": summary(0.1, 0.08, 0.01, 0.03), "score": summary(0.1, 0.12, 0.03, 0.01)})
    assert good["delta_positive"] and good["i_to_c_above_c_to_i"] and good["above_every_other_delta"]
    tie = result_checks({"star": summary(0.1, 0.12, 0.02, 0.0), "score": summary(0.1, 0.12, 0.03, 0.01)})
    assert not tie["above_every_other_delta"]
    # equal counts that differ only by float rounding (0.035 - 0.03 vs 0.03 - 0.025) are a tie, not a lead
    float_tie = result_checks({"stage2_only": summary(0.025, 0.03, 0.005, 0.0), "score": summary(0.03, 0.035, 0.02, 0.015)})
    assert float_tie["delta_positive"] and not float_tie["above_every_other_delta"]
    noisy = dict(summary(0.1, 0.12, 0.03, 0.01), intervals={"delta": [-0.01, 0.05]})
    checks = result_checks({"base": summary(0.1, 0.08, 0.01, 0.03), "score": noisy})
    assert checks["above_every_other_delta"] and not checks["interval_above_zero"]
    assert "includes zero" in result_headline(checks)
    assert result_checks({"base": summary(0, 0, 0, 0)}) == {}
