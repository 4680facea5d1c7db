"""mypy --strict holds for every package: domain/, projections/ and adapters/ (STYLE.md: typed seams, strict mypy over
every package, the pydantic plugin).

The editable install maps the top-level folders into the `regledger` namespace with an import hook that mypy does not
follow, so the check runs on a tree of symbolic links laid out as the installed packages are.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FOLDERS = ("domain", "projections", "adapters", "templates")
CHECKED = ("regledger.domain", "regledger.projections", "regledger.adapters")


@pytest.mark.skipif(shutil.which("mypy", path=str(Path(sys.executable).parent)) is None, reason="mypy not installed")
def test_domain_projections_and_adapters_pass_mypy_strict(tmp_path: Path) -> None:
    package = tmp_path / "regledger"
    package.mkdir()
    for folder in FOLDERS:
        (package / folder).symlink_to(ROOT / folder, target_is_directory=True)
    packages = [argument for name in CHECKED for argument in ("-p", name)]

    result = subprocess.run(
        [str(Path(sys.executable).parent / "mypy"), "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(ROOT / ".mypy_cache"), *packages],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout
