"""The model a benchmark measures, loaded the same way by every benchmark that plays on the CPU."""

from __future__ import annotations


def load_for_cpu(model: str, dtype: str, threads: int):
    """(model, tokenizer) for ``model`` (a directory, a catalogue name, a .gguf file, or 'default': the
    embedded model) in ``dtype`` on the CPU, with torch set to ``threads`` threads."""
    import torch

    from curiosa.models.loading import load_model, load_tokenizer
    from curiosa.pipelines.warm_start import resolve_model_path

    torch.set_num_threads(threads)
    path = resolve_model_path(model)
    tokenizer = load_tokenizer(path)
    return load_model(path, dtype=dtype, device="cpu", tokenizer=tokenizer), tokenizer
