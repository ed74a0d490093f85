"""The shared pieces of the pipelines: a stage is timed, and the memory it freed goes back to the system."""

from __future__ import annotations

import sys

import pytest
import torch

from curiosa.pipelines.common import timed
from curiosa.runtime import keep_freed_memory, resident_bytes

MB = 1 << 20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_a_stage_is_timed_and_its_freed_memory_does_not_stay_with_the_next() -> None:
    keep_freed_memory()
    pinned: list[torch.Tensor] = []

    def stage() -> str:
        chunks = [torch.ones(MB // 4) for _ in range(512)]  # a 512 MB peak of 1 MB tensors, on the heap
        pinned.append(chunks[-1])  # what outlives the stage pins the top of the heap
        return "done"

    before = resident_bytes()
    timings: dict[str, float] = {}
    assert timed(timings, "stage", stage) == "done"
    assert timings["stage"] >= 0.0
    assert resident_bytes() - before < 128 * MB
