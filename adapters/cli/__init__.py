"""The `regledger` command line: a thin shell over the services (parse, call, render).

Each command module registers its commands on its group (`groups`) as it is imported; importing this package
imports them all, so that `cli` knows every command.
"""

from regledger.adapters.cli import (
    determine,
    imports,
    integrity,
    query,
    readmodels,
    recording,
    repair,
    reports,
    screen,
    screening,
    serve,
    tokens,
)
from regledger.adapters.cli.main import cli, main

__all__ = ["cli", "main"]

# The modules whose commands registered on `cli` as they were imported above.
COMMAND_MODULES = (recording, query, imports, screening, screen, integrity, repair, reports, readmodels, tokens, serve,
                   determine)
