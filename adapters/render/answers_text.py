"""The text output of `as-of`, `diff` and `history`: a memo a lawyer can read, every item with its sources.

Each memo is built as a list of lines, one element a line, and joined by `safe_lines`: whatever stored text a line
holds (a control character, an escape sequence, a bidi override, a newline) is shown escaped, never passed to the
terminal (see `safe_text`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TypeVar

from regledger.adapters.render.answers_json import attribution, citation_json, plain
from regledger.adapters.render.citations import Style, bluebook, cite_order
from regledger.adapters.safe_text import safe_lines
from regledger.projections import Change, Diff, History, HistoryItem, PartyMatch, Query
from regledger.projections.diff import Transition
from regledger.projections.items import (
    Citation,
    ListEntry,
    MeasureView,
    MeetingView,
    PositionView,
    State,
    changed_fields,
    name_of,
)

__all__ = [
    "STATUS_ORDER", "STATUS_WORDS", "axes", "citation_style", "diff_text", "history_text", "moment_words", "sources",
    "state_text",
]

STATUS_ORDER = ("in_force", "pending", "proposed", "draft", "announced", "expired", "revoked", "withdrawn")
STATUS_WORDS = {"in_force": "In force", "pending": "Pending (published, not yet in effect)", "proposed": "Proposed",
                "draft": "Draft (sent for review, not published as a proposal)",
                "announced": "Announced (said to be coming, no effective date yet)",
                "expired": "Expired (lapsed by its own terms)", "revoked": "Revoked (ended by a later rule)",
                "withdrawn": "Withdrawn (abandoned before adoption)"}
RULES = {"key": "its key", "name": "its name", "alias": "an alias", "substring": "part of its key, name or alias"}
I1, I2 = "  ", "      "
MATCHES_SHOWN = 5  # parties a party query names one by one in the text memo
T = TypeVar("T")
_STYLE: ContextVar[Style] = ContextVar("citation_style", default="plain")  # set only by `citation_style`


@contextmanager
def citation_style(style: Style) -> Iterator[None]:
    """Within the block, `sources` writes citations in `style` (the memos' default is plain): how the command line's
    `--citation-style` reaches every memo without a parameter through each of its helpers."""
    token = _STYLE.set(style)
    try:
        yield
    finally:
        _STYLE.reset(token)


def axes(query: Query) -> list[str]:
    """The axes of a query, in words."""
    published = "everything published, whatever its date"
    if query.published_by:
        published = f"only what had been published by {query.published_by}"
    known = "everything recorded so far"
    if query.known_at:
        known = f"only what regledger had recorded by {moment_words(query.known_at)}"
    tier = "every tier"
    if query.min_reliability:
        tier = f"only tier {query.min_reliability.value} or stronger"
    return [f"Public record: {published}.", f"Our record: {known}.", f"Sources: {tier}."]


def moment_words(moment: datetime) -> str:
    """A moment as a memo says it, to the second in UTC: `2019-05-21 14:02:07 UTC`, or `the end of 2019-05-21 (UTC)`
    for a day's last instant (a date given as `--known-at`)."""
    found = moment.astimezone(UTC)
    if (found.hour, found.minute, found.second, found.microsecond) == (23, 59, 59, 999_999):
        return f"the end of {found.date()} (UTC)"
    return f"{found:%Y-%m-%d %H:%M:%S} UTC"


def _matches(party: str | None, matches: Sequence[PartyMatch]) -> list[str]:
    if party is None:
        return []
    if not matches:
        return [f'Party "{party}": no party by that name in the ledger.']
    if len(matches) > MATCHES_SHOWN:  # a word many names share: say how many, name a few, the JSON lists them all
        rules = sorted({RULES[m.rule] for m in matches})
        named = ", ".join(m.party for m in matches[:MATCHES_SHOWN])
        return [f'Party "{party}": {len(matches)} parties match ({" or ".join(rules)}): {named} and '
                f"{len(matches) - MATCHES_SHOWN} more (all are listed below; the JSON names each match)."]
    found = "; ".join(f"{m.party} ({m.name or 'no name recorded'}), matched by {RULES[m.rule]}" for m in matches)
    return [f'Party "{party}": {found}.']


def sources(citations: Sequence[Citation], indent: str = I2) -> str:
    """`Sources: …`, each with its tier, its kind and date (when a kind is given), publisher, document number and
    URL; in the bluebook style (`citation_style`), each as a legal memo cites it with its tier, official first."""
    if _STYLE.get() == "bluebook":
        cited = cite_order([citation_json(c) for c in citations])
        found = "; ".join(f"{bluebook(c)} ({c['reliability']})" for c in cited)
        return f"{indent}Sources: {found or 'none'}."

    def one(c: Citation) -> str:
        dated = f"{c.kind.replace('_', ' ')} {c.published_on}" if c.kind != "other" else None
        extra = [c.reliability, dated, c.publisher, f"doc. {c.document_number}" if c.document_number else None,
                 c.url if c.url != c.label() else None]
        return f"{c.label()} ({'; '.join(x for x in extra if x)})"

    return f"{indent}Sources: {'; '.join(one(c) for c in citations) or 'none'}."


def _notes(notes: Sequence[str]) -> list[str]:
    return [f"Note: {note}." for note in notes]


# -- as of ---------------------------------------------------------------------------------------------------------


def state_text(state: State, list_key: str | None = None, party: str | None = None,
               matches: Sequence[PartyMatch] = ()) -> str:
    """The `as-of` memo."""
    day = state.query.as_of
    lines = [f"MEMORANDUM: the rules as of {day}", "",
             f"Legal effect: what was in force on {day}; what was published by then to take effect later is pending.",
             *axes(state.query)]
    if list_key:
        lines.append(f"List: {list_key} only.")
    lines += _matches(party, matches)
    if list_key:
        lines.append("Measures, meetings and positions are not shown for a list query.")
    elif party:
        lines.append("Shown for the party: its entries, the measures that apply to it (or to the party it is an "
                     "affiliate of), and positions about it; meetings are not shown.")
    lines += ["", *_notes(state.notes)] if state.notes else []
    names = {e.party: e.name for entries in state.lists.values() for e in entries if e.name}
    lines += ["", "1. Control lists", *_lists(state, names)]
    if not list_key:
        lines += ["", "2. Measures", *_measures(state.measures, names)]
        if not party:
            lines += ["", "3. Meetings", *_meetings(state.meetings)]
        lines += ["", "3. Positions" if party else "4. Positions", *_positions(state.positions)]
    return safe_lines(lines)


def _grouped(items: Sequence[T], nothing: str, groups: Iterable[tuple[str, str]], group_of: Callable[[T], str],
             lines: Callable[[T], Iterator[str]]) -> Iterator[str]:
    """`nothing` when there are no items; else, for each (group, heading) that has items, the heading and the
    lines of each of its items, in the order given."""
    if not items:
        yield f"{I1}{nothing}"
    for group, heading in groups:
        chosen = [item for item in items if group_of(item) == group]
        if chosen:
            yield f"{I1}{heading}"
            for item in chosen:
                yield from lines(item)


def _named(key: str, names: Mapping[str, str]) -> str:
    """A party as people read it: its name and key when the answer names it, else its key."""
    return f"{names[key]} [{key}]" if key in names else key


def _lists(state: State, names: Mapping[str, str]) -> Iterator[str]:
    if not state.lists:
        yield f"{I1}No entry is in force or pending."
    for key, entries in state.lists.items():
        yield f"{I1}{key} ({len(entries)} {'entry' if len(entries) == 1 else 'entries'})"
        for entry in entries:
            yield from _entry_lines(entry, names)


def _entry_lines(entry: ListEntry, names: Mapping[str, str]) -> Iterator[str]:
    """A list entry: who, since when, its terms, pending changes and sources."""
    who = f"{entry.name or entry.party} [{entry.party}]" + (f", {entry.country}" if entry.country else "")
    aka = f"; also known as {', '.join(entry.aliases)}" if entry.aliases else ""
    yield f"{I1}- {who}{aka}: {_summary(entry)}."
    if entry.affiliate_of:
        yield f"{I2}Affiliate of: {_named(entry.affiliate_of, names)}."
    for name, value in entry.details.items():
        yield f"{I2}{name}: {_value(value)}{attribution(entry.details_provenance, name, entry.reliability)}"
    yield from _pending_and_sources(entry)


def _measures(measures: Sequence[MeasureView], names: Mapping[str, str]) -> Iterator[str]:
    return _grouped(measures, "No measure is announced, drafted, proposed, pending, in force, expired, revoked or "
                    "withdrawn.",
                    ((status, STATUS_WORDS[status]) for status in STATUS_ORDER), lambda m: m.status,
                    lambda m: _measure_lines(m, names))


def _measure_lines(measure: MeasureView, names: Mapping[str, str]) -> Iterator[str]:
    """A measure: title, key, dates, parameters, pending changes and sources."""
    dates = [f"proposed {measure.proposed_on}" if measure.proposed_on else "",
             f"effective {measure.effective_on}" if measure.effective_on else "",
             f"valid through {measure.expires_on}" if measure.expires_on else "",
             f"comments close {measure.comments_close_on}" if measure.comments_close_on else "",
             f"revoked {measure.revoked_on}" if measure.revoked_on else "",
             f"withdrawn {measure.withdrawn_on}" if measure.withdrawn_on else ""]
    if measure.drafted_on and not measure.proposed_on:
        dates.insert(0, f"sent for review {measure.drafted_on}")
    when = ", ".join(d for d in dates if d) or "no dates"
    yield f"{I1}- {measure.title or measure.key} [{measure.key}]: {when}."
    if measure.applies_to:
        affiliates = (" and its affiliates" if len(measure.applies_to) == 1 else " and their affiliates"
                      ) if measure.include_affiliates else ""
        yield f"{I2}Applies to: {', '.join(_named(k, names) for k in measure.applies_to)}{affiliates}."
    if measure.parameters:
        yield f"{I2}Parameters: " + "; ".join(
            f"{k} = {_value(v)}{attribution(measure.parameters_provenance, k, measure.reliability)}"
            for k, v in measure.parameters.items()) + "."
    yield from _pending_and_sources(measure)


def _pending_and_sources(item: ListEntry | MeasureView) -> Iterator[str]:
    """An entry's or measure's changes pending (published, not yet in effect), then its sources."""
    for change in item.pending:
        yield f"{I2}Pending: {change.kind} effective {change.effective_on} (published {change.published_on})."
    for said in item.announced:
        what = f" ({'addition' if said.change == 'add' else 'removal'})" if said.change else ""
        cited = "; ".join(c.label() for c in said.citations)
        yield f"{I2}Announced{what} on {said.published_on}, no effective date yet: {cited}."
    yield sources(item.citations)


def _meetings(meetings: Sequence[MeetingView]) -> Iterator[str]:
    return _grouped(meetings, "No meeting.", (("upcoming", "Upcoming"),
                                                   ("past", "Past: held, not held or cancelled")),
                    lambda m: m.timing, _meeting_lines)


def _meeting_lines(meeting: MeetingView) -> Iterator[str]:
    """A meeting: its status and date, its outcome, its sources."""
    on = f" on {meeting.date}" if meeting.date else ""
    if meeting.status in {"scheduled", "rescheduled"}:
        on = f" for {meeting.date}"
    if meeting.status == "not_held":
        on = f" (it was set for {meeting.date}; no record that it was held)" if meeting.date else ""
    yield f"{I1}- {meeting.title or meeting.key} [{meeting.key}]: {meeting.status.replace('_', ' ')}{on}."
    if meeting.outcome:
        yield f"{I2}Outcome: {meeting.outcome}"
    yield sources(meeting.citations)


def _positions(positions: Sequence[PositionView]) -> Iterator[str]:
    if not positions:
        yield f"{I1}No position."
    for position in positions:
        yield from _position_lines(position)


def _position_lines(position: PositionView) -> Iterator[str]:
    """An actor's current position, with the tier of its source."""
    actor = f"{position.actor_name} ({position.actor})" if position.actor_name else position.actor
    certainty = f" ({position.certainty})" if position.certainty else ""
    yield (f"{I1}- {actor} on {position.subject}: {position.stance}{certainty}, as stated {position.stated_on}"
           f" (published {position.published_on}); {position.reliability} source.")
    yield sources(position.citations)


def _value(value: Any) -> str:
    """A value in words: a list comma-separated ("none" when empty), a mapping as `key: value` pairs, a whole
    number without its `.0`."""
    if isinstance(value, list | tuple):
        return ", ".join(map(_value, value)) if value else "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_value(v)}" for k, v in value.items()) if value else "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- diff ----------------------------------------------------------------------------------------------------------


