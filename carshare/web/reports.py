"""The council report: a staff page with charts, a CSV and a printable A4 report."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from carshare.db import get_session
from carshare.presenters.report_labels import (
    RANGE_ERRORS,
    figures,
    group_label,
    outcome_label,
    shown,
    unmet_label,
)
from carshare.presenters.town import town_tz
from carshare.services.reports import ReportError, ReportFigures, monthly_report
from carshare.timeutil import local_today
from carshare.web import report_charts as charts
from carshare.web.csv_response import csv_response
from carshare.web.report_blueprint import RangeProblem, bp, parse_range, presets


@bp.get("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    """The report of a date range with its charts (default: last month)."""
    try:
        report = _report()
    except RangeProblem as problem:
        return _page(None, str(problem)), 400
    return _page(report, "")


@bp.get("/report.csv")
@login_required
def report_csv():  # type: ignore[no-untyped-def]
    """The report's figures as CSV (UTF-8 with BOM, for Excel)."""
    try:
        report = _report()
    except RangeProblem as problem:
        return _page(None, str(problem)), 400
    return csv_response(f"report-{report.start}-{report.end}.csv",
                        [_("Figure"), _("Value"), _("Unit")], csv_rows(report))


@bp.get("/print")
@login_required
def printable():  # type: ignore[no-untyped-def]
    """The report laid out for A4 paper, charts included."""
    try:
        report = _report()
    except RangeProblem as problem:
        return _page(None, str(problem)), 400
    return render_template("reports/print.html", **_context(report))


def csv_rows(report: ReportFigures) -> list[list[object]]:
    """Return the CSV rows: headline figures, then breakdowns, then months."""
    rows: list[list[object]] = [[str(f.label), None if f.value is None else round(f.value, 2),
                                 str(f.unit)] for f in figures(report)]
    unmet, cancelled, settlement, age = _("Unmet"), _("Cancelled"), _("Settlement"), _("Age")
    rows += [[f"{unmet}: {unmet_label(k)}", n, ""] for k, n in report.unmet_by_reason]
    rows += [[f"{cancelled}: {outcome_label(k)}", n, ""] for k, n in report.cancelled_by_outcome]
    rows += [[f"{settlement}: {group_label(k)}", n, ""] for k, n in report.riders_by_settlement]
    rows += [[f"{age}: {group_label(k)}", n, ""] for k, n in report.riders_by_age_band]
    for m in report.months:
        rows += [[f"{m.month:%Y-%m} {name}", value, ""] for name, value in (
            (_("requested"), m.requested), (_("served"), m.served), (_("unmet"), m.unmet),
            (_("cancelled or no-show"), m.cancelled))]
    return rows


def _report() -> ReportFigures:
    start, end = parse_range(request.args.get("start"), request.args.get("end"),
                             local_today(town_tz()))
    try:
        return monthly_report(get_session(), current_user.town_id, start, end)
    except ReportError as error:
        raise RangeProblem(str(RANGE_ERRORS.get(error.code, error.code))) from None


def _context(report: ReportFigures) -> dict:
    unknown = _("Not recorded")
    return {"report": report, "figures": figures(report), "shown": shown,
            "outcome_label": outcome_label, "unmet_label": unmet_label,
            "group_label": group_label, "series": charts.series_names(),
            "charts": [charts.month_chart(report.months), charts.outcome_chart(report),
                       charts.settlement_chart(report.riders_by_settlement, unknown)]}


def _page(report: ReportFigures | None, error: str) -> str:
    today = local_today(town_tz())
    context = _context(report) if report else {"report": None}
    return render_template("reports/index.html", error=error, presets=presets(today),
                           start=request.args.get("start", ""), end=request.args.get("end", ""),
                           **context)

