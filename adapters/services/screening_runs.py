"""Recorded screening runs (docs/screening.md, Recorded runs): `screen --record` stores a run as a `ScreeningRun`
event in its own stream, chained like every event; `screenings` lists them; `replay` screens a run's rows again,
against the ledger as it stood at the run's head or as it stands now, and says which rows differ and why.

`record` writes (`WRITES_RECORD`); `runs` and `replay` read only (`WRITES`).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final
from uuid import UUID, uuid4

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from regledger.adapters.errors import InputError
from regledger.adapters.integrity.checkpoint import fingerprint
from regledger.adapters.render.screening_json import screening_json
from regledger.adapters.services import screening
from regledger.adapters.wiring import Stores
from regledger.domain import canonical_json, recording_at
from regledger.domain.actions import Correction, Retraction, recorded_key
from regledger.domain.screening_run import ScreeningRun
from regledger.domain.values import Reliability
from regledger.projections.matching import MATCHER_VERSION
from regledger.projections.screening import BadRow, CounterpartyRow, Screening, ScreenOptions

__all__ = [
    "WRITES", "WRITES_RECORD", "Difference", "RecordedRun", "Replay", "certificate", "find", "record", "replay", "runs",
]

WRITES: Final = False
WRITES_RECORD: Final = True


@dataclass(frozen=True)
class RecordedRun:
    """A recorded run as the ledger holds it."""

    run_id: str
    recorded_at: datetime
    rows: tuple[CounterpartyRow, ...]
    options: ScreenOptions
    matcher_version: str
    libraries: dict[str, str]
    ledger_size: int
    ledger_head: str | None
    document: dict[str, Any]  # the results document, as recorded (with its run_id)

    @property
    def decisions(self) -> dict[str, int]:
        """How many rows got each decision."""
        counts: dict[str, int] = {}
        for row in self.document.get("results", []):
            counts[row["decision"]] = counts.get(row["decision"], 0) + 1
        return counts


@dataclass(frozen=True)
class Difference:
    """One row whose results differ: what changed, and why (the actions recorded since that touch its parties)."""

    row: int
    id: str | None
    name: str
    changes: tuple[str, ...]
    actions: tuple[str, ...]  # ids (or `sha256:` keys) of the actions recorded since that touch the row's parties


@dataclass(frozen=True)
class Replay:
    """A run screened again: against what (`head` or `now`), under which known-at, and the rows that differ."""

    run: RecordedRun
    against: str  # "head" | "now"
    known_at: datetime | None
    matcher_version: str
    differences: tuple[Difference, ...]

    @property
    def matcher_changed(self) -> bool:
        """Whether the matcher's version differs from the run's."""
        return self.matcher_version != self.run.matcher_version


def record(stores: Stores, rows: Sequence[CounterpartyRow], options: ScreenOptions,
           bad_rows: Iterable[BadRow] = ()) -> tuple[Screening, dict[str, Any]]:
    """Screen `rows` and store the run (one event, chained with the ledger's events in the same transaction): the
    result and its JSON document, which carries the new run's `run_id`."""
    result = screening.screen(stores, rows, options, bad_rows)
    run_id = uuid4()
    document = screening_json(result, run_id=str(run_id))
    inputs = [_row_json(row) for row in rows]
    applied = {
        "on": result.on.isoformat(), "on_default": result.as_of_default,
        "published_by": _iso(result.published_by), "known_at": _iso(result.known_at),
        "min_reliability": result.min_reliability.value if result.min_reliability else None,
        "list": options.list_key, "threshold": result.threshold, "review_threshold": result.review_threshold,
    }
    with recording_at(datetime.now(UTC)):
        run = ScreeningRun.record(
            run_id, inputs=canonical_json(inputs), options=canonical_json(applied),
            matcher_version=result.matcher_version, libraries=dict(result.libraries),
            ledger_size=result.ledger_size, ledger_head=result.ledger_head, results=canonical_json(document))
    stores.ledger.save(run)
    if stores.ledger.on_recorded is not None:
        stores.ledger.on_recorded()  # the read models' position passes the run (they take nothing from it)
    return result, document


def runs(stores: Stores) -> list[RecordedRun]:
    """Every recorded run, in recording order."""
    return [_run(event, event.timestamp) for _, event in stores.ledger.stored_events()
            if isinstance(event, ScreeningRun.Recorded)]


def find(stores: Stores, run_id: str) -> RecordedRun:
    """The run `run_id` names; InputError when none is recorded."""
    try:
        key = UUID(run_id.strip())
    except ValueError:
        raise InputError(f"RUN_ID: {run_id!r} is not a run id (a UUID, as `regledger screenings` lists them)") from None
    found = stores.ledger.subject(key)
    if not isinstance(found, ScreeningRun):
        raise InputError(f"RUN_ID: no screening run {key} is recorded (`regledger screenings` lists them)")
    return _run(found, found.created_on)


def replay(stores: Stores, run_id: str, *, now: bool = False) -> Replay:
    """Screen the run's rows again with its options: against the ledger as it stood at the run's head (what was
    recorded by the time of the head's last event, and no later than the run's own known-at), or with `now` as it
    stands today; and compare each row with the recorded one."""
    run = find(stores, run_id)
    head_moment = _head_moment(stores, run.ledger_size)
    if now:
        known_at = run.options.known_at
    else:
        known_at = head_moment if run.options.known_at is None else min(run.options.known_at, head_moment)
    options = ScreenOptions(on=run.options.on, published_by=run.options.published_by, known_at=known_at,
                            min_reliability=run.options.min_reliability, list_key=run.options.list_key,
                            threshold=run.options.threshold, review_threshold=run.options.review_threshold)
    result = screening.screen(stores, run.rows, options)
    again = json.loads(json.dumps(screening_json(result)["results"], ensure_ascii=False))
    before = {row["row"]: row for row in run.document.get("results", [])}
    since = _actions_since(stores, head_moment, known_at)
    differences = []
    for row in again:
        old = before.get(row["row"], {})
        changes = _changes(old, row)
        if changes:
            parties = {m["party"] for m in (*old.get("matches", []), *row["matches"])}
            actions = tuple(dict.fromkeys(a for party, a in since if party in parties))
            differences.append(Difference(row["row"], row.get("id"), row["name"], changes, actions))
    return Replay(run, "now" if now else "head", known_at, MATCHER_VERSION, tuple(differences))


def _row_json(row: CounterpartyRow) -> dict[str, Any]:
    return {"row": row.row, "name": row.name, "id": row.id, "country": row.country, "address": row.address,
            "date": _iso(row.date)}


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _run(event: ScreeningRun.Recorded | ScreeningRun, recorded_at: datetime) -> RecordedRun:
    """The run as the event (or the stream it began) holds it."""
    inputs = json.loads(event.inputs)
    applied = json.loads(event.options)
    rows = tuple(CounterpartyRow(r["row"], r["name"], r.get("id"), r.get("country"), r.get("address"),
                                 date.fromisoformat(r["date"]) if r.get("date") else None) for r in inputs)
    tier = applied.get("min_reliability")
    options = ScreenOptions(
        on=date.fromisoformat(applied["on"]),
        published_by=date.fromisoformat(applied["published_by"]) if applied.get("published_by") else None,
        known_at=datetime.fromisoformat(applied["known_at"]) if applied.get("known_at") else None,
        min_reliability=Reliability(tier) if tier else None, list_key=applied.get("list"),
        threshold=applied["threshold"], review_threshold=applied["review_threshold"])
    return RecordedRun(event.run_id, recorded_at, rows, options, event.matcher_version, dict(event.libraries),
                       event.ledger_size, event.ledger_head, json.loads(event.results))


def _head_moment(stores: Stores, size: int) -> datetime:
    """When the last of the ledger's first `size` events was recorded (the run's head); the earliest moment there
    is when the ledger was empty."""
    latest = datetime.min.replace(tzinfo=UTC)
    for count, (_, event) in enumerate(stores.ledger.stored_events(), start=1):
        if count > size:
            break
        latest = max(latest, event.timestamp)
    return latest


def _actions_since(stores: Stores, head_moment: datetime, known_at: datetime | None) -> list[tuple[str, str]]:
    """(party key, action id) of each listing action recorded after the run's head (and by `known_at`), a correction
    or retraction under the party of the action it names."""
    found: list[tuple[str, str]] = []
    for stored in stores.ledger.stored_actions():
        if stored.recorded_at <= head_moment or (known_at is not None and stored.recorded_at > known_at):
            continue
        action: Any = stored.action
        target: Any = action
        if isinstance(action, Correction | Retraction):
            named = action.corrects if isinstance(action, Correction) else action.retracts
            target = stores.ledger.find_action(named)
        party = getattr(target, "party", None)
        if party is not None:
            found.append((party.key, recorded_key(action)))
    return found


def _changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, ...]:
    """What differs between a row's recorded result and its result now, in plain words."""
    if old == new:
        return ()
    changes: list[str] = []
    if old.get("decision") != new.get("decision"):
        changes.append(f"decision {old.get('decision')} -> {new.get('decision')}")
    was = {m["party"]: m for m in old.get("matches", [])}
    now = {m["party"]: m for m in new.get("matches", [])}
    for party in was.keys() - now.keys():
        changes.append(f"{party}: no longer matched (scored {was[party]['score']})")
    for party in now.keys() - was.keys():
        changes.append(f"{party}: now matched (scores {now[party]['score']})")
    for party in [p for p in now if p in was]:
        changes.extend(_party_changes(party, was[party], now[party]))
    if not changes:
        changes.append("the row's details changed")
    return tuple(changes)


