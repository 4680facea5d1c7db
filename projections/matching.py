"""Screening a counterparty's name against every name and alias of the listed parties: a small scorer, explained,
and an in-memory index that finds the candidates without comparing a row with every name.

The method. Each name (the row's and each listed name or alias, scored on its own) is read through
`projections.names`: folded (Unicode NFKC, case folded, accents dropped, Traditional Chinese as Simplified,
punctuation as spaces) and cut into tokens, the legal forms at its ends marked weak. A name is then seen in one or
more *views*, each a list of strong tokens:

- `native`: the strong tokens as folded. Two names written in the same script compare in this view only (two
  Chinese names compare character by character, never through a transliteration).
- `latin` views, for a name with a token in another script than Latin: the tokens transliterated. Han goes
  through pypinyin without tones in three forms: syllable by syllable (华为技术 as `hua wei ji shu`), syllables
  joined per word (`huawei jishu`, words cut at the entries of a small glossary of business words), and with the
  glossary's words in English (`huawei technology`, 云计算 as `cloud computing`); other scripts (Cyrillic, Arabic,
  Greek, …) go through anyascii. Names in different scripts compare only in these views, with a small penalty.

The features, computed in each view pair, the best pair kept:

- `tokens` (weight 0.85): the two lists of strong tokens aligned one to one, best pairs first, in any order. Two
  tokens are alike when they are equal (1.0), one abbreviates the other (`tech`, `techs`, `intl`: the first letter
  equal and the short one, without a plural `s` and of three letters at least, a prefix of the long one, 0.9, or its
  letters in order in it keeping at most one vowel after the first, 0.85 — in Arabic or Hebrew, written without
  short vowels, only a prefix, of three letters after the article `ال`; across scripts only the glossary's English
  words are abbreviated, never a transliteration), one is the initials of a run of the other's tokens (0.9: `ht` for
  `huawei technologies`; never of a run holding the token itself), or they differ by a few typing errors (the
  optimal-string-alignment similarity, transpositions counting one, for words of four letters or more — shorter words
  must be equal; below 0.75 they are different words and count 0). Across scripts the typing errors are counted on a
  phonetic skeleton of both words (`kh` as `h`, `w` as `v`, `ch` and `c` as `k`, `zh` as `j`, doubled letters as one,
  …) and the floor is 0.7, so that `khuavei` is `huawei`; against Arabic or Hebrew, written without short vowels,
  words whose consonants are the same (`hwwy` and `huawei`) count 0.9. Han tokens compare by their characters (the
  Indel similarity; below 0.5 they count 0). Two adjacent tokens that together spell a token of the other name are
  joined first (`hua wei` and `huawei`). Each side's coverage is the weighted mean of its tokens' best likeness; a
  generic business word (`technologies`, `international`, `investment`, … `GENERIC_WORDS`; the same words in Arabic,
  `للتجارة`, and in pinyin, `xinxi`) weighs 0.3, any other word 1. The feature is 0.6 x the larger coverage + 0.4 x
  the smaller: a name that says more than the other (`Hisilicon Shanghai` against `Shanghai HiSilicon
  Technologies`) is a somewhat weaker match.
- `characters` (weight 0.15): the Indel similarity of the two views' strong tokens written without spaces: it
  catches joined and split words, and keeps a near miss (`Hawaii` for `Huawei`) from counting as a typo of a word.
- `cross_script` (an adjustment, -0.03): the names compared in different scripts, through a transliteration.
- `legal_form` (an adjustment, -0.02): both names carry legal forms and none is shared (`GmbH` against `Ltd`);
  legal forms are weak, never ignored.
- `country` (an adjustment): +0.03 when the row's country is the party's, -0.05 when it differs; nothing when
  either is unknown. Evidence, never a filter.
- `address` (an adjustment, up to +0.03): the share of the row's address tokens found in one of the party's
  recorded addresses; nothing when either is missing.

The score is `0.85 x tokens + 0.15 x characters` plus the adjustments, kept within 0..1 and rounded to 4
decimals. Defaults: `DEFAULT_THRESHOLD` 0.88 (a `match` at or above), `DEFAULT_REVIEW` 0.75 (`possible` at or
above). Measured on `tests/fixtures/screening/evaluation.csv` (see its test for the figures asserted).

The index (`Matcher`): each listed name is indexed by its strong tokens in every view (with their skeletons), two or
three adjacent tokens of a Latin view joined, its words of four letters or more whole and with one letter left out
(for typos; in a Latin view their skeletons too), the initials of each run of its tokens, its words' consonants, and
the character 3-grams of each view written without spaces. A row's candidates are the names sharing a strong token
that is not a generic word (or, for a longer word, one with a letter left out), one of the row's short words as
initials, its consonants when it is written in Arabic or Hebrew, or 60 % of the 3-grams of its words that are not
generic (`query_keys`). The read models' index leaves out a token more than `RARE` names hold when the row has a
rarer one (adapters/readmodels/reader.py). Every candidate is then scored in full; `Matcher.exhaustive` gives every
name and `Matcher.match_exhaustive` scores them all, for measuring what the index misses; the screening benchmark
measures the share of the exhaustive path's pairs the index finds.

Limits, said plainly: the glossary is small (the Chinese business words in `GLOSSARY`), so a Chinese name whose
English form translates other words than these is found through its pinyin only; pinyin is read by pypinyin's own
phrase choice (a rare reading of a character can be wrong); Arabic transliterations lack short vowels and score lower,
and their consonant rule also takes a different word with the same consonants (`Hawaii`) for the same word;
legal forms written in another script than the list knows (`Ko Ltd` in Cyrillic letters) count as words; a
name that is a translation rather than a transliteration (`Ulan Qab` for `Wulanchabu`) is found only through a
recorded alias. A screening takes its candidates from the read models' screening index (the same keys, stored by
adapters/readmodels, looked up by `query_keys`), or from this in-memory index when the read models are behind.
Bump `MATCHER_VERSION` whenever a score or a candidate can change (2: the typo keys reach words of four letters,
adjacent tokens are joined, and abbreviations by a word's beginning are indexed; 3: an abbreviation by letters in
order keeps at most one vowel after its first letter, across scripts only the glossary's English words are
abbreviated, a word is not the initials of a run holding itself, the typo keys hold each word whole and, in a Latin
view, its skeleton's keys, and a row's 3-grams leave out generic words, a candidate holding 60 % of them; 4: in
Arabic and Hebrew only a prefix abbreviates, generic words count in Arabic and pinyin too, `شركة` and the UAE's
free-zone forms `FZE`, `FZCO` are legal forms).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

from anyascii import anyascii
from pypinyin import Style, lazy_pinyin
from rapidfuzz.distance import OSA, Indel

from . import names as names_

__all__ = ["DEFAULT_REVIEW", "DEFAULT_THRESHOLD", "GENERIC_WORDS", "GLOSSARY", "GRAM_SHARE", "MATCHER_VERSION",
           "Counterparty", "Feature", "Form", "Match", "Matcher", "Name", "QueryKeys", "best_per_party", "forms_of",
           "index_keys", "library_versions", "query_keys", "score"]

MATCHER_VERSION = "4"
DEFAULT_THRESHOLD = 0.88
DEFAULT_REVIEW = 0.75

TOKENS_WEIGHT = 0.85
CHARACTERS_WEIGHT = 0.15
CROSS_SCRIPT = -0.03
LEGAL_FORM = -0.02
COUNTRY_SAME = 0.03
COUNTRY_DIFFERENT = -0.05
ADDRESS = 0.03
GENERIC_WEIGHT = 0.3

_GENERIC: frozenset[str] = frozenset({
    "technology", "technologies", "tech", "techs", "technical", "international", "intl", "investment", "group",
    "holding", "holdings", "trading", "trade", "industries", "industry", "industrial", "enterprise", "enterprises",
    "service", "services", "communication", "communications", "telecommunications", "telecom", "electronics",
    "electronic", "electric", "electrical", "software", "network", "networks", "systems", "system", "solutions",
    "digital", "information", "research", "development", "institute", "center", "centre", "global", "and", "the",
    "of", "for", "de", "do", "da", "del", "la", "le", "computer", "computing", "net",
    # the same words in Arabic, folded (`ة` as `ه`, hamza dropped), bare, with the article `ال` and with `لل` (for)
    *(f"{article}{word}" for word in ("تجاره", "الكترونيات", "تكنولوجيا", "تقنيه", "استثمار", "خدمات", "صناعات",
                                      "اتصالات", "برمجيات", "انظمه", "مجموعه") for article in ("", "ال", "لل")),
    "الدوليه", "الدولي", "دوليه", "القابضه",
})

# Chinese business words and their usual English (folded, Simplified): used for the `english` transliteration.
GLOSSARY: dict[str, str] = {
    "技术": "technology", "科技": "technology", "云": "cloud", "计算": "computing", "海洋": "marine",
    "网络": "networks", "终端": "terminal", "设备": "device", "器件": "device", "数字": "digital",
    "通信": "communication", "电子": "electronics", "国际": "international", "投资": "investment",
    "软件": "software", "研究所": "research institute", "研究院": "research institute", "研究": "research",
    "服务": "service", "贸易": "trade", "机器": "machine", "信息": "information", "电气": "electric",
    "集团": "group", "控股": "holdings", "实验室": "lab", "半导体": "semiconductor", "光电": "optoelectronics",
    "中国": "china", "香港": "hong kong", "分公司": "branch", "中心": "center", "工业": "industrial",
    "材料": "material", "移动": "mobile", "能源": "energy", "数据": "data", "系统": "systems",
}
_GLOSSARY_LONGEST = max(len(word) for word in GLOSSARY)
# The generic business words, and the pinyin of the glossary's words whose English is generic (`xinxi`, `dianzi`,
# `maoyi`): a generic word weighs as little written in pinyin as in English.
GENERIC_WORDS: frozenset[str] = _GENERIC | frozenset(
    "".join(lazy_pinyin(chinese, style=Style.NORMAL)) for chinese, english in GLOSSARY.items()
    if all(word in _GENERIC for word in english.split(" ")))
_ENGLISH = frozenset(word for words in GLOSSARY.values() for word in words.split(" "))  # abbreviated across scripts

_SKELETON = (("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ph", "f"), ("ck", "k"), ("ch", "k"), ("ies", "iz"),
             ("x", "ks"), ("c", "k"), ("w", "v"), ("y", "i"), ("q", "k"))
_VOWEL_LETTERS = frozenset("aeiouyаеёиоуыэюяіїєαεηιουω")  # Latin, Cyrillic and Greek (folded: lower case)
_ABJADS = frozenset({"arabic", "hebrew"})  # scripts written without short vowels
_ABJAD = 2  # the `cross` of a comparison with a script written without vowels (Arabic, Hebrew)
_VOWELS = str.maketrans(dict.fromkeys("aeiou", None))
_DOUBLED = re.compile(r"(.)\1+")


def library_versions() -> dict[str, str]:
    """The versions of the libraries a score depends on, as installed."""
    return {name: metadata.version(name) for name in ("rapidfuzz", "pypinyin", "anyascii", "opencc")}


@dataclass(frozen=True)
class Name:
    """One name or alias of a party, as recorded."""

    party: str
    text: str
    kind: str
    country: str | None
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Counterparty:
    """One row to screen."""

    name: str
    country: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Feature:
    """One part of a score: a similarity 0..1 with its weight, or an adjustment (weight 1)."""

    name: str
    value: float
    weight: float
    note: str


@dataclass(frozen=True)
class Match:
    """A row scored against one name or alias, with how the score was reached."""

    name: Name
    score: float
    query_normalised: str
    name_normalised: str
    features: tuple[Feature, ...]
    explanation: str


# -- views -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _View:
    label: str            # "native", "pinyin syllables", "pinyin words", "english", "latin"
    script: str           # "latin", "han", "cyrillic", … (native) or "latin" (a transliteration)
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Form:
    """A name as the scorer reads it: its lookup key, its weak tokens (legal forms), and its views."""

    key: str
    weak: frozenset[str]
    views: tuple[_View, ...]


def _segments(run: str) -> list[tuple[str, bool]]:
    """A Han run cut at the glossary's words, longest first: (text, in the glossary)."""
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(run):
        for size in range(min(_GLOSSARY_LONGEST, len(run) - i), 0, -1):
            if run[i:i + size] in GLOSSARY:
                out.append((run[i:i + size], True))
                i += size
                break
        else:
            if out and not out[-1][1]:
                out[-1] = (out[-1][0] + run[i], False)
            else:
                out.append((run[i], False))
            i += 1
    return out


