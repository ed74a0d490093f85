"""Which dtype a model runs in: ``auto`` is bf16 wherever the hardware computes it natively."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def cpu_supports_bf16() -> bool:
    """True on CPUs with native bf16 matrix instructions (AVX-512 BF16 or AMX), where bf16 matrix
    products run several times faster than fp32 (read from /proc/cpuinfo; False where it is absent)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return any(flag in flags.split() for flag in ("avx512_bf16", "amx_bf16"))


def resolve_dtype(dtype: str) -> Any:
    """``auto``: bf16 on GPUs and CPUs that support it, else float32."""
    import torch

    if dtype == "auto":
        if torch.cuda.is_available():
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float32
        return torch.bfloat16 if cpu_supports_bf16() else torch.float32
    try:
        return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[dtype]
    except KeyError:
        raise ValueError(f"dtype must be auto, float32, bfloat16 or float16, got {dtype!r}") from None


def auto_mixed_precision() -> str:
    """The training precision ``auto`` means here: bf16 autocast (fp32 master weights) where the hardware
    computes bf16 natively, else none."""
    import torch

    if torch.cuda.is_available():
        return "bf16" if torch.cuda.is_bf16_supported() else "no"
    return "bf16" if cpu_supports_bf16() else "no"


def training_dtype(dtype: str) -> Any:
    """The dtype weights are trained in: ``auto`` is bf16 on GPUs that support it, and float32 on CPUs,
    where the trainer computes in bf16 autocast (``auto_mixed_precision``) and keeps fp32 master weights."""
    import torch

    if dtype == "auto" and not torch.cuda.is_available():
        return torch.float32
    return resolve_dtype(dtype)
