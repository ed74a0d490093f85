import json

import pytest

from curiosa.data.encode import Encoder, EncodingError
from curiosa.data.sets import DataConfig, build_preference_pairs, build_sft_set, to_hf_dataset, to_trl_preference
from curiosa.models.chat import ChatTokenizer
from curiosa.models.tiny import train_tokenizer
from curiosa.rollout.trajectory import Trajectory


def traj(task, i, success, turns, group="wordle", reward=None, stop=None):
    messages = [{"role": "user", "content": f"play {task}"}]
    for k in range(turns):
        messages += [{"role": "assistant", "content": f"Answer: move {k}"}, {"role": "user", "content": f"obs {k}"}]
    return Trajectory(
        id=f"{task}#{i}", task_id=task, group=group, split="train", sample_index=i, messages=messages,
        success=success, num_turns=turns, score=0.0, invalid_actions=0,
        stop_reason=stop or ("success" if success else "failure"), policy={}, seed=i,
        info={"final_feedback": {"total_reward": reward}} if reward is not None else {},
    )


def test_sft_set_keeps_successes_only():
    rows, stats = build_sft_set([traj("a", 0, True, 3), traj("a", 1, False, 6), traj("b", 0, True, 2)])
    assert [r.id for r in rows] == ["a#0", "b#0"] and stats.sft_rows == 2


def test_sft_per_task_keeps_each_tasks_best_successes():
    data = [traj("a", 0, True, 5), traj("a", 1, True, 3), traj("a", 2, False, 2), traj("a", 3, True, 3),
            traj("b", 0, True, 4), traj("k", 0, True, 21, "bandit_best_arm", reward=9),
            traj("k", 1, True, 21, "bandit_best_arm", reward=12), traj("k", 2, True, 21, "bandit_best_arm", reward=11)]
    rows, stats = build_sft_set(data, DataConfig(sft_per_task=2))
    # fewest turns first, ties in the order played; bandit by reward; the file's order is kept
    assert [r.id for r in rows] == ["a#1", "a#3", "b#0", "k#1", "k#2"]
    assert stats.sft_rows == 5 and stats.by_group["bandit_best_arm"]["sft_rows"] == 2
    rows, _ = build_sft_set(data, DataConfig(sft_per_task=1))
    assert [r.id for r in rows] == ["a#1", "b#0", "k#1"]
    assert len(build_sft_set(data)[0]) == 7
    with pytest.raises(ValueError, match="sft_per_task must be at least 1"):
        DataConfig(sft_per_task=0)


def test_pairs_choose_fewest_turns_and_clearly_worse_rejected():
    data = [traj("a", 0, True, 4), traj("a", 1, True, 2), traj("a", 2, True, 3), traj("a", 3, False, 6),
            traj("a", 4, True, 5)]
    seen = set()
    for seed in range(30):
        (pair,), _ = build_preference_pairs(data, DataConfig(seed=seed, min_turn_gap=2))
        assert pair.chosen.id == "a#1"
        seen.add(pair.rejected.id)
    assert seen == {"a#0", "a#3", "a#4"}, "uniform over failures and successes >= 2 more turns"
    (pair,), _ = build_preference_pairs(data, DataConfig(success_as_rejected=False))
    assert pair.rejected.id == "a#3"


def test_tasks_without_success_or_rejected_give_no_pair_and_are_counted():
    data = [traj("a", 0, False, 6), traj("a", 1, False, 6), traj("b", 0, True, 2), traj("b", 1, True, 3)]
    pairs, stats = build_preference_pairs(data, DataConfig(min_turn_gap=2))
    assert pairs == [] and stats.tasks_without_success == 1 and stats.tasks_without_rejected == 1


def test_pairs_are_grouped_by_task_id_not_secret():
    data = [traj("board-1", 0, True, 2), traj("board-2", 0, False, 6)]  # same secret, different boards
    pairs, _ = build_preference_pairs(data)
    assert pairs == []


def test_bandit_is_ranked_by_reward():
    data = [traj("k", 0, True, 21, "bandit_best_arm", reward=9), traj("k", 1, True, 21, "bandit_best_arm", reward=12),
            traj("k", 2, True, 21, "bandit_best_arm", reward=11), traj("k", 3, False, 21, "bandit_best_arm", reward=14)]
    for seed in range(20):
        (pair,), _ = build_preference_pairs(data, DataConfig(seed=seed, min_reward_gap=2))
        assert pair.chosen.id == "k#1" and pair.rejected.id in {"k#0", "k#3"}


def test_without_reward_ranking_bandit_successes_tie_and_only_failures_are_rejected():
    data = [traj("k", 0, True, 21, "bandit_best_arm", reward=9), traj("k", 1, True, 21, "bandit_best_arm", reward=12),
            traj("k", 2, True, 21, "bandit_best_arm", reward=11), traj("k", 3, False, 21, "bandit_best_arm", reward=14)]
    chosen = set()
    for seed in range(30):
        (pair,), _ = build_preference_pairs(data, DataConfig(seed=seed, reward_ranked=[]))
        assert pair.rejected.id == "k#3"
        chosen.add(pair.chosen.id)
    assert chosen == {"k#0", "k#1", "k#2"}
    rows, _ = build_sft_set(data, DataConfig(sft_per_task=1, reward_ranked=[]))
    assert [r.id for r in rows] == ["k#0"], "ties keep the order played"


