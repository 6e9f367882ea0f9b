"""The house's rules, held by a test: layers that import only down, no circle, small rooms.

Read with ``ast`` from the source, so an import inside a function counts as
much as one at the top of a module (a deferred import that climbs back up is
still an arrow that climbs). The layers are those of
``docs/explanation/architecture.md``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import kgru_relations

PACKAGE = Path(kgru_relations.__file__).parent
MAX_LINES = 600

# Each module's floor, by the longest dotted prefix that names it; a module
# may import its own floor or any floor below, never one above.
FLOORS: dict[str, int] = {
    "kgru_relations.errors": 0,
    "kgru_relations._codegen": 0,
    "kgru_relations._gc": 0,
    "kgru_relations.files": 0,
    "kgru_relations._checks": 1,
    "kgru_relations._text": 1,
    "kgru_relations.dates": 1,
    "kgru_relations._days": 1,
    "kgru_relations._partial_date": 1,
    "kgru_relations._period": 1,
    "kgru_relations.codes": 1,
    "kgru_relations.money": 1,
    "kgru_relations.names": 1,
    "kgru_relations.model": 2,
    "kgru_relations._amounts": 2,
    "kgru_relations.dataset": 3,
    "kgru_relations.io": 4,
    "kgru_relations.serialize": 4,
    "kgru_relations.schema": 4,
    "kgru_relations.strategies": 4,
    "kgru_relations._hypothesis_plugin": 4,
    "kgru_relations.interop": 5,
    "kgru_relations.plot": 6,
    "kgru_relations.cli": 7,
    "kgru_relations.__main__": 8,
    "kgru_relations": 8,  # the package's face re-exports from every floor
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def floor(module: str) -> int:
    name = module
    while name not in FLOORS:
        name = name.rpartition(".")[0]
    return FLOORS[name]


def imported(module: str, path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every module of this package that *module* imports, anywhere in it."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from kgru_relations import serialize" imports the submodule, not the face.
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            target = name
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != module:
                yield node.lineno, target


GRAPH = {module: sorted(set(imported(module, path))) for module, path in MODULES.items()}


def test_every_room_is_placed_on_a_floor_by_name() -> None:
    # A new top-level module or package must be given its floor here, on purpose,
    # rather than fall to the package's face (the top floor) unnoticed.
    rooms = {".".join(module.split(".")[:2]) for module in MODULES}
    assert rooms - set(FLOORS) == set()
    assert {"kgru_relations.dataset", "kgru_relations.io._fast"} <= set(MODULES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_its_own_floor_or_below(module: str) -> None:
    climbing = [
        f"line {line}: {target} (floor {floor(target)})"
        for line, target in GRAPH[module]
        if floor(target) > floor(module)
    ]
    assert climbing == [], f"{module} (floor {floor(module)}) imports upward"


def test_no_modules_import_each_other_in_a_circle() -> None:
    edges = {module: {target for _, target in targets} for module, targets in GRAPH.items()}
    # Tarjan's strongly connected components: linear in modules and imports.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in edges[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in edges:
        if module not in index:
            visit(module)
    assert circles == []


def test_no_source_file_is_over_600_lines() -> None:
    long = {
        module: lines
        for module, path in MODULES.items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_test_sees_an_upward_import_and_a_circle(tmp_path: Path) -> None:
    # The reader itself: an import inside a function is found, and a relative one resolved.
    source = tmp_path / "example.py"
    source.write_text(
        "def f():\n    from kgru_relations import cli\n    from .dataset import Dataset\n",
        encoding="utf-8",
    )
    found = [target for _, target in imported("kgru_relations.dates", source)]
    assert found == ["kgru_relations.cli", "kgru_relations.dataset"]
    assert floor("kgru_relations.cli._app") > floor("kgru_relations.dates")


def borrowed_names(path: Path) -> Iterator[str]:
    """Another module's underscore names this file imports or reads, and names it hides so.

    ``from m import _x``, ``m._x`` on a module imported here, and ``from m import
    x as _x``: a name two modules share is public within the package (no
    underscore), and is imported under its own name.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()  # local names bound to a module of this package
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(
                alias.asname for alias in node.names if alias.asname and alias.name in MODULES
            )
        elif isinstance(node, ast.ImportFrom) and not node.level:
            base = node.module or ""
            for alias in node.names if base.startswith("kgru_relations") else ():
                if f"{base}.{alias.name}" in MODULES:  # a module, named as its file is
                    modules.add(alias.asname or alias.name)
                elif alias.name.startswith("_") and not alias.name.startswith("__"):
                    yield f"line {node.lineno}: {alias.name} from {base}"
                elif (alias.asname or "").startswith("_"):
                    yield f"line {node.lineno}: {alias.name} as {alias.asname}"
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            yield f"line {node.lineno}: {node.value.id}.{node.attr}"


def test_no_module_borrows_another_modules_private_name_or_hides_a_shared_one() -> None:
    borrowed = {
        module: found for module, path in MODULES.items() if (found := list(borrowed_names(path)))
    }
    assert borrowed == {}


def test_the_test_sees_a_borrowed_private_name(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text(
        "from kgru_relations.money import _plain_form\n"
        "from kgru_relations.errors import IssueCollector as _IssueCollector\n"
        "from kgru_relations import money\n"
        "money._plain_form()\n"
        "from kgru_relations.money import longest_text\n",
        encoding="utf-8",
    )
    assert list(borrowed_names(source)) == [
        "line 1: _plain_form from kgru_relations.money",
        "line 2: IssueCollector as _IssueCollector",
        "line 4: money._plain_form",
    ]
