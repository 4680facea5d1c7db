"""The `regledger` command line's entry point: errors become one message on standard error and exit status 1; a
wrong command line exits 2 (click's usage errors). Every command that opens the ledger accepts `--db` (a path,
`sqlite:///…`, or `postgresql://…`), before or after its name.

A message is always one line: whatever control character a value brought into it is escaped (`errors.one_line`).
"""

from __future__ import annotations

import sys

import click

from regledger.adapters.cli.groups import cli
from regledger.adapters.cli.options import error_line
from regledger.adapters.errors import RegledgerError, one_line

__all__ = ["cli", "main"]


def main() -> None:
    """Entry point: run the command line, turning our errors into a message and exit status 1."""
    try:
        status = cli.main(standalone_mode=False, prog_name="regledger")
        if isinstance(status, int) and status:  # a command ended with ctx.exit(N) / Exit(N)
            sys.exit(status)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        vars(error)["message"] = one_line(error.message)  # a value quoted in click's message stays on its line
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except RegledgerError as error:
        click.echo(error_line(error), err=True)
        sys.exit(1)
