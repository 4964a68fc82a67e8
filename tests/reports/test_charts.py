"""Chart geometry: bars proportional to the numbers, stacked to the month's total."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from carshare import create_app
from carshare.services.reports import MonthFigures
from carshare.web import report_charts as charts


@pytest.fixture(scope="module")
def app() -> Flask:
    """An app for translations only (no database is opened)."""
    return create_app("testing", DATABASE_URL="sqlite://")


def test_month_bars_stack_to_the_total(app: Flask) -> None:
    months = [MonthFigures(date(2026, 5, 1), 4, 2, 1, 1),
              MonthFigures(date(2026, 6, 1), 8, 5, 1, 0)]
    with app.test_request_context():
        chart = charts.month_chart(months)
    plot = charts.HEIGHT - charts.BOTTOM - charts.TOP
    june = [b for b in chart.bars if b.title.startswith("2026-06")]
    assert [b.css for b in june] == ["chart-served", "chart-unmet", "chart-open"]
    assert sum(b.height for b in june) == pytest.approx(plot)  # the tallest month fills it
    may = [b for b in chart.bars if b.title.startswith("2026-05")]
    assert sum(b.height for b in may) == pytest.approx(plot / 2)
    assert all(b.width <= charts.MAX_BAR for b in chart.bars)
    assert june[0].y + june[0].height == charts.HEIGHT - charts.BOTTOM  # stands on the axis
    assert "2026-05: 4" in chart.desc and "2026-06: 8" in chart.desc


def test_settlement_bars_scale_to_the_largest(app: Flask) -> None:
    with app.test_request_context():
        chart = charts.settlement_chart([("天塩", 4), ("unknown", 2)], "未登録")
    assert chart.bars[1].width == pytest.approx(chart.bars[0].width / 2)
    assert [label.text for label in chart.labels if label.css == "chart-end"] == ["天塩", "未登録"]


def test_empty_data_draws_no_bar(app: Flask) -> None:
    with app.test_request_context():
        assert charts.month_chart([MonthFigures(date(2026, 1, 1), 0, 0, 0, 0)]).bars == []
        assert charts.settlement_chart([], "-").bars == []
