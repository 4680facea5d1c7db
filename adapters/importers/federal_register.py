"""Federal Register documents (the API's `/api/v1/documents` JSON) become measure actions, tier `official`.

- `Rule` / `RULE` → `measure_adopted`; `Presidential Document` / `PRESDOCU` → `measure_adopted` (effective on
  signing when the API gives no `effective_on`); `Proposed Rule` / `PRORULE` → `measure_proposed` with its comment
  period; `Notice` / `NOTICE` with `comments_close_on` → `comment_period_opened` (a notice without one records
  nothing); a document with `correction_of` → a `correction` of the document it corrects, adding its citation.
- Each document is its own measure, keyed `fr-DOCUMENT_NUMBER`, unless `--measure KEY` or a links file (document
  number or RIN → measure key) names a measure: then it adopts that measure when the ledger does not know it yet,
  and amends it when it does. A null `effective_on` falls back to the publication date.
- Every action's id is `fr-DOCUMENT_NUMBER`, so importing a document again is a no-op and a document number seen
  before with other content is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import ErrorDetails

from regledger.adapters.errors import InputError, dotted, problem, shown, validated
from regledger.adapters.importers.files import (
    LineText,
    ProseText,
    fields_of,
    labelled,
    line_text,
    numbered,
    parse_file,
    parse_json,
    read_text,
)
from regledger.adapters.store.ledger import Located
from regledger.domain import action_adapter
from regledger.domain.values import LegalDate, check_key, text_problem

__all__ = ["Document", "FederalRegisterImport", "Read", "read_documents", "read_links"]

_TYPES = {
    "Rule": "rule", "RULE": "rule",
    "Proposed Rule": "proposed", "PRORULE": "proposed",
    "Notice": "notice", "NOTICE": "notice",
    "Presidential Document": "presidential", "PRESDOCU": "presidential",
}
_DOC_IN_URL = re.compile(r"/documents/(?:\d{4}/\d{2}/\d{2}/)?([A-Za-z0-9-]+?)(?:\.json)?(?:/[^/]*)?/?$")
_KEY_UNSAFE = re.compile(r"[^a-z0-9._-]+")


class Agency(BaseModel):
    """An agency as the API lists it (only the name is used)."""

    model_config = ConfigDict(extra="ignore")
    name: LineText | None = None
    raw_name: LineText | None = None


class Document(BaseModel):
    """The fields of a Federal Register API document that regledger reads; other fields are ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    document_number: Annotated[str, Field(min_length=1), AfterValidator(line_text)]
    type: Literal["Rule", "RULE", "Proposed Rule", "PRORULE", "Notice", "NOTICE", "Presidential Document", "PRESDOCU"]
    title: Annotated[str, Field(min_length=1), AfterValidator(line_text)]
    publication_date: LegalDate
    citation: LineText | None = None
    action: ProseText | None = None
    abstract: ProseText | None = None
    effective_on: LegalDate | None = None
    signing_date: LegalDate | None = None
    comments_close_on: LegalDate | None = None
    agencies: list[Agency] = Field(default_factory=list)
    cfr_references: list[dict[str, Any]] = Field(default_factory=list)
    regulation_id_numbers: list[LineText] = Field(default_factory=list)
    docket_ids: list[LineText] = Field(default_factory=list)
    html_url: LineText | None = None
    correction_of: LineText | None = None
    corrections: list[LineText] = Field(default_factory=list)

    @property
    def kind(self) -> str:
        """rule | proposed | notice | presidential."""
        return _TYPES[self.type]

    @property
    def effective(self) -> date:
        """When it binds: `effective_on`, else signing (presidential documents), else publication."""
        if self.effective_on:
            return self.effective_on
        if self.kind == "presidential" and self.signing_date:
            return self.signing_date
        return self.publication_date

    def source(self) -> dict[str, Any]:
        """The document as an official source."""
        found = {"citation": self.citation, "document_number": self.document_number, "title": self.title,
                 "url": self.html_url if self.html_url and self.html_url.startswith("https://") else None,
                 "publisher": "Federal Register", "reliability": "official"}
        return {k: v for k, v in found.items() if v}


@dataclass(frozen=True)
class Read:
    """A document and where it was read (`FILE: document N [NUMBER]`)."""

    where: str
    document: Document


def read_documents(path: Path) -> list[Read]:
    """The documents of one API response file: a document, a list, or a search result with `results`."""
    data = parse_json(path, read_text(path))
    items = data.get("results", [data]) if isinstance(data, dict) else data
    refusal = "expected a document, a list of documents, or a search result with 'results'"
    return [_document(where, item) for where, item in numbered(path, items, "document", refusal)]


def _document(where: str, item: Any) -> Read:
    item = fields_of(where, item, "a document is a JSON object")
    where = labelled(where, item.get("document_number"))
    return Read(where, validated(where, Document.model_validate, item, whole="document", spell=dotted,
                                 explain=_problem))


def _problem(detail: ErrorDetails) -> str:
    """An unknown document type, with the types known; any other problem as `problem` words it."""
    if detail["type"] == "literal_error":
        return f"unknown document type {detail['input']!r} (one of: {', '.join(_TYPES)})"
    return problem(detail)


