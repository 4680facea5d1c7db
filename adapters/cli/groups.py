"""The command groups: `regledger` itself, `regledger import` and `regledger report`. Command modules register
their commands on them by decorator (`@cli.command(…)`, `@import_group.command(…)`)."""

from __future__ import annotations

from importlib.metadata import version

import click

from regledger.adapters.cli.options import db_option

__all__ = ["cli", "import_group", "report_group"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version("regledger"), prog_name="regledger")
@db_option
def cli() -> None:
    """regledger: an event-sourced ledger of regulatory change.

    Record actions from timeline files, then ask what the rules were on any date, as published by any date,
    as known at any time.
    """


@cli.group("import")
def import_group() -> None:
    """Import Federal Register documents or screening-list snapshots as actions."""


@cli.group("report")
def report_group() -> None:
    """Reports a lawyer can file: change logs, snapshots, party dossiers and replays (HTML, Markdown or JSON)."""
