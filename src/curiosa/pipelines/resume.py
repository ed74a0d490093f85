"""Refusing to resume work that was started with other settings or inputs.

Every stage of a pipeline skips what is done and resumes what is half done. That is only right when
the rerun asks for the same thing: a finished SFT model reused after its learning rate was changed, or
episodes of another model appended to a file, would give a result that matches neither setting, with
nothing to say so. Each stage therefore saves what defines its result next to it and, before it reuses
anything, compares: a difference is an error naming every changed key, its old and its new value.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from curiosa.config import to_dict
from curiosa.files import write_json
from curiosa.training.base import latest_checkpoint


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flat(item, f"{prefix}{key}."))
        return out
    return {prefix[:-1]: value}


def _under(key: str, prefixes: Iterable[str]) -> bool:
    return any(key == p or key.startswith(p + ".") for p in prefixes)


def _differences(saved: Mapping[str, Any], config: Any, prefix: str = "") -> dict[str, tuple[Any, Any]]:
    """Field by field; a nested config is compared key by key, any other value (a list, a mapping) whole,
    so that an entry removed from a mapping is a change. A field the file lacks counts at its default."""
    defaults = type(config)()
    out: dict[str, tuple[Any, Any]] = {}
    names = set()
    for f in dataclasses.fields(config):
        names.add(f.name)
        value = getattr(config, f.name)
        before = saved.get(f.name, to_dict(getattr(defaults, f.name)))
        if dataclasses.is_dataclass(value) and isinstance(before, Mapping):
            out.update(_differences(before, value, f"{prefix}{f.name}."))
        elif before != to_dict(value):
            out[prefix + f.name] = (before, to_dict(value))
    out.update({prefix + str(k): (v, None) for k, v in saved.items() if k not in names})
    return out


def settings_changes(saved_path: str | Path, config: Any, only: Iterable[str] = (),
                     ignore: Iterable[str] = ()) -> list[str]:
    """``key: old -> new`` for each dotted key whose value differs between ``config`` and the config saved
    at ``saved_path`` (by ``save_config``), among the keys under ``only`` (empty: all) and not under
    ``ignore``. Raises ValueError when the file is not a readable mapping."""
    path = Path(saved_path)
    try:
        saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ValueError(f"{path} cannot be read ({err}); use another output directory") from None
    if not isinstance(saved, Mapping):
        raise ValueError(f"{path} does not hold a mapping of settings; use another output directory")
    only, ignore = list(only), list(ignore)
    changes = _differences(saved, config)
    return [f"{k}: {old!r} -> {new!r}" for k, (old, new) in sorted(changes.items())
            if (not only or _under(k, only)) and not _under(k, ignore)]


def refuse_changes(where: str | Path, what: str, changes: list[str], fix: str = "output directory") -> None:
    """Raise the one error of every resume check when ``changes`` is not empty."""
    if changes:
        raise ValueError(f"{where} holds {what} made with other settings ({', '.join(changes)}); resuming would "
                         f"mix them. Choose another {fix}, or delete it to start over.")


def file_digest(path: str | Path) -> str:
    """sha256 of a file's content: a data file appended to since a stage used it has another digest."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


INPUTS_FILE = "inputs.json"
"""Written into a stage's directory when it starts: what it reads besides its config (data digests,
starting model), compared when it is resumed."""


def save_inputs(directory: str | Path, inputs: Mapping[str, Any]) -> None:
    write_json(Path(directory) / INPUTS_FILE, dict(inputs))


def inputs_changes(directory: str | Path, inputs: Mapping[str, Any]) -> list[str]:
    """``key: old -> new`` for each input that differs from the record ``save_inputs`` left in
    ``directory`` (none when there is no record: a directory written before records were kept)."""
    path = Path(directory) / INPUTS_FILE
    if not path.is_file():
        return []
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ValueError(f"{path} cannot be read ({err}); use another output directory") from None
    before, now = _flat(saved), _flat(json.loads(json.dumps(dict(inputs))))
    return [f"{k}: {before.get(k)!r} -> {now.get(k)!r}" for k in sorted(set(before) | set(now))
            if before.get(k) != now.get(k)]


def check_training_stage(out: str | Path, what: str, config: Any, inputs: Mapping[str, Any] | None,
                         ignore: Iterable[str] = ()) -> None:
    """Refuse to reuse a finished model (``out/model/DONE``) or a checkpoint (``out/checkpoints/step-*``)
    of a trainer whose saved ``out/config.yaml`` or inputs record differ from ``config`` and ``inputs``
    (None: not compared) outside the keys under ``ignore``: the result would stand for a run that never
    happened. Nothing to reuse, nothing to check."""
    out = Path(out)
    saved = out / "config.yaml"
    started = (out / "model" / "DONE").is_file() or latest_checkpoint(out) is not None
    if saved.is_file() and started:
        changes = settings_changes(saved, config, ignore=ignore)
        refuse_changes(out, what, changes + (inputs_changes(out, inputs) if inputs is not None else []))
