"""How the web application is configured: the store, whether writes are allowed, the upload limit, the page size
and the session secret (`WebConfig`); and the same configuration passed to uvicorn's worker processes through
environment variables (`to_environment`, `from_environment`), since several workers need an import string."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from regledger.adapters.errors import InputError

__all__ = ["ENVIRONMENT_PREFIX", "WebConfig", "from_environment", "to_environment"]

ENVIRONMENT_PREFIX: Final = "REGLEDGER_SERVE_"


@dataclass(frozen=True)
class WebConfig:
    """What `regledger serve` was asked: the store (None: REGLEDGER_DB or ./regledger.db), write access, the
    upload limit in bytes, the page size of paged views, the secret that signs sessions (None: random per
    process), and how many requests a worker answers at once (`threads`: its threads for requests; the others wait
    their turn)."""

    db: str | None = None
    write: bool = False
    upload_limit: int = 5 * 1024 * 1024
    page_size: int = 50
    session_secret: bytes | None = None
    threads: int = 2

    def __post_init__(self) -> None:
        if self.upload_limit < 1:
            raise InputError(f"--upload-limit: {self.upload_limit} is not a positive number of bytes")
        if self.page_size < 1:
            raise InputError(f"page size: {self.page_size} is not a positive number of rows")
        if self.threads < 1:
            raise InputError(f"--threads: {self.threads} is not a positive number of threads")


def to_environment(config: WebConfig) -> dict[str, str]:
    """The configuration as environment variables for uvicorn's workers (the session secret as hex, so that every
    worker signs with the same one)."""
    found = {"WRITE": "1" if config.write else "0", "UPLOAD_LIMIT": str(config.upload_limit),
             "PAGE_SIZE": str(config.page_size), "THREADS": str(config.threads)}
    if config.db is not None:
        found["DB"] = config.db
    if config.session_secret is not None:
        found["SESSION_SECRET"] = config.session_secret.hex()
    return {f"{ENVIRONMENT_PREFIX}{name}": value for name, value in found.items()}


def from_environment(environ: Mapping[str, str] | None = None) -> WebConfig:
    """The configuration `to_environment` wrote (defaults for what it did not)."""
    env = os.environ if environ is None else environ

    def get(name: str) -> str | None:
        return env.get(f"{ENVIRONMENT_PREFIX}{name}")

    secret = get("SESSION_SECRET")
    return WebConfig(
        db=get("DB"),
        write=get("WRITE") == "1",
        upload_limit=int(get("UPLOAD_LIMIT") or WebConfig.upload_limit),
        page_size=int(get("PAGE_SIZE") or WebConfig.page_size),
        session_secret=bytes.fromhex(secret) if secret else None,
        threads=int(get("THREADS") or WebConfig.threads),
    )
