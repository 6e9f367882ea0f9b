"""The pictures, tested as the objects they are (bars, markers, lines, texts), not as pixels."""

import datetime as dt
import importlib.util
import itertools
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from decimal import Context, Decimal, localcontext
from pathlib import Path
from types import ModuleType
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.artist import Artist
from matplotlib.backend_bases import RendererBase
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from kgru_relations import (
    Chairmanship,
    Dataset,
    Indicator,
    Membership,
    Name,
    Observation,
    Organization,
    Person,
    Position,
    Source,
    State,
    StatusChange,
    Tenure,
    load_default,
)
from kgru_relations._amounts import amount, scale_of, shifted
from kgru_relations.interop import MissingExtra
from kgru_relations.model import MembershipStatus, OrganizationKind, PositionKind
from kgru_relations.plot import PALETTE, plot_series, plot_tenures, render
from kgru_relations.plot._labels import LABEL_DIGITS, readable
from kgru_relations.plot._layout import drawn_texts
from kgru_relations.strategies import datasets

from .builders import bare_observation, tenure

ROOT = Path(__file__).parent.parent
DATA = load_default()
TRADE = "indicator:trade-turnover"
SINCE_2020 = dt.date(2020, 1, 1)
S = ["source:s"]


def num(day: dt.date) -> float:
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def bars(figure: Figure) -> dict[str, Rectangle]:
    """Each record's bar, by its id (overlays such as uncertain spans have a '#' in theirs)."""
    [axes] = figure.axes
    return {
        str(patch.get_gid()): patch
        for patch in axes.patches
        if isinstance(patch, Rectangle) and "#" not in str(patch.get_gid())
    }


def by_gid(figure: Figure, prefix: str) -> list[Artist]:
    return [artist for artist in figure.findobj() if str(artist.get_gid()).startswith(prefix)]


def spans_of(figure: Figure, prefix: str, part: str) -> dict[str, Rectangle]:
    """The overlays of *part* (``#uncertain``, ``#unknown-end``) on the bars whose ids start so."""
    return {
        str(p.get_gid()): p
        for p in by_gid(figure, prefix)
        if isinstance(p, Rectangle) and part in str(p.get_gid())
    }


def xs(line: Line2D) -> list[float]:
    return [float(x) for x in np.asarray(line.get_xdata(), dtype=float)]


def ys(line: Line2D) -> list[float]:
    return [float(y) for y in np.asarray(line.get_ydata(), dtype=float)]


def lines(figure: Figure) -> dict[str, Line2D]:
    [axes] = figure.axes
    return {str(line.get_gid()): line for line in axes.lines}


def texts(figure: Figure) -> dict[str, str]:
    [axes] = figure.axes
    return {str(text.get_gid()): text.get_text() for text in axes.texts}


def renderer(figure: Figure) -> RendererBase:
    canvas = figure.canvas
    get = canvas.get_renderer  # type: ignore[attr-defined]
    found: RendererBase = get()
    return found


def overlapping(figure: Figure) -> list[tuple[str, str]]:
    """Pairs of texts of the figure, as drawn, that overlap."""
    draw = renderer(figure)
    boxes = [(text.get_text(), text.get_window_extent(draw)) for text in drawn_texts(figure)]
    return [
        (a, b)
        for (a, one), (b, other) in itertools.combinations(boxes, 2)
        if one.x0 < other.x1 - 0.5
        and other.x0 < one.x1 - 0.5
        and one.y0 < other.y1 - 0.5
        and other.y0 < one.y1 - 0.5
    ]


def legend_texts(figure: Figure) -> list[str]:
    [legend] = figure.legends
    return [text.get_text() for text in legend.get_texts()]


