"""A place in the Code of Federal Regulations, as a listing, amendment or measure action cites it (`cfr:`).

Written in a timeline file the way a lawyer or the Federal Register writes it, e.g. `15 CFR 744.11`,
`15 CFR 736.2(b)(3)(vi)`, `15 CFR part 744`, `15 CFR part 744, supplement no. 4` (also `15 C.F.R. § 744.11`,
`pt. 744, supp. 4`, `Supp. No. 4 to part 744`, `…, footnote 1`). It is parsed into a small typed reference — title,
part, section, paragraph, supplement, footnote — and stored as one canonical line (`text()`), so that the same place
written two ways is one value and a stored action reads back exactly as it was hashed. Anything else is refused with
a message saying what a reference looks like.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, model_serializer, model_validator

from .values import Frozen

__all__ = ["CfrReference", "parse_cfr"]

_TITLE = r"(?P<title>\d{1,2})\s*(?:CFR|C\.\s?F\.\s?R\.)\s*"
_SECTION = re.compile(_TITLE + r"(?:§+\s*|sec(?:tion|\.)?\s*)?(?P<part>\d{1,4})\.(?P<section>\d{1,4}[a-z]?)"
                      r"(?P<paragraph>(?:\(\w{1,6}\))*)$", re.IGNORECASE)
_SUPPLEMENT = r"(?:supplement|supp\.?)\s*(?:no\.?\s*)?(?P<supplement>\d{1,3})"
_FOOTNOTE = r"(?:\s*,?\s*(?:footnote|n\.)\s*(?P<footnote>\d{1,3}))?"
_PART = re.compile(_TITLE + r"(?:part|pt\.?)\s*(?P<part>\d{1,4})(?:\s*,\s*" + _SUPPLEMENT + ")?" + _FOOTNOTE + "$",
                   re.IGNORECASE)
_SUPPLEMENT_TO = re.compile(_TITLE + r",?\s*" + _SUPPLEMENT + r"\s+to\s+part\s*(?P<part>\d{1,4})" + _FOOTNOTE + "$",
                            re.IGNORECASE)
_FORMS = "e.g. '15 CFR 744.11', '15 CFR 736.2(b)(3)(vi)', '15 CFR part 744' or '15 CFR part 744, supplement no. 4'"


class CfrReference(Frozen):
    """Title, part and one of: a section (with an optional paragraph) or a supplement (with an optional footnote)."""

    title: int = Field(ge=1, le=50)
    part: int = Field(ge=1)
    section: str | None = None  # the number after the part's dot: "11" in 744.11
    paragraph: str | None = None  # "(b)(3)(vi)"
    supplement: int | None = Field(default=None, ge=1)
    footnote: int | None = Field(default=None, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        """A reference written as text is parsed (`parse_cfr`); a mapping is taken field by field."""
        return parse_cfr(data) if isinstance(data, str) else data

    @model_validator(mode="after")
    def _one_place(self) -> CfrReference:
        if self.section is not None and self.supplement is not None:
            msg = "a CFR reference names a section or a supplement, not both"
            raise ValueError(msg)
        if self.paragraph and self.section is None:
            msg = "a paragraph belongs to a section"
            raise ValueError(msg)
        if self.footnote is not None and self.supplement is None:
            msg = "a footnote belongs to a supplement"
            raise ValueError(msg)
        return self

    @model_serializer(mode="plain")
    def _as_text(self) -> str:
        return self.text()

    def text(self) -> str:
        """The canonical line: `15 CFR 744.11`, `15 CFR part 744, supplement no. 4, footnote 1`."""
        if self.section is not None:
            return f"{self.title} CFR {self.part}.{self.section}{self.paragraph or ''}"
        supplement = f", supplement no. {self.supplement}" if self.supplement is not None else ""
        footnote = f", footnote {self.footnote}" if self.footnote is not None else ""
        return f"{self.title} CFR part {self.part}{supplement}{footnote}"


def parse_cfr(text: str) -> dict[str, Any]:
    """The fields of the reference `text` writes; ValueError saying what a reference looks like otherwise."""
    written = " ".join(text.split())
    for form in (_SECTION, _PART, _SUPPLEMENT_TO):
        found = form.fullmatch(written)
        if found is not None:
            fields = {name: value for name, value in found.groupdict().items() if value}
            return {name: value.lower() if name == "section" else value if name == "paragraph" else int(value)
                    for name, value in fields.items()}
    msg = f"{text!r} is not a CFR reference ({_FORMS})"
    raise ValueError(msg)
