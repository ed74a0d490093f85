"""Throw-away user ids: when curiosa runs as root, each sandboxed run gets a uid of its own.

Why a fresh uid per run rather than ``nobody``: RLIMIT_NPROC counts processes per uid, so a fork bomb
in one run would starve every parallel run sharing the uid; and a uid no other process has lets the
clean-up kill everything the run left behind (``kill(-1)`` as that uid) without touching anything else.
The kernel ignores RLIMIT_NPROC for root, so without a uid change there would be no process limit.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

# Far above any uid a distribution hands out, and below the 32-bit "no uid" value.
_FIRST_ID = 1_600_000_000
_ID_SPAN = 500_000_000

_lock = threading.Lock()
_in_use: set[int] = set()


def can_switch_user() -> bool:
    """Root can run the program under another uid, unless it is root only inside a user namespace
    that maps too few uids (rootless containers), where a switch would fail on every run."""
    return os.geteuid() == 0 and _maps_ephemeral_ids()


@lru_cache(maxsize=None)
def _maps_ephemeral_ids() -> bool:
    try:
        with open("/proc/self/uid_map", encoding="ascii") as handle:
            return uid_map_covers_ephemeral_ids(handle.read())
    except OSError:
        return False


def uid_map_covers_ephemeral_ids(uid_map: str) -> bool:
    """Whether a ``/proc/self/uid_map`` text maps the whole range of throw-away uids."""
    try:
        ranges = [tuple(int(x) for x in line.split()) for line in uid_map.splitlines() if line.strip()]
        return any(inside <= _FIRST_ID and _FIRST_ID + _ID_SPAN <= inside + count for inside, _, count in ranges)
    except ValueError:
        return False


@contextmanager
def ephemeral_id() -> Iterator[int]:
    """A uid (used as gid too) that no other run of this process holds while the block runs."""
    with _lock:
        while True:
            uid = _FIRST_ID + secrets.randbelow(_ID_SPAN)
            if uid not in _in_use:
                _in_use.add(uid)
                break
    try:
        yield uid
    finally:
        with _lock:
            _in_use.discard(uid)


def kill_all_of(uid: int) -> None:
    """Kill every process running as ``uid`` (escaped daemons included) by sending kill(-1) as that uid.

    Runs the shell's ``kill`` builtin under the uid (the interpreter itself may sit where that uid
    cannot reach); the uid switch happens in subprocess's C child code, so this is safe from many
    threads at once. ``kill -9 -1`` is the one spelling that POSIX shells, procps and util-linux agree on.
    """
    shell = shutil.which("sh", path="/usr/bin:/bin")
    if shell is None or not can_switch_user():
        return
    subprocess.run(
        [shell, "-c", "kill -9 -1"],
        user=uid, group=uid, extra_groups=[], env={}, cwd="/",
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        check=False, timeout=10,
    )


def count_tasks_of(uid: int) -> int:
    """How many processes and threads this uid runs now (RLIMIT_NPROC counts both), so that a limit set
    for the sandbox can leave room for the ones the user already has."""
    count = 0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid != uid:
                continue
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            count += int(fields[17])  # num_threads, the 20th field of stat
        except (OSError, IndexError, ValueError):
            continue
    return count
