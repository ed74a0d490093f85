import pytest

from curiosa import envs
from curiosa.models.chat import ChatTokenizer
from curiosa.models.tiny import train_tokenizer
from curiosa.rollout.backends.scripted import ScriptedBackend
from curiosa.rollout.engine import EngineConfig, RolloutEngine, make_jobs
from curiosa.rollout.store import TrajectoryStore
from curiosa.testing.models import save_tiny_model

GAMES = ("mastermind", "cellular_automata")  # short conversations keep the tests fast


@pytest.fixture(scope="session")
def tokenizer():
    texts = []
    for game in GAMES:
        env = envs.make(game, task=envs.load_tasks(game, "train")[0])
        texts.append(env.reset(seed=0)[0])
    texts += ["Thought: a guess.\nAnswer: 0123", "1234: 1 exact, 2 partial", "Pulled red: reward 1."]
    return train_tokenizer(texts * 10, vocab_size=800)


@pytest.fixture(scope="session")
def trajectories(tokenizer):
    """Noisy scripted play: successes in various numbers of turns, and failures."""
    tasks = [t for g in GAMES for t in envs.load_tasks(g, "train")[:6]]
    engine = RolloutEngine(ScriptedBackend("noisy", chat=ChatTokenizer(tokenizer)),
                           config=EngineConfig(progress=False))
    return engine.run(make_jobs(tasks, samples_per_task=4))


@pytest.fixture(scope="session")
def trajectory_file(tmp_path_factory, trajectories):
    path = tmp_path_factory.mktemp("data") / "trajectories.jsonl"
    with TrajectoryStore(path) as store:
        store.extend(trajectories)
    return path


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory, tokenizer):
    return save_tiny_model(tmp_path_factory.mktemp("model"), tokenizer, hidden_size=48, intermediate_size=96,
                           num_layers=2, num_heads=4, num_kv_heads=2, max_position_embeddings=2048)
