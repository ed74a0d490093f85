"""The batched, cache-reusing backend gives exactly what one sequence at a time would."""

import copy
import sys
from collections import Counter

import pytest
import torch

from curiosa.models import attention

from curiosa.models.chat import ChatTokenizer
from curiosa.rollout.backends.transformers_backend import RowCache, TransformersBackend
from curiosa.rollout.types import SamplingConfig, TurnRequest
from curiosa.runtime import keep_freed_memory, release_memory, resident_bytes

GREEDY = SamplingConfig(temperature=0.0, max_new_tokens=8)


def greedy_reference(model, ids, n, stop):
    out = []
    for _ in range(n):
        with torch.no_grad():
            token = int(model(torch.tensor([ids + out])).logits[0, -1].argmax())
        out.append(token)
        if token == stop:
            break
    return out


def test_batched_turns_match_single_sequence_greedy(tiny_model, tiny_tokenizer):
    chat = ChatTokenizer(tiny_tokenizer)
    backend = TransformersBackend(tiny_model, tiny_tokenizer)
    convs = [[{"role": "user", "content": "Let's play Wordle. " * (i + 1)}] for i in range(3)]
    prompts = {f"e{i}": chat.start(c) for i, c in enumerate(convs)}
    first = backend.generate([TurnRequest(k, [], p) for k, p in prompts.items()], GREEDY)
    for (key, prompt), result in zip(prompts.items(), first):
        assert result.token_ids == greedy_reference(tiny_model, prompt, 8, chat.stop_token_id)
        assert result.prefill_tokens == len(prompt)
    # second turn: one episode ends, the others continue from their caches
    backend.release("e1")
    second = {}
    for (key, prompt), result in zip(prompts.items(), first):
        if key != "e1":
            second[key] = prompt + result.token_ids + chat.continue_after_reply(
                "CRANE: C=grey R=green " * len(key), reply_ended=result.ended)
    results = backend.generate([TurnRequest(k, [], p) for k, p in second.items()], GREEDY)
    replies = {k: r.token_ids for k, r in zip(prompts, first)}
    for (key, prompt), result in zip(second.items(), results):
        assert result.token_ids == greedy_reference(tiny_model, prompt, 8, chat.stop_token_id)
        # only the reply's last token (never fed) and the new turn are encoded; the rest is cached
        assert result.prefill_tokens == len(prompt) - len(prompts[key]) - len(replies[key]) + 1
    # a resample of the same prompt forgets the rejected reply and answers the same (greedy)
    again = backend.generate([TurnRequest(k, [], p) for k, p in second.items()], GREEDY)
    assert [r.token_ids for r in again] == [r.token_ids for r in results]
    assert all(r.prefill_tokens == 1 for r in again)


def test_new_episode_joins_a_running_batch(tiny_model, tiny_tokenizer):
    chat = ChatTokenizer(tiny_tokenizer)
    backend = TransformersBackend(tiny_model, tiny_tokenizer)
    a = chat.start([{"role": "user", "content": "First game."}])
    ra = backend.generate([TurnRequest("a", [], a)], GREEDY)[0]
    a2 = a + ra.token_ids + chat.continue_after_reply("Go on.", reply_ended=ra.ended)
    b = chat.start([{"role": "user", "content": "A second, later game with a longer instruction."}])
    ra2, rb = backend.generate([TurnRequest("a", [], a2), TurnRequest("b", [], b)], GREEDY)
    assert ra2.token_ids == greedy_reference(tiny_model, a2, 8, chat.stop_token_id)
    assert rb.token_ids == greedy_reference(tiny_model, b, 8, chat.stop_token_id)


