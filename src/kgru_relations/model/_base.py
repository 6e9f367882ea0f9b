"""The machinery every model class shares: ids, field checks, the Entity base.

Each model class is an ``attrs`` frozen, slotted, keyword-only class. Its fields
declare a *check* (a function that returns the value, normalised, or raises
[`ValidationError`][kgru_relations.ValidationError] at ``$``) and, for references to other
entities, the kinds of entity they may point to. [`Entity`][kgru_relations.Entity] runs every
field's check when an object is built, collects every problem with its field
path, then runs the class's cross-field rules, and raises once.
"""

from __future__ import annotations

import datetime as _dt
import enum
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, ClassVar, Final, TypeVar

import attrs

from kgru_relations._checks import Check, Choice, Instance, IntRange, Many, Optional, Rule, Wire
from kgru_relations._codegen import recompiled
from kgru_relations._text import check_paragraphs as check_paragraphs  # noqa: PLC0414 - re-exported
from kgru_relations._text import check_text as check_text  # noqa: PLC0414 - re-exported
from kgru_relations.codes import country_rule
from kgru_relations.dates import DATE_SCHEMA_PATTERN, PartialDate, Period, period_schema_pattern
from kgru_relations.errors import Issue, IssueCollector, ValidationError, shown, typed
from kgru_relations.names import Name, NameKind

__all__ = [
    "KINDS",
    "Confidence",
    "Entity",
    "Fact",
    "Record",
    "is_singleton",
    "iter_references",
    "kind_of",
    "reference_kinds",
    "valid_id",
]

#: The kind prefix of every entity id, singular, as in ``person:sergey-lavrov``.
KINDS: Final = (
    "source",
    "state",
    "organization",
    "person",
    "position",
    "tenure",
    "membership",
    "chairmanship",
    "agreement",
    "event",
    "statement",
    "indicator",
    "observation",
)
_SLUG: Final = r"[a-z0-9]+(?:[-_.][a-z0-9]+)*"
"""The id rule's slug: the one definition the model, the load paths and the schema read."""
_ID = re.compile(rf"(?P<kind>[a-z]+):{_SLUG}\Z")  # compiled from _SLUG (see _compile_id_form)
_ID_FORM: Final = (
    "expected 'kind:slug', the slug in lowercase letters, digits and single "
    "'-', '_' or '.' between them, such as 'person:sergey-lavrov'"
)

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


def kind_of(entity_id: str) -> str:
    """Return the kind part of an entity id: ``kind_of("state:kg") == "state"``."""
    return entity_id.partition(":")[0]


def valid_id(value: object, kinds: Iterable[str] = KINDS) -> str:
    """Return *value* if it is a well-formed id of one of *kinds*, else raise at ``$``.

    Examples:
        >>> valid_id("person:sergey-lavrov")
        'person:sergey-lavrov'
    """
    if not isinstance(value, str):
        raise ValidationError.at("$", f"expected an id as text, got {typed(value)}")
    match = _ID.match(value)
    if match is None:
        raise ValidationError.at("$", f"{shown(value)} is not a valid id; {_ID_FORM}")
    allowed = tuple(kinds)
    if match["kind"] not in allowed:
        expected = " or ".join(repr(f"{kind}:") for kind in allowed)
        raise ValidationError.at(
            "$", f"{shown(value)} does not start with {expected}, the kinds of id allowed here"
        )
    return value


class Confidence(enum.Enum):
    """How sure the data is of a fact, as the dataset's sources allow."""

    VERIFIED = "verified"
    """Found in the cited source."""
    LIKELY = "likely"
    """Derived, or from a weaker source."""
    UNVERIFIED = "unverified"
    """Only one report says so; kept, cited, and marked."""


# --- field checks ---------------------------------------------------------------
# Each is a check object (kgru_relations._checks): called, it returns the raw
# value (normalised) or raises at "$"; its schema() is the JSON Schema that
# says the same, so the schema is derived from the rule, never written again.


