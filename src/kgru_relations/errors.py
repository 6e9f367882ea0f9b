"""Errors raised by kgru_relations.

Every problem with user data is reported as a
[`ValidationError`][kgru_relations.ValidationError], which carries one
[`Issue`][kgru_relations.Issue] per problem found. Each issue has a ``path``, a
JSONPath-like pointer into the input (``$.period.end``, ``$.observations[3].value``),
and a ``message``, a sentence that says what was expected and what was found.

Examples:
    >>> from kgru_relations import PartialDate, ValidationError
    >>> try:
    ...     PartialDate.parse("2025-02-30")
    ... except ValidationError as error:
    ...     print(error)
    $: '2025-02-30' is not a real date: day 30 is out of range for February 2025 (it has 28 days)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final

import attrs

__all__ = [
    "MAX_ISSUES",
    "Issue",
    "KgruRelationsError",
    "ValidationError",
    "described",
    "shown",
    "typed",
]

MAX_ISSUES: Final = 1000
"""How many issues a [`ValidationError`][kgru_relations.ValidationError] lists.

Past this many, checks stop collecting and the error says how many more were
found, so a broken file of a million records gives a report a person can read,
in memory that does not grow with the damage.
"""

SHOWN: Final = 40
"""How many characters of a value a message quotes, at most."""

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ESCAPES: Final = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_MESSAGE_LIMIT: Final = 400
#: The longest integer quoted whole, in bits (about 77 digits); a longer one is
#: named, so a number of a million digits costs no more to describe than ``7``.
_LONGEST_NUMBER_BITS: Final = 256
_TOO_LONG: Final = "a number too long to show"
_PATH_LIMIT: Final = 400


def _escape(text: str) -> str:
    """*text* with every character that is not printable as a JSON string escape."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return text
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char.isprintable():
            out.append(char)
        elif ord(char) > 0xFFFF:
            high, low = divmod(ord(char) - 0x10000, 0x400)
            out.append(f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return "".join(out)


def _printable(text: str, limit: int) -> str:
    """*text* as one printable line: unprintable characters escaped, at most *limit* long."""
    if not text.isprintable():
        text = "".join(char if char.isprintable() else _escape(char) for char in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: object, limit: int = SHOWN) -> str:
    r"""Return *value* as a message quotes it: its ``repr``, printable and shortened.

    ``repr`` already escapes unprintable characters in text; anything longer
    than *limit* characters is cut, and the cut marked with ``…``, so a 50 MB
    value in a file never reaches a terminal whole. A list or an object (a
    mapping) is named, never printed, and so is an integer too long to show,
    so that a value nested a million deep, or a number of a million digits,
    costs no more to describe than any other.

    Examples:
        >>> shown("Bishkek")
        "'Bishkek'"
        >>> print(shown("a\x1b[2J"))
        'a\x1b[2J'
        >>> print(shown("x" * 100))
        'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…
        >>> shown([[[]]]), shown({"a": 1}), shown(10**5000)
        ('a list', 'an object', 'a number too long to show')
    """
    if isinstance(value, str):
        if len(value) > limit:
            value = value[:limit]
    elif isinstance(value, int) and value.bit_length() > _LONGEST_NUMBER_BITS:
        return _TOO_LONG
    elif isinstance(value, Mapping):
        return "an object"
    elif isinstance(value, list | tuple):
        return "a list"
    elif isinstance(value, set | frozenset):
        return "a set"
    return _printable(repr(value), limit)


def typed(value: object) -> str:
    """Return *value* as a message names a value passed in Python: quoted, with its type's name.

    The one description of a refused value given to a constructor or a
    function (``'no' (str)``, ``7 (int)``, ``None (NoneType)``); a value
    read from a file is [`described`][kgru_relations.errors.described] in
    JSON's terms instead.

    Examples:
        >>> typed("no"), typed(7)
        ("'no' (str)", '7 (int)')
    """
    return f"{shown(value)} ({type(value).__name__})"


def described(value: object) -> str:  # noqa: PLR0911 - one case per kind of JSON value
    """Return *value* as a message names what was found: ``an object``, ``5 (a number)``, ``'x'``.

    The one description of a refused value for the rules whose wire form is
    JSON (text, true or false, an integer, a list, a choice) and for the
    input of every import (FtM, Wikidata): a JSON value is
    named by its JSON kind; text is quoted as [`shown`][kgru_relations.errors.shown]
    quotes it; any other Python value is quoted with its type's name.

    Examples:
        >>> described({}), described([1]), described(True), described(5), described(None)
        ('an object', 'a list', 'true (a boolean)', '5 (a number)', 'null')
        >>> described("no")
        "'no'"
    """
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if type(value) in (int, float):
        quoted = shown(value)
        return quoted if quoted == _TOO_LONG else f"{quoted} (a number)"
    if value is None:
        return "null"
    if isinstance(value, str):
        return shown(value)
    return typed(value)


def path_segment(key: str | int) -> str:
    """Return the path text for one step into a mapping key or sequence index.

    A key that is not a plain name is written as a JSON string (``["a b"]``),
    its unprintable characters escaped and a long key shortened, so a path
    is always one printable line.
    """
    if isinstance(key, int):
        return f"[{key}]"
    if _IDENTIFIER.match(key) and len(key) <= SHOWN:
        return f".{key}"
    return '["' + _printable(_escape(key[: SHOWN + 1]), SHOWN) + '"]'


def _path_text(path: object) -> object:
    return _printable(path, _PATH_LIMIT) if isinstance(path, str) else path


def _message_text(message: object) -> object:
    return _printable(message, _MESSAGE_LIMIT) if isinstance(message, str) else message


@attrs.frozen(repr=False)
class Issue:
    """One problem found in the input.

    Attributes:
        path: Where the problem is, as JSONPath-like text rooted at ``$``:
            ``$`` for the value itself, ``$.end`` for a field, ``$.items[2]`` for
            an element of a list.
        message: A sentence saying what was expected and what was found.
        line: The line of the input text the problem is on, where known
            (JSON that does not parse; a line of a JSON Lines file).
        column: The column on that line, where known.
    """

    path: str = attrs.field(converter=_path_text, validator=attrs.validators.instance_of(str))
    message: str = attrs.field(converter=_message_text, validator=attrs.validators.instance_of(str))
    line: int | None = attrs.field(default=None, kw_only=True)
    column: int | None = attrs.field(default=None, kw_only=True)

    def under(self, *keys: str | int) -> Issue:
        """Return this issue as seen from an enclosing value.

        Args:
            *keys: The steps from the enclosing value down to this one: field
                names (``str``) or list indexes (``int``), outermost first.

        Returns:
            A new issue whose path starts with those steps.

        Examples:
            >>> Issue("$.end", "bad").under("tenures", 4, "period")
            Issue(path='$.tenures[4].period.end', message='bad')
        """
        prefix = "".join(path_segment(key) for key in keys)
        return attrs.evolve(self, path="$" + prefix + self.path[1:])

    def __repr__(self) -> str:
        where = "" if self.line is None else f", line={self.line}"
        where += "" if self.column is None else f", column={self.column}"
        return f"Issue(path={self.path!r}, message={self.message!r}{where})"

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.message}"
        where = (
            f"line {self.line}"
            if self.column is None
            else f"line {self.line}, column {self.column}"
        )
        return f"{where}: {self.path}: {self.message}"


