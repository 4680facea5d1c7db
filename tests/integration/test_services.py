"""The services called directly, without the command line, on SQLite and PostgreSQL: the shell's work (parsing,
printing) is not needed to record, ask, report, verify or import."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from regledger.adapters.services import (
    Axes,
    BackwardWindowError,
    Selection,
    UnknownNameError,
    Window,
    checkpoints,
    checks,
    imports,
    projection,
    queries,
    recording,
    reports,
)
from regledger.adapters.wiring import open_stores
from regledger.domain.values import Reliability
from regledger.projections import Diff
from tests.conftest import EXAMPLE, ROOT

FEDERAL_REGISTER = ROOT / "tests" / "fixtures" / "federal-register"
HUAWEI = "huawei-technologies"
ENTITY_LIST = "us-bis-entity-list"


class Heard:
    """A progress that keeps every report."""

    def __init__(self) -> None:
        self.reports: list[tuple[str, int, int | None]] = []

    def __call__(self, step: str, done: int, total: int | None = None) -> None:
        self.reports.append((step, done, total))


@pytest.fixture
def recorded(db: str) -> str:
    """The bundled case, recorded through the service."""
    with open_stores(db, write=recording.WRITES) as stores:
        recording.record(stores, recording.read_actions([EXAMPLE]))
    return db


def test_recording_stores_each_action_once(db: str) -> None:
    actions = recording.read_actions([EXAMPLE])

    with open_stores(db, write=recording.WRITES) as stores:
        first = recording.record(stores, actions)
        again = recording.record(stores, actions)
    with open_stores(db, write=queries.WRITES) as stores:
        logged = queries.log(stores)

    assert len(actions) > 0
    assert (first.recorded, first.skipped, again.recorded, again.skipped) == (len(actions), 0, 0, len(actions))
    assert first.recorded_at is not None
    assert again.recorded_at is None
    assert sorted(s.action.id or "" for s in logged) == sorted(a.action.id or "" for a in actions)
    assert [s.position for s in logged] == sorted(s.position for s in logged)


def test_as_of_cuts_the_state_to_the_party_an_alias_names(recorded: str) -> None:
    """Published by 2019-05-17 the rule is on public inspection (since 2019-05-16), not yet in the Federal Register
    (2019-05-21): the entry is official, citing the public-inspection document and no Federal Register page. The
    party's state is its whole position: the rule that listed it applies to it."""
    with open_stores(recorded, write=queries.WRITES) as stores:
        selected = queries.as_of(stores, Axes(published_by=date(2019, 5, 17)).on(date(2019, 5, 17)),
                                 Selection(party="華為"))

    assert [(m.party, m.rule) for m in selected.matches] == [(HUAWEI, "alias")]
    assert list(selected.answer.lists) == [ENTITY_LIST]
    [entry] = selected.answer.lists[ENTITY_LIST]
    assert (entry.party, entry.listed_on, entry.reliability) == (HUAWEI, date(2019, 5, 16), "official")
    kinds = [citation.kind for citation in entry.citations]
    assert "public_inspection" in kinds
    assert "federal_register" not in kinds
    assert all(citation.published_on <= date(2019, 5, 17) for citation in entry.citations)
    assert [measure.key for measure in selected.answer.measures] == ["us-bis-el-rule-2019-05-huawei"]
    assert selected.answer.meetings == ()


def test_as_of_names_the_input_of_an_unknown_list(recorded: str) -> None:
    with open_stores(recorded, write=queries.WRITES) as stores, pytest.raises(UnknownNameError) as refused:
        queries.as_of(stores, Axes().on(date(2019, 5, 17)), Selection(list_key="no-such-list"))

    assert refused.value.named == "list"
    assert "no-such-list" in refused.value.problem


def _huawei_transitions(answer: Diff) -> list[tuple[date, str | None, str | None]]:
    """Huawei's entry's status transitions in the window: (day, from, to)."""
    return [(t.on, t.before, t.after) for t in answer.transitions if t.subject == f"{ENTITY_LIST}/{HUAWEI}"]


