"""One sandboxed run, start to finish: scratch directory, spawn, capped reading, kill, clean-up.

Both isolation kinds share this path; they differ only in the command prefix (bwrap or nothing) and
where the scratch directory appears to the program. See ``docs/sandbox.md`` for what each guarantees.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import curiosa.sandbox._child as _child
import curiosa.sandbox.identity as identity
import curiosa.sandbox.interpreter as interpreter
from curiosa.sandbox.bubblewrap import SANDBOX_DIR, bwrap_command
from curiosa.sandbox.config import SandboxConfig
from curiosa.sandbox.result import SandboxError, SandboxKind, SandboxResult

MAIN_FILE = "main.py"
_CHILD_SOURCE = Path(_child.__file__).read_text(encoding="utf-8")
_STRAGGLER_GRACE_S = 0.2
_READ_CHUNK = 1 << 16
_STATUS_LIMIT = 4096


@dataclass
class _Capture:
    stdout: bytearray
    stderr: bytearray
    status: bytearray
    truncated: bool = False
    over_limit: bool = False
    timed_out: bool = False


def execute(
    code: str,
    config: SandboxConfig,
    kind: SandboxKind,
    *,
    bwrap: str | None = None,
    stdin: str | bytes | None = None,
    files: Mapping[str, str | bytes] | None = None,
    args: Sequence[str] = (),
) -> SandboxResult:
    """Run ``code`` once under ``kind`` isolation; inputs are assumed validated by the caller."""
    if kind == "bwrap" and not bwrap:
        raise ValueError("kind 'bwrap' needs the path of a bwrap binary")
    started = time.monotonic()
    scratch = tempfile.mkdtemp(prefix="curiosa-sandbox-")
    try:
        _write_inputs(scratch, code, files or {})
        as_root = identity.can_switch_user()
        with (identity.ephemeral_id() if as_root else nullcontext(None)) as uid:
            if uid is not None:
                _chown_tree(scratch, uid)
            plan = _plan(kind, bwrap, scratch, uid, as_root, config, args)
            try:
                capture, returncode = _spawn_and_collect(*plan, stdin, config)
            finally:
                if kind == "fallback" and uid is not None:
                    identity.kill_all_of(uid)  # daemons that left the process group
    finally:
        _remove_tree(scratch)
    return _to_result(capture, returncode, kind, config, time.monotonic() - started)


def _plan(
    kind: SandboxKind,
    bwrap: str | None,
    scratch: str,
    uid: int | None,
    as_root: bool,
    config: SandboxConfig,
    args: Sequence[str],
) -> tuple[list[str], dict[str, object], dict[str, str], str]:
    """The command prefix, the child's settings, and the environment and directory to spawn with."""
    workdir = SANDBOX_DIR if kind == "bwrap" else scratch
    env = child_env(workdir)
    nproc = config.max_processes
    if kind == "fallback" and uid is None:
        # Without a uid of its own the limit counts all of the user's tasks: leave them room.
        nproc += identity.count_tasks_of(os.geteuid())
    child_config: dict[str, object] = {
        "limits": _limits(config, nproc),
        "uid": uid,
        "gid": uid,
        "via_fd": kind == "fallback" and uid is not None,
        "site": config.allow_site_packages,
        "base_prefix": interpreter.base_prefix(),
        "workdir": workdir,
        "main": MAIN_FILE,
        "argv": list(args),
        "status_fd": -1,
    }
    if kind == "fallback":
        return [], child_config, env, scratch
    hidden = () if config.allow_site_packages else interpreter.site_packages_dirs()
    prefix = bwrap_command(bwrap or "", scratch=scratch, readonly_roots=interpreter.readonly_roots(),
                           hidden_dirs=hidden, env=env, as_root=as_root)
    return prefix, child_config, {}, "/"


