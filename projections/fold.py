"""The reference fold: the state for (as of D, published by P, known at T, minimum tier), from recorded entries.

Each subject's visible actions are resolved (corrections and retractions applied by their own visibility), then
folded with the domain's step functions over the actions in force on D (`effective_on <= D`), in legal order.
An action published by D that takes effect later is pending. An announcement (`listing_announced`,
`measure_announced`) has no effective date: from its publication it is open until an action that realises it is in
force or pending (`open_announcements`); an entry or measure with nothing else to show is then `announced`. Simple
on purpose: this is the oracle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from functools import reduce
from typing import Any, TypeVar

from regledger.domain.actions import (
    CommentPeriodOpened,
    EntityDelisted,
    EntityListed,
    ListingAnnounced,
    MeasureAdopted,
    MeasureAnnounced,
    PartyRef,
    PositionStated,
)
from regledger.domain.history import Entry, legal_order
from regledger.domain.listing import ListingState, listing_step
from regledger.domain.measure import MeasureState, measure_status, measure_step
from regledger.domain.meeting import MeetingState, meeting_status, meeting_step
from regledger.domain.values import STORED

from .explain import why_empty
from .items import (
    Announced,
    ListEntry,
    MeasureView,
    MeetingView,
    PendingChange,
    PositionView,
    State,
    best_tier,
    citations_of,
    provenance_of,
)
from .query import Query
from .subjects import Fact, Resolved, SubjectKey, group_by_subject, resolve_all

__all__ = ["is_announcement", "listing_item", "measure_item", "meeting_item", "meeting_timing", "naming",
           "open_announcements", "party_actions", "position_item", "split", "state_as_of", "state_at"]

S = TypeVar("S")


def state_as_of(entries: Iterable[Entry], query: Query) -> State:
    """The state for `query` from every recorded entry; when nothing is in it, its notes say why."""
    entries = list(entries)
    state = state_at(resolve_all(group_by_subject(entries), query), query)
    return replace(state, notes=why_empty(entries, query)) if state.is_empty else state


def state_at(resolved: Resolved, query: Query) -> State:
    """The state on `query.as_of` from subjects already resolved for the query's other axes."""
    day = query.as_of
    names = _party_names(resolved, day)
    lists: dict[str, list[ListEntry]] = defaultdict(list)
    measures, meetings, positions = [], [], []
    for subject in sorted(resolved):
        actions = [action for _, action in resolved[subject]]
        kind = subject[0]
        if kind == "listing" and (entry := _listing(subject, actions, day, names)) is not None:
            lists[subject[1]].append(entry)
        elif kind == "measure" and (measure := _measure(subject[1], actions, day)) is not None:
            measures.append(measure)
        elif kind == "meeting" and (meeting := _meeting(subject[1], actions, day)) is not None:
            meetings.append(meeting)
        elif kind == "position" and (position := _position(actions, day)) is not None:
            positions.append(position)
    return State(query, {k: tuple(v) for k, v in sorted(lists.items())}, tuple(measures), tuple(meetings),
                 tuple(positions))


def split(actions: Sequence[Fact], day: date) -> tuple[list[Fact], list[Fact]]:
    """(in force on `day`, pending on `day`), each in the given (legal) order. Announcements published by `day` are
    among the first (they count from their publication, and the step functions leave the state as it is); they are
    never pending."""
    in_force = [a for a in actions if a.legal_on <= day]
    pending: list[Fact] = [a for a in actions
                           if not isinstance(a, ListingAnnounced | MeasureAnnounced)
                           and a.published_on <= day < a.effective_on]
    return in_force, pending


def is_announcement(action: object) -> bool:
    """True for `listing_announced` and `measure_announced`: statements that something will happen."""
    return isinstance(action, ListingAnnounced | MeasureAnnounced)


def open_announcements(actions: Sequence[Fact], day: date) -> list[ListingAnnounced | MeasureAnnounced]:
    """The announcements among `actions` (a subject's visible facts) that are open on `day`: published by then, and
    not yet realised by a visible action of the kind they announce that is in force or pending on `day` and dated
    (effective or published) no earlier than the announcement."""
    found = []
    for announced in actions:
        if not isinstance(announced, ListingAnnounced | MeasureAnnounced) or announced.published_on > day:
            continue
        since = announced.published_on
        if not any(_realises(fact, announced) and (fact.legal_on <= day or fact.published_on <= day)
                   and (fact.legal_on >= since or fact.published_on >= since) for fact in actions):
            found.append(announced)
    return found


def _realises(fact: Fact, announced: ListingAnnounced | MeasureAnnounced) -> bool:
    if is_announcement(fact):
        return False
    if isinstance(announced, ListingAnnounced):
        wanted = EntityListed if announced.change == "add" else EntityDelisted
        return isinstance(fact, wanted)
    return not isinstance(fact, CommentPeriodOpened)