def test_diff_shows_the_announced_listing_added_by_the_rule(recorded: str) -> None:
    """Announced on 2019-05-15 (the agency and the press), in force from 2019-05-16 by the rule: not in force on D1
    and in force on D2, so added (by legal effect), its announcement as its state before."""
    with open_stores(recorded, write=queries.WRITES) as stores:
        selected = queries.diff(stores, Window(date(2019, 5, 15), date(2019, 5, 21)), Axes())

    changes = selected.answer.lists[ENTITY_LIST]
    assert HUAWEI not in [change.key for change in (*changes.amended, *changes.removed)]
    [change] = [change for change in changes.added if change.key == HUAWEI]
    assert change.before is not None
    assert change.after is not None
    assert (change.before.status, change.after.status) == ("announced", "in_force")
    assert (change.before.reliability, change.after.reliability) == ("statement", "official")
    assert change.after.listed_on == date(2019, 5, 16)
    assert change.after.details["license_policy"] == "Presumption of denial"
    assert _huawei_transitions(selected.answer) == [(date(2019, 5, 16), "announced", "in_force")]


def test_diff_under_a_minimum_tier_leaves_out_the_press(recorded: str) -> None:
    with open_stores(recorded, write=queries.WRITES) as stores:
        selected = queries.diff(stores, Window(date(2019, 5, 15), date(2019, 5, 21)),
                                Axes(min_reliability=Reliability.OFFICIAL), Selection(list_key=ENTITY_LIST))

    changes = selected.answer.lists[ENTITY_LIST]
    [added] = [change for change in changes.added if change.key == HUAWEI]
    assert selected.list_key == ENTITY_LIST
    assert added.before is None  # the announcement rests on an agency statement and the press: not official
    assert added.after is not None
    assert (added.after.status, added.after.reliability) == ("in_force", "official")
    assert all(citation.reliability == "official" for citation in added.after.citations)
    assert (changes.pending, changes.announced) == ((), ())
    assert _huawei_transitions(selected.answer) == [(date(2019, 5, 16), None, "in_force")]


def test_a_window_that_runs_backward_is_refused() -> None:
    with pytest.raises(BackwardWindowError) as refused:
        Window(date(2019, 5, 21), date(2019, 5, 15))

    assert (refused.value.start, refused.value.end) == (date(2019, 5, 21), date(2019, 5, 15))


def test_history_gives_each_listing_action_with_its_retraction(recorded: str) -> None:
    """Huawei's entry, action by action: the announcement (no effective date), the rule, the press report of a
    wrong effective date retracted on 2019-05-21, and the rules that amended the entry."""
    with open_stores(recorded, write=queries.WRITES) as stores:
        result = queries.history(stores, HUAWEI, Axes())

    assert [(item.id, item.kind, item.status) for item in result.items] == [
        ("ann-2019-05-15-huawei-listing-announced", "listing_announced", "recorded"),
        ("el-2019-05-16-huawei", "entity_listed", "recorded"),
        ("el-2019-05-17-huawei-convergedigest-report", "entity_listed", "retracted"),
        ("el-2019-08-19-huawei-entry-revised", "entry_amended", "recorded"),
        ("el-2020-05-15-huawei-footnote-1", "entry_amended", "recorded"),
        ("el-2020-06-18-huawei-standards-exclusion", "entry_amended", "recorded"),
    ]
    assert result.items[0].effective_on is None
    [retraction] = result.items[2].amendments
    assert (retraction.kind, retraction.id, retraction.published_on) == (
        "retraction", "retr-2019-05-21-convergedigest-effective-date", date(2019, 5, 21))
    assert all(not item.amendments for item in result.items if item.status == "recorded")
    assert {item.subject for item in result.items} == {f"{ENTITY_LIST}/{HUAWEI}"}


