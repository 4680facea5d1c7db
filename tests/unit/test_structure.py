"""Structure: dependencies point inward and downward, nothing imports in a circle, no private name crosses a module,
every package declares its exports and ships `py.typed`, every command has help.

The layers, from the top (docs/architecture.md says what each holds). A module may import its own package and any
package of a lower rank, never another package of its own rank or of a higher one:

    7  regledger.adapters.cli, .web                     (the shells: command line, web application and API)
    6  regledger.adapters.services
    5  regledger.adapters.wiring                          (the composition root)
    4  regledger.adapters.importers
    3  regledger.adapters.render, .readmodels, .integrity
    2  regledger.adapters.store
    1  regledger.adapters.errors, .progress
       regledger.projections
       regledger.domain, regledger.templates               (templates: data only, loaded by name)

`regledger.adapters` itself (its `__init__`) re-exports: it may import anything, and nothing in the tree imports it.
Every import counts: at module level, inside functions, under `TYPE_CHECKING`, relative ones (resolved), and
`importlib.import_module("…")` with a literal name.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STDLIB = set(sys.stdlib_module_names)
FOLDERS = {"domain": "regledger.domain", "projections": "regledger.projections",
           "adapters": "regledger.adapters", "templates": "regledger.templates"}
LAYERS: tuple[tuple[str, ...], ...] = (
    ("regledger.domain", "regledger.templates"),
    ("regledger.projections",),
    ("regledger.adapters.safe_text",),
    ("regledger.adapters.errors", "regledger.adapters.progress"),
    ("regledger.adapters.store",),
    ("regledger.adapters.render", "regledger.adapters.readmodels", "regledger.adapters.integrity"),
    ("regledger.adapters.importers",),
    ("regledger.adapters.wiring",),
    ("regledger.adapters.services",),
    ("regledger.adapters.cli", "regledger.adapters.web"),
)
PACKAGE_ROOT = "regledger.adapters"
RANKS = {package: rank for rank, packages in enumerate(LAYERS) for package in packages} | {PACKAGE_ROOT: len(LAYERS)}


@dataclass(frozen=True)
class Module:
    """One module file of the tree, under its installed name."""

    name: str
    path: Path
    is_package: bool


def _modules() -> dict[str, Module]:
    """Every module of the four top-level folders, by its `regledger.*` name."""
    found: dict[str, Module] = {}
    for folder, package in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            name = ".".join([package, *(parts[:-1] if is_package else parts)])
            found[name] = Module(name, path, is_package)
    return found


MODULES = _modules()


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    """The absolute module name of a `from … import` statement, relative levels resolved against the module."""
    if node.level == 0:
        return node.module or ""
    package = module.name if module.is_package else module.name.rpartition(".")[0]
    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
    return f"{base}.{node.module}" if node.module else base


def _literal_import_module(node: ast.Call) -> str | None:
    """The name in `importlib.import_module("…")` or `__import__("…")`, when it is a literal."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name in {"import_module", "__import__"} and node.args and isinstance(node.args[0], ast.Constant):
        value = node.args[0].value
        return value if isinstance(value, str) else None
    return None


