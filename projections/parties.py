"""Finding parties and lists by what people type: a key, a name or alias in any script, or part of one.

Names are compared through `names` (the one normaliser): case, accents, punctuation, spacing, legal forms (Co.,
Ltd, GmbH, 有限公司 …) and Traditional/Simplified Chinese (華為 = 华为) aside. A text matches a party by its exact
key; else by a name, alias or key equal to it after folding (`names.key`; those equal with their legal forms too
are preferred); else by a key, name or alias that holds it as whole words, the last of which may be cut short
(`names.contains`: `huawei tech` finds Huawei Technologies, `zte` does not find Aztec). When nothing matches,
the closest names are suggested; a query then answers that the party is on no list (`unknown_party_notes`).
`normalise` is the older, lighter fold (case and accents only) that the screening-list import matches names with.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from regledger.domain.actions import EntityDelisted, EntityListed, EntryAmended, ListingAnnounced
from regledger.domain.history import Entry, resolve

from . import names
from .errors import NotFoundError
from .subjects import group_by_subject

__all__ = ["PartyMatch", "PartyNames", "closest", "directory", "find_list", "match_parties", "normalise",
           "unknown_party_notes"]


@dataclass(frozen=True)
class PartyNames:
    """Every name and alias a party was recorded under (as recorded and as corrected)."""

    key: str
    names: tuple[str, ...]
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class PartyMatch:
    """A party that a search text matched, and the rule that matched it: key, name, alias or substring (part of
    its key, a name or an alias, as whole words, the last perhaps cut short)."""

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
            if isinstance(action, EntityListed | EntryAmended | EntityDelisted | ListingAnnounced):
                names.update(dict.fromkeys([action.party.name] if action.party.name else []))
                aliases.update(dict.fromkeys(action.party.aliases or ()))
    return {key: PartyNames(key, tuple(n), tuple(a)) for key, (n, a) in sorted(found.items())}


def match_parties(parties: dict[str, PartyNames], text: str) -> tuple[PartyMatch, ...]:
    """The parties `text` names: by exact key, else by a name, alias or key equal after folding, else by one that
    holds the text as whole words (see the module's docstring); NotFoundError with the closest names if none."""
    exact = text.strip()
    by_key = tuple(PartyMatch(p.key, _name(p), "key") for p in parties.values() if p.key == exact)
    if by_key:
        return by_key
    wanted = names.key(text)
    equal = [found for p in parties.values() if wanted and (found := _equal(p, text, wanted)) is not None]
    if equal:
        preferred = [match for match, same in equal if same] or [match for match, _ in equal]
        return tuple(preferred)
    within = tuple(PartyMatch(p.key, _name(p), "substring") for p in parties.values() if wanted and _within(p, wanted))
    if within:
        return within
    raise NotFoundError("party", text, _suggested(parties, text))


def _equal(party: PartyNames, text: str, wanted: str) -> tuple[PartyMatch, bool] | None:
    """The match when a name, alias or the key of `party` folds to `wanted` (the first of them to, in that order),
    and whether one is the same as `text` with its legal forms too."""
    fields = (("name", party.names), ("alias", party.aliases), ("key", (party.key,)))
    rule = next((rule for rule, values in fields if any(names.key(v) == wanted for v in values)), None)
    if rule is None:
        return None
    folded = names.fold(text)
    same = any(names.fold(v) == folded for _, values in fields for v in values)
    return PartyMatch(party.key, _name(party), rule), same


def _within(party: PartyNames, wanted: str) -> bool:
    return any(names.contains(names.key(v), wanted, prefix=True) for v in (party.key, *party.names, *party.aliases))


def _suggested(parties: dict[str, PartyNames], text: str, count: int = 5) -> list[str]:
    """The parties whose key or a name is closest to `text`, each once, as `KEY (NAME)`."""
    holders: dict[str, list[PartyNames]] = {}
    for party in parties.values():
        for label in dict.fromkeys((party.key, *party.names)):
            holders.setdefault(label, []).append(party)
    chosen = dict.fromkeys(p.key for label in closest(text, holders, count=4 * count) for p in holders[label])
    return [f"{key} ({name})" if (name := _name(parties[key])) else key for key in list(chosen)[:count]]


def _name(party: PartyNames) -> str | None:
    return party.names[-1] if party.names else None


def unknown_party_notes(text: str, when: str, suggestions: Sequence[str]) -> tuple[str, ...]:
    """What an answer says when `text` names no party: not on any list `when` (e.g. "on 2019-08-20"), no party by
    that name in the ledger, and the closest names when there are any. Names are quoted as given: whoever shows a
    note escapes what it must (the text memo its control characters, the reports their markup)."""
    notes = [f'"{text}": not on any list {when} (no party by that name in the ledger)']
    if suggestions:
        quoted = ", ".join(f'"{name}"' for name in suggestions)
        notes.append(f"did you mean {quoted}? (the closest names in the ledger)")
    return tuple(notes)


def find_list(entries: Iterable[Entry], list_key: str) -> str:
    """`list_key` when the ledger holds that list; NotFoundError with the closest list keys otherwise."""
    known = sorted({s[1] for s in group_by_subject(entries) if s[0] == "listing"})
    if list_key in known:
        return list_key
    raise NotFoundError("list", list_key, closest(list_key, known))


def closest(text: str, labels: Iterable[str], count: int = 5) -> list[str]:
    """The labels most like `text`, as a whole or by one of their words (e.g. `huawai` → `huawei-technologies`),
    compared folded (`names.fold`)."""
    wanted = names.fold(text)
    scored: dict[str, float] = {}
    for label in labels:
        folded = names.fold(label)
        words = [folded, *folded.split(" ")]
        score = max(difflib.SequenceMatcher(None, wanted, word).ratio() for word in words if word)
        if score >= 0.6:
            scored[label] = max(score, scored.get(label, 0.0))
    return sorted(scored, key=lambda label: (-scored[label], label))[:count]
