"""The use cases: one function or class per thing a user asks of regledger, called by every shell (the command line
now, the web later). Each takes `Stores` (from `adapters.wiring.open_stores`) or, for what it opens itself, typed
paths, and typed inputs; it returns typed answers, never prints, and reports long work through a `Progress`.

Each module says in `WRITES` how to open the stores for its use cases:

    recording    read_actions, record                         WRITES = True
    imports      FederalRegisterRun, import_screening_list    WRITES = True
    projection   project, rebuild, follow                     WRITES = True
    checkpoints  checkpoint (keygen needs no store)           WRITES = True
    repair       repair_chain                                 WRITES = True
    queries      as_of, diff, history, log                    WRITES = False
    screening    screen                                       WRITES = False
    reports      changes, snapshot, party, replay             WRITES = False
    checks       verify, check_views                          WRITES = False
    bundles      export (verify_bundle opens its own file)    WRITES = False

`inputs` holds what the requests name (`Axes`, `Selection`, `Window`) and the errors about it.
"""

from regledger.adapters.services import (
    bundles,
    checkpoints,
    checks,
    imports,
    inputs,
    projection,
    queries,
    recording,
    repair,
    reports,
)
from regledger.adapters.services.inputs import Axes, BackwardWindowError, Selection, UnknownNameError, Window

__all__ = [
    "Axes",
    "BackwardWindowError",
    "Selection",
    "UnknownNameError",
    "Window",
    "bundles",
    "checkpoints",
    "checks",
    "imports",
    "inputs",
    "projection",
    "queries",
    "recording",
    "repair",
    "reports",
]
