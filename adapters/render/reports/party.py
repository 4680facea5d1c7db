"""The party dossier: names and aliases, every listing with its status on D and its timeline, the measures that
apply to the party, and the rows of a timeline chart (periods of one status, actions as events).

A measure applies to the party by the rule `as-of --party` uses (`projections.select.applies`): on D, its
`applies_to` names the party, or names a party this one is an affiliate of (its listings' `affiliate_of` on D) and
the measure includes affiliates. The dossier lists such measures whatever their status on D, and says how they were
found (`MEASURES_METHOD`). A text that names no party gives a dossier that says so: the party is on no list on D
(no party by that name in the ledger), with the closest names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from regledger.adapters.errors import InputError
from regledger.adapters.render.answers_json import history_json, item_json, plain
from regledger.adapters.render.reports.data import Produced, header, item_of
from regledger.adapters.render.reports.filters import list_name
from regledger.domain.history import Entry
from regledger.projections import (
    ListEntry,
    MeasureView,
    NotFoundError,
    Query,
    SubjectKey,
    directory,
    group_by_subject,
    history,
    match_parties,
    resolve_all,
    state_at,
)
from regledger.projections.items import Item
from regledger.projections.parties import unknown_party_notes
from regledger.projections.select import affiliations, applies
from regledger.projections.subjects import Fact, Resolved

__all__ = ["MEASURES_METHOD", "party_report"]

MEASURES_METHOD = (
    "A measure is listed when, on the report's date, it applies to this party: its applies_to names the party, or "
    "names a party this one is an affiliate of (by the affiliate_of of its listings on that date) and the measure "
    "includes affiliates. This is the rule as-of --party uses; the dossier lists such measures whatever their status "
    "on that date, where as-of --party shows those in force, pending, announced, drafted or proposed. A measure "
    "recorded without saying whom it applies to is not listed, however closely it concerns the party. Each measure "
    "shows why it was listed."
)


def party_report(entries: Iterable[Entry], text: str, query: Query, produced: Produced, *,
                 today: bool = False) -> dict[str, Any]:
    """The dossier of the one party `text` names (key, name or alias) under `query` (statuses as of its date, which
    `today` says was not asked for but taken as the day it is produced, UTC); a dossier saying that no party has
    that name when none does; InputError when it names several."""
    entries = list(entries)
    day = f"today (UTC), {query.as_of}" if today else str(query.as_of)
    dated = {"as_of_text": day, "as_of_default": today}
    try:
        matches = match_parties(directory(entries), text)
    except NotFoundError as error:
        return {**_nobody(text, error.suggestions, query, produced, day), **dated}
    if len(matches) > 1:
        found = "; ".join(f"{m.party} ({m.name or 'no name'})" for m in matches)
        raise InputError(f"KEY: {text!r} names {len(matches)} parties: {found}; give one key")
    key = matches[0].party
    resolved = resolve_all(group_by_subject(entries), query)
    listings = sorted(s for s in group_by_subject(entries) if s[0] == "listing" and s[2] == key)
    timelines = {s: history_json(history(entries, [s], query))["items"] for s in listings}
    names = _names(entries, key, timelines)
    views = {s: item_of(state_at({s: resolved.get(s, [])}, query), s) for s in listings}
    parents = affiliations(v for v in views.values() if isinstance(v, ListEntry)).get(key, ())
    measures = _measures(resolved, key, parents, query)
    legal = f"Legal effect: each listing's and measure's status on {query.as_of}; timelines show every visible action."
    return {
        **header("party", f"Dossier: {names['names'][-1] if names['names'] else key}, as of {day}",
                 produced, query, window={"as_of": query.as_of}, legal=legal),
        **dated,
        "party": {"key": key, **names, "affiliate_of": list(parents), "asked": text, "found": True,
                  "suggestions": []},
        "listings": [_listing(s, views[s], timelines[s]) for s in listings],
        "measures": measures,
        "measures_method": MEASURES_METHOD,
        "timeline": {"rows": [_listing_row(s, resolved, query) for s in listings]
                     + [_measure_row(m, resolved, query) for m in measures]},
        "notes": [],
    }


def _nobody(text: str, suggestions: Sequence[str], query: Query, produced: Produced, day: str) -> dict[str, Any]:
    """The dossier of a text that names no party: on no list on D, no party by that name, the closest names."""
    legal = f"Legal effect: the ledger as of {query.as_of}."
    return {
        **header("party", f"Dossier: {text}, as of {day}", produced, query, window={"as_of": query.as_of},
                 legal=legal),
        "party": {"key": None, "names": [], "aliases": [], "countries": [], "names_visible": False,
                  "affiliate_of": [], "asked": text, "found": False, "suggestions": list(suggestions)},
        "listings": [],
        "measures": [],
        "measures_method": MEASURES_METHOD,
        "timeline": {"rows": []},
        "notes": list(unknown_party_notes(text, f"on {query.as_of}", suggestions)),
    }


def _names(entries: list[Entry], key: str, timelines: dict[SubjectKey, list[dict[str, Any]]]) -> dict[str, Any]:
    """Names, aliases and countries from the visible listing actions; every recorded one when none is visible."""
    refs = [i["fields"].get("party", {}) for items in timelines.values() for i in items if i["status"] != "retracted"]
    names = list(dict.fromkeys(r["name"] for r in refs if r.get("name")))
    aliases = list(dict.fromkeys(a for r in refs for a in r.get("aliases") or ()))
    countries = list(dict.fromkeys(r["country"] for r in refs if r.get("country")))
    visible = bool(refs)
    if not visible:
        recorded = directory(entries)[key]
        names, aliases = list(recorded.names), list(recorded.aliases)
    return {"names": names, "aliases": aliases, "countries": countries, "names_visible": visible}


def _listing(subject: SubjectKey, entry: Item | None, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"list": subject[1], "status": entry.status if isinstance(entry, ListEntry) else "not_listed",
            "entry": item_json(entry, with_list=True), "timeline": items}


# -- measures that apply to the party -------------------------------------------------------------------------------


def _measures(resolved: Resolved, key: str, parents: Sequence[str], query: Query) -> list[dict[str, Any]]:
    found = []
    for subject in sorted(s for s in resolved if s[0] == "measure"):
        view = item_of(state_at({subject: resolved[subject]}, query), subject)
        if not isinstance(view, MeasureView) or (through := applies(view, key, parents)) is None:
            continue
        reason = {"rule": "applies_to" if through == key else "affiliate_of",
                  "action": _setter(resolved[subject], query.as_of), "where": "applies_to", "what": through}
        found.append({"key": subject[1], "title": view.title, "status": view.status, "measure": item_json(view),
                      "reasons": [reason]})
    return found


def _setter(pairs: list[tuple[Entry, Fact]], day: date) -> str | None:
    """The last visible action of a measure counting by `day` that gave its applies_to (its id, else its kind)."""
    given = [a for _, a in pairs if getattr(a, "applies_to", None) is not None and a.legal_on <= day]
    return (given[-1].id or given[-1].kind) if given else None


# -- timeline rows -----------------------------------------------------------------------------------------------


def _listing_row(subject: SubjectKey, resolved: Resolved, query: Query) -> dict[str, Any]:
    return _row(list_name(subject[1]), "listing", subject, resolved.get(subject, []), query)


def _measure_row(measure: dict[str, Any], resolved: Resolved, query: Query) -> dict[str, Any]:
    subject = ("measure", measure["key"])
    return _row(measure["title"] or measure["key"], "measure", subject, resolved[subject], query)


def _row(label: str, kind: str, subject: SubjectKey, pairs: list[tuple[Entry, Fact]], query: Query) -> dict[str, Any]:
    events = [{"on": plain(a.legal_on), "kind": a.kind, "id": a.id} for _, a in pairs]
    return {"label": label, "kind": kind, "subject": "/".join(subject[1:]),
            "periods": _periods(subject, pairs, query), "events": events}


def _periods(subject: SubjectKey, pairs: list[tuple[Entry, Fact]], query: Query) -> list[dict[str, Any]]:
    """The subject's status from each day it may change (an action's effective or publication date, the day after
    an expiry) to the day before the next change; the last period is open (`to` None)."""
    days = sorted({d for _, a in pairs for d in _change_days(a)})
    statuses = [(day, _status(subject, pairs, query.on(day))) for day in days]
    periods: list[dict[str, Any]] = []
    for day, status in statuses:
        if periods and periods[-1]["status"] == status:
            continue
        if periods:
            periods[-1]["to"] = plain(day - timedelta(days=1))
        periods.append({"from": plain(day), "to": None, "status": status})
    return [p for p in periods if p["status"] is not None]


def _change_days(action: Fact) -> list[date]:
    """The days an action may change its subject's status: its effective and publication dates, and the day after
    its expiry (none when it expires on the calendar's last day)."""
    expires = getattr(action, "expires_on", None)
    lapses = [expires + timedelta(days=1)] if expires and expires < date.max else []
    return [action.legal_on, action.published_on, *lapses]


def _status(subject: SubjectKey, pairs: list[tuple[Entry, Fact]], query: Query) -> str | None:
    item = item_of(state_at({subject: pairs}, query), subject)
    return getattr(item, "status", None)
