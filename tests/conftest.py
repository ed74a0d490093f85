import os
import socket
import subprocess
import sys

import pytest
import torch
from hypothesis import HealthCheck, settings

from curiosa import envs
from curiosa.models.tiny import TinyModelConfig, build_model, train_tokenizer

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def tiny_tokenizer():
    texts = []
    for game in ("wordle", "mastermind", "bandit_best_arm"):
        env = envs.make(game, task=envs.load_tasks(game, "train")[0])
        texts.append(env.reset(seed=0)[0])
    texts += ["Thought: a guess.\nAnswer: crane", "1234: 1 exact, 2 partial", "Pulled red: reward 1."]
    return train_tokenizer(texts * 10, vocab_size=600)


@pytest.fixture(scope="session")
def tiny_model(tiny_tokenizer):
    """A random model whose outputs vary (large init), so greedy decoding is a sharp test."""
    model = build_model(tiny_tokenizer, TinyModelConfig(hidden_size=64, intermediate_size=128, num_layers=2,
                                                        num_heads=4, num_kv_heads=2))
    torch.manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() > 1:
                p.normal_(0, 0.3)
    return model.eval()


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, tiny_model, tiny_tokenizer):
    path = tmp_path_factory.mktemp("tiny-model")
    tiny_model.save_pretrained(path)
    tiny_tokenizer.save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def ray_cluster(request):
    """A local Ray instance with 2 CPUs, listening on loopback only; shut down after the module that asked."""
    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # read by Ray at import
    ray = pytest.importorskip("ray")
    started = not ray.is_initialized()
    if started:
        ray.init(address="local", num_cpus=2, include_dashboard=False)
    ray.cloudpickle.register_pickle_by_value(request.module)  # the workers cannot import a test file
    yield ray
    if started:
        ray.shutdown()


def _failure_report(stderr: str, limit: int = 8000) -> str:
    """A failed subprocess's stderr from its first traceback on: with two processes the one that died first
    printed its error long before the launcher's summary at the end."""
    start = stderr.find("Traceback")
    head = stderr[start:start + limit] if start >= 0 else ""
    return f"{head}\n...\n{stderr[-3000:]}" if head else stderr[-limit:]


@pytest.fixture
def accelerate_launch():
    """Runs `accelerate launch <args>` (a script, or ``-m`` and a module) as 2 CPU processes (gloo), on a free
    port of its own: accelerate's default port is checked and then bound, so two launches on pytest's two workers could
    both take it."""
    def launch(args: list[str], timeout: float = 900) -> subprocess.CompletedProcess:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        # on a machine without GPUs, --multi_gpu starts CPU processes (gloo); --cpu would start only one
        command = [sys.executable, "-m", "accelerate.commands.accelerate_cli", "launch", "--multi_gpu",
                   "--num_processes", "2", "--num_machines", "1", "--main_process_port", str(port),
                   "--mixed_precision", "no", "--dynamo_backend", "no", *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                env={**os.environ, "OMP_NUM_THREADS": "1"})
        assert result.returncode == 0, _failure_report(result.stderr)
        return result
    return launch