def _true_or_false(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValidationError.at("$", f"expected true or false, got {typed(value)}")
    return value


check_bool: Final = Rule(_true_or_false, lambda: {"type": "boolean"}, wire=bool)
"""``True`` or ``False``; not 0, 1 or text."""


def check_int(low: int, high: int) -> IntRange:
    """An ``int`` (not a ``bool``) from *low* to *high*."""
    return IntRange(low, high)


def optional(check: Check) -> Optional:
    """*check*, or ``None``."""
    return Optional(check)


def instance(cls: type[T]) -> Instance[T]:
    """An instance of *cls*."""
    return Instance(cls)


def choice(cls: type[E]) -> Choice[E]:
    """A member of the enumeration *cls*, or its value (``"in_force"``)."""
    return Choice(cls)


def many(item: Check, *, min_size: int = 0, unique: bool = True) -> Many:
    """A tuple (a list is accepted) of items, each passing *item*."""
    return Many(item, min_size=min_size, unique=unique)


def _partial_date(value: object) -> PartialDate:
    if isinstance(value, str | _dt.date):
        return PartialDate.coerce(value)
    return _PARTIAL_DATE_INSTANCE(value)


def _period(value: object) -> Period:
    if isinstance(value, str):
        return Period.parse(value)
    return _PERIOD_INSTANCE(value)


_PARTIAL_DATE_INSTANCE: Final = Instance(PartialDate)
_PERIOD_INSTANCE: Final = Instance(Period)

check_partial_date: Final = Rule(
    _partial_date,
    lambda: {"type": "string", "pattern": f"^{DATE_SCHEMA_PATTERN}$"},
    writes="str({item})",
)
"""A [`PartialDate`][kgru_relations.PartialDate] (or its text, or a ``datetime.date``)."""

check_period: Final = Rule(
    _period,
    lambda: {"type": "string", "pattern": period_schema_pattern()},
    writes="str({item})",
)
"""A [`Period`][kgru_relations.Period] (or its text)."""

check_country: Final = country_rule
"""A current ISO 3166-1 country code, normalised to alpha-2."""

check_names: Final = Many(Instance(Name), min_size=1)
"""At least one [`Name`][kgru_relations.Name]."""


def _id_schema(kinds: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "pattern": f"^(?:{'|'.join(kinds)}):{_SLUG}$"}


class _IdRule(Rule[str]):
    """The id rule; its schema names the kinds of entity a field may refer to."""

    __slots__ = ()

    def schema(self, refs: tuple[str, ...] | None = None) -> dict[str, Any]:
        """An id of one of *refs* (of any kind, without them)."""
        return _id_schema(refs or KINDS)


check_id: Final = _IdRule(valid_id, lambda: _id_schema(KINDS))
"""A well-formed id (``kind:slug``); as a reference, of the kinds the field allows."""


_ID_TEXT: Final = Wire(str)
"""An entity's own id, as a file holds it: text, whose rule the record applies with its kind."""


def field_check(field: attrs.Attribute[Any]) -> Check:
    """The check of *field*: the one reader of its value, from which every path is derived.

    An entity's ``id`` declares none: its rule depends on the class's kind,
    and the record applies it (``_own_issues``); in a file it is text.
    """
    check: Check = field.metadata.get("check", _ID_TEXT)
    return check


def checked(check: Check, *, nested: bool = False) -> dict[str, Any]:
    """Metadata for an ``attrs.field`` checked by *check*.

    Args:
        check: Returns the value (normalised) or raises ``ValidationError`` at ``$``.
        nested: The field holds a tuple of [`Record`][kgru_relations.model.Record]s
            whose own references the Dataset must check too.
    """
    metadata: dict[str, Any] = {"check": check}
    if nested:
        metadata["nested"] = True
    return metadata


def reference(*kinds: str) -> dict[str, Any]:
    """Metadata for an ``attrs.field`` holding the id of an entity of one of *kinds*."""
    return {"check": check_id, "refs": kinds}


def optional_reference(*kinds: str) -> dict[str, Any]:
    """Metadata for an ``attrs.field`` holding such an id, or ``None``."""
    return {"check": Optional(check_id), "refs": kinds}


def references(*kinds: str, min_size: int = 0) -> dict[str, Any]:
    """Metadata for an ``attrs.field`` holding a list of ids of entities of *kinds*."""
    return {"check": Many(check_id, min_size=min_size), "refs": kinds}


def same_kind_reference() -> dict[str, Any]:
    """Metadata for an ``attrs.field`` holding the id of another record of the class's own kind.

    Declared once on a base class, it means ``tenure:`` ids on a
    [`Tenure`][kgru_relations.Tenure] and ``event:`` ids on an
    [`Event`][kgru_relations.Event]; ``reference_kinds`` says which.
    """
    return {"check": Optional(check_id), "refs": (), "same_kind": True}


def reference_kinds(cls: type, field: attrs.Attribute[Any]) -> tuple[str, ...] | None:
    """The kinds of entity *field* of *cls* may refer to, or ``None`` if it holds no reference.

    The one place that reads a field's reference metadata, so that the checks
    of a dataset, the loader and the JSON Schema agree on every reference.
    """
    if field.metadata.get("same_kind"):
        return (cls.KIND,)  # type: ignore[attr-defined]
    refs: tuple[str, ...] | None = field.metadata.get("refs")
    return refs


# --- converters ---------------------------------------------------------------
# attrs runs these before the checks. They only widen what a constructor's type
# accepts (mypy reads a converter's parameter type as the argument's type) and
# turn lists into tuples; the checks do the validating, so that every problem
# is reported, at its path.


def as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Turn a list into a tuple; leave anything else for the field's check."""
    return tuple(value) if isinstance(value, list) else value  # type: ignore[return-value]


def as_ids(value: Sequence[str]) -> tuple[str, ...]:
    """Accept a list or tuple of ids."""
    return as_tuple(value)


def as_texts(value: Sequence[str]) -> tuple[str, ...]:
    """Accept a list or tuple of text."""
    return as_tuple(value)


def as_names(value: Sequence[Name]) -> tuple[Name, ...]:
    """Accept a list or tuple of names."""
    return as_tuple(value)


def as_decimal(value: Decimal | int | str) -> Decimal:
    """Accept a Decimal, an int or decimal text (never a float)."""
    return value  # type: ignore[return-value]


def as_optional_day(value: _dt.date | str | None) -> _dt.date | None:
    """Accept a ``datetime.date``, its ISO text (``"2026-11-27"``), or ``None``."""
    return value  # type: ignore[return-value]


def as_period(value: Period | str) -> Period:
    """Accept a period or its text (``"2025/2027"``)."""
    return value  # type: ignore[return-value]


def as_optional_period(value: Period | str | None) -> Period | None:
    """Accept a period, its text, or ``None``."""
    return value  # type: ignore[return-value]


def as_partial_date(value: PartialDate | str | _dt.date) -> PartialDate:
    """Accept a partial date, its text (``"2025-05"``), or a ``datetime.date``."""
    return value  # type: ignore[return-value]


def as_optional_partial_date(value: PartialDate | str | _dt.date | None) -> PartialDate | None:
    """Accept a partial date, its text, a ``datetime.date``, or ``None``."""
    return value  # type: ignore[return-value]


# --- the base classes ------------------------------------------------------------

_CHECKS: dict[type, tuple[tuple[str, Callable[[Any], Any]], ...]] = {}
_REFERENCES: dict[type, tuple[tuple[str, tuple[str, ...]], ...]] = {}
_NESTED: dict[type, tuple[str, ...]] = {}


def _checked_fields(cls: type) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    found = _CHECKS.get(cls)
    if found is None:
        found = _CHECKS[cls] = tuple(
            (attribute.name, attribute.metadata["check"].call)
            for attribute in attrs.fields(cls)
            if "check" in attribute.metadata
        )
    return found


def reference_plan(
    cls: type,
) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[str, ...]]:
    """The fields of *cls* that hold references (name, allowed kinds), and those holding records.

    Worked out once per class, from the fields' metadata
    ([`reference_kinds`][kgru_relations.model._base.reference_kinds]).
    """
    references = _REFERENCES.get(cls)
    if references is None:
        references = _REFERENCES[cls] = tuple(
            (attribute.name, kinds)
            for attribute in attrs.fields(cls)
            if (kinds := reference_kinds(cls, attribute)) is not None
        )
        _NESTED[cls] = tuple(
            attribute.name for attribute in attrs.fields(cls) if "nested" in attribute.metadata
        )
    return references, _NESTED[cls]


