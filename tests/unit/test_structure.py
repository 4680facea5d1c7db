"""Structure: dependencies point inward, packages declare their exports, every command has help."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STDLIB = set(sys.stdlib_module_names)


def _imports(package: str) -> dict[str, set[str]]:
    """For each module file of a top-level package folder, the absolute module names it imports."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def _allowed_in_domain(name: str) -> bool:
    top = name.split(".", maxsplit=1)[0]
    return top in STDLIB or top in {"pydantic", "pydantic_core"} or name == "eventsourcing.domain"


def test_domain_imports_only_the_standard_library_pydantic_and_eventsourcing_domain() -> None:
    offenders = {
        module: sorted(n for n in names if not _allowed_in_domain(n)) for module, names in _imports("domain").items()
    }

    assert {m: n for m, n in offenders.items() if n} == {}


@pytest.mark.parametrize("package", ["domain", "projections"])
def test_inner_layers_never_import_adapters_psycopg_or_jinja2(package: str) -> None:
    forbidden = ("regledger.adapters", "psycopg", "jinja2", "click", "yaml")
    offenders = {
        module: sorted(n for n in names if n.startswith(forbidden)) for module, names in _imports(package).items()
    }

    assert {m: n for m, n in offenders.items() if n} == {}


def test_domain_never_imports_projections() -> None:
    offenders = {m: n for m, n in _imports("domain").items() if any(x.startswith("regledger.projections") for x in n)}

    assert offenders == {}


@pytest.mark.parametrize("package", ["domain", "projections", "adapters"])
def test_each_package_declares_all_and_exports_what_it_declares(package: str) -> None:
    module = importlib.import_module(f"regledger.{package}")

    assert isinstance(module.__all__, list)
    for name in module.__all__:
        assert hasattr(module, name), f"regledger.{package} declares {name} but has no such member"


def _commands(group, prefix: str = "") -> dict:
    found = {}
    for name, command in group.commands.items():
        found[prefix + name] = command
        if hasattr(command, "commands"):
            found.update(_commands(command, f"{prefix}{name} "))
    return found


def test_every_command_has_help() -> None:
    from regledger.adapters.cli.main import cli  # noqa: PLC0415

    commands = _commands(cli)
    missing = [name for name, command in commands.items() if not (command.help or "").strip()]

    assert {"record", "log", "import federal-register"} <= set(commands)
    assert missing == []
