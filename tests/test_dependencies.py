"""The dependency ranges in pyproject.toml, the pins in constraints.txt and README's commands agree."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    return [Requirement(r) for r in listed]


def _pins() -> dict[str, Version]:
    pins = {}
    for number, line in enumerate((ROOT / "constraints.txt").read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([0-9][^\s;]*)", line)
        assert match, f"constraints.txt:{number}: {line!r} is not an exact pin name==version"
        name = canonicalize_name(match.group(1))
        assert name not in pins, f"constraints.txt:{number}: {name} is pinned twice"
        pins[name] = Version(match.group(2))
    return pins


def test_every_dependency_is_capped_and_pinned_inside_its_range():
    pins = _pins()
    for req in _requirements():
        name = canonicalize_name(req.name)
        assert any(s.operator in ("<", "<=", "==", "~=") for s in req.specifier), \
            f"pyproject.toml: {req} has no upper bound; cap it at the newest tested minor version"
        assert name in pins, f"{req.name} is a dependency but constraints.txt does not pin it"
        assert req.specifier.contains(pins[name], prereleases=True), \
            f"constraints.txt pins {req.name}=={pins[name]}, outside pyproject.toml's range {req.specifier}"


def test_readme_commands_install_from_the_constraints_with_the_pinned_torch():
    readme = (ROOT / "README.md").read_text()
    torch = _pins()["torch"]
    for marker in ("main-command", "test-command"):
        block = readme.split(f"<!-- {marker} -->", 1)[1].split("```", 2)[1]
        assert f"pip install torch=={torch}" in block, f"README's {marker} must install torch=={torch} first"
        assert "-c constraints.txt" in block, f"README's {marker} must install with -c constraints.txt"