def _pinyin(text: str) -> list[str]:
    return [s for s in lazy_pinyin(text, style=Style.NORMAL) if s.strip()]


def _latin(text: str) -> str:
    return names_.fold(anyascii(text))


@lru_cache(maxsize=1 << 16)
def _form(text: str) -> Form:
    tokens = names_.tokens(text)
    strong = [t for t in tokens if not t.weak] or list(tokens)
    weak = frozenset(t.text for t in tokens if t.weak and t not in strong)
    native = tuple(t.text for t in strong)
    scripts = {t.script for t in strong if t.script != "number"}
    main = "latin" if scripts <= {"latin"} else ("han" if scripts == {"han"} else "+".join(sorted(scripts)))
    views = [_View("native", main, native)]
    if main != "latin":
        syllables: list[str] = []
        words: list[str] = []
        english: list[str] = []
        for token in strong:
            if token.script == "han":
                for piece, known in _segments(token.text):
                    sounds = _pinyin(piece)
                    syllables += sounds
                    words.append("".join(sounds))
                    english += GLOSSARY[piece].split(" ") if known else ["".join(sounds)]
            else:
                latin = _latin(token.text).split(" ")
                syllables += latin
                words += latin
                english += latin
        for label, view in (("pinyin syllables", syllables), ("pinyin words", words), ("english", english)):
            view_tokens = tuple(t for t in view if t)
            if view_tokens and all(v.tokens != view_tokens for v in views[1:]):
                views.append(_View(label if scripts & {"han"} else "latin", "latin", view_tokens))
    return Form(names_.key(text), weak, tuple(views))


