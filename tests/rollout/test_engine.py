import copy

import pytest
import torch

from curiosa import envs, policies
from curiosa.models.chat import ChatTokenizer
from curiosa.rollout.backends.scripted import ScriptedBackend, policy_seed
from curiosa.rollout.backends.transformers_backend import TransformersBackend
from curiosa.rollout.engine import EngineConfig, RolloutEngine, make_jobs
from curiosa.rollout.types import SamplingConfig

QUIET = EngineConfig(max_concurrent=5, progress=False)


def tasks(*games, n=3):
    return [t for g in games for t in envs.load_tasks(g, "test")[:n]]


def test_engine_plays_like_the_sequential_runner(tiny_tokenizer):
    chat = ChatTokenizer(tiny_tokenizer)
    jobs = make_jobs(tasks("wordle", "mastermind", "cellular_automata"), samples_per_task=2, seed=3)
    trajectories = RolloutEngine(ScriptedBackend("expert", chat=chat), config=QUIET).run(jobs)
    assert sorted(t.id for t in trajectories) == sorted(j.id for j in jobs)
    by_id = {t.id: t for t in trajectories}
    for job in jobs:
        t = by_id[job.id]
        policy = policies.scripted(job.task.group, "expert", seed=policy_seed(job.id))
        ref = policies.run_episode(envs.make(job.task.group), policy,
                                   seed=job.seed, task=job.task)
        assert t.success == ref.success and t.num_turns == ref.num_turns
        assert t.stop_reason == ("success" if ref.success else "turn_limit")
        # exact ids: the incremental encoding equals encoding the finished conversation
        enc = chat.encode(t.messages)
        assert t.input_ids == enc.input_ids and t.agent_mask == enc.agent_mask
        assert t.agent_mask.count(1) > 0 and t.policy["backend"] == "scripted"


def test_unreadable_replies_are_resampled_then_fail(tiny_tokenizer):
    chat = ChatTokenizer(tiny_tokenizer)
    jobs = make_jobs(tasks("mastermind", n=6), samples_per_task=1)
    engine = RolloutEngine(ScriptedBackend("expert", chat=chat, garble=0.3), config=QUIET)
    trajectories = engine.run(jobs)
    assert engine.stats["resamples"] > 0
    assert sum(t.format_errors for t in trajectories) == engine.stats["resamples"] + sum(
        t.stop_reason == "format_failure" for t in trajectories)
    assert all(t.invalid_actions == 0 for t in trajectories), "garbled replies never reach the environment"
    always_garbled = RolloutEngine(ScriptedBackend("expert", chat=chat, garble=1.0),
                                   config=EngineConfig(max_resamples=2, progress=False)).run(jobs[:2])
    for t in always_garbled:
        assert t.stop_reason == "format_failure" and t.format_errors == 3 and not t.success
        assert t.messages[-1]["role"] == "assistant"


def test_text_backend_gives_trajectories_without_ids():
    jobs = make_jobs(tasks("bandit_best_arm", n=2), samples_per_task=1)
    trajectories = RolloutEngine(ScriptedBackend("expert"), config=QUIET).run(jobs)
    assert all(t.input_ids is None and t.num_turns == 21 for t in trajectories)
    # bandit trajectories are ranked by reward collected
    assert all(t.score == float(t.success) + t.info["final_feedback"]["total_reward"] / 1000 for t in trajectories)


def test_model_rollouts_are_deterministic_and_diverse(tiny_model, tiny_tokenizer):
    jobs = make_jobs(tasks("wordle", "bandit_best_arm", n=2), samples_per_task=2)
    sampling = SamplingConfig(temperature=1.0, max_new_tokens=12, seed=5)

    def run():
        engine = RolloutEngine(TransformersBackend(tiny_model, tiny_tokenizer), sampling,
                               EngineConfig(max_concurrent=3, max_resamples=1, progress=False))
        return sorted((t.id, tuple(t.input_ids)) for t in engine.run(jobs))

    first = run()
    assert first == run()
    assert len({ids for _, ids in first}) == len(first)


def _play(model, tokenizer, jobs, continuous, max_concurrent, refill_share=0.25):
    """Trajectories by id, and the number of requests of each generate call."""
    backend = TransformersBackend(model, tokenizer, refill_share=refill_share)
    calls = []
    generate = backend.generate

    def counted(requests, sampling, on_result=None):
        calls.append(len(requests))
        return generate(requests, sampling, on_result=on_result)

    backend.generate = counted
    engine = RolloutEngine(backend, SamplingConfig(temperature=1.0, max_new_tokens=12, seed=5),
                           EngineConfig(max_concurrent=max_concurrent, max_resamples=1, progress=False,
                                        continuous=continuous))
    trajectories = engine.run(jobs)
    return {t.id: (t.input_ids, t.agent_mask, t.stop_reason, t.format_errors) for t in trajectories}, calls


