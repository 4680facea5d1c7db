"""Consolidated Screening List snapshots: trade.gov's JSON (the search response `{"results": [...]}`, or a plain
list) and its CSV download (a header row; multi-valued cells separated by `; `; an address is one string).

Each entry's `source` names its list; the lists a snapshot covers are the sources it contains, mapped to list keys
by `SOURCES` (docs/importers.md shows the same table). A source is accepted as the API spells it (`Entity List (EL)
- Bureau of Industry and Security`), as its short code (`EL`), or as any spelling with the code in parentheses.
Problems read `FILE: record N [NAME]: FIELD: problem` (JSON, N counting from 1) or `FILE: row N [NAME]: …` (CSV,
the header being row 1, as a spreadsheet shows it).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import ErrorDetails

from regledger.adapters.errors import InputError, problem, validated
from regledger.adapters.importers.files import fields_of, labelled, line_text, numbered, parse_json, read_text
from regledger.domain import canonical_json
from regledger.domain.values import LegalDate

__all__ = ["REQUIRED_COLUMNS", "SOURCES", "Read", "Record", "Snapshot", "list_key_of", "read_snapshot"]

# (short code, the source as the API spells it, regledger's list key)
SOURCES: tuple[tuple[str, str, str], ...] = (
    ("EL", "Entity List (EL) - Bureau of Industry and Security", "us-bis-entity-list"),
    ("MEU", "Military End User (MEU) List - Bureau of Industry and Security", "us-bis-meu-list"),
    ("UVL", "Unverified List (UVL) - Bureau of Industry and Security", "us-bis-unverified-list"),
    ("DPL", "Denied Persons List (DPL) - Bureau of Industry and Security", "us-bis-denied-persons"),
    ("SDN", "Specially Designated Nationals (SDN) - Treasury Department", "us-ofac-sdn"),
    ("FSE", "Foreign Sanctions Evaders (FSE) - Treasury Department", "us-ofac-fse"),
    ("SSI", "Sectoral Sanctions Identifications List (SSI) - Treasury Department", "us-ofac-ssi"),
    ("CAP", "Capta List (CAP) - Treasury Department", "us-ofac-capta"),
    ("CMIC", "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
     "us-ofac-cmic"),
    ("MBS", "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", "us-ofac-ns-mbs"),
    ("PLC", "Palestinian Legislative Council List (PLC) - Treasury Department", "us-ofac-plc"),
    ("ISN", "Nonproliferation Sanctions (ISN) - State Department", "us-state-isn"),
    ("DTC", "ITAR Debarred (DTC) - State Department", "us-state-dtc"),
)
_SPELLINGS = {s.casefold(): key for code, name, key in SOURCES for s in (code, name)} | {
    "ns-mbs": "us-ofac-ns-mbs", "ns-cmic": "us-ofac-cmic", "capta": "us-ofac-capta",
}
_CODE_IN_NAME = re.compile(r"\(([A-Za-z-]+)(?: list)?\)", re.IGNORECASE)
_COUNTRY = re.compile(r"^[A-Z]{2}$")
REQUIRED_COLUMNS = ("source", "name", "alt_names", "addresses", "federal_register_notice", "start_date",
                    "license_requirement", "license_policy")
_SEPARATOR = "; "


def list_key_of(source: str) -> str | None:
    """The list key of a CSL source, however spelt; None when unknown."""
    spelt = " ".join(source.split()).casefold()
    if spelt in _SPELLINGS:
        return _SPELLINGS[spelt]
    found = _CODE_IN_NAME.search(spelt)
    return _SPELLINGS.get(found.group(1).casefold()) if found else None


def _blank_to_none(value: Any) -> Any:
    """Text with its runs of white space made one space, None when blank; any other value as it is (pydantic
    refuses what is not text where text is expected: a number is not turned into text)."""
    if isinstance(value, str):
        return " ".join(value.split()) or None
    return value


def _identifier(value: Any) -> Any:
    """An identifier or a postal code: text as `_blank_to_none` makes it, or a whole number written as one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _blank_to_none(value)


def _many(value: Any) -> Any:
    """A list of texts: a JSON list, or a cell of texts separated by `; `; blanks dropped, each once."""
    if value is None:
        return ()
    items = value.split(_SEPARATOR) if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        return value  # pydantic names the problem
    texts = [t for t in (_blank_to_none(item) for item in items) if t is not None]
    if not all(isinstance(t, str) for t in texts):
        return texts  # pydantic names the item that is not text
    return tuple(dict.fromkeys(texts))


def _addresses(value: Any) -> Any:
    """Addresses as strings `address, city, state, postal_code, country` (the CSV's spelling of the API's objects)."""
    if isinstance(value, list):
        value = [_address_line(number, item) if isinstance(item, dict) else item
                 for number, item in enumerate(value, start=1)]
    return _many(value)


def _address_line(number: int, address: dict[Any, Any]) -> str:
    """An address object of the API as one line; ValueError naming a part that is neither text nor a number."""
    parts = []
    for name in _ADDRESS_PARTS:
        part = _identifier(address.get(name))
        if part is not None and not isinstance(part, str):
            msg = f"address {number}: {name}: expected text, not {type(part).__name__}"
            raise ValueError(msg)
        if part is not None:
            parts.append(part)
    return ", ".join(parts)


