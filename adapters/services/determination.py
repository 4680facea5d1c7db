"""The use case `determine`: may these shipments go ahead on their dates, and under which rule?

Each transaction is answered from the state on its date under the query's axes, through the same answers as every
query (the read models when current, else the reference fold). A what-if (`assume`: actions from timeline files;
`assume_adopted`: draft measures treated as adopted on their last terms from the transaction's date) is answered by
the reference fold over the recorded actions and the assumed ones, recording nothing; every step then says what it
said without the assumptions (`before`). Party names resolve through the party lookup (`--party`); a name that is in
no entry but close to one (the screening review threshold) is a near miss, which the answer names.

    InputError (adapters.errors)
    └── DeterminationInputError   a transaction without a date, or a measure to assume that cannot be assumed
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from regledger.adapters.errors import InputError, validated
from regledger.adapters.importers.files import parse_file
from regledger.adapters.readmodels.source import open_source, stored_entries
from regledger.adapters.services.inputs import Axes
from regledger.adapters.store.ledger import Located
from regledger.adapters.wiring import Stores
from regledger.domain.actions import MeasureAdopted, MeasureWithdrawn
from regledger.domain.history import Entry
from regledger.domain.values import STORED, Reliability, Source
from regledger.projections import NotFoundError, PartyNames, Query, State, directory, match_parties, state_as_of
from regledger.projections.determination import Before, Determination, Party, Step, Transaction, determine
from regledger.projections.items import MeasureView
from regledger.projections.matching import DEFAULT_REVIEW, Counterparty, Matcher
from regledger.projections.screening import screening_directory

__all__ = ["WRITES", "DeterminationInputError", "Determinations", "determine_all", "read_transactions"]

WRITES = False
_ASSUMABLE = ("announced", "draft", "proposed", "withdrawn")
_DRAFT_KINDS = ("measure_drafted", "measure_proposed", "measure_announced")
_EPOCH = datetime.min.replace(tzinfo=UTC)  # assumed actions count as known at any time


class DeterminationInputError(InputError):
    """A transaction without a date (and no --on), or a measure that cannot be assumed adopted."""


@dataclass(frozen=True)
class Determinations:
    """The answers, one per transaction in order; `single` when the file held one transaction (not a list)."""

    answers: tuple[Determination, ...]
    single: bool


@dataclass
class _Context:
    entries: list[Entry]
    names: dict[str, PartyNames]
    matcher: Matcher
    party_names: dict[str, str | None]
    looked_up: dict[str, Party] = field(default_factory=dict)  # by name: shipments name the same parties again
    overlays: dict[date, tuple[State, frozenset[str], tuple[str, ...]]] = field(default_factory=dict)  # by date


def read_transactions(path: Path, on: date | None = None) -> tuple[list[Transaction], bool]:
    """The transactions of a YAML or JSON file (one mapping, or a list of them), validated, each dated (its own
    date, else `on`); and whether it held one (not a list). InputError `FILE: transaction N: FIELD: problem` at the
    first problem; `null` is refused."""
    raw = _nulls(parse_file(path)) if path.suffix.lower() != ".json" else parse_file(path)
    single = isinstance(raw, dict)
    items = [raw] if single else raw
    if not isinstance(items, list) or not items:
        raise InputError(f"{path}: a transaction file holds one transaction (a mapping) or a non-empty list of them")
    found = []
    for number, item in enumerate(items, start=1):
        where = f"{path}: transaction {number}"
        if not isinstance(item, dict):
            raise InputError(f"{where}: a transaction is a mapping of fields, not {type(item).__name__}")
        transaction = validated(where, Transaction.model_validate, item, whole="transaction")
        if transaction.date is None and on is None:
            raise DeterminationInputError(f"{where}: date: missing, and no --on was given")
        found.append(transaction)
    return found, single


def _nulls(value: Any) -> Any:
    """YAML read with every scalar a string: `null` and `~` as the null they spell (so that they are refused)."""
    if isinstance(value, dict):
        return {k: _nulls(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nulls(v) for v in value]
    return None if value in {"null", "Null", "NULL", "~"} else value


def determine_all(stores: Stores, transactions: Sequence[Transaction], axes: Axes, *, on: date | None = None,
                  assume: Sequence[Located] = (), assume_adopted: Sequence[str] = (),
                  single: bool = False) -> Determinations:
    """The determination of each transaction on its date (else `on`) under `axes`, with the what-if overlay of
    `assume` and `assume_adopted` when given."""
    entries = stored_entries(stores.ledger)
    start = max((e.seq for e in entries), default=0)
    assumed = [Entry(start + n, _EPOCH, located.action) for n, located in enumerate(assume, start=1)]
    named = [*entries, *assumed]  # an assumed listing's party is looked up like a recorded one
    found = screening_directory(named, axes.known_at)
    context = _Context(entries, directory(named), Matcher(found.names), found.party_names)
    source = open_source(stores.ledger, stores.views)
    for key in assume_adopted:  # hidden by the axes, or never a draft: refused by name
        _assumable(entries, key, axes.on(date.max))
    dated = [transaction.on(_day(transaction, on, number)) for number, transaction in enumerate(transactions, 1)]
    states: dict[date, State] = {}  # one state per date, however many shipments share it
    answers = []
    for transaction in dated:
        day = _day(transaction, None, 0)
        tx = _resolved_names(transaction, context)
        parties = _parties(tx, context)
        query = axes.on(day)
        if day not in states:
            states[day] = source.state(query, (None, None))
        base = determine(states[day], tx, parties)
        if assume or assume_adopted:
            base = _what_if(base, tx, parties, query, context, assume=list(zip(assume, assumed, strict=True)),
                            adopted=assume_adopted)
        answers.append(base)
    return Determinations(tuple(answers), single)


def _day(transaction: Transaction, on: date | None, number: int) -> date:
    """The transaction's date, else `on`; DeterminationInputError naming the transaction when it has neither."""
    day = transaction.date or on
    if day is None:
        raise DeterminationInputError(f"transaction {number}: date: missing, and no --on was given")
    return day


