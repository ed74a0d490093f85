"""What one sandboxed run reports: enough to score it (``passed``) and to see why it failed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SandboxKind = Literal["bwrap", "fallback"]


class SandboxError(RuntimeError):
    """The sandbox itself could not be set up (not the program failing): a result would be a lie.

    Raised only on signals the program cannot forge, so untrusted code cannot make a caller crash.
    """


@dataclass(frozen=True)
class SandboxResult:
    """Outcome of one run. ``passed`` is what a binary reward should read."""

    passed: bool
    """Exit code 0, no timeout, and no limit hit."""
    exit_code: int
    """The program's exit status; negative -N when a signal N ended it (subprocess convention)."""
    stdout: str
    """Captured standard output, decoded as UTF-8 (undecodable bytes replaced), cut at the output limit."""
    stderr: str
    """Captured standard error, the same way."""
    timed_out: bool
    """The wall-clock limit ran out and the sandbox killed the program."""
    killed_reason: str | None
    """Why the run ended abnormally: 'timeout', 'cpu_time', 'memory', 'output_limit', or 'signal:NAME';
    None for a normal exit (successful or not)."""
    duration_s: float
    """Wall-clock seconds from spawn to the end of clean-up."""
    output_truncated: bool
    """stdout or stderr was cut at the output limit."""
    kind: SandboxKind
    """Which isolation ran the program: 'bwrap' or the weaker 'fallback'."""
