"""A griffe extension that shows the constructor attrs writes for each attrs class.

attrs writes a class's ``__init__`` when the class is created, so griffe, which
reads the source, sees no constructor: the reference would show no signature,
and a reader would not learn that ``Person`` needs ``sources`` (a field it
inherits from ``Fact``). For every attrs class whose ``__init__`` attrs wrote,
this extension imports the class, reads the real signature with
``inspect.signature`` and gives griffe an ``__init__`` with those parameters:
names, kinds (keyword-only), the types the constructor accepts (a converter's
argument type, such as ``Sequence[str]`` for a tuple field) and defaults. A
parameter without a default is a required one. Nothing is written twice: the
signature comes from the running code.

Two extensions, which mkdocs.yml loads by path (run ``mkdocs`` from the
repository root): ``AttrsInit`` before griffe_fieldz adds the ``__init__``;
``AttrsFields`` after it puts back each docstring's own ``Args:`` section
(griffe_fieldz empties it), or else shows the fields griffe_fieldz lists as a
table with each field's default, or *required*. With ``merge_init_into_class``
each class page shows the signature. ``AttrsFields`` also shows an enum's
members as what they are: griffe reads each as an attribute assigned in the
class body, and the reference tagged every one "class-attribute
instance-attribute", which says nothing true of a member.
"""

from __future__ import annotations

import ast
import enum
import inspect
import sys
import types
from typing import Any

import attrs
import griffe

__all__ = ["AttrsFields", "AttrsInit"]

_EXTRA = "griffe_attrs_init"

_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: griffe.ParameterKind.positional_only,
    inspect.Parameter.POSITIONAL_OR_KEYWORD: griffe.ParameterKind.positional_or_keyword,
    inspect.Parameter.VAR_POSITIONAL: griffe.ParameterKind.var_positional,
    inspect.Parameter.KEYWORD_ONLY: griffe.ParameterKind.keyword_only,
    inspect.Parameter.VAR_KEYWORD: griffe.ParameterKind.var_keyword,
}


class AttrsInit(griffe.Extension):
    """Give each attrs class whose constructor attrs wrote an ``__init__`` with its signature.

    List it before griffe_fieldz, so that the docstrings are read with the
    signature in place (and ``Args:`` entries are checked against it).
    """

    def on_class_members(self, *, node: object, cls: griffe.Class, **kwargs: Any) -> None:
        """Add ``__init__`` to *cls* if it is an attrs class whose constructor attrs wrote."""
        if isinstance(node, griffe.ObjectNode) or "__init__" in cls.members:
            return  # found by inspection, or written in the source: griffe reads it
        runtime = _attrs_class(cls)
        if runtime is None or "__init__" not in vars(runtime):
            return  # not attrs, or init=False: the class inherits its parent's constructor
        init = griffe.Function(
            "__init__",
            lineno=cls.lineno,
            endlineno=cls.lineno,
            parent=cls,
            parameters=griffe.Parameters(*_signature(cls, runtime)),
            returns="None",
        )
        init.extra[_EXTRA]["written_by_attrs"] = True
        cls.set_member("__init__", init)