def _announced(found: Iterable[ListingAnnounced | MeasureAnnounced]) -> tuple[Announced, ...]:
    return tuple(Announced(a.kind, a.change if isinstance(a, ListingAnnounced) else None, a.published_on,
                           citations_of([a])) for a in found)


def _fold(step: Callable[..., S], initial: S, actions: Iterable[Fact]) -> S:
    return reduce(lambda state, action: step(state, action, strict=False), actions, initial)


def _pending(actions: Iterable[Fact]) -> tuple[PendingChange, ...]:
    return tuple(PendingChange(a.kind, a.legal_on, a.published_on, citations_of([a])) for a in actions)


def _others(actions: Iterable[Fact], taken: Iterable[object]) -> list[Fact]:
    seen = {id(a) for a in taken}
    return [a for a in actions if id(a) not in seen]


# -- lists ---------------------------------------------------------------------------------------------------------


def _listing(subject: SubjectKey, actions: list[Fact], day: date, names: dict[str, PartyRef]) -> ListEntry | None:
    in_force, pending = split(actions, day)
    return listing_item(subject, _fold(listing_step, ListingState(), in_force), pending, names,
                        open_announcements(actions, day))


def listing_item(subject: SubjectKey, state: ListingState, pending: list[Fact], names: dict[str, PartyRef],
                 announced: Sequence[Any] = ()) -> ListEntry | None:
    """The entry of a listing whose actions in force leave `state`, with `pending` published but not in force and
    the announcements open on the day (`open_announcements`)."""
    status = "in_force"
    statement = ()
    if not state.listed:
        listings = [a for a in pending if isinstance(a, EntityListed)]
        statement = tuple(a for a in announced if a.change == "add")
        if listings:
            state, status, statement = _fold(listing_step, state, listings), "pending", ()
        elif statement:
            status = "announced"
        else:
            return None
    known = names.get(subject[2], PartyRef(key=subject[2]))
    said = statement[-1].party if statement else PartyRef(key=subject[2])
    counted = statement or state.actions
    return ListEntry(
        list_key=subject[1], party=subject[2], name=state.name or said.name or known.name,
        aliases=state.aliases if state.aliases_given else said.aliases or known.aliases or (),
        country=state.country or said.country or known.country,
        status=status, listed_on=state.listed_on if status != "announced" else None,
        details=dict(state.details) if status != "announced" else {},
        reliability=best_tier(counted), citations=citations_of(counted),
        pending=_pending(_others(pending, state.actions)),
        details_provenance=provenance_of(state.actions, "details", state.details) if status != "announced" else {},
        affiliate_of=state.affiliate_of or said.affiliate_of or known.affiliate_of,
        announced=_announced(announced),
    )


def _party_names(resolved: Resolved, day: date) -> dict[str, PartyRef]:
    """Per party, its name, aliases and country from every visible listing action: the latest in force on `day`,
    else the first to come."""
    return {key: naming(key, actions, day) for key, actions in party_actions(resolved).items()}


def party_actions(resolved: Resolved) -> dict[str, list[Any]]:
    """Per party, every visible listing action naming it, in legal order."""
    pairs = sorted((p for s, ps in resolved.items() if s[0] == "listing" for p in ps), key=legal_order)
    refs: dict[str, list[Any]] = defaultdict(list)
    for _, action in pairs:
        refs[action.party.key].append(action)  # type: ignore[union-attr]
    return refs


def naming(key: str, actions: list[Any], day: date) -> PartyRef:
    """A party's name, aliases and country from its listing actions: the latest in force on `day`, else the first
    to come."""
    before = [a.party for a in actions if a.legal_on <= day][::-1]
    after = [a.party for a in actions if a.legal_on > day]

    def pick(field: str) -> Any:
        return next((v for ref in (*before, *after) if (v := getattr(ref, field))), None)

    # read as the ledger stores it (`STORED`): a name recorded before today's input checks is still a name
    found = {"key": key, "name": pick("name"), "aliases": pick("aliases"), "country": pick("country"),
             "affiliate_of": pick("affiliate_of")}
    return PartyRef.model_validate(found, context=STORED)


# -- measures, meetings, positions ---------------------------------------------------------------------------------


def _measure(key: str, actions: list[Fact], day: date) -> MeasureView | None:
    in_force, pending = split(actions, day)
    return measure_item(key, actions, _fold(measure_step, MeasureState(), in_force), pending, day,
                        announced=open_announcements(actions, day))


