"""Hostile programs: each one is contained, reported in the result, and the host is unharmed.

Tests run on both isolation kinds where the kind promises containment. The fallback promises less
(docs/sandbox.md): where it cannot contain something, its test is skipped with the reason, and what it
does contain is tested on its own. Programs that attack the host check first that they are really
sandboxed and refuse otherwise, so a broken sandbox fails the test instead of harming the machine.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from curiosa.sandbox import SandboxConfig, run_python
from curiosa.sandbox.backend import bwrap_status, working_bwrap
from curiosa.sandbox.identity import can_switch_user

BWRAP_WORKS = working_bwrap() is not None
BWRAP = pytest.param("bwrap", marks=pytest.mark.skipif(
    not BWRAP_WORKS, reason=f"bubblewrap does not work here: {bwrap_status()}"))
FALLBACK_AS_ROOT = pytest.param("fallback", marks=pytest.mark.skipif(
    not can_switch_user(), reason="the fallback switches to a throw-away uid only when run as root; as a normal "
                              "user it cannot protect that user's files and processes"))
KINDS = [BWRAP, "fallback"]
KINDS_NEEDING_A_SEPARATE_UID = [BWRAP, FALLBACK_AS_ROOT]
REPO = Path(__file__).resolve().parents[2]

# Prepended to programs that attack the host: go on only inside a pid namespace (few processes in
# sight) or as one of the sandbox's throw-away uids, never as root on the host.
REFUSE_UNLESS_CONTAINED = (
    "import os, sys\n"
    "_visible = [p for p in os.listdir('/proc') if p.isdigit()]\n"
    "if os.getuid() == 0 or (len(_visible) > 20 and os.getuid() < 1_000_000_000):\n"
    "    print('REFUSED: not contained'); sys.exit(3)\n"
)


def run(kind, code, **kwargs):
    config_fields = {k: kwargs.pop(k) for k in list(kwargs) if k in SandboxConfig.__dataclass_fields__}
    config = SandboxConfig(kind=kind, **{"timeout_s": 5.0, "memory_mb": 256, **config_fields})
    return run_python(code, config=config, **kwargs)


def processes_mentioning(token: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if token.encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                    found.append(int(entry))
            except OSError:
                continue
    return found


# --- time -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_infinite_loop_is_stopped_by_the_wall_clock(kind):
    result = run(kind, "while True:\n    pass\n", timeout_s=1.0)
    assert result.timed_out and result.killed_reason == "timeout" and not result.passed
    assert 0.9 < result.duration_s < 2.5


@pytest.mark.parametrize("kind", KINDS)
def test_sleeping_forever_is_stopped_too(kind):
    result = run(kind, "import time\nprint('started', flush=True)\ntime.sleep(600)\n", timeout_s=1.0)
    assert result.timed_out and result.stdout == "started\n" and result.duration_s < 2.5


@pytest.mark.parametrize("kind", KINDS)
def test_cpu_time_limit_stops_a_busy_loop_before_the_wall_clock(kind):
    # The wall clock is generous so that even a starved machine reaches one CPU second first.
    result = run(kind, "while True:\n    pass\n", timeout_s=30.0, cpu_time_s=1.0)
    assert not result.timed_out and result.killed_reason == "cpu_time" and result.exit_code == -signal.SIGXCPU


# --- processes --------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_process_limit_caps_forks(kind):
    code = (
        "import os, time\n"
        "n = 0\n"
        "while n < 200:\n"
        "    try:\n"
        "        pid = os.fork()\n"
        "    except OSError:\n"
        "        break\n"
        "    if pid == 0:\n"
        "        time.sleep(5)\n"
        "        os._exit(0)\n"
        "    n += 1\n"
        "print(n)\n"
    )
    result = run(kind, code, max_processes=10, timeout_s=3.0)
    assert result.passed, result.stderr
    if kind == "fallback" and not can_switch_user():
        assert int(result.stdout) < 200  # counted together with the user's other processes
    else:
        assert int(result.stdout) < 10


@pytest.mark.parametrize("kind", KINDS)
def test_fork_bomb_is_contained_and_leaves_nothing_behind(kind):
    token = f"bomb-{secrets.token_hex(8)}"
    code = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
    result = run(kind, code, args=[token], timeout_s=1.5)
    assert result.timed_out and not result.passed
    assert subprocess.run(["true"], check=False).returncode == 0  # the host can still spawn processes
    deadline = time.monotonic() + 3
    while processes_mentioning(token) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_mentioning(token) == []


@pytest.mark.parametrize("kind", KINDS_NEEDING_A_SEPARATE_UID)
def test_daemon_that_escapes_the_process_group_is_killed(kind):
    token = f"daemon-{secrets.token_hex(8)}"
    code = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(60)\n"
        "    os._exit(0)\n"
        "print('parent done')\n"
    )
    result = run(kind, code, args=[token], timeout_s=10.0)
    assert result.passed and result.stdout == "parent done\n"
    assert not result.timed_out  # did not wait for the daemon
    assert processes_mentioning(token) == []


@pytest.mark.parametrize("kind", KINDS_NEEDING_A_SEPARATE_UID)
def test_program_cannot_kill_its_parent_or_other_host_processes(kind):
    bystander = subprocess.Popen(["sleep", "30"])
    try:
        code = REFUSE_UNLESS_CONTAINED + (
            "import signal\n"
            "target = int(sys.argv[1])\n"
            "attempts = []\n"
            "for name, call in [\n"
            "    ('parent', lambda: os.kill(os.getppid(), signal.SIGKILL)),\n"
            "    ('parent group', lambda: os.killpg(os.getpgid(os.getppid()), signal.SIGKILL)),\n"
            "    ('bystander', lambda: os.kill(target, signal.SIGKILL)),\n"
            "    ('everything', lambda: os.kill(-1, signal.SIGKILL)),\n"
            "]:\n"
            "    try:\n"
            "        call()\n"
            "        attempts.append(name + ': sent')\n"
            "    except OSError as exc:\n"
            "        attempts.append(name + ': ' + type(exc).__name__)\n"
            "for pid in _visible:\n"
            "    if int(pid) != os.getpid():\n"
            "        try:\n"
            "            os.kill(int(pid), signal.SIGKILL)\n"
            "        except OSError:\n"
            "            pass\n"
            "print(attempts)\n"
        )
        result = run(kind, code, args=[str(bystander.pid)])
        assert "REFUSED" not in result.stdout
        assert bystander.poll() is None, "a host process was killed from inside the sandbox"
        assert os.getppid() > 1  # and pytest is alive, obviously, to run this line
    finally:
        bystander.kill()
        bystander.wait()


# --- memory and output ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("code", [
    "x = bytearray(2 * 1024 ** 3)\n",
    "chunks = []\nwhile True:\n    chunks.append(bytearray(10 ** 7))\n",
])
def test_memory_bomb_is_stopped_and_reported(kind, code):
    result = run(kind, code, memory_mb=256)
    assert not result.passed and result.killed_reason == "memory", (result.exit_code, result.stderr[-500:])
    assert "MemoryError" in result.stderr


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_huge_output_is_truncated_and_killed_without_the_parent_holding_it(kind, stream):
    cap = 64 * 1024
    code = f"import sys\nwhile True:\n    sys.{stream}.write('x' * 65536)\n"
    tracemalloc.start()
    try:
        result = run(kind, code, output_limit_bytes=cap)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.killed_reason == "output_limit" and result.output_truncated and not result.passed
    assert len(getattr(result, stream)) == cap
    assert not result.timed_out  # killed at the cap, not at the timeout
    assert peak < 8 * cap + 2 * 1024 * 1024


@pytest.mark.parametrize("kind", KINDS)
def test_output_past_the_cap_can_be_drained_instead_of_killed(kind):
    cap = 1024
    code = "import sys\nfor _ in range(200):\n    sys.stdout.write('y' * 100_000)\nprint('done', file=sys.stderr)\n"
    tracemalloc.start()
    try:
        result = run(kind, code, output_limit_bytes=cap, kill_on_output_limit=False)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.passed and result.output_truncated and result.killed_reason is None
    assert result.stdout == "y" * cap and result.stderr == "done\n"
    assert peak < 2 * 1024 * 1024  # 20 MB went through the parent; it never held more than a chunk


# --- files ------------------------------------------------------------------------------------------

ATTACK_FILES = REFUSE_UNLESS_CONTAINED + """
import shutil
canary, outside_dir, repo = sys.argv[1], sys.argv[2], sys.argv[3]
def attempt(label, action):
    try:
        action()
        print(label, 'DONE')
    except OSError as exc:
        print(label, 'blocked', type(exc).__name__)