def _statements(module: Module) -> Iterator[tuple[str, list[str]]]:
    """Each import of a module, anywhere in it: (the module imported from, the names imported; [] for `import X`)."""
    for node in ast.walk(ast.parse(module.path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield _absolute(module, node), [alias.name for alias in node.names]
        elif isinstance(node, ast.Call) and (literal := _literal_import_module(node)):
            yield literal, []


def _targets(source: str, names: list[str]) -> set[str]:
    """The modules an import reaches: `from P import m` reaches the module P.m where there is one, else P."""
    if not names:
        return {source}
    return {f"{source}.{name}" if f"{source}.{name}" in MODULES else source for name in names}


def _imports(module: Module) -> set[str]:
    """Every absolute module name a module imports (third-party ones too), relative imports resolved."""
    return {target for source, names in _statements(module) for target in _targets(source, names)}


def _imports_of_folder(folder: str) -> dict[str, set[str]]:
    """For each module of one top-level folder, the absolute module names it imports."""
    return {name: _imports(module) for name, module in MODULES.items() if name.startswith(FOLDERS[folder])}


def _internal_graph() -> dict[str, set[str]]:
    """Module → the regledger modules it imports (itself left out)."""
    return {name: {t for t in _imports(module) if t in MODULES and t != name} for name, module in MODULES.items()}


def _package_of(name: str) -> str | None:
    """The layer package a module belongs to (the longest one that contains it), or None."""
    if name == PACKAGE_ROOT:
        return PACKAGE_ROOT
    owners = [p for p in RANKS if p != PACKAGE_ROOT and (name == p or name.startswith(f"{p}."))]
    return max(owners, key=len, default=None)


def _upward(module: str, target: str) -> bool:
    """Whether importing target from module breaks the layering: another package of the same rank or above."""
    own, other = _package_of(module), _package_of(target)
    if own is None or other is None or own in (PACKAGE_ROOT, other):
        return False
    return RANKS[other] >= RANKS[own]


def _listing(offenders: dict[str, list[str]]) -> str:
    """Offenders one a line, `module: name, name`, for the assertion message."""
    return "\n".join(f"{module}: {', '.join(names)}" for module, names in sorted(offenders.items()))


def _allowed_in_domain(name: str) -> bool:
    top = name.split(".", maxsplit=1)[0]
    return top in STDLIB or top in {"pydantic", "pydantic_core"} or name == "eventsourcing.domain"


def test_domain_imports_only_the_standard_library_pydantic_and_eventsourcing_domain() -> None:
    offenders = {
        module: sorted(n for n in names if not _allowed_in_domain(n) and not n.startswith("regledger.domain"))
        for module, names in _imports_of_folder("domain").items()
    }

    assert {m: n for m, n in offenders.items() if n} == {}


@pytest.mark.parametrize("package", ["domain", "projections"])
def test_inner_layers_never_import_adapters_psycopg_or_jinja2(package: str) -> None:
    forbidden = ("regledger.adapters", "psycopg", "jinja2", "click", "yaml")
    offenders = {
        module: sorted(n for n in names if n.startswith(forbidden))
        for module, names in _imports_of_folder(package).items()
    }

    assert {m: n for m, n in offenders.items() if n} == {}


def test_domain_never_imports_projections() -> None:
    offenders = {
        m: n for m, n in _imports_of_folder("domain").items() if any(x.startswith("regledger.projections") for x in n)
    }

    assert offenders == {}


def test_imports_are_found_anywhere_and_resolved(tmp_path: Path) -> None:
    path = tmp_path / "ledger.py"
    path.write_text(
        "from __future__ import annotations\n"
        "from . import mapper\n"
        "from ..integrity import chain as c, nothing_of_that_name\n"
        "def later():\n"
        "    import regledger.adapters.wiring\n"
        "    return importlib.import_module('regledger.adapters.cli.main')\n",
        encoding="utf-8",
    )
    module = Module("regledger.adapters.store.ledger", path, is_package=False)

    assert _imports(module) == {
        "__future__", "regledger.adapters.store.mapper", "regledger.adapters.integrity.chain",
        "regledger.adapters.integrity", "regledger.adapters.wiring", "regledger.adapters.cli.main",
    }
    assert _upward(module.name, "regledger.adapters.integrity.chain")
    assert not _upward(module.name, "regledger.adapters.store.mapper")
    assert not _upward(module.name, "regledger.adapters.errors")


def test_every_module_belongs_to_a_layer() -> None:
    homeless = sorted(name for name in MODULES if _package_of(name) is None)

    assert homeless == [], "place each new package in LAYERS (and in docs/architecture.md)"


def test_layers_depend_only_downward() -> None:
    graph = _internal_graph()
    found = {module: sorted(t for t in targets if _upward(module, t)) for module, targets in graph.items()}
    offenders = {m: n for m, n in found.items() if n}

    assert offenders == {}, f"upward imports:\n{_listing(offenders)}"


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of a graph (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        while work:
            node, children = work[-1]
            child = next((c for c in children if c not in index or c in stack), None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set(stack[stack.index(node):])
                    del stack[stack.index(node):]
                    components.append(component)
            elif child in index:
                low[node] = min(low[node], index[child])
            else:
                index[child] = low[child] = len(index)
                stack.append(child)
                work.append((child, iter(sorted(graph[child]))))
    return components


def _shortest_cycle(graph: dict[str, set[str]], start: str, within: set[str]) -> list[str]:
    """The shortest chain of imports from start back to start, staying inside one component."""
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(graph[node] & within):
                if child == start:
                    return [*paths[node], start]
                if child not in paths:
                    paths[child] = [*paths[node], child]
                    following.append(child)
        frontier = following
    return []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One shortest cycle through each module that lies on one, each cycle once (started at its smallest module)."""
    found: set[tuple[str, ...]] = set()
    for component in (c for c in _strongly_connected(graph) if len(c) > 1):
        for module in sorted(component):
            chain = _shortest_cycle(graph, module, component)[:-1]
            first = chain.index(min(chain))
            found.add(tuple(chain[first:] + chain[:first] + [chain[first]]))
    return sorted(list(cycle) for cycle in found)


def test_the_cycle_finder_finds_a_cycle_and_only_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"d"}}

    assert _cycles(graph) == [["a", "b", "c", "a"]]


def test_no_import_cycles_anywhere() -> None:
    cycles = _cycles(_internal_graph())

    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in cycles)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_no_private_names_are_imported_from_another_module() -> None:
    found = {
        name: sorted(f"{source}.{n}" for source, names in _statements(module) for n in names if _private(n))
        for name, module in MODULES.items()
    }
    offenders = {m: n for m, n in found.items() if n}

    assert offenders == {}, f"private names imported:\n{_listing(offenders)}"


def _assigned_names(node: ast.stmt) -> set[str]:
    """The plain names a top-level statement assigns (`x = …`, `x: T = …`)."""
    targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets if isinstance(node, ast.Assign) else []
    return {target.id for target in targets if isinstance(target, ast.Name)}


def _declares_all(module: Module) -> bool:
    """Whether a module assigns `__all__` at its top level."""
    body = ast.parse(module.path.read_text(encoding="utf-8")).body
    return any("__all__" in _assigned_names(node) for node in body)


def test_every_module_declares_all() -> None:
    silent = sorted(name for name, module in MODULES.items() if not _declares_all(module))

    assert silent == [], "no __all__ in:\n" + "\n".join(silent)


PACKAGES = sorted(name for name, module in MODULES.items() if module.is_package)


def test_the_package_list_is_the_tree() -> None:
    assert {"regledger.adapters.store", "regledger.adapters.render.reports", "regledger.adapters.cli"} <= set(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_declares_all_and_exports_what_it_declares(package: str) -> None:
    module = importlib.import_module(package)

    assert isinstance(module.__dict__.get("__all__"), list), f"{package} declares no __all__ list"
    for name in module.__all__:
        assert hasattr(module, name), f"{package} declares {name} but has no such member"


@pytest.mark.parametrize("package", [p for p in PACKAGES if p != "regledger.templates"])  # templates: no code
def test_each_package_ships_py_typed(package: str) -> None:
    assert (MODULES[package].path.parent / "py.typed").is_file()


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
