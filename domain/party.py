"""Party: a company or person that a list or measure names — its names and aliases in any script, and every party
it was ever said to be an affiliate of (what the recorder checks a new affiliation against: no cycle)."""

from __future__ import annotations

from typing import Any

from .actions import PartyRef
from .errors import UnknownSubjectError
from .events import InitEvent, SubjectAggregate, natural_id

__all__ = ["Party", "party_id"]


def party_id(key: str) -> Any:
    """The deterministic id of a party."""
    return natural_id(f"/parties/{key}")


class Party(SubjectAggregate):
    """Who a party is: every name and alias it was ever recorded under, its country and addresses."""

    class Registered(InitEvent):
        """The party was first named."""

        key: str
        name: str
        aliases: tuple[str, ...] = ()
        country: str | None = None
        addresses: tuple[str, ...] = ()
        affiliate_of: str | None = None  # absent from events stored before affiliations were recorded

    class Described(SubjectAggregate.Event):
        """A later action (or a correction) named the party with something new: a name, aliases, country,
        addresses, or a party it is an affiliate of."""

        name: str | None = None
        aliases: tuple[str, ...] = ()
        country: str | None = None
        addresses: tuple[str, ...] = ()
        affiliate_of: str | None = None

        def apply(self, aggregate: Any) -> None:
            aggregate.absorb(self.name, self.aliases, self.country, self.addresses)
            aggregate.affiliations = _added(aggregate.affiliations, self.affiliate_of)

    def __init__(self, key: str, name: str, aliases: tuple[str, ...], country: str | None,
                 addresses: tuple[str, ...], *, affiliate_of: str | None = None) -> None:
        self.key = key
        self.names: tuple[str, ...] = ()
        self.aliases: tuple[str, ...] = ()
        self.country: str | None = None
        self.addresses: tuple[str, ...] = ()
        self.affiliations: tuple[str, ...] = _added((), affiliate_of)  # every affiliate_of ever recorded
        self.absorb(name, aliases, country, addresses)

    @classmethod
    def register(cls, ref: PartyRef) -> Party:
        """A new party from the first action that names it; that action must give its name."""
        if not ref.name:
            raise UnknownSubjectError(f"party {ref.key!r} appears for the first time: give its name", "party.name")
        return cls._create(
            cls.Registered, id=party_id(ref.key), key=ref.key, name=ref.name,
            aliases=ref.aliases or (), country=ref.country, addresses=ref.addresses or (),
            affiliate_of=ref.affiliate_of,
        )

    @property
    def name(self) -> str:
        """The name most recently recorded."""
        return self.names[-1]

    def describe(self, ref: PartyRef) -> None:
        """Take in what `ref` says of the party that is new (nothing is ever forgotten)."""
        new_name = ref.name if ref.name and ref.name != self.name else None
        aliases = tuple(a for a in ref.aliases or () if a not in self.aliases)
        addresses = tuple(a for a in ref.addresses or () if a not in self.addresses)
        country = ref.country if ref.country and ref.country != self.country else None
        affiliate_of = ref.affiliate_of if ref.affiliate_of not in self.affiliations else None
        if new_name or aliases or addresses or country or affiliate_of:
            self.trigger_event(self.Described, name=new_name, aliases=aliases, country=country, addresses=addresses,
                               affiliate_of=affiliate_of)

    def affiliate(self, parent: str) -> None:
        """Take in that the party is an affiliate of `parent` (a correction said so), unless that is known."""
        if parent not in self.affiliations:
            self.trigger_event(self.Described, affiliate_of=parent)

    def absorb(self, name: str | None, aliases: tuple[str, ...], country: str | None,
               addresses: tuple[str, ...]) -> None:
        """Add names and aliases (the newest name last), and take a new country."""
        if name:
            self.names = (*(n for n in self.names if n != name), name)
        self.aliases = (*self.aliases, *(a for a in aliases if a not in self.aliases))
        self.addresses = (*self.addresses, *(a for a in addresses if a not in self.addresses))
        self.country = country or self.country


def _added(affiliations: tuple[str, ...], parent: str | None) -> tuple[str, ...]:
    return affiliations if parent is None or parent in affiliations else (*affiliations, parent)