def iter_references(record: Record) -> Iterator[tuple[tuple[str | int, ...], str, tuple[str, ...]]]:
    """Yield (path keys, id, allowed kinds) for every reference *record* holds.

    Nested records (a membership's status changes) are walked too, so each
    reference comes with the full path from *record* down to it.

    Examples:
        >>> from kgru_relations import Tenure
        >>> tenure = Tenure(id="tenure:t", person="person:p", position="position:q",
        ...                 period="2020/..", sources=["source:s"])
        >>> [(keys, ref) for keys, ref, _ in iter_references(tenure)]
        [(('sources', 0), 'source:s'), (('person',), 'person:p'), (('position',), 'position:q')]
    """
    cls = type(record)
    references, nested = reference_plan(cls)
    for name, kinds in references:
        value = getattr(record, name)
        if isinstance(value, tuple):
            for index, item in enumerate(value):
                yield (name, index), item, kinds
        elif value is not None:
            yield (name,), value, kinds
    for name in nested:
        for index, child in enumerate(getattr(record, name)):
            for keys, value, kinds in iter_references(child):
                yield (name, index, *keys), value, kinds


@attrs.frozen(kw_only=True)
class Record:
    """A model value whose fields are checked, all of them, when it is built.

    Subclasses declare fields with ``attrs.field(metadata=checked(...))``;
    building one runs every field's check, then (if the fields are fine) the
    class's cross-field rules, and raises one
    [`ValidationError`][kgru_relations.ValidationError] listing every problem,
    each at its field's path (``$.period.end``).
    """

    def __attrs_post_init__(self) -> None:
        # Run by attrs' own __init__ (a subclass defined elsewhere); the model's
        # classes take the __init__ compiled_init() writes, which comes here
        # only when something is wrong, to report every problem at its path.
        issues = IssueCollector()
        issues.append_all(self._own_issues())
        for name, check in _checked_fields(type(self)):
            value = getattr(self, name)
            try:
                checked = check(value)
            except ValidationError as error:
                issues.extend(error.under(name))
                continue
            if checked is not value:
                object.__setattr__(self, name, checked)
        if not issues.issues:
            issues.append_all(self._rules())
        issues.raise_if_any()

    def _own_issues(self) -> Iterable[Issue]:
        """The problems with fields that have no declared check."""
        return ()

    def _rules(self) -> Iterator[Issue]:
        """Yield a problem for each cross-field rule this value breaks."""
        return iter(())