def test_history_names_the_input_of_an_unknown_subject(recorded: str) -> None:
    with open_stores(recorded, write=queries.WRITES) as stores, pytest.raises(UnknownNameError) as refused:
        queries.history(stores, "nothing-of-that-name", Axes())

    assert refused.value.named == "subject"


def test_a_party_report_is_data_with_the_circumstances_it_was_produced_in(recorded: str) -> None:
    with open_stores(recorded, write=reports.WRITES) as stores:
        report = reports.party(stores, HUAWEI, Axes(), date(2020, 1, 20), "asked by a test")
        place = stores.settings.display

    assert report.kind == "party"
    assert report.data["party"]["key"] == HUAWEI
    ledger = f"{report.data['ledger_size']} events, head digest {report.data['ledger_head']}"  # never its place
    assert (report.data["command"], report.data["ledger"]) == ("asked by a test", ledger)
    assert (report.produced.command, report.produced.ledger) == ("asked by a test", ledger)
    assert place not in json.dumps(report.data)
    assert [listing["list"] for listing in report.data["listings"]] == [ENTITY_LIST]


def test_verify_holds_and_a_checkpoint_it_signed_is_extended(recorded: str, tmp_path: Path) -> None:
    pair = checkpoints.keygen(tmp_path / "keys" / "signer.pem")
    heard = Heard()
    with open_stores(recorded, write=checkpoints.WRITES) as stores:
        signed = checkpoints.checkpoint(stores, checkpoints.read_private_key(pair.private))
    assert signed.checkpoint is not None

    with open_stores(recorded, write=checks.WRITES) as stores:
        verified = checks.verify(stores, signed.checkpoint, checks.read_public_key(pair.public), heard)

    assert verified.holds
    assert verified.verification.verified == signed.checkpoint.size > 36
    assert verified.checkpoint is not None
    assert verified.checkpoint.findings == ()
    assert heard.reports[-1] == ("verify", signed.checkpoint.size, signed.checkpoint.size)


def test_a_federal_register_dry_run_previews_and_stores_nothing(recorded: str) -> None:
    heard = Heard()
    with open_stores(recorded, write=imports.WRITES) as stores:
        before = len(queries.log(stores))
        run = imports.FederalRegisterRun(stores, imports.FederalRegisterOptions(dry_run=True))
        refusal = run.add(FEDERAL_REGISTER / "tgl-2020-notices.json", heard)
        done = run.finish()
        after = len(queries.log(stores))

    assert refusal is None
    assert (done.dry_run, done.refused, after) == (True, 0, before)
    assert done.recorded > 0
    assert done.preview is not None
    assert done.preview.startswith(f"DRY RUN: what recording {done.recorded} new action(s) would change")
    assert heard.reports[0][0] == "documents"


def test_a_refused_file_is_reported_and_the_others_still_imported(db: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with open_stores(db, write=imports.WRITES) as stores:
        run = imports.FederalRegisterRun(stores, imports.FederalRegisterOptions())
        run.add(FEDERAL_REGISTER / "eo-13873.json")
        refusal = run.add(broken)
        done = run.finish()
        logged = queries.log(stores)

    assert refusal is not None
    assert refusal.startswith(f"{broken}: not valid JSON")
    assert (done.refused, done.recorded, done.preview) == (1, len(logged), None)
    assert done.recorded > 0


def test_rebuild_reports_the_events_it_applies_out_of_all_of_them(recorded: str) -> None:
    heard = Heard()
    with open_stores(recorded, write=projection.WRITES) as stores:
        done = projection.rebuild(stores, batch=10, progress=heard)
        head = stores.ledger.recorder.max_notification_id()

    events = [(done_, total) for step, done_, total in heard.reports if step == "events"]
    assert done.position == head
    assert events[-1] == (done.applied, head)
    assert {total for _, total in events} == {head}
    with open_stores(recorded, write=checks.WRITES) as stores:
        found = checks.check_views(stores, samples=2, seed=1)
    assert found.behind is None
    assert found.checked is not None
    assert found.checked.differences == ()
