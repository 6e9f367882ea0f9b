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

from kgru_relations._text import check_paragraphs as check_paragraphs  # noqa: PLC0414 - re-exported
from kgru_relations._text import check_text as check_text  # noqa: PLC0414 - re-exported
from kgru_relations.codes import country_code
from kgru_relations.dates import PartialDate, Period
from kgru_relations.errors import Issue, ValidationError, _IssueCollector, shown
from kgru_relations.names import Name, NameKind

__all__ = [
    "KINDS",
    "Confidence",
    "Entity",
    "Fact",
    "Record",
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
_ID: Final = re.compile(rf"(?P<kind>[a-z]+):{_SLUG}\Z")
_ID_FORM: Final = (
    "expected 'kind:slug', the slug in lowercase letters, digits and single "
    "'-', '_' or '.' between them, such as 'person:sergey-lavrov'"
)

Check = Callable[[Any], Any]
T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


def _describe(value: object) -> str:
    return f"{shown(value)} ({type(value).__name__})"


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
        raise ValidationError.at("$", f"expected an id as text, got {_describe(value)}")
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

F = TypeVar("F", bound=Callable[..., Any])


def _tag(check: F, **facts: object) -> F:
    """Note on a check function what it checks, for the JSON Schema to read."""
    check.__dict__.update(facts)
    return check


# Each takes the raw value and returns it (normalised) or raises at "$".


def check_bool(value: object) -> bool:
    """``True`` or ``False``; not 0, 1 or text."""
    if not isinstance(value, bool):
        raise ValidationError.at("$", f"expected true or false, got {_describe(value)}")
    return value


def check_int(low: int, high: int) -> Check:
    """An ``int`` (not a ``bool``) from *low* to *high*."""

    def check(value: object) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError.at("$", f"expected an integer, got {_describe(value)}")
        if not low <= value <= high:
            raise ValidationError.at("$", f"must be {low} to {high} (got {value})")
        return value

    return _tag(check, low=low, high=high)


def optional(check: Check) -> Check:
    """*check*, or ``None``."""

    def optional_check(value: object) -> object:
        return None if value is None else check(value)

    return _tag(optional_check, optional=check)


def instance(cls: type[T]) -> Callable[[object], T]:
    """An instance of *cls*."""

    def check(value: object) -> T:
        if not isinstance(value, cls):
            raise ValidationError.at("$", f"expected a {cls.__name__}, got {_describe(value)}")
        return value

    return _tag(check, instance=cls)


def choice(cls: type[E]) -> Callable[[object], E]:
    """A member of the enumeration *cls*, or its value (``"in_force"``)."""

    def check(value: object) -> E:
        if isinstance(value, cls):
            return value
        try:
            return cls(value)
        except ValueError:
            choices = ", ".join(repr(member.value) for member in cls)
            raise ValidationError.at("$", f"{shown(value)} is not one of {choices}") from None

    return _tag(check, choice=cls)


def check_partial_date(value: object) -> PartialDate:
    """A [`PartialDate`][kgru_relations.PartialDate] (or its text, or a ``datetime.date``)."""
    if isinstance(value, str | _dt.date):
        return PartialDate.coerce(value)
    return instance(PartialDate)(value)


def check_period(value: object) -> Period:
    """A [`Period`][kgru_relations.Period] (or its text)."""
    if isinstance(value, str):
        return Period.parse(value)
    return instance(Period)(value)


def check_country(value: object) -> str:
    """A current ISO 3166-1 country code, normalised to alpha-2."""
    return country_code(value)  # type: ignore[arg-type]


_tag(check_country, schema=country_code.__dict__["schema"])


def many(item: Check, *, min_size: int = 0, unique: bool = True) -> Check:
    """A tuple (a list is accepted) of items, each passing *item*."""

    def check(value: object) -> tuple[Any, ...]:
        if not isinstance(value, tuple | list):
            raise ValidationError.at("$", f"expected a list, got {_describe(value)}")
        if len(value) < min_size:
            raise ValidationError.at(
                "$", f"needs at least {min_size} item{'s' if min_size > 1 else ''}"
            )
        issues = _IssueCollector()
        items: list[Any] = []
        seen: set[Any] = set()
        for index, element in enumerate(value):
            try:
                checked = item(element)
            except ValidationError as error:
                issues.extend(error.under(index))
                continue
            if unique:
                if checked in seen:
                    issues.add(f"$[{index}]", f"{shown(checked)} is listed twice")
                seen.add(checked)
            items.append(checked)
        issues.raise_if_any()
        return tuple(items)

    return _tag(check, item=item, min_size=min_size, unique=unique)


def check_names(value: object) -> tuple[Name, ...]:
    """At least one [`Name`][kgru_relations.Name]."""
    return many(instance(Name), min_size=1)(value)  # type: ignore[no-any-return]


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
    return {"check": valid_id, "refs": kinds}


def optional_reference(*kinds: str) -> dict[str, Any]:
    """Metadata for an ``attrs.field`` holding such an id, or ``None``."""
    return {"check": optional(valid_id), "refs": kinds}


def references(*kinds: str, min_size: int = 0) -> dict[str, Any]:
    """Metadata for an ``attrs.field`` holding a list of ids of entities of *kinds*."""
    return {"check": many(valid_id, min_size=min_size), "refs": kinds}


def same_kind_reference() -> dict[str, Any]:
    """Metadata for an ``attrs.field`` holding the id of another record of the class's own kind.

    Declared once on a base class, it means ``tenure:`` ids on a
    [`Tenure`][kgru_relations.Tenure] and ``event:`` ids on an
    [`Event`][kgru_relations.Event]; ``reference_kinds`` says which.
    """
    return {"check": optional(valid_id), "refs": (), "same_kind": True}


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

_CHECKS: dict[type, tuple[tuple[str, Check], ...]] = {}
_REFERENCES: dict[type, tuple[tuple[str, tuple[str, ...]], ...]] = {}
_NESTED: dict[type, tuple[str, ...]] = {}


def _checked_fields(cls: type) -> tuple[tuple[str, Check], ...]:
    found = _CHECKS.get(cls)
    if found is None:
        found = _CHECKS[cls] = tuple(
            (attribute.name, attribute.metadata["check"])
            for attribute in attrs.fields(cls)
            if "check" in attribute.metadata
        )
    return found


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
    for name, kinds in references:
        value = getattr(record, name)
        if isinstance(value, tuple):
            for index, item in enumerate(value):
                yield (name, index), item, kinds
        elif value is not None:
            yield (name,), value, kinds
    for name in _NESTED[cls]:
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
        issues = _IssueCollector()
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

    def _own_issues(self) -> Iterator[Issue]:
        """Yield problems with fields that have no declared check."""
        return iter(())

    def _rules(self) -> Iterator[Issue]:
        """Yield a problem for each cross-field rule this value breaks."""
        return iter(())


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

    def _own_issues(self) -> Iterator[Issue]:
        # A plain function, not a generator: it runs once per record loaded.
        try:
            valid_id(self.id, (self.KIND,))
        except ValidationError as error:
            return iter(error.under("id").issues)
        return iter(())

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

    def _own_issues(self) -> Iterator[Issue]:
        issues = super()._own_issues()
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
