"""Check objects: one rule for one value, and everything derived from it.

A check is a small object, as attrs' validators are: calling it checks a value
(returning it, normalised, or raising
[`ValidationError`][kgru_relations.ValidationError] at ``$``), and
``schema()`` gives the JSON Schema fragment that says the same. Each rule is
written once, as a [`Rule`][kgru_relations._checks.Rule] beside the code it
guards; the model's fields name their checks, and the careful structure
path, the fast path and the JSON Schema are all derived from those objects,
so they cannot drift apart.

The composite checks ([`Optional`][kgru_relations._checks.Optional],
[`Many`][kgru_relations._checks.Many], [`Choice`][kgru_relations._checks.Choice],
[`Instance`][kgru_relations._checks.Instance],
[`IntRange`][kgru_relations._checks.IntRange]) are built from others, and say
what they hold, so the compiled paths can look inside them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from kgru_relations.errors import ValidationError, _IssueCollector, shown

__all__ = ["Check", "Choice", "Instance", "IntRange", "Many", "Optional", "Rule", "rule"]

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)
Refs = tuple[str, ...] | None
"""The kinds of entity a field may refer to, for the id rule's schema; ``None`` elsewhere."""


def _describe(value: object) -> str:
    return f"{shown(value)} ({type(value).__name__})"


class Check:
    """One rule for one value: call it to check, ``schema()`` for its JSON Schema."""

    __slots__ = ()

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


class Rule(Check, Generic[T]):
    """A rule written as a function, with the JSON Schema that says the same.

    Args:
        function: Returns the value (normalised) or raises ``ValidationError`` at ``$``.
        schema: Returns the rule's JSON Schema fragment.
    """

    __slots__ = ("_schema", "function")

    def __init__(self, function: Callable[[Any], T], schema: Callable[[], dict[str, Any]]) -> None:
        self.function = function
        self._schema = schema

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


def rule(schema: Callable[[], dict[str, Any]]) -> Callable[[Callable[[Any], T]], Rule[T]]:
    """Decorate a check function: the [`Rule`][kgru_relations._checks.Rule] of it and *schema*."""

    def make(function: Callable[[Any], T]) -> Rule[T]:
        return Rule(function, schema)

    return make


class Optional(Check):
    """*inner*, or ``None``."""

    __slots__ = ("inner",)

    def __init__(self, inner: Check) -> None:
        self.inner = inner

    def __call__(self, value: Any) -> Any:
        """``None``, or what *inner* makes of *value*."""
        return None if value is None else self.inner(value)

    def schema(self, refs: Refs = None) -> dict[str, Any]:
        """*inner*'s schema, or null."""
        return {"anyOf": [self.inner.schema(refs), {"type": "null"}]}

    def __repr__(self) -> str:
        return f"Optional({self.inner!r})"


class Instance(Check, Generic[T]):
    """An instance of *cls* (built and checked by its own constructor)."""

    __slots__ = ("cls",)

    def __init__(self, cls: type[T]) -> None:
        self.cls = cls

    def __call__(self, value: Any) -> T:
        """*value*, if it is an instance of the class."""
        if not isinstance(value, self.cls):
            raise ValidationError.at("$", f"expected a {self.cls.__name__}, got {_describe(value)}")
        return value

    def schema(self, refs: Refs = None) -> dict[str, Any]:
        """A reference to the class's own definition."""
        return {"$ref": f"#/$defs/{self.cls.__name__}"}

    def __repr__(self) -> str:
        return f"Instance({self.cls.__name__})"


class Choice(Check, Generic[E]):
    """A member of the enumeration *cls*, or its value (``"in_force"``)."""

    __slots__ = ("cls",)

    def __init__(self, cls: type[E]) -> None:
        self.cls = cls

    def __call__(self, value: Any) -> E:
        """The member *value* is, or names."""
        if isinstance(value, self.cls):
            return value
        try:
            return self.cls(value)
        except ValueError:
            choices = ", ".join(repr(member.value) for member in self.cls)
            raise ValidationError.at("$", f"{shown(value)} is not one of {choices}") from None

    def schema(self, refs: Refs = None) -> dict[str, Any]:
        """The members' values."""
        return {"enum": [member.value for member in self.cls]}

    def __repr__(self) -> str:
        return f"Choice({self.cls.__name__})"


class IntRange(Check):
    """An ``int`` (not a ``bool``) from *low* to *high*."""

    __slots__ = ("high", "low")

    def __init__(self, low: int, high: int) -> None:
        self.low = low
        self.high = high

    def __call__(self, value: Any) -> int:
        """*value*, if it is such an integer."""
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError.at("$", f"expected an integer, got {_describe(value)}")
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

    def __init__(self, item: Check, *, min_size: int = 0, unique: bool = True) -> None:
        self.item = item
        self.min_size = min_size
        self.unique = unique

    def __call__(self, value: Any) -> tuple[Any, ...]:
        """The items, checked, as a tuple; every bad item is reported at its index."""
        if not isinstance(value, tuple | list):
            raise ValidationError.at("$", f"expected a list, got {_describe(value)}")
        if len(value) < self.min_size:
            plural = "s" if self.min_size > 1 else ""
            raise ValidationError.at("$", f"needs at least {self.min_size} item{plural}")
        item = self.item.call
        issues = _IssueCollector()
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