def test_sampling_is_reproducible_for_a_seed(tiny_model, tiny_tokenizer):
    chat = ChatTokenizer(tiny_tokenizer)
    prompt = chat.start([{"role": "user", "content": "Play."}])
    sampling = SamplingConfig(temperature=1.5, min_p=0.1, max_new_tokens=10, seed=7)
    runs = [
        [r.token_ids for r in TransformersBackend(tiny_model, tiny_tokenizer).generate(
            [TurnRequest(f"k{i}", [], prompt) for i in range(4)], sampling)]
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert len({tuple(r) for r in runs[0]}) > 1, "samples of one prompt should differ"


def test_an_episodes_sampled_reply_does_not_depend_on_its_batch(tiny_model, tiny_tokenizer):
    """Each request draws from its own seeded stream, so splitting episodes across batches (or workers,
    or a resumed run) gives every episode the same reply."""
    chat = ChatTokenizer(tiny_tokenizer)
    sampling = SamplingConfig(temperature=1.5, min_p=0.05, max_new_tokens=10, seed=11)
    prompts = {f"ep{i}": chat.start([{"role": "user", "content": "Play a game. " * (i + 1)}]) for i in range(4)}
    together = TransformersBackend(tiny_model, tiny_tokenizer).generate(
        [TurnRequest(k, [], p) for k, p in prompts.items()], sampling)
    for (key, prompt), reply in zip(prompts.items(), together):
        alone = TransformersBackend(tiny_model, tiny_tokenizer).generate([TurnRequest(key, [], prompt)], sampling)[0]
        assert alone.token_ids == reply.token_ids
    # a resample of the same prompt for the same episode draws anew
    backend = TransformersBackend(tiny_model, tiny_tokenizer)
    first = backend.generate([TurnRequest("ep0", [], prompts["ep0"])], sampling)[0]
    again = backend.generate([TurnRequest("ep0", [], prompts["ep0"])], sampling)[0]
    assert first.token_ids == together[0].token_ids and again.token_ids != first.token_ids


def test_the_backend_counts_its_prefill_and_decoding_passes(tiny_model, tiny_tokenizer):
    chat = ChatTokenizer(tiny_tokenizer)
    backend = TransformersBackend(tiny_model, tiny_tokenizer, draft_tokens=0)
    prompts = [chat.start([{"role": "user", "content": "Play. " * (i + 1)}]) for i in range(3)]
    results = backend.generate([TurnRequest(f"e{i}", [], p) for i, p in enumerate(prompts)], GREEDY)
    s = backend.stats
    assert s["prefill_passes"] == 1 and s["prefill_tokens"] == sum(map(len, prompts))
    assert s["decode_passes"] + s["prefill_passes"] == s["forward_passes"]
    # a decoding pass feeds each reply still going its last token; a reply's last token is never fed
    assert s["decode_passes"] == max(len(r.token_ids) for r in results) - 1
    assert s["decode_rows"] == sum(len(r.token_ids) - 1 for r in results)
    assert s["decode_columns"] >= s["decode_passes"] * max(map(len, prompts))
    assert s["prefill_seconds"] > 0 and s["decode_seconds"] > 0


@pytest.mark.parametrize("lean", [True, False])
@pytest.mark.parametrize("overhead", [0, None])
def test_rows_whose_reply_ended_sit_out_while_the_rest_decode_as_alone(tiny_model, tiny_tokenizer, monkeypatch,
                                                                        lean, overhead):
    """A row whose reply has ended stays where it is while the rows around it decode on, in groups of
    neighbouring rows each read up to its own longest row (with no overhead per group, every row is its
    own group); every episode gets the reply it gets alone."""
    if overhead is not None:
        monkeypatch.setattr(attention, "SPAN_OVERHEAD", overhead)
    chat = ChatTokenizer(tiny_tokenizer)
    model = copy.deepcopy(tiny_model)
    with torch.no_grad():
        model.lm_head.weight[chat.stop_token_id] *= 2  # so that replies end after different numbers of tokens
    sampling = SamplingConfig(temperature=1.0, max_new_tokens=16, seed=3)
    prompts = {f"e{i}": chat.start([{"role": "user", "content": "Play a game. " * (3 * i + 1)}]) for i in range(6)}
    together = TransformersBackend(model, tiny_tokenizer, lean=lean).generate(
        [TurnRequest(k, [], p) for k, p in prompts.items()], sampling)
    lengths = [len(r.token_ids) for r in together]
    assert any(lengths[i] < max(lengths[i + 1:]) for i in range(len(lengths) - 1)), lengths  # a row sat out
    for (key, prompt), reply in zip(prompts.items(), together):
        alone = TransformersBackend(model, tiny_tokenizer, lean=lean).generate([TurnRequest(key, [], prompt)], sampling)
        assert alone[0].token_ids == reply.token_ids


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_a_grown_cache_hands_its_old_allocations_back():
    """Under keep_freed_memory the replaced allocations would stay resident beside the new one."""
    keep_freed_memory()
    release_memory()
    before = resident_bytes()
    cache = RowCache(num_layers=8)
    cache.add_row(16)
    cache.reserve(1024, rows=16)
    cache.tensors(kv_heads=2, head_dim=64, dtype=torch.float32, device=torch.device("cpu"))[0][0].fill_(1.0)
    pinned = []
    for capacity in (1536, 2304, 3456):  # 134 MB grown three times, other memory taken in between
        pinned.append(torch.ones(2**20))
        cache.reserve(capacity, rows=16)
    live = sum(2 * layer.keys.numel() * layer.keys.element_size() for layer in cache.layers)
    assert cache.layers[0].keys[0, 0, 0, 0] == 1.0 and cache.plan.capacity == 3584
    assert resident_bytes() - before < live + 64 * 2**20  # kept without handing back: about 200 MB more


def test_the_cache_keeps_only_the_rows_in_use_when_it_grows_and_regrows_up_to_its_peak():
    cache = RowCache(num_layers=2)
    for rows in range(1, 11):  # ten episodes join one by one: doubling from 8
        cache.add_row(rows)
    assert cache.plan.total == 16
    cache.reserve(256, rows=10)
    keys = cache.tensors(kv_heads=1, head_dim=2, dtype=torch.float32, device=torch.device("cpu"))[0]
    for row in range(10):
        keys[1][row, 0, :200] = row
    cache.reserve(300, rows=6)  # the longest episodes outlast the rest: only the six left are kept
    assert cache.plan.total == 6 and cache.layers[1].keys.shape == (6, 1, 512, 2)
    cache.add_row(7)  # another joins: doubling, but not beyond the ten used before
    assert cache.plan.total == 10
    cache.add_row(11)  # more than ever before: doubling again
    assert cache.plan.total == 20 and cache.layers[1].keys.shape == (20, 1, 512, 2)
    for row in range(6):
        assert torch.equal(cache.layers[1].keys[row, 0, :200], torch.full((200, 2), float(row)))
    assert not cache.layers[1].keys[6:, :, :].any()


@pytest.mark.parametrize("lean", [True, False])
@pytest.mark.parametrize("temperature", [0.0, 1.0])
def test_drafting_checks_several_tokens_a_pass_and_changes_no_reply(tiny_model, tiny_tokenizer, lean, temperature):
    """Prompt-lookup drafts checked in one pass keep only the tokens sampling picks (one draw per sampled
    token, in order), so every turn of every episode is the reply decoding one token a pass gives, in
    fewer passes."""
    chat = ChatTokenizer(tiny_tokenizer)
    sampling = SamplingConfig(temperature=temperature, max_new_tokens=24, seed=5)
    prompts = {f"e{i}": chat.start([{"role": "user", "content": "Play a game. " * (2 * i + 1)}]) for i in range(5)}
    model = copy.deepcopy(tiny_model)  # made to repeat itself, as agents' replies do, so that drafts are kept
    first = TransformersBackend(model, tiny_tokenizer).generate([TurnRequest(k, [], p) for k, p in prompts.items()], GREEDY)
    favourites = [t for t, _ in Counter(t for r in first for t in r.token_ids).most_common(4)]
    with torch.no_grad():
        model.lm_head.weight[favourites] *= 4

    def play(backend):
        replies, current = [], dict(prompts)
        for turn in range(3):
            results = backend.generate([TurnRequest(k, [], p) for k, p in current.items()], sampling)
            replies.append([r.token_ids for r in results])
            current = {k: p + r.token_ids + chat.continue_after_reply(f"Turn {turn}: go on.", reply_ended=r.ended)
                       for (k, p), r in zip(current.items(), results)}
        return replies

    plain = TransformersBackend(model, tiny_tokenizer, lean=lean, draft_tokens=0)
    drafting = TransformersBackend(model, tiny_tokenizer, lean=lean, draft_tokens=4, draft_budget=64)
    assert play(drafting) == play(plain)
    assert 0 < drafting.stats["draft_kept"] <= drafting.stats["draft_tokens"]
    assert drafting.stats["decode_passes"] < plain.stats["decode_passes"]
    assert plain.stats["draft_tokens"] == 0


def test_drafts_go_only_to_passes_with_few_rows(tiny_model, tiny_tokenizer):
    chat = ChatTokenizer(tiny_tokenizer)
    prompts = [chat.start([{"role": "user", "content": "Play. " * (i + 1)}]) for i in range(4)]
    # a budget of 4 tokens a pass: 4 rows get no draft (4 // 4 - 1 = 0), 2 rows get one token each
    backend = TransformersBackend(tiny_model, tiny_tokenizer, draft_tokens=4, draft_budget=4)
    backend.generate([TurnRequest(f"e{i}", [], p) for i, p in enumerate(prompts)], GREEDY)
    assert backend.stats["draft_tokens"] == 0
    backend.generate([TurnRequest(f"f{i}", [], p) for i, p in enumerate(prompts[:2])], GREEDY)
    assert 0 < backend.stats["draft_tokens"] <= backend.stats["decode_rows"]


def test_bad_drafting_settings_are_refused(tiny_model, tiny_tokenizer):
    with pytest.raises(ValueError, match="draft_tokens"):
        TransformersBackend(tiny_model, tiny_tokenizer, draft_tokens=-1)
    with pytest.raises(ValueError, match="draft_budget"):
        TransformersBackend(tiny_model, tiny_tokenizer, draft_tokens=2, draft_budget=0)


def test_a_model_config_turns_drafting_on_for_the_transformers_backend_only(tiny_model_dir):
    from curiosa.rollout.backends import ModelConfig, build_backend

    backend = build_backend(ModelConfig(path=str(tiny_model_dir), dtype="float32", draft_tokens=3, draft_budget=16))
    assert (backend.draft_tokens, backend.draft_budget) == (3, 16)
    with pytest.raises(ValueError, match="draft_budget are settings of the transformers backend, not of 'openai'"):
        build_backend(ModelConfig(path="m", backend="openai", base_url="http://127.0.0.1:9/v1", draft_tokens=3))
