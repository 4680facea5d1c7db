"""Each detail and parameter carries the action that set it as it stands and that action's tier as seen."""

from __future__ import annotations

from regledger.domain import action_adapter
from regledger.domain.index import index_key
from regledger.projections.codec import item_data, item_of
from tests.unit.fold_kit import Book, adopted, amended, listed, src


def _amendment(party: str, effective: str, details: dict, sources: list, **extra) -> dict:
    return {"kind": "entry_amended", "list": "us-bis-entity-list", "party": {"key": party},
            "effective_on": effective, "published_on": effective, "sources": sources, "details": details, **extra}


def _book() -> Book:
    book = Book()
    book.record(
        listed("huawei", "2019-05-16", id="rule", details={"license_policy": "Presumption of denial",
                                                           "wind_down": "none"}),
        _amendment("huawei", "2019-06-01", {"wind_down": "2019-09-14"}, [src("Law firm alert", "attributed")],
                   id="alert"),
    )
    return book


def test_each_detail_names_the_action_that_set_it_and_its_tier() -> None:
    entry = _book().entry("2019-07-01")

    assert entry.reliability == "official"
    assert entry.details_provenance == {
        "license_policy": {"set_by": "rule", "reliability": "official"},
        "wind_down": {"set_by": "alert", "reliability": "attributed"},
    }


def test_before_the_amendment_the_listing_set_every_detail() -> None:
    entry = _book().entry("2019-05-20")

    assert entry.details_provenance["wind_down"] == {"set_by": "rule", "reliability": "official"}


def test_a_value_set_by_a_correction_names_the_correction() -> None:
    book = _book()
    book.record({"kind": "correction", "id": "fix", "corrects": "alert", "fields": {"details.wind_down": "2019-09-15"},
                 "published_on": "2019-06-10", "sources": [src("85 FR 1", "statement")]})

    entry = book.entry("2019-07-01")
    assert entry.details["wind_down"] == "2019-09-15"
    assert entry.details_provenance["wind_down"] == {"set_by": "fix", "reliability": "statement"}
    assert entry.details_provenance["license_policy"] == {"set_by": "rule", "reliability": "official"}
    assert book.entry("2019-07-01", published_by="2019-06-09").details_provenance["wind_down"]["set_by"] == "alert"


def test_an_action_without_an_id_is_named_by_its_content_key() -> None:
    mapping = _amendment("huawei", "2019-06-01", {"wind_down": "2019-09-14"}, [src("Law firm alert", "attributed")])
    book = Book()
    book.record(listed("huawei", "2019-05-16", details={"license_policy": "Presumption of denial"}), mapping)

    found = book.entry("2019-07-01").details_provenance["wind_down"]["set_by"]
    assert found.startswith("sha256:")
    assert found == index_key(action_adapter.validate_python(mapping))


def test_the_tier_is_the_one_seen_under_the_axes_and_the_key_the_recorded_one() -> None:
    mapping = _amendment("huawei", "2019-06-01", {"wind_down": "2019-09-14"},
                         [src("Law firm alert", "attributed"), src("85 FR 2", "official", published_on="2019-06-20")])
    book = Book()
    book.record(listed("huawei", "2019-05-16"), mapping)
    recorded = index_key(action_adapter.validate_python(mapping))

    assert book.entry("2019-07-01").details_provenance["wind_down"] == {"set_by": recorded, "reliability": "official"}
    early = book.entry("2019-07-01", published_by="2019-06-10").details_provenance["wind_down"]
    assert early == {"set_by": recorded, "reliability": "attributed"}


def test_each_parameter_names_the_adoption_or_amendment_that_set_it() -> None:
    book = Book()
    book.record(
        adopted("fdp", "2020-05-15", id="fdp-rule", parameters={"footnote": "1", "wind_down_ends_on": "2020-09-14"}),
        amended("fdp", "2020-05-20", id="fdp-alert", parameters={"wind_down_ends_on": "2020-09-15"},
                sources=[src("Law firm alert", "attributed")]),
    )

    measure = book.measure("2020-06-01", "fdp")
    assert measure.parameters_provenance == {
        "footnote": {"set_by": "fdp-rule", "reliability": "official"},
        "wind_down_ends_on": {"set_by": "fdp-alert", "reliability": "attributed"},
    }
    assert item_of("measure", item_data(measure)) == measure


def test_the_read_model_codec_keeps_the_provenance() -> None:
    entry = _book().entry("2019-07-01")

    assert item_of("listing", item_data(entry)) == entry