def diff_text(result: Diff, list_key: str | None = None, party: str | None = None,
              matches: Sequence[PartyMatch] = ()) -> str:
    """The `diff` memo: what took effect after D1 through D2, every status transition in between, and every change
    of state from D1 to D2."""
    lines = [f"MEMORANDUM: what changed after {result.start} through {result.end}", "", *axes(result.query)]
    lines += ([f"List: {list_key} only."] if list_key else []) + _matches(party, matches)
    lines += ["", *_notes(result.notes)] if result.notes else []
    lines += ["", "Took effect in the window"]
    lines += [f"{I1}- {t.effective_on}  {t.kind}  {t.subject}" + (f" [{t.id}]" if t.id else "")
              + f" (published {t.published_on}; {t.reliability})" for t in result.took_effect] or [f"{I1}Nothing."]
    lines += ["", "Status transitions in the window, day by day"]
    lines += [line for t in result.transitions for line in _transition_lines(t)] or [f"{I1}None."]
    lines += ["", "1. Control lists", *_list_changes(result)]
    if not (list_key or party):
        for number, title, changes in ((2, "Measures", result.measures), (3, "Meetings", result.meetings),
                                       (4, "Positions", result.positions)):
            lines += ["", f"{number}. {title}", *(line for c in changes or () for line in _change_lines(c))]
            lines += [] if changes else [f"{I1}No change."]
    return safe_lines(lines)


