"""Choosing the isolation kind: the probe, the environment override, the one-time fallback warning."""

import warnings

import pytest

from curiosa.sandbox import SandboxFallbackWarning, SandboxUnavailableError, backend, bubblewrap, sandbox_kind
from curiosa.sandbox.config import SandboxConfig
from curiosa.sandbox.run import run_python


@pytest.fixture
def no_bwrap(monkeypatch):
    """Pretend no bwrap binary exists, with a fresh warning state."""
    monkeypatch.setattr(bubblewrap, "candidates", lambda: [])
    monkeypatch.setattr(backend, "_warned", False)
    monkeypatch.delenv(backend.ENV_VAR, raising=False)


def test_kind_is_bwrap_exactly_when_a_probe_passes(monkeypatch):
    monkeypatch.delenv(backend.ENV_VAR, raising=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SandboxFallbackWarning)
        assert sandbox_kind() == ("bwrap" if backend.working_bwrap() else "fallback")


def test_falling_back_warns_once(no_bwrap):
    with pytest.warns(SandboxFallbackWarning, match="docs/sandbox.md") as record:
        assert sandbox_kind() == "fallback"
        assert sandbox_kind() == "fallback"
        result = run_python("print('still runs')", timeout_s=3)
    assert len([w for w in record if issubclass(w.category, SandboxFallbackWarning)]) == 1
    assert result.passed and result.kind == "fallback"


def test_requiring_bwrap_without_it_fails_loudly(no_bwrap, monkeypatch):
    with pytest.raises(SandboxUnavailableError, match="no bwrap binary found"):
        run_python("print(1)", config=SandboxConfig(kind="bwrap"))
    monkeypatch.setenv(backend.ENV_VAR, "bwrap")
    with pytest.raises(SandboxUnavailableError):
        run_python("print(1)")


def test_environment_variable_chooses_the_kind(monkeypatch):
    monkeypatch.setenv(backend.ENV_VAR, "fallback")
    assert run_python("print(1)", timeout_s=3).kind == "fallback"
    monkeypatch.setenv(backend.ENV_VAR, "chroot")
    with pytest.raises(ValueError, match=backend.ENV_VAR):
        sandbox_kind()


def test_a_binary_that_is_not_bwrap_fails_the_probe(tmp_path, monkeypatch):
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho pretending\nexit 0\n")
    fake.chmod(0o755)
    probe = backend.probe_bwrap(str(fake))
    assert not probe.ok and probe.path == str(fake)
    not_executable = tmp_path / "plain"
    not_executable.write_text("")
    assert backend.probe_bwrap(str(not_executable)).detail == "not an executable file"


def test_candidates_honour_curiosa_bwrap_first(tmp_path, monkeypatch):
    fake = tmp_path / "my-bwrap"
    fake.write_text("")
    monkeypatch.setenv("CURIOSA_BWRAP", str(fake))
    assert bubblewrap.candidates()[0] == str(fake)


def test_bwrap_status_explains_itself(no_bwrap):
    assert "bubblewrap" in backend.bwrap_status()