# -- token likeness ----------------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _skeleton(word: str) -> str:
    for old, new in _SKELETON:
        word = word.replace(old, new)
    return _DOUBLED.sub(r"\1", word)


@lru_cache(maxsize=1 << 16)
def _consonants(word: str) -> str:
    """The skeleton without vowels, doubled letters as one: what a script written without vowels keeps."""
    return _DOUBLED.sub(r"\1", _skeleton(word).translate(_VOWELS))


def _abbreviates(short: str, long: str) -> float:
    """0.9 when `short` (a plural `s` dropped) is a prefix of `long`, 0.85 when its letters are in `long` in
    order and it keeps at most one vowel after its first letter (`intl`, `mfg`, `natl`: an abbreviation drops
    vowels), with the first letter equal; 0 otherwise. In a script written without short vowels (Arabic, Hebrew)
    only a prefix abbreviates, of three letters at least after the article `ال`: there, letters in order are no
    sign of an abbreviation (`اللس` has its letters in order in `البرلينسو`)."""
    stem = short[:-1] if short.endswith("s") and len(short) > 3 else short
    if len(stem) < 3 or len(stem) >= len(long) or stem[0] != long[0] or not stem.isalpha():
        return 0.0
    if names_.script(stem[0]) in _ABJADS:
        return 0.9 if long.startswith(stem) and len(stem.removeprefix("ال")) >= 3 else 0.0
    if long.startswith(stem):
        return 0.9
    if sum(1 for c in stem[1:] if c in _VOWEL_LETTERS) > 1:
        return 0.0
    rest = iter(long)
    return 0.85 if all(c in rest for c in stem) else 0.0




