import importlib
import importlib.metadata
import inspect
import os
import pkgutil
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

import kgru_relations

PUBLIC_MODULES = [
    info.name
    for info in pkgutil.iter_modules(kgru_relations.__path__, "kgru_relations.")
    if not info.name.rsplit(".", 1)[1].startswith("_")
]
# Every public module at any depth (kgru_relations.interop.ftm too): a name is
# public when no part of its dotted path starts with an underscore.
EVERY_PUBLIC_MODULE = [
    "kgru_relations",
    *(
        info.name
        for info in pkgutil.walk_packages(kgru_relations.__path__, "kgru_relations.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ),
]


def isort_order(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions: the order ruff keeps ``__all__`` in."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


def test_all_is_sorted_and_complete() -> None:
    assert kgru_relations.__all__ == sorted(kgru_relations.__all__, key=isort_order)
    for name in kgru_relations.__all__:
        assert getattr(kgru_relations, name) is not None


def test_version_comes_from_the_installed_metadata() -> None:
    assert kgru_relations.__version__ == importlib.metadata.version("kgru-relations")
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = kgru_relations.nope


def test_py_typed_is_shipped() -> None:
    assert (Path(kgru_relations.__file__).parent / "py.typed").is_file()


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_name_has_a_docstring(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert module.__doc__
    assert module.__all__ == sorted(module.__all__, key=isort_order)
    for name in module.__all__:
        value = getattr(module, name)
        assert inspect.getdoc(value), f"{module_name}.{name} has no docstring"


def test_every_public_module_imports_first_and_alone_in_a_fresh_interpreter() -> None:
    # A module that imports only when something else was imported before it
    # (hypothesis, say, whose entry point imports our strategies) fails a user
    # whose first line imports it. Each runs in its own interpreter, all at once.
    assert {"kgru_relations.strategies", "kgru_relations.plot"} <= set(EVERY_PUBLIC_MODULE)
    assert "kgru_relations.interop.wikidata" in EVERY_PUBLIC_MODULE
    environment = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    runs = {
        name: subprocess.Popen(
            [sys.executable, "-c", f"import {name}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        for name in EVERY_PUBLIC_MODULE
    }
    failed = {}
    for name, run in runs.items():
        _, error = run.communicate(timeout=120)
        if run.returncode != 0:
            failed[name] = error.strip().splitlines()[-1:]
    assert failed == {}


def test_importing_the_package_does_not_import_heavy_tools() -> None:
    code = (
        "import sys, kgru_relations, kgru_relations.cli, kgru_relations.plot; "
        "heavy = ('hypothesis', 'jsonschema', 'pyarrow', 'followthemoney', 'matplotlib', "
        "'pandas', 'polars', 'duckdb'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_running_the_package_as_a_module_exits_with_the_command_status(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["kgru_relations", "summary"])
    with pytest.raises(SystemExit) as caught:
        runpy.run_module("kgru_relations", run_name="__main__")
    assert caught.value.code == 0
    assert "Consistency findings" in capsys.readouterr().out
