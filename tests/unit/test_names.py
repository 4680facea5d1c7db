"""The name normaliser (projections.names): one party's spellings fold to one key; legal forms are weak tokens."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regledger.projections.names import Token, contains, fold, key, script, tokens


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Huawei Technologies Co., Ltd.", "huawei technologies co ltd"),
     ("ＨＵＡＷＥＩ", "huawei"),  # full-width letters (NFKC)
     ("Huawéi  Téchnologies", "huawei technologies"),
     ("華為技術有限公司", "华为技术有限公司"),  # Traditional as Simplified
     ("McDonald’s Corp.", "mcdonalds corp"),
     ("S.A. de C.V.", "sa de cv"),
     ("Acme S. A.", "acme sa"),
     ("Huawei-Technologies/Shenzhen", "huawei technologies shenzhen"),
     ("Huawei\u200bTech", "huaweitech"),  # a zero-width space is invisible: it goes
     ("ООО «Ромашка»", "ооо ромашка"),
     ("Straße", "strasse"),
     ("\u0661\u0662\u0663 Co", "123 co"),  # Arabic-Indic digits
     ("", "")],
)
def test_fold_normalises_characters_and_keeps_the_words(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("spellings", "expected"),
    [(["Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES CO LTD", "huawei technologies co ltd",
       "Huawei Technologies Company Limited", "Huawei Technologies GmbH & Co. KG", "huawei-technologies"],
      "huawei technologies"),
     (["華為技術有限公司", "华为技术有限公司", "華為技術", "华为 技术", "华为技术股份有限公司"], "华为技术"),
     (["Eagle Eye Sp. z o.o.", "Eagle Eye Sp. z o. o.", "EAGLE EYE"], "eagle eye"),
     (["OOO Romashka", "Romashka LLC", "Romashka"], "romashka"),
     (["PT Bank Mandiri Tbk", "Bank Mandiri"], "bank mandiri"),
     (["株式会社東芝", "東芝株式会社", "东芝"], "东芝"),
     (["Acme S.A. de C.V.", "ACME SA DE CV", "Acme"], "acme")],
)
def test_spellings_of_one_name_share_one_key(spellings: list[str], expected: str) -> None:
    assert {key(s) for s in spellings} == {expected}


def test_legal_forms_are_weak_tokens_only_at_the_ends_of_a_name() -> None:
    assert tokens("Huawei Technologies Co., Ltd.") == (
        Token("huawei", "latin"), Token("technologies", "latin"), Token("co", "latin", weak=True),
        Token("ltd", "latin", weak=True))
    assert [t.weak for t in tokens("Siemens AG Österreich")] == [False, False, False]  # AG inside the name
    assert [t.weak for t in tokens("OOO Romashka")] == [True, False]  # a prefix form
    assert [t.weak for t in tokens("Limited Brands Inc")] == [False, False, True]  # `Limited` is no prefix


def test_a_chinese_name_is_one_token_with_its_legal_form_split_off() -> None:
    assert tokens("華為技術有限公司") == (Token("华为技术", "han"), Token("有限公司", "han", weak=True))
    assert key("中兴通讯股份有限公司北京分公司") == "中兴通讯股份有限公司北京分公司"  # a branch keeps 公司


def test_a_name_made_only_of_legal_forms_keeps_them_in_its_key() -> None:
    assert key("Co., Ltd.") == "co ltd"
    assert all(t.weak for t in tokens("Co., Ltd."))


def test_tokens_carry_their_script() -> None:
    found = {t.text: t.script for t in tokens("Huawei 华为 Ромашка 2019 トヨタ")}

    assert found == {"huawei": "latin", "华为": "han", "ромашка": "cyrillic", "2019": "number", "トヨタ": "kana"}
    assert (script("a"), script("華"), script("가"), script("7")) == ("latin", "han", "hangul", "digit")


@pytest.mark.parametrize(
    ("whole", "part", "found"),
    [("huawei cloud computing technologies", "huawei cloud computing", True),
     ("huawei cloud computing technologies", "cloud computing", True),
     ("huawei technologies", "huawei", True),
     ("aztec", "zte", False),
     ("huaweitech", "huawei", False),
     ("华为技术", "华为", True),
     ("华为技术", "技术", True),
     ("huawei 华为技术", "huawei 华为", True),
     ("huawei", "", False)],
)
def test_contains_finds_whole_words_and_any_run_of_unspaced_script(whole: str, part: str, found: bool) -> None:
    assert contains(whole, part) is found


PIECES = [*"abcXYZ .,-&'éü華為华为技術有限公司株式会社ООО", "Co", "Ltd", " GmbH", " S.A. ", "Sp. z o.o."]
NAMES = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)


@given(NAMES)
def test_key_depends_only_on_the_fold_and_is_idempotent(text: str) -> None:
    assert key(fold(text)) == key(text)
    assert key(key(text)) == key(text)
    assert fold(fold(text)) == fold(text)


def test_contains_with_prefix_lets_the_last_word_be_cut_short() -> None:
    assert contains("huawei technologies", "huawei tech", prefix=True)
    assert not contains("huawei technologies", "huawei tech")
    assert not contains("aztec", "zte", prefix=True)  # the start is still a word's start
