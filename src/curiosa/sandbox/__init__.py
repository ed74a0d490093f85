"""Run untrusted, model-written Python, contained.

``run_python`` runs a program under bubblewrap namespaces when they work on this machine (checked once
by a probe run) and otherwise under a weaker fallback with a one-time warning; ``run_tests`` turns a
program and its unit tests into the pass/fail reward of code tasks. What each isolation kind does and
does not protect against is in docs/sandbox.md.
"""

from curiosa.sandbox.backend import (
    SandboxFallbackWarning,
    SandboxUnavailableError,
    bwrap_status,
    sandbox_kind,
)
from curiosa.sandbox.config import SandboxConfig
from curiosa.sandbox.harness import CodeTestResult, run_tests
from curiosa.sandbox.result import SandboxError, SandboxKind, SandboxResult
from curiosa.sandbox.run import run_python

__all__ = [
    "CodeTestResult",
    "SandboxConfig",
    "SandboxError",
    "SandboxFallbackWarning",
    "SandboxKind",
    "SandboxResult",
    "SandboxUnavailableError",
    "bwrap_status",
    "run_python",
    "run_tests",
    "sandbox_kind",
]
