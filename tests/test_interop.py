"""What every export shares: how a missing optional package is reported."""

import sys
from pathlib import Path

import pytest

from kgru_relations.interop import MissingExtra, require


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
