"""Check objects: one rule for one value, and everything derived from it.

A check is a small object, as attrs' validators are: calling it checks a value
(returning it, normalised, or raising
[`ValidationError`][kgru_relations.ValidationError] at ``$``), and
``schema()`` gives the JSON Schema fragment that says the same. Each rule is
written once, as a [`Rule`][kgru_relations._checks.Rule] beside the code it
guards; the model's fields name their checks, and the careful structure
path, the fast path and the JSON Schema are all derived from those objects,
so they cannot drift apart.

Each check also declares its *wire form*: the JSON type a file holds
(``wire``, which the fast path hands to msgspec), how a JSON value is read
on the careful path (``read``: the wire type first, described in JSON's
terms, then the rule), how the fast path builds a value msgspec has already
typed (``build``), and, where the rule has one, its *fast form*: a regular
expression of the values it takes unchanged, which the fast path may accept
without calling it (``fast_form``).

The composite checks ([`Optional`][kgru_relations._checks.Optional],
[`Many`][kgru_relations._checks.Many], [`Choice`][kgru_relations._checks.Choice],
[`Instance`][kgru_relations._checks.Instance],
[`IntRange`][kgru_relations._checks.IntRange]) are built from others, and
derive their wire form from what they hold; a record's own reader and
builder come from the load path (``records``), so this layer knows no JSON.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any, Final, Generic, TypeVar

import attrs

from kgru_relations.errors import SHOWN, IssueCollector, ValidationError, described, shown, typed

__all__ = [
    "WIRE_NAMES",
    "Check",
    "Choice",
    "Instance",
    "IntRange",
    "Many",
    "Number",
    "Optional",
    "Rule",
    "Wire",
    "checked_values",
    "number_text",
    "read_wire",
    "rule",
]

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)
Refs = tuple[str, ...] | None
"""The kinds of entity a field may refer to, for the id rule's schema; ``None`` elsewhere."""
Records = Callable[[type], Callable[[Any], Any]]
"""For a record class, the function a load path reads (or builds) one of it with."""
Structs = Callable[[type], Any]
"""For a record class, the wire struct the fast path decodes one of it into."""

#: What a message calls each JSON type a file may hold: ``expected text, got 5 (a number)``.
WIRE_NAMES: Final = {str: "text", bool: "true or false", int: "an integer", list: "a list"}


def read_wire(value: object, wire: type) -> None:
    """Raise at ``$`` unless *value* is of the JSON type *wire* (a boolean is no integer).

    The one place a value read from a file is told it has the wrong JSON type,
    described in JSON's terms ([`described`][kgru_relations.errors.described]).
    """
    if isinstance(value, wire) and (wire is bool or not isinstance(value, bool)):
        return
    raise ValidationError.at("$", f"expected {WIRE_NAMES[wire]}, got {described(value)}")


