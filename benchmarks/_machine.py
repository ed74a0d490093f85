"""The machine's matrix-product rate, the yardstick every benchmark's "fraction of the machine" divides by."""

from __future__ import annotations

import math
import time


def matmul_gflops(dtype, threads: int, size: int = 2048, repeats: int = 5) -> float:
    """The best rate of a ``size``^3 matrix product in torch dtype ``dtype`` on ``threads`` threads."""
    import torch

    torch.set_num_threads(threads)
    generator = torch.Generator().manual_seed(0)
    a = torch.randn(size, size, generator=generator).to(dtype)
    b = torch.randn(size, size, generator=generator).to(dtype)
    torch.mm(a, b)  # warm-up
    best = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t0)
    return 2.0 * size ** 3 / best / 1e9
