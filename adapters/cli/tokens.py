"""`regledger token create|list|revoke`: the bearer tokens that writes over HTTP need (docs/web.md, Tokens and
security). A token is shown once, when it is created; the store keeps only its hash."""

from __future__ import annotations

import json

import click

from regledger.adapters.cli.groups import cli
from regledger.adapters.cli.options import db_option, format_option, ledger_stores
from regledger.adapters.render.log_format import rfc3339
from regledger.adapters.safe_text import safe_text
from regledger.adapters.services import tokens

__all__ = ["token_create", "token_group", "token_list", "token_revoke"]


@cli.group("token")
def token_group() -> None:
    """API tokens for writes over HTTP (`regledger serve --write`): create, list, revoke."""


@token_group.command("create")
@click.option("--name", "label", metavar="LABEL", help="A label to tell the token apart (who or what uses it).")
@db_option
def token_create(label: str | None) -> None:
    """Create a token and print it, this once: the store keeps only its hash."""
    with ledger_stores(write=tokens.WRITES) as stores:
        made = tokens.create(stores, label)
    click.echo(made.token)
    named = f" ({made.info.label})" if made.info.label else ""
    click.echo(safe_text(f"created token {made.info.token_id}{named}: keep it now, it is shown only once; "
                         f"`regledger token revoke {made.info.token_id}` ends it"), err=True)


@token_group.command("list")
@format_option(("text", "json"), "text", "text: one line per token; json: a list of tokens.")
@db_option
def token_list(output: str) -> None:
    """List the tokens (id, label, created, revoked): never their secrets."""
    with ledger_stores(write=tokens.READS) as stores:
        found = tokens.listed(stores)
    if output == "json":
        click.echo(json.dumps([_json(info) for info in found], indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no tokens (`regledger token create` makes one)")
    for info in found:
        state = f"revoked {rfc3339(info.revoked_at)}" if info.revoked_at else "active"
        click.echo(safe_text(f"{info.token_id}  created {rfc3339(info.created_at)}  {state}  {info.label}".rstrip()))


def _json(info: tokens.TokenInfo) -> dict[str, str | None]:
    return {"token_id": info.token_id, "label": info.label, "created_at": rfc3339(info.created_at),
            "revoked_at": rfc3339(info.revoked_at) if info.revoked_at else None}


@token_group.command("revoke")
@click.argument("token_id", metavar="TOKEN_ID")
@db_option
def token_revoke(token_id: str) -> None:
    """Revoke the token TOKEN_ID (as `regledger token list` shows it): it can no longer write."""
    with ledger_stores(write=tokens.WRITES) as stores:
        info = tokens.revoke(stores, token_id)
    assert info.revoked_at is not None
    click.echo(f"revoked token {info.token_id} at {rfc3339(info.revoked_at)}")
