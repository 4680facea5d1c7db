"""Finding parties and lists by what people type: a key, a name or alias in any script, or part of one.

Names are compared after NFKC normalisation, case folding and stripping of accents (combining diacritical marks),
so `HUAWEI`, `Huawéi` and `huawei` are one; scripts are never converted (华为 and 華為 match only through stored
aliases). When nothing matches, the closest names are suggested.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from regledger.domain.actions import EntityDelisted, EntityListed, EntryAmended
from regledger.domain.history import Entry, resolve

from .errors import NotFoundError
from .subjects import group_by_subject

__all__ = ["PartyMatch", "PartyNames", "closest", "directory", "find_list", "match_parties", "normalise"]


@dataclass(frozen=True)
class PartyNames:
    """Every name and alias a party was recorded under (as recorded and as corrected)."""

    key: str
    names: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class PartyMatch:
    """A party that a search text matched, and the rule that matched it: key, name, alias or substring."""

    party: str
    name: str | None
    rule: str


def normalise(text: str) -> str:
    """NFKC, case folded, without combining diacritical marks (U+0300 to U+036F), spaces collapsed."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    stripped = "".join(c for c in folded if not 0x300 <= ord(c) <= 0x36F)
    return " ".join(unicodedata.normalize("NFC", stripped).split())


def directory(entries: Iterable[Entry]) -> dict[str, PartyNames]:
    """Every party the ledger names, whatever the axes: key → names and aliases."""
    found: dict[str, tuple[dict[str, None], dict[str, None]]] = {}
    for subject, group in group_by_subject(entries).items():
        if subject[0] != "listing":
            continue
        names, aliases = found.setdefault(subject[2], ({}, {}))
        for action in [e.action for e in group] + [a for _, a in resolve(group)]:
            if isinstance(action, EntityListed | EntryAmended | EntityDelisted):
                names.update(dict.fromkeys([action.party.name] if action.party.name else []))
                aliases.update(dict.fromkeys(action.party.aliases or ()))
    return {key: PartyNames(key, tuple(n), tuple(a)) for key, (n, a) in sorted(found.items())}


def match_parties(parties: dict[str, PartyNames], text: str) -> tuple[PartyMatch, ...]:
    """The parties `text` names: by exact key, else exact name or alias, else substring; NotFoundError if none."""
    wanted = normalise(text)
    for rule in (_by_key, _by_name, _by_substring):
        matches = tuple(m for p in parties.values() if (m := rule(p, text.strip(), wanted)) is not None)
        if matches:
            return matches
    raise NotFoundError("party", text, closest(text, [s for p in parties.values() for s in (p.key, *p.names)]))


def _by_key(party: PartyNames, text: str, _wanted: str) -> PartyMatch | None:
    return PartyMatch(party.key, _name(party), "key") if party.key == text else None


def _by_name(party: PartyNames, _text: str, wanted: str) -> PartyMatch | None:
    if any(normalise(n) == wanted for n in party.names):
        return PartyMatch(party.key, _name(party), "name")
    if any(normalise(a) == wanted for a in party.aliases):
        return PartyMatch(party.key, _name(party), "alias")
    return None


def _by_substring(party: PartyNames, _text: str, wanted: str) -> PartyMatch | None:
    found = wanted and any(wanted in normalise(s) for s in (party.key, *party.names, *party.aliases))
    return PartyMatch(party.key, _name(party), "substring") if found else None


def _name(party: PartyNames) -> str | None:
    return party.names[-1] if party.names else None


def find_list(entries: Iterable[Entry], list_key: str) -> str:
    """`list_key` when the ledger holds that list; NotFoundError with the closest list keys otherwise."""
    known = sorted({s[1] for s in group_by_subject(entries) if s[0] == "listing"})
    if list_key in known:
        return list_key
    raise NotFoundError("list", list_key, closest(list_key, known))


def closest(text: str, labels: Iterable[str], count: int = 5) -> list[str]:
    """The labels most like `text`, as a whole or by one of their words (e.g. `huawai` → `huawei-technologies`)."""
    wanted = normalise(text)
    scored: dict[str, float] = {}
    for label in labels:
        words = [normalise(label), *re.split(r"[^\w]+", normalise(label))]
        score = max(difflib.SequenceMatcher(None, wanted, word).ratio() for word in words if word)
        if score >= 0.6:
            scored[label] = max(score, scored.get(label, 0.0))
    return sorted(scored, key=lambda label: (-scored[label], label))[:count]
