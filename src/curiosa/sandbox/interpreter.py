"""Which Python runs sandboxed programs, and which directories it needs.

The sandbox runs the *base* interpreter of the current Python (outside any virtualenv) with ``-I -S``:
only the standard library is needed, and the base prefix is a single directory to expose read-only.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from functools import lru_cache

# -I: isolated (no PYTHON* variables, no user site, no script dir on sys.path); -S: no site-packages;
# -B: no .pyc writes; -X utf8: UTF-8 stdio whatever the locale.
PYTHON_FLAGS: tuple[str, ...] = ("-I", "-S", "-B", "-X", "utf8")


@lru_cache(maxsize=None)
def python_executable() -> str:
    """The real path of the base interpreter (a venv's ``bin/python`` is a symlink to it)."""
    return os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)


@lru_cache(maxsize=None)
def base_prefix() -> str:
    """The base interpreter's installation prefix (standard library, shared libpython)."""
    return os.path.realpath(sys.base_prefix)


@lru_cache(maxsize=None)
def readonly_roots() -> tuple[str, ...]:
    """Directories the interpreter must read: its prefix, and the executable's directory if elsewhere."""
    roots = [base_prefix()]
    exe_dir = os.path.dirname(os.path.dirname(python_executable()))
    if not _is_under(exe_dir, roots[0]):
        roots.append(exe_dir)
    return tuple(roots)


@lru_cache(maxsize=None)
def site_packages_dirs() -> tuple[str, ...]:
    """The base interpreter's third-party package directories, hidden from the sandbox by default."""
    prefix = base_prefix()
    paths = sysconfig.get_paths(vars={"base": prefix, "platbase": prefix, "installed_base": prefix,
                                      "installed_platbase": prefix})
    found = {os.path.realpath(paths[key]) for key in ("purelib", "platlib") if key in paths}
    return tuple(sorted(p for p in found if os.path.isdir(p)))


def _is_under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")
