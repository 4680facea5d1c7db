"""Synthetic listed parties and counterparty rows for the screening benchmark, deterministic for a seed.

Parties (`parties`) are companies named as real lists name them, in four families:

- Latin: a made-up brand (two or three syllables, from a few hundred), often a descriptive word (`Electronics`,
  `Shipping`, …) and a city, and a legal form from many languages (`Co., Ltd.`, `GmbH`, `S.A.`, `OOO`, `FZE`, …);
  aliases: a former name, the brand's initials with the descriptor, the name without its legal form;
- Chinese: a city, a two-character brand, a business word and `有限公司` in Simplified; aliases in Traditional
  (OpenCC `s2t`), in pinyin (`Shenzhen Huaxing Keji Co., Ltd.`) and, for half, in English (`… Technology Co., Ltd.`);
- Cyrillic: Russian names in the style `OOO «Brend»` in Cyrillic letters, with their Latin transliteration and
  an English form as aliases;
- Arabic: a Latin name (`Al …`) with its Arabic spelling (consonants, as Arabic writes them) and another spelling.

Each party's history (`history`) lists it on one list (a quarter on two), and some gain an alias later (an
amendment), are delisted, and are relisted. Rows (`rows`) are spelling variants of listed names (case and
punctuation, legal forms changed or dropped, words swapped, typos, abbreviations, the other Chinese script, pinyin)
and near misses that are not listed (another brand from the same syllables, a listed brand with another word).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import opencc
from pypinyin import Style, lazy_pinyin

from .generate import LISTS, START, _source

__all__ = ["Party", "history", "parties", "rows"]

_SYLLABLES = ("ba be bi bo bu ca ce co da de di do du fa fe fi fo ga ge go gu ha he hi ho ka ke ki ko ku la le li lo "
              "lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo "
              "wa we xa xi ya yo za ze zi zo tra tre tri pro pre bra bri dra dro gra gro kra kro vel var ver vin tor "
              "tan ten tin ton lan len lin lon mar mer mir sor sun dex tek nov nex rax lux max kor zen")
SYLLABLES = tuple(_SYLLABLES.split())
DESCRIPTORS = ("Electronics", "Shipping", "Logistics", "Aviation", "Machinery", "Chemical", "Precision",
               "Instruments", "Trading", "Technologies", "Engineering", "Industries", "Energy", "Petroleum",
               "Semiconductor", "Optics", "Metals", "Marine", "Systems", "Components", "Software", "Telecom",
               "Devices", "Materials", "Investment", "Group", "Holdings", "Research", "Aerospace", "Defense")
CITIES = ("Shenzhen", "Shanghai", "Beijing", "Moscow", "Dubai", "Tehran", "Hong Kong", "Minsk", "Istanbul",
          "Karachi", "Singapore", "Pyongyang", "Damascus", "Caracas", "Novosibirsk", "Tianjin")
LEGAL = ("Co., Ltd.", "Limited", "Ltd", "LLC", "GmbH", "S.A.", "OOO", "JSC", "FZE", "FZCO", "LLP", "Inc.",
         "S.R.L.", "B.V.", "AG", "PJSC", "Corp.", "Company Limited", "Pte. Ltd.", "SARL")
CN_CITIES = {"深圳": "Shenzhen", "上海": "Shanghai", "北京": "Beijing", "广州": "Guangzhou", "成都": "Chengdu",
             "武汉": "Wuhan", "杭州": "Hangzhou", "天津": "Tianjin", "西安": "Xi'an", "南京": "Nanjing",
             "东莞": "Dongguan", "珠海": "Zhuhai"}
CN_BRAND = ("华中兴海天宏达信泰安康明光新联创金鑫源隆盛恒通利博远凯锐星辉晨航飞龙鹏腾嘉瑞祥丰德永昌和美智慧云科"
            "电网讯微芯数维宇力能")
CN_WORDS = {"科技": "Technology", "电子": "Electronics", "通信": "Communication", "贸易": "Trade",
            "半导体": "Semiconductor", "信息": "Information", "网络": "Networks", "软件": "Software",
            "光电": "Optoelectronics", "材料": "Material", "能源": "Energy", "机器": "Machine"}
CYR = {"a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "k": "к", "l": "л",
       "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "w": "в",
       "x": "кс", "y": "й", "z": "з"}
RU_WORDS = {"Техника": "Tekhnika", "Промснаб": "Promsnab", "Энерго": "Energo", "Транс": "Trans", "Авиа": "Avia",
            "Электрон": "Elektron", "Системы": "Sistemy", "Импорт": "Import"}
ARA = {"a": "", "b": "ب", "c": "ك", "d": "د", "e": "", "f": "ف", "g": "ج", "h": "ه", "i": "ي", "k": "ك", "l": "ل",
       "m": "م", "n": "ن", "o": "و", "p": "ب", "r": "ر", "s": "س", "t": "ت", "u": "و", "v": "ف", "w": "و",
       "x": "كس", "y": "ي", "z": "ز"}
AR_WORDS = {"للتجارة": "Trading", "للإلكترونيات": "Electronics", "للشحن": "Shipping", "للطاقة": "Energy"}
_S2T = opencc.OpenCC("s2t")


@dataclass(frozen=True)
class Party:
    """One listed party: its key, name, aliases (at listing), an alias gained later (or None), country, family."""

    key: str
    name: str
    aliases: tuple[str, ...]
    later_alias: str | None
    country: str
    family: str  # latin | chinese | cyrillic | arabic

    @property
    def names(self) -> tuple[str, ...]:
        """Every name and alias it is ever recorded under."""
        return (self.name, *self.aliases, *((self.later_alias,) if self.later_alias else ()))


def _brand(rng: random.Random, parts: int | None = None) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts or rng.choice((2, 2, 3)))).capitalize()


def _latin(rng: random.Random, n: int) -> Party:
    brand = _brand(rng)
    descriptor = rng.choice(DESCRIPTORS) if rng.random() < 0.8 else None
    city = rng.choice(CITIES) if rng.random() < 0.3 else None
    words = [w for w in (brand, city if rng.random() < 0.5 else None, descriptor) if w]
    if city and city not in words:
        words.insert(0, city)
    name = " ".join([*words, rng.choice(LEGAL)])
    aliases: list[str] = []
    if rng.random() < 0.6:
        aliases.append(f"{_brand(rng)} {descriptor or rng.choice(DESCRIPTORS)} {rng.choice(LEGAL)}")  # a former name
    if descriptor and rng.random() < 0.5:
        aliases.append(f"{brand.upper()} {descriptor.upper()}")
    if rng.random() < 0.5:
        aliases.append(" ".join(words))
    later = f"{_brand(rng)} {rng.choice(DESCRIPTORS)} {rng.choice(LEGAL)}" if rng.random() < 0.1 else None
    return Party(f"p{n}", name, tuple(aliases), later, rng.choice(("CN", "RU", "IR", "AE", "TR", "HK", "SG", "BY")),
                 "latin")


def _pinyin(text: str) -> str:
    return "".join(lazy_pinyin(text, style=Style.NORMAL)).capitalize()


def _chinese(rng: random.Random, n: int) -> Party:
    city = rng.choice(sorted(CN_CITIES))
    brand = "".join(rng.sample(CN_BRAND, 2))
    word = rng.choice(sorted(CN_WORDS))
    name = f"{city}{brand}{word}有限公司"
    aliases = [_S2T.convert(name), f"{CN_CITIES[city]} {_pinyin(brand)} {_pinyin(word)} Co., Ltd."]
    if rng.random() < 0.5:
        aliases.append(f"{CN_CITIES[city]} {_pinyin(brand)} {CN_WORDS[word]} Co., Ltd.")
    later = f"{_pinyin(brand)} {CN_WORDS[word]} (Hong Kong) Limited" if rng.random() < 0.1 else None
    return Party(f"p{n}", name, tuple(aliases), later, "HK" if rng.random() < 0.15 else "CN", "chinese")


def _cyrillic(brand: str) -> str:
    return "".join(CYR.get(c, c) for c in brand.lower()).capitalize()


def _russian(rng: random.Random, n: int) -> Party:
    brand = _brand(rng)
    word = rng.choice(sorted(RU_WORDS)) if rng.random() < 0.6 else None
    name = f"ООО «{_cyrillic(brand)}{' ' + word if word else ''}»"
    latin = f"{brand}{' ' + RU_WORDS[word] if word else ''}"
    aliases = [f"OOO {latin}", f"{latin} LLC"]
    later = f"АО «{_cyrillic(_brand(rng))}»" if rng.random() < 0.1 else None
    return Party(f"p{n}", name, tuple(aliases), later, rng.choice(("RU", "RU", "BY")), "cyrillic")


def _arabic(rng: random.Random, n: int) -> Party:
    brand = _brand(rng)
    word = rng.choice(sorted(AR_WORDS))
    name = f"Al {brand} {AR_WORDS[word]} LLC"
    arabic = "شركة " + "ال" + "".join(ARA.get(c, "") for c in brand.lower()) + " " + word
    respelled = brand.replace("o", "ou").replace("e", "i") if rng.random() < 0.7 else brand + "h"
    aliases = [arabic, f"El {respelled} {AR_WORDS[word]} Company"]
    later = f"Al {_brand(rng)} General Trading FZE" if rng.random() < 0.1 else None
    return Party(f"p{n}", name, tuple(aliases), later, rng.choice(("IR", "SY", "AE", "IQ", "LB")), "arabic")


FAMILIES = ((_latin, 0.45), (_chinese, 0.25), (_russian, 0.15), (_arabic, 0.15))


def parties(count: int, seed: int = 0) -> list[Party]:
    """`count` parties, names and aliases (about three each) of the four families."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    makers, weights = zip(*FAMILIES, strict=True)
    return [rng.choices(makers, weights=weights)[0](rng, n) for n in range(count)]