attempt('delete canary', lambda: os.remove(canary))
attempt('overwrite canary', lambda: open(canary, 'w').write('owned'))
attempt('write new file next to canary', lambda: open(os.path.join(outside_dir, 'new.txt'), 'w').write('x'))
attempt('remove the whole directory', lambda: shutil.rmtree(outside_dir))
attempt('write into the repository', lambda: open(os.path.join(repo, 'sandbox-escape.txt'), 'w').write('x'))
attempt('rename the repository README', lambda: os.rename(os.path.join(repo, 'README.md'), os.path.join(repo, 'x.md')))
"""


@pytest.mark.parametrize("kind", KINDS_NEEDING_A_SEPARATE_UID)
def test_files_outside_the_scratch_directory_cannot_be_deleted_or_written(kind, tmp_path):
    canary = tmp_path / "canary.txt"
    canary.write_text("precious")
    result = run(kind, ATTACK_FILES, args=[str(canary), str(tmp_path), str(REPO)])
    assert "REFUSED" not in result.stdout
    assert "DONE" not in result.stdout, result.stdout
    assert result.stdout.count("blocked") == 6
    assert canary.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["canary.txt"]
    assert not (REPO / "sandbox-escape.txt").exists() and (REPO / "README.md").exists()


@pytest.mark.parametrize("kind", [BWRAP])
def test_bwrap_file_system_is_read_only_but_for_scratch(kind):
    code = REFUSE_UNLESS_CONTAINED + (
        "for path in ['/tmp/escape', '/usr/escape', '/escape', '/dev/shm/escape', '/etc/escape',\n"
        "             '/root/escape', '/var/tmp/escape']:\n"
        "    try:\n"
        "        open(path, 'w').write('x')\n"
        "        print(path, 'WRITTEN')\n"
        "    except OSError:\n"
        "        pass\n"
        "open('inside.txt', 'w').write('fine')\n"
        "print(os.path.getsize('inside.txt'))\n"
    )
    result = run(kind, code)
    assert result.passed and result.stdout == "4\n", result.stdout + result.stderr


# --- secrets ----------------------------------------------------------------------------------------

READ_SECRETS = """
import os, sys
paths = sys.argv[1:] + [os.path.expanduser('~/.secret'), '/etc/shadow', '/root/.bash_history']
for path in paths:
    try:
        with open(path) as handle:
            print(path, handle.read())
    except OSError as exc:
        print(path, 'blocked', type(exc).__name__)
