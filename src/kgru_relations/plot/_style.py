"""The pictures' colours and sizes: plain values, so that this module imports no matplotlib."""

from __future__ import annotations

from typing import Final

PALETTE: Final = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow: last, as it is faint on white
)
"""The Okabe–Ito colours, in the order the pictures use them.

Okabe and Ito chose them to stay distinct to readers with any common
colour-vision deficiency (Color Universal Design, 2002).
"""

WIDTH: Final = 10.0  # inches
DPI: Final = 100
TEXT: Final = 8.5  # points: labels on bars and points
TICKS: Final = 9.0
GREY: Final = "#666666"
GRID: Final = "#DDDDDD"
PAD: Final = 3.0  # points between a label and what it labels
