"""The lock files: every dependency of pyproject.toml pinned, with hashes, at an allowed version;
the development lock agrees with the application lock; ruff pinned exactly (CI checks formatting
with it). `make lock` regenerates both files."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins(name: str) -> dict[str, str]:
    """{package: version} of a lock file; asserts each pin carries at least one hash."""
    text = (ROOT / name).read_text()
    found = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9._-]+)==([^\s\\;]+)", block)
        if match:
            assert "--hash=sha256:" in block, f"{name}: {match.group(1)} has no hash"
            found[canonicalize_name(match.group(1))] = match.group(2)
    assert found, f"{name} pins nothing"
    return found


def _check(requirements: list[str], locked: dict[str, str], lock_name: str):
    for line in requirements:
        requirement = Requirement(line)
        version = locked.get(canonicalize_name(requirement.name))
        assert version, f"{requirement.name} is not in {lock_name}: run `make lock`"
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock_name} pins {requirement.name}=={version}, outside {requirement.specifier}: "
            "run `make lock`"
        )


def test_application_lock_pins_every_dependency_and_the_pdf_extra():
    _check(
        PROJECT["dependencies"] + PROJECT["optional-dependencies"]["pdf"],
        pins("requirements.lock"),
        "requirements.lock",
    )


def test_development_lock_pins_the_application_and_dev_dependencies_at_the_same_versions():
    app, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    _check(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"], dev, "requirements-dev.lock")
    assert {name: version for name, version in dev.items() if name in app and app[name] != version} == {}


def test_ruff_is_pinned_exactly():
    (ruff,) = [Requirement(r) for r in PROJECT["optional-dependencies"]["dev"] if r.startswith("ruff")]
    assert str(ruff.specifier).startswith("==")
    assert pins("requirements-dev.lock")["ruff"] == str(ruff.specifier)[2:]


def test_installs_and_the_image_use_the_locks():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r requirements-dev.lock" in makefile
    assert "pip install --require-hashes -r requirements.lock" in (ROOT / "Dockerfile").read_text()