@lru_cache(maxsize=1 << 18)
def _alike(a: str, b: str, cross: int) -> float:
    """How alike two tokens are, 0..1 (see the module's docstring)."""
    if a == b:
        return 1.0
    if names_.script(a[0]) == "han" or names_.script(b[0]) == "han":
        if names_.script(a[0]) != names_.script(b[0]):
            return 0.0
        return Indel.normalized_similarity(a, b, score_cutoff=0.5)  # 0 below the cutoff
    best = max(_abbreviates(a, b) if not cross or b in _ENGLISH else 0.0,
               _abbreviates(b, a) if not cross or a in _ENGLISH else 0.0)
    if min(len(a), len(b)) > 3:
        if cross:
            best = max(best, OSA.normalized_similarity(_skeleton(a), _skeleton(b), score_cutoff=0.7))
            consonants = _consonants(a)
            if cross == _ABJAD and len(consonants) >= 2 and consonants == _consonants(b):
                best = max(best, 0.9)
        else:
            best = max(best, OSA.normalized_similarity(a, b, score_cutoff=0.75))
    return best


def _weight(token: str) -> float:
    return GENERIC_WEIGHT if token in GENERIC_WORDS else 1.0


def _joined(these: tuple[str, ...], other: tuple[str, ...], cross: int) -> tuple[str, ...]:
    """`these` with adjacent tokens joined where together they spell (nearly) a token of `other`."""
    out = list(these)
    i = 0
    while i < len(out) - 1:
        pair = out[i] + out[i + 1]
        if any(abs(len(pair) - len(o)) <= 2 and _alike(pair, o, cross) >= 0.85 and _alike(out[i], o, cross) < 1.0
               and _alike(out[i + 1], o, cross) < 1.0 for o in other):
            out[i:i + 2] = [pair]
        else:
            i += 1
    return tuple(out)


