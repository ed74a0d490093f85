import pytest

from curiosa import envs
from curiosa.models.tiny import train_tokenizer
from curiosa.rollout.backends.scripted import ScriptedBackend
from curiosa.testing.models import save_tiny_model


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory):
    """A tiny random base model (with its tokenizer) for the pipeline tests' mastermind and cellular_automata runs."""
    texts = [envs.make(g, task=envs.load_tasks(g, "train")[0]).reset(seed=0)[0]
             for g in ("mastermind", "cellular_automata")]
    tokenizer = train_tokenizer((texts + ["Thought: a guess.\nAnswer: 0123"]) * 10, vocab_size=600)
    return save_tiny_model(tmp_path_factory.mktemp("base"), tokenizer, hidden_size=32, intermediate_size=64,
                           num_layers=1, num_heads=2, num_kv_heads=1, max_position_embeddings=2048)


class RecordingBackend(ScriptedBackend):
    """Scripted play that keeps the games of every batch it is asked for."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.batches: list[set[str]] = []

    def generate(self, requests, sampling):
        self.batches.append({envs.get_task(r.key.split("#")[0]).group for r in requests})
        return super().generate(requests, sampling)


@pytest.fixture
def recording_backend():
    """Makes a :class:`RecordingBackend` (the arguments of ``ScriptedBackend``)."""
    return RecordingBackend