def history(found: list[Party], seed: int = 0) -> list[dict[str, Any]]:
    """The parties' listings, later aliases, delistings and relistings, in publication order (as the ledger
    accepts them)."""
    rng = random.Random(seed + 1)  # noqa: S311
    actions: list[dict[str, Any]] = []
    for number, party in enumerate(found):
        listed = {"key": party.key, "name": party.name, "aliases": list(party.aliases), "country": party.country}
        for list_key in rng.sample(LISTS, 2 if rng.random() < 0.25 else 1):
            day = START + timedelta(days=rng.randint(0, 25 * 365))
            ref = {"list": list_key, "party": {"key": party.key}}
            steps: list[tuple[str, dict[str, Any]]] = [("entity_listed", {"list": list_key, "party": listed})]
            if party.later_alias:
                steps.append(("entry_amended", {"list": list_key, "party": {
                    "key": party.key, "aliases": [*party.aliases, party.later_alias]}}))
            if rng.random() < 0.08:
                steps.append(("entity_delisted", ref))
                if rng.random() < 0.4:
                    steps.append(("entity_listed", ref))
            for step, (kind, fields) in enumerate(steps):
                actions.append({"kind": kind, "id": f"s{number}-{list_key}-{step}", "effective_on": day.isoformat(),
                                "published_on": day.isoformat(), "sources": [_source(rng, number)], **fields,
                                "_order": (day, number, step)})
                day += timedelta(days=rng.randint(30, 900))
    actions.sort(key=lambda a: a["_order"])
    for action in actions:
        del action["_order"]
    return actions


