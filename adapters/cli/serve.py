"""`regledger serve`: the web application and HTTP API (adapters/web) under uvicorn, on 127.0.0.1:8000 by default.

The application is built in each worker from the configuration passed in environment variables
(`adapters.web.config`), through the factory `regledger.adapters.web.app:app_from_environment`, so that one worker
or several run the same code. It is read-only unless started with `--write`.
"""

from __future__ import annotations

import os
import secrets

import click

from regledger.adapters.cli.groups import cli
from regledger.adapters.cli.options import DB_HELP
from regledger.adapters.errors import InputError
from regledger.adapters.wiring import open_stores

__all__ = ["FACTORY", "serve_command"]

FACTORY = "regledger.adapters.web.app:app_from_environment"
_PREFIX = "REGLEDGER_SERVE_"  # adapters.web.config.ENVIRONMENT_PREFIX: the shells share no module, only this


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="The port.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (PostgreSQL serves several; one SQLite file serves one well).")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Requests a worker answers at once; the others wait their turn, first come, first served.")
@click.option("--write", is_flag=True, help="Allow writes (record, imports, recorded screening), each with a token.")
@click.option("--upload-limit", default=5 * 1024 * 1024, show_default=True, type=click.IntRange(1), metavar="BYTES",
              help="The largest upload accepted, in bytes.")
@click.option("--db", "db", metavar="STORE", default=None, help=DB_HELP)
@click.pass_context
def serve_command(context: click.Context, *, host: str, port: int, workers: int, threads: int, write: bool,
                  upload_limit: int, db: str | None) -> None:
    """Serve the web application and the HTTP API (/api/v1/, described at /api/v1/openapi.json) over the ledger.

    The pages show the rules as of any date, compare dates, parties, measures, meetings, the log, screening and
    reports, each with a JSON twin (?format=json). Read-only unless --write; stop with Ctrl+C.
    """
    import uvicorn  # noqa: PLC0415 - only `serve` needs the server loaded

    store = db if db is not None else context.meta.get("regledger.db")
    settings = {"WRITE": "1" if write else "0", "UPLOAD_LIMIT": str(upload_limit), "THREADS": str(threads),
                "SESSION_SECRET": os.environ.get(f"{_PREFIX}SESSION_SECRET") or secrets.token_hex(32)}
    if store is not None:
        if not store.strip():
            raise InputError("--db: the store setting is empty")
        settings["DB"] = store
    with open_stores(store, write=False):
        pass  # a store that cannot be reached is said now, in one line, not on every request
    os.environ.update({f"{_PREFIX}{name}": value for name, value in settings.items()})
    click.echo(f"regledger: serving {'with writes' if write else 'read-only'} on http://{host}:{port}/ "
               f"({workers} worker{'s' if workers > 1 else ''}); Ctrl+C stops", err=True)
    uvicorn.run(FACTORY, factory=True, host=host, port=port, workers=workers, log_level="warning")