def dataset(*entities: object) -> Dataset:
    """A small dataset around the given entities, with the states, people and bodies they name."""
    base = [
        Source(id="source:s", title="A source"),
        State(id="state:kg", code="KG", names=[Name("Kyrgyzstan")], sources=S),
        State(id="state:ru", code="RU", names=[Name("Russia")], sources=S),
        Organization(
            id="organization:o",
            names=[Name("Org")],
            kind=OrganizationKind.INTERGOVERNMENTAL,
            sources=S,
        ),
        Position(
            id="position:p",
            names=[Name("Minister")],
            kind=PositionKind.FOREIGN_MINISTER,
            organization="state:kg",
            sources=S,
        ),
        Person(id="person:a", names=[Name("Anna Alpha")], sources=S),
        Person(id="person:b", names=[Name("Boris Beta")], sources=S),
        Indicator(id="indicator:i", names=[Name("Figure")], symmetric=True),
    ]
    built = Dataset([*base, *entities])  # type: ignore[list-item]
    assert built.validate() == []
    return built


def figure_of(slug: str, value: str, **fields: Any) -> Observation:
    """A figure of this file's indicator:i, KG's about RU unless fields say otherwise."""
    return bare_observation(slug, value, **{"indicator": "indicator:i", "partner": "RU", **fields})


# --- the series --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trade() -> Figure:
    return plot_series(DATA, TRADE, "KG", "RU")


def test_the_disputed_year_is_two_markers_at_one_year(trade: Figure) -> None:
    drawn = lines(trade)
    kyrgyz, russian = (
        drawn["observation:trade-kg-ru-2024-kg"],
        drawn["observation:trade-ru-kg-2024-ru"],
    )
    middle_of_2024 = (num(dt.date(2024, 1, 1)) + num(dt.date(2025, 1, 1))) / 2
    assert xs(kyrgyz) == xs(russian) == [middle_of_2024]
    assert (ys(kyrgyz), ys(russian)) == ([3.2], [4.1])
    at_2024 = [
        line
        for gid, line in drawn.items()
        if gid.startswith("observation:") and xs(line) == [middle_of_2024]
    ]
    assert len(at_2024) == 2
    assert kyrgyz.get_marker() != russian.get_marker()  # told apart by shape, not colour alone
    assert {"Reported by Kyrgyzstan", "Reported by Russia"} <= set(legend_texts(trade))


def test_the_target_is_a_dashed_line_at_its_value_labelled_exactly(trade: Figure) -> None:
    target = DATA.get("observation:trade-kg-ru-target", Observation)
    line = lines(trade)[target.id]
    assert line.get_linestyle() == "--"
    assert [Decimal(repr(y)) * 10**9 for y in ys(line)] == [target.value] * 2
    assert texts(trade)[f"{target.id}#label"] == "Target: USD 5 bn"
    assert "Target set by Kyrgyzstan" in legend_texts(trade)


def test_values_and_qualifiers_show_on_each_marker(trade: Figure) -> None:
    labels = texts(trade)
    assert labels["observation:trade-kg-ru-2024-kg#label"] == "≈ USD 3.2 bn"
    assert labels["observation:trade-ru-kg-2024-ru#label"] == "≈ USD 4.1 bn"
    point = lines(trade)["observation:trade-kg-ru-2023-kg"]
    assert point.get_markerfacecolor() == "white"  # about: hollow
    assert "≈ about (hollow marker)" in legend_texts(trade)
    [axes] = trade.axes
    assert axes.get_ylabel() == "USD bn"
    assert axes.get_title(loc="left") == "Trade turnover: Kyrgyzstan and Russia"
    assert [t.get_text() for t in axes.get_xticklabels()] == ["2023", "2024"]


def test_each_label_is_anchored_at_its_own_marker_where_markers_are_set_aside() -> None:
    # Three lines share 2023, so their markers are drawn a few points aside.
    data = dataset(
        figure_of("a", "100", period="2023"),
        figure_of("b", "101", period="2023"),
        figure_of("c", "102", period="2023"),
    )
    drawn = plot_series(data, "indicator:i", "KG", "RU")
    [axes] = drawn.axes
    markers = {gid: line for gid, line in lines(drawn).items() if gid.startswith("observation:")}
    labels = {str(t.get_gid()): t for t in axes.texts}
    where = {
        gid: tuple(marker.get_transform().transform((xs(marker)[0], ys(marker)[0])))
        for gid, marker in markers.items()
    }
    assert len(set(where.values())) == 3  # set aside
    for gid in markers:
        label = labels[f"{gid}#label"]
        anchor = label.xycoords.transform(label.xy)  # type: ignore[attr-defined]
        assert tuple(anchor) == pytest.approx(where[gid])


