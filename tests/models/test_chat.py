import pytest

from curiosa.models.chat import ChatTokenizer, TemplateError, check_template
from curiosa.models.tiny import train_tokenizer

CONVERSATION = [
    {"role": "user", "content": "Let's play Wordle. Guess a five-letter word."},
    {"role": "assistant", "content": "Thought: a common opener.\nAnswer: crane"},
    {"role": "user", "content": "CRANE: C=grey R=yellow A=green N=grey E=grey\n5 turns left."},
    {"role": "assistant", "content": "Thought: R and A known.\nAnswer: roast"},
    {"role": "user", "content": "ROAST: R=green O=green A=green S=green T=green\nSolved!"},
]


@pytest.fixture(scope="module")
def tokenizer():
    texts = [m["content"] for m in CONVERSATION] * 20
    return train_tokenizer(texts, vocab_size=400)


def test_incremental_ids_match_the_template_and_mask_only_replies(tokenizer):
    chat = ChatTokenizer(tokenizer)
    enc = chat.encode(CONVERSATION)
    check_template(tokenizer, CONVERSATION)
    masked = [t for t, f in zip(enc.input_ids, enc.agent_mask) if f]
    assert masked.count(chat.stop_token_id) == 2
    assert tokenizer.decode(masked) == "Thought: a common opener.\nAnswer: crane<|im_end|>Thought: R and A known.\nAnswer: roast<|im_end|>"
    # generation-time pieces concatenate to the same ids
    ids = chat.start(CONVERSATION[:1])
    ids += chat.encode_reply(CONVERSATION[1]["content"])
    ids += chat.continue_after_reply(CONVERSATION[2]["content"])
    assert enc.input_ids[: len(ids)] == ids
    assert tokenizer.decode(ids).endswith("<|im_start|>assistant\n")


def test_cut_off_reply_gets_its_turn_ending_untrained(tokenizer):
    chat = ChatTokenizer(tokenizer)
    after = chat.continue_after_reply("obs", reply_ended=False)
    assert after[0] == chat.stop_token_id


def test_non_prefix_preserving_template_is_refused(tokenizer):
    tokenizer = train_tokenizer(["abc"], vocab_size=300)
    # drops earlier assistant turns once a later user turn exists, like "thinking-stripping" templates
    tokenizer.chat_template = (
        "{% for m in messages %}{% if m['role'] != 'assistant' or loop.last %}"
        "<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endif %}{% endfor %}"
        "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
    )
    with pytest.raises(TemplateError, match="prefix-preserving"):
        ChatTokenizer(tokenizer).continue_after_reply("hi")


LLAMA3_STYLE = (
    "{{- bos_token }}"
    "{%- for message in messages %}"
    "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}"
)


@pytest.fixture(scope="module")
def llama3_style_tokenizer():
    """A byte-level BPE tokenizer with Llama-3's turn format (BOS in the template, header tokens,
    <|eot_id|> with no newline after it, trimmed contents), built here since no hub is reachable."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    specials = ["<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator([m["content"] for m in CONVERSATION] * 20, trainers.BpeTrainer(
        vocab_size=500, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|begin_of_text|>", eos_token="<|eot_id|>")
    fast.chat_template = LLAMA3_STYLE
    return fast


def test_llama3_style_template_masks_exactly_the_replies(llama3_style_tokenizer):
    tok = llama3_style_tokenizer
    chat = ChatTokenizer(tok)
    assert tok.convert_ids_to_tokens(chat.stop_token_id) == "<|eot_id|>"
    check_template(tok, CONVERSATION)
    enc = chat.encode(CONVERSATION)
    assert enc.input_ids[0] == tok.bos_token_id and enc.input_ids.count(tok.bos_token_id) == 1
    masked = tok.decode([t for t, f in zip(enc.input_ids, enc.agent_mask) if f])
    assert masked == "Thought: a common opener.\nAnswer: crane<|eot_id|>Thought: R and A known.\nAnswer: roast<|eot_id|>"
    # the header of each assistant turn is prompt, not trained
    unmasked = tok.decode([t for t, f in zip(enc.input_ids, enc.agent_mask) if not f])
    assert unmasked.count("<|start_header_id|>assistant<|end_header_id|>") == 2


def test_every_game_conversation_keeps_the_invariants(tokenizer, llama3_style_tokenizer):
    from curiosa import envs, policies

    for game in policies.games():
        result = policies.run_episode(envs.make(game), policies.scripted(game, "heuristic"), seed=0,
                                      task=envs.load_tasks(game, "test")[0])
        for tok in (tokenizer, llama3_style_tokenizer):
            check_template(tok, result.messages)
