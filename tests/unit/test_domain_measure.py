"""Measure: its status on a date (revoked > withdrawn > expired > in force > pending > proposed > draft), extensions
and guards."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from regledger.domain import HistoryError, Measure, MeasureState, measure_status, measure_step
from regledger.domain.actions import Action
from regledger.domain.errors import MeasureWithdrawnError
from regledger.domain.history import Entry, resolve
from regledger.domain.measure import measure_id

from .domain_kit import FIRST_RUN, act

TGL = {"key": "tgl-huawei", "title": "Temporary general license for Huawei"}


def proposed(on: str, **fields: Any) -> Action:
    return act("measure_proposed", on=on, measure=TGL, **fields)


def adopted(on: str, **fields: Any) -> Action:
    return act("measure_adopted", on=on, measure=TGL, **fields)


def amended(on: str, **fields: Any) -> Action:
    return act("measure_amended", on=on, **fields)


def expired(on: str) -> Action:
    return act("measure_expired", on=on)


def withdrawn(on: str) -> Action:
    return act("measure_withdrawn", on=on)


def state_on(day: str, *actions: Action) -> MeasureState:
    """The measure built from `actions` (recorded in that order) effective by `day`, in legal order."""
    entries = [Entry(seq, FIRST_RUN, a) for seq, a in enumerate(actions, start=1)]
    state = MeasureState()
    for _entry, action in resolve(entries):
        if action.effective_on <= date.fromisoformat(day):
            state = measure_step(state, action, strict=True)
    return state


def status_on(day: str, *actions: Action, adoption_pending: bool = False) -> str | None:
    return measure_status(state_on(day, *actions), date.fromisoformat(day), adoption_pending=adoption_pending)


def measure(*actions: Action) -> Measure:
    subject = Measure.register("tgl-huawei")
    for action in actions:
        subject.record(action)
    return subject


# -- status precedence ---------------------------------------------------------------------------------------------


def test_a_measure_with_no_action_in_effect_has_no_status() -> None:
    assert status_on("2019-05-01", proposed("2019-05-20")) is None


def test_a_proposed_measure_is_proposed() -> None:
    assert status_on("2019-05-20", proposed("2019-05-20")) == "proposed"


def test_a_comment_period_alone_makes_a_measure_proposed() -> None:
    assert status_on("2019-06-01", act("comment_period_opened", on="2019-06-01", measure=TGL)) == "proposed"


def test_a_published_adoption_not_yet_effective_makes_it_pending_over_proposed() -> None:
    assert status_on("2019-05-20", proposed("2019-05-20"), adoption_pending=True) == "pending"


def test_in_force_wins_over_pending() -> None:
    assert status_on("2019-05-20", adopted("2019-05-20"), adoption_pending=True) == "in_force"


def test_expired_wins_over_in_force() -> None:
    assert status_on("2019-08-20", adopted("2019-05-20"), expired("2019-08-20")) == "expired"


def test_a_withdrawal_of_an_adopted_measure_reads_as_a_revocation_and_wins_over_expired() -> None:
    assert status_on("2019-09-01", adopted("2019-05-20"), expired("2019-08-20"), withdrawn("2019-09-01")) == "revoked"


def test_an_explicit_expiry_of_a_measure_never_adopted_makes_it_expired() -> None:
    assert status_on("2019-08-20", proposed("2019-05-20"), expired("2019-08-20")) == "expired"


def test_a_withdrawn_proposal_is_withdrawn() -> None:
    assert status_on("2019-07-01", proposed("2019-05-20"), withdrawn("2019-07-01")) == "withdrawn"


# -- expiry and extensions -------------------------------------------------------------------------------------------


def test_a_measure_is_in_force_through_its_expiry_date() -> None:
    tgl = adopted("2019-05-20", expires_on="2019-08-19")

    assert status_on("2019-08-19", tgl) == "in_force"
    assert status_on("2019-08-20", tgl) == "expired"


def test_an_extension_on_the_day_it_expires_keeps_it_in_force() -> None:
    tgl = adopted("2019-05-20", expires_on="2019-08-19")
    extension = amended("2019-08-19", expires_on="2019-11-18")

    statuses = [status_on(day, tgl, extension) for day in ("2019-08-19", "2019-08-20", "2019-11-18", "2019-11-19")]

    assert statuses == ["in_force", "in_force", "in_force", "expired"]


def test_an_extension_after_a_lapse_leaves_an_expired_gap() -> None:
    tgl = adopted("2019-05-20", expires_on="2019-08-19")
    extension = amended("2019-08-25", expires_on="2019-11-18")

    statuses = [status_on(day, tgl, extension) for day in ("2019-08-19", "2019-08-22", "2019-08-25")]

    assert statuses == ["in_force", "expired", "in_force"]


def test_an_extension_revives_a_measure_expired_explicitly() -> None:
    actions = (adopted("2019-05-20"), expired("2019-08-20"), amended("2019-09-01", expires_on="2019-11-18"))

    assert (status_on("2019-08-25", *actions), status_on("2019-09-01", *actions)) == ("expired", "in_force")


def test_an_amendment_without_a_new_expiry_does_not_revive_an_expired_measure() -> None:
    actions = (adopted("2019-05-20"), expired("2019-08-20"), amended("2019-09-01", parameters={"note_text": "x"}))

    assert status_on("2019-09-01", *actions) == "expired"


def test_an_extension_recorded_before_a_lapse_it_follows_still_applies_in_legal_order() -> None:
    extension = amended("2019-08-19", expires_on="2019-11-18")
    tgl = adopted("2019-05-20", expires_on="2019-08-19")

    assert status_on("2019-09-01", tgl, extension) == status_on("2019-09-01", extension, tgl) == "in_force"


# -- state --------------------------------------------------------------------------------------------------------


def test_amended_parameters_replace_those_given_and_keep_the_others() -> None:
    actions = (
        adopted("2020-05-15", parameters={"de_minimis_percent": "25", "foreign_direct_product_footnote": "1"}),
        amended("2020-08-17", parameters={"de_minimis_percent": "10"}, title="FDPR, expanded"),
    )

    state = state_on("2020-08-17", *actions)

    assert state.parameters == {"de_minimis_percent": 10.0, "foreign_direct_product_footnote": "1"}
    assert state.title == "FDPR, expanded"


def test_a_reopened_comment_period_is_kept_beside_the_first() -> None:
    actions = (
        proposed("2019-05-20", comments_close_on="2019-06-20"),
        act("comment_period_opened", on="2019-07-01", comments_close_on="2019-07-31"),
    )

    state = state_on("2019-07-01", *actions)

    assert state.comment_periods == (
        (date(2019, 5, 20), date(2019, 6, 20)),
        (date(2019, 7, 1), date(2019, 7, 31)),
    )


def test_a_second_adoption_keeps_the_first_adoption_date_and_takes_its_new_expiry() -> None:
    actions = (adopted("2019-05-20", expires_on="2019-08-19"), adopted("2019-09-01", expires_on="2019-12-01"))

    state = state_on("2019-09-01", *actions)

    assert (state.adopted_on, state.expires_on) == (date(2019, 5, 20), date(2019, 12, 1))


def test_a_measures_title_comes_from_its_first_action() -> None:
    assert state_on("2019-09-01", adopted("2019-05-20"), amended("2019-08-19")).title == TGL["title"]


# -- guards -------------------------------------------------------------------------------------------------------


def test_a_measures_id_derives_from_its_key() -> None:
    assert Measure.register("tgl-huawei").id == measure_id("tgl-huawei") != measure_id("fdpr-2020")


@pytest.mark.parametrize(
    "change",
    [
        amended("2019-10-01", expires_on="2019-11-18"),
        adopted("2019-10-01"),
        act("comment_period_opened", on="2019-10-01"),
    ],
    ids=["amending", "re-adopting", "opening-comments"],
)
def test_changing_a_withdrawn_measure_is_refused(change: Action) -> None:
    subject = measure(adopted("2019-05-20"), withdrawn("2019-09-01"))

    with pytest.raises(MeasureWithdrawnError, match="'tgl-huawei' was revoked on 2019-09-01") as caught:
        subject.record(change)

    assert caught.value.field == "kind"
    assert len(subject.entries) == 2


def test_amending_a_measure_before_its_withdrawal_took_effect_is_accepted() -> None:
    subject = measure(adopted("2019-05-20"), withdrawn("2019-09-01"))

    subject.record(amended("2019-08-19", expires_on="2019-11-18"))

    assert isinstance(subject.pending_events[-1], Measure.Amended)


def test_a_withdrawal_effective_before_an_earlier_recorded_amendment_is_a_history_error() -> None:
    subject = measure(adopted("2019-05-20"), amended("2019-08-19", id="extension-1", expires_on="2019-11-18"))

    with pytest.raises(HistoryError, match="action 'extension-1' impossible"):
        subject.record(withdrawn("2019-08-01"))


def test_withdrawing_a_withdrawn_measure_again_is_accepted() -> None:
    subject = measure(adopted("2019-05-20"), withdrawn("2019-09-01"))

    subject.record(withdrawn("2019-10-01"))

    assert state_on("2019-10-01", *(e.action for e in subject.entries)).revoked_on == date(2019, 9, 1)


def test_a_lenient_step_ignores_an_amendment_of_a_withdrawn_measure() -> None:
    state = state_on("2019-09-01", adopted("2019-05-20"), withdrawn("2019-09-01"))

    after = measure_step(state, amended("2019-10-01", expires_on="2019-11-18"), strict=False)

    assert after == state
