"""A .gguf path is a model: converted once into a cached directory; bad files are named."""

import json

import pytest

from curiosa.models import gguf
from curiosa.models.loading import resolve_source


def test_files_that_are_not_gguf_are_refused_by_name(tmp_path):
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"PK\x03\x04 not a gguf file")
    with pytest.raises(ValueError, match=f"{fake} is not a GGUF file"):
        gguf.convert(fake, tmp_path / "out")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        gguf.convert(tmp_path / "missing.gguf", tmp_path / "out")
    with pytest.raises(FileNotFoundError, match="model path .*missing.gguf does not exist"):
        resolve_source(tmp_path / "missing.gguf")
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.tmp").exists()


@pytest.mark.slow
def test_a_gguf_path_converts_once_into_a_cached_bf16_directory(tmp_path, monkeypatch):
    from safetensors import safe_open

    from curiosa.models import catalogue

    monkeypatch.setenv("CURIOSA_HOME", str(tmp_path))
    source = catalogue.fetch_gguf("smollm2-135m-instruct", progress=False)
    folder = resolve_source(source)
    record = json.loads((gguf.Path(folder) / gguf.SOURCE_FILE).read_text())
    assert record["sha256"] == gguf.sha256_of(source) and record["file"] == source.name
    with safe_open(str(gguf.Path(folder) / "model.safetensors"), "pt") as f:
        assert str(f.get_tensor(next(iter(f.keys()))).dtype) == "torch.bfloat16"
    assert (gguf.Path(folder) / "chat_template.jinja").is_file() or "chat_template" in (
        gguf.Path(folder) / "tokenizer_config.json").read_text()
    assert resolve_source(source) == folder  # cached: converted once