class AttrsFields(griffe.Extension):
    """Put back each attrs class's ``Args:`` section, or show its fields with their defaults.

    List it after griffe_fieldz, which writes the fields (inherited ones
    included) into the docstring's attributes section.
    """

    def on_class_members(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        """Drop the attribute tags of an enum's members: a member is neither."""
        runtime = _runtime(cls)
        if not (isinstance(runtime, type) and issubclass(runtime, enum.Enum)):
            return
        for name in runtime.__members__:
            member = cls.members.get(name)
            if isinstance(member, griffe.Attribute):
                member.labels -= {"class-attribute", "instance-attribute"}

    def on_class(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        """Show the constructor's arguments of *cls*, if it is an attrs class."""
        if cls.docstring is None or _attrs_class(cls) is None:
            return
        sections = cls.docstring.parsed
        if _restore_args(cls.docstring, sections):
            return  # the docstring documents its constructor's arguments itself
        init = cls.members.get("__init__")
        if isinstance(init, griffe.Function) and init.extra[_EXTRA].get("written_by_attrs"):
            _fields_as_parameters(sections, list(init.parameters)[1:])


def _runtime(cls: griffe.Class) -> object:
    """The class at run time, or ``None`` if it cannot be imported."""
    try:
        return griffe.dynamic_import(cls.path)
    except ImportError:
        return None


def _attrs_class(cls: griffe.Class) -> type | None:
    """The class at run time, if it is an attrs class."""
    runtime = _runtime(cls)
    return runtime if isinstance(runtime, type) and attrs.has(runtime) else None


def _signature(cls: griffe.Class, runtime: type) -> list[griffe.Parameter]:
    """The parameters of the ``__init__`` attrs wrote for *runtime*, ``self`` first."""
    fields = {field.alias: field for field in attrs.fields(runtime)}
    resolver = griffe.Docstring("", parent=cls)
    parameters = [
        griffe.Parameter("self", annotation=None, kind=griffe.ParameterKind.positional_or_keyword)
    ]
    for parameter in inspect.signature(runtime).parameters.values():
        field = fields.get(parameter.name)
        annotation = _annotation(parameter, runtime, field)
        parameters.append(
            griffe.Parameter(
                parameter.name,
                annotation=None
                if annotation is None
                else griffe.parse_docstring_annotation(annotation, resolver),
                kind=_KINDS[parameter.kind],
                default=_default(parameter, field),
            )
        )
    return parameters


def _restore_args(docstring: griffe.Docstring, sections: list[griffe.DocstringSection]) -> bool:
    """Put back the docstring's own ``Args:`` entries; say whether it has any.

    griffe_fieldz moves each field out of the ``Args:`` section into the
    attributes, dropping the argument's description; but a constructor's
    arguments are not always its fields (a ``Period`` takes text), so the
    section is read again from the docstring. Its types and defaults come
    from the signature, so the table says which arguments are required.
    """
    fresh = griffe.Docstring(
        docstring.value,
        lineno=docstring.lineno,
        endlineno=docstring.endlineno,
        parent=docstring.parent,
        parser=docstring.parser,
        parser_options=docstring.parser_options,
    ).parsed
    written = [s for s in fresh if isinstance(s, griffe.DocstringSectionParameters)]
    shown = [s for s in sections if isinstance(s, griffe.DocstringSectionParameters)]
    for section, original in zip(shown, written, strict=False):
        section.value = original.value
    return any(section.value for section in written)


def _fields_as_parameters(
    sections: list[griffe.DocstringSection], parameters: list[griffe.Parameter]
) -> None:
    """Show an attributes section that lists exactly the constructor's parameters as "Fields".

    The section becomes a parameters table, whose Default column says
    *required* for a parameter without a default. Each row keeps the field's
    own type and description (griffe_fieldz wrote them, inherited fields
    included, so it must run before this extension).
    """
    defaults = {parameter.name: parameter.default for parameter in parameters}
    for index, section in enumerate(sections):
        if not isinstance(section, griffe.DocstringSectionAttributes):
            continue
        if {attribute.name for attribute in section.value} != set(defaults):
            continue
        sections[index] = griffe.DocstringSectionParameters(
            [
                griffe.DocstringParameter(
                    attribute.name,
                    description=attribute.description,
                    annotation=attribute.annotation,
                    value=defaults[attribute.name],
                )
                for attribute in section.value
            ],
            title="Fields:",
        )


def _annotation(
    parameter: inspect.Parameter, cls: type, field: attrs.Attribute[Any] | None
) -> str | None:
    """The parameter's type as text, module aliases spelled out (``datetime.date``)."""
    annotation = parameter.annotation
    if annotation is inspect.Parameter.empty:
        return None
    if not isinstance(annotation, str):
        return inspect.formatannotation(annotation)
    # The text was written in the module of the converter, for a converted
    # field, or of the class that declares the field: read its names there.
    home: object = cls
    if field is not None:
        converter = getattr(field.converter, "converter", field.converter)
        home = converter or next(
            (
                owner
                for owner in cls.__mro__
                if field.name in vars(owner).get("__annotations__", {})
            ),
            cls,
        )
    namespace = vars(sys.modules[getattr(home, "__module__", cls.__module__)])
    return _spell_out_modules(annotation, namespace)


def _spell_out_modules(annotation: str, namespace: dict[str, Any]) -> str:
    """``_dt.date`` as ``datetime.date`` where ``_dt`` names a module in *namespace*."""
    tree = ast.parse(annotation, mode="eval")
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(namespace.get(node.id), types.ModuleType):
            node.id = namespace[node.id].__name__
    return ast.unparse(tree)


def _default(parameter: inspect.Parameter, field: attrs.Attribute[Any] | None) -> str | None:
    """The default as Python text, or ``None`` for a required parameter."""
    default = parameter.default
    if default is inspect.Parameter.empty:
        return None
    if field is not None and isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
        factory: object = getattr(field.default, "factory", None)
        return f"{getattr(factory, '__qualname__', 'factory')}()"
    if isinstance(default, enum.Enum):
        return f"{type(default).__name__}.{default.name}"
    return repr(default)
