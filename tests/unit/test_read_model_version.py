"""The read models' version is an explicit number, bumped when the code that computes their rows changes what a row
holds: a digest of that code (comments and docstrings left out) is pinned here to the number, so that changing the
code without a bump fails, and editing a comment never forces one."""

from __future__ import annotations

import ast
import hashlib
import importlib.util
from pathlib import Path

from regledger.adapters.readmodels.lifecycle import READ_MODEL_VERSION, ROW_MODULES

# READ_MODEL_VERSION -> the digest of ROW_MODULES' code that version's rows come from
PINNED = {11: "f3ccb77df1ab3d65c4040a0d31d32fc30e290598b89faa24ccc9c746366260d0"}  # indexes added and retired


def _without_docstrings(tree: ast.AST) -> ast.AST:
    """`tree` without its string statements (docstrings): they do nothing."""
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            kept = [s for s in body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)
                                            and isinstance(s.value.value, str))]
            node.body = kept or [ast.Pass()]
    return tree


def _canonical(node: object) -> str:
    """A text of the syntax tree that only its code decides: node types and their non-empty fields, by name (no
    positions, and no fields a newer Python adds empty)."""
    if isinstance(node, ast.AST):
        fields = [f"{name}={_canonical(value)}" for name, value in sorted(ast.iter_fields(node))
                  if value is not None and value != []]
        return f"{type(node).__name__}({','.join(fields)})"
    if isinstance(node, list):
        return f"[{','.join(_canonical(item) for item in node)}]"
    return repr(node)


def code_digest(source: str) -> str:
    """The digest of one module's code: its syntax tree without docstrings, so comments and docstrings do not count."""
    return hashlib.sha256(_canonical(_without_docstrings(ast.parse(source))).encode()).hexdigest()


def _path(package: str, module: str) -> Path:
    spec = importlib.util.find_spec(f"regledger.{package}.{module}")
    assert spec is not None, f"{package}.{module}"
    assert spec.origin is not None, f"{package}.{module}"
    return Path(spec.origin)


def rows_digest() -> str:
    """The digest of every module that computes the read models' rows (`ROW_MODULES`)."""
    digest = hashlib.sha256()
    for package, modules in sorted(ROW_MODULES.items()):
        for module in sorted(modules):
            code = code_digest(_path(package, module).read_text(encoding="utf-8"))
            digest.update(f"{package}.{module}\0{code}\0".encode())
    return digest.hexdigest()


def test_the_code_that_computes_the_rows_is_the_code_of_this_read_model_version() -> None:
    found = rows_digest()

    assert PINNED.get(READ_MODEL_VERSION) == found, (
        "the modules that compute the read models' rows (ROW_MODULES in adapters/readmodels/lifecycle.py) changed "
        f"since READ_MODEL_VERSION {READ_MODEL_VERSION} was pinned. If what a row holds changed, bump "
        f"READ_MODEL_VERSION there (stored read models are then rebuilt) and pin the new number here: "
        f"PINNED = {{{READ_MODEL_VERSION + 1}: {found!r}}}. If it did not (a refactoring), pin this digest to the "
        f"same number: PINNED = {{{READ_MODEL_VERSION}: {found!r}}}.")


def test_comments_and_docstrings_do_not_change_the_digest() -> None:
    source = _path("adapters.readmodels", "writer").read_text(encoding="utf-8")
    annotated = ('"""Another module docstring."""\n# a comment\n'
                 + source.replace("    def drop(self) -> None:\n",
                                  "    def drop(self) -> None:  # dropped\n        \"\"\"Another one.\"\"\"\n", 1))

    assert annotated != source
    assert code_digest(annotated) == code_digest(source)


def test_a_change_of_code_changes_the_digest() -> None:
    source = _path("adapters.readmodels", "sql").read_text(encoding="utf-8")
    changed = source.replace("OPEN_DAY = 9_999_999", "OPEN_DAY = 9_999_998", 1)

    assert changed != source
    assert code_digest(changed) != code_digest(source)


def test_every_row_module_exists() -> None:
    for package, modules in ROW_MODULES.items():
        for module in modules:
            assert _path(package, module).is_file()
