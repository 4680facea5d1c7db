"""mypy --strict holds for the inner layers (STYLE.md: strict for domain/ and projections/, pydantic plugin).

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


@pytest.mark.skipif(shutil.which("mypy", path=str(Path(sys.executable).parent)) is None, reason="mypy not installed")
def test_domain_and_projections_pass_mypy_strict(tmp_path: Path) -> None:
    package = tmp_path / "regledger"
    package.mkdir()
    for layer in ("domain", "projections"):
        (package / layer).symlink_to(ROOT / layer, target_is_directory=True)

    result = subprocess.run(
        [str(Path(sys.executable).parent / "mypy"), "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(ROOT / ".mypy_cache"), "-p", "regledger.domain", "-p", "regledger.projections"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