def _what_if(base: Determination, tx: Transaction, parties: Sequence[Party], query: Query, context: _Context, *,
             assume: Sequence[tuple[Located, Entry]], adopted: Sequence[str]) -> Determination:
    """The determination over the recorded and assumed actions, each step saying what it said without them."""
    if query.as_of not in context.overlays:
        context.overlays[query.as_of] = _overlay(query, context, assume, adopted)
    state, keys, said = context.overlays[query.as_of]
    answer = determine(state, tx, parties, keys)
    return replace(answer, steps=_with_before(answer.steps, base.steps), assumptions=said,
                   determination_before=base.determination)


def _overlay(query: Query, context: _Context, assume: Sequence[tuple[Located, Entry]],
             adopted: Sequence[str]) -> tuple[State, frozenset[str], tuple[str, ...]]:
    """The state on the query's date over the recorded and assumed actions (the reference fold), the keys the
    assumptions are about, and each assumption in words."""
    recorded = state_as_of(context.entries, query)
    overlay, keys, said = [*context.entries, *(entry for _, entry in assume)], set(), []
    seq = max((e.seq for e in overlay), default=0)
    for located, _ in assume:
        keys.add(_subject_key(located.action))
        said.append(f"assumed ({located.where}): {located.action.kind} {_subject_key(located.action)}")
    for key in adopted:
        measure = next((m for m in recorded.measures if m.key == key), None)
        if measure is None or measure.status not in _ASSUMABLE:
            said.append(f"not assumed: {key} is {measure.status if measure else 'not yet visible'} on "
                        f"{query.as_of}")
            continue
        overlay = [e for e in overlay if not (isinstance(e.action, MeasureWithdrawn) and e.action.measure.key == key)]
        seq += 1
        overlay.append(Entry(seq, _EPOCH, _adoption(measure, query.as_of)))
        keys.add(key)
        said.append(f"assumed: {key} ({measure.status}) adopted on its last terms from {query.as_of}")
    return state_as_of(overlay, query), frozenset(keys), tuple(said)


def _subject_key(action: object) -> str:
    """The key an assumed action is about: its measure, else LIST/PARTY, else its kind."""
    measure = getattr(action, "measure", None)
    if measure is not None:
        return str(measure.key)
    party, list_key = getattr(action, "party", None), getattr(action, "list", None)
    if party is not None and list_key is not None:
        return f"{list_key}/{party.key}"
    return str(getattr(action, "kind", "action"))