def _transition_lines(transition: Transition) -> list[str]:
    """A transition: its day, kind and subject, from → to, then its sources (two lines)."""
    def word(status: str | None) -> str:
        if status is None:  # nothing visible: an entry not on the list, a measure or meeting not yet on record
            return "not listed" if transition.kind == "entry" else "not on record"
        return _STATE_WORDS.get(status, status.replace("_", " "))

    head = f"{I1}- {transition.on}  {transition.kind}  {transition.subject}: "
    return [head + f"{word(transition.before)} → {word(transition.after)}", sources(transition.citations)]


_STATE_WORDS = {"in_force": "in force", "not_held": "not held", "removed": "removed from the list"}
_GROUP_HEADINGS = {"added": "Added", "amended": "Amended", "removed": "Removed", "pending": "Pending",
                   "announced": "Announced"}


def _list_changes(result: Diff) -> Iterator[str]:
    if not result.lists:
        yield f"{I1}No change."
    for key, changes in result.lists.items():
        yield f"{I1}{key}"
        for name, group in changes.groups():
            for change in group:
                yield from _change_lines(change, _GROUP_HEADINGS[name])


def _change_lines(change: Change, heading: str | None = None) -> list[str]:
    """A change: what it was before and after, then its sources (two lines)."""
    name = name_of(change.after or change.before)
    label = f"{name} [{change.key}]" if name else change.key
    head = f"{I1}- {heading + ': ' if heading else ''}{label}: "
    return [head + _delta(change.before, change.after), sources(change.citations)]