def test_pairs_only_groups_give_pairs_but_no_sft_rows():
    data = [traj("a", 0, True, 2), traj("a", 1, False, 6), traj("k", 0, True, 21, "bandit_best_arm", reward=12),
            traj("k", 1, False, 21, "bandit_best_arm", reward=3)]
    config = DataConfig(pairs_only=["bandit_best_arm"])
    rows, stats = build_sft_set(data, config)
    assert [r.id for r in rows] == ["a#0"] and "bandit_best_arm" not in stats.by_group
    assert stats.withheld_pairs_only == 1
    pairs, stats = build_preference_pairs(data, config)
    assert sorted(p.id for p in pairs) == ["a#0>a#1", "k#0>k#1"] and stats.by_group["bandit_best_arm"]["pairs"] == 1
    assert [r.id for r in build_sft_set(data)[0]] == ["a#0", "k#0"]


def test_format_failures_and_long_trajectories_are_filtered():
    data = [traj("a", 0, True, 2), traj("a", 1, False, 1, stop="format_failure"), traj("a", 2, True, 5)]
    pairs, stats = build_preference_pairs(data, DataConfig(max_tokens=100), lengths={"a#0": 50, "a#1": 10, "a#2": 500})
    assert pairs == [] and stats.dropped_format_failures == 1 and stats.dropped_too_long == 1


def test_only_the_chosen_groups_are_used():
    data = [traj("a", 0, True, 2), traj("a", 1, False, 4), traj("k", 0, True, 3, "bandit_best_arm", reward=9)]
    rows, stats = build_sft_set(data, DataConfig(groups=["bandit_best_arm"]))
    assert [t.id for t in rows] == ["k#0"] and stats.dropped_other_groups == 2
    pairs, _ = build_preference_pairs(data, DataConfig(groups=["bandit_best_arm"]))
    assert pairs == []


def test_exports():
    data = [traj("a", 0, True, 1), traj("a", 1, False, 3)]
    pairs, _ = build_preference_pairs(data)
    (row,) = to_trl_preference(pairs)
    assert row["prompt"] == [{"role": "user", "content": "play a"}]
    assert row["chosen"][0]["role"] == "assistant" and len(row["rejected"]) == 6
    ds = to_hf_dataset(pairs)
    assert ds.num_rows == 1 and ds[0]["chosen"]["id"] == "a#0"
    assert json.loads(pairs[0].to_json())["rejected"]["id"] == "a#1"


@pytest.fixture(scope="module")
def tok():
    return train_tokenizer(["Answer: move 1", "play a", "obs 1"] * 20, vocab_size=300)


def test_encoder_uses_stored_ids_only_for_the_same_tokenizer(tok):
    enc = Encoder.for_tokenizer(tok)
    t = traj("a", 0, True, 2)
    fresh = ChatTokenizer(tok).encode(t.messages)
    t.input_ids, t.agent_mask = [7] + fresh.input_ids[1:], fresh.agent_mask  # a tampered first token
    assert enc.encode(t).input_ids == fresh.input_ids, "unknown tokenizer: re-encoded from the text"
    t.policy = {"tokenizer": enc.fingerprint}
    assert enc.encode(t).input_ids[0] == 7, "same tokenizer: the stored ids are used as they are"
    t.agent_mask = [0] * len(t.agent_mask)
    with pytest.raises(EncodingError, match="2 agent turns but 0 masked runs"):
        enc.encode(t)


def test_a_reply_marked_train_false_is_read_but_not_trained(tok):
    enc = Encoder.for_tokenizer(tok)
    t = traj("a", 0, True, 3)
    full = enc.encode(t)
    t.messages[3] = {**t.messages[3], "train": False}  # the second reply
    part = enc.encode(t)
    assert part.input_ids == full.input_ids
    starts = [i for i, m in enumerate(full.agent_mask) if m and (i == 0 or not full.agent_mask[i - 1])]
    second = range(starts[1], starts[2])
    assert [part.agent_mask[i] for i in second] == [0] * len(second) and any(full.agent_mask[i] for i in second)
    assert [m for i, m in enumerate(part.agent_mask) if i not in second] == [
        m for i, m in enumerate(full.agent_mask) if i not in second]


def test_leaving_out_a_group_without_a_success_selects_the_same_examples():
    """What lets a leave-one-out study reuse the all-groups model for a group that gave it no example:
    the random draws of pair selection are spent on tasks with a success only."""
    data = []
    for t, task in enumerate(["a1", "b1", "c1", "d1"]):  # the never-won group's tasks sort among the others'
        group = "mastermind" if task[0] in "bd" else "wordle"
        for i in range(5):
            won = group == "wordle" and i != 4
            data.append(traj(task, i, won, 2 + (i + t) % 2 if won else 6, group))
    everything, without = ["wordle", "mastermind"], ["wordle"]
    for seed in range(10):
        pairs = [build_preference_pairs(data, DataConfig(seed=seed, groups=groups, pairs_per_task=2))[0]
                 for groups in (everything, without)]
        assert [p.id for p in pairs[0]] == [p.id for p in pairs[1]] and pairs[0]
    rows = [build_sft_set(data, DataConfig(groups=groups))[0] for groups in (everything, without)]
    assert [t.id for t in rows[0]] == [t.id for t in rows[1]]
