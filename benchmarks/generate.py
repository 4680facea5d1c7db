"""Realistic synthetic histories in the timeline format, deterministic for a seed.

Parties with aliases in several scripts (some gaining aliases later), each on one list or on two, listed, amended,
confirmed, delisted and relisted; measures proposed, opened for comment (again), adopted, extended (some after a
lapse), expired and withdrawn, and positions taken on them; meetings scheduled, moved, postponed, held or cancelled;
positions on topics restated; corrections and retractions. Dates spread over 30 years. Every history is valid for
the ledger's guards when recorded in the order given.

    python -m benchmarks.generate --events 10000 --seed 7 -o history.json
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

__all__ = ["generate"]

START = date(1995, 1, 1)
DAYS = 30 * 365
LISTS = ["us-bis-entity-list", "us-bis-meu-list", "us-bis-unverified-list", "us-ofac-sdn", "us-bis-denied-persons",
         "eu-sanctions-list"]
TIERS = ["official"] * 6 + ["statement", "attributed", "attributed", "anonymous"]
SYLLABLES = ["hua", "wei", "zhong", "xing", "tele", "com", "tech", "nova", "sino", "gen", "mar", "ko", "tan", "ri"]
CJK = "华為华为中兴通讯科技有限公司电子集团"
CYRILLIC = "абвгдежзиклмнопрстуфх"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
COUNTRIES = ["CN", "RU", "IR", "KP", "SY", "AE", "HK", "NO", "TR", "BY"]


def generate(events: int, seed: int = 0) -> list[dict[str, Any]]:
    """At least `events` actions (whole histories only), in an order the ledger accepts: by publication date."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    actions: list[dict[str, Any]] = []
    makers = [(_party_history, 6), (_measure_history, 2), (_meeting_history, 1), (_position_history, 1)]
    counter = 0
    while len(actions) < events:
        maker = rng.choices([m for m, _ in makers], weights=[w for _, w in makers])[0]
        actions.extend(maker(rng, counter))
        counter += 1
    actions.sort(key=lambda a: (a["published_on"], a.get("effective_on") or a["published_on"], a["_order"]))
    for action in actions:
        del action["_order"]
    return actions


def _day(rng: random.Random, after: date | None = None, within: int = DAYS) -> date:
    base = after or START
    span = min(within, max(1, (START + timedelta(days=DAYS) - base).days))
    return base + timedelta(days=rng.randint(1, span))


def _source(rng: random.Random, n: int) -> dict[str, Any]:
    tier = rng.choice(TIERS)
    if tier == "official":
        return {"citation": f"{rng.randint(60, 90)} FR {rng.randint(1, 80000)}", "document_number": f"doc-{n}",
                "publisher": "Federal Register", "reliability": tier}
    return {"title": f"Report {n}", "publisher": rng.choice(["Reuters", "Politico", "AFP"]), "reliability": tier}


def _name(rng: random.Random) -> str:
    return " ".join(rng.choice(SYLLABLES).capitalize() + rng.choice(SYLLABLES) for _ in range(2)) + " Co., Ltd."


def _aliases(rng: random.Random, at_least: int = 0) -> list[str]:
    alphabets = [CJK, CYRILLIC, ARABIC]
    count = rng.randint(at_least, 3)
    return ["".join(rng.choice(rng.choice(alphabets)) for _ in range(rng.randint(2, 6))) for _ in range(count)]


def _sequence(rng: random.Random, start: date, count: int) -> Iterator[tuple[date, date]]:
    """`count` (effective_on, published_on) pairs after `start`, both increasing (so that publication order, the
    order of recording, keeps each subject's story in order)."""
    day = published = start
    for _ in range(count):
        day = _day(rng, day, within=400)
        published = max(published, day + timedelta(days=rng.choice([0, 0, 1, 2, 5, 14])))
        yield day, published


def _action(
    kind: str, n: int, order: int, when: tuple[date, date], rng: random.Random, **fields: Any
) -> dict[str, Any]:
    effective, published = when
    return {"kind": kind, "id": f"g{order}-{n}", "effective_on": effective.isoformat(),
            "published_on": published.isoformat(), "sources": [_source(rng, n)], "_order": (order, n), **fields}


def _party_history(rng: random.Random, order: int) -> list[dict[str, Any]]:
    party = {"key": f"party-{order}", "name": _name(rng), "aliases": _aliases(rng), "country": rng.choice(COUNTRIES)}
    lists = rng.sample(LISTS, 2 if rng.random() < 0.25 else 1)  # some parties are on two lists
    out: list[dict[str, Any]] = []
    for list_key in lists:
        out += _listing_history(rng, order, list_key, party, first_n=len(out))
    return out + _amendments(rng, order, out)


def _listing_history(rng: random.Random, order: int, list_key: str, party: dict[str, Any],
                     first_n: int) -> list[dict[str, Any]]:
    steps = list(_sequence(rng, _day(rng, within=DAYS - 2000), rng.randint(1, 8)))
    out = [_action("entity_listed", first_n, order, steps[0], rng, list=list_key, party=party,
                   details={"license_policy": "Presumption of denial"})]
    listed = True
    for n, when in enumerate(steps[1:], start=first_n + 1):
        ref = {"list": list_key, "party": {"key": party["key"]}}
        roll = rng.random()
        if listed and roll < 0.45:
            if rng.random() < 0.2:  # the entry gains an alias, in any script
                ref["party"] = {"key": party["key"], "aliases": [*party["aliases"], *_aliases(rng, at_least=1)]}
            out.append(_action("entry_amended", n, order, when, rng, **ref,
                               details={"license_policy": rng.choice(["Case-by-case", "Presumption of denial"])}))
        elif listed and roll < 0.6:
            out.append(_action("entity_listed", n, order, when, rng, **ref))  # a confirmation
        elif listed:
            out.append(_action("entity_delisted", n, order, when, rng, **ref))
            listed = False
        else:
            out.append(_action("entity_listed", n, order, when, rng, **ref))  # a relisting
            listed = True
    return out


