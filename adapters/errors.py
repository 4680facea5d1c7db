"""Adapter errors: what the command line reports as a message and an exit status, never a traceback.

    RegledgerError
    ├── InputError            a file or its content cannot be read or validated (exit 1)
    ├── StoreError            the store setting is wrong or the store cannot be reached (exit 1)
    └── ConflictError         concurrent writers kept colliding after every retry (exit 1)
"""

from __future__ import annotations

__all__ = ["ConflictError", "InputError", "RegledgerError", "StoreError"]


class RegledgerError(Exception):
    """Root of the errors the command line turns into a message."""


class InputError(RegledgerError):
    """A file or its content cannot be read or validated; the message names the place and the problem."""


class StoreError(RegledgerError):
    """The store setting is wrong or the store cannot be reached."""


class ConflictError(RegledgerError):
    """Other writers kept changing the same streams; nothing of this run was stored."""
