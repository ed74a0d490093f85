"""The public entry point: check the inputs, pick the isolation, run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath

import curiosa.sandbox.backend as backend
import curiosa.sandbox.execution as execution
from curiosa.sandbox.config import SandboxConfig
from curiosa.sandbox.result import SandboxResult


def run_python(
    code: str,
    timeout_s: float | None = None,
    memory_mb: int | None = None,
    *,
    stdin: str | bytes | None = None,
    files: Mapping[str, str | bytes] | None = None,
    args: Sequence[str] = (),
    config: SandboxConfig | None = None,
) -> SandboxResult:
    """Run untrusted Python source in a throw-away sandbox and report how it ended.

    Never raises because of what the program does (crash, hang, fork bomb, huge output): that is all in
    the result. Raises ValueError/TypeError for bad arguments and ``SandboxError`` only when the sandbox
    itself cannot be set up, so a failing infrastructure is never mistaken for a failing program.

    ``timeout_s`` and ``memory_mb`` override the same fields of ``config`` (defaults: SandboxConfig()).
    ``files`` are extra files (relative path -> content) placed next to the program in its scratch
    directory; ``args`` become ``sys.argv[1:]``; ``stdin`` is fed to standard input.
    """
    if not isinstance(code, str):
        raise TypeError(f"code must be a str of Python source; got {type(code).__name__}")
    if "\x00" in code:
        raise ValueError("code contains a NUL character, which Python source cannot hold")
    if stdin is not None and not isinstance(stdin, (str, bytes)):
        raise TypeError(f"stdin must be str, bytes or None; got {type(stdin).__name__}")
    if isinstance(args, (str, bytes)) or not all(isinstance(a, str) for a in args):
        raise TypeError("args must be a sequence of str (not a single string)")
    _check_files(files)
    settings = (config or SandboxConfig()).replace(timeout_s=timeout_s, memory_mb=memory_mb)
    kind, bwrap = backend.resolve(settings.kind)
    return execution.execute(code, settings, kind, bwrap=bwrap, stdin=stdin, files=files, args=args)


def _check_files(files: Mapping[str, str | bytes] | None) -> None:
    if files is None:
        return
    if not isinstance(files, Mapping):
        raise TypeError(f"files must be a mapping of relative path -> str or bytes; got {type(files).__name__}")
    for name, content in files.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"file names must be non-empty strings; got {name!r}")
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or "\x00" in name:
            raise ValueError(f"file names must be relative paths inside the scratch directory; got {name!r}")
        if path.parts == (execution.MAIN_FILE,):
            raise ValueError(f"{execution.MAIN_FILE!r} is reserved for the program itself")
        if not isinstance(content, (str, bytes)):
            raise TypeError(f"content of {name!r} must be str or bytes; got {type(content).__name__}")