def _initials(these: tuple[str, ...], other: tuple[str, ...]) -> tuple[dict[int, float], dict[int, float]]:
    """Tokens of `these` that are the initials of a run of two or more tokens of `other`, none of them the token
    itself (`el` is not the initials of `el lounka`): the likeness given to
    each side's tokens so covered."""
    mine: dict[int, float] = {}
    theirs: dict[int, float] = {}
    for i, token in enumerate(these):
        if not (2 <= len(token) <= 6 and token.isalpha()):
            continue
        for start in range(len(other) - len(token) + 1):
            run = other[start:start + len(token)]
            if "".join(t[0] for t in run) == token and all(len(t) > 1 and t != token for t in run):
                mine[i] = 0.9
                theirs.update(dict.fromkeys(range(start, start + len(token)), 0.9))
                break
    return mine, theirs


def _tokens_score(a: tuple[str, ...], b: tuple[str, ...], cross: int) -> float:
    """The mean of the two coverages of a one-to-one alignment of `a` and `b` (see the module's docstring)."""
    a, b = _joined(a, b, cross), _joined(b, a, cross)
    best_a, best_b = _initials(a, b)
    more_b, more_a = _initials(b, a)
    best_a.update(more_a)
    best_b.update(more_b)
    pairs = sorted(((_alike(x, y, cross), i, j) for i, x in enumerate(a) for j, y in enumerate(b)), reverse=True)
    used_a: set[int] = set()
    used_b: set[int] = set()
    for likeness, i, j in pairs:
        if likeness <= 0:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        best_a[i] = max(best_a.get(i, 0.0), likeness)
        best_b[j] = max(best_b.get(j, 0.0), likeness)

    def coverage(tokens: tuple[str, ...], best: dict[int, float]) -> float:
        total = sum(_weight(t) for t in tokens)
        return sum(_weight(t) * best.get(i, 0.0) for i, t in enumerate(tokens)) / total if total else 0.0

    covered = (coverage(a, best_a), coverage(b, best_b))
    return 0.6 * max(covered) + 0.4 * min(covered)


# -- the score -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pair:
    base: float
    tokens: float
    characters: float
    cross: bool
    query: _View
    name: _View


@lru_cache(maxsize=1 << 16)
def _best_pair(query: str, name: str) -> _Pair:
    return _pair(_form(query), _form(name))


