"""The screening matcher (projections.matching): the issue's names against the bundled case, each feature on its
own, the explanation, country evidence, and the candidate index against the exhaustive path."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from regledger.projections.matching import (
    DEFAULT_REVIEW,
    DEFAULT_THRESHOLD,
    MATCHER_VERSION,
    Counterparty,
    Match,
    Matcher,
    Name,
    best_per_party,
    forms_of,
    library_versions,
    score,
)

CASE = Path(__file__).resolve().parents[2] / "examples" / "huawei-2019-2020.yaml"


@cache
def case_names() -> tuple[Name, ...]:
    """Every name and alias of every party of the bundled case, from its listing actions."""
    found: list[Name] = []
    seen: set[str] = set()
    for action in yaml.safe_load(CASE.read_text(encoding="utf-8")):
        party = action.get("party")
        if action.get("kind") not in ("entity_listed", "listing_announced") or not party or party["key"] in seen:
            continue
        seen.add(party["key"])
        addresses = tuple(party.get("addresses") or ())
        found.append(Name(party["key"], party["name"], "name", party.get("country"), addresses))
        found += [Name(party["key"], alias, "alias", party.get("country"), addresses)
                  for alias in party.get("aliases") or ()]
    return tuple(found)


@cache
def case_matcher() -> Matcher:
    return Matcher(case_names())


def best(text: str, country: str | None = None) -> Match:
    found = case_matcher().match(Counterparty(text, country), 0.0)
    assert found, text
    return found[0]


def one(text: str, party: str = "p", kind: str = "name", country: str | None = None,
        addresses: tuple[str, ...] = ()) -> Name:
    return Name(party, text, kind, country, addresses)


# -- the issue's Done-when names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "party"),
    [("Huawei Technologies Co. Ltd", "huawei-technologies"),
     ("華為技術", "huawei-technologies"),
     ("HUAWEI TECHS CO", "huawei-technologies"),
     ("Technologies Huawei", "huawei-technologies"),
     ("Hisilicon Shanghai", "shanghai-hisilicon-technologies"),
     ("华为云计算技术有限公司", "huawei-cloud-computing-technology"),
     ("Huawei Marine", "huawei-marine-networks")],
)
def test_the_issue_names_find_their_parties(text: str, party: str) -> None:
    assert party in {n.party for n in case_names()}  # the key is the case's
    match = best(text)
    assert match.name.party == party
    assert match.score >= DEFAULT_THRESHOLD


def test_hawaii_technologies_is_not_a_match_against_any_party() -> None:
    assert case_matcher().match(Counterparty("Hawaii Technologies"), DEFAULT_THRESHOLD) == []
    assert case_matcher().match_exhaustive(Counterparty("Hawaii Technologies"), DEFAULT_THRESHOLD) == []


def test_huawei_marine_is_matched_through_its_alias_and_names_it() -> None:
    match = best("Huawei Marine")
    assert (match.name.kind, match.name.text) == ("alias", "Huawei Marine")


# -- features ------------------------------------------------------------------------------------------------------


def test_an_exact_name_scores_one_whatever_the_case_punctuation_and_legal_form() -> None:
    match = score(Counterparty("HUAWEI TECHNOLOGIES CO LTD"), one("Huawei Technologies Co., Ltd."))
    assert match.score == 1.0
    assert (match.query_normalised, match.name_normalised) == ("huawei technologies", "huawei technologies")


def test_word_order_does_not_matter() -> None:
    straight = score(Counterparty("Shanghai HiSilicon Technologies"), one("Shanghai HiSilicon Technologies"))
    swapped = score(Counterparty("HiSilicon Technologies Shanghai"), one("Shanghai HiSilicon Technologies"))
    assert dict_of(swapped)["tokens"] == dict_of(straight)["tokens"] == 1.0


def test_legal_forms_are_weak_but_not_ignored() -> None:
    same = score(Counterparty("Acme Widgets GmbH"), one("Acme Widgets GmbH"))
    other = score(Counterparty("Acme Widgets GmbH"), one("Acme Widgets Ltd"))
    bare = score(Counterparty("Acme Widgets"), one("Acme Widgets Ltd"))
    assert same.score == bare.score == 1.0
    assert DEFAULT_THRESHOLD <= other.score < same.score
    assert dict_of(other)["legal_form"] < 0


@pytest.mark.parametrize(
    ("short", "long"),
    [("Huawei Techs", "Huawei Technologies"), ("Huawei Tech", "Huawei Technologies"),
     ("Huawei Intl", "Huawei International"), ("Acme Intl Trading", "Acme International Trading")],
)
def test_abbreviations_match_the_words_they_shorten(short: str, long: str) -> None:
    assert score(Counterparty(short), one(long)).score >= DEFAULT_THRESHOLD


def test_initials_stand_for_a_run_of_words() -> None:
    initials = score(Counterparty("H.T. Acme"), one("Hyper Telecom Acme"))
    unrelated = score(Counterparty("Q.Z. Acme"), one("Hyper Telecom Acme"))
    assert initials.score >= DEFAULT_REVIEW > unrelated.score
    assert best("H.T.").name.party in {"huawei-technologies", "huawei-technology-egypt"}


def test_a_word_is_not_the_initials_of_a_run_holding_itself() -> None:
    # `El` would otherwise cover `El Lounka` as its initials, and every `El … Shipping` name would reach review
    assert score(Counterparty("El Houbukou Shipping S.R.L."), one("El Lounka Shipping Company")).score < DEFAULT_REVIEW
    assert score(Counterparty("Al Drohi Trading LLC"), one("Al Luki Trading LLC")).score < DEFAULT_REVIEW


@pytest.mark.parametrize(("short", "long"), [("KAGE", "Krakige"), ("Rota", "Retota"), ("ООО «Гоха»", "ООО «Гохива»")])
def test_letters_in_order_abbreviate_only_when_they_drop_vowels(short: str, long: str) -> None:
    assert score(Counterparty(short), one(long)).score < DEFAULT_REVIEW


def test_in_arabic_only_a_prefix_abbreviates() -> None:
    # written without short vowels, any short word has its letters in order in a long one: `اللس` in `البرلينسو`
    assert score(Counterparty("شركة البرلينسو للطاقة"), one("شركة اللس للطاقة")).score < DEFAULT_REVIEW
    assert score(Counterparty("الرتون شركة للطاقة"), one("شركة الرو للطاقة")).score < DEFAULT_REVIEW
    assert dict_of(score(Counterparty("البرلين للطاقة"), one("البرلينسو للطاقة")))["tokens"] >= 0.9


def test_arabic_company_and_generic_words_weigh_as_their_english() -> None:
    # `شركة` is `Company` (a legal form); `للتجارة` is `for trading` (a generic word)
    arabic = score(Counterparty("شركة البرلينسو للتجارة"), one("البرلينسو")).score
    assert arabic >= DEFAULT_REVIEW
    assert abs(arabic - score(Counterparty("Barlinso Trading Company"), one("Barlinso")).score) < 0.01
    assert score(Counterparty("شركة البرلينسو للتجارة"), one("شركة الكتن للتجارة")).score < DEFAULT_REVIEW
    english = score(Counterparty("Barlinso Trading Company"), one("Kutan Trading Company")).score
    assert english < DEFAULT_REVIEW


def test_generic_words_written_in_pinyin_weigh_as_their_english() -> None:
    # 信息 (`xinxi`, information): a city and a generic word in common are not a possible match, in any script
    assert score(Counterparty("南京联创信息"), one("Nanjing Keguang Xinxi Co., Ltd.")).score < DEFAULT_REVIEW
    english = score(Counterparty("Nanjing Lianchuang Information"), one("Nanjing Keguang Information"))
    assert english.score < DEFAULT_REVIEW
    assert score(Counterparty("南京联创信息"), one("Nanjing Lianchuang Xinxi Co., Ltd.")).score >= DEFAULT_THRESHOLD


def test_free_zone_forms_are_legal_forms_not_abbreviations() -> None:
    # FZE and FZCO (UAE free-zone companies) are legal forms: `FZE` does not abbreviate `Fozen`
    assert score(Counterparty("Drola Materials FZE"), one("Fozen Materials LLC")).score < DEFAULT_REVIEW
    assert score(Counterparty("Voho Metals FZCO"), one("Fizico Metals LLC")).score < DEFAULT_REVIEW
    assert score(Counterparty("Drola Materials FZE"), one("Drola Materials LLC")).score >= DEFAULT_THRESHOLD


def test_an_abbreviation_that_drops_vowels_still_counts() -> None:
    assert dict_of(score(Counterparty("Acme Mfg"), one("Acme Manufacturing")))["tokens"] > 0.9
    assert dict_of(score(Counterparty("Acme Natl"), one("Acme National")))["tokens"] > 0.9


def test_a_transliteration_is_never_abbreviated_across_scripts() -> None:
    # `tinli` has the letters of `tianjinkangli` (天津康利 in pinyin) in order, `tianjin` begins it: neither is an
    # abbreviation of a transliterated word; the glossary's English words still are (`techs`)
    assert score(Counterparty("天津康利能源有限公司"), one("TINLI ENERGY")).score < DEFAULT_REVIEW
    assert score(Counterparty("天津康利能源有限公司"), one("Tianjin Kedexni Energy")).score < DEFAULT_REVIEW
    listed = one("Tianjin Kangli Energy Co., Ltd.")
    assert score(Counterparty("天津康利能源有限公司"), listed).score >= DEFAULT_THRESHOLD
    assert score(Counterparty("HUAWEI TECHS CO"), one("华为技术有限公司")).score >= DEFAULT_REVIEW


def test_typos_are_forgiven_by_edit_distance_but_a_different_word_is_not() -> None:
    typo = score(Counterparty("Huawie Technologies"), one("Huawei Technologies"))
    transposed = score(Counterparty("Hauwei Technologies"), one("Huawei Technologies"))
    near_miss = score(Counterparty("Hawaii Technologies"), one("Huawei Technologies"))
    assert typo.score >= DEFAULT_THRESHOLD
    assert transposed.score >= DEFAULT_THRESHOLD
    assert near_miss.score < DEFAULT_REVIEW


def test_split_and_joined_words_compare_equal() -> None:
    assert score(Counterparty("Hua Wei Technologies"), one("Huawei Technologies")).score == 1.0
    assert score(Counterparty("BellHuawei Technologies"), one("Bel Huawei Technologies LLC")).score >= DEFAULT_REVIEW


def test_traditional_and_simplified_chinese_compare_in_their_own_script() -> None:
    match = score(Counterparty("華為技術有限公司"), one("华为技术"))
    assert match.score == 1.0
    assert "cross_script" not in dict_of(match)
    assert score(Counterparty("華為"), one("华为技术")).score < DEFAULT_THRESHOLD  # characters, not one token


@pytest.mark.parametrize(
    ("query", "name"),
    [("Huawei Jishu", "华为技术"), ("Hua Wei Ji Shu", "華為技術"),
     ("华为技术有限公司", "Huawei Technologies Co., Ltd."),
     ("Хуавэй Текнолоджиз", "Huawei Technologies"), ("Хуавей", "Huawei")],
)
def test_cross_script_names_compare_through_a_latin_transliteration(query: str, name: str) -> None:
    match = score(Counterparty(query), one(name))
    assert match.score >= DEFAULT_THRESHOLD
    assert dict_of(match)["cross_script"] < 0
    assert "compared as" in next(f.note for f in match.features if f.name == "tokens")


def test_arabic_is_compared_by_its_consonants() -> None:
    arabic = score(Counterparty("هواوي"), one("Huawei"))
    assert arabic.score >= DEFAULT_REVIEW
    assert score(Counterparty("هواوي"), one("Toga")).score < DEFAULT_REVIEW


def test_country_raises_or_lowers_the_score_but_never_filters() -> None:
    name = one("Huawei Tech Investment", country="HK")
    none = score(Counterparty("Huawei Tech Investment Co"), name)
    same = score(Counterparty("Huawei Tech Investment Co", "HK"), name)
    other = score(Counterparty("Huawei Tech Investment Co", "QA"), name)
    assert other.score < none.score
    assert "country" not in dict_of(none)
    assert dict_of(same)["country"] > 0 > dict_of(other)["country"]
    assert other.score >= DEFAULT_THRESHOLD  # evidence, not a filter
    found = case_matcher().match(Counterparty("Huawei Tech Investment", "QA"), DEFAULT_THRESHOLD)
    assert found[0].name.party == "huawei-tech-investment-limited"  # the Qatari entry ranks first
    assert {"huawei-tech-investment-co-limited", "huawei-tech-investment-co"} <= {m.name.party for m in found}


def test_an_address_given_raises_the_score_when_it_overlaps() -> None:
    name = one("Huawei Cloud Beijing", country="CN", addresses=("Beijing, CN",))
    plain = score(Counterparty("Huawei Cloud Beijing Co"), name)
    placed = score(Counterparty("Huawei Cloud Beijing Co", address="Haidian District, Beijing"), name)
    elsewhere = score(Counterparty("Huawei Cloud Beijing Co", address="Dalian"), name)
    assert dict_of(placed)["address"] > 0
    assert "address" not in dict_of(elsewhere)
    assert "address" not in dict_of(plain)


def test_every_match_is_explained() -> None:
    match = score(Counterparty("華為技術", "CN"), one("Huawei Technologies Co., Ltd.", country="CN"))
    names = [f.name for f in match.features]
    assert names[:2] == ["tokens", "characters"]
    assert "cross_script" in names
    assert "country" in names
    assert all(f.note for f in match.features)
    assert match.explanation.startswith("0.85 x tokens")
    assert f"= {match.score:.4f}" in match.explanation
    parts = {f.name: f for f in match.features}
    total = sum(f.weight * f.value for f in match.features)
    assert abs(match.score - min(1.0, max(0.0, total))) < 1e-3  # the features add up to the score
    assert parts["tokens"].weight + parts["characters"].weight == 1.0


def test_scores_are_between_zero_and_one_and_rounded() -> None:
    for text in ("Huawei", "Zzz", "华为", "ООО Ромашка", "Huawei Technologies Co., Ltd."):
        for name in case_names()[:20]:
            value = score(Counterparty(text, "CN"), name).score
            assert 0.0 <= value <= 1.0
            assert round(value, 4) == value


def test_version_and_libraries_are_stated() -> None:
    assert MATCHER_VERSION
    assert set(library_versions()) == {"rapidfuzz", "pypinyin", "anyascii", "opencc"}
    assert library_versions()["rapidfuzz"].startswith("3.")


# -- the matcher and its index -----------------------------------------------------------------------------------


def test_match_gives_the_best_alias_per_party_by_score_then_key() -> None:
    found = case_matcher().match(Counterparty("华为"), DEFAULT_REVIEW)
    assert len({m.name.party for m in found}) == len(found)
    assert [(-m.score, m.name.party) for m in found] == sorted((-m.score, m.name.party) for m in found)
    top = found[0]
    assert (top.name.party, top.name.kind, top.score) == ("huawei-technologies", "alias", 1.0)


def test_the_index_never_returns_every_name_for_a_specific_query() -> None:
    every = len(case_names())
    for text in ("Toga Networks", "Hisilicon Shanghai", "Smartcom Hong Kong", "上海海思", "Huaxin Optics Ltd",
                 "Centre for Integrated Photonics"):
        assert len(case_matcher().candidates(Counterparty(text))) < every / 4, text
    assert case_matcher().candidates(Counterparty("Qwerty Zxcv")) == []
    assert len(case_matcher().exhaustive(Counterparty("x"))) == every


def test_the_index_finds_what_the_exhaustive_path_finds_above_review() -> None:
    queries = ["Huawei Technologies", "華為技術", "HUAWEI TECHS CO", "Technologies Huawei", "Hisilicon Shanghai",
               "华为云计算技术有限公司", "Huawei Marine", "Huwaei Technolgies", "Hua Wei Ji Shu", "Хуавэй Текнолоджиз",
               "هواوي", "H.T.", "Huawei Intl", "Shenzen Huawei Agison Electric", "Bel Huawei", "OpenLab Paris",
               "Songshan Lake Factory", "Ulan Qab Huawei", "Xunwei Tech", "Longshine Information"]
    for text in queries:
        row = Counterparty(text)
        indexed = {(m.name.party, m.score) for m in case_matcher().match(row, DEFAULT_REVIEW)}
        exhaustive = {(m.name.party, m.score) for m in case_matcher().match_exhaustive(row, DEFAULT_REVIEW)}
        assert indexed == exhaustive, text


def test_the_index_finds_a_word_with_a_letter_added_or_left_out() -> None:
    names = [one("ООО «Висе»", "short"), one("Gesorn Shipping", "long"), one("Sorrax Elektron", "latin"),
             *(one(f"Filler{n} Holdings", f"f{n}") for n in range(50))]
    matcher = Matcher(names)
    for text, party in (("ООО «Винсе»", "short"), ("Gesor Shipping", "long"), ("ООО «Поракс Электрон»", "latin")):
        found = {n.party for n in matcher.candidates(Counterparty(text))}
        assert party in found, text
        assert {m.name.party for m in matcher.match_exhaustive(Counterparty(text), DEFAULT_REVIEW)} <= found, text


def test_a_generic_word_does_not_make_every_name_holding_it_a_candidate() -> None:
    names = [one(f"{brand} Electronics Co., Ltd.", brand) for brand in ("Buvo", "Kelta", "Marox", "Tefi", "Zorla")]
    assert {n.party for n in Matcher(names).candidates(Counterparty("Buvo Electronics PJSC"))} == {"Buvo"}


def test_scores_are_the_same_with_the_forms_read_once() -> None:
    names = case_names()
    forms = forms_of(names)
    for text in ("Huawei Technologies", "華為技術", "Hisilicon Shanghai", "Хуавэй", "هواوي"):
        row = Counterparty(text, "CN")
        assert best_per_party(row, names, 0.3, forms) == best_per_party(row, names, 0.3), text


def test_an_empty_matcher_finds_nothing() -> None:
    assert Matcher([]).match(Counterparty("Huawei"), 0.0) == []


def dict_of(match: Match) -> dict[str, float]:
    return {f.name: f.value for f in match.features}
