"""The "could we have known" report (`report knowledge D`): the rules in force on D beside what the public record
showed on D, for counsel reconstructing what was knowable (a voluntary disclosure, a penalty's mitigation).

Two answers of the reference fold on D, with the same minimum tier: the law (every source counts, whatever its date)
and the public record (only sources dated by the cut, D unless `--published-by P` says otherwise; filing for public
inspection and an agency's announcement count from their own day, as `as-of --published-by` counts them). Each list
entry and measure falls in one of three groups:

- `retroactive`: in force on D, but not in force as the public record showed it on D — no source public by then said
  so (it may have said that the change was coming);
- `public_not_in_force`: on the public record by D as announced, drafted, proposed or pending (or, where a later
  correction or retraction undid it, as in force), but not in force in law on D;
- `agreed`: in force on D, and the public record showed it in force.

Each item carries the sources that were public by the cut (`public_through`), those not yet published
(`not_yet_published`, with their own dates), its statuses on both sides and the CFR places its sources name. With
`--known-at T`, each item also carries `known_at_status`: its status in law on D as regledger had recorded it by T
(null when regledger did not know of it then).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any, Final

from regledger.adapters.render.answers_json import citation_json, codified_at, plain
from regledger.adapters.render.answers_text import moment_words
from regledger.adapters.render.citations import cite_order
from regledger.adapters.render.reports.data import Produced, header
from regledger.domain.history import Entry
from regledger.projections import ListEntry, MeasureView, Query, State, SubjectKey, state_as_of

__all__ = ["GROUPS", "KNOWLEDGE_METHOD", "knowledge_report"]

GROUPS: Final = (
    ("retroactive", "In force on the date, but not yet on the public record as in force (retroactive effect)"),
    ("public_not_in_force", "On the public record, but not in force on the date (announced, drafted, proposed, "
                            "pending)"),
    ("agreed", "In force on the date, and on the public record as in force"),
)
KNOWLEDGE_METHOD = (
    "The law is the state on the date with every recorded source counted, whatever its date; the public record is "
    "the same state with only the sources dated by the cut (filing for public inspection at the Federal Register "
    "and an agency's announcement count from their own day). Both use the same minimum tier. A list entry or "
    "measure in force in law but not in force as the public record showed it had retroactive effect on that day; "
    "one on the public record but not in force in law was announced, drafted, proposed or pending. Sources not yet "
    "published are listed with their own dates."
)
_HISTORY = {"expired", "revoked", "withdrawn"}  # no longer a rule in force, nor one on its way

Item = ListEntry | MeasureView


def knowledge_report(entries: Iterable[Entry], query: Query, produced: Produced) -> dict[str, Any]:
    """The law in force on `query.as_of` beside the public record cut at `query.published_by` (default: that day),
    under `query`'s minimum tier; with `query.known_at`, also what regledger had recorded by then."""
    entries = list(entries)
    day = query.as_of
    cut = query.published_by or day
    law = _items(state_as_of(entries, replace(query, published_by=None, known_at=None)))
    public = _items(state_as_of(entries, replace(query, published_by=cut, known_at=None)))
    known = _items(state_as_of(entries, replace(query, published_by=None))) if query.known_at else None
    groups: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in GROUPS}
    for subject in sorted({*law, *public}, key=lambda s: _order(s, law.get(s) or public[s])):
        group = _group(law.get(subject), public.get(subject))
        if group is not None:
            groups[group].append(_row(subject, law.get(subject), public.get(subject), known, cut))
    return {
        **_head(query, cut, produced),
        "method": KNOWLEDGE_METHOD,
        "public_record_cut": plain(cut),
        "summary": {name: len(groups[name]) for name, _ in GROUPS},
        "groups": [{"group": name, "what": what, "items": groups[name]} for name, what in GROUPS],
    }


def _head(query: Query, cut: date, produced: Produced) -> dict[str, Any]:
    """The report's header: its axes say that the groups read the whole record, and `known_at` only a column."""
    day = query.as_of
    legal = (f"Legal effect: what was in force on {day}, beside what the public record showed by {cut} "
             f"(public inspection and agency announcements count from their own day).")
    title = f"What was in force on {day}, and what the public record showed"
    head = header("knowledge", title, produced, replace(query, published_by=cut), window={"as_of": day}, legal=legal)
    if query.known_at is not None:
        head["axes_text"] = [line if not line.startswith("Our record:") else
                             f"Our record: the groups read everything recorded so far; the column 'recorded by' shows "
                             f"each status as regledger had recorded it by {moment_words(query.known_at)}."
                             for line in head["axes_text"]]
    return head


def _items(state: State) -> dict[SubjectKey, Item]:
    """The list entries and measures of `state`, by subject."""
    found: dict[SubjectKey, Item] = {("listing", e.list_key, e.party): e
                                     for entries in state.lists.values() for e in entries}
    found.update({("measure", m.key): m for m in state.measures})
    return found


def _order(subject: SubjectKey, item: Item) -> tuple[str, str, str]:
    """Entries before measures; then by list and name (a measure by its title), the key breaking ties."""
    name = (item.name if isinstance(item, ListEntry) else item.title) or ""
    return (subject[0], subject[1] if subject[0] == "listing" else "", f"{name.casefold()}\0{subject[-1]}")


def _group(law: Item | None, public: Item | None) -> str | None:
    """Which group an item falls in, or None when it is neither in force nor on its way (expired, revoked…)."""
    in_law = law is not None and law.status == "in_force"
    if in_law:
        return "agreed" if public is not None and public.status == "in_force" else "retroactive"
    if public is not None and public.status not in _HISTORY:
        return "public_not_in_force"
    return None


def _row(subject: SubjectKey, law: Item | None, public: Item | None, known: dict[SubjectKey, Item] | None,
         cut: date) -> dict[str, Any]:
    """One entry or measure: its name, its statuses in law and on the public record, the sources public by `cut`
    and those published later (each with its own date)."""
    item = law or public
    assert item is not None  # `_group` placed it, so one side has it
    shown = public.citations if public is not None else ()
    seen = {_reference(c) for c in shown}
    cited = law.citations if law is not None else ()
    later = cite_order([citation_json(c) for c in cited if _reference(c) not in seen and c.published_on > cut])
    row = {
        "type": subject[0], "subject": "/".join(subject[1:]),
        "list": subject[1] if subject[0] == "listing" else None,
        "name": item.name if isinstance(item, ListEntry) else item.title,
        "law_status": law.status if law is not None else None,
        "in_force_since": plain(_since(law)) if law is not None and law.status == "in_force" else None,
        "public_status": public.status if public is not None else None,
        "public_since": plain(min(c.published_on for c in shown)) if shown else None,
        "public_through": cite_order([citation_json(c) for c in shown]),
        "not_yet_published": later,
        "cfr": codified_at([*(law.citations if law is not None else ()), *shown]),
    }
    if known is not None:
        then = known.get(subject)
        row["known_at_status"] = then.status if then is not None else None
    return row


def _since(item: Item) -> date | None:
    return item.listed_on if isinstance(item, ListEntry) else item.effective_on


def _reference(citation: Any) -> tuple[Any, ...]:
    """A source's identity whatever the date it is seen with."""
    return (citation.citation, citation.document_number, citation.url, citation.title, citation.publisher,
            citation.reliability)
