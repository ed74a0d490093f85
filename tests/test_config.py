from dataclasses import dataclass, field
from typing import Literal, Optional

import pytest
import yaml

from curiosa.config import ConfigError, describe, field_docs, load_config, save_config


@dataclass
class Sampling:
    temperature: float = 1.0
    """Softmax temperature."""
    min_p: Optional[float] = None
    """Min-p cut-off, or none."""


@dataclass
class Job:
    games: list[str] = field(default_factory=lambda: ["wordle"])
    """Games to play."""
    samples: int = 4
    """Samples per task."""
    split: Literal["train", "test"] = "train"
    """Which split."""
    sampling: Sampling = field(default_factory=Sampling)
    """How to sample."""


def test_defaults_file_and_overrides_layer(tmp_path):
    path = tmp_path / "job.yaml"
    path.write_text("samples: 8\nsampling:\n  temperature: 1.5\n")
    cfg = load_config(Job, path, ["sampling.min_p=0.3", "games=[wordle, mastermind]", "split=test"])
    assert cfg == Job(games=["wordle", "mastermind"], samples=8, split="test", sampling=Sampling(1.5, 0.3))


def test_errors_name_the_problem(tmp_path):
    with pytest.raises(ConfigError, match="unknown config key.*sampling.temp\\b"):
        load_config(Job, None, ["sampling.temp=1"])
    with pytest.raises(ConfigError, match="samples: expected an integer"):
        load_config(Job, None, ["samples=many"])
    with pytest.raises(ConfigError, match="split: 'dev' is not one of"):
        load_config(Job, None, ["split=dev"])
    with pytest.raises(ConfigError, match="not of the form key=value"):
        load_config(Job, None, ["samples"])
    bad = tmp_path / "bad.yaml"
    bad.write_text("- a list\n")
    with pytest.raises(ConfigError, match="bad.yaml must hold a mapping"):
        load_config(Job, bad)
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(Job, tmp_path / "missing.yaml")


def test_saved_config_has_docs_and_round_trips(tmp_path):
    cfg = load_config(Job, None, ["samples=3", "sampling.min_p=0.1"])
    path = tmp_path / "saved.yaml"
    save_config(cfg, path)
    text = path.read_text()
    assert "# Samples per task." in text and "  # Min-p cut-off, or none." in text
    assert yaml.safe_load(text)["sampling"]["min_p"] == 0.1
    assert load_config(Job, path) == cfg


def test_field_docs_and_describe():
    assert field_docs(Job)["games"] == "Games to play."
    rows = {key: doc for key, _, doc in describe(Job)}
    assert rows["sampling.temperature"] == "Softmax temperature."


def test_describe_shows_the_defaults_a_parent_gives_its_sections():
    from curiosa.pipelines.paprika import PaprikaConfig

    defaults = {key: value for key, value, _ in describe(PaprikaConfig)}
    assert defaults["train_sampling.temperature"] == "1.5" and defaults["eval_sampling.temperature"] == "0.7"
    assert defaults["rpo.learning_rate"] == "2e-07" and defaults["sft.learning_rate"] == "1e-06"


def test_exponent_numbers_without_a_dot_are_floats(tmp_path):
    """YAML 1.1 reads 1e-3 as a string; a float field takes it as the number it obviously is."""
    path = tmp_path / "job.yaml"
    path.write_text("sampling:\n  temperature: 5e-1\n")
    assert load_config(Job, path).sampling.temperature == 0.5
    assert load_config(Job, None, ["sampling.min_p=1e-3"]).sampling.min_p == 0.001
    with pytest.raises(ConfigError, match="sampling.temperature: expected a number"):
        load_config(Job, None, ["sampling.temperature=hot"])


@dataclass
class Adapters:
    r: int = 16
    """Rank."""
    alpha: int = 32
    """Scale."""


@dataclass
class Trainer:
    lora: Optional[Adapters] = None
    """Adapters, or none (full fine-tuning)."""


def test_a_key_inside_a_switched_off_section_switches_it_on_with_its_defaults():
    assert load_config(Trainer, None, ["lora.r=8"]).lora == Adapters(r=8, alpha=32)
    assert load_config(Trainer, None, ["lora={}"]).lora == Adapters()
    assert load_config(Trainer, None, []).lora is None
    with pytest.raises(ConfigError, match="'samples' is not a section"):
        load_config(Job, None, ["samples.x=1"])
