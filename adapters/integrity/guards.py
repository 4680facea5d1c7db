"""Append-only tables, enforced by the database: UPDATE and DELETE refused by row triggers, and on PostgreSQL
TRUNCATE by a statement trigger (row triggers do not see it).

The guards are installed when a ledger is opened, and only where missing (a disabled PostgreSQL guard is enabled
again), so opening stays cheap. They stop mistakes and anyone using the application's access; someone who can drop
triggers can still edit the tables, which is what the chain and checkpoints are for.
"""

from __future__ import annotations

from regledger.adapters.store.sql import Cursor

__all__ = ["GUARDED_OPERATIONS", "install_postgres_guards", "install_sqlite_guards", "sqlite_trigger_names"]

GUARDED_OPERATIONS = ("UPDATE", "DELETE")
_FUNCTION = "regledger_refuse_change"
_ROW_TRIGGER = "regledger_append_only"
_TRUNCATE_TRIGGER = "regledger_no_truncate"


def sqlite_trigger_names(table: str) -> list[str]:
    """The names of the guards of `table` on SQLite."""
    return [f"regledger_{table}_no_{operation.lower()}" for operation in GUARDED_OPERATIONS]


def install_sqlite_guards(cursor: Cursor, tables: list[str]) -> None:
    """Refuse UPDATE and DELETE on each of `tables` (idempotent)."""
    for table in tables:
        for name, operation in zip(sqlite_trigger_names(table), GUARDED_OPERATIONS, strict=True):
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'regledger: {table} is append-only: {operation} refused'); END"
            )


def install_postgres_guards(cursor: Cursor, schema: str, tables: list[str]) -> None:
    """Refuse UPDATE, DELETE and TRUNCATE on each of `tables` in `schema` (idempotent; hold the set-up lock)."""
    function = f'"{schema}".{_FUNCTION}'
    cursor.execute("SELECT to_regprocedure(%s) AS found", (f"{function}()",))
    if cursor.fetchone()["found"] is None:
        cursor.execute(
            f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'regledger: %.% is append-only: % refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP "
            "USING ERRCODE = 'insufficient_privilege'; END $$"
        )
    for table in tables:
        _guard_table(cursor, f'"{schema}"."{table}"', function)


def _guard_table(cursor: Cursor, table: str, function: str) -> None:
    cursor.execute("SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal",
                   (table,))
    present = {row["tgname"]: row["tgenabled"] for row in cursor.fetchall()}
    wanted = {
        _ROW_TRIGGER: f"BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW",
        _TRUNCATE_TRIGGER: f"BEFORE TRUNCATE ON {table} FOR EACH STATEMENT",
    }
    for name, when in wanted.items():
        if name not in present:
            cursor.execute(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION {function}()")
        elif present[name] == "D":
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
