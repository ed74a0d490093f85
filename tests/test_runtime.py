"""A process that keeps freed memory for speed hands it back before a step could run the machine short."""

from __future__ import annotations

import sys

import pytest
import torch

from curiosa.runtime import MemoryGuard, keep_freed_memory, release_memory, resident_bytes

MB = 1 << 20


def _meminfo(tmp_path, total_mb: int, available_mb: int) -> str:
    path = tmp_path / f"meminfo-{available_mb}"
    path.write_text(f"MemTotal:       {total_mb * 1024} kB\nMemFree:        1 kB\n"
                    f"MemAvailable:   {available_mb * 1024} kB\n")
    return str(path)


def _a_step(pinned: list, mb: int = 512) -> None:
    """``mb`` MB of 1 MB tensors freed again, the last one kept: the freed memory stays with the process."""
    chunks = [torch.ones(MB // 4) for _ in range(mb)]
    pinned.append(chunks[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_freed_memory_goes_back_when_the_next_step_might_not_fit(tmp_path) -> None:
    keep_freed_memory()
    release_memory()  # what earlier tests freed would otherwise be reused without growing
    pinned: list = []
    guard = MemoryGuard(floor=0.05, meminfo=_meminfo(tmp_path, 24_000, 3_000))
    assert not guard.after_step()  # the first step only records where memory stands
    _a_step(pinned)
    held = resident_bytes()
    # 2 GB available is above 5% of 24 GB (1.2 GB) plus the step's growth (about 0.5 GB): kept
    guard.meminfo = _meminfo(tmp_path, 24_000, 2_000)
    assert not guard.after_step()
    assert 400 * MB < guard.largest_growth < 700 * MB
    assert resident_bytes() > held - 64 * MB
    # 1.5 GB available is not: the next step could take the machine below its floor
    guard.meminfo = _meminfo(tmp_path, 24_000, 1_500)
    assert guard.after_step()
    assert resident_bytes() < held - 256 * MB


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_memory_taken_back_after_a_trim_is_not_growth(tmp_path) -> None:
    keep_freed_memory()
    release_memory()
    pinned: list = []
    plenty, short = _meminfo(tmp_path, 24_000, 6_000), _meminfo(tmp_path, 24_000, 1_000)
    guard = MemoryGuard(floor=0.05, meminfo=plenty)
    guard.after_step()
    _a_step(pinned, 256)
    assert not guard.after_step()
    _a_step(pinned, 512)  # reuses the first step's 256 MB: grows by about 256 MB
    assert not guard.after_step()
    grown = guard.largest_growth
    assert grown < 400 * MB
    guard.meminfo = short
    assert guard.after_step()  # trims the freed 512 MB
    guard.meminfo = plenty
    for _ in range(2):  # the first of these faults the 512 MB back in; neither grows beyond what it reuses
        _a_step(pinned, 512)
        assert not guard.after_step()
    assert guard.largest_growth == grown


def test_an_unreadable_meminfo_changes_nothing(tmp_path) -> None:
    assert not MemoryGuard(meminfo=str(tmp_path / "missing")).after_step()
    (tmp_path / "odd").write_text("MemTotal: lots\n")
    assert not MemoryGuard(meminfo=str(tmp_path / "odd")).after_step()