def _more_line(more: int) -> str:
    """The line that ends a report cut at the limit."""
    noun = "issue" if more == 1 else "issues"
    return f"… and {more} more {noun}, not listed (a report lists at most {MAX_ISSUES})"


class KgruRelationsError(Exception):
    """Base class of every exception raised on purpose by kgru_relations."""


class ValidationError(KgruRelationsError, ValueError):
    """Input that does not satisfy the model, with every problem found in it.

    A ``ValidationError`` is also a `ValueError`, so code that already
    catches ``ValueError`` keeps working. ``str(error)`` lists every issue, one
    per line, each as ``path: message``.

    Args:
        issues: The problems found; at least one.

    Attributes:
        issues: The problems found, in the order they were found: the first
            [`MAX_ISSUES`][kgru_relations.errors.MAX_ISSUES] of them.
        more: How many more problems were found past those listed (``0``
            for nearly every input).

    Examples:
        >>> error = ValidationError([Issue("$.end", "must not be before the start")])
        >>> error.issues[0].path
        '$.end'
    """

    issues: tuple[Issue, ...]
    more: int

    def __init__(self, issues: Iterable[Issue], *, more: int = 0) -> None:
        listed: list[Issue] = []
        for issue in issues:
            if len(listed) < MAX_ISSUES:
                listed.append(issue)
            else:
                more += 1
        if not listed:
            msg = "a ValidationError needs at least one issue"
            raise ValueError(msg)
        collected = tuple(listed)
        super().__init__(collected)
        self.issues = collected
        self.more = more

    @classmethod
    def at(cls, path: str, message: str) -> ValidationError:
        """Build an error with a single issue.

        Args:
            path: Where the problem is (``$`` for the value itself).
            message: What was expected and what was found.

        Returns:
            The error, ready to raise.
        """
        return cls([Issue(path, message)])

    def under(self, *keys: str | int) -> ValidationError:
        """Return the same problems as seen from an enclosing value.

        Args:
            *keys: Field names or list indexes from the enclosing value down to
                the value this error is about, outermost first.

        Returns:
            A new error whose issues' paths start with those steps.
        """
        return ValidationError((issue.under(*keys) for issue in self.issues), more=self.more)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_validation_error, (self.issues, self.more))

    def __iter__(self) -> Iterator[Issue]:
        """Iterate over the issues."""
        return iter(self.issues)

    def __len__(self) -> int:
        """Return the number of issues listed (see ``more`` for those past the limit)."""
        return len(self.issues)

    def __str__(self) -> str:
        lines = [str(issue) for issue in self.issues]
        if self.more:
            lines.append(_more_line(self.more))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"ValidationError({list(self.issues)!r})"


