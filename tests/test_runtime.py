"""Process-wide memory settings: a stage's freed memory goes back to the system between stages."""

from __future__ import annotations

import os
import sys

import pytest
import torch

from curiosa.runtime import keep_freed_memory, release_memory

MB = 1 << 20


def _rss() -> int:
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_memory_a_stage_freed_goes_back_to_the_system() -> None:
    keep_freed_memory()  # what the trainer and the rollout backend set: freed memory stays in the process
    chunks = [torch.ones(MB // 4) for _ in range(512)]  # 512 MB of 1 MB tensors, on the heap
    del chunks[:-1]  # the last one pins the top of the heap, as a living tensor of the next stage would
    held = _rss()
    release_memory()
    assert held - _rss() > 256 * MB