def _pair(q: Form, n: Form) -> _Pair:
    """The best of the view pairs the two names compare in."""
    qn, nn = q.views[0], n.views[0]
    if qn.script == nn.script:
        pairs = [(qn, nn)]  # the same script: compared in it, never through a transliteration
    else:
        pairs = [(x, y) for x in q.views if x.script == "latin" for y in n.views if y.script == "latin"]
    best = _Pair(0.0, 0.0, 0.0, qn.script != nn.script, qn, nn)
    for x, y in pairs:
        cross = x is not qn or y is not nn
        mode = (_ABJAD if _ABJADS & {*qn.script.split("+"), *nn.script.split("+")} else 1) if cross else 0
        tokens = _tokens_score(x.tokens, y.tokens, mode)
        characters = Indel.normalized_similarity("".join(x.tokens), "".join(y.tokens))
        base = TOKENS_WEIGHT * tokens + CHARACTERS_WEIGHT * characters + (CROSS_SCRIPT if cross else 0.0)
        if base > best.base:
            best = _Pair(base, tokens, characters, cross, x, y)
    return best


def score(row: Counterparty, name: Name, form: Form | None = None) -> Match:
    """The row scored against one name or alias, explained feature by feature; `form` is the name's, when its
    holder has read it already (`forms_of`)."""
    q, n = _form(row.name), form or _form(name.text)
    return _explained(row, name, q, n, _best_pair(row.name, name.text) if form is None else _pair(q, n))


def _explained(row: Counterparty, name: Name, q: Form, n: Form, pair: _Pair) -> Match:
    """The match of the row's form `q` and the name's `n`, compared as `pair`, with its features and adjustments."""
    view = "" if not pair.cross else f" (compared as {pair.query.label} {' '.join(pair.query.tokens)!r} against " \
                                       f"{pair.name.label} {' '.join(pair.name.tokens)!r})"
    features = [
        Feature("tokens", round(pair.tokens, 4), TOKENS_WEIGHT,
                f"strong words aligned in any order, abbreviations, initials and typos allowed{view}"),
        Feature("characters", round(pair.characters, 4), CHARACTERS_WEIGHT,
                "the strong words' characters compared with the spaces removed"),
    ]
    if pair.cross:
        features.append(Feature("cross_script", CROSS_SCRIPT, 1.0,
                                "the names are in different scripts and were compared through a transliteration"))
    if q.weak and n.weak and not q.weak & n.weak:
        features.append(Feature("legal_form", LEGAL_FORM, 1.0,
                                f"the legal forms differ ({' '.join(sorted(q.weak))} against "
                                f"{' '.join(sorted(n.weak))})"))
    if row.country and name.country:
        same = row.country.strip().upper() == name.country.upper()
        features.append(Feature("country", COUNTRY_SAME if same else COUNTRY_DIFFERENT, 1.0,
                                f"the row's country {row.country.strip().upper()} "
                                f"{'is' if same else 'is not'} the party's ({name.country})"))
    if row.address and name.addresses:
        words = {t.text for t in names_.tokens(row.address)}
        share = max((len(words & {t.text for t in names_.tokens(a)}) / len(words) for a in name.addresses),
                    default=0.0) if words else 0.0
        if share > 0:
            features.append(Feature("address", round(ADDRESS * share, 4), 1.0,
                                    f"{share:.0%} of the address's words are in a recorded address of the party"))
    adjustments = sum(f.value for f in features[2:])
    total = round(min(1.0, max(0.0, pair.base - (CROSS_SCRIPT if pair.cross else 0.0) + adjustments)), 4)
    parts = " ".join(f"{f.value:+.4f} {f.name}" for f in features[2:])
    explanation = (f"{TOKENS_WEIGHT} x tokens {pair.tokens:.4f} + {CHARACTERS_WEIGHT} x characters "
                   f"{pair.characters:.4f}{' ' + parts if parts else ''} = {total:.4f}, kept within 0..1.")
    return Match(name, total, q.key, n.key, tuple(features), explanation)


# -- the index -------------------------------------------------------------------------------------------------------


def _grams(text: str) -> set[str]:
    padded = f" {text} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