def _measure_history(rng: random.Random, order: int) -> list[dict[str, Any]]:
    measure = {"key": f"measure-{order}", "title": f"Rule {order}"}
    steps = list(_sequence(rng, _day(rng, within=DAYS - 2000), rng.randint(2, 7)))
    ref = {"measure": {"key": measure["key"]}}
    out = [_action("measure_proposed", 0, order, steps[0], rng, measure=measure,
                   comments_close_on=(steps[0][0] + timedelta(days=60)).isoformat())]
    expires = steps[1][0] + timedelta(days=rng.choice([90, 180, 365]))
    out.append(_action("measure_adopted", 1, order, steps[1], rng, **ref, expires_on=expires.isoformat(),
                       parameters={"de_minimis_percent": rng.choice([10, 25])}))
    for n, when in enumerate(steps[2:], start=2):
        if n == len(steps) - 1 and rng.random() < 0.3:
            out.append(_action(rng.choice(["measure_withdrawn", "measure_expired"]), n, order, when, rng, **ref))
            break
        if rng.random() < 0.15:  # comments invited again
            out.append(_action("comment_period_opened", n, order, when, rng, **ref,
                               comments_close_on=(when[0] + timedelta(days=30)).isoformat()))
            continue
        expires = max(expires, when[0]) + timedelta(days=rng.choice([45, 90, 180]))
        out.append(_action("measure_amended", n, order, when, rng, **ref, expires_on=expires.isoformat()))
    return out + _positions_on(rng, order, measure["key"], steps[0][1]) + _amendments(rng, order, out)


def _positions_on(rng: random.Random, order: int, measure_key: str, proposed: date) -> list[dict[str, Any]]:
    """Now and then agencies state where they stand on a measure, after it was proposed."""
    if rng.random() >= 0.3:
        return []
    steps = _sequence(rng, proposed, rng.randint(1, 3))
    return [_action("position_stated", 100 + n, order, when, rng, actor=f"actor-{rng.randrange(40)}",
                    measure={"key": measure_key}, stance=rng.choice(["supports", "opposes", "undecided"]),
                    certainty=rng.choice(["certain", "likely", "possible"]))
            for n, when in enumerate(steps)]


def _meeting_history(rng: random.Random, order: int) -> list[dict[str, Any]]:
    steps = list(_sequence(rng, _day(rng, within=DAYS - 1000), rng.randint(1, 4)))
    meeting = {"key": f"meeting-{order}", "title": f"Meeting {order}"}
    out = [_action("meeting_scheduled", 0, order, steps[0], rng, meeting=meeting,
                   date=(steps[0][0] + timedelta(days=20)).isoformat())]
    ref = {"meeting": {"key": meeting["key"]}}
    for n, when in enumerate(steps[1:], start=1):
        last = n == len(steps) - 1
        if last:
            kind = rng.choice(["meeting_held", "meeting_cancelled"])
            out.append(_action(kind, n, order, when, rng, **ref))
        elif rng.random() < 0.5:
            out.append(_action("meeting_rescheduled", n, order, when, rng, **ref,
                               date=(when[0] + timedelta(days=15)).isoformat()))
        else:
            out.append(_action("meeting_postponed", n, order, when, rng, **ref))
    return out


def _position_history(rng: random.Random, order: int) -> list[dict[str, Any]]:
    subject = {"actor": f"actor-{order % 40}", "topic": f"topic-{order}"}
    steps = _sequence(rng, _day(rng, within=DAYS - 1000), rng.randint(1, 4))
    return [_action("position_stated", n, order, when, rng, **subject,
                    stance=rng.choice(["supports", "opposes", "undecided", "neutral"]))
            for n, when in enumerate(steps)]


def _amendments(rng: random.Random, order: int, history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Now and then a correction of a note, or the retraction of a confirmation nothing depends on."""
    out = []
    for target in history:
        if rng.random() < 0.05:
            out.append(_fix(rng, order, target, "correction", fields={"note": "corrected"}))
        elif rng.random() < 0.05 and target["kind"] == "entity_listed" and target["id"].split("-")[1] != "0":
            later = [a for a in history if a["_order"] > target["_order"]]
            if all(a["kind"] == "entity_listed" for a in later):  # nothing later depends on it
                out.append(_fix(rng, order, target, "retraction", reason="not borne out"))
    return out


def _fix(rng: random.Random, order: int, target: dict[str, Any], kind: str, **fields: Any) -> dict[str, Any]:
    published = date.fromisoformat(target["published_on"]) + timedelta(days=rng.randint(1, 90))
    key = "corrects" if kind == "correction" else "retracts"
    return {"kind": kind, "id": f"{kind[:4]}-{target['id']}", key: target["id"], "published_on": published.isoformat(),
            "sources": [_source(rng, 0)], "_order": (order, 10_000 + len(target["id"])), **fields}


def main() -> None:
    """Write a history as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, required=True)
    arguments = parser.parse_args()
    arguments.output.write_text(json.dumps(generate(arguments.events, arguments.seed)), encoding="utf-8")


if __name__ == "__main__":
    main()
