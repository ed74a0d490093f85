"""Run by test_generate in a subprocess: ``curiosa generate``'s job with a backend that stops, for good,
once the trajectory file holds a given number of episodes, so the test kills the run at a point it
controls (not at whatever point a timer happens to hit). Usage: script OUTPUT READY_FILE EPISODES ARGS..."""

import sys
import threading
from pathlib import Path

from curiosa.config import load_config
from curiosa.pipelines.generate import GenerateConfig, generate
from curiosa.rollout.backends import build_backend


class PausingBackend:
    """The real backend, until ``episodes`` trajectories are on disk: then it signals and blocks."""

    def __init__(self, inner, output: Path, ready: Path, episodes: int) -> None:
        self.inner, self.output, self.ready, self.episodes = inner, output, ready, episodes

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def generate(self, requests, sampling):
        if self.output.exists() and self.output.read_bytes().count(b"\n") >= self.episodes:
            self.ready.write_text("paused")
            threading.Event().wait()  # until killed
        return self.inner.generate(requests, sampling)


if __name__ == "__main__":
    output, ready, episodes = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    config = load_config(GenerateConfig, overrides=sys.argv[4:] + [f"output={output}"])
    generate(config, backend=PausingBackend(build_backend(config.model), output, ready, episodes))
    sys.exit("the run finished without pausing: make it longer")