TYPO_LENGTH = 4  # the shortest word a typo is allowed in (`_alike`): it is indexed with each letter left out


def _keys(form: Form, query: bool = False) -> tuple[set[str], set[str]]:
    """The index keys of a name: its tokens in every view (and their skeletons), two or three adjacent tokens of a
    Latin view joined (`tianjin` for `tian jin`: the scorer joins them too), and the character 3-grams of each
    view written without spaces; each word of four letters or more that is not generic (and, in a Latin view, its
    skeleton), whole and with each of its letters left out in turn (`-huawei`, `-huaei`: a typo, a swap of two
    letters or a letter left out or added leaves one of these in common); each word's stem
(without a plural `s`) and its beginnings of three letters or more, so that a word that begins another is found
either way (`kire` for `kiresun`; a listed name's stems meet a row's beginnings and the reverse). A listed name is
    also indexed by its initials (`^ht`) and its words' consonants
    (`~hv`); a query looks these up only for a token that may be initials, and for a name in Arabic or Hebrew."""
    abjad = bool(_ABJADS & set(form.views[0].script.split("+")))
    tokens: set[str] = set()
    grams: set[str] = set()
    for view in form.views:
        tokens.update(view.tokens)
        typed = [t for t in view.tokens if len(t) >= TYPO_LENGTH and t not in GENERIC_WORDS]
        if view.script == "latin":
            typed += [k for t in typed if (k := _skeleton(t)) != t and len(k) >= TYPO_LENGTH]
        tokens.update("-" + t for t in typed)  # a word against another with a letter left out
        tokens.update("-" + t[:i] + t[i + 1:] for t in typed for i in range(len(t)))
        tokens.update("".join(view.tokens[i:i + size]) for size in (2, 3) for i in range(len(view.tokens) - size + 1)
                      if view.script == "latin")
        for t in view.tokens:  # abbreviations: `<` a stem looks up the words it begins, `>` a word's beginnings
            if t in GENERIC_WORDS or not t.isalpha():
                continue
            stem = t[:-1] if t.endswith("s") and len(t) > 3 else t
            if len(stem) >= 3:
                tokens.add((">" if query else "<") + stem)
            tokens.update(("<" if query else ">") + t[:size] for size in range(3, len(t)))
        tokens.update(_skeleton(t) for t in view.tokens if view.script == "latin" and t not in GENERIC_WORDS)
        grams |= _grams("".join(view.tokens))
        if view.script != "latin":
            continue
        if not query or abjad:
            tokens.update("~" + c for t in view.tokens if len(c := _consonants(t)) >= 2)
        if query:
            tokens.update("^" + t for t in view.tokens if 2 <= len(t) <= 6 and t.isalpha())
        elif len(view.tokens) >= 2:
            tokens.update("^" + "".join(t[0] for t in view.tokens[i:j]) for i in range(len(view.tokens))
                          for j in range(i + 2, len(view.tokens) + 1))
    return tokens, grams


GRAM_SHARE = 0.6  # a candidate shares at least this share of the query's 3-grams (or a strong token)
GRAM_MARK = "#"  # a 3-gram's index key starts with it: a token (folded, punctuation as spaces) never does


def index_keys(text: str) -> frozenset[str]:
    """The keys a listed name is indexed under: its tokens (see `_keys`) and its 3-grams (marked `GRAM_MARK`)."""
    tokens, grams = _keys(_form(text))
    return frozenset(tokens | {GRAM_MARK + g for g in grams})


@dataclass(frozen=True)
class QueryKeys:
    """What a row's name looks up: its tokens (a name holding one is a candidate; generic words left out), and its
    3-grams (marked `GRAM_MARK`) with how many of them a name must hold to be a candidate."""

    tokens: tuple[str, ...]
    grams: tuple[str, ...]
    needed: int


