"""Ordinary programs: what run_python reports, on both isolation kinds."""

import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from curiosa.sandbox import SandboxConfig, run_python
from curiosa.sandbox.backend import bwrap_status, working_bwrap
from curiosa.sandbox.identity import can_switch_user

BWRAP = pytest.param("bwrap", marks=pytest.mark.skipif(
    working_bwrap() is None, reason=f"bubblewrap does not work here: {bwrap_status()}"))
KINDS = [BWRAP, "fallback"]


def run(kind, code, **kwargs):
    config_fields = {k: kwargs.pop(k) for k in list(kwargs) if k in SandboxConfig.__dataclass_fields__}
    config = SandboxConfig(kind=kind, **{"timeout_s": 5.0, "memory_mb": 256, **config_fields})
    return run_python(code, config=config, **kwargs)


@pytest.mark.parametrize("kind", KINDS)
def test_output_and_exit_code_of_a_normal_program(kind):
    result = run(kind, "import sys\nprint('out', 6 * 7)\nprint('err', file=sys.stderr)\n")
    assert result.passed and result.exit_code == 0 and result.kind == kind
    assert result.stdout == "out 42\n" and result.stderr == "err\n"
    assert not result.timed_out and result.killed_reason is None and not result.output_truncated
    assert 0 < result.duration_s < 5


@pytest.mark.parametrize("kind", KINDS)
def test_failures_are_reported_not_raised(kind):
    crashed = run(kind, "raise ValueError('boom')")
    assert not crashed.passed and crashed.exit_code == 1 and "ValueError: boom" in crashed.stderr
    assert 'main.py", line 1, in <module>' in crashed.stderr and "<string>" not in crashed.stderr
    assert crashed.killed_reason is None
    exited = run(kind, "import sys; sys.exit(7)")
    assert not exited.passed and exited.exit_code == 7
    syntax = run(kind, "def f(:\n")
    assert not syntax.passed and "SyntaxError" in syntax.stderr
    signalled = run(kind, "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    assert signalled.exit_code == -11 and signalled.killed_reason == "signal:SIGSEGV"


@pytest.mark.parametrize("kind", KINDS)
def test_stdin_files_and_args_reach_the_program(kind):
    code = (
        "import sys, helper\n"
        "print(input(), sys.argv[1:], helper.VALUE, open('data/in.bin', 'rb').read())\n"
    )
    result = run(kind, code, stdin="hello\n", args=["a", "b"],
                 files={"helper.py": "VALUE = 5\n", "data/in.bin": b"\x00\x01"})
    assert result.passed, result.stderr
    assert result.stdout == "hello ['a', 'b'] 5 b'\\x00\\x01'\n"


@pytest.mark.parametrize("kind", KINDS)
def test_standard_library_works_and_third_party_packages_are_hidden(kind):
    code = (
        "import collections.abc, fractions, hashlib, heapq, json.decoder, math, re, decimal, itertools\n"
        "import email.mime.text, xml.etree.ElementTree, concurrent.futures, unittest, sqlite3, zoneinfo, ctypes\n"
        "print(hashlib.md5(b'a').hexdigest())\n"
    )
    assert run(kind, code).stdout == "0cc175b9c0f1b6a831c399e269772661\n"
    hidden = run(kind, "import pytest")
    assert not hidden.passed and "ModuleNotFoundError" in hidden.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_site_packages_can_be_allowed(kind):
    result = run(kind, "import yaml\nprint(yaml.safe_dump({'a': 1}).strip())\n", allow_site_packages=True)
    assert result.passed and result.stdout == "a: 1\n", result.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_environment_is_minimal(kind):
    result = run(kind, "import os; print(sorted(os.environ))")
    names = set(eval(result.stdout))  # noqa: S307 - our own program's repr of a list of str
    assert names <= {"PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "PWD"}


@pytest.mark.parametrize("kind", KINDS)
def test_scratch_directory_is_fresh_and_deleted_even_when_made_hard_to_delete(kind, tmp_path, monkeypatch):
    scratch_root = tmp_path / "scratch-root"
    scratch_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch_root))
    code = (
        "import os\n"
        "print(sorted(os.listdir('.')))\n"
        "os.makedirs('a/b/c')\n"
        "open('a/b/c/f.txt', 'w').write('x')\n"
        "os.chmod('a/b', 0)\n"
        "os.chmod('.', 0o500)\n"
    )
    first = run(kind, code)
    assert first.passed, first.stderr
    assert first.stdout == "['main.py']\n"
    assert list(scratch_root.iterdir()) == []
    assert run(kind, code).stdout == "['main.py']\n"  # nothing left over from the first run


@pytest.mark.parametrize("kind", KINDS)
def test_cleanup_does_not_follow_symlinks_out_of_the_scratch_directory(kind, tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep")
    code = f"import os\nos.symlink({str(victim)!r}, 'link')\nos.symlink({str(victim / 'keep.txt')!r}, 'file')\n"
    result = run(kind, code)
    assert result.passed, result.stderr
    assert (victim / "keep.txt").read_text() == "keep"


@pytest.mark.parametrize("kind", KINDS)
def test_file_size_limit(kind):
    code = (
        "try:\n"
        "    open('big', 'wb').write(b'x' * (3 * 1024 * 1024))\n"
        "except OSError as exc:\n"
        "    print('refused', exc.errno)\n"
    )
    result = run(kind, code, file_size_mb=1)
    assert result.stdout.startswith("refused 27"), (result.stdout, result.stderr)  # EFBIG


@pytest.mark.parametrize("kind", KINDS)
def test_sixteen_parallel_runs_from_threads(kind):
    code = "import sys, time\ntime.sleep(0.2)\nprint(int(sys.argv[1]) ** 2)\n"
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda i: run(kind, code, args=[str(i)]), range(16)))
    assert [r.stdout for r in results] == [f"{i * i}\n" for i in range(16)]
    assert all(r.passed for r in results)
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_neighbours_do_not_break_parallel_runs(kind):
    if kind == "fallback" and not can_switch_user():
        pytest.skip("the fallback gives each run its own process count only when it can switch uid (as root)")
    bomb = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
    spin = "while True:\n    pass\n"
    normal = "import os\nr = os.fork()\nif r == 0:\n    os._exit(0)\nos.waitpid(r, 0)\nprint('ok')\n"
    jobs = [(bomb, 1.5), (spin, 1.5)] + [(normal, 20.0)] * 10  # normal runs get room to wait for a core
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(lambda job: run(kind, job[0], timeout_s=job[1]), jobs))
    assert results[0].timed_out and results[1].timed_out
    for result in results[2:]:
        assert result.passed and result.stdout == "ok\n", (result.stderr, result.killed_reason)
    assert os.system("true") == 0
