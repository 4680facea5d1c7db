"""Names as people type them, folded so that one party's spellings compare equal: the normaliser every party
lookup uses, and the base the screening of whole files builds on.

Three views of a name, each a function of the one before:

- `fold(text)`: the characters normalised, the words kept. NFKC (full-width forms, ligatures); Traditional Chinese
  as Simplified (OpenCC `t2s`, whose dictionaries ship in its wheel: nothing is downloaded); case folded; accents
  and vowel points dropped (every combining mark of U+0300-U+036F, and any combining mark on a Latin, Greek,
  Cyrillic, Arabic or Hebrew letter); Arabic and Persian letter variants as one (alef maksura and Farsi yeh as yeh,
  teh marbuta as heh, keheh as kaf, no tatweel); digits of any script as ASCII digits. Apostrophes go
  (`McDonald's` is `mcdonalds`), so do the periods of an abbreviation (`S.A.` and `S. A.` are `sa`); every other
  punctuation mark, symbol or control character separates words; invisible format characters (zero-width joiners,
  bidirectional marks) go; words are separated by one space.
- `tokens(text)`: the folded words, each a `Token` with its script and a `weak` flag for a legal form (`Co.`,
  `Ltd`, `Limited`, `GmbH`, `S.A. de C.V.`, `OOO`, `FZE`, `شركة`, `有限公司`, `株式会社` and many more:
  `LEGAL_SUFFIXES`, `LEGAL_PREFIXES`, `CJK_SUFFIXES`, `CJK_PREFIXES`). A legal form is weak only in the run of
  legal forms that ends the name (suffixes) or starts it (prefixes: `PT`, `OOO`, `Công ty`); inside a name it is a
  word like any other.
  Words split where a script written without spaces (Han, kana, Hangul, Thai, Lao, Khmer, Myanmar) meets another;
  a run of such a script is one token, joined across spaces (华为 技术 is 华为技术), with the CJK legal forms at its
  ends split off as tokens of their own.
- `key(text)`: the strong tokens joined by one space (every token when all are weak): what an exact lookup
  compares. `key("Huawei Technologies Co., Ltd.") == key("HUAWEI TECHNOLOGIES CO LTD") == "huawei technologies"`,
  `key("華為技術有限公司") == key("华为技术") == "华为技术"`. `key(x)` depends on `x` only through `fold(x)`, and
  `key(key(x)) == key(x)`.

`contains(whole, part)`: whether the key `part` occurs in the key `whole` as whole words (inside a run of a script
written without spaces, anywhere): `huawei cloud` is in `huawei cloud computing technologies`, `华为` in `华为技术`;
`zte` is not in `aztec`; with `prefix=True` the last word may be cut short (`huawei tech`). `script(char)` names a
character's script, as tokens do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc

__all__ = ["CJK_PREFIXES", "CJK_SUFFIXES", "LEGAL_PREFIXES", "LEGAL_SUFFIXES", "Token", "contains", "fold", "key",
           "script", "tokens"]

# Legal forms as folded words (see `fold`); a phrase is several words. Suffixes end a name, prefixes start it.
LEGAL_SUFFIXES: frozenset[str] = frozenset({
    # English and common-law forms
    "co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "llp", "lllp", "lp",
    "plc", "pllc", "pty", "pte", "pvt", "private", "and co", "and company", "public limited company",
    "limited liability company", "limited partnership", "joint stock company", "jsc", "ojsc", "cjsc", "pjsc", "opc",
    # German, Austrian, Swiss, European
    "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "gbr", "ug", "haftungsbeschrankt", "ev", "eg", "se",
    # French, Belgian, Dutch, Luxembourgish
    "sa", "sas", "sasu", "sarl", "eurl", "sci", "snc", "scs", "sca", "societe anonyme", "bv", "nv", "vof", "bvba",
    "cvba", "sprl", "cv",
    # Italian, Spanish, Portuguese, Latin American
    "spa", "srl", "srls", "sapa", "scarl", "societa per azioni", "sl", "slu", "sau", "ltda", "limitada", "lda",
    "eireli", "eirl", "sa de cv", "sab de cv", "sapi de cv", "s de rl", "s de rl de cv", "s en c",
    "s en cs", "sociedad anonima",
    # Nordic
    "ab", "publ", "as", "asa", "aps", "a s", "oy", "oyj", "hf", "ehf", "kb", "hb",
    # Central and Eastern European
    "sp z oo", "spolka z oo", "sp k", "spj", "sro", "spol s ro", "kft", "zrt", "nyrt", "bt", "kkt", "dd", "doo",
    "ad", "ead", "ood", "eood",
    # Russian, Ukrainian and other post-Soviet forms, transliterated and in Cyrillic
    "ooo", "oao", "zao", "pao", "ao", "tov", "pat", "prat", "ооо", "оао", "зао", "пао", "ао", "тов", "пат",
    "прат",
    # Turkish, Greek, Israeli, Arabic
    "sti", "ltd sti", "tas", "ae", "epe", "ike", "αε", "επε", "ικε", "בעמ", "ذمم", "ذ م م", "شمم", "ش م م",
    "شمل", "ش م ل", "شمع", "ش م ع", "شركه", "شركه ذمم", "شركه ذ م م", "fze", "fzco", "fzc", "fz llc", "fzllc",
    # Asian forms written in Latin letters
    "kk", "kabushiki kaisha", "kabushikigaisha", "gk", "godo kaisha", "yugen kaisha", "yk", "jusikhoesa", "bhd",
    "berhad", "sdn bhd", "sendirian berhad", "tbk", "pcl", "tnhh",
})
LEGAL_PREFIXES: frozenset[str] = frozenset({
    "pt", "cv", "ud", "ooo", "oao", "zao", "pao", "ao", "tov", "pat", "prat", "jsc", "ojsc", "cjsc", "pjsc", "ооо",
    "оао", "зао", "пао", "ао", "тов", "пат", "прат", "ип", "cong ty", "cong ty tnhh", "cong ty co phan",
    "joint stock company", "open joint stock company", "closed joint stock company", "شركه",
    "public joint stock company", "limited liability company", "kabushiki kaisha", "kk", "jusikhoesa",
})
CJK_SUFFIXES: tuple[str, ...] = (  # longest first
    "股份有限公司", "有限责任公司", "有限公司", "公司", "株式会社", "有限会社", "合同会社", "合资会社", "合名会社",
    "유한책임회사", "주식회사", "유한회사",
)
CJK_PREFIXES: tuple[str, ...] = ("株式会社", "有限会社", "合同会社", "주식회사", "유한회사")
_CJK_KEPT_ENDINGS = ("分公司", "子公司")  # a branch or a subsidiary is not a legal form: 公司 stays in them

_SUFFIX_PHRASES = frozenset(tuple(form.split(" ")) for form in LEGAL_SUFFIXES | set(CJK_SUFFIXES))
_PREFIX_PHRASES = frozenset(tuple(form.split(" ")) for form in LEGAL_PREFIXES | set(CJK_PREFIXES))
_EDGE_WORDS = frozenset(word for phrase in _SUFFIX_PHRASES | _PREFIX_PHRASES for word in phrase)
_LONGEST = max(len(p) for p in _SUFFIX_PHRASES | _PREFIX_PHRASES)

_UNSPACED = {"han", "kana", "hangul", "thai", "lao", "khmer", "myanmar"}  # scripts written without word spaces
_SCRIPT_WORDS = {"cjk": "han", "ideographic": "han", "hiragana": "kana", "katakana": "kana",
                 "katakana-hiragana": "kana", "halfwidth": "kana"}
_MARKED = {"latin", "greek", "cyrillic", "arabic", "hebrew"}  # scripts whose combining marks are dropped
_LETTERS = str.maketrans({"\u0649": "\u064a", "\u06cc": "\u064a", "\u0629": "\u0647", "\u06a9": "\u0643",
                          "\u0640": None})
_APOSTROPHES = str.maketrans(dict.fromkeys("'’ʼ‘`´", None))
_ABBREVIATION = re.compile(r"(?<![^\W_])([^\W\d_])\.(?:\s+(?=[^\W\d_]\.))?")  # one letter and its period
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})
_T2S = opencc.OpenCC("t2s")


@dataclass(frozen=True)
class Token:
    """One folded word of a name: its text, its script (`script` of its first letter; `number` when it has no
    letter) and whether it is weak: a legal form at the end or start of the name."""

    text: str
    script: str
    weak: bool = False


@lru_cache(maxsize=1 << 12)
def script(char: str) -> str:
    """The script of one character, in lower case: latin, cyrillic, greek, arabic, hebrew, han (ideographs and
    the iteration mark), kana (hiragana and katakana), hangul, thai, …; `digit` for a digit, `other` when Unicode
    gives the character no name."""
    if char.isdigit():
        return "digit"
    first = unicodedata.name(char, "other").split(" ")[0].lower()
    return _SCRIPT_WORDS.get(first, first)


def fold(text: str) -> str:
    """`text` with its characters normalised and its words kept (see the module's docstring)."""
    return _fold(text)


def tokens(text: str) -> tuple[Token, ...]:
    """The words of `fold(text)`, each with its script and whether it is a weak legal form."""
    return _tokens(fold(text))


def key(text: str) -> str:
    """What an exact lookup compares: the strong tokens of `text`, or all of them when every token is weak."""
    return _key(fold(text))


def contains(whole: str, part: str, *, prefix: bool = False) -> bool:
    """True when the key `part` occurs in the key `whole` as whole words: each end of the occurrence is an end of
    `whole`, a space, or falls inside a run of a script written without spaces. With `prefix`, the last word of
    `part` may be the start of a longer word (`huawei tech` is in `huawei technologies`)."""
    if not part:
        return False
    start = whole.find(part)
    while start >= 0:
        end = start + len(part)
        if _boundary(whole, start - 1, part[0]) and (prefix or _boundary(whole, end, part[-1])):
            return True
        start = whole.find(part, start + 1)
    return False


# -- folding -------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    if folded.isascii():  # most names: the same steps, by table
        folded = _ABBREVIATION.sub(r"\1", folded.lower().translate(_APOSTROPHES))
        return " ".join(folded.translate(_ASCII_SEPARATORS).split())
    folded = _unmarked(_T2S.convert(folded).casefold()).translate(_LETTERS).translate(_APOSTROPHES)
    folded = _ABBREVIATION.sub(r"\1", folded)
    return " ".join("".join(_character(c) for c in folded).split())


def _unmarked(text: str) -> str:
    """`text` without accents and vowel points: the combining marks of U+0300-U+036F, and every combining mark on
    a letter of a script in `_MARKED`."""
    kept: list[str] = []
    base = "other"
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.category(char) != "Mn":
            base = script(char)
            kept.append(char)
        elif not (0x300 <= ord(char) <= 0x36F or base in _MARKED):
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _character(char: str) -> str:
    """A character as a folded name holds it: a digit as its ASCII digit, an invisible format character as
    nothing, punctuation, symbols, separators and controls as a space."""
    category = unicodedata.category(char)
    if category == "Nd":
        return str(unicodedata.digit(char))
    if category == "Cf":
        return ""
    return " " if category[0] in "PSZC" else char


# -- tokens ----------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _tokens(folded: str) -> tuple[Token, ...]:
    words, weak = _words(folded)
    return tuple(Token(text, _token_script(text), flag) for text, flag in zip(words, weak, strict=True))


@lru_cache(maxsize=1 << 16)
def _key(folded: str) -> str:
    words, weak = _words(folded)
    strong = [text for text, flag in zip(words, weak, strict=True) if not flag]
    return " ".join(strong or words)


def _words(folded: str) -> tuple[list[str], list[bool]]:
    """The words of a folded name (CJK legal forms split off their runs), and which are weak."""
    if folded.isascii():
        pieces: list[tuple[str, str | None]] = [(word, None) for word in folded.split(" ")] if folded else []
    else:  # (text, "prefix" | "suffix" for a legal form split off a CJK run)
        pieces = [p for run in _runs(folded) for p in (_peeled(run) if _unspaced(run[0]) else [(run, None)])]
    words = [text for text, _ in pieces]
    weak = [False] * len(words)
    end = _legal_end(words, pieces, weak)
    _legal_start(words, pieces, weak, end)
    return words, weak


def _runs(folded: str) -> list[str]:
    """The words of `folded`, split where a script written without spaces meets another; runs of such scripts
    are joined across spaces (华为 技术 is 华为技术)."""
    runs: list[str] = []
    after_space = False
    for char in folded:
        if char == " ":
            after_space = True
            continue
        unspaced = _unspaced(char)
        if runs and _unspaced(runs[-1][-1]) == unspaced and (unspaced or not after_space):
            runs[-1] += char
        else:
            runs.append(char)
        after_space = False
    return runs


def _peeled(run: str) -> list[tuple[str, str | None]]:
    """A run of a script written without spaces, with the CJK legal forms at its ends split off."""
    before: list[tuple[str, str | None]] = []
    after: list[tuple[str, str | None]] = []
    while (form := next((f for f in CJK_PREFIXES if run.startswith(f) and len(run) > len(f)), None)) is not None:
        before.append((form, "prefix"))
        run = run[len(form):]
    while not run.endswith(_CJK_KEPT_ENDINGS) and (
            form := next((f for f in CJK_SUFFIXES if run.endswith(f) and len(run) > len(f)), None)) is not None:
        after.insert(0, (form, "suffix"))
        run = run[:-len(form)]
    return [*before, (run, None), *after]


def _legal_end(words: list[str], pieces: list[tuple[str, str | None]], weak: list[bool]) -> int:
    """Mark the run of legal forms that ends the name; the index where it starts."""
    end = len(words)
    while end > 0:
        size = 1 if pieces[end - 1][1] == "suffix" else _phrase(words[max(0, end - _LONGEST):end], _SUFFIX_PHRASES,
                                                                  at_end=True)
        if not size:
            break
        weak[end - size:end] = [True] * size
        end -= size
    return end


def _legal_start(words: list[str], pieces: list[tuple[str, str | None]], weak: list[bool], end: int) -> None:
    """Mark the run of legal forms that starts the name, up to `end` (where the ending run starts)."""
    start = 0
    while start < end:
        size = 1 if pieces[start][1] == "prefix" else _phrase(words[start:min(end, start + _LONGEST)],
                                                               _PREFIX_PHRASES, at_end=False)
        if not size:
            break
        weak[start:start + size] = [True] * size
        start += size


def _phrase(window: list[str], phrases: frozenset[tuple[str, ...]], *, at_end: bool) -> int:
    """The length of the longest phrase of `phrases` at the end (or start) of `window`; 0 when none is."""
    if (window[-1] if at_end else window[0]) not in _EDGE_WORDS:
        return 0
    for size in range(len(window), 0, -1):
        if tuple(window[-size:] if at_end else window[:size]) in phrases:
            return size
    return 0


def _token_script(text: str) -> str:
    if text.isascii():
        return "number" if text.isdigit() else "latin"
    return next((script(c) for c in text if c.isalpha()), "number")


def _unspaced(char: str) -> bool:
    return script(char) in _UNSPACED


def _boundary(whole: str, index: int, edge: str) -> bool:
    """True when an occurrence whose edge character is `edge` may end next to `whole[index]`."""
    if index < 0 or index >= len(whole) or whole[index] == " ":
        return True
    return _unspaced(whole[index]) and _unspaced(edge)