def is_singleton(default: object) -> bool:
    """Whether a value that *is* the default needs no check (None, a boolean, a member, ())."""
    return default is None or isinstance(default, bool | enum.Enum) or default == ()


_MATCH_ID = _ID.match


def _compile_id_form() -> None:
    """Compile the id form from ``_SLUG`` as it stands (again at ``forget_compiled()``)."""
    global _ID, _MATCH_ID  # noqa: PLW0603 - what is compiled from the rule, kept for speed
    _ID = re.compile(rf"(?P<kind>[a-z]+):{_SLUG}\Z")
    _MATCH_ID = _ID.match


recompiled(_compile_id_form)


def _id_issues(entity: Entity) -> Iterable[Issue]:
    """The problem with *entity*'s id, if any: ``valid_id``'s, at ``$.id``.

    A plain function, not a generator, with the common case first: it runs once
    for every record loaded.
    """
    value = entity.id
    if type(value) is str:
        match = _MATCH_ID(value)
        if match is not None and match.group(1) == entity.KIND:
            return ()
    try:
        valid_id(value, (entity.KIND,))
    except ValidationError as error:
        return error.under("id").issues
    return ()  # pragma: no cover - valid_id refuses what the match did not take


@attrs.frozen(kw_only=True)
class Entity(Record):
    """The base of every model class: a thing with a stable, typed ``id``.

    Attributes:
        id: ``kind:slug``, where *kind* is the class's ``KIND``
            (``person:sergey-lavrov``). Stable: other entities refer to it.
    """

    KIND: ClassVar[str] = ""
    COLLECTION: ClassVar[str] = ""

    id: str

    def _own_issues(self) -> Iterable[Issue]:
        return _id_issues(self)

    @property
    def label(self) -> str:
        """A short human-readable name: the first common name, else the first name, else the id."""
        entity_names: tuple[Name, ...] = getattr(self, "names", ())
        return first_name(entity_names) if entity_names else self.id


@attrs.frozen(kw_only=True)
class Fact(Entity):
    """An entity that states a fact, and so must say where the fact comes from.

    Attributes:
        sources: Ids of the [`Source`][kgru_relations.Source] records that
            support this fact; at least one.
        confidence: How sure the data is (default: verified).
        note: Free text for what the fields cannot hold: a caveat, what is
            not yet known, why a confidence is what it is.
        variant_of: The id of another record of the same kind that this one
            is a second account of, where sources disagree (a tenure whose
            start one source gives as 14 October and another as 15 October).
            Both records are kept, each with its own sources; the Dataset's
            [`check`][kgru_relations.dataset.Dataset.check] reports what they disagree
            on, and its integrity checks do not count the two as rivals.
    """

    sources: tuple[str, ...] = attrs.field(
        converter=as_ids, metadata=references("source", min_size=1)
    )
    confidence: Confidence = attrs.field(
        default=Confidence.VERIFIED, metadata=checked(choice(Confidence))
    )
    note: str | None = attrs.field(default=None, metadata=checked(optional(check_paragraphs)))
    variant_of: str | None = attrs.field(default=None, metadata=same_kind_reference())

    def _own_issues(self) -> Iterable[Issue]:
        issues = _id_issues(self)
        if self.variant_of is not None and self.variant_of == self.id:
            problem = Issue("$.variant_of", "a record cannot be a second account of itself")
            return itertools.chain(issues, [problem])
        return issues

    @property
    def account_of(self) -> str:
        """The id of the fact this record gives an account of: ``variant_of``, else its own id."""
        return self.variant_of or self.id


def first_name(entity_names: tuple[Name, ...]) -> str:
    """The text of the name to show first: the first common name, else the first name."""
    for name in entity_names:
        if name.kind is NameKind.COMMON:
            return name.text
    return entity_names[0].text