def test_a_label_is_readable_while_the_data_keep_every_digit() -> None:
    data = dataset(
        figure_of("x", "9850000000.5", qualifier="approximately"),
        figure_of("y", "2675000000", period="2023"),  # a float holds 2.67499..., not 2.675
        figure_of("t", "4999999999.99", kind="target", period="2025"),
    )
    drawn = plot_series(data, "indicator:i", "KG", "RU")
    labels = texts(drawn)
    assert labels["observation:x#label"] == "≈ USD 9.85 bn"
    assert labels["observation:y#label"] == "USD 2.68 bn"  # half up, from the Decimal
    assert labels["observation:t#label"] == "Target for 2025: USD 5 bn"
    assert data.get("observation:x", Observation).value == Decimal("9850000000.5")
    assert ys(lines(drawn)["observation:x"]) == [9.8500000005]


def test_a_label_keeps_every_digit_of_the_whole_part_which_a_float_cannot_hold() -> None:
    value = "12345678901234567890123456789.5"  # 30 digits: more than a context's 28
    largest = "9" * 30 + ".7"  # rounds up to 31 digits, more than a model's amount may have
    data = dataset(figure_of("x", value), figure_of("y", largest, period="2023"))
    drawn = plot_series(data, "indicator:i", "KG", "RU")
    assert texts(drawn)["observation:x#label"] == "USD 12345678901234567890 bn"
    assert texts(drawn)["observation:y#label"] == "USD 1" + "0" * 21 + " bn"


amounts = st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
    lambda value: -40 < value.adjusted() < 40 and len(value.as_tuple().digits) < 60
)


@given(amounts, st.sampled_from(["USD", "project"]))
def test_a_readable_value_is_the_value_rounded_at_its_third_digit_or_its_whole_part(
    value: Decimal, unit: str
) -> None:
    shown = readable(value, unit)
    places, _ = scale_of(value, unit)
    quantum = Decimal(1).scaleb(min(0, shifted(value, places).adjusted() - (LABEL_DIGITS - 1)))
    with localcontext(Context(prec=200)):  # every digit, in the test too
        assert abs(shown - value) <= quantum.scaleb(places) / 2  # rounded to the nearest
        significant = len(value.normalize().as_tuple().digits)
    assert readable(shown, unit) == shown  # and stays so
    if significant <= LABEL_DIGITS:
        assert shown == value  # a short value is written as it is


def test_more_than_is_an_arrow_up_and_less_than_one_down() -> None:
    data = dataset(
        figure_of("more", "2500000000", qualifier="more_than", period="2023"),
        figure_of("less", "2000000000", qualifier="at_most"),
        figure_of("exact", "2100000000", period="2022"),
    )
    drawn = plot_series(data, "indicator:i", "KG", "RU")
    [axes] = drawn.axes
    arrows = {str(a.get_gid()): a for a in axes.texts if str(a.get_gid()).endswith("#arrow")}
    assert set(arrows) == {"observation:more#arrow", "observation:less#arrow"}
    assert arrows["observation:more#arrow"].xyann[1] > 0  # type: ignore[attr-defined]
    assert arrows["observation:less#arrow"].xyann[1] < 0  # type: ignore[attr-defined]
    assert texts(drawn)["observation:more#label"] == "> USD 2.5 bn"
    assert texts(drawn)["observation:less#label"] == "≤ USD 2 bn"
    assert lines(drawn)["observation:exact"].get_markerfacecolor() != "white"
    assert {"↑ more than, or at least", "↓ less than, or at most"} <= set(legend_texts(drawn))


def test_two_accounts_of_one_period_are_two_lines_and_estimates_dotted() -> None:
    data = dataset(
        figure_of("a", "100", period="2023"),
        figure_of("b", "101", period="2023"),
        figure_of("c", "110", period="2024", kind="estimate"),
    )
    drawn = plot_series(data, "indicator:i", "KG", "RU")
    assert legend_texts(drawn) == [
        "Reported by Kyrgyzstan",
        "Reported by Kyrgyzstan (second account)",
        "Estimated by Kyrgyzstan",
    ]
    assert lines(drawn)["series-2"].get_linestyle() == ":"
    assert drawn.axes[0].get_ylabel() == "USD"  # too small to scale


