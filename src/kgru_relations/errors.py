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
from collections.abc import Iterable, Iterator

import attrs

__all__ = ["Issue", "KgruRelationsError", "ValidationError"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _segment(key: str | int) -> str:
    """Return the path text for one step into a mapping key or sequence index."""
    if isinstance(key, int):
        return f"[{key}]"
    if _IDENTIFIER.match(key):
        return f".{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"['{escaped}']"


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

    path: str = attrs.field(validator=attrs.validators.instance_of(str))
    message: str = attrs.field(validator=attrs.validators.instance_of(str))
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
        prefix = "".join(_segment(key) for key in keys)
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
        issues: The problems found, in the order they were found.

    Examples:
        >>> error = ValidationError([Issue("$.end", "must not be before the start")])
        >>> error.issues[0].path
        '$.end'
    """

    issues: tuple[Issue, ...]

    def __init__(self, issues: Iterable[Issue]) -> None:
        collected = tuple(issues)
        if not collected:
            msg = "a ValidationError needs at least one issue"
            raise ValueError(msg)
        super().__init__(collected)
        self.issues = collected

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
        return ValidationError(issue.under(*keys) for issue in self.issues)

    def __iter__(self) -> Iterator[Issue]:
        """Iterate over the issues."""
        return iter(self.issues)

    def __len__(self) -> int:
        """Return the number of issues."""
        return len(self.issues)

    def __str__(self) -> str:
        return "\n".join(str(issue) for issue in self.issues)

    def __repr__(self) -> str:
        return f"ValidationError({list(self.issues)!r})"


class _IssueCollector:
    """Gather problems, then raise them all at once (packaging's ``_ErrorCollector``).

    Examples:
        >>> collector = _IssueCollector()
        >>> collector.add("$.a", "missing")
        >>> with collector.catch("b"):
        ...     raise ValidationError.at("$", "not a number")
        >>> collector.raise_if_any()
        Traceback (most recent call last):
        ...
        kgru_relations.errors.ValidationError: $.a: missing
        $.b: not a number
    """

    __slots__ = ("issues",)

    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(self, path: str, message: str) -> None:
        """Record one problem."""
        self.issues.append(Issue(path, message))

    def catch(self, *keys: str | int) -> _Catch:
        """Return a context manager that records a ``ValidationError`` under *keys*."""
        return _Catch(self, keys)

    def raise_if_any(self) -> None:
        """Raise one ``ValidationError`` with every recorded problem, if there are any."""
        if self.issues:
            raise ValidationError(self.issues)


class _Catch:
    __slots__ = ("_collector", "_keys")

    def __init__(self, collector: _IssueCollector, keys: tuple[str | int, ...]) -> None:
        self._collector = collector
        self._keys = keys

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> bool:
        if isinstance(exc, ValidationError):
            self._collector.issues.extend(exc.under(*self._keys).issues)
            return True
        return False
