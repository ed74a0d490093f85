"""The first code that runs inside the sandbox: it applies the limits, gives up root, then runs the program.

This is trusted code shipped to the child as ``python -c SOURCE CONFIG_JSON``, so it must use only the
standard library and never import curiosa (the package is not visible inside the sandbox). The limits
are set here rather than in a ``preexec_fn`` because ``preexec_fn`` is unsafe in a threaded parent and
runs outside bubblewrap's namespaces, where RLIMIT_NPROC would count every process of the user.

Setup success is reported by writing ``ok`` to a pipe that is closed before the program starts, so the
program cannot fake or hide a setup failure.
"""

import json
import os
import sys

MEMORY_EXIT_CODE = 86
MEMORY_MARKER = "curiosa-sandbox: memory limit exceeded (MemoryError)"


def _apply_limits(limits):
    import resource

    for name, (soft, hard) in limits.items():
        resource.setrlimit(getattr(resource, name), (soft, hard))


def _prctl(option, value):
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except Exception:  # noqa: BLE001 - best effort: bubblewrap sets no-new-privs anyway
        pass


def _no_new_privileges():
    # Set-uid programs (su, mount, ...) must not hand privileges back once root is given up.
    _prctl(38, 1)  # PR_SET_NO_NEW_PRIVS


def _dumpable_again():
    # Changing uid away from root marks the process non-dumpable, which makes its own /proc/self
    # files root-owned and unreadable to it; programs reading /proc/self/status would break.
    # Safe to undo: only the throw-away uid could attach, and it owns nothing but this sandbox.
    _prctl(4, 1)  # PR_SET_DUMPABLE


def _drop_privileges(uid, gid):
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if os.getuid() != uid or os.geteuid() != uid:
        raise OSError("uid change did not take effect")
    try:
        os.setuid(0)
    except PermissionError:
        return
    raise OSError("root could be regained after dropping privileges")


def _stdlib_through_fd(base_prefix, site):
    """Keep imports working after the uid drop although the interpreter's prefix may sit under a
    directory the throw-away uid cannot enter (``/root/.pyenv``): a descriptor opened while still
    root reaches it through ``/proc/self/fd`` without re-checking the parent directories."""
    if site:
        import site as site_module

        site_module.main()
    fd = os.open(base_prefix, os.O_RDONLY | os.O_DIRECTORY)
    root = "/proc/self/fd/%d" % fd
    prefix = base_prefix.rstrip("/") + "/"

    def through_fd(entry):
        if entry == base_prefix or entry.startswith(prefix):
            return root + entry[len(base_prefix):]
        return entry

    # Packages imported already (collections, encodings, ...) find their submodules via __path__.
    for module in list(sys.modules.values()):
        search = getattr(module, "__path__", None)
        if isinstance(search, list):
            search[:] = [through_fd(entry) for entry in search]
    return [through_fd(entry) for entry in sys.path if entry]


def _open_directory(path):
    try:
        return os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return None


def _run_program(name, argv):
    import builtins
    import types

    with open(name, "rb") as handle:  # relative to the scratch directory, the current directory
        source = handle.read()
    path = os.path.join(os.getcwd(), name)
    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__builtins__ = builtins
    sys.modules["__main__"] = module
    sys.argv = [path] + list(argv)
    code = compile(source, path, "exec", dont_inherit=True)
    exec(code, module.__dict__)


def main():
    config = json.loads(sys.argv[1])
    status_fd = config["status_fd"]
    try:
        paths = None
        if config["via_fd"]:
            paths = _stdlib_through_fd(config["base_prefix"], config["site"])
        elif config["site"]:
            import site as site_module

            site_module.main()
        workdir_fd = _open_directory(config["workdir"])
        _apply_limits(config["limits"])
        if config["uid"] is not None:
            _no_new_privileges()
            _drop_privileges(config["uid"], config["gid"])
            _dumpable_again()
        # Enter the scratch directory only now. Through a descriptor opened as root when possible, as
        # the fallback's scratch may sit under a directory the throw-away uid cannot traverse (a private
        # TMPDIR); by path otherwise (inside bwrap, root has no capability left to open it early).
        if workdir_fd is not None:
            os.fchdir(workdir_fd)
            os.close(workdir_fd)
        else:
            os.chdir(config["workdir"])
        os.umask(0o077)
        here = os.getcwd()
        first = here if os.access(here, os.R_OK | os.X_OK) else ""
        sys.path[:] = [first] + (paths if paths is not None else [p for p in sys.path if p])
        sys.path_importer_cache.clear()
        os.write(status_fd, b"ok")
    except BaseException as exc:  # noqa: BLE001 - any setup failure must reach the parent
        os.write(status_fd, ("setup failed: %s: %s" % (type(exc).__name__, exc)).encode("utf-8", "replace")[:2000])
        os._exit(70)
    finally:
        os.close(status_fd)

    try:
        _run_program(config["main"], config["argv"])
    except SystemExit:
        raise
    except MemoryError as exc:
        # The failed allocation is released by now, so there is usually room to say where it happened.
        try:
            sys.stdout.flush()
            _print_traceback(exc)
        except BaseException:  # noqa: BLE001
            pass
        os.write(2, ("\n" + MEMORY_MARKER + "\n").encode())
        os._exit(MEMORY_EXIT_CODE)
    except BaseException as exc:  # noqa: BLE001 - report it as plain Python would, then exit 1
        _print_traceback(exc)
        sys.exit(1)


def _print_traceback(exc):
    """The traceback as ``python main.py`` would print it, without this bootstrap's own frames."""
    import traceback

    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == "<string>":
        tb = tb.tb_next
    traceback.print_exception(type(exc), exc, tb)
    sys.stderr.flush()


if __name__ == "__main__":
    main()
