"""GGUF files as ordinary Hugging Face model directories.

transformers reads a GGUF file (de-quantizing its weights, rebuilding the tokenizer and the chat
template it carries), but the model it returns refuses ``save_pretrained``. ``convert`` builds a fresh
model from the same config, loads the de-quantized weights into it and saves that: bf16 safetensors,
the tokenizer with its chat template, and ``curiosa_source.json`` recording the source file's sha256.
``converted_dir`` caches one conversion per file content under ``$CURIOSA_HOME/models/gguf/``, so a
``.gguf`` path given as ``model.path`` is converted once and then loads like any other directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

SOURCE_FILE = "curiosa_source.json"
"""Written last into a converted directory: the source file's name, size and sha256."""


def curiosa_home() -> Path:
    """$CURIOSA_HOME, by default ~/.cache/curiosa: models, downloads and conversions live here."""
    return Path(os.environ.get("CURIOSA_HOME") or "~/.cache/curiosa").expanduser()


def sha256_of(path: str | Path, chunk: int = 1 << 22) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def is_converted(folder: str | Path, sha256: str | None = None) -> bool:
    """True when ``folder`` holds a finished conversion (of the file with ``sha256``, if given)."""
    record = Path(folder) / SOURCE_FILE
    if not record.is_file():
        return False
    try:
        stored = json.loads(record.read_text())
    except json.JSONDecodeError:
        return False
    return sha256 is None or stored.get("sha256") == sha256


def convert(gguf_path: str | Path, out: str | Path, *, dtype: str = "bfloat16", chat_template: str | None = None,
            sha256: str | None = None) -> Path:
    """Convert ``gguf_path`` into the model directory ``out`` (replaced if present). ``chat_template``
    overrides the file's (or supplies one where the file has none)."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    from curiosa.models.dtype import resolve_dtype

    source = Path(gguf_path)
    if not source.is_file():
        raise FileNotFoundError(f"GGUF file {source} does not exist")
    with open(source, "rb") as fh:
        if fh.read(4) != b"GGUF":
            raise ValueError(f"{source} is not a GGUF file (no GGUF magic bytes)")
    digest = sha256 or sha256_of(source)
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    folder, name = str(source.parent), source.name
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    if chat_template is not None:
        tokenizer.chat_template = chat_template
    loaded = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    config = AutoConfig.from_pretrained(folder, gguf_file=name)
    target_dtype = resolve_dtype(dtype)
    model = AutoModelForCausalLM.from_config(config, dtype=target_dtype)
    missing, unexpected = model.load_state_dict(loaded.state_dict(), strict=False)
    missing = [k for k in missing if not (k.endswith("lm_head.weight") and config.tie_word_embeddings)]
    if missing or unexpected:
        raise RuntimeError(f"{source}: the converted model does not match its config "
                           f"(missing {missing[:5]}, unexpected {unexpected[:5]})")
    model.generation_config = loaded.generation_config
    if tokenizer.eos_token_id is not None:
        model.generation_config.eos_token_id = tokenizer.eos_token_id
    if tokenizer.pad_token_id is not None:
        model.generation_config.pad_token_id = tokenizer.pad_token_id
    del loaded
    model.save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    record = {"file": name, "size": source.stat().st_size, "sha256": digest, "dtype": dtype}
    (tmp / SOURCE_FILE).write_text(json.dumps(record, indent=1) + "\n")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


def converted_dir(gguf_path: str | Path, *, chat_template: str | None = None, **kwargs: Any) -> Path:
    """The cached conversion of ``gguf_path`` (made on first use), keyed by the file's content."""
    from curiosa.files import file_lock

    digest = sha256_of(gguf_path)
    out = curiosa_home() / "models" / "gguf" / digest[:16]
    if not is_converted(out, digest):
        with file_lock(out.parent / f".{out.name}.lock"):
            if not is_converted(out, digest):
                convert(gguf_path, out, chat_template=chat_template, sha256=digest, **kwargs)
    return out
