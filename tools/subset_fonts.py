"""Make the fonts that PDF reports embed: subsets of openly licensed Debian fonts, written to templates/fonts/.

A fresh machine has no CJK font and pip cannot install Debian's, so regledger ships its own. This script makes them,
runnable again (`python tools/subset_fonts.py` after `apt-get install fonts-noto-core fonts-noto-cjk
fonts-dejavu-core`): each font is cut to the characters reports need and stored as WOFF2, with its licence.

Coverage: Latin (with Latin-1, Extended-A/B and Additional), Greek, Cyrillic, Arabic, Hebrew, general punctuation;
CJK: GB 2312 level 1 (3,755 common Simplified hanzi) and Big5 level 1 (5,401 common Traditional hanzi), CJK and
full-width punctuation; and every character of examples/ and tests/fixtures/screening/, whatever its script.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates" / "fonts"
NOTO = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
LICENCES = {"LICENSE-noto.txt": "/usr/share/doc/fonts-noto-core/copyright",
            "LICENSE-noto-cjk.txt": "/usr/share/doc/fonts-noto-cjk/copyright",
            "LICENSE-dejavu.txt": "/usr/share/doc/fonts-dejavu-core/copyright"}
CORPUS = [ROOT / "examples", ROOT / "tests" / "fixtures" / "screening"]

COMMON = [(0x20, 0x7E), (0xA0, 0x24F), (0x2B0, 0x36F), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20CF),
          (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x25A0, 0x25FF), (0xFB00, 0xFB06), (0xFFFD, 0xFFFD)]
GREEK_CYRILLIC = [(0x370, 0x3FF), (0x400, 0x52F)]
ARABIC = [(0x600, 0x6FF), (0x750, 0x77F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)]
HEBREW = [(0x590, 0x5FF), (0xFB1D, 0xFB4F)]
CJK_PUNCTUATION = [(0x3000, 0x303F), (0x3200, 0x32FF), (0xFF00, 0xFFEF)]


def spans(ranges: list[tuple[int, int]]) -> set[int]:
    """Every code point of the inclusive ranges."""
    return {point for low, high in ranges for point in range(low, high + 1)}


def double_byte(codec: str, leads: range, trails: list[range]) -> set[int]:
    """The characters a double-byte codec gives for these lead and trail bytes."""
    found: set[int] = set()
    for lead in leads:
        for trail in (t for span in trails for t in span):
            try:
                found.update(ord(c) for c in bytes([lead, trail]).decode(codec))
            except UnicodeDecodeError:
                continue
    return found


def corpus() -> set[int]:
    """Every non-ASCII character of the bundled case and the screening fixtures."""
    text = "".join(p.read_text(encoding="utf-8") for folder in CORPUS for p in sorted(folder.rglob("*"))
                   if p.is_file() and p.suffix in {".yaml", ".yml", ".json", ".csv", ".py", ".md"})
    return {ord(c) for c in text if ord(c) > 0x7E}


def make(source: Path, name: str, points: set[int], number: int = 0) -> Path:
    """Subset `source` (face `number` of a collection) to the points it has, as templates/fonts/NAME.woff2."""
    font = TTFont(source, fontNumber=number, lazy=False)
    have = set(font.getBestCmap())
    options = subset.Options()
    options.layout_features = ["*"]  # Arabic joining, marks, kerning: shaping needs them all
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.flavor = "woff2"
    options.drop_tables = [t for t in options.drop_tables if t != "DSIG"] + ["DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(points & have))
    subsetter.subset(font)
    target = OUT / f"{name}.woff2"
    font.flavor = "woff2"
    font.save(target)
    return target


def main() -> int:
    """Write every font and licence; print each font's size and coverage."""
    OUT.mkdir(parents=True, exist_ok=True)
    extra = corpus()
    latin = spans(COMMON + GREEK_CYRILLIC) | extra
    hanzi = (double_byte("gb2312", range(0xB0, 0xD8), [range(0xA1, 0xFF)])
             | double_byte("big5", range(0xA4, 0xC7), [range(0x40, 0x7F), range(0xA1, 0xFF)]))
    made = [
        make(NOTO / "NotoSans-Regular.ttf", "NotoSans-Regular", latin),
        make(NOTO / "NotoSans-Bold.ttf", "NotoSans-Bold", latin),
        make(NOTO / "NotoSans-Italic.ttf", "NotoSans-Italic", latin),
        make(NOTO / "NotoSansArabic-Regular.ttf", "NotoSansArabic-Regular", spans(ARABIC) | extra),
        make(NOTO / "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Regular", spans(HEBREW) | extra),
        make(CJK, "NotoSansCJKsc-Regular", hanzi | spans(CJK_PUNCTUATION) | extra, number=2),
        make(DEJAVU / "DejaVuSansMono.ttf", "DejaVuSansMono", spans(COMMON + GREEK_CYRILLIC) | extra),
    ]
    for name, source in LICENCES.items():
        shutil.copyfile(source, OUT / name)
    covered: set[int] = set()
    for path in made:
        cmap = set(TTFont(path).getBestCmap())
        covered |= cmap
        print(f"{path.name}: {path.stat().st_size:,} bytes, {len(cmap):,} characters")
    missing = sorted(p for p in extra if p not in covered and not chr(p).isspace())
    print(f"corpus: {len(extra):,} characters, {len(missing)} not covered {[chr(p) for p in missing]}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
