"""The integrity commands: `verify`, `keygen`, `checkpoint`, `export` and `verify-bundle`.

`verify` and `verify-bundle` print what they found on standard output and exit 1 when anything does not hold, 0 when
all does; progress goes to standard error. Bad files and options raise InputError (one line, exit 1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from regledger.adapters.cli.groups import cli
from regledger.adapters.cli.options import db_option, ledger_stores, parse_until
from regledger.adapters.cli.progress import StepLines
from regledger.adapters.errors import InputError, one_line
from regledger.adapters.integrity.checkpoint import Checkpoint
from regledger.adapters.integrity.verify import Verification
from regledger.adapters.render.log_format import rfc3339
from regledger.adapters.services import bundles, checkpoints, checks

__all__ = [
    "checkpoint_command",
    "export_command",
    "keygen",
    "parse_until",
    "verify_bundle_command",
    "verify_command",
]


_KEY_HELP = "The private key (default: $REGLEDGER_KEY, else ~/.config/regledger/checkpoint-key.pem)."
_TRUSTED_HELP = "Require the checkpoint to be signed by this public key (a PEM file written by `keygen`)."


def _key_option(help_text: str) -> Callable[[Any], Any]:
    return click.option("--key", "key_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
                        help=help_text)


def _report(verification: Verification) -> bool:
    """Print what the pass found; whether the ledger holds."""
    if verification.divergence is None:
        click.echo(f"{verification.verified} events verified, head digest {verification.head.hex()}")
        click.echo("ok: every digest recomputed from the stored events matches the chain")
        return True
    click.echo(f"{verification.verified} events verified before the first divergence")
    click.echo("FAILED: " + "\n".join(one_line(line) for line in verification.divergence.lines))
    return False


def _checkpoint_report(findings: Sequence[str], checkpoint: Checkpoint) -> bool:
    signed = f"signed {checkpoint.statement.get('signed_at')} by key {checkpoint.fingerprint}"
    if not findings:
        click.echo(f"ok: extends the checkpoint of {checkpoint.size} events ({signed}): they are unchanged")
        return True
    for finding in findings:
        click.echo(f"FAILED: checkpoint of {checkpoint.size} events ({signed}): {one_line(finding)}")
    return False


@cli.command("verify")
@click.option("--checkpoint", "checkpoint_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Also prove that the ledger extends the one this checkpoint describes.")
@click.option("--public-key", type=click.Path(path_type=Path, dir_okay=False), help=_TRUSTED_HELP)
@db_option
def verify_command(checkpoint_file: Path | None, public_key: Path | None) -> None:
    """Recompute every digest of the hash chain from the stored events and report the first divergence: an event
    changed, deleted, inserted or moved (its position, action and citation). Exit status 1 when anything does not
    hold, 0 when all does.

    With --checkpoint FILE, also prove that the ledger extends the checkpointed one: its first N events are the
    ones whose digest the checkpoint signed.
    """
    checkpoint = checks.read_checkpoint(checkpoint_file) if checkpoint_file else None
    trusted = checks.read_public_key(public_key) if public_key else None
    with ledger_stores(write=checks.WRITES) as stores:
        verified = checks.verify(stores, checkpoint, trusted, StepLines(lambda step: step))
    holds = _report(verified.verification)
    if verified.checkpoint is not None:
        holds = _checkpoint_report(verified.checkpoint.findings, verified.checkpoint.checkpoint) and holds
    if not holds:
        raise click.exceptions.Exit(1)


@cli.command("keygen")
@_key_option("Where to write the private key (default: $REGLEDGER_KEY, else ~/.config/regledger/checkpoint-key.pem); "
             "the public key goes beside it, with the suffix .pub.")
@click.option("--force", is_flag=True, help="Replace an existing key pair.")
def keygen(key_path: Path | None, force: bool) -> None:
    """Create an Ed25519 key pair for signing checkpoints: the private key readable by you only (0600), the public
    key to hand to whoever will check your checkpoints. Refuses to replace a key without --force."""
    pair = checkpoints.keygen(key_path, force=force)
    click.echo(f"private key: {pair.private} (keep it secret)\npublic key:  {pair.public}\n"
               f"fingerprint: {pair.fingerprint}")


def _write(text: str, output: Path | None, force: bool) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise InputError(f"{output}: already exists; use --force to replace it")
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"{output}: cannot write: {error.strerror or error}") from None


@cli.command("checkpoint")
@_key_option(_KEY_HELP)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the checkpoint to FILE (default: standard output).")
@click.option("--force", is_flag=True, help="Replace FILE when it exists.")
@db_option
def checkpoint_command(key_path: Path | None, output: Path | None, force: bool) -> None:
    """Verify the ledger, then write a signed checkpoint: its size, head digest, the time, and the signing key.

    Keep it, e-mail it or timestamp it elsewhere: `verify --checkpoint FILE` later proves that nothing before it
    was changed. Refuses (exit 1) when the ledger does not verify.
    """
    key = checkpoints.read_private_key(key_path)
    with ledger_stores(write=checkpoints.WRITES) as stores:
        signed = checkpoints.checkpoint(stores, key, StepLines(lambda step: step))
    if signed.checkpoint is None:
        _report(signed.verification)
        raise click.exceptions.Exit(1)
    _write(signed.checkpoint.to_json(), output, force)
    if output is not None:
        click.echo(f"checkpoint of {signed.checkpoint.size} events written to {output} "
                   f"(head {signed.verification.head.hex()}, key {signed.checkpoint.fingerprint})", err=True)


@cli.command("export")
@click.argument("bundle", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--until", metavar="T", help="Only the events recorded at or before T: RFC 3339, or a date (the end "
                                            "of that UTC day). Default: everything recorded so far.")
@_key_option("Sign the bundle's checkpoint with this private key (default: a new key made for this bundle only, "
             "whose public key the bundle carries).")
@click.option("--force", is_flag=True, help="Replace BUNDLE when it exists.")
@click.option("--include-screenings", is_flag=True,
              help="Include the recorded screening runs (left out by default: they name clients).")
@db_option
def export_command(bundle: Path, until: str | None, key_path: Path | None, force: bool,
                   include_screenings: bool) -> None:
    """Write BUNDLE: a self-contained SQLite ledger of the events recorded up to T, their hash chain and a signed
    checkpoint. Anyone can check it with `verify-bundle BUNDLE` and query it with `--db BUNDLE`, without the
    original database."""
    moment = parse_until(until)
    key = checkpoints.read_private_key(key_path) if key_path else None
    with ledger_stores(write=bundles.WRITES) as stores:
        exported = bundles.export(stores, bundle, moment, key, force=force,
                                  progress=StepLines(lambda step: f"export: {step}"),
                                  include_screenings=include_screenings)
    checkpoint = exported.checkpoint
    signer = "a key made for this bundle only" if exported.bundle_local_key else f"key {checkpoint.fingerprint}"
    click.echo(f"exported {checkpoint.size} events recorded up to {rfc3339(moment)} to {bundle} "
               f"(head {checkpoint.head.hex()}, signed by {signer})")
    if exported.left_out:
        click.echo(f"note: {exported.left_out} event(s) recorded at or before T were stored after a later one and "
                   "are left out: a bundle is a prefix of the ledger", err=True)
    if exported.screenings_left_out:
        click.echo(f"note: {exported.screenings_left_out} screening run(s) left out (they name clients; "
                   "--include-screenings keeps them): the bundle's chain is its own, and its checkpoint also states "
                   "the ledger's head over the whole prefix", err=True)


@cli.command("verify-bundle")
@click.argument("bundle", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--public-key", type=click.Path(path_type=Path, dir_okay=False), help=_TRUSTED_HELP)
def verify_bundle_command(bundle: Path, public_key: Path | None) -> None:
    """Verify BUNDLE on its own, read-only: recompute its hash chain from its events, and check that its signed
    checkpoint covers exactly those events. Exit status 1 when anything does not hold, 0 when all does."""
    check = bundles.verify_bundle(bundle, public_key, StepLines(lambda _step: "verify-bundle"))
    holds = _report(check.verification)
    holds = _checkpoint_report(check.problems, check.checkpoint) and holds
    if not check.problems and public_key is None:
        click.echo(f"note: compare the key {check.checkpoint.fingerprint} with the one its signer published; a "
                   "bundle-local key shows only that the bundle is whole")
    if not holds:
        raise click.exceptions.Exit(1)