def _assumable(entries: Sequence[Entry], key: str, query: Query) -> None:
    """DeterminationInputError naming `key` when the axes of `query` show no draft, proposal or announcement of
    that measure (hidden by them, or never one)."""
    drafts = [e for e in entries if e.action.kind in _DRAFT_KINDS
              and getattr(getattr(e.action, "measure", None), "key", None) == key]
    if not any(query.sees(e, e.action) is not None for e in drafts):
        why = "hidden by the axes asked for" if drafts else "never drafted, proposed or announced in the ledger"
        raise DeterminationInputError(f"--assume-adopted: {key}: no draft, proposal or announcement of this "
                                      f"measure is visible ({why})")


def _adoption(measure: MeasureView, day: date) -> MeasureAdopted:
    """`measure` adopted from `day` on its last terms, citing its own sources."""
    sources = tuple(Source(reliability=Reliability(c.reliability), citation=c.citation,
                           document_number=c.document_number, url=c.url, title=c.title, publisher=c.publisher,
                           published_on=c.published_on) for c in measure.citations)
    published = min(c.published_on for c in measure.citations)
    data = {"kind": "measure_adopted", "id": f"assumed-adoption-{measure.key}", "effective_on": day,
            "published_on": published, "measure": {"key": measure.key}, "sources": [s.model_dump() for s in sources],
            "parameters": dict(measure.parameters) or None, "applies_to": measure.applies_to or None,
            "include_affiliates": measure.include_affiliates or None}
    return MeasureAdopted.model_validate({k: v for k, v in data.items() if v is not None}, context=STORED)


def _with_before(steps: Sequence[Step], before: Sequence[Step]) -> tuple[Step, ...]:
    """`steps`, each with what the same check said without the assumptions where that differs."""
    by_check = {s.check: s for s in before}
    found = []
    for step in steps:
        old = by_check.get(step.check)
        if old is None:
            found.append(replace(step, before=Before(None, None)))
        elif (old.result, old.basis) != (step.result, step.basis):
            found.append(replace(step, before=Before(old.result, old.basis)))
        else:
            found.append(step)
    return tuple(found)


def _lookup(text: str, role: str, context: _Context) -> Party:
    """A name or key as the party lookup resolves it (once per name); a near miss when only the screening matcher
    finds it."""
    if text not in context.looked_up:
        context.looked_up[text] = _resolve(text, context)
    return replace(context.looked_up[text], role=role)


def _resolve(text: str, context: _Context) -> Party:
    """A name or key as the party lookup resolves it, in no role yet."""
    role = ""
    try:
        matches = match_parties(context.names, text)
    except NotFoundError:
        near = context.matcher.match(Counterparty(text), DEFAULT_REVIEW)
        if near:
            best = near[0].name.party
            return Party(role, text, None, context.party_names.get(best), candidate=best)
        return Party(role, text, None)
    chosen = matches[0]
    if len(matches) > 1:  # several parties hold the text: the answer names the first to review, decides nothing
        return Party(role, text, None, chosen.name, candidate=chosen.party, matched_by=chosen.rule)
    return Party(role, text, chosen.party, chosen.name, matched_by=chosen.rule)


def _parties(tx: Transaction, context: _Context) -> list[Party]:
    """Every party the transaction names, in its role, as the lookup resolves it."""
    return [_lookup(text, role, context) for role, text in tx.parties.named()]


def _resolved_names(tx: Transaction, context: _Context) -> Transaction:
    """The item's `developed_by` and `incorporated_into_items_of` as party keys where the lookup finds them."""
    def keys(names: tuple[str, ...] | None) -> tuple[str, ...] | None:
        """The names as keys where the lookup finds one party."""
        if names is None:
            return None
        return tuple(_lookup(n, "", context).key or n for n in names)

    item = tx.item.model_copy(update={"developed_by": keys(tx.item.developed_by),
                                      "incorporated_into_items_of": keys(tx.item.incorporated_into_items_of)})
    return tx.model_copy(update={"item": item})