def read_links(path: Path) -> dict[str, str]:
    """A links file: a JSON or YAML mapping from document number or RIN (one line of text) to a measure key;
    InputError `FILE: …` otherwise, naming the entry (`FILE: NUMBER: problem`) when one is wrong."""
    data = parse_file(path)
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise InputError(f"{path}: a links file maps document numbers or RINs to measure keys")
    for number, key in data.items():
        problem = text_problem(number)
        try:
            check_key(key)
        except ValueError as error:
            problem = problem or str(error)
        if problem is not None:
            raise InputError(f"{path}: {shown(number)}: {problem}")
    return data


@dataclass
class FederalRegisterImport:
    """Turns documents into actions; `measure_known(key)` and `recorded(action_id)` (the stored action's data, or
    None) look into the ledger."""

    measure_known: Callable[[str], bool]
    recorded: Callable[[str], dict[str, Any] | None]
    measure: str | None = None
    links: dict[str, str] = field(default_factory=dict)
    not_applicable: list[str] = field(default_factory=list)
    _seen_measures: set[str] = field(default_factory=set)
    _sources: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _kept: tuple[set[str], dict[str, list[dict[str, Any]]], int] | None = field(default=None, init=False, repr=False)

    def actions(self, reads: list[Read]) -> list[Located]:
        """The actions of the documents, in the order given. What they teach the importer (measures seen, sources
        of documents) is kept only when the caller `keep()`s it, after the file was recorded."""
        self._kept = (set(self._seen_measures), dict(self._sources), len(self.not_applicable))
        located = []
        for read in reads:
            data = self._action(read)
            if data is None:
                continue
            # a refusal names the innermost field, in pydantic's own words, as it always has
            action = validated(read.where, action_adapter.validate_python, data, spell=lambda path: str(path[-1]),
                               explain=lambda detail: detail["msg"])
            located.append(Located(read.where, action))
        return located

    def keep(self, kept: bool) -> None:
        """Keep what the last file taught (it was recorded), or forget it (it was refused); nothing to keep or
        forget when no documents were turned into actions since the last call (the file could not be read)."""
        if self._kept is not None and not kept:
            self._seen_measures, self._sources, count = self._kept
            del self.not_applicable[count:]
        self._kept = None

    def _action(self, read: Read) -> dict[str, Any] | None:
        doc = read.document
        base: dict[str, Any] = {"id": f"fr-{doc.document_number}", "published_on": doc.publication_date.isoformat(),
                                "sources": [doc.source()], "note": _note(doc)}
        if doc.correction_of:
            return self._correction(read, base)
        key, linked = self._measure_key(doc)
        earlier = self.recorded(base["id"])
        if earlier is not None:  # imported before: decide as then, so that importing again changes nothing
            known = "title" not in earlier.get("measure", {})
        else:
            known = key in self._seen_measures or (linked and self.measure_known(key))
        self._seen_measures.add(key)
        self._sources[base["id"]] = base["sources"]
        measure = {"key": key} if known else {"key": key, "title": doc.title}
        base |= {"measure": measure, "effective_on": doc.effective.isoformat()}
        if doc.kind == "proposed":
            close = doc.comments_close_on
            return {**base, "kind": "measure_proposed", **({"comments_close_on": close.isoformat()} if close else {})}
        if doc.kind == "notice":
            if doc.comments_close_on is None:
                self.not_applicable.append(f"{read.where}: a notice without a comment period records nothing")
                return None
            return {**base, "kind": "comment_period_opened", "comments_close_on": doc.comments_close_on.isoformat()}
        return {**base, "kind": "measure_amended" if known else "measure_adopted"}

    def _correction(self, read: Read, base: dict[str, Any]) -> dict[str, Any]:
        target = _document_number(read.document.correction_of or "")
        target_id = f"fr-{target}"
        earlier = self.recorded(target_id)
        sources = self._sources.get(target_id) or (earlier or {}).get("sources")
        if sources is None:
            raise InputError(f"{read.where}: correction_of: document {target} has not been imported")
        fields = {"sources": [*sources, *base["sources"]]}
        return {**base, "kind": "correction", "corrects": target_id, "fields": fields}

    def _measure_key(self, doc: Document) -> tuple[str, bool]:
        linked = self.measure or self.links.get(doc.document_number) or next(
            (self.links[rin] for rin in doc.regulation_id_numbers if rin in self.links), None
        )
        if linked:
            return linked, True
        return "fr-" + _KEY_UNSAFE.sub("-", doc.document_number.lower()).strip("-"), False


def _document_number(reference: str) -> str:
    """A document number from a number or an API/web URL of the document."""
    found = _DOC_IN_URL.search(reference)
    return found.group(1) if found and "/" in reference else reference.strip()


def _note(doc: Document) -> str:
    parts = [doc.action or "", doc.abstract or ""]
    if doc.regulation_id_numbers:
        parts.append(f"RIN {', '.join(doc.regulation_id_numbers)}.")
    if doc.docket_ids:
        parts.append(f"{'; '.join(doc.docket_ids)}.")
    agencies = [a.name or a.raw_name for a in doc.agencies if a.name or a.raw_name]
    if agencies:
        parts.append(f"Agencies: {', '.join(a for a in agencies if a)}.")
    return " ".join(p.strip() for p in parts if p.strip())[:10_000] or doc.title