_NOT_CHANGES = {"citations", "pending", "announced", "list_key", "details_provenance", "parameters_provenance"}


def _delta(before: Any, after: Any) -> str:
    if before is None:
        return "now " + _summary(after) + "."
    if after is None:
        return "no longer " + _summary(before) + "."
    if isinstance(after, ListEntry) and (before.status == "in_force") != (after.status == "in_force"):
        return f"now {_summary(after)} (at the window's start: {_summary(before)})."
    parts = [f"{path}: {_shown(old)} → {_shown(new)}"
             for path, old, new in changed_fields(before, after, _NOT_CHANGES)] + _coming(before, after)
    came = "came into force; " if (getattr(before, "status", ""), getattr(after, "status", "")) == (
        "pending", "in_force") else ""
    return came + ("; ".join(parts) + "." if parts else "new sources.")


def _coming(before: Any, after: Any) -> list[str]:
    """The changes pending or announced on D2 that were not on D1."""
    pending = [p for p in getattr(after, "pending", ()) if p not in getattr(before, "pending", ())]
    said = [a for a in getattr(after, "announced", ()) if a not in getattr(before, "announced", ())]
    return ([f"{p.kind} pending, effective {p.effective_on} (published {p.published_on})" for p in pending]
            + [f"{a.kind} announced on {a.published_on}, no effective date yet" for a in said])


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    return _value(plain(value)).replace("in_force", "in force")


