"""The integrity commands: `verify`, `keygen`, `checkpoint`, `export` and `verify-bundle`.

`verify` and `verify-bundle` print what they found on standard output and exit 1 when anything does not hold, 0 when
all does; progress goes to standard error. Bad files and options raise InputError (one line, exit 1).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from datetime import time as clock
from pathlib import Path
from typing import Any

import click
from eventsourcing.persistence import PersistenceError

from regledger.adapters.errors import InputError, StoreError
from regledger.adapters.integrity.bundle import export_bundle, verify_bundle
from regledger.adapters.integrity.chain import ChainStore
from regledger.adapters.integrity.checkpoint import (
    Checkpoint,
    default_key_path,
    load_private_key,
    load_public_key,
    parse_checkpoint,
    sign_checkpoint,
    write_key_pair,
)
from regledger.adapters.integrity.labels import recorded_at
from regledger.adapters.integrity.verify import Verification, chain_store, checkpoint_findings, verify_chain
from regledger.adapters.wiring import open_ledger

__all__ = ["checkpoint_command", "export_command", "keygen", "verify_bundle_command", "verify_command"]

_DB_HELP = "The ledger, as for `record` (default ./regledger.db; env REGLEDGER_DB)."
_KEY_HELP = "The private key (default: $REGLEDGER_KEY, else ~/.config/regledger/checkpoint-key.pem)."
_TRUSTED_HELP = "Require the checkpoint to be signed by this public key (a PEM file written by `keygen`)."
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class Progress:
    """Prints `label: N of TOTAL events (P%)` on standard error every few seconds while a long pass runs."""

    def __init__(self, label: str, total: int | None = None, every: float = 2.0) -> None:
        self.label, self.total, self.every = label, total, every
        self.last = time.monotonic()

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            of = f" of {self.total:,} events ({100 * done // max(self.total, 1)}%)" if self.total else " events"
            click.echo(f"{self.label}: {done:,}{of}", err=True)


@contextmanager
def _store(context: click.Context, db: str | None) -> Iterator[ChainStore]:
    """The chain store of the ledger at `db`, with store failures reported as StoreError."""
    try:
        with open_ledger(db or (context.obj or {}).get("db")) as ledger:
            yield chain_store(ledger)
    except PersistenceError as error:
        raise StoreError(f"the store failed: {error}") from None


def _key_option(default: str) -> Callable[[Any], Any]:
    return click.option("--key", "key_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
                        help=default)


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _verified(store: ChainStore, mark: int | None = None) -> Verification:
    return verify_chain(store, Progress("verify", store.count_events()), mark=mark)


def _report(verification: Verification) -> bool:
    """Print what the pass found; whether the ledger holds."""
    if verification.divergence is None:
        click.echo(f"{verification.verified} events verified, head digest {verification.head.hex()}")
        click.echo("ok: every digest recomputed from the stored events matches the chain")
        return True
    click.echo(f"{verification.verified} events verified before the first divergence")
    click.echo("FAILED: " + "\n".join(verification.divergence.lines))
    return False


def _read_checkpoint(path: Path) -> Checkpoint:
    try:
        return parse_checkpoint(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read: {error}") from None


def _checkpoint_report(findings: list[str], checkpoint: Checkpoint) -> bool:
    signed = f"signed {checkpoint.statement.get('signed_at')} by key {checkpoint.fingerprint}"
    if not findings:
        click.echo(f"ok: extends the checkpoint of {checkpoint.size} events ({signed}): they are unchanged")
        return True
    for finding in findings:
        click.echo(f"FAILED: checkpoint of {checkpoint.size} events ({signed}): {finding}")
    return False


@click.command("verify")
@click.option("--checkpoint", "checkpoint_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Also prove that the ledger extends the one this checkpoint describes.")
@click.option("--public-key", type=click.Path(path_type=Path, dir_okay=False), help=_TRUSTED_HELP)
@click.option("--db", "db", metavar="STORE", default=None, help=_DB_HELP)
@click.pass_context
def verify_command(context: click.Context, checkpoint_file: Path | None, public_key: Path | None,
                   db: str | None) -> None:
    """Recompute every digest of the hash chain from the stored events and report the first divergence: an event
    changed, deleted, inserted or moved (its position, action and citation). Exit status 1 when anything does not
    hold, 0 when all does.

    With --checkpoint FILE, also prove that the ledger extends the checkpointed one: its first N events are the
    ones whose digest the checkpoint signed.
    """
    checkpoint = _read_checkpoint(checkpoint_file) if checkpoint_file else None
    trusted = load_public_key(public_key) if public_key else None
    with _store(context, db) as store:
        verification = _verified(store, checkpoint.size if checkpoint else None)
        holds = _report(verification)
        if checkpoint is not None:
            holds = _checkpoint_report(checkpoint_findings(store, verification, checkpoint, trusted),
                                       checkpoint) and holds
    if not holds:
        context.exit(1)


@click.command("keygen")
@_key_option("Where to write the private key (default: $REGLEDGER_KEY, else ~/.config/regledger/checkpoint-key.pem); "
             "the public key goes beside it, with the suffix .pub.")
@click.option("--force", is_flag=True, help="Replace an existing key pair.")
def keygen(key_path: Path | None, force: bool) -> None:
    """Create an Ed25519 key pair for signing checkpoints: the private key readable by you only (0600), the public
    key to hand to whoever will check your checkpoints. Refuses to replace a key without --force."""
    private = key_path or default_key_path()
    try:
        public, print_ = write_key_pair(private, force=force)
    except OSError as error:
        raise InputError(f"{private}: cannot write the key: {error.strerror or error}") from None
    click.echo(f"private key: {private} (keep it secret)\npublic key:  {public}\nfingerprint: {print_}")


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


def _last_recorded_at(store: ChainStore, size: int) -> datetime | None:
    """When the last of the first `size` events was recorded."""
    head = store.link_at(size) if size else None
    event = store.event_by_key(head.key) if head else None
    return recorded_at(event.state) if event else None


@click.command("checkpoint")
@_key_option(_KEY_HELP)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the checkpoint to FILE (default: standard output).")
@click.option("--force", is_flag=True, help="Replace FILE when it exists.")
@click.option("--db", "db", metavar="STORE", default=None, help=_DB_HELP)
@click.pass_context
def checkpoint_command(context: click.Context, key_path: Path | None, output: Path | None, force: bool,
                       db: str | None) -> None:
    """Verify the ledger, then write a signed checkpoint: its size, head digest, the time, and the signing key.

    Keep it, e-mail it or timestamp it elsewhere: `verify --checkpoint FILE` later proves that nothing before it
    was changed. Refuses (exit 1) when the ledger does not verify.
    """
    key = load_private_key(key_path or default_key_path())
    with _store(context, db) as store:
        verification = _verified(store)
        if verification.divergence is not None:
            _report(verification)
            context.exit(1)
        last = _last_recorded_at(store, verification.verified)
    checkpoint = sign_checkpoint(key, verification.verified, verification.head, last)
    _write(checkpoint.to_json(), output, force)
    if output is not None:
        click.echo(f"checkpoint of {checkpoint.size} events written to {output} "
                   f"(head {verification.head.hex()}, key {checkpoint.fingerprint})", err=True)


def parse_until(value: str | None) -> datetime:
    """An RFC 3339 timestamp, or a date meaning the end of that UTC day; now when not given."""
    if value is None:
        return datetime.now(UTC)
    text = value.strip().upper()
    try:
        if _DAY.match(text):
            return datetime.combine(datetime.fromisoformat(text).date(), clock.max, tzinfo=UTC)
        if _RFC3339.match(text):
            return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError as error:
        raise InputError(f"--until: {value!r} is not a real moment: {error}") from None
    raise InputError(f"--until: {value!r} is not an RFC 3339 timestamp (2020-05-15T12:00:00Z) or a date "
                     "(YYYY-MM-DD, meaning the end of that UTC day)")


@click.command("export")
@click.argument("bundle", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--until", metavar="T", help="Only the events recorded at or before T: RFC 3339, or a date (the end "
                                            "of that UTC day). Default: everything recorded so far.")
@_key_option("Sign the bundle's checkpoint with this private key (default: a new key made for this bundle only, "
             "whose public key the bundle carries).")
@click.option("--force", is_flag=True, help="Replace BUNDLE when it exists.")
@click.option("--db", "db", metavar="STORE", default=None, help=_DB_HELP)
@click.pass_context
def export_command(context: click.Context, *, bundle: Path, until: str | None, key_path: Path | None, force: bool,
                   db: str | None) -> None:
    """Write BUNDLE: a self-contained SQLite ledger of the events recorded up to T, their hash chain and a signed
    checkpoint. Anyone can check it with `verify-bundle BUNDLE` and query it with `--db BUNDLE`, without the
    original database."""
    moment = parse_until(until)
    key = load_private_key(key_path) if key_path else None
    with _store(context, db) as store:
        total = store.count_events()
        exported = export_bundle(store, moment, bundle, key, force=force,
                                 progress=lambda step: Progress(f"export: {step}", total))
    checkpoint = exported.checkpoint
    signer = "a key made for this bundle only" if exported.bundle_local_key else f"key {checkpoint.fingerprint}"
    click.echo(f"exported {checkpoint.size} events recorded up to {_moment(moment)} to {bundle} "
               f"(head {checkpoint.head.hex()}, signed by {signer})")
    if exported.left_out:
        click.echo(f"note: {exported.left_out} event(s) recorded at or before T were stored after a later one and "
                   "are left out: a bundle is a prefix of the ledger", err=True)


@click.command("verify-bundle")
@click.argument("bundle", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--public-key", type=click.Path(path_type=Path, dir_okay=False), help=_TRUSTED_HELP)
def verify_bundle_command(bundle: Path, public_key: Path | None) -> None:
    """Verify BUNDLE on its own, read-only: recompute its hash chain from its events, and check that its signed
    checkpoint covers exactly those events. Exit status 1 when anything does not hold, 0 when all does."""
    trusted = load_public_key(public_key) if public_key else None
    check = verify_bundle(bundle, trusted, Progress("verify-bundle"))
    holds = _report(check.verification)
    holds = _checkpoint_report(check.problems, check.checkpoint) and holds
    if not check.problems and trusted is None:
        click.echo(f"note: compare the key {check.checkpoint.fingerprint} with the one its signer published; a "
                   "bundle-local key shows only that the bundle is whole")
    if not holds:
        click.get_current_context().exit(1)
