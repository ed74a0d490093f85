"""The limits one sandboxed run gets, checked up front so that a bad value fails loudly, not silently.

A field's docstring follows it, as elsewhere in curiosa's configs.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Literal

SandboxKindName = Literal["auto", "bwrap", "fallback"]

KINDS: tuple[str, ...] = ("auto", "bwrap", "fallback")

# Below this the interpreter cannot even start (its own address space is ~15 MB before any import).
MIN_MEMORY_MB = 48


@dataclass(frozen=True)
class SandboxConfig:
    """Limits and isolation choices for running one untrusted Python program."""

    timeout_s: float = 3.0
    """Wall-clock limit in seconds, counted from the spawn; the whole process tree is killed after it."""
    memory_mb: int = 512
    """Address-space limit (RLIMIT_AS) per process, in MiB; allocations beyond it raise MemoryError."""
    cpu_time_s: float | None = None
    """CPU-time limit (RLIMIT_CPU) per process; None means the wall timeout rounded up plus one second,
    so that a busy loop is stopped by the wall clock first and the CPU limit only backs it up."""
    max_processes: int = 16
    """Processes and threads the program may have at once (RLIMIT_NPROC, counted per sandbox). Memory is
    limited per process, so a run can touch up to max_processes * memory_mb in the worst case."""
    output_limit_bytes: int = 1 << 20
    """Bytes kept from stdout and from stderr each; the parent never holds more than this per stream."""
    kill_on_output_limit: bool = True
    """Kill the program as soon as it writes past the output limit (saves the CPU a print loop would
    burn until the timeout); when False, the excess is read and dropped until the program ends."""
    file_size_mb: int = 16
    """Largest file the program may write (RLIMIT_FSIZE), in MiB."""
    max_open_files: int = 64
    """File descriptors the program may hold open (RLIMIT_NOFILE)."""
    kind: SandboxKindName = "auto"
    """'bwrap' (namespaces, needs bubblewrap), 'fallback' (rlimits and a throw-away uid only), or
    'auto': bwrap when a probe run shows it works here, else the fallback with a one-time warning.
    The environment variable CURIOSA_SANDBOX overrides 'auto'."""
    allow_site_packages: bool = False
    """Let the program import the interpreter's installed third-party packages. Off by default:
    code tasks need only the standard library, and hiding site-packages keeps the readable surface small."""

    def __post_init__(self) -> None:
        _check_positive_number("timeout_s", self.timeout_s)
        if self.cpu_time_s is not None:
            _check_positive_number("cpu_time_s", self.cpu_time_s)
        _check_int("memory_mb", self.memory_mb, minimum=MIN_MEMORY_MB)
        _check_int("max_processes", self.max_processes, minimum=1)
        _check_int("output_limit_bytes", self.output_limit_bytes, minimum=1)
        _check_int("file_size_mb", self.file_size_mb, minimum=1)
        _check_int("max_open_files", self.max_open_files, minimum=16)
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {self.kind!r}")

    @property
    def cpu_limit_s(self) -> int:
        """Whole seconds for RLIMIT_CPU (the kernel counts CPU time in whole seconds)."""
        if self.cpu_time_s is not None:
            return max(1, math.ceil(self.cpu_time_s))
        return math.ceil(self.timeout_s) + 1

    def replace(self, **changes: object) -> SandboxConfig:
        """A copy with some fields changed; None values are ignored, so call sites can pass optional overrides."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def _check_positive_number(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds; got {type(value).__name__} {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive, finite number of seconds; got {value!r}")


def _check_int(name: str, value: object, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int; got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {value}")