def measure_item(key: str, actions: list[Fact], state: MeasureState, pending: list[Fact], day: date, *,
                 announced: Sequence[Any] = ()) -> MeasureView | None:
    """The view on `day` of a measure whose actions in force leave `state` (`actions`: all its visible ones), with
    the announcements open on the day (`open_announcements`)."""
    adoption = next((a for a in pending if isinstance(a, MeasureAdopted)), None)
    status = measure_status(state, day, adoption_pending=adoption is not None) or ("pending" if pending else None)
    if status is None:
        if not announced:
            return None
        return _announced_measure(key, actions, announced)
    counted = [*state.actions, *pending] if status == "pending" else list(state.actions)
    waiting = adoption if status == "pending" else None
    closes = [closes_on for _, closes_on in state.comment_periods]
    coming = (waiting.parameters or {}) if waiting else {}
    parameters = {**state.parameters, **coming}
    return MeasureView(
        key=key, title=state.title or next((t for a in actions if (t := a.measure.title)), None),  # type: ignore[union-attr]
        status=status, proposed_on=state.proposed_on,
        effective_on=state.adopted_on or (waiting.effective_on if waiting else None),
        expires_on=state.expires_on or (waiting.expires_on if waiting else None),
        withdrawn_on=state.withdrawn_on, comments_close_on=max(closes) if closes else None,
        parameters=parameters,
        reliability=best_tier(counted), citations=citations_of(counted),
        pending=_pending(_others(pending, counted)),
        parameters_provenance=provenance_of([*state.actions, *([waiting] if waiting else [])], "parameters",
                                            parameters),
        applies_to=waiting.applies_to if waiting and waiting.applies_to is not None else state.applies_to,
        include_affiliates=(waiting.include_affiliates if waiting and waiting.include_affiliates is not None
                            else state.include_affiliates),
        revoked_on=state.revoked_on, drafted_on=state.drafted_on, announced=_announced(announced),
    )


def _announced_measure(key: str, actions: list[Fact], announced: Sequence[MeasureAnnounced]) -> MeasureView:
    """A measure of which nothing is visible on the day but announcements: status `announced`, what the latest of
    them says (parameters, applies_to), citing them all."""
    parameters: dict[str, Any] = {}
    applies_to: tuple[str, ...] = ()
    include = False
    for said in announced:
        parameters.update(said.parameters or {})
        applies_to = said.applies_to if said.applies_to is not None else applies_to
        include = said.include_affiliates if said.include_affiliates is not None else include
    title = next((t for a in reversed(announced) if (t := a.measure.title)), None)
    return MeasureView(
        key=key, title=title or next((t for a in actions if (t := a.measure.title)), None),  # type: ignore[union-attr]
        status="announced", proposed_on=None, effective_on=None, expires_on=None, withdrawn_on=None,
        comments_close_on=None, parameters=parameters, reliability=best_tier(announced),
        citations=citations_of(announced), parameters_provenance=provenance_of(announced, "parameters", parameters),
        applies_to=applies_to, include_affiliates=include, announced=_announced(announced),
    )


def _meeting(key: str, actions: list[Fact], day: date) -> MeetingView | None:
    in_force, _ = split(actions, day)
    return meeting_item(key, _fold(meeting_step, MeetingState(), in_force), day)


def meeting_item(key: str, state: MeetingState, day: date) -> MeetingView | None:
    """The view on `day` of a meeting whose actions in force leave `state`: its status on the day (`not_held` once
    its date has passed unheld) and whether it is still to come."""
    status = meeting_status(state, day)
    if status is None:
        return None
    shown = state.date if state.date is not None or status != "not_held" else state.set_for
    return MeetingView(key, state.title, status, shown, meeting_timing(status, state.date, day), state.outcome,
                       citations_of(state.actions))


def meeting_timing(status: str, on: date | None, day: date) -> str:
    """`upcoming` for a meeting still to come on `day` (set for that day or later, or postponed with no new date),
    else `past`: a meeting whose date has passed is never upcoming."""
    if status in {"scheduled", "rescheduled"} and on is not None and on >= day:
        return "upcoming"
    return "upcoming" if status == "postponed" else "past"


def _position(actions: list[Fact], day: date) -> PositionView | None:
    in_force, _ = split(actions, day)
    return position_item(in_force)


def position_item(in_force: list[Fact]) -> PositionView | None:
    """The current position from the statements in force, in legal order."""
    stated = [a for a in in_force if isinstance(a, PositionStated)]
    if not stated:
        return None
    current = stated[-1]
    name = next((a.actor_name for a in reversed(stated) if a.actor_name), None)
    return PositionView(
        actor=current.actor, actor_name=name, subject=current.subject, stance=current.stance,
        certainty=current.certainty, stated_on=current.effective_on, published_on=current.published_on,
        reliability=current.tier.value, citations=citations_of([current]),
    )
