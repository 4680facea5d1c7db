"""Listing: one party on one control list — listed, confirmed, relisted, amended, delisted."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .actions import Action, EntityDelisted, EntityListed, ListingAnnounced, PartyRef
from .actions import EntryAmended as EntryAmendedAction
from .errors import NotListedError
from .events import natural_id
from .subject import Subject

__all__ = ["Listing", "ListingState", "listing_id", "listing_step"]


def listing_id(list_key: str, party_key: str) -> Any:
    """The deterministic id of a party's listing on a list."""
    return natural_id(f"/listings/{list_key}/{party_key}")


@dataclass(frozen=True)
class ListingState:
    """A listing as of some date: whether the party is listed, since when, and the entry's terms."""

    listed: bool = False
    listed_on: date | None = None
    delisted_on: date | None = None
    name: str | None = None
    aliases: tuple[str, ...] = ()
    aliases_given: bool = False  # an action gave aliases (perhaps none): they replace what other listings say
    country: str | None = None
    addresses: tuple[str, ...] = ()
    affiliate_of: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    actions: tuple[Action, ...] = ()  # the actions that make up the current (or last) entry, in legal order


def _with_party(state: ListingState, party: PartyRef) -> ListingState:
    return replace(
        state,
        name=party.name or state.name,
        aliases=party.aliases if party.aliases is not None else state.aliases,
        aliases_given=state.aliases_given or party.aliases is not None,
        country=party.country or state.country,
        addresses=party.addresses if party.addresses is not None else state.addresses,
        affiliate_of=party.affiliate_of or state.affiliate_of,
    )


def listing_step(state: ListingState, action: Action, *, strict: bool) -> ListingState:
    """The listing after `action`. Strict refuses delisting or amending a party not listed on that date. An
    announcement changes nothing in force (the projections read it on its own)."""
    if isinstance(action, ListingAnnounced):
        return state
    if isinstance(action, EntityListed):
        if state.listed:  # a confirmation: its sources join the entry, the listed-since date stays
            details = {**state.details, **(action.details or {})}
            return _with_party(replace(state, details=details, actions=(*state.actions, action)), action.party)
        fresh = ListingState(listed=True, listed_on=action.effective_on, details=dict(action.details or {}))
        fresh = replace(fresh, name=state.name, aliases=state.aliases, aliases_given=state.aliases_given,
                        country=state.country, addresses=state.addresses, affiliate_of=state.affiliate_of,
                        actions=(action,))
        return _with_party(fresh, action.party)
    if not state.listed:
        if strict:
            verb = "delist" if isinstance(action, EntityDelisted) else "amend the entry of"
            raise NotListedError(
                f"cannot {verb} {action.party.key!r}: not listed on {action.list} on {action.effective_on}",  # type: ignore[union-attr]
                "party.key",
            )
        return state
    if isinstance(action, EntryAmendedAction):
        details = {**state.details, **(action.details or {})}
        return _with_party(replace(state, details=details, actions=(*state.actions, action)), action.party)
    if isinstance(action, EntityDelisted):
        return replace(state, listed=False, delisted_on=action.effective_on, actions=(*state.actions, action))
    raise TypeError(f"not a listing action: {action.kind}")


class Listing(Subject):
    """One party on one list; its id derives from (list, party)."""

    class Listed(Subject.Recorded):
        """The party was listed (a confirmation when already listed, a relisting after a delisting)."""

        action: EntityListed

    class EntryAmended(Subject.Recorded):
        """The party's entry changed."""

        action: EntryAmendedAction

    class Delisted(Subject.Recorded):
        """The party was removed from the list."""

        action: EntityDelisted

    class Announced(Subject.Recorded):
        """An agency or the press said the party would be added to (or removed from) the list."""

        action: ListingAnnounced

    EVENTS = {  # noqa: RUF012
        "entity_listed": "Listed",
        "entry_amended": "EntryAmended",
        "entity_delisted": "Delisted",
        "listing_announced": "Announced",
    }

    @classmethod
    def register(cls, list_key: str, party_key: str) -> Listing:
        """A new listing stream for (list, party)."""
        return cls._create(cls.Registered, id=listing_id(list_key, party_key), key=f"{list_key}/{party_key}")

    def initial_state(self) -> ListingState:
        return ListingState()

    def step(self, state: ListingState, action: Action, *, strict: bool) -> ListingState:
        return listing_step(state, action, strict=strict)