def query_keys(text: str) -> QueryKeys:
    """The index keys a row's name looks up (the same rule as `Matcher.candidates`): its tokens, generic words
    left out, and the 3-grams of each view's words that are not generic (all its words when every one is), of
    which a candidate holds `GRAM_SHARE` (two at least): a long generic word (`electronics`) must not make every
    name holding it a candidate."""
    form = _form(text)
    tokens, _ = _keys(form, query=True)
    grams: set[str] = set()
    for view in form.views:
        grams |= _grams("".join([t for t in view.tokens if t not in GENERIC_WORDS] or view.tokens))
    return QueryKeys(tuple(sorted(t for t in tokens if t not in GENERIC_WORDS)),
                     tuple(sorted(GRAM_MARK + g for g in grams)), math.ceil(max(2, GRAM_SHARE * len(grams))))


def _headroom(row: Counterparty, name: Name) -> float:
    """The most the adjustments can add to a pair's base score (a rounding's worth included)."""
    return ((COUNTRY_SAME if row.country and name.country else 0.0) + (ADDRESS if row.address and name.addresses
                                                                        else 0.0) + 0.00005)


def forms_of(names: Iterable[Name]) -> dict[str, Form]:
    """Each name's form (by its text), read once: for a holder that scores the same names against many rows."""
    return {name.text: _form(name.text) for name in names}


def best_per_party(row: Counterparty, names: Iterable[Name], floor: float,
                   forms: Mapping[str, Form] | None = None) -> list[Match]:
    """The best match per party among `names` scoring at least `floor`, by score (highest first), then party key;
    of a party's names that score the same, a name before an alias, then the first by text. `forms` holds the
    names' forms when their holder has read them (`forms_of`); the scores are the same either way."""
    best: dict[str, Match] = {}
    query = _form(row.name)
    for name in names:
        form = forms.get(name.text) if forms is not None else None
        pair = _pair(query, form) if form is not None else _best_pair(row.name, name.text)
        if pair.base + _headroom(row, name) < floor:
            continue  # below the floor whatever the adjustments: not worth explaining
        found = _explained(row, name, query, form or _form(name.text), pair)  # the pair compared once
        if found.score >= floor:
            held = best.get(found.name.party)
            if held is None or (found.score, held.name.kind, held.name.text) > (held.score, found.name.kind,
                                                                                found.name.text):
                best[found.name.party] = found
    return sorted(best.values(), key=lambda m: (-m.score, m.name.party))


class Matcher:
    """Names indexed in memory by their tokens and character 3-grams, for screening rows against them."""

    def __init__(self, names: Iterable[Name]) -> None:
        self.names: tuple[Name, ...] = tuple(names)
        self._by_token: dict[str, set[int]] = {}
        self._by_gram: dict[str, set[int]] = {}
        self.forms = forms_of(self.names)
        for number, name in enumerate(self.names):
            tokens, grams = _keys(self.forms[name.text])
            for token in tokens:
                self._by_token.setdefault(token, set()).add(number)
            for gram in grams:
                self._by_gram.setdefault(gram, set()).add(number)

    def candidates(self, row: Counterparty) -> list[Name]:
        """The names sharing a token (in any view) or enough 3-grams with the row's name: never every name by
        construction, only those the index points to."""
        keys = query_keys(row.name)
        found: set[int] = set()
        for token in keys.tokens:
            found |= self._by_token.get(token, set())
        counts: dict[int, int] = {}
        for gram in keys.grams:
            for number in self._by_gram.get(gram.removeprefix(GRAM_MARK), ()):
                counts[number] = counts.get(number, 0) + 1
        found |= {number for number, count in counts.items() if count >= keys.needed}
        return [self.names[number] for number in sorted(found)]

    def exhaustive(self, row: Counterparty) -> list[Name]:
        """Every name (for tests and benchmarks)."""
        return list(self.names)

    def match(self, row: Counterparty, floor: float) -> list[Match]:
        """The best match per party scoring at least `floor`, by score (highest first), then party key."""
        return self._best(row, self.candidates(row), floor)

    def match_exhaustive(self, row: Counterparty, floor: float) -> list[Match]:
        """As `match`, over every name."""
        return self._best(row, self.names, floor)

    def _best(self, row: Counterparty, names: Iterable[Name], floor: float) -> list[Match]:
        return best_per_party(row, names, floor, self.forms)