def _party_changes(party: str, a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """What differs in one matched party's result."""
    changes: list[str] = []
    if a["score"] != b["score"]:
        changes.append(f"{party}: score {a['score']} -> {b['score']}")
    if a["matched_name"] != b["matched_name"]:
        changes.append(f"{party}: matched {a['matched_name']!r} -> {b['matched_name']!r}")
    lists_a = {s["list"]: s for s in a["lists"]}
    lists_b = {s["list"]: s for s in b["lists"]}
    for key in sorted(lists_a.keys() | lists_b.keys()):
        sa, sb = lists_a.get(key, {}), lists_b.get(key, {})
        for field in ("status", "listed_on", "public_by_date"):
            if sa.get(field) != sb.get(field):
                changes.append(f"{party} on {key}: {field} {_word(sa.get(field))} -> {_word(sb.get(field))}")
        if sa.get("citations") != sb.get("citations"):
            changes.append(f"{party} on {key}: citations changed")
    if a["explanation"] != b["explanation"] and a["score"] == b["score"]:
        changes.append(f"{party}: explanation changed")
    return changes


def _word(value: Any) -> str:
    """A value as the JSON output spells it (true, false, null), else as it is."""
    return json.dumps(value) if value is None or isinstance(value, bool) else str(value)


def certificate(stores: Stores, run_id: str, key: Ed25519PrivateKey | None = None) -> dict[str, Any]:
    """The certificate of a recorded run (`report screening`): the run as recorded (axes, matcher, ledger head, every
    row with its decision, matches, statuses and citations), whether today's chain still holds the run's head and the
    run itself, and, with `key`, an Ed25519 signature over the canonical JSON of everything else."""
    run = find(stores, run_id)
    head_holds: bool | None = None
    run_chained: bool | None = None
    if stores.chain is not None:
        link = stores.chain.link_at(run.ledger_size) if run.ledger_size else None
        head_holds = (link.digest.hex() if link else None) == run.ledger_head
        run_chained = stores.chain.link_by_key((str(UUID(run.run_id)), 1)) is not None
    body: dict[str, Any] = {
        "certificate": "regledger screening run",
        "run_id": run.run_id,
        "recorded_at": run.recorded_at.isoformat().replace("+00:00", "Z"),
        "chain": {"head_holds": head_holds, "run_chained": run_chained},
        "run": run.document,
    }
    if key is not None:
        public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        body["signature"] = {
            "algorithm": "ed25519", "signed": "the canonical JSON of this document without `signature`",
            "public_key": base64.b64encode(public).decode(), "key_fingerprint": fingerprint(public),
            "value": base64.b64encode(key.sign(canonical_json(body).encode())).decode(),
        }
    return body