def _summary(item: Any) -> str:
    if isinstance(item, ListEntry):
        if item.status == "announced":
            return "listing announced, no effective date yet"
        pending = f"listing pending, effective {item.listed_on}"
        return f"listed since {item.listed_on}" if item.status == "in_force" else pending
    if isinstance(item, MeasureView):
        dates = [f"effective {item.effective_on}" if item.effective_on else "",
                 f"valid through {item.expires_on}" if item.expires_on else ""]
        when = ", ".join(d for d in dates if d)
        return item.status.replace("_", " ") + (f" ({when})" if when else "")
    if isinstance(item, MeetingView):
        return f"{item.status}" + (f" ({item.date})" if item.date else "")
    return f"{item.stance}" + (f" ({item.certainty})" if item.certainty else "")


# -- history -------------------------------------------------------------------------------------------------------


def history_text(result: History) -> str:
    """The `history` memo: each action in legal-effect order with its three dates and its amendments."""
    lines = [f"MEMORANDUM: history of {', '.join(result.subjects)}", "", *axes(result.query), ""]
    if not result.items:
        lines.append("No visible action.")
    for number, item in enumerate(result.items, start=1):
        lines += _history_item(number, item)
    lines += ["", *_notes(result.notes)] if result.notes else []
    return safe_lines(lines)


def _history_item(number: int, item: HistoryItem) -> list[str]:
    ident = f" [{item.id}]" if item.id else ""
    lines = [f"{number}. {item.kind} on {item.subject}{ident}" + (" (RETRACTED)" if item.status == "retracted" else ""),
             f"{I2}{f'effective {item.effective_on}' if item.effective_on else 'no effective date (an announcement)'};"
             f" published {item.published_on}; recorded {plain(item.recorded_at)};"
             f" {item.reliability}"]
    lines += [f"{I2}{key}: {_value(value)}" for key, value in _flat(plain(item.fields))]
    lines += [f"{I2}Note: {item.note}"] if item.note else []
    lines.append(sources(item.citations))
    for amendment in item.amendments:
        verb = "Corrected" if amendment.kind == "correction" else "Retracted"
        what = "; ".join(f"{c.path}: {_value(plain(c.before))} → {_value(plain(c.after))}" for c in amendment.changes)
        why = f"reason: {amendment.reason}" if amendment.reason else what
        undone = " (itself retracted: no longer applies)" if amendment.retracted else ""
        lines.append(f"{I2}{verb} by {amendment.id or 'an unnamed action'}{undone}, published {amendment.published_on},"
                     f" recorded {plain(amendment.recorded_at)} ({amendment.reliability}): {why}.")
        lines.append(sources(amendment.citations, I2 + I1))
    return lines


def _flat(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Nested fields as dotted paths, leaving out the subject's keys (the heading names them)."""
    pairs: list[tuple[str, Any]] = []
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            pairs += _flat(value, f"{path}.")
        elif path not in {"list", "actor", "topic", "party.key", "measure.key", "meeting.key"}:
            pairs.append((path, value))
    return pairs
