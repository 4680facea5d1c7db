"""Signed checkpoints: a small statement of a ledger's size and head digest at a moment, signed with Ed25519.

A checkpoint file is JSON:

    {"statement": {"format": "regledger-checkpoint/1", "ledger_size": N, "head_digest": HEX, "signed_at": T,
                   "last_recorded_at": T, "public_key": BASE64, "key_fingerprint": "sha256:HEX", ["until": T]},
     "signature": BASE64}

The signature covers the statement's canonical JSON (sorted keys, no spaces, UTF-8). Keys are PEM files: the private
key PKCS#8 (written 0600), the public key SubjectPublicKeyInfo beside it with the suffix `.pub`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from regledger.adapters.errors import InputError, check_json_nesting, read_input
from regledger.domain import canonical_json

__all__ = ["FORMAT", "Checkpoint", "default_key_path", "fingerprint", "load_private_key", "load_public_key",
           "parse_checkpoint", "public_key_path", "sign_checkpoint", "write_key_pair"]

FORMAT = "regledger-checkpoint/1"
KEY_ENV = "REGLEDGER_KEY"


def default_key_path() -> Path:
    """`REGLEDGER_KEY`, else `$XDG_CONFIG_HOME/regledger/checkpoint-key.pem` (~/.config by default)."""
    if os.environ.get(KEY_ENV):
        return Path(os.environ[KEY_ENV])
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "regledger" / "checkpoint-key.pem"


def public_key_path(private: Path) -> Path:
    """Where the public key of `private` lives: the same name with the suffix `.pub`."""
    return private.with_suffix(".pub") if private.suffix != ".pub" else private.with_name(private.name + ".pub")


def fingerprint(public_key: bytes) -> str:
    """A short name for a raw Ed25519 public key."""
    return "sha256:" + hashlib.sha256(public_key).hexdigest()[:32]


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def write_key_pair(private: Path, *, force: bool = False) -> tuple[Path, str]:
    """Generate a key pair at `private` (0600) and its `.pub`; the public key's path and fingerprint."""
    public = public_key_path(private)
    existing = [str(p) for p in (private, public) if p.exists()]
    if existing and not force:
        raise InputError(f"{', '.join(existing)}: already exists; use --force to replace the key")
    key = Ed25519PrivateKey.generate()
    private.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # a replaced file keeps no wider mode
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    public.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    return public, fingerprint(_raw(key.public_key()))


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 private key in the PEM file `path`; InputError naming the file otherwise."""
    if not path.exists():
        raise InputError(f"{path}: no such key file; create one with `regledger keygen`")
    try:
        key = serialization.load_pem_private_key(read_input(path), password=None)
    except (OSError, ValueError, TypeError) as error:
        raise InputError(f"{path}: not a readable unencrypted PEM private key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"{path}: not an Ed25519 key (make one with `regledger keygen`)")
    return key


def load_public_key(path: Path) -> bytes:
    """The raw Ed25519 public key in the PEM file `path`."""
    try:
        key = serialization.load_pem_public_key(read_input(path))
    except ValueError as error:
        raise InputError(f"{path}: not a PEM public key: {error}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InputError(f"{path}: not an Ed25519 public key")
    return _raw(key)


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of a ledger's size and head digest."""

    statement: dict[str, Any]
    signature: bytes
    public_key: bytes = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "public_key", base64.b64decode(self.statement["public_key"]))

    @property
    def size(self) -> int:
        """How many events the checkpointed ledger held."""
        return int(self.statement["ledger_size"])

    @property
    def head(self) -> bytes:
        """The digest after those events."""
        return bytes.fromhex(self.statement["head_digest"])

    @property
    def fingerprint(self) -> str:
        """The signing key's fingerprint."""
        return fingerprint(self.public_key)

    def signature_valid(self) -> bool:
        """Whether the signature is the statement's, by the key it names."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(
                self.signature, canonical_json(self.statement).encode())
        except (InvalidSignature, ValueError):
            return False
        return self.statement.get("key_fingerprint") == self.fingerprint

    def to_json(self) -> str:
        """The checkpoint file's text."""
        body = {"statement": self.statement, "signature": base64.b64encode(self.signature).decode()}
        return json.dumps(body, indent=2, sort_keys=True) + "\n"


def sign_checkpoint(key: Ed25519PrivateKey, size: int, head: bytes, last_recorded_at: datetime | None,
                    **extra: str) -> Checkpoint:
    """A checkpoint of a ledger of `size` events whose chain ends in `head`, signed now with `key`."""
    public = _raw(key.public_key())
    statement: dict[str, Any] = {
        "format": FORMAT, "ledger_size": size, "head_digest": head.hex(), "signed_at": _moment(datetime.now(UTC)),
        "public_key": base64.b64encode(public).decode(), "key_fingerprint": fingerprint(public), **extra,
    }
    if last_recorded_at is not None:
        statement["last_recorded_at"] = _moment(last_recorded_at)
    return Checkpoint(statement, key.sign(canonical_json(statement).encode()))


def _not_a_number(name: str) -> float:
    """`NaN` and `Infinity` are not JSON: refused where a checkpoint holds them."""
    msg = f"{name} is not a JSON number"
    raise ValueError(msg)


def _finite(text: str) -> float:
    """A JSON number as a float, refused when it is too large to be one (`1e999`)."""
    value = float(text)
    if value in {float("inf"), float("-inf")}:
        msg = f"{text} is too large a number"
        raise ValueError(msg)
    return value


def parse_checkpoint(text: str, where: str) -> Checkpoint:
    """The checkpoint in `text` (read from `where`); InputError naming what is wrong (JSON nested deeper than
    errors.MAX_NESTING is refused before it is parsed, and so are NaN and Infinity)."""
    check_json_nesting(text, where)
    try:
        body = json.loads(text, parse_constant=_not_a_number, parse_float=_finite)
        statement, signature = body["statement"], base64.b64decode(body["signature"], validate=True)
        if statement["format"] != FORMAT:
            raise InputError(f"{where}: format {statement['format']!r} is not {FORMAT!r}")
        checkpoint = Checkpoint(statement, signature)
        _ = (checkpoint.size, checkpoint.head)
    except InputError:
        raise
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(f"{where}: not a regledger checkpoint: {type(error).__name__}: {error}") from None
    if len(checkpoint.public_key) != 32 or checkpoint.size < 0 or len(checkpoint.head) != 32:
        raise InputError(f"{where}: not a regledger checkpoint: bad public key, size or head digest")
    return checkpoint
