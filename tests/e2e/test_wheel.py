"""The wheel ships every package (with its `py.typed`) and the templates, and works installed.

The editable install maps the source folders in with an import hook, so it hides a package that pyproject.toml
forgets. Here the wheel is built from a copy of the sources, installed into a fresh virtual environment whose only
other path is this environment's site-packages (for the dependencies: a plain path line in a .pth file, which does
not run the editable install's hook), and its `regledger` command records the bundled case, answers a query and
writes a report.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLE, ROOT
from tests.e2e.report_kit import PINNED_EPOCH
from tests.fixtures.compat.make_snapshots import masked

FOLDERS = ("domain", "projections", "adapters", "templates")
SOURCES = ("pyproject.toml", "README.md")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
AS_OF = ["as-of", "2019-05-17", "--party", "Huawei Technologies"]
REPORT = ["report", "changes", "--from", "2019-05-15", "--to", "2020-08-31", "--format", "html"]
TIMEOUT = 300


def _tree_files() -> set[str]:
    """Every file of the four package folders, by its path in the wheel (caches left out)."""
    return {
        f"regledger/{path.relative_to(ROOT).as_posix()}"
        for folder in FOLDERS
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def _package_folders() -> set[str]:
    """Every folder below the four that holds Python code, as the package name it installs as."""
    return {path.rsplit("/", 1)[0].replace("/", ".") for path in _tree_files() if path.endswith(".py")}


def _run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a command without this test session's import paths or store setting."""
    clean = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "REGLEDGER_DB"}}
    return subprocess.run(
        command, cwd=cwd, env={**clean, "PYTHONNOUSERSITE": "1", **env},
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )


def _setuptools_builds_wheels() -> bool:
    """Whether this environment's setuptools builds a wheel on its own (bdist_wheel is built in from 70.1)."""
    try:
        release = version("setuptools")
    except PackageNotFoundError:
        return False
    return tuple(int(part) for part in release.split(".")[:2]) >= (70, 1)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built without build isolation (no download) from a copy of the sources (no build/ in the tree)."""
    assert _setuptools_builds_wheels(), "setuptools>=70.1 is missing: `pip install -e '.[test]'` installs it"
    work = tmp_path_factory.mktemp("wheel")
    source, dist = work / "source", work / "dist"
    for folder in FOLDERS:
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for name in SOURCES:
        shutil.copyfile(ROOT / name, source / name)
    built = _run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
                  "--no-index", "-q", "-w", str(dist)], cwd=work)
    assert built.returncode == 0, built.stdout + built.stderr
    (path,) = dist.glob("regledger-*.whl")
    return path


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed; the dependencies come from this environment."""
    home = tmp_path_factory.mktemp("venv") / "venv"
    created = _run([sys.executable, "-m", "venv", "--without-pip", str(home)], cwd=home.parent)
    assert created.returncode == 0, created.stderr
    python = home / "bin" / "python"
    installed = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                      "-q", str(wheel)], cwd=home.parent)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    paths = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=home.parent)
    dependencies = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
    (Path(paths.stdout.strip()) / "regledger-test-dependencies.pth").write_text("\n".join(dependencies) + "\n")
    return home


def test_pyproject_lists_every_package_folder() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])

    assert listed == _package_folders()


def test_pyproject_ships_py_typed_with_every_package() -> None:
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["*"]


def test_the_wheel_holds_exactly_the_files_of_the_package_folders(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if not name.startswith("regledger-")}

    assert sorted(_tree_files() - shipped) == [], "not shipped"
    assert sorted(shipped - _tree_files()) == [], "shipped but not in the tree"
    typed = _package_folders() - {"regledger.templates"}  # the templates hold no code to type
    assert {f"{name.replace('.', '/')}/py.typed" for name in typed} <= shipped


def test_the_fresh_environment_imports_regledger_from_the_wheel(venv: Path) -> None:
    where = _run([str(venv / "bin" / "python"), "-c",
                  "import regledger.adapters, regledger.adapters.cli.main, regledger.templates as t; "
                  "print(regledger.adapters.__file__); print(t.__file__)"], cwd=venv.parent)

    assert where.returncode == 0, where.stderr
    files = [Path(line) for line in where.stdout.split()]
    assert len(files) == 2
    assert all(file.is_relative_to(venv) and "site-packages" in file.parts for file in files), files


def test_the_installed_command_records_answers_a_query_and_writes_a_report(venv: Path, run_cli, monkeypatch,
                                                                            tmp_path: Path) -> None:
    """The installed command answers as the source tree does: the same JSON answer (the party found through the
    name normaliser, Huawei in force since 2019-05-16) and the same report, byte for byte."""
    regledger, db = str(venv / "bin" / "regledger"), str(tmp_path / "huawei.db")
    actions = len(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    recorded = _run([regledger, "record", str(EXAMPLE), "--db", db], cwd=tmp_path)
    answer = _run([regledger, *AS_OF, "--format", "json", "--db", db], cwd=tmp_path)
    report = _run([regledger, *REPORT, "-o", "wheel.html", "--db", db], cwd=tmp_path, SOURCE_DATE_EPOCH=PINNED_EPOCH)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", PINNED_EPOCH)
    monkeypatch.chdir(tmp_path)
    answer_from_tree = run_cli(*AS_OF, "--format", "json", "--db", db)
    from_tree = run_cli(*REPORT, "-o", "tree.html", "--db", db)

    assert recorded.returncode == 0, recorded.stderr
    assert f"recorded {actions} action(s)" in recorded.stdout
    assert answer.returncode == 0, answer.stderr
    installed = json.loads(answer.stdout)
    assert installed["filter"]["matches"] == [
        {"party": "huawei-technologies", "name": "Huawei Technologies Co., Ltd.", "rule": "name"}]
    [entry] = installed["lists"]["us-bis-entity-list"]
    assert (entry["party"], entry["status"], entry["listed_on"]) == ("huawei-technologies", "in_force", "2019-05-16")
    assert "84 FR 22961" in [citation["citation"] for citation in entry["citations"]]
    assert answer_from_tree.code == 0, answer_from_tree.err
    assert masked(installed) == masked(json.loads(answer_from_tree.out))
    assert report.returncode == 0, report.stderr
    html = (tmp_path / "wheel.html").read_text(encoding="utf-8")
    assert "<title>Changes after 2019-05-15 through 2020-08-31 · regledger</title>" in html
    assert "<style>" in html
    assert "84 FR 22961" in html
    assert from_tree.code == 0, from_tree.err
    assert html == (tmp_path / "tree.html").read_text(encoding="utf-8")