def test_a_series_in_several_units_needs_one_chosen() -> None:
    data = dataset(figure_of("a", "100"), figure_of("b", "200", unit="EUR", period="2023"))
    with pytest.raises(ValueError, match="the figures are in EUR and USD: choose one unit to draw"):
        plot_series(data, "indicator:i", "KG", "RU")
    drawn = plot_series(data, "indicator:i", "KG", "RU", unit="EUR")
    assert "observation:b" in lines(drawn)
    assert "observation:a" not in lines(drawn)


def test_many_periods_get_date_ticks_and_a_unit_with_no_figures_is_refused() -> None:
    quarters = [
        figure_of(f"q{year}-{quarter}", str(100 + quarter), period=f"{year}-Q{quarter}")
        for year in (2021, 2022, 2023, 2024)
        for quarter in (1, 2, 3, 4)
    ]
    drawn = plot_series(dataset(*quarters), "indicator:i", "KG", "RU")
    [axes] = drawn.axes
    assert axes.get_xlabel() == "Quarter"
    assert isinstance(axes.xaxis.get_major_locator(), mdates.AutoDateLocator)
    assert overlapping(drawn) == []
    with pytest.raises(ValueError, match="no figures of Figure in EUR to draw"):
        plot_series(dataset(*quarters), "indicator:i", "KG", "RU", unit="EUR")


def test_amounts_are_written_exactly_and_short() -> None:
    assert amount(Decimal("3200000000"), "USD") == "USD 3.2 bn"
    assert amount(Decimal("165000000.00"), "USD") == "USD 165 m"
    assert amount(Decimal("1500.50"), "USD") == "USD 1500.50"  # unscaled: as given
    assert amount(Decimal("36"), "project") == "36 project"
    many = Decimal("1234567890123456789012345678901234567")  # 37 digits
    assert amount(many, "USD") == "USD 1234567890123456789012345678.901234567 bn"


def test_nothing_to_draw_and_unknown_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="no figures of Trade turnover with a period for Russia"):
        plot_series(DATA, TRADE, "RU")
    with pytest.raises(KeyError, match="did you mean 'indicator:trade-turnover'"):
        plot_series(DATA, "trade-turnover", "KG")


def test_names_are_drawn_as_written_not_as_mathematics() -> None:
    data = Dataset(
        [
            *(e for e in dataset() if not isinstance(e, State) or e.code != "KG"),
            State(id="state:kg", code="KG", names=[Name("$x$ Republic")], sources=S),
            figure_of("a", "1"),
        ]
    )
    drawn = plot_series(data, "indicator:i", "KG", "RU")
    [axes] = drawn.axes
    assert axes.get_title(loc="left") == "Figure: $x$ Republic and Russia"
    named = [text for text in drawn_texts(drawn) if "$x$" in text.get_text()]
    assert len(named) == 2  # the title, and the legend's "Reported by $x$ Republic"
    assert all(not text.get_parse_math() for text in named)


# --- the tenures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def offices() -> Figure:
    return plot_tenures(DATA, start=SINCE_2020)


def test_one_bar_per_tenure_in_range_labelled_with_its_holder(offices: Figure) -> None:
    drawn = bars(offices)
    end = DATA.latest_date
    assert end is not None
    in_range = [
        t
        for t in DATA.all(Tenure)
        if (t.period.earliest or dt.date.min) <= end
        and (t.period.latest or dt.date.max) >= SINCE_2020
    ]
    assert sorted(gid for gid in drawn if gid.startswith("tenure:")) == sorted(
        t.id for t in in_range
    )
    assert len(in_range) < len(DATA.all(Tenure))  # Putin's first spell ended in 2008
    for t in in_range:
        assert drawn[t.id].get_label() == DATA.get(t.person).label
    [axes] = offices.axes
    rows = [label.get_text().replace("\n", " ") for label in axes.get_yticklabels()]
    assert rows[:3] == [
        "President of the Kyrgyz Republic",
        "Chairman of the Cabinet of Ministers of the Kyrgyz Republic",
        "Minister of Foreign Affairs of the Kyrgyz Republic",
    ]
    assert rows[-2:] == ["Chair of the CSTO", "Members of the CSTO"]
    assert axes.get_xlabel() == "Date"
    assert axes.get_title() == "Offices, chairs and members, 2020–2026"


