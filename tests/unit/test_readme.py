"""The README's promises: its first screen holds the two commands, and CI runs the test command verbatim."""

from __future__ import annotations

import re

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", README, flags=re.DOTALL)


def test_the_first_screen_holds_a_run_command_and_a_test_command() -> None:
    first_screen = "\n".join(README.splitlines()[:30])
    run, test = _commands()[:2]

    assert run in first_screen
    assert test in first_screen
    assert "regledger record examples/huawei-2019-2020.yaml" in run
    assert "regledger as-of 2019-05-17 --published-by 2019-05-17 --party \"Huawei Technologies\"" in run
    assert "regledger diff 2019-05-15 2019-05-21" in run
    assert "pytest" in test


def test_the_first_screen_holds_the_command_that_serves_the_bundled_case() -> None:
    first_screen = "\n".join(README.splitlines()[:30])
    serve = _commands()[2]

    assert serve in first_screen
    assert "regledger record examples/huawei-2019-2020.yaml --db huawei.db" in serve
    assert serve.endswith("regledger serve --db huawei.db")


def test_ci_runs_exactly_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test = _commands()[1]

    assert test in ci.splitlines()
