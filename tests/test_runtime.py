"""A process that keeps freed memory for speed hands it back when the machine runs short."""

from __future__ import annotations

import os
import sys

import pytest
import torch

from curiosa.runtime import keep_freed_memory, trim_when_short

MB = 1 << 20


def _rss() -> int:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _meminfo(tmp_path, total_kb: int, available_kb: int) -> str:
    path = tmp_path / "meminfo"
    path.write_text(f"MemTotal:       {total_kb} kB\nMemFree:        1 kB\nMemAvailable:   {available_kb} kB\n")
    return str(path)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_freed_memory_goes_back_only_when_the_machine_is_short(tmp_path) -> None:
    keep_freed_memory()
    pinned: list[torch.Tensor] = []
    chunks = [torch.ones(MB // 4) for _ in range(512)]  # 512 MB of 1 MB tensors on the heap
    pinned.append(chunks[-1])  # the top of the heap stays in use
    del chunks
    held = _rss()
    assert not trim_when_short(0.1, _meminfo(tmp_path, 24_000_000, 12_000_000))
    assert _rss() > held - 64 * MB  # plenty available: the freed memory is kept for reuse
    assert trim_when_short(0.1, _meminfo(tmp_path, 24_000_000, 1_000_000))
    assert _rss() < held - 256 * MB


def test_an_unreadable_meminfo_changes_nothing(tmp_path) -> None:
    assert not trim_when_short(0.1, str(tmp_path / "missing"))
    (tmp_path / "odd").write_text("MemTotal: lots\n")
    assert not trim_when_short(0.1, str(tmp_path / "odd"))
