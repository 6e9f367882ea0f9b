"""What every export and import shares: a missing optional package, the import machinery."""

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgru_relations.errors import ValidationError
from kgru_relations.interop import MissingExtra, require
from kgru_relations.interop.importing import (
    ImportLog,
    ImportResult,
    digest,
    make_id,
    slug,
    url_source,
)
from kgru_relations.model import Person, _base
from kgru_relations.model._base import valid_id
from kgru_relations.names import Name


def test_a_missing_package_names_the_extra_that_installs_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As if pyarrow were not installed, even where another test imported it.
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingExtra) as caught:
        require("pyarrow.parquet", extra="parquet", doing="writing Parquet")
    assert str(caught.value) == (
        "writing Parquet needs pyarrow: pip install 'kgru-relations[parquet]'"
    )
    assert caught.value.name == "pyarrow"
    assert isinstance(caught.value, ModuleNotFoundError)


def test_an_installed_package_is_returned() -> None:
    assert require("json", extra="none", doing="reading JSON") is sys.modules["json"]


def test_a_package_that_is_there_but_misses_its_own_dependency_says_so_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As followthemoney installed without PyICU: the install is broken, and
    # installing our extra again would not mend it, so the real error shows.
    package = tmp_path / "kgru_test_broken_package"
    package.mkdir()
    (package / "__init__.py").write_text("import kgru_test_absent_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError) as caught:
        require("kgru_test_broken_package", extra="x", doing="testing")
    assert not isinstance(caught.value, MissingExtra)
    assert caught.value.name == "kgru_test_absent_dependency"
    sys.modules.pop("kgru_test_broken_package", None)


# --- the import machinery every importer shares ---------------------------------------


@given(st.text())
def test_any_foreign_id_makes_a_valid_id(foreign_id: str) -> None:
    made = make_id("person", foreign_id)
    assert valid_id(made) == made
    assert make_id("person", foreign_id) == made  # the same record, the same id


@given(st.from_regex(_base._SLUG, fullmatch=True))  # any slug the id rule takes
def test_a_slug_is_its_own_slug(text: str) -> None:
    assert slug(text) == text


def test_a_lone_surrogate_in_an_address_has_a_digest() -> None:
    assert len(digest("https://e.org/\ud800")) == 12


def test_an_import_result_lists_each_issue_once_and_the_created_sources_first() -> None:
    log = ImportLog()
    source = url_source("https://example.org/a", publisher="Example")
    assert log.add_source(source)
    assert not log.add_source(source)
    person = Person(id="person:a", names=[Name("A")], sources=[source.id])
    log.skip("$[1]", "not imported: why")
    log.skip("$[1]", "not imported: why")
    log.note("$[0].id", "read as 'person:a'", line=1)
    result = log.result([person])
    assert result.entities == (source, person)
    assert [str(issue) for issue in result.skipped] == ["$[1]: not imported: why"]
    assert [str(issue) for issue in result.notes] == ["line 1: $[0].id: read as 'person:a'"]
    assert result.dataset().all(Person) == (person,)


def test_an_import_result_that_is_not_a_valid_dataset_says_so() -> None:
    person = Person(id="person:a", names=[Name("A")], sources=["source:absent"])
    with pytest.raises(ValidationError):
        ImportResult(entities=(person,), skipped=()).dataset()
