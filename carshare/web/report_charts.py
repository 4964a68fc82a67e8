"""Geometry of the report's charts, drawn as inline SVG by ``reports/_chart.html``.

No script and no style attribute (the content security policy forbids both): colours come
from CSS classes in ``static/reports.css``; each chart has a title and a description for
screen readers, and the page shows the same numbers in a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from carshare.services.reports import MonthFigures, ReportFigures

WIDTH, HEIGHT = 640, 260
LEFT, BOTTOM, TOP = 48, 40, 16
MAX_BAR = 90  # a single month is a bar, not a wall
#: The series of the outcome charts, bottom to top, with their CSS class.
SERIES = (("served", "chart-served"), ("unmet", "chart-unmet"),
          ("cancelled", "chart-cancelled"), ("open", "chart-open"))


@dataclass(frozen=True)
class Bar:
    """A rectangle with its hover title."""

    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class Label:
    """A text on the chart; ``css`` places it (``chart-end``, ``chart-middle``)."""

    x: float
    y: float
    text: str
    css: str = ""


@dataclass
class Chart:
    """An SVG chart: its accessible title and description, bars and labels."""

    key: str
    title: str
    desc: str
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)


def series_names() -> dict[str, str]:
    """Return the translated names of the outcome series."""
    return {"served": _("served"), "unmet": _("unmet"), "cancelled": _("cancelled or no-show"),
            "open": _("not yet closed")}


def month_chart(months: list[MonthFigures]) -> Chart:
    """Stacked bars per month: served, unmet, cancelled and open rides."""
    names = series_names()
    top = max([m.requested for m in months] + [1])
    chart = Chart("months", _("Rides per month"), _("Rides requested per month, by outcome: ")
                  + "; ".join(f"{m.month:%Y-%m}: {m.requested}" for m in months))
    slot = (WIDTH - LEFT) / max(len(months), 1)
    scale = (HEIGHT - BOTTOM - TOP) / top
    width = min(slot * 0.7, MAX_BAR)
    for i, month in enumerate(months):
        x, y = LEFT + i * slot + (slot - width) / 2, HEIGHT - BOTTOM
        values = _month_values(month)
        for key, css in SERIES:
            h = values[key] * scale
            if h > 0:
                y -= h
                chart.bars.append(Bar(round(x, 1), round(y, 1), round(width, 1),
                                      round(h, 1), css, f"{month.month:%Y-%m} "
                                      f"{names[key]}: {values[key]}"))
        chart.labels.append(Label(round(x + width / 2, 1), HEIGHT - BOTTOM + 16,
                                  f"{month.month:%Y-%m}" if len(months) <= 12
                                  else f"{month.month:%m}", "chart-middle"))
    chart.labels += [Label(LEFT - 6, TOP + 4, str(top), "chart-end"),
                     Label(LEFT - 6, HEIGHT - BOTTOM, "0", "chart-end")]
    return chart


def _month_values(month: MonthFigures) -> dict[str, int]:
    closed = month.served + month.unmet + month.cancelled
    return {"served": month.served, "unmet": month.unmet, "cancelled": month.cancelled,
            "open": month.requested - closed}


def outcome_chart(report: ReportFigures) -> Chart:
    """One bar of 100 %: how the range's rides ended."""
    names = series_names()
    values = {"served": report.served, "unmet": report.unmet, "cancelled": report.cancelled,
              "open": report.open}
    total = max(report.requested, 1)
    chart = Chart("outcomes", _("Served and unmet"), ", ".join(
        f"{names[k]}: {v}" for k, v in values.items()), height=70)
    x, span = 0.0, WIDTH
    for key, css in SERIES:
        w = span * values[key] / total
        if w > 0:
            chart.bars.append(Bar(round(x, 1), 10, round(w, 1), 40, css,
                                  f"{names[key]}: {values[key]}"))
            x += w
    return chart


def settlement_chart(rows: list[tuple[str, int]], unknown: str) -> Chart:
    """Horizontal bars: riders by the settlement of their home."""
    top = max([n for _, n in rows] + [1])
    height = max(len(rows), 1) * 28 + 12
    chart = Chart("settlements", _("Riders by settlement"),
                  ", ".join(f"{name or unknown}: {n}" for name, n in rows), height=height)
    label_w = 160
    for i, (name, n) in enumerate(rows):
        shown = unknown if name == "unknown" else name
        y = 6 + i * 28
        w = (WIDTH - label_w - 40) * n / top
        chart.labels.append(Label(label_w - 8, y + 16, shown, "chart-end"))
        chart.bars.append(Bar(label_w, y, round(w, 1), 20, "chart-served", f"{shown}: {n}"))
        chart.labels.append(Label(label_w + round(w, 1) + 6, y + 16, str(n)))
    return chart
