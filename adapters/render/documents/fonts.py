"""The fonts PDF reports are drawn with: openly licensed subsets shipped in the package (templates/fonts/, made by
tools/subset_fonts.py), declared with @font-face by file URL so that WeasyPrint embeds them and no report depends
on the fonts of the machine that renders it.

Each family has a name no system font carries ("Regledger …"), so fontconfig can never substitute one of its own for
ours; the stacks list them in the order Pango falls back through them, character by character: Latin, Greek and
Cyrillic; Arabic; Hebrew; CJK (Simplified and Traditional, common hanzi); DejaVu's symbols.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path

__all__ = ["FONT_FILES", "MONO_STACK", "SANS_STACK", "Face", "font_dir", "font_face_css"]


@dataclass(frozen=True)
class Face:
    """One shipped font file: its family, weight and style."""

    family: str
    file: str
    weight: int = 400
    style: str = "normal"


FONT_FILES = (
    Face("Regledger Sans", "NotoSans-Regular.woff2"),
    Face("Regledger Sans", "NotoSans-Bold.woff2", weight=700),
    Face("Regledger Sans", "NotoSans-Italic.woff2", style="italic"),
    Face("Regledger Arabic", "NotoSansArabic-Regular.woff2"),
    Face("Regledger Hebrew", "NotoSansHebrew-Regular.woff2"),
    Face("Regledger CJK", "NotoSansCJKsc-Regular.woff2"),
    Face("Regledger Mono", "DejaVuSansMono.woff2"),
)
_SCRIPTS = '"Regledger Arabic", "Regledger Hebrew", "Regledger CJK"'
SANS_STACK = f'"Regledger Sans", {_SCRIPTS}, "Regledger Mono"'  # DejaVu's symbols last (○ ▶ ✓)
MONO_STACK = f'"Regledger Mono", "Regledger Sans", {_SCRIPTS}'


@cache
def font_dir() -> Path:
    """The folder of the shipped fonts, as a real path (the package is installed as files, never zipped)."""
    with as_file(files("regledger.templates") / "fonts") as path:
        return Path(path).resolve()


def font_face_css() -> str:
    """One @font-face rule per shipped file, by its file URL."""
    return "\n".join(
        f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; font-style: {face.style}; '
        f'src: url("{(font_dir() / face.file).as_uri()}") format("woff2"); }}'
        for face in FONT_FILES)
