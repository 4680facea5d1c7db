"""The `regledger` command line: a thin shell over the services (parse, call, render)."""

from regledger.adapters.cli.main import cli, main

__all__ = ["cli", "main"]
