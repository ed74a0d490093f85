"""The resume checks every stage shares: what changed between a saved config or inputs record and now."""

from dataclasses import dataclass, field

import pytest

from curiosa.config import save_config
from curiosa.pipelines.resume import inputs_changes, refuse_changes, save_inputs, settings_changes


@dataclass
class Inner:
    temperature: float = 1.0
    threads: int = 1


@dataclass
class Outer:
    seed: int = 0
    name: str = "a"
    inner: Inner = field(default_factory=Inner)
    weights: dict = field(default_factory=lambda: {"a": 1.0, "b": 2.0})


def test_settings_changes_names_each_changed_dotted_key_with_both_values(tmp_path):
    path = tmp_path / "config.yaml"
    save_config(Outer(), path)
    assert settings_changes(path, Outer()) == []
    now = Outer(seed=3, inner=Inner(temperature=0.7, threads=4))
    assert settings_changes(path, now) == ["inner.temperature: 1.0 -> 0.7", "inner.threads: 1 -> 4", "seed: 0 -> 3"]
    assert settings_changes(path, now, only=["inner"], ignore=["inner.threads"]) == ["inner.temperature: 1.0 -> 0.7"]
    assert settings_changes(path, now, only=["seed"]) == ["seed: 0 -> 3"]


def test_a_mapping_is_compared_whole_so_that_a_removed_entry_counts(tmp_path):
    path = tmp_path / "config.yaml"
    save_config(Outer(), path)
    assert settings_changes(path, Outer(weights={"a": 1.0})) == ["weights: {'a': 1.0, 'b': 2.0} -> {'a': 1.0}"]
    save_config(Outer(weights={}), path)
    assert settings_changes(path, Outer()) == ["weights: {} -> {'a': 1.0, 'b': 2.0}"]


def test_a_field_the_saved_file_lacks_counts_at_its_default(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("seed: 0\ninner:\n  temperature: 1.0\n")  # written before name and threads existed
    assert settings_changes(path, Outer()) == []
    assert settings_changes(path, Outer(name="b")) == ["name: 'a' -> 'b'"]
    path.write_text("seed: 0\nretired: 5\n")  # a setting that no longer exists changed what was made
    assert settings_changes(path, Outer()) == ["retired: 5 -> None"]


def test_an_unreadable_saved_config_is_named(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("- a list\n")
    with pytest.raises(ValueError, match="config.yaml does not hold a mapping of settings"):
        settings_changes(path, Outer())
    path.write_text("seed: [unclosed\n")
    with pytest.raises(ValueError, match="config.yaml cannot be read"):
        settings_changes(path, Outer())


def test_inputs_changes_compares_with_the_saved_record_and_accepts_a_directory_without_one(tmp_path):
    assert inputs_changes(tmp_path, {"model": "m"}) == []
    save_inputs(tmp_path, {"model": "m", "data": {"a.jsonl": "00"}})
    assert inputs_changes(tmp_path, {"model": "m", "data": {"a.jsonl": "00"}}) == []
    assert inputs_changes(tmp_path, {"model": "n", "data": {"a.jsonl": "00"}}) == ["model: 'm' -> 'n'"]


def test_refuse_changes_raises_only_for_changes():
    refuse_changes("run", "a training run", [])
    with pytest.raises(ValueError, match=r"run holds a training run made with other settings \(seed: 0 -> 3\); "
                                         r"resuming would mix them. Choose another output_dir, or delete it"):
        refuse_changes("run", "a training run", ["seed: 0 -> 3"], fix="output_dir")