def _typo(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    word, at = words[i], rng.randrange(1, len(words[i]) - 2)
    words[i] = rng.choice((word[:at] + word[at + 1] + word[at] + word[at + 2:],  # two letters swapped
                           word[:at] + word[at + 1:],  # one left out
                           word[:at] + rng.choice("aeioulnrst") + word[at:]))  # one added
    return " ".join(words)


def _variant(rng: random.Random, party: Party) -> str:  # noqa: PLR0911 - one return per kind of variant
    text = rng.choice(party.names)
    if party.family == "chinese" and rng.random() < 0.3:
        return rng.choice((_S2T.convert(party.name), party.name.removesuffix("有限公司"), party.name + "分公司"))
    roll = rng.random()
    if roll < 0.15:
        return text
    if roll < 0.3:
        return text.upper().replace(",", "").replace(".", "")
    if roll < 0.45:
        words = text.split(" ")
        return " ".join([*words[:-1], rng.choice(LEGAL)]) if len(words) > 1 else text
    if roll < 0.6:
        words = text.split(" ")
        if len(words) > 2:
            words[0], words[1] = words[1], words[0]
        return " ".join(words)
    if roll < 0.8:
        return _typo(rng, text)
    return text.replace("Technologies", "Techs").replace("International", "Intl").replace("Electronics", "Elec")


def _near_miss(rng: random.Random, listed: list[Party]) -> str:
    if rng.random() < 0.5:
        return f"{_brand(rng)} {rng.choice(DESCRIPTORS)} {rng.choice(LEGAL)}"  # a brand from the same syllables
    party = rng.choice(listed)
    words = party.name.split(" ")
    if party.family == "cyrillic":
        return f"ООО «{_cyrillic(_brand(rng))}»"
    if party.family == "chinese":
        return party.name[:2] + "".join(rng.sample(CN_BRAND, 2)) + party.name[4:]  # another brand, same city
    return " ".join([words[0], rng.choice(DESCRIPTORS), *words[2:]]) if len(words) > 2 else f"{words[0]} Nova"


def rows(listed: list[Party], count: int, seed: int = 0, listed_share: float = 0.65) -> list[dict[str, str]]:
    """`count` counterparty rows (name, id, kind): variants of listed names, and near misses not listed."""
    rng = random.Random(seed + 2)  # noqa: S311
    found = []
    for n in range(count):
        if rng.random() < listed_share:
            party = rng.choice(listed)
            found.append({"id": f"r{n + 1}", "name": _variant(rng, party), "kind": "variant", "party": party.key})
        else:
            found.append({"id": f"r{n + 1}", "name": _near_miss(rng, listed), "kind": "near_miss", "party": ""})
    return found


def first_day() -> date:
    """The earliest day a generated listing takes effect."""
    return START
