"""The monitoring charts: one matplotlib figure per measure, for the window and the PDF alike.

The same function draws the figure shown in the Monitoring page (Qt canvas) and the vector
drawing in the PDF (SVG read by svglib), so screen and paper never differ. Figures are made
with :class:`matplotlib.figure.Figure` directly (no pyplot state), so any backend can draw them.
Suppressed figures (counts 1 to 4) have no bar: the label says ``<5``.
Each bar carries its indicator's key as its ``gid``, so a click can show the cases behind it.
"""

from __future__ import annotations

import io
import textwrap

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from stepdesk.services.monitoring.model import Indicator, Measure
from stepdesk.services.monitoring.suppression import shown_value

NOW_COLOUR = "#1f5f99"
BEFORE_COLOUR = "#b8c7d6"
MAX_BARS = 8


def chart_indicators(measure: Measure) -> list[Indicator]:
    """The indicators a measure's chart shows: its headline figures, at most eight."""
    kinds = {i.kind for i in measure.indicators}
    wanted = "percent" if "percent" in kinds else "count"
    chosen = [i for i in measure.indicators if i.kind == wanted]
    return chosen[:MAX_BARS]


def measure_figure(measure: Measure, *, width: float = 7.0) -> Figure:
    """This period beside the previous one, one pair of bars per headline indicator."""
    shown = chart_indicators(measure)
    height = 0.9 + 0.42 * max(len(shown), 1)
    figure = Figure(figsize=(width, height), dpi=100)
    axes = figure.add_subplot(1, 1, 1)
    labels = ["\n".join(textwrap.wrap(i.label, 34)) for i in shown]
    positions = list(range(len(shown)))
    for y, ind in zip(positions, shown, strict=True):
        now, before = ind.shown_value, ind.shown_previous
        if before is not None:
            bar = axes.barh(y + 0.2, before, height=0.38, color=BEFORE_COLOUR)
            bar.patches[0].set_gid(ind.key)
        if now is not None:
            bar = axes.barh(y - 0.2, now, height=0.38, color=NOW_COLOUR)
            bar.patches[0].set_gid(ind.key)
            bar.patches[0].set_picker(True)
        text = shown_value(ind.value, ind.kind, ind.suppressed)
        axes.annotate(
            text,
            (now or 0, y - 0.2),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    axes.set_yticks(positions, labels, fontsize=8)
    axes.invert_yaxis()
    unit = "%" if shown and shown[0].kind == "percent" else "count"
    axes.set_xlabel(unit, fontsize=8)
    if unit == "%":
        axes.set_xlim(0, 110)
    axes.tick_params(axis="x", labelsize=8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.legend(
        handles=[
            Patch(color=NOW_COLOUR, label="This period"),
            Patch(color=BEFORE_COLOUR, label="Previous period"),
        ],
        fontsize=7,
        loc="lower right",
        frameon=False,
    )
    figure.tight_layout()
    return figure


def figure_svg(figure: Figure) -> bytes:
    """The figure as SVG (text kept as paths, so the PDF needs no matplotlib fonts)."""
    out = io.BytesIO()
    figure.savefig(out, format="svg")
    return out.getvalue()
