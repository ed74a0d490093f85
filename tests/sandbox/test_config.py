import math

import pytest

from curiosa.sandbox import SandboxConfig, run_python


def test_defaults_are_valid_and_cpu_limit_backs_up_the_wall_clock():
    config = SandboxConfig()
    assert config.cpu_limit_s == math.ceil(config.timeout_s) + 1
    assert SandboxConfig(timeout_s=0.5).cpu_limit_s == 2
    assert SandboxConfig(cpu_time_s=0.2).cpu_limit_s == 1


@pytest.mark.parametrize("field, value, error", [
    ("timeout_s", -1, ValueError),
    ("timeout_s", 0, ValueError),
    ("timeout_s", float("nan"), ValueError),
    ("timeout_s", float("inf"), ValueError),
    ("timeout_s", "3", TypeError),
    ("cpu_time_s", -2.0, ValueError),
    ("memory_mb", 8, ValueError),
    ("memory_mb", 256.0, TypeError),
    ("max_processes", 0, ValueError),
    ("output_limit_bytes", 0, ValueError),
    ("file_size_mb", 0, ValueError),
    ("max_open_files", 3, ValueError),
    ("kind", "docker", ValueError),
])
def test_bad_values_fail_with_a_message_naming_the_field(field, value, error):
    with pytest.raises(error, match=field if field != "kind" else "kind"):
        SandboxConfig(**{field: value})


def test_replace_ignores_none_so_optional_overrides_pass_through():
    config = SandboxConfig(timeout_s=2.0)
    assert config.replace(timeout_s=None, memory_mb=300) == SandboxConfig(timeout_s=2.0, memory_mb=300)


@pytest.mark.parametrize("kwargs, error", [
    ({"timeout_s": -1.0}, ValueError),
    ({"memory_mb": 0}, ValueError),
    ({"stdin": 5}, TypeError),
    ({"args": "one string"}, TypeError),
    ({"files": {"/etc/passwd": "x"}}, ValueError),
    ({"files": {"../escape.txt": "x"}}, ValueError),
    ({"files": {"main.py": "x"}}, ValueError),
    ({"files": {"data.txt": 3}}, TypeError),
])
def test_run_python_rejects_bad_arguments_before_running_anything(kwargs, error):
    with pytest.raises(error):
        run_python("print(1)", **kwargs)


def test_run_python_rejects_non_source_code():
    with pytest.raises(TypeError, match="code must be a str"):
        run_python(b"print(1)")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="NUL"):
        run_python("print(1)\x00")
