"""The services called directly, without the command line, on SQLite and PostgreSQL: the shell's work (parsing,
printing) is not needed to record, ask, report, verify or import."""

from __future__ import annotations

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

    assert (first.recorded, first.skipped, again.recorded, again.skipped) == (36, 0, 0, 36)
    assert first.recorded_at is not None
    assert again.recorded_at is None
    assert sorted(s.action.id or "" for s in logged) == sorted(a.action.id or "" for a in actions)
    assert [s.position for s in logged] == sorted(s.position for s in logged)


def test_as_of_cuts_the_state_to_the_party_an_alias_names(recorded: str) -> None:
    with open_stores(recorded, write=queries.WRITES) as stores:
        selected = queries.as_of(stores, Axes(published_by=date(2019, 5, 17)).on(date(2019, 5, 17)),
                                 Selection(party="華為"))

    assert [(m.party, m.rule) for m in selected.matches] == [(HUAWEI, "alias")]
    assert list(selected.answer.lists) == [ENTITY_LIST]
    [entry] = selected.answer.lists[ENTITY_LIST]
    assert (entry.party, entry.listed_on, entry.reliability) == (HUAWEI, date(2019, 5, 16), "attributed")


def test_as_of_names_the_input_of_an_unknown_list(recorded: str) -> None:
    with open_stores(recorded, write=queries.WRITES) as stores, pytest.raises(UnknownNameError) as refused:
        queries.as_of(stores, Axes().on(date(2019, 5, 17)), Selection(list_key="no-such-list"))

    assert refused.value.named == "list"
    assert "no-such-list" in refused.value.problem


def test_diff_shows_the_press_report_confirmed_by_the_rule(recorded: str) -> None:
    with open_stores(recorded, write=queries.WRITES) as stores:
        selected = queries.diff(stores, Window(date(2019, 5, 15), date(2019, 5, 21)), Axes())

    [change] = selected.answer.lists[ENTITY_LIST].amended
    assert change.key == HUAWEI
    assert change.before is not None
    assert change.after is not None
    assert (change.before.reliability, change.after.reliability) == ("attributed", "official")
    assert change.after.details["license_policy"] == "Presumption of denial"


def test_diff_under_a_minimum_tier_leaves_out_the_press(recorded: str) -> None:
    with open_stores(recorded, write=queries.WRITES) as stores:
        selected = queries.diff(stores, Window(date(2019, 5, 15), date(2019, 5, 21)),
                                Axes(min_reliability=Reliability.OFFICIAL), Selection(list_key=ENTITY_LIST))

    [added] = selected.answer.lists[ENTITY_LIST].added
    assert (added.key, selected.list_key) == (HUAWEI, ENTITY_LIST)


def test_a_window_that_runs_backward_is_refused() -> None:
    with pytest.raises(BackwardWindowError) as refused:
        Window(date(2019, 5, 21), date(2019, 5, 15))

    assert (refused.value.start, refused.value.end) == (date(2019, 5, 21), date(2019, 5, 15))


def test_history_gives_each_listing_action_with_its_correction(recorded: str) -> None:
    with open_stores(recorded, write=queries.WRITES) as stores:
        result = queries.history(stores, "huawei", Axes())

    first = result.items[0]
    assert (first.id, first.status) == ("el-2019-05-15-huawei-reuters-report", "corrected")
    [change] = first.amendments[0].changes
    assert (change.before, change.after) == ("70", "68")
    assert {item.subject for item in result.items} == {f"{ENTITY_LIST}/{HUAWEI}"}


def test_history_names_the_input_of_an_unknown_subject(recorded: str) -> None:
    with open_stores(recorded, write=queries.WRITES) as stores, pytest.raises(UnknownNameError) as refused:
        queries.history(stores, "nothing-of-that-name", Axes())

    assert refused.value.named == "subject"


def test_a_party_report_is_data_with_the_circumstances_it_was_produced_in(recorded: str) -> None:
    with open_stores(recorded, write=reports.WRITES) as stores:
        report = reports.party(stores, "huawei", Axes(), date(2020, 1, 20), "asked by a test")
        ledger = stores.settings.display

    assert report.kind == "party"
    assert report.data["party"]["key"] == HUAWEI
    assert (report.data["command"], report.data["ledger"]) == ("asked by a test", ledger)
    assert (report.produced.command, report.produced.ledger) == ("asked by a test", ledger)
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