def test_acting_spells_open_ends_and_second_accounts_show(offices: Figure) -> None:
    drawn = bars(offices)
    acting = drawn["tenure:kasymaliev-cabinet-chairman-acting"]
    assert (acting.get_hatch(), acting.get_linestyle()) == ("--", "dashed")
    assert drawn["tenure:kasymaliev-cabinet-chairman"].get_hatch() is None
    open_ends = {
        str(a.get_gid()) for a in by_gid(offices, "tenure:") if "#open-end" in str(a.get_gid())
    }
    assert "tenure:lavrov-foreign-minister#open-end" in open_ends
    assert "tenure:tasmagambetov-secretary-general#open-end" not in open_ends
    [axes] = offices.axes
    right = axes.get_xlim()[1]
    lavrov = drawn["tenure:lavrov-foreign-minister"]
    assert lavrov.get_x() + lavrov.get_width() == right  # runs to the edge
    # Two accounts of one tenure, in two lanes: one above the other, not on top of it.
    first, second = (
        drawn["tenure:kazakbaev-foreign-minister"],
        drawn["tenure:kazakbaev-foreign-minister-rferl"],
    )
    assert first.get_y() != second.get_y()


def test_chairs_and_a_suspended_membership(offices: Figure) -> None:
    drawn = bars(offices)
    chairs = {gid: drawn[gid].get_label() for gid in drawn if gid.startswith("chairmanship:")}
    assert chairs == {
        "chairmanship:csto-2024": "Kazakhstan",
        "chairmanship:csto-2025": "Kyrgyzstan",
        "chairmanship:csto-2026": "Russia",
    }
    member, suspended = drawn["membership:csto-am/0"], drawn["membership:csto-am/1"]
    assert (member.get_label(), suspended.get_label()) == ("Armenia", "Armenia (suspended)")
    assert suspended.get_x() == num(dt.date(2024, 2, 22)) == member.get_x() + member.get_width()
    assert suspended.get_hatch() == "xxx"
    assert member.get_hatch() is None
    assert member.get_y() == suspended.get_y()  # one state's spells share a lane
    assert "suspended" in legend_texts(offices)


def test_a_chair_for_a_year_is_one_uncertain_span_as_wide_as_the_year(offices: Figure) -> None:
    spans = spans_of(offices, "chairmanship:", "#uncertain")
    assert spans["chairmanship:csto-2024#uncertain-0"].get_width() == 366
    assert spans["chairmanship:csto-2025#uncertain-0"].get_width() == 365


def test_each_partial_date_is_drawn_as_its_span() -> None:
    data = dataset(
        tenure("month-quarter", "2018-04/2019-Q3"),
        tenure("years", "2020/2022", person="person:b"),
        tenure("days", "2023-01-05/2023-02-01"),
        Membership(
            id="membership:m",
            state="state:ru",
            organization="organization:o",
            period="2018-03-01/..",
            changes=[StatusChange(since="2020-06", status=MembershipStatus.OBSERVER)],
            sources=S,
        ),
    )
    drawn = plot_tenures(data)
    [change] = spans_of(drawn, "membership:m", "#uncertain").values()
    assert (change.get_x(), change.get_width()) == (num(dt.date(2020, 6, 1)), 30)
    assert bars(drawn)["membership:m/1"].get_label() == "Russia (observer)"
    spans = spans_of(drawn, "tenure:", "#uncertain")
    widths = {gid: span.get_width() for gid, span in spans.items()}
    assert widths == {
        "tenure:month-quarter#uncertain-0": 30,  # April
        "tenure:month-quarter#uncertain-1": 92,  # July to September
        "tenure:years#uncertain-0": 366,  # 2020, a leap year
        "tenure:years#uncertain-1": 365,
    }
    assert spans["tenure:month-quarter#uncertain-0"].get_x() == num(dt.date(2018, 4, 1))
    whole = bars(drawn)["tenure:month-quarter"]
    assert (whole.get_x(), whole.get_x() + whole.get_width()) == (
        num(dt.date(2018, 4, 1)),
        num(dt.date(2019, 10, 1)),
    )
    assert "date known to the year, quarter or month" in legend_texts(drawn)