_ADDRESS_PARTS = ("address", "city", "state", "postal_code", "country")
Long = Annotated[str, Field(max_length=10_000), AfterValidator(line_text)]
Text = Annotated[Long | None, BeforeValidator(_blank_to_none)]
Texts = Annotated[tuple[Long, ...], BeforeValidator(_many)]
Day = Annotated[LegalDate | None, BeforeValidator(_blank_to_none)]


class Record(BaseModel):
    """The fields of a screening-list entry that regledger reads; other fields are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    source: Annotated[str, BeforeValidator(_blank_to_none)]
    name: Annotated[Long, BeforeValidator(_blank_to_none)]
    alt_names: Texts = ()
    addresses: Annotated[tuple[Long, ...], BeforeValidator(_addresses)] = ()
    programs: Texts = ()
    federal_register_notice: Text = None
    start_date: Day = None
    end_date: Day = None
    license_requirement: Text = None
    license_policy: Text = None
    remarks: Text = None
    source_list_url: Text = None
    entity_number: Annotated[Long | None, BeforeValidator(_identifier)] = None

    @field_validator("source")
    @classmethod
    def _known_source(cls, value: str) -> str:
        if list_key_of(value) is None:
            codes = ", ".join(code for code, _, _ in SOURCES)
            msg = f"unknown source {value!r} (a Consolidated Screening List source: {codes}, or its full name)"
            raise ValueError(msg)
        return value

    @property
    def list_key(self) -> str:
        """The regledger list this entry is on."""
        return list_key_of(self.source) or ""

    @property
    def country(self) -> str | None:
        """The ISO alpha-2 country of the first address that ends with one."""
        for address in self.addresses:
            last = address.rsplit(", ", 1)[-1].strip()
            if _COUNTRY.match(last):
                return last
        return None

    @property
    def terms(self) -> dict[str, str]:
        """The licence terms the entry gives (the `details` of a listing)."""
        found = {"license_requirement": self.license_requirement, "license_policy": self.license_policy}
        return {k: v for k, v in found.items() if v}

    def content(self) -> dict[str, Any]:
        """What regledger takes from the entry, as plain data (for the snapshot's digest)."""
        return {"list": self.list_key, "name": self.name, "alt_names": list(self.alt_names),
                "addresses": list(self.addresses), "start_date": str(self.start_date or ""), **self.terms,
                "federal_register_notice": self.federal_register_notice, "url": self.source_list_url}


@dataclass(frozen=True)
class Read:
    """An entry and where it was read (`FILE: record N [NAME]` or `FILE: row N [NAME]`)."""

    where: str
    record: Record


@dataclass(frozen=True)
class Snapshot:
    """A snapshot file's entries, the lists they cover, and a digest of their content (equal in JSON and CSV)."""

    path: Path
    reads: tuple[Read, ...]

    @cached_property
    def lists(self) -> tuple[str, ...]:
        """The list keys the snapshot covers, in the order first seen."""
        return tuple(dict.fromkeys(r.record.list_key for r in self.reads))

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the entries' content, in any order."""
        lines = sorted(canonical_json(r.record.content()) for r in self.reads)
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def read_snapshot(path: Path) -> Snapshot:
    """The entries of a snapshot file, JSON or CSV (by suffix, else by its first character), all validated."""
    text = read_text(path)
    is_json = path.suffix.lower() == ".json" or (path.suffix.lower() != ".csv" and text.lstrip()[:1] in {"{", "["})
    rows = _json_rows(path, text) if is_json else _csv_rows(path, text)
    reads = tuple(_read(where, row) for where, row in rows)
    if not reads:
        raise InputError(f"{path}: the snapshot holds no entries, so it covers no list")
    return Snapshot(path, reads)


def _json_rows(path: Path, text: str) -> list[tuple[str, Any]]:
    data = parse_json(path, text)
    items = data.get("results") if isinstance(data, dict) else data
    return numbered(path, items, "record", "expected a list of entries, or a search response with 'results'")


def _csv_rows(path: Path, text: str) -> list[tuple[str, Any]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[str, Any]] = []
    try:
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise InputError(f"{path}: row 1 (header): {missing[0]}: column missing (a snapshot's header names "
                             f"{', '.join(REQUIRED_COLUMNS)})")
        reader.fieldnames = header
        for row in reader:
            rows.append(_csv_row(path, len(rows) + 2, row, len(header)))
    except csv.Error as error:
        raise InputError(f"{path}: row {len(rows) + 2}: not valid CSV: {error}") from None
    return rows


def _csv_row(path: Path, number: int, row: dict[Any, Any], width: int) -> tuple[str, Any]:
    where = f"{path}: row {number}"
    cells = len(row.get(None, ())) + sum(1 for k, v in row.items() if k is not None and v is not None)
    if cells != width:
        name = row.get("name")
        raise InputError(f"{where}{f' [{name}]' if name else ''}: the row has {cells} cells, the header {width}")
    return where, row


def _read(where: str, item: Any) -> Read:
    item = fields_of(where, item, "an entry is an object of fields")
    where = labelled(where, _blank_to_none(item.get("name")))
    return Read(where, validated(where, Record.model_validate, item, whole="entry", explain=_problem))


def _problem(detail: ErrorDetails) -> str:
    """A blank cell where text is required is missing; any other problem as `problem` words it."""
    if detail["type"] == "string_type" and detail["input"] is None:
        return "missing (required)"
    return problem(detail)

