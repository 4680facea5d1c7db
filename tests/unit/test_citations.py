"""The citation renderer (adapters/render/citations.py): every source kind in Bluebook form and in plain form, CFR
references, Bluebook dates, the memo order of sources, and the `bluebook` string the JSON answers carry."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from regledger.adapters.render.answers_json import citation_json
from regledger.adapters.render.answers_text import citation_style, sources
from regledger.adapters.render.citations import (
    Part,
    as_text,
    bluebook,
    bluebook_date,
    cfr_bluebook,
    cite_order,
    cite_parts,
    fr_bluebook,
)
from regledger.projections.items import Citation


def _source(**given: Any) -> dict[str, Any]:
    found: dict[str, Any] = dict.fromkeys(("citation", "document_number", "url", "title", "publisher"))
    return {**found, "reliability": "official", "published_on": "2019-05-21", "kind": "other", "cfr": [], **given}


FR = _source(citation="84 FR 22961", document_number="2019-10616", title="Addition of Entities to the Entity List",
             publisher="Federal Register", kind="federal_register", cfr=["15 CFR part 744, supplement no. 4"])
PI = _source(citation="FR Doc. 2019-10616 (public inspection)", document_number="2019-10616",
             publisher="Federal Register (public inspection)", kind="public_inspection", published_on="2019-05-16")
ANNOUNCEMENT = _source(publisher="U.S. Department of Commerce", reliability="statement", kind="agency_announcement",
                       title="Commerce Addresses Huawei's Efforts to Undermine Entity List", published_on="2020-05-15")
PRESS = _source(publisher="Reuters", reliability="attributed", kind="press", published_on="2020-03-11",
                title="U.S. extends Huawei license")


def test_a_federal_register_source_is_cited_by_volume_page_and_issue_date_with_its_cfr_place() -> None:
    assert bluebook(FR) == "84 Fed. Reg. 22,961 (May 21, 2019) (codified at 15 C.F.R. pt. 744, supp. 4)"


def test_a_federal_register_source_without_a_page_is_cited_by_its_document_number_never_a_made_up_page() -> None:
    found = _source(document_number="2020-05190", kind="federal_register", published_on="2020-03-12",
                    title="Temporary General License: Extension of Validity")

    assert bluebook(found) == "Fed. Reg. Doc. No. 2020-05190 (Mar. 12, 2020)"


def test_a_public_inspection_document_is_cited_by_document_number_and_filing_date() -> None:
    assert bluebook(PI) == "Federal Register Public Inspection, Doc. No. 2019-10616 (filed May 16, 2019)"


def test_a_public_inspection_document_names_where_it_will_be_codified_and_its_title_in_italics() -> None:
    found = {**PI, "title": "Addition of Entities to the Entity List", "cfr": ["15 CFR 744.11"]}

    parts = cite_parts(found)

    assert Part("Addition of Entities to the Entity List", italic=True) in parts
    assert as_text(parts) == ("Addition of Entities to the Entity List, Federal Register Public Inspection, Doc. No. "
                              "2019-10616 (filed May 16, 2019) (to be codified at 15 C.F.R. § 744.11)")


def test_an_agency_announcement_is_cited_by_agency_title_in_italics_and_date() -> None:
    parts = cite_parts(ANNOUNCEMENT)

    assert parts[1] == Part("Commerce Addresses Huawei's Efforts to Undermine Entity List", italic=True)
    assert as_text(parts) == ("U.S. Department of Commerce, Commerce Addresses Huawei's Efforts to Undermine Entity "
                              "List (May 15, 2020)")


def test_an_announcement_with_no_title_is_named_by_its_citation_text() -> None:
    found = {**ANNOUNCEMENT, "title": None, "citation": "Commerce Department announcement of 15 May 2019"}

    assert cite_parts(found) == (Part("U.S. Department of Commerce, "),
                                 Part("Commerce Department announcement of 15 May 2019"), Part(" (May 15, 2020)"))


def test_a_press_report_is_cited_as_outlet_title_in_italics_and_date() -> None:
    assert cite_parts(PRESS) == (Part("Reuters, "), Part("U.S. extends Huawei license", italic=True),
                                 Part(" (Mar. 11, 2020)"))


def test_a_press_report_with_no_title_is_named_by_its_url() -> None:
    found = {**PRESS, "title": None, "url": "https://www.reuters.com/x"}

    assert bluebook(found) == "Reuters, https://www.reuters.com/x (Mar. 11, 2020)"


def test_a_statement_is_cited_by_its_author_title_and_date() -> None:
    found = _source(publisher="The White House", reliability="statement", published_on="2020-05-13",
                    title="Text of a Letter from the President")

    assert bluebook(found) == "The White House, Text of a Letter from the President (May 13, 2020)"


def test_a_court_or_other_source_is_cited_by_publisher_title_and_date() -> None:
    court = _source(kind="court", publisher="U.S. District Court for the District of Columbia",
                    title="An illustrative order", published_on="2021-03-04")

    assert cite_parts(court)[1] == Part("An illustrative order", italic=True)
    assert bluebook(court) == "U.S. District Court for the District of Columbia, An illustrative order (Mar. 4, 2021)"


def test_the_plain_style_is_the_label_regledger_has_always_shown() -> None:
    assert as_text(cite_parts(FR, "plain")) == "84 FR 22961"
    assert as_text(cite_parts(PRESS, "plain")) == "U.S. extends Huawei license"


@pytest.mark.parametrize(("written", "cited"), [
    ("15 CFR 744.11", "15 C.F.R. § 744.11"),
    ("15 CFR part 744, supplement no. 4", "15 C.F.R. pt. 744, supp. 4"),
    ("15 C.F.R. pt. 744, supp. 4", "15 C.F.R. pt. 744, supp. 4"),
    ("15 CFR 734.9(e)", "15 C.F.R. § 734.9(e)"),
    ("15 CFR 736.2(b)(3)(vi)", "15 C.F.R. § 736.2(b)(3)(vi)"),
    ("15 CFR part 744, supplement no. 4, footnote 1", "15 C.F.R. pt. 744, supp. 4 n.1"),
    ("15 CFR part 744", "15 C.F.R. pt. 744"),
    ("not a reference", "not a reference"),
])
def test_cfr_references_take_the_bluebook_form(written: str, cited: str) -> None:
    assert cfr_bluebook(written) == cited


@pytest.mark.parametrize(("day", "written"), [
    (date(2019, 5, 21), "May 21, 2019"), ("2019-09-09", "Sept. 9, 2019"), ("2020-06-18", "June 18, 2020"),
    ("2020-07-14", "July 14, 2020"), ("2020-03-11", "Mar. 11, 2020"), ("2020-12-22", "Dec. 22, 2020"), (None, ""),
])
def test_dates_take_the_bluebook_month_abbreviations(day: date | str | None, written: str) -> None:
    assert bluebook_date(day) == written


def test_a_federal_register_page_gains_its_thousands_separator() -> None:
    assert fr_bluebook("85 FR 8722") == "85 Fed. Reg. 8,722"
    assert fr_bluebook("FR Doc. 2019-10616") is None


def test_official_sources_come_first_then_by_tier_kind_and_date() -> None:
    ordered = cite_order([PRESS, ANNOUNCEMENT, PI, FR])

    assert ordered == [FR, PI, ANNOUNCEMENT, PRESS]


def test_the_json_answers_carry_the_cfr_places_and_the_bluebook_string() -> None:
    citation = Citation("84 FR 22961", "2019-10616", None, None, "Federal Register", "official", date(2019, 5, 21),
                        "federal_register", ("15 CFR part 744, supplement no. 4",))

    found = citation_json(citation)

    assert found["cfr"] == ["15 CFR part 744, supplement no. 4"]
    assert found["bluebook"] == "84 Fed. Reg. 22,961 (May 21, 2019) (codified at 15 C.F.R. pt. 744, supp. 4)"


def test_the_text_memos_cite_plainly_unless_asked_for_the_bluebook_style() -> None:
    press = Citation(None, None, "https://www.reuters.com/x", "U.S. extends Huawei license", "Reuters", "attributed",
                     date(2020, 3, 11), "press")
    issue = Citation("84 FR 22961", "2019-10616", None, None, "Federal Register", "official", date(2019, 5, 21),
                     "federal_register")

    plain = sources([press, issue], "")
    with citation_style("bluebook"):
        memo = sources([press, issue], "")

    assert plain.startswith("Sources: U.S. extends Huawei license (attributed; press 2020-03-11; Reuters;")
    assert memo == ("Sources: 84 Fed. Reg. 22,961 (May 21, 2019) (official); Reuters, U.S. extends Huawei license "
                    "(Mar. 11, 2020) (attributed).")
    assert sources([issue], "").startswith("Sources: 84 FR 22961 (official;")  # the style does not outlive the block
