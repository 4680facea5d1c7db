"""The actions of the timeline format: one frozen pydantic model per kind.

An action is what a person or an importer writes down; it is stored unchanged as the payload of the event that
records it. Validation errors name the field (pydantic's location), and `Action` parses any kind by its `kind` tag.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from functools import cached_property
from typing import Annotated, Any, Literal, Self, cast, get_args

from pydantic import AfterValidator, Field, TypeAdapter, ValidationError, ValidationInfo, model_validator

from .cfr import CfrReference
from .values import (
    Frozen,
    Key,
    LegalDate,
    Line,
    Prose,
    Reliability,
    Source,
    best_source,
    from_storage,
    number_problem,
    parse_legal_date,
    text_problem,
)

__all__ = [
    "ACTIVITIES",
    "ANNOUNCEMENT_KINDS",
    "ITEM_TYPES",
    "KINDS",
    "PARTY_ROLES",
    "REVIEW_POLICIES",
    "RULE_ROLES",
    "Action",
    "ActionBase",
    "Announcement",
    "CommentPeriodOpened",
    "Correction",
    "EntityDelisted",
    "EntityListed",
    "EntryAmended",
    "ListingAnnounced",
    "MeasureAction",
    "MeasureAdopted",
    "MeasureAmended",
    "MeasureAnnounced",
    "MeasureDrafted",
    "MeasureExpired",
    "MeasureProposed",
    "MeasureRef",
    "MeasureRevoked",
    "MeasureWithdrawn",
    "MeetingAction",
    "MeetingCancelled",
    "MeetingHeld",
    "MeetingPostponed",
    "MeetingRef",
    "MeetingRescheduled",
    "MeetingScheduled",
    "PartyRef",
    "PositionStated",
    "Retraction",
    "action_adapter",
    "canonical_json",
    "data_problem",
    "mark_corrections",
    "recorded_key",
    "set_by_corrections",
]

_KEY = "_regledger_recorded_key"  # kept in the instance's __dict__: not a field, not compared, not dumped
_MARKS = "_regledger_set_by"


def recorded_key(action: ActionBase) -> str:
    """The id of the action as recorded, else `sha256:` and the content hash of the action as recorded (a view of
    it through `ActionBase.seen` keeps the recorded key)."""
    found = action.__dict__.get(_KEY)
    if found is not None:
        return cast(str, found)
    return action.id if action.id is not None else f"sha256:{action.content_hash()}"


def set_by_corrections(action: ActionBase) -> dict[str, ActionBase]:
    """Per field path (`details.NAME`, `parameters`), the correction that set it, as seen (see `mark_corrections`)."""
    return cast(dict[str, ActionBase], action.__dict__.get(_MARKS, {}))


def mark_corrections(corrected: ActionBase, before: ActionBase, correction: ActionBase, paths: Any) -> None:
    """Record on `corrected` (`before` with `correction`'s fields applied) which paths `correction` set."""
    marks = dict(set_by_corrections(before))
    for path in paths:
        marks = {p: c for p, c in marks.items() if not p.startswith(f"{path}.")}
        marks[path] = correction
    corrected.__dict__[_MARKS] = marks
    corrected.__dict__[_KEY] = recorded_key(before)

_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
_ACTION_ID = re.compile(r"^\S{1,200}$")


def _check_action_id(value: str, info: ValidationInfo) -> str:
    if not _ACTION_ID.fullmatch(value):
        msg = f"{value!r} is not an action id: 1 to 200 characters, no spaces"
        raise ValueError(msg)
    problem = text_problem(value)
    if problem is not None and not from_storage(info):
        raise ValueError(problem)
    if value.startswith("sha256:"):
        msg = f"{value!r}: ids starting with 'sha256:' are kept for actions recorded without an id"
        raise ValueError(msg)
    return value


def _check_country(value: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", value):
        msg = f"{value!r} is not an ISO 3166-1 alpha-2 country code (two capital letters)"
        raise ValueError(msg)
    return value


def _check_names(mapping: dict[str, Any]) -> dict[str, Any]:
    for name in mapping:
        if not _SNAKE.fullmatch(name):
            msg = f"{name!r} is not a snake_case name"
            raise ValueError(msg)
    return mapping


_date = date  # the field `date` of meeting actions shadows the type inside their classes
ActionId = Annotated[str, AfterValidator(_check_action_id)]
Country = Annotated[str, AfterValidator(_check_country)]
Text = tuple[Line, ...]
Details = Annotated[dict[str, Prose | tuple[Prose, ...]], AfterValidator(_check_names)]  # typed below (_check_details)

# The vocabulary of the rules the determination reads (docs/determination.md): a measure's role (`rule`), the
# transaction roles of 15 CFR 748.5(c)-(f), the activities a general authorization names, item types, ECCNs.
RuleRole = Literal["de_minimis", "country_group", "party_roles", "fdp_entity_list", "general_authorization",
                   "licence_exclusion"]
PartyRole = Literal["purchaser", "intermediate_consignee", "ultimate_consignee", "end_user"]
Activity = Literal["existing_network_operation", "existing_device_support", "security_vulnerability_disclosure",
                   "standards_5g", "standards_contribution"]
ItemType = Literal["commodity", "software", "technology"]
ReviewPolicy = Literal["presumption_of_denial", "case_by_case", "presumption_of_approval", "unknown"]
RULE_ROLES: tuple[str, ...] = get_args(RuleRole)
PARTY_ROLES: tuple[str, ...] = get_args(PartyRole)
ACTIVITIES: tuple[str, ...] = get_args(Activity)
ITEM_TYPES: tuple[str, ...] = get_args(ItemType)
REVIEW_POLICIES: tuple[str, ...] = get_args(ReviewPolicy)


def _check_eccn(value: str) -> str:
    if not re.fullmatch(r"EAR99|[0-9][A-E][0-9]{3}(\.[a-z0-9.]+)?", value):
        msg = f"{value!r} is not an ECCN (e.g. 3E001, 5A992.c) or EAR99"
        raise ValueError(msg)
    return value


def _check_snake(value: str) -> str:
    if not _SNAKE.fullmatch(value):
        msg = f"{value!r} is not a snake_case name"
        raise ValueError(msg)
    return value


Eccn = Annotated[str, AfterValidator(_check_eccn)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Names = tuple[Annotated[str, AfterValidator(_check_snake)], ...]  # parameter or detail names (e.g. `gaps`)

# Typed measure parameters; any other snake_case name keeps its value as given (a single string or number).
_PARAMETER_TYPES: dict[str, TypeAdapter[Any]] = {
    "de_minimis_percent": TypeAdapter(Percent),
    "foreign_direct_product_footnote": TypeAdapter(Line),
    "wind_down_ends_on": TypeAdapter(LegalDate),
    "entries_designated": TypeAdapter(Annotated[int, Field(ge=0)]),
    "affiliates_added": TypeAdapter(Annotated[int, Field(ge=0)]),
    "rule": TypeAdapter(RuleRole),
    "de_minimis_country_groups": TypeAdapter(dict[Line, Percent]),  # country group -> its threshold
    "country_group": TypeAdapter(Line),
    "countries": TypeAdapter(tuple[Country, ...]),
    "party_roles": TypeAdapter(tuple[PartyRole, ...]),
    "fdp_footnote": TypeAdapter(Line),
    "fdp_technology_eccns": TypeAdapter(tuple[Eccn, ...]),
    "fdp_software_eccns": TypeAdapter(tuple[Eccn, ...]),
    "fdp_plant_eccns": TypeAdapter(tuple[Eccn, ...]),
    "fdp_technology_origin": TypeAdapter(Literal["us", "subject_to_ear"]),
    "fdp_requires_footnote_development": TypeAdapter(bool),
    "fdp_knowledge": TypeAdapter(tuple[Literal["destined_to", "incorporated_into", "party"], ...]),
    "authorized_activities": TypeAdapter(tuple[Activity, ...]),
    "contract_executed_on_or_before": TypeAdapter(LegalDate),
    "certification_required": TypeAdapter(bool),
    "excluded_item_types": TypeAdapter(tuple[ItemType, ...]),
    "excluded_eccns": TypeAdapter(tuple[Eccn, ...]),
    "excluded_reasons_for_control": TypeAdapter(tuple[Line, ...]),  # the item's only reasons (e.g. [AT])
    "excluded_activities": TypeAdapter(tuple[Activity, ...]),
    "gaps": TypeAdapter(Names),  # the parameters the record marks as not confirmed
}
_BOOLEAN_PARAMETERS = frozenset({"fdp_requires_footnote_development", "certification_required"})
# Typed entry details (other details are text or lists of text, as given).
_DETAIL_TYPES: dict[str, TypeAdapter[Any]] = {
    "licence_scope": TypeAdapter(Literal["all_items_subject_to_ear"]),
    "licence_review_policy": TypeAdapter(ReviewPolicy),
    "licence_exclusions": TypeAdapter(tuple[Line, ...]),  # keys of the measures that carve items out of the entry
    "footnotes": TypeAdapter(tuple[Line, ...]),
    "gaps": TypeAdapter(Names),
}


def _check_parameters(mapping: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
    """Each parameter's value as its type makes it; as input, a single string (one line) or a number JSON carries
    exactly. Read from the ledger (`STORED`), a value is kept as it was stored."""
    _check_names(mapping)
    stored = from_storage(info)
    checked = {}
    for name, value in mapping.items():
        adapter = _PARAMETER_TYPES.get(name)
        if adapter is not None and isinstance(value, bool) and name not in _BOOLEAN_PARAMETERS:
            msg = f"{name}: expected a {name.rsplit('_', 1)[-1]} value, not true/false"
            raise ValueError(msg)
        if adapter is None and not stored and not isinstance(value, (str, int, float, bool)):
            msg = f"{name}: a parameter value is a single string or number"
            raise ValueError(msg)
        checked[name] = value if adapter is None else _typed(name, adapter, value, info)
        problem = None if stored else _single_value_problem(checked[name])
        if problem is not None:
            msg = f"{name}: {problem}"
            raise ValueError(msg)
    return checked


def _typed(name: str, adapter: TypeAdapter[Any], value: Any, info: ValidationInfo) -> Any:
    """`value` as the typed parameter `name` takes it; ValueError `NAME: problem` otherwise."""
    try:
        return adapter.validate_python(value, context=info.context)
    except ValidationError as error:
        msg = f"{name}: {error.errors()[0]['msg'].removeprefix('Value error, ')}"
        raise ValueError(msg) from None


def _single_value_problem(value: Any) -> str | None:
    """Why a parameter's value is not acceptable input: text with control characters or a line break, or a number
    JSON cannot carry exactly; in a list or mapping (typed parameters), those of `data_problem`."""
    if isinstance(value, tuple | list | dict):
        return data_problem(value)
    return text_problem(value) if isinstance(value, str) else number_problem(value)


def data_problem(value: Any) -> str | None:
    """The first reason `value` (any JSON-like data, nested or not) is not acceptable input, as `PATH: problem`
    (PATH empty for `value` itself): a number JSON cannot carry exactly, or text with a control character other than
    tab and newline. Walked without recursion."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, dict):
            stack.extend((f"{path}.{key}" if path else str(key), child) for key, child in reversed(item.items()))
            found = next((text_problem(key) for key in item if isinstance(key, str) and text_problem(key)), None)
        elif isinstance(item, list | tuple):
            stack.extend((f"{path}[{number}]", child) for number, child in reversed(list(enumerate(item, 1))))
            found = None
        else:
            found = text_problem(item, prose=True) if isinstance(item, str) else number_problem(item)
        if found is not None:
            return f"{path}: {found}" if path else found
    return None


def _exact_data(value: Any, info: ValidationInfo) -> Any:
    """A correction's new value, refused when it holds what `data_problem` finds (as input only)."""
    problem = None if from_storage(info) else data_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


Parameters = Annotated[dict[str, Any], AfterValidator(_check_parameters)]


def _check_details(mapping: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
    """The typed details (`_DETAIL_TYPES`) as their types make them; the others as given."""
    return {name: value if (adapter := _DETAIL_TYPES.get(name)) is None else _typed(name, adapter, value, info)
            for name, value in mapping.items()}


EntryDetails = Annotated[Details, AfterValidator(_check_details)]


class PartyRef(Frozen):
    """A party as an action names it: the key always, the rest where it first appears or changes."""

    key: Key
    name: Line | None = None
    aliases: Text | None = None
    country: Country | None = None
    addresses: Text | None = None
    affiliate_of: Key | None = None  # the party this one is an affiliate of (a cycle is refused when recorded)

    @model_validator(mode="after")
    def _not_its_own_affiliate(self) -> PartyRef:
        if self.affiliate_of is not None and self.affiliate_of == self.key:
            msg = f"affiliate_of: a party cannot be an affiliate of itself ({self.key!r})"
            raise ValueError(msg)
        return self


class MeasureRef(Frozen):
    """A rule, general licence or programme: key always, title where it first appears."""

    key: Key
    title: Line | None = None


class MeetingRef(Frozen):
    """A meeting: key always, title where it first appears."""

    key: Key
    title: Line | None = None


class ActionBase(Frozen):
    """Fields every action has: the three-axis dates (recorded_at comes from the store) and sources."""

    id: ActionId | None = None
    effective_on: LegalDate
    published_on: LegalDate  # optional in input when every source has one: the earliest source date
    sources: tuple[Source, ...] = Field(min_length=1)
    note: Prose | None = None

    @model_validator(mode="before")
    @classmethod
    def _published_from_sources(cls, data: Any) -> Any:
        """Without published_on, the earliest date of the sources when every source has one."""
        if not isinstance(data, dict) or data.get("published_on") is not None:
            return data
        sources = data.get("sources")
        if not isinstance(sources, list | tuple) or not sources:
            return data
        found = []
        for source in sources:
            value = source.get("published_on") if isinstance(source, dict) else getattr(source, "published_on", None)
            try:
                found.append(value if isinstance(value, date) else parse_legal_date(value))
            except (ValueError, TypeError):
                return data  # pydantic reports the missing field or the bad source date
        return {**data, "published_on": min(found)}

    @model_validator(mode="after")
    def _published_is_earliest_source(self, info: ValidationInfo) -> ActionBase:
        if from_storage(info):
            return self
        for place, source in enumerate(self.sources, start=1):
            if source.published_on is not None and source.published_on < self.published_on:
                msg = (f"sources[{place}].published_on {source.published_on} is before the action's published_on "
                       f"{self.published_on}")
                raise ValueError(msg)
        dates = [s.published_on for s in self.sources]
        if all(d is not None for d in dates) and min(d for d in dates if d is not None) != self.published_on:
            earliest = min(d for d in dates if d is not None)
            msg = f"published_on {self.published_on} must equal the earliest source date ({earliest})"
            raise ValueError(msg)
        return self

    @property
    def legal_on(self) -> date:
        """The day the action counts from in legal order: its effective_on (an announcement's: its published_on)."""
        return self.effective_on

    @property
    def tier(self) -> Reliability:
        """The tier of the action's best source."""
        return best_source(self.sources).reliability

    def source_dates(self) -> tuple[date, ...]:
        """Each source's published_on, the action's where the source has none."""
        return tuple(s.published_on or self.published_on for s in self.sources)

    def seen(self, published_by: date | None, min_rank: int) -> Self | None:
        """The action as the public record shows it by `published_by` (open: every source counts) to a reader of
        sources of rank `min_rank` or better: only the sources of that tier dated by then, published_on the
        earliest of their dates (each kept source dated explicitly); None when no source is left. The one rule of
        the public-record axis (DESIGN §2); the action itself when every source counts and its date is unchanged."""
        kept = [(s, d) for s, d in zip(self.sources, self.source_dates(), strict=True)
                if s.reliability.rank >= min_rank and (published_by is None or d <= published_by)]
        if not kept:
            return None
        first = min(d for _, d in kept)
        marks = set_by_corrections(self)
        seen_marks = {p: c.seen(published_by, min_rank) or c for p, c in marks.items()}
        same_marks = all(seen_marks[p] is c for p, c in marks.items())
        if len(kept) == len(self.sources) and first == self.published_on and same_marks:
            return self
        sources = tuple(s if s.published_on is not None else s.model_copy(update={"published_on": d}) for s, d in kept)
        values = {name: getattr(self, name) for name in type(self).model_fields}
        values.update(sources=sources, published_on=first)
        view = cast(Self, self.model_construct(_fields_set=self.model_fields_set | {"published_on"}, **values))
        view.__dict__[_KEY] = recorded_key(self)
        if marks:
            view.__dict__[_MARKS] = seen_marks
        return view

    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of the action: equal content, equal hash."""
        return self._content_hash

    def canonical(self) -> str:
        """The action's canonical JSON (`canonical_json(self.as_data())`), computed once: the hash and the stored
        event both use it."""
        return self._canonical

    @cached_property
    def _canonical(self) -> str:
        return canonical_json(self.as_data())

    @cached_property
    def _content_hash(self) -> str:
        return hashlib.sha256(self._canonical.encode()).hexdigest()

    def as_data(self) -> dict[str, Any]:
        """The action as plain JSON-compatible data, without empty optional fields."""
        return self.model_dump(mode="json", exclude_none=True)


class _Listing(ActionBase):
    list: Key
    party: PartyRef


class _Codified(Frozen):
    """Where the change sits in the Code of Federal Regulations (`15 CFR 744.11`, `15 CFR part 744, supplement no. 4`):
    parsed and stored as canonical lines (`cfr.CfrReference`); absent at rest when not given."""

    cfr: tuple[CfrReference, ...] | None = None


class _Announcement(ActionBase):
    """A statement that something *will* happen: no effective date; it counts from its own published_on."""

    effective_on: None = None  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _no_effective_date(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("effective_on") is not None:
            msg = ("effective_on: an announcement has no effective date (it says a change will happen); record the "
                   "change itself, with its effective_on, when it is made")
            raise ValueError(msg)
        return data

    @property
    def legal_on(self) -> date:
        """An announcement counts from the day it was published."""
        return self.published_on


class ListingAnnounced(_Announcement):
    """An agency or a press report says a party will be added to (or removed from) a list."""

    kind: Literal["listing_announced"]
    list: Key
    party: PartyRef
    change: Literal["add", "remove"] = "add"


class EntityListed(_Listing, _Codified):
    """A party is added to a list (again while listed: a confirmation; after a delisting: a relisting)."""

    kind: Literal["entity_listed"]
    details: EntryDetails | None = None


class EntryAmended(_Listing, _Codified):
    """A listed party's entry changes: details given replace, aliases/addresses/name given replace."""

    kind: Literal["entry_amended"]
    details: EntryDetails | None = None


class EntityDelisted(_Listing, _Codified):
    """A party is removed from a list."""

    kind: Literal["entity_delisted"]


class _Measure(ActionBase):
    measure: MeasureRef


class _Applies(Frozen):
    """Whom a measure applies to: parties by key (and, with include_affiliates, their affiliates). Given on an
    amendment, both replace the measure's."""

    applies_to: tuple[Key, ...] | None = None
    include_affiliates: bool | None = None  # read as false when not given


class MeasureAnnounced(_Announcement, _Applies, _Codified):
    """An agency or a press report says a measure will be made (or changed)."""

    kind: Literal["measure_announced"]
    measure: MeasureRef
    expires_on: LegalDate | None = None
    parameters: Parameters | None = None


class MeasureDrafted(_Measure, _Applies, _Codified):
    """A draft rule is sent for review (e.g. to OMB) without being published as a proposal."""

    kind: Literal["measure_drafted"]
    expires_on: LegalDate | None = None
    parameters: Parameters | None = None


class MeasureProposed(_Measure, _Applies, _Codified):
    """A rule is proposed, optionally with a comment period."""

    kind: Literal["measure_proposed"]
    comments_close_on: LegalDate | None = None
    expires_on: LegalDate | None = None
    parameters: Parameters | None = None


class CommentPeriodOpened(_Measure):
    """A comment period opens (again when reopened)."""

    kind: Literal["comment_period_opened"]
    comments_close_on: LegalDate


class MeasureAdopted(_Measure, _Applies, _Codified):
    """A measure is adopted: in force from effective_on, through expires_on when given."""

    kind: Literal["measure_adopted"]
    expires_on: LegalDate | None = None
    parameters: Parameters | None = None


class MeasureAmended(_Measure, _Applies, _Codified):
    """A measure changes: a new expires_on extends it (even after a lapse); parameters given replace."""

    kind: Literal["measure_amended"]
    title: Line | None = None
    expires_on: LegalDate | None = None
    parameters: Parameters | None = None


class MeasureWithdrawn(_Measure):
    """A draft or proposal is abandoned before adoption, from effective_on. On an adopted measure (files written
    before `measure_revoked` existed) it is read as a revocation."""

    kind: Literal["measure_withdrawn"]


class MeasureRevoked(_Measure, _Codified):
    """An adopted measure is ended by a later rule (or guidance rescinded), from effective_on."""

    kind: Literal["measure_revoked"]


class MeasureExpired(_Measure):
    """A measure is no longer in force from effective_on."""

    kind: Literal["measure_expired"]


class _Meeting(ActionBase):
    meeting: MeetingRef


class MeetingScheduled(_Meeting):
    """A meeting is set for a date."""

    kind: Literal["meeting_scheduled"]
    date: LegalDate


class MeetingRescheduled(_Meeting):
    """A meeting moves to a new date."""

    kind: Literal["meeting_rescheduled"]
    date: LegalDate


class MeetingPostponed(_Meeting):
    """A meeting is put off with no new date."""

    kind: Literal["meeting_postponed"]


class MeetingHeld(_Meeting):
    """A meeting took place (on `date`, else on effective_on)."""

    kind: Literal["meeting_held"]
    date: LegalDate | None = None
    outcome: Prose | None = None

    @property
    def held_on(self) -> _date:
        """The day the meeting took place."""
        return self.date or self.effective_on


class MeetingCancelled(_Meeting):
    """A meeting is called off."""

    kind: Literal["meeting_cancelled"]


class PositionStated(ActionBase):
    """An actor's stance on a measure or on a proposition (topic)."""

    kind: Literal["position_stated"]
    actor: Key
    actor_name: Line | None = None
    topic: Key | None = None
    measure: MeasureRef | None = None
    stance: Literal["supports", "opposes", "undecided", "neutral"]
    certainty: Literal["certain", "likely", "possible", "unlikely"] | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> PositionStated:
        if (self.topic is None) == (self.measure is None):
            msg = "a position names exactly one of topic or measure"
            raise ValueError(msg)
        return self

    @property
    def subject(self) -> str:
        """The position's subject: the topic, or `measure:KEY`."""
        return self.topic if self.topic is not None else f"measure:{self.measure.key}"  # type: ignore[union-attr]


class _Amendment(ActionBase):
    """A correction or retraction: visible by its own dates; effective_on is accepted and ignored."""

    effective_on: LegalDate | None = None  # type: ignore[assignment]


class Correction(_Amendment):
    """Replaces fields of an earlier action, named by its id; nested fields by dotted path."""

    kind: Literal["correction"]
    corrects: ActionId
    fields: dict[str, Annotated[Any, AfterValidator(_exact_data)]] = Field(min_length=1)

    @model_validator(mode="after")
    def _not_identity(self, info: ValidationInfo) -> Correction:
        for path in self.fields:
            problem = None if from_storage(info) else text_problem(path)
            if problem is not None:
                msg = f"fields: the path {path!r}: {problem}"
                raise ValueError(msg)
            if path.split(".")[0] in {"kind", "id"}:
                msg = f"fields.{path}: a correction cannot change kind or id"
                raise ValueError(msg)
        return self


class Retraction(_Amendment):
    """Withdraws an earlier action, named by its id, from the record."""

    kind: Literal["retraction"]
    retracts: ActionId
    reason: Prose


ListingAction = EntityListed | EntryAmended | EntityDelisted | ListingAnnounced
MeasureAction = (
    MeasureProposed | CommentPeriodOpened | MeasureAdopted | MeasureAmended | MeasureWithdrawn | MeasureExpired
    | MeasureAnnounced | MeasureDrafted | MeasureRevoked
)
Announcement = ListingAnnounced | MeasureAnnounced
ANNOUNCEMENT_KINDS = ("listing_announced", "measure_announced")
MeetingAction = MeetingScheduled | MeetingRescheduled | MeetingPostponed | MeetingHeld | MeetingCancelled
Action = Annotated[
    ListingAction | MeasureAction | MeetingAction | PositionStated | Correction | Retraction,
    Field(discriminator="kind"),
]
action_adapter: TypeAdapter[Action] = TypeAdapter(Action)
KINDS: tuple[str, ...] = tuple(
    cls.model_fields["kind"].annotation.__args__[0]  # type: ignore[union-attr]
    for cls in (
        EntityListed, EntryAmended, EntityDelisted, MeasureProposed, CommentPeriodOpened, MeasureAdopted,
        MeasureAmended, MeasureWithdrawn, MeasureExpired, MeetingScheduled, MeetingRescheduled, MeetingPostponed,
        MeetingHeld, MeetingCancelled, PositionStated, Correction, Retraction, ListingAnnounced, MeasureAnnounced,
        MeasureDrafted, MeasureRevoked,
    )
)


def canonical_json(data: Any) -> str:
    """One spelling of a value: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