def test_an_unknown_end_fades_to_the_next_start_with_a_question_mark_and_an_open_one_runs_on() -> (
    None
):
    data = dataset(
        tenure("a", "2019-01-01/"),
        tenure("b", "2021-05-10/..", person="person:b"),
    )
    drawn = plot_tenures(data)
    fade = list(spans_of(drawn, "tenure:a", "#unknown-end-").values())
    assert fade
    start = min(p.get_x() for p in fade)
    stop = max(p.get_x() + p.get_width() for p in fade)
    assert start == num(dt.date(2019, 1, 2))  # after the one day the tenure surely covers
    assert stop == pytest.approx(num(dt.date(2021, 5, 10)))  # the next holder's start
    alphas = [to_rgba(p.get_facecolor())[3] for p in sorted(fade, key=lambda p: p.get_x())]
    assert alphas == sorted(alphas, reverse=True)  # it fades out
    assert texts(drawn)["tenure:a#unknown"] == "?"
    assert not by_gid(drawn, "tenure:a#open-end")
    assert by_gid(drawn, "tenure:b#open-end")
    assert not by_gid(drawn, "tenure:b#unknown")
    assert "? ended on an unknown day" in legend_texts(drawn)


def test_an_unknown_end_with_no_one_after_fades_to_the_edge() -> None:
    drawn = plot_tenures(dataset(tenure("a", "2019-03/")))
    fade = list(spans_of(drawn, "tenure:a", "#unknown-end-").values())
    [axes] = drawn.axes
    assert max(p.get_x() + p.get_width() for p in fade) == pytest.approx(axes.get_xlim()[1])
    assert min(p.get_x() for p in fade) == num(dt.date(2019, 4, 1))


def test_only_what_is_named_in_the_window_is_drawn() -> None:
    drawn = plot_tenures(
        DATA, ["position:ru-president"], start=dt.date(2001, 1, 1), end=dt.date(2005, 12, 31)
    )
    assert list(bars(drawn)) == ["tenure:putin-president-2000"]
    [axes] = drawn.axes
    assert axes.get_xlim() == (num(dt.date(2001, 1, 1)), num(dt.date(2006, 1, 1)))
    assert axes.get_title() == "Who held which office, 2001–2005"
    chairs = plot_tenures(DATA, organizations=["organization:csto"], start=SINCE_2020)
    assert {gid.partition(":")[0] for gid in bars(chairs)} == {"chairmanship", "membership"}


def test_bad_arguments_are_refused_before_anything_is_drawn() -> None:
    with pytest.raises(KeyError, match="did you mean 'position:kg-president'"):
        plot_tenures(DATA, ["kg-president"])
    with pytest.raises(TypeError, match="is a state, not a position"):
        plot_tenures(DATA, ["state:kg"])
    with pytest.raises(TypeError, match="positions must be a list of ids"):
        plot_tenures(DATA, "position:kg-president")
    with pytest.raises(ValueError, match="the end 2020-01-01 is before the start 2021-01-01"):
        plot_tenures(DATA, start=dt.date(2021, 1, 1), end=dt.date(2020, 1, 1))
    with pytest.raises(TypeError, match=r"start must be a datetime\.date"):
        plot_tenures(DATA, start="2021-01-01")  # type: ignore[arg-type]


def test_colours_are_the_okabe_ito_palette_and_groups_have_their_own(offices: Figure) -> None:
    drawn = bars(offices)
    edges = {
        group: {
            to_hex(drawn[gid].get_edgecolor()).upper() for gid in drawn if gid.startswith(prefix)
        }
        for group, prefix in (
            ("kg", "tenure:sadyr"),
            ("ru", "tenure:putin"),
            ("csto", "chairmanship:"),
        )
    }
    assert all(len(colours) == 1 for colours in edges.values())
    assert len({next(iter(c)) for c in edges.values()}) == 3
    assert {next(iter(c)) for c in edges.values()} <= set(PALETTE)