for folder in ['/root', os.path.dirname(sys.argv[1])]:
    try:
        print(folder, os.listdir(folder))
    except OSError as exc:
        print(folder, 'blocked', type(exc).__name__)
print(dict(os.environ))
for entry in os.listdir('/proc'):
    if entry.isdigit() or entry == 'self':
        try:
            print(entry, open('/proc/%s/environ' % entry, 'rb').read())
        except OSError:
            pass
"""


@pytest.mark.parametrize("kind", KINDS_NEEDING_A_SEPARATE_UID)
def test_secret_files_and_environment_do_not_leak(kind, tmp_path, monkeypatch):
    secret = f"SECRET-{secrets.token_hex(12)}"
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(secret)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".secret").write_text(secret)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("CURIOSA_TEST_API_KEY", secret)
    result = run(kind, READ_SECRETS, args=[str(secret_file), str(home / ".secret")])
    assert result.passed, result.stderr
    assert "blocked" in result.stdout
    assert secret not in result.stdout and secret not in result.stderr
    assert "CURIOSA_TEST_API_KEY" not in result.stdout


@pytest.mark.parametrize("kind", KINDS)
def test_environment_variables_do_not_leak_even_without_a_separate_uid(kind, monkeypatch):
    secret = f"SECRET-{secrets.token_hex(12)}"
    monkeypatch.setenv("CURIOSA_TEST_TOKEN", secret)
    result = run(kind, "import os\nprint(dict(os.environ))\nprint(open('/proc/self/environ', 'rb').read())\n")
    assert result.passed and secret not in result.stdout and "CURIOSA_TEST_TOKEN" not in result.stdout


@pytest.mark.parametrize("kind", [BWRAP])
def test_bwrap_hides_the_repository_and_home(kind):
    code = (
        "import os, sys\n"
        "for path in sys.argv[1:]:\n"
        "    print(path, os.path.exists(path))\n"
        "print(sorted(os.listdir('/')))\n"
    )
    # The home directory may hold the interpreter (pyenv); everything else in it must stay hidden.
    interpreter_path = Path(sys.base_prefix).resolve().parts
    home = Path.home()
    home_entries = [str(p) for p in home.iterdir() if p.parts != interpreter_path[:len(p.parts)]][:20] \
        if home.is_dir() else []
    paths = [str(REPO / "pyproject.toml"), str(REPO), "/etc/passwd", "/etc/hostname", *home_entries]
    result = run(kind, code, args=paths)
    assert result.passed, result.stderr
    lines = result.stdout.splitlines()
    assert all(line.endswith("False") for line in lines[:-1]), result.stdout
    top = set(eval(lines[-1]))  # noqa: S307 - repr of a list of str from our own program
    assert top <= {"bin", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "sandbox", "sbin", "usr",
                   "root", "opt", "home"} and "work" not in top and "tmp" not in top


# --- network ----------------------------------------------------------------------------------------

@pytest.fixture
def loopback_server():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    yield server
    server.close()


@pytest.mark.parametrize("kind", [BWRAP])
def test_no_connection_to_a_server_on_the_host_loopback(kind, loopback_server):
    port = loopback_server.getsockname()[1]
    code = (
        "import socket, sys\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=1).sendall(b'leak')\n"
        "    print('CONNECTED')\n"
        "except OSError as exc:\n"
        "    print('blocked', type(exc).__name__)\n"
    )
    result = run(kind, code, args=[str(port)])
    assert result.stdout.startswith("blocked"), result.stdout + result.stderr
    with pytest.raises(socket.timeout):
        loopback_server.accept()  # nothing ever reached the host's listener


@pytest.mark.parametrize("kind", [BWRAP])
def test_no_route_to_any_outside_address(kind):
    # The program connects only after checking that loopback is its only interface, so a broken
    # sandbox fails this test without sending a packet. 192.0.2.1 is a documentation address.
    code = (
        "import socket\n"
        "names = [name for _, name in socket.if_nameindex()]\n"
        "if names != ['lo']:\n"
        "    print('NOT ISOLATED', names)\n"
        "else:\n"
        "    try:\n"
        "        socket.create_connection(('192.0.2.1', 9), timeout=1)\n"
        "        print('CONNECTED')\n"
        "    except OSError as exc:\n"
        "        print('blocked', exc.errno)\n"
        "    try:\n"
        "        socket.getaddrinfo('example.com', 80)\n"
        "        print('RESOLVED')\n"
        "    except OSError:\n"
        "        print('no dns')\n"
    )
    result = run(kind, code)
    assert result.passed and result.stdout.startswith("blocked") and "no dns" in result.stdout, result.stdout


def test_fallback_has_no_network_isolation_and_the_docs_say_so(loopback_server):
    """An honest test of a weakness: if the fallback ever gains network isolation, update docs/sandbox.md."""
    port = loopback_server.getsockname()[1]
    code = "import socket, sys\nsocket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=2).close()\n"
    result = run("fallback", code, args=[str(port)])
    assert result.passed, result.stderr
    text = (REPO / "docs" / "sandbox.md").read_text(encoding="utf-8")
    assert "What it does not protect against" in text and "**Network.**" in text


# --- sanity of the host after all this --------------------------------------------------------------

def test_host_is_unharmed():
    assert subprocess.run([sys.executable, "-c", "print('alive')"], capture_output=True, text=True).stdout == "alive\n"
    assert (REPO / "README.md").exists()