def _validation_error(issues: tuple[Issue, ...], more: int) -> ValidationError:
    """Rebuild a pickled error (``more`` is keyword-only, so pickle needs help)."""
    return ValidationError(issues, more=more)


class IssueCollector:
    """Gather problems, then raise them all at once (packaging's ``_ErrorCollector``).

    Examples:
        >>> collector = IssueCollector()
        >>> collector.add("$.a", "missing")
        >>> with collector.catch("b"):
        ...     raise ValidationError.at("$", "not a number")
        >>> collector.raise_if_any()
        Traceback (most recent call last):
        ...
        kgru_relations.errors.ValidationError: $.a: missing
        $.b: not a number
    """

    __slots__ = ("issues", "more")

    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.more = 0

    def add(self, path: str, message: str) -> None:
        """Record one problem (or only count it, past the limit)."""
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(Issue(path, message))
        else:
            self.more += 1

    def append(self, issue: Issue) -> None:
        """Record one problem (or only count it, past the limit)."""
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(issue)
        else:
            self.more += 1

    def append_all(self, issues: Iterable[Issue]) -> None:
        """Record each of *issues*."""
        for issue in issues:
            self.append(issue)

    def extend(self, error: ValidationError) -> None:
        """Record the problems of *error*."""
        room = MAX_ISSUES - len(self.issues)
        self.issues.extend(error.issues[:room])
        self.more += max(0, len(error.issues) - room) + error.more

    def catch(self, *keys: str | int) -> _Catch:
        """Return a context manager that records a ``ValidationError`` under *keys*."""
        return _Catch(self, keys)

    def raise_if_any(self, order: Callable[[Issue], Any] | None = None) -> None:
        """Raise one ``ValidationError`` with every recorded problem, if there are any.

        Args:
            order: A sort key to list the issues by (a stable sort); default:
                in the order they were recorded.
        """
        if self.issues:
            listed = self.issues if order is None else sorted(self.issues, key=order)
            raise ValidationError(listed, more=self.more)


class PlacedIssues(IssueCollector):
    """Problems recorded with their place (a field's index, a record's), raised in that order.

    The place is given when a problem is found, so they can be put in order
    without reading paths back; problems without one (``add``, ``append``)
    come first. Past ``MAX_ISSUES`` problems are only counted.
    """

    __slots__ = ("places",)

    def __init__(self) -> None:
        super().__init__()
        self.places: list[Any] = []

    def at(self, place: Any, issue: Issue) -> None:
        """Record *issue*, found at *place*."""
        if len(self.issues) < MAX_ISSUES:
            self.places.append(place)
        self.append(issue)

    def extend_at(self, place: Any, error: ValidationError) -> None:
        """Record the problems of *error*, found at *place*."""
        for issue in error.issues:
            self.at(place, issue)
        self.more += error.more

    def raise_in_order(self, first: Any) -> None:
        """Raise every problem, those with no place (put at *first*) first, then by place."""
        unplaced = [first] * (len(self.issues) - len(self.places))
        places = unplaced + self.places
        order = sorted(range(len(self.issues)), key=places.__getitem__)
        self.issues = [self.issues[i] for i in order]
        self.raise_if_any()


class _Catch:
    __slots__ = ("_collector", "_keys")

    def __init__(self, collector: IssueCollector, keys: tuple[str | int, ...]) -> None:
        self._collector = collector
        self._keys = keys

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> bool:
        if isinstance(exc, ValidationError):
            self._collector.extend(exc.under(*self._keys))
            return True
        return False