class Number:
    """A JSON number with a fraction or exponent, or a very long one: its text, every digit kept.

    No field holds a float, so this only ever reaches a message, which can
    then quote the number as written (``12345678901234567890123.5``), never
    a rounded float.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return number_text(self.text)


# What a message calls it: "1.5 (a JSON number)".
Number.__name__ = "a JSON number"


def number_text(number: str) -> str:
    """A long JSON number as a message shows it: its start, and how many digits it has."""
    if len(number) <= SHOWN:
        return number
    return f"{number[:12]}… ({len(number)} characters)"


class Check:
    """One rule for one value: call it to check, ``schema()`` for its JSON Schema.

    Attributes:
        wire: The JSON type a file holds the value as (text by default).
        repeats: Whether one value is likely to be found many times in a
            file (a date, a code, an id): the fast path then builds each
            distinct value once. Free text and amounts seldom repeat.
    """

    __slots__ = ()

    wire: type = str
    repeats: bool = True

    def __call__(self, value: Any) -> Any:  # pragma: no cover - every check defines it
        """Return *value* (normalised), or raise ``ValidationError`` at ``$``."""
        raise NotImplementedError

    def schema(self, refs: Refs = None) -> dict[str, Any]:  # pragma: no cover - as above
        """The JSON Schema fragment that accepts what this check accepts, as JSON."""
        raise NotImplementedError

    @property
    def call(self) -> Callable[[Any], Any]:
        """The fastest callable form of this check (a leaf rule's own function)."""
        return self

    def read(self, value: Any) -> Any:
        """Read a JSON value: its wire type first (in JSON's terms), then the rule."""
        read_wire(value, self.wire)
        return self.call(value)

    def reader(self, records: Records) -> Callable[[Any], Any]:
        """The careful path's reader of a JSON value; *records* reads a record class."""
        return self.read

    def builder(self, records: Records) -> Callable[[Any], Any]:
        """The fast path's builder of a value msgspec typed as ``wire_type`` says."""
        return self.call

    def wire_type(self, structs: Structs) -> Any:
        """The type msgspec decodes a file's value into; *structs* gives a record's struct."""
        return self.wire

    def write(self, item: str, hooks: dict[str, type], *, wire: bool) -> str:
        """Python source that writes the value named *item* (not None) as JSON data.

        Args:
            item: The name of the variable that holds a value this check gave.
            hooks: Where a record's writer is asked for: ``hook_N`` -> its class.
            wire: For msgspec, which writes an enum member as its value and a
                tuple as a list itself.
        """
        return item

    def fast_form(self) -> tuple[str, Callable[[str], Any]] | None:
        """A regular expression of wire text the rule takes as it is, and what makes its value.

        The fast path reads text that matches it with the second item alone
        (``Decimal``), without calling the rule, which would give the same
        value; the schema describes the rule with the same expression.
        ``None``: the rule is always called.
        """
        return None


class Rule(Check, Generic[T]):
    """A rule written as a function, with the JSON Schema that says the same.

    Args:
        function: Returns the value (normalised) or raises ``ValidationError`` at ``$``.
        schema: Returns the rule's JSON Schema fragment.
        wire: The JSON type a file holds the value as.
        repeats: Whether a value is likely to be found many times in a file.
        writes: Python source that writes the value ``{item}`` as JSON data
            (``str({item})``); the value itself by default.
        wire_writes: Python source that gives the value ``{item}`` for msgspec
            to write (it writes a ``Decimal`` as ``str()`` does, without a call
            from Python); *writes* by default.
    """

    __slots__ = ("_schema", "function", "repeats", "wire", "wire_writes", "writes")

    def __init__(
        self,
        function: Callable[[Any], T],
        schema: Callable[[], dict[str, Any]],
        *,
        wire: type = str,
        repeats: bool = True,
        writes: str = "{item}",
        wire_writes: str | None = None,
    ) -> None:
        self.function = function
        self._schema = schema
        self.wire = wire
        self.repeats = repeats
        self.writes = writes
        self.wire_writes = writes if wire_writes is None else wire_writes

    def write(self, item: str, hooks: dict[str, type], *, wire: bool) -> str:
        """The rule's own way of writing its value (``str({item})``: a date's text)."""
        return (self.wire_writes if wire else self.writes).format(item=item)

    def __call__(self, value: Any) -> T:
        """Check *value* with the rule's function."""
        return self.function(value)

    def schema(self, refs: Refs = None) -> dict[str, Any]:
        """The rule's JSON Schema fragment (a new dict)."""
        return dict(self._schema())

    @property
    def call(self) -> Callable[[Any], T]:
        """The rule's own function: no call through the object."""
        return self.function

    def __repr__(self) -> str:
        return f"Rule({getattr(self.function, '__qualname__', self.function)!r})"


def rule(
    schema: Callable[[], dict[str, Any]], *, writes: str = "{item}"
) -> Callable[[Callable[[Any], T]], Rule[T]]:
    """Decorate a check function: the [`Rule`][kgru_relations._checks.Rule] of it and *schema*."""

    def make(function: Callable[[Any], T]) -> Rule[T]:
        return Rule(function, schema, writes=writes)

    return make


class Wire(Check):
    """Any value of one JSON type, as it is: the id's text (its rule is the record's), ``int``.

    Args:
        wire: ``str``, ``bool`` or ``int``.
    """

    __slots__ = ("wire",)

    def __init__(self, wire: type) -> None:
        self.wire = wire

    def __call__(self, value: Any) -> Any:
        """*value*, if it is of the JSON type."""
        read_wire(value, self.wire)
        return value

    def read(self, value: Any) -> Any:
        """*value*, if it is of the JSON type."""
        return self(value)

    def schema(self, refs: Refs = None) -> dict[str, Any]:
        """The JSON type."""
        return {"type": {str: "string", bool: "boolean", int: "integer"}[self.wire]}

    def __repr__(self) -> str:
        return f"Wire({self.wire.__name__})"


def checked_values(cls: type, values: Sequence[Any]) -> list[Any]:
    """*values*, one for each field of *cls* in order, each checked by its field's check.

    Every problem is collected at its field's path (``$.currency``) and raised
    once: the constructor of a small record (``Name``, ``Money``) that declares
    its fields' checks, so the rules live in the fields alone.
    """
    issues = IssueCollector()
    checked: list[Any] = []
    for field, value in zip(attrs.fields(cls), values, strict=True):
        try:
            checked.append(field.metadata["check"](value))
        except ValidationError as error:
            issues.extend(error.under(field.name))
            checked.append(None)
    issues.raise_if_any()
    return checked


class Optional(Check):
    """*inner*, or ``None``."""

    __slots__ = ("inner",)

    def __init__(self, inner: Check) -> None:
        self.inner = inner

    def __call__(self, value: Any) -> Any:
        """``None``, or what *inner* makes of *value*."""
        return None if value is None else self.inner(value)

    @property
    def repeats(self) -> bool:  # type: ignore[override]
        """As *inner*'s values do."""
        return self.inner.repeats

    def schema(self, refs: Refs = None) -> dict[str, Any]:
        """*inner*'s schema, or null."""
        return {"anyOf": [self.inner.schema(refs), {"type": "null"}]}

    def reader(self, records: Records) -> Callable[[Any], Any]:
        """Null, or what *inner* reads."""
        return _or_none(self.inner.reader(records))

    def builder(self, records: Records) -> Callable[[Any], Any]:
        """Null, or what *inner* builds."""
        return _or_none(self.inner.builder(records))

    def write(self, item: str, hooks: dict[str, type], *, wire: bool) -> str:
        """As *inner* writes it (null is left out, or written, by the record)."""
        return self.inner.write(item, hooks, wire=wire)

    def wire_type(self, structs: Structs) -> Any:
        """*inner*'s wire type, or null."""
        return self.inner.wire_type(structs) | None

    def __repr__(self) -> str:
        return f"Optional({self.inner!r})"


def _or_none(inner: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def read(value: Any) -> Any:
        return None if value is None else inner(value)

    return read


class Instance(Check, Generic[T]):
    """An instance of *cls* (built and checked by its own constructor); in a file, an object."""

    __slots__ = ("cls",)

    def __init__(self, cls: type[T]) -> None:
        self.cls = cls

    def __call__(self, value: Any) -> T:
        """*value*, if it is an instance of the class."""
        if not isinstance(value, self.cls):
            raise ValidationError.at("$", f"expected a {self.cls.__name__}, got {typed(value)}")
        return value

    def schema(self, refs: Refs = None) -> dict[str, Any]:
        """A reference to the class's own definition."""
        return {"$ref": f"#/$defs/{self.cls.__name__}"}

    def reader(self, records: Records) -> Callable[[Any], Any]:
        """The load path's reader of the class."""
        return records(self.cls)

    def builder(self, records: Records) -> Callable[[Any], Any]:
        """The load path's builder of the class."""
        return records(self.cls)

    def write(self, item: str, hooks: dict[str, type], *, wire: bool) -> str:
        """The class's own writer (``hook_N``, resolved when the code is compiled)."""
        name = f"hook_{len(hooks)}"
        hooks[name] = self.cls
        return f"{name}({item})"

    def wire_type(self, structs: Structs) -> Any:
        """The class's wire struct."""
        return structs(self.cls)

    def __repr__(self) -> str:
        return f"Instance({self.cls.__name__})"


class Choice(Check, Generic[E]):
    """A member of the enumeration *cls*, or its value (``"in_force"``).

    Args:
        cls: The enumeration.
        what: What a member is, for the message (``"a kind of name"``).
    """

    __slots__ = ("cls", "what")

    def __init__(self, cls: type[E], what: str | None = None) -> None:
        self.cls = cls
        self.what = what

    def __call__(self, value: Any) -> E:
        """The member *value* is, or names."""
        if isinstance(value, self.cls):
            return value
        try:
            return self.cls(value)
        except ValueError:
            choices = ", ".join(repr(member.value) for member in self.cls)
            if self.what is None:
                message = f"{described(value)} is not one of {choices}"
            else:
                message = f"{described(value)} is not {self.what}; expected one of {choices}"
            raise ValidationError.at("$", message) from None

    def read(self, value: Any) -> E:
        """A member named in a file: any other JSON value is refused as the model refuses it."""
        return self(value)

    def write(self, item: str, hooks: dict[str, type], *, wire: bool) -> str:
        """The member's value (msgspec writes a member so itself; else ``.value``, uncalled)."""
        return item if wire else f"{item}._value_"

    def schema(self, refs: Refs = None) -> dict[str, Any]:
        """The members' values."""
        return {"enum": [member.value for member in self.cls]}

    def __repr__(self) -> str:
        return f"Choice({self.cls.__name__})"


class IntRange(Check):
    """An ``int`` (not a ``bool``) from *low* to *high*."""

    __slots__ = ("high", "low")

    wire = int

    def __init__(self, low: int, high: int) -> None:
        self.low = low
        self.high = high

    def __call__(self, value: Any) -> int:
        """*value*, if it is such an integer."""
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError.at("$", f"expected an integer, got {typed(value)}")
        if not self.low <= value <= self.high:
            raise ValidationError.at("$", f"must be {self.low} to {self.high} (got {value})")
        return value

    def schema(self, refs: Refs = None) -> dict[str, Any]:
        """An integer between the bounds."""
        return {"type": "integer", "minimum": self.low, "maximum": self.high}

    def __repr__(self) -> str:
        return f"IntRange({self.low}, {self.high})"


class Many(Check):
    """A tuple (a list is accepted) of items, each passing *item*.

    Args:
        item: The check of each item.
        min_size: The fewest items allowed.
        unique: Whether an item may be listed only once.
    """

    __slots__ = ("item", "min_size", "unique")

    wire = list

    def __init__(self, item: Check, *, min_size: int = 0, unique: bool = True) -> None:
        self.item = item
        self.min_size = min_size
        self.unique = unique

    @property
    def repeats(self) -> bool:  # type: ignore[override]
        """As the items do."""
        return self.item.repeats

    def __call__(self, value: Any) -> tuple[Any, ...]:
        """The items, checked, as a tuple; every bad item is reported at its index."""
        if not isinstance(value, tuple | list):
            raise ValidationError.at("$", f"expected a list, got {typed(value)}")
        return self.collect(value, self.item.call)

    def collect(
        self, value: list[Any] | tuple[Any, ...], item: Callable[[Any], Any]
    ) -> tuple[Any, ...]:
        """The items of *value*, each made by *item*, as a tuple: the rule of the list itself."""
        if len(value) < self.min_size:
            plural = "s" if self.min_size > 1 else ""
            raise ValidationError.at("$", f"needs at least {self.min_size} item{plural}")
        issues = IssueCollector()
        items: list[Any] = []
        seen: set[Any] = set()
        for index, element in enumerate(value):
            try:
                checked = item(element)
            except ValidationError as error:
                issues.extend(error.under(index))
                continue
            if self.unique:
                if checked in seen:
                    issues.add(f"$[{index}]", f"{shown(checked)} is listed twice")
                seen.add(checked)
            items.append(checked)
        issues.raise_if_any()
        return tuple(items)

    def reader(self, records: Records) -> Callable[[Any], Any]:
        """A JSON list, each item read by *item*'s reader."""
        item = self.item.reader(records)

        def read(value: Any) -> tuple[Any, ...]:
            read_wire(value, list)
            return self.collect(value, item)

        return read

    def builder(self, records: Records) -> Callable[[Any], Any]:
        """A list msgspec decoded, each item built by *item*'s builder."""
        item = self.item.builder(records)
        return lambda value: self.collect(value, item)

    def write(self, item: str, hooks: dict[str, type], *, wire: bool) -> str:
        """A list of the items as *item* writes each (msgspec writes a tuple as a list)."""
        element = self.item.write("element", hooks, wire=wire)
        if wire and element == "element":
            return item
        return f"[{element} for element in {item}]"

    def wire_type(self, structs: Structs) -> Any:
        """A list of *item*'s wire type."""
        return list[self.item.wire_type(structs)]  # type: ignore[misc]

    def schema(self, refs: Refs = None) -> dict[str, Any]:
        """An array of items, each as *item*'s schema says."""
        array: dict[str, Any] = {"type": "array", "items": self.item.schema(refs)}
        if self.min_size:
            array["minItems"] = self.min_size
        if self.unique:
            array["uniqueItems"] = True
        return array

    def __repr__(self) -> str:
        return f"Many({self.item!r}, min_size={self.min_size}, unique={self.unique})"