# --- both ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "draw",
    [
        lambda: plot_series(DATA, TRADE, "KG", "RU"),
        lambda: plot_series(DATA, "indicator:remittances", "KG", "RU"),
        lambda: plot_series(DATA, "indicator:remittances", "KG"),
        lambda: plot_tenures(DATA, start=SINCE_2020),
        lambda: plot_tenures(DATA),
    ],
    ids=["trade", "remittances", "remittances-floor", "tenures-since-2020", "tenures-all"],
)
def test_no_text_overlaps_another_at_the_embedded_datasets_size(draw: object) -> None:
    figure = draw()  # type: ignore[operator]
    assert overlapping(figure) == []
    assert len(drawn_texts(figure)) > 10


def test_render_writes_well_formed_svg_and_png_the_same_each_time(trade: Figure) -> None:
    svg = render(trade, "svg")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    ids = {element.get("id") for element in root.iter()}
    assert "observation:trade-kg-ru-target" in ids  # each record's id is its element's
    assert render(trade, "svg") == svg
    assert b"<dc:date>" not in svg
    png = render(trade, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(ValueError, match=r"format must be one of png, svg, got 'pdf' \(str\)"):
        render(trade, "pdf")  # type: ignore[arg-type]


def test_without_matplotlib_the_extra_to_install_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    for attempt in (
        lambda: plot_series(DATA, TRADE, "KG", "RU"),
        lambda: plot_tenures(DATA),
        lambda: render(Figure(), "svg"),
    ):
        with pytest.raises(MissingExtra) as caught:
            attempt()
        assert str(caught.value) == (
            "drawing pictures needs matplotlib: pip install 'kgru-relations[plot]'"
        )


def test_importing_the_module_does_not_import_matplotlib() -> None:
    code = (
        "import sys, kgru_relations.plot, kgru_relations.cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "[]"


# --- generated datasets --------------------------------------------------------------------------


def records_in(data: Dataset) -> Iterator[str]:
    yield from (t.id for t in data.all(Tenure))
    yield from (c.id for c in data.all(Chairmanship))
    for membership in data.all(Membership):
        yield from (f"{membership.id}/{i}" for i in range(len(membership.changes) + 1))


@given(datasets(max_size=3))
def test_any_dataset_draws_every_record_as_a_bar_and_every_series(data: Dataset) -> None:
    drawn = plot_tenures(data)
    assert sorted(bars(drawn)) == sorted(records_in(data))
    for membership in data.all(Membership):
        for index, change in enumerate(membership.changes, start=1):
            label = str(bars(drawn)[f"{membership.id}/{index}"].get_label())
            assert label.endswith(
                "" if change.status.value == "member" else f"({change.status.value})"
            )
    render(drawn, "svg")
    for observation in data.all(Observation)[:2]:
        if observation.period is None or observation.kind.value == "target":
            continue
        figure = plot_series(
            data,
            observation.indicator,
            observation.reporter,
            observation.partner,
            unit=observation.unit,
        )
        assert observation.id in lines(figure)
        render(figure, "png")


# --- the docs' pictures --------------------------------------------------------------------------


def pictures_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "pictures", ROOT / "docs" / "scripts" / "pictures.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_docs_pictures_are_drawn_from_the_embedded_dataset_by_the_docs_script() -> None:
    pictures: dict[str, bytes] = pictures_script().pictures()
    assert sorted(pictures) == ["images/offices.svg", "images/trade-turnover.svg"]
    for name, svg in pictures.items():
        ids = {element.get("id") for element in ET.fromstring(svg).iter()}
        assert (
            "observation:trade-kg-ru-target"
            if "trade" in name
            else "tenure:sadyr-japarov-president"
        ) in ids
        # The how-to and the tutorial show each picture.
        for page in ("how-to/plot.md", "tutorials/first-steps.md"):
            assert f"../{name}" in (ROOT / "docs" / page).read_text(encoding="utf-8")
