"""The garbage collector is paused only while an index or a file is built, and always restored."""

import datetime as dt
import gc
import threading
from collections.abc import Iterator
from importlib.resources import files

import pytest

from kgru_relations import dumps, load_default, loads
from kgru_relations._gc import paused


@pytest.fixture
def collector_enabled() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.mark.usefixtures("collector_enabled")
def test_a_pause_ends_with_its_block_and_nested_pauses_wait_for_the_outermost() -> None:
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer build is still under way
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_enabled")
def test_a_failed_build_still_restores_the_collector() -> None:
    with pytest.raises(RuntimeError), paused():
        raise RuntimeError
    assert gc.isenabled()


def test_a_collector_the_user_turned_off_stays_off() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


@pytest.mark.usefixtures("collector_enabled")
def test_pauses_in_threads_overlap_and_the_last_one_out_restores() -> None:
    inside = threading.Barrier(2)
    leave = threading.Event()

    def build() -> None:
        with paused():
            inside.wait()
            leave.wait()

    worker = threading.Thread(target=build)
    worker.start()
    with paused():
        inside.wait()
        leave.set()
        worker.join()
        assert not gc.isenabled()  # the other thread is done, this build is not
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_enabled")
def test_queries_and_loads_leave_the_collector_as_they_found_it() -> None:
    dataset = loads(files("kgru_relations").joinpath("data/kg_ru.json").read_bytes())
    assert dataset == load_default()
    assert dataset.timeline()
    assert dataset.series("indicator:trade-turnover", "KG", "RU")
    assert dataset.holder("position:kg-president", on=dt.date(2025, 1, 22)) is not None
    assert loads(dumps(dataset)) == dataset
    assert gc.isenabled()
