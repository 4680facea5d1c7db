"""The party dossier: names and aliases, every listing with its status on D and its timeline, the measures that
name the party, and the rows of a timeline chart (periods of one status, actions as events).

regledger records no link between a measure and the parties it concerns, so "names" is found, and the dossier
says how (`MEASURES_METHOD`): a visible action of the measure mentions one of the party's recorded names or
aliases (in the measure's title, the action's note or a source's title, as a whole word after normalisation), or
cites a source (Federal Register citation or document number) that one of the party's listing actions cites.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from regledger.adapters.errors import InputError
from regledger.adapters.render.answers_json import history_json, item_json, plain
from regledger.adapters.render.reports.data import Produced, header, item_of
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
    normalise,
    resolve_all,
    state_at,
)
from regledger.projections.subjects import Fact, Resolved

__all__ = ["MEASURES_METHOD", "party_report"]

MEASURES_METHOD = (
    "regledger does not record which parties a measure concerns. A measure is listed here when one of its visible "
    "actions mentions one of this party's recorded names or aliases as a whole phrase (in the measure's title, the "
    "action's note or a source's title; compared ignoring case and accents), or cites a source (citation or "
    "document number) that one of the party's visible listing actions also cites. A measure that refers to the "
    "party only by a short form of its name, and shares no source with its listings, is not found; a measure that "
    "mentions the name in passing is listed. Each measure shows why it was listed."
)


def party_report(entries: Iterable[Entry], text: str, query: Query, produced: Produced) -> dict[str, Any]:
    """The dossier of the one party `text` names (key, name or alias) under `query` (statuses as of its date)."""
    entries = list(entries)
    key = _one_party(entries, text)
    resolved = resolve_all(group_by_subject(entries), query)
    listings = sorted(s for s in group_by_subject(entries) if s[0] == "listing" and s[2] == key)
    timelines = {s: history_json(history(entries, [s], query))["items"] for s in listings}
    names = _names(entries, key, timelines)
    measures = _measures(resolved, names["names"] + names["aliases"], _listing_sources(resolved, listings), query)
    legal = f"Legal effect: each listing's and measure's status on {query.as_of}; timelines show every visible action."
    return {
        **header("party", f"Dossier: {names['names'][-1] if names['names'] else key}", produced, query,
                 window={"as_of": query.as_of}, legal=legal),
        "party": {"key": key, **names},
        "listings": [_listing(s, resolved, timelines[s], query) for s in listings],
        "measures": measures,
        "measures_method": MEASURES_METHOD,
        "timeline": {"rows": [_listing_row(s, resolved, query) for s in listings]
                     + [_measure_row(m, resolved, query) for m in measures]},
    }


def _one_party(entries: list[Entry], text: str) -> str:
    try:
        matches = match_parties(directory(entries), text)
    except NotFoundError as error:
        raise InputError(f"KEY: {error}") from None
    if len(matches) > 1:
        found = "; ".join(f"{m.party} ({m.name or 'no name'})" for m in matches)
        raise InputError(f"KEY: {text!r} names {len(matches)} parties: {found}; give one key")
    return matches[0].party


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


def _listing(subject: SubjectKey, resolved: Resolved, items: list[dict[str, Any]], query: Query) -> dict[str, Any]:
    entry = item_of(state_at({subject: resolved.get(subject, [])}, query), subject)
    return {"list": subject[1], "status": entry.status if isinstance(entry, ListEntry) else "not_listed",
            "entry": item_json(entry, with_list=True), "timeline": items}


# -- measures that name the party ------------------------------------------------------------------------------------


def _listing_sources(resolved: Resolved, listings: list[SubjectKey]) -> set[str]:
    return {ref for s in listings for _, action in resolved.get(s, []) for ref in _refs(action)}


def _refs(action: Fact) -> set[str]:
    return {ref for s in action.sources for ref in (s.citation, s.document_number) if ref}


def _measures(resolved: Resolved, names: list[str], sources: set[str], query: Query) -> list[dict[str, Any]]:
    patterns = {name: _phrase(name) for name in dict.fromkeys(names) if normalise(name)}
    found = []
    for subject in sorted(s for s in resolved if s[0] == "measure"):
        reasons = [r for _, action in resolved[subject] for r in _reasons(action, patterns, sources)]
        if reasons:
            view = item_of(state_at({subject: resolved[subject]}, query), subject)
            title = next((t for _, a in resolved[subject] if (t := a.measure.title)), None)  # type: ignore[union-attr]
            once = list({tuple(r.values()): r for r in reasons}.values())
            status = view.status if isinstance(view, MeasureView) else None
            found.append({"key": subject[1], "title": title, "status": status, "measure": item_json(view),
                          "reasons": once})
    return found


def _phrase(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(normalise(name))}(?!\w)")


def _reasons(action: Fact, patterns: dict[str, re.Pattern[str]], sources: set[str]) -> list[dict[str, Any]]:
    ident = action.id or action.kind
    texts = [("title", getattr(action.measure, "title", None)), ("note", action.note),  # type: ignore[union-attr]
             *(("source title", s.title) for s in action.sources)]
    reasons = [{"rule": "mentions", "action": ident, "where": where, "what": name}
               for where, text in texts if text
               for name, pattern in patterns.items() if pattern.search(normalise(text))]
    reasons += [{"rule": "shares_source", "action": ident, "where": "sources", "what": ref}
                for ref in sorted(_refs(action) & sources)]
    return reasons


# -- timeline rows -----------------------------------------------------------------------------------------------


def _listing_row(subject: SubjectKey, resolved: Resolved, query: Query) -> dict[str, Any]:
    return _row(subject[1], "listing", subject, resolved.get(subject, []), query)


def _measure_row(measure: dict[str, Any], resolved: Resolved, query: Query) -> dict[str, Any]:
    subject = ("measure", measure["key"])
    return _row(measure["title"] or measure["key"], "measure", subject, resolved[subject], query)


def _row(label: str, kind: str, subject: SubjectKey, pairs: list[tuple[Entry, Fact]], query: Query) -> dict[str, Any]:
    events = [{"on": plain(a.effective_on), "kind": a.kind, "id": a.id} for _, a in pairs]
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
    return [action.effective_on, action.published_on, *lapses]


def _status(subject: SubjectKey, pairs: list[tuple[Entry, Fact]], query: Query) -> str | None:
    item = item_of(state_at({subject: pairs}, query), subject)
    return getattr(item, "status", None)
