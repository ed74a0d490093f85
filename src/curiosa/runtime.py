"""Process-wide settings for CPU training and generation (the allocator), and what a run records about the machine."""

from __future__ import annotations

import os
from typing import Any


def keep_freed_memory() -> None:
    """Ask glibc's allocator to keep freed memory for reuse instead of returning it to the system.

    Training and prefill allocate tensors of a different shape at every step (packed rows of varying
    length); with glibc's defaults each large tensor is a fresh mmap that page-faults on first touch, which
    costs about a tenth of a CPU training step. Raising the mmap and trim thresholds makes the process
    reuse its heap instead (its resident memory then stays at its peak). No-op where glibc is absent."""
    mallopt = _glibc("mallopt")
    if mallopt is None:
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    mallopt(m_mmap_threshold, 1 << 30)
    mallopt(m_trim_threshold, (1 << 31) - 1)


def release_memory() -> None:
    """Hand the memory a finished stage freed back to the system.

    With :func:`keep_freed_memory` a process's resident memory stays at its peak; across the stages of
    one run (rollouts, SFT, RPO, evaluation) the peaks then pile up instead of being reused: a PAPRIKA
    run on the default model was killed at 24 GB during its last evaluation, which needs 14 GB alone.
    Call it between stages, not inside one (the next step would page-fault the memory back in)."""
    import gc

    gc.collect()
    trim_freed_memory()


def trim_freed_memory() -> bool:
    """glibc's ``malloc_trim``: hand the allocator's free pages back to the system now. For memory freed
    once and not needed again at that size, such as a cache's allocation replaced by a larger one, which
    :func:`keep_freed_memory` would otherwise keep resident. False (and nothing done) where glibc is absent."""
    trim = _glibc("malloc_trim")
    if trim is None:
        return False
    trim(0)
    return True


def resident_bytes() -> int:
    """This process's resident memory now (Linux: /proc/self/statm)."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class MemoryGuard:
    """Hands freed memory back to the system before the next step could run the machine out of it.

    Under :func:`keep_freed_memory` glibc keeps every freed block, and blocks of many sizes fragment its
    heap: a warm start of Gemma-3-270M crept to 24.3 GB of resident memory and was killed, while it
    used far less at any one time. Resident memory then only grows, so its growth over one step is
    what that step took beyond the memory it reused. After each step (``after_step``) the guard
    trims (glibc's ``malloc_trim``) when the machine's available memory is below ``floor`` of its total
    plus the largest growth of one step so far. Each trim costs the next step faulting back in every page
    it reuses (seconds for a 135M model), and that is not growth: counting it, or keeping twice the
    largest growth in reserve, made the guard trim after nearly every step of the default warm start on a
    24 GB machine. It costs two reads of /proc per step."""

    def __init__(self, floor: float = 0.05, meminfo: str = "/proc/meminfo") -> None:
        self.floor = floor
        self.meminfo = meminfo
        self.largest_growth = 0
        """Bytes: the most resident memory grew over one step."""
        self._last: int | None = None

    def after_step(self) -> bool:
        """True if it trimmed."""
        try:
            resident = resident_bytes()
            with open(self.meminfo, encoding="ascii") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
            total, available = (int(fields[k].split()[0]) * 1024 for k in ("MemTotal", "MemAvailable"))
        except (OSError, KeyError, ValueError):
            return False
        if self._last is not None:
            self.largest_growth = max(self.largest_growth, resident - self._last)
        self._last = resident
        if available >= self.floor * total + self.largest_growth:
            return False
        if not trim_freed_memory():
            return False
        self._last = None  # the next step faults the trimmed memory back in: that is not growth
        return True


def _glibc(function: str) -> Any:
    """A function of glibc's allocator, or None where there is no glibc."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), function)
    except (OSError, AttributeError):
        return None


def environment_info() -> dict[str, object]:
    """What a run's numbers depend on besides its config: versions, threads, and what ``auto`` resolved
    to on this machine (the dtype models run in, the training precision). Written into run directories."""
    import platform

    import torch
    import transformers

    from curiosa.models.dtype import auto_mixed_precision, cpu_supports_bf16, resolve_dtype

    return {
        "python": platform.python_version(), "torch": torch.__version__, "transformers": transformers.__version__,
        "cpu_bf16": cpu_supports_bf16(), "cuda": torch.cuda.is_available(), "threads": torch.get_num_threads(),
        "dtype_auto": str(resolve_dtype("auto")).removeprefix("torch."),
        "mixed_precision_auto": auto_mixed_precision(),
    }