def child_env(workdir: str) -> dict[str, str]:
    """The whole environment the program sees: nothing inherited, so no secret in a variable can leak."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": workdir,
        "TMPDIR": workdir,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
    }


def _limits(config: SandboxConfig, nproc: int) -> dict[str, tuple[int, int]]:
    cpu = config.cpu_limit_s
    memory = config.memory_mb * 1024 * 1024
    file_size = config.file_size_mb * 1024 * 1024
    return {
        "RLIMIT_CORE": (0, 0),
        "RLIMIT_CPU": (cpu, cpu + 1),  # SIGXCPU at the soft limit, SIGKILL a second later
        "RLIMIT_AS": (memory, memory),
        "RLIMIT_FSIZE": (file_size, file_size),
        "RLIMIT_NOFILE": (config.max_open_files, config.max_open_files),
        "RLIMIT_NPROC": (nproc, nproc),
    }


def _spawn_and_collect(
    prefix: list[str],
    child_config: dict[str, object],
    host_env: dict[str, str],
    host_cwd: str,
    stdin: str | bytes | None,
    config: SandboxConfig,
) -> tuple[_Capture, int]:
    status_r, status_w = os.pipe()
    child_config["status_fd"] = status_w
    argv = [*prefix, interpreter.python_executable(), *interpreter.PYTHON_FLAGS,
            "-c", _CHILD_SOURCE, json.dumps(child_config)]
    stdin_file = None
    if stdin is not None:
        stdin_file = tempfile.TemporaryFile()
        stdin_file.write(stdin.encode("utf-8") if isinstance(stdin, str) else stdin)
        stdin_file.seek(0)
    deadline = time.monotonic() + config.timeout_s
    try:
        proc = subprocess.Popen(
            argv,
            stdin=stdin_file if stdin_file is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=host_env,
            cwd=host_cwd,
            pass_fds=(status_w,),
            close_fds=True,
            start_new_session=True,  # its own process group, so the whole group can be killed
        )
    except BaseException:
        os.close(status_r)
        raise
    finally:
        os.close(status_w)
        if stdin_file is not None:
            stdin_file.close()
    try:
        capture = _collect(proc, status_r, deadline, config)
    finally:
        # Kill the group before reaping: the unreaped leader keeps its pid (the group id) from reuse.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
        os.close(status_r)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    return capture, proc.returncode


def _collect(proc: subprocess.Popen[bytes], status_r: int, deadline: float, config: SandboxConfig) -> _Capture:
    """Read both pipes and the status pipe until the program ends, the deadline passes, or output
    overflows. Memory stays bounded: past the limit, bytes are read and dropped, never kept."""
    assert proc.stdout is not None and proc.stderr is not None
    capture = _Capture(bytearray(), bytearray(), bytearray())
    buffers = {proc.stdout.fileno(): capture.stdout, proc.stderr.fileno(): capture.stderr}
    cap = config.output_limit_bytes
    with selectors.DefaultSelector() as selector:
        for fd in (*buffers, status_r):
            selector.register(fd, selectors.EVENT_READ)
        exited_at: float | None = None
        while selector.get_map():
            now = time.monotonic()
            if now >= deadline:
                capture.timed_out = True
                break
            if exited_at is None and _has_exited(proc.pid):
                exited_at = now
            if exited_at is not None and now - exited_at > _STRAGGLER_GRACE_S:
                break  # the program is gone; a leftover child holds the pipes open and will be killed
            wait = min(deadline - now, 0.05 if exited_at is not None else 0.25)
            for key, _ in selector.select(timeout=wait):
                fd = key.fd
                try:
                    chunk = os.read(fd, _READ_CHUNK)
                except OSError:
                    chunk = b""
                if not chunk:
                    selector.unregister(fd)
                    continue
                if fd == status_r:
                    capture.status += chunk[: max(0, _STATUS_LIMIT - len(capture.status))]
                    continue
                buffer = buffers[fd]
                room = cap - len(buffer)
                if room > 0:
                    buffer += chunk[:room]
                if len(chunk) > room:
                    capture.truncated = True
                    if config.kill_on_output_limit:
                        capture.over_limit = True
            if capture.over_limit:
                break
    return capture


def _has_exited(pid: int) -> bool:
    """True once the child has exited, without reaping it (WNOWAIT keeps its pid reserved)."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None


def _to_result(capture: _Capture, returncode: int, kind: SandboxKind, config: SandboxConfig,
               duration: float) -> SandboxResult:
    stdout = capture.stdout.decode("utf-8", "replace")
    stderr = capture.stderr.decode("utf-8", "replace")
    exit_code = returncode
    if kind == "bwrap" and 128 < returncode <= 128 + 64:
        exit_code = -(returncode - 128)  # bwrap reports a signal death as 128 + N
    killed_by_sandbox = capture.timed_out or capture.over_limit
    if capture.status != b"ok" and not killed_by_sandbox:
        detail = capture.status.decode("utf-8", "replace") or stderr[-2000:].strip() or f"exit status {returncode}"
        raise SandboxError(f"the {kind} sandbox could not start the program: {detail}")
    killed_reason: str | None = None
    if capture.timed_out:
        killed_reason = "timeout"
    elif capture.over_limit:
        killed_reason = "output_limit"
    elif exit_code == -signal.SIGXCPU:
        killed_reason = "cpu_time"
    elif exit_code == -signal.SIGXFSZ:
        killed_reason = "file_size"
    elif exit_code == _child.MEMORY_EXIT_CODE and _child.MEMORY_MARKER in stderr:
        killed_reason = "memory"
    elif exit_code < 0:
        killed_reason = f"signal:{_signal_name(-exit_code)}"
    return SandboxResult(
        passed=exit_code == 0 and killed_reason is None,
        exit_code=exit_code,
        stdout=stdout,
        stderr=stderr,
        timed_out=capture.timed_out,
        killed_reason=killed_reason,
        duration_s=duration,
        output_truncated=capture.truncated,
        kind=kind,
    )


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def _write_inputs(scratch: str, code: str, files: Mapping[str, str | bytes]) -> None:
    Path(scratch, MAIN_FILE).write_text(code, encoding="utf-8")
    for name, content in files.items():
        target = Path(scratch, *PurePosixPath(name).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)


def _chown_tree(root: str, uid: int) -> None:
    os.chown(root, uid, uid)
    for folder, dirs, names in os.walk(root):
        for name in (*dirs, *names):
            os.chown(os.path.join(folder, name), uid, uid, follow_symlinks=False)


def _remove_tree(root: str) -> None:
    """Delete the scratch directory even if the program made parts of it unreadable to us."""
    try:
        shutil.rmtree(root)
        return
    except OSError:
        pass
    try:
        os.chmod(root, 0o700)
    except OSError:
        pass
    for folder, dirs, _ in os.walk(root):
        for name in dirs:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                try:
                    os.chmod(path, 0o700)
                except OSError:
                    pass
    shutil.rmtree(root, ignore_errors=True)
