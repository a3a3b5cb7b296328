"""Chart data binned on the server and heat maps of |S - R|, for the macros in
app/templates/macros/charts.html and results.html (docs/frontend.md).

Charts are plain dicts with a "kind" ("histogram", "bars" or "series") that a page embeds as
JSON and app/static/js/charts.js draws with uPlot; the same dict renders the data table that
screen readers and browsers without JavaScript get.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

HEAT_LEVELS = 5  # shades above the threshold
HEAT_MAX_SIDE = 24  # larger matrices are shown as block maxima so a phone can still hold them


# ---- charts -------------------------------------------------------------------------------------

def _finite(values: Iterable[float | None]) -> np.ndarray:
    array = np.asarray([v for v in values if v is not None], dtype=float)
    return array[np.isfinite(array)]


def histogram_chart(values: Iterable[float | None], *, bins: int = 10, value_range: tuple[float, float] | None = None,
                    x_label: str = "Score", y_label: str = "Students") -> dict[str, Any]:
    """Counts per bin (numpy.histogram: the last bin includes its right edge)."""
    data = _finite(values)
    if value_range is None:
        value_range = (float(data.min()), float(data.max())) if data.size else (0.0, 1.0)
    low, high = value_range
    if high <= low:
        high = low + 1.0
    counts, edges = np.histogram(data, bins=bins, range=(low, high))
    return {"kind": "histogram", "edges": [round(float(e), 6) for e in edges], "counts": [int(c) for c in counts],
            "x_label": x_label, "y_label": y_label, "total": int(data.size)}


def bar_chart(labels: Sequence[str], values: Sequence[float], *, unit: str = "%", max_value: float | None = 100.0,
              x_label: str = "", y_label: str = "") -> dict[str, Any]:
    """One bar per label (a pass rate per problem, the share of a mistake)."""
    if len(labels) != len(values):
        raise ValueError("bar_chart needs one value per label")
    return {"kind": "bars", "labels": [str(label) for label in labels],
            "values": [None if v is None or not math.isfinite(v) else round(float(v), 4) for v in values],
            "unit": unit, "max": max_value, "x_label": x_label, "y_label": y_label}


def _epoch(moment: dt.datetime) -> float:
    if moment.tzinfo is None:  # the database stores naive UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def series_chart(times: Sequence[dt.datetime], series: Mapping[str, Sequence[float | None]], *,
                 marks: Iterable[tuple[dt.datetime, str]] = (), y_label: str = "") -> dict[str, Any]:
    """Lines over time (submissions per hour around the deadline, grading latency); `marks`
    draws labelled vertical lines such as the deadline."""
    for name, values in series.items():
        if len(values) != len(times):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(times)} times")
    return {"kind": "series", "x": [_epoch(t) for t in times],
            "series": [{"label": name, "values": [None if v is None or not math.isfinite(v) else float(v) for v in vals]}
                       for name, vals in series.items()],
            "marks": [{"x": _epoch(t), "label": label} for t, label in marks], "y_label": y_label}


# ---- heat map of |S - R| ------------------------------------------------------------------------

@dataclass(frozen=True)
class HeatCell:
    row: int  # first row and column of the (pooled) block, 0-based
    col: int
    value: float
    level: int  # 0 within the threshold, 1..HEAT_LEVELS above it (see HeatMap.bounds)
    over: bool
    worst: bool
    finite: bool


@dataclass(frozen=True)
class HeatMap:
    rows: list[list[HeatCell]]
    shape: tuple[int, int]
    threshold: float
    bounds: list[float]  # upper bound of each level above the threshold, on a log scale up to the largest entry
    block: int  # side of the square block each cell stands for (1: one entry per cell)
    over_count: int  # entries (not cells) above the threshold, NaN and inf included
    nonfinite_count: int
    worst: HeatCell

    @property
    def total(self) -> int:
        return self.shape[0] * self.shape[1]

    @property
    def legend(self) -> list[tuple[int, float, float]]:
        """(level, from, to) for each shade above the threshold."""
        lows = [self.threshold, *self.bounds[:-1]]
        return [(i + 1, low, high) for i, (low, high) in enumerate(zip(lows, self.bounds, strict=True))]


def _heat_scale(matrix: np.ndarray, threshold: float) -> list[float]:
    """Level bounds: the span from the threshold to the largest finite entry, split evenly in log
    space, so a matrix shows its own contrast whether it is 10x or 10^12 x off."""
    finite = matrix[np.isfinite(matrix)]
    over = finite[~(finite <= threshold)]
    low = threshold if threshold > 0 else (float(over.min()) if over.size else 1.0)
    high = float(over.max()) if over.size else low * 10
    if high <= low:
        high = low * 10
    span = math.log10(high / low)
    return [low * 10 ** (span * k / HEAT_LEVELS) for k in range(1, HEAT_LEVELS + 1)]


def _level(value: float, threshold: float, bounds: list[float]) -> int:
    if not math.isfinite(value):
        return HEAT_LEVELS
    if value <= threshold:
        return 0
    for level, bound in enumerate(bounds, start=1):
        if value <= bound * (1 + 1e-12):
            return level
    return HEAT_LEVELS


def heat_map(difference: Any, threshold: float, *, max_side: int = HEAT_MAX_SIDE) -> HeatMap:
    """Cells of |S - R| for a table: a vector becomes one column, NaN and inf count as the worst,
    and a matrix wider than `max_side` is shown as maxima of square blocks."""
    matrix = np.abs(np.asarray(difference, dtype=float))
    if matrix.ndim == 0:
        matrix = matrix.reshape(1, 1)
    elif matrix.ndim == 1:
        matrix = matrix.reshape(-1, 1)
    elif matrix.ndim > 2:
        raise ValueError("heat_map shows vectors and matrices only")
    if matrix.size == 0:
        raise ValueError("heat_map needs at least one entry")
    bounds = _heat_scale(matrix, threshold)
    # Non-finite entries rank above every finite one.
    ranked = np.where(np.isfinite(matrix), matrix, np.inf)
    n_rows, n_cols = matrix.shape
    block = max(1, math.ceil(max(n_rows, n_cols) / max_side))
    worst_index = np.unravel_index(int(np.argmax(ranked)), matrix.shape)
    rows: list[list[HeatCell]] = []
    worst_cell: HeatCell | None = None
    for r in range(0, n_rows, block):
        cells = []
        for c in range(0, n_cols, block):
            part = ranked[r:r + block, c:c + block]
            local = np.unravel_index(int(np.argmax(part)), part.shape)
            value = float(matrix[r + local[0], c + local[1]])
            is_worst = r <= worst_index[0] < r + block and c <= worst_index[1] < c + block
            level = _level(value, threshold, bounds)
            cell = HeatCell(row=r, col=c, value=value, level=level, over=not value <= threshold, worst=is_worst,
                            finite=math.isfinite(value))
            if is_worst:
                worst_cell = cell
            cells.append(cell)
        rows.append(cells)
    assert worst_cell is not None
    return HeatMap(rows=rows, shape=(n_rows, n_cols), threshold=threshold, bounds=bounds, block=block,
                   over_count=int(np.count_nonzero(~(matrix <= threshold))),
                   nonfinite_count=int(np.count_nonzero(~np.isfinite(matrix))), worst=worst_cell)