@pytest.fixture(scope="module")
def ending_model(tiny_model, tiny_tokenizer):
    """The tiny model, more often ending its replies: they end after different numbers of tokens, so rows
    are still decoding when others' next turns join."""
    model = copy.deepcopy(tiny_model)
    with torch.no_grad():
        model.lm_head.weight[ChatTokenizer(tiny_tokenizer).stop_token_id] *= 2
    return model


@pytest.mark.parametrize("refill_share", [0.0, 0.25, 1.0])
def test_continuous_batching_plays_the_same_episodes_as_rounds(ending_model, tiny_tokenizer, refill_share):
    """While episodes wait, an episode's next turn joins the passes still running (one generate call until
    none wait), and every episode is played as in rounds: its draws are its own, and this float32 model
    rounds the same in any batch."""
    jobs = make_jobs(tasks("wordle", "math_synthetic", "mastermind", n=3), samples_per_task=2)  # math: 2 turns
    rounds, round_calls = _play(ending_model, tiny_tokenizer, jobs, False, 4)
    continuous, continuous_calls = _play(ending_model, tiny_tokenizer, jobs, True, 4, refill_share)
    assert continuous == rounds and len(rounds) == len(jobs)
    assert len({mask.count(1) for _, mask, _, _ in rounds.values()}) > 1  # replies of different lengths
    assert any(0 in mask[mask.index(1):] for _, mask, _, _ in rounds.values() if 1 in mask)  # a turn after a reply
    assert any(errors for *_, errors in rounds.values())  # resamples: the same prompt again under one key
    assert continuous_calls[0] == 4 and len(continuous_calls) < len(round_calls)


def test_continuous_batching_with_no_episode_waiting_plays_in_rounds(ending_model, tiny_tokenizer):
    jobs = make_jobs(tasks("math_synthetic", n=3), samples_per_task=2)
    assert _play(ending_model, tiny_tokenizer, jobs, True, 8) == _play(ending_model, tiny_tokenizer, jobs, False, 8)


def test_system_prompt_is_prepended(tiny_tokenizer):
    chat = ChatTokenizer(tiny_tokenizer)
    engine = RolloutEngine(ScriptedBackend("expert", chat=chat),
                           config=EngineConfig(system_prompt="You are a careful player.", progress=False))
    (t,) = engine.run(make_jobs(tasks("cellular_automata", n=1), 1))
    assert t.messages[0] == {"role": "system", "content": "You are a careful player."}
    assert t.input_ids == ChatTokenizer(tiny_tokenizer).encode(t.messages).input_ids


def test_duplicate_jobs_are_refused(tiny_tokenizer):
    jobs = make_jobs(tasks("wordle", n=1), 1)
    with pytest.raises(ValueError, match="listed twice"):
        RolloutEngine(ScriptedBackend("expert"), config=QUIET).run(jobs + jobs)


class _Replies:
    """A text backend answering every episode's turns from a fixed list."""

    token_level = False

    def __init__(self, replies):
        self.replies, self.turn = replies, {}

    def generate(self, requests, sampling):
        from curiosa.rollout.types import TurnResult

        out = []
        for r in requests:
            n = self.turn.get(r.key, 0)
            self.turn[r.key] = n + 1
            out.append(TurnResult(text=self.replies[min(n, len(self.replies) - 1)]))
        return out

    def release(self, key):
        pass

    def describe(self):
        return {"backend": "list"}


def test_an_unreadable_first_attempt_is_judged_wrong_and_the_second_attempt_happens():
    task = envs.load_tasks("math_synthetic", "test")[0]
    right = f"Thought: I know it.\nAnswer: {task.params['answer']}"
    engine = RolloutEngine(_Replies(["no answer line here", right]), config=EngineConfig(max_resamples=0, progress=False))
    (t,) = engine.run(make_jobs([task], 1))
    assert t.stop_reason == "success" and t.num_turns == 2
    assert t.info["final_feedback"]["attempt_rewards"] == [0.0, 1.0]
    assert t.info["final_feedback"]["transition"] == "i->c"
    # games whose unreadable replies end the episode are unchanged
    game = envs.load_tasks("mastermind", "test")[0]
    (g,) = RolloutEngine(_Replies(["gibberish"]), config=EngineConfig(max_resamples=0, progress=False)).run(make_jobs([game], 1))
    assert g.stop_reason == "format_failure" and g.num_turns == 0
