"""The reports blueprint and the date range its pages share (the council report, the
planned-against-driven report and the report settings all join it)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint
from flask_babel import gettext as _

bp = Blueprint("reports", __name__, url_prefix="/reports")


class RangeProblem(ValueError):
    """The requested date range cannot be used; the message is translated."""


def parse_range(start: str | None, end: str | None, today: date) -> tuple[date, date]:
    """Return the range asked for; without one, last calendar month.

    :raise RangeProblem: a date that is not YYYY-MM-DD, or only one of the two.
    """
    if not start and not end:
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    try:
        return date.fromisoformat(start or ""), date.fromisoformat(end or "")
    except ValueError:
        raise RangeProblem(_("Enter both dates as YYYY-MM-DD.")) from None


def presets(today: date) -> list[tuple[str, date, date]]:
    """Return quick ranges: this month, last month, this and last fiscal year (April-March)."""
    last = today.replace(day=1) - timedelta(days=1)
    fiscal = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    return [(_("This month"), today.replace(day=1), today),
            (_("Last month"), last.replace(day=1), last),
            (_("This fiscal year"), fiscal, today),
            (_("Last fiscal year"), fiscal.replace(year=fiscal.year - 1),
             fiscal - timedelta(days=1))]
