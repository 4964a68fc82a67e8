"""Planned against driven on the reports pages: lateness per corridor and month as a chart and
tables, and the month factor suggestions an administrator may accept."""

from __future__ import annotations

import math
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from carshare.db import get_session
from carshare.domain import driven as dd
from carshare.models import StaffRole
from carshare.presenters.report_labels import RANGE_ERRORS
from carshare.presenters.town import town_tz
from carshare.services.driven_report import (
    DrivenError,
    DrivenReport,
    accept_suggestion,
    driven_report,
)
from carshare.services.reports import ReportError
from carshare.timeutil import local_today
from carshare.web.report_blueprint import RangeProblem, bp, parse_range, presets
from carshare.web.report_charts import WIDTH, Bar, Chart, Label
from carshare.web.travel_settings import MONTHS

ROW, LABEL_W = 34, 150
ERRORS = {"stale": _l("This suggestion no longer holds (the settings or the rides changed). "
                      "Look at the figures again."),
          "bad_input": _l("This suggestion cannot be read. Look at the figures again.")}


@bp.get("/driven")
@login_required
def driven():  # type: ignore[no-untyped-def]
    """Planned against driven for a date range (default: last month)."""
    try:
        start, end = parse_range(request.args.get("start"), request.args.get("end"),
                                 local_today(town_tz()))
        report = _report(start, end)
    except RangeProblem as problem:
        return _page(None, str(problem)), 400
    return _page(report, "")


@bp.post("/driven/accept")
@login_required
def accept():  # type: ignore[no-untyped-def]
    """Put a suggested month factor in force (administrators only); audited."""
    if current_user.role is not StaffRole.ADMIN:
        abort(403)
    form = request.form
    try:
        start, end = parse_range(form.get("start"), form.get("end"), local_today(town_tz()))
        month, factor = int(form.get("month", "")), float(form.get("factor", ""))
        if not (1 <= month <= 12 and math.isfinite(factor)):
            raise ValueError(month)
    except (RangeProblem, ValueError):
        return _page(None, str(ERRORS["bad_input"])), 400
    try:
        accept_suggestion(get_session(), current_user, start, end, month, factor)
    except (DrivenError, ReportError) as error:
        get_session().rollback()
        code = error.code if error.code in ERRORS else "bad_input"
        report = _report(start, end) if code == "stale" else None
        return _page(report, str(ERRORS[code])), 409 if code == "stale" else 400
    flash(_("From now on, travel times in %(month)s are multiplied by %(factor)s.",
            month=MONTHS[month - 1], factor=f"{factor:.2f}"))
    return redirect(url_for("reports.driven", start=start.isoformat(), end=end.isoformat()))


def _report(start: date, end: date) -> DrivenReport:
    try:
        return driven_report(get_session(), current_user.town_id, start, end)
    except ReportError as error:
        raise RangeProblem(str(RANGE_ERRORS.get(error.code, error.code))) from None


def _page(report: DrivenReport | None, error: str) -> str:
    context = {}
    if report is not None:
        totals = [g for g in report.groups if not g.corridor]
        context = {"chart": lateness_chart(totals), "months": MONTHS,
                   "series": {"served": _("median"), "unmet": _("90th percentile")}}
    return render_template("reports/driven.html", report=report, error=error,
                           presets=presets(local_today(town_tz())), minutes=minutes,
                           percent=percent, corridor_label=corridor_label,
                           start=request.values.get("start", ""),
                           end=request.values.get("end", ""),
                           is_admin=current_user.role is StaffRole.ADMIN,
                           min_legs=dd.MIN_LEGS, tolerance=round(dd.TOLERANCE * 100), **context)


def minutes(seconds: float | None) -> str:
    """Return seconds as whole minutes for people ("3分"), half a minute rounded away from 0;
    "—" when unmeasured."""
    if seconds is None:
        return "—"
    value = math.floor(abs(seconds) / 60 + 0.5) * (1 if seconds >= 0 else -1)
    return _("%(n)d min", n=value)


def percent(value: float | None) -> str:
    """Return a share 0..1 as a whole percentage, "—" when nothing was promised."""
    return "—" if value is None else f"{value * 100:.0f}%"


def corridor_label(key: str) -> str:
    """Return a corridor as shown ("" : every corridor; unknown settlements named)."""
    if not key:
        return _("All corridors")
    return key.replace(dd.UNKNOWN, _("Not recorded"))


def lateness_chart(totals: list[dd.GroupFigures]) -> Chart:
    """Horizontal bars from zero per month: median (thick) and p90 (thin) lateness of the
    pick-ups and of the drop-offs; early is left of zero."""
    rows = [(f"{g.month:%Y-%m} {name}", stat) for g in totals
            for name, stat in ((_("Pick-ups"), g.pickup), (_("Drop-offs"), g.dropoff))]
    values = [v for _n, s in rows for v in (s.median_s, s.p90_s) if v is not None]
    low, high = min([0.0, *values]), max([60.0, *values])
    span = (WIDTH - LABEL_W - 70) / (high - low)
    zero = LABEL_W + (0 - low) * span
    chart = Chart("driven", _("Lateness against the plan"), "; ".join(
        _("%(row)s: median %(median)s, 90th percentile %(p90)s (%(n)d stops)", row=name,
          median=minutes(s.median_s), p90=minutes(s.p90_s), n=s.n) for name, s in rows)
        or _("No presses in this period."), height=max(len(rows), 1) * ROW + 24)
    for i, (name, stat) in enumerate(rows):
        y = 8 + i * ROW
        chart.labels.append(Label(LABEL_W - 8, y + 15, name, "chart-end"))
        for value, css, top, height in ((stat.median_s, "chart-served", y, 14),
                                        (stat.p90_s, "chart-unmet", y + 16, 6)):
            if value is not None:
                x, w = min(zero, zero + value * span), abs(value) * span
                chart.bars.append(Bar(round(x, 1), top, round(max(w, 1), 1), height, css,
                                      f"{name}: {minutes(value)}"))
        chart.labels.append(Label(WIDTH - 4, y + 15, f"{minutes(stat.median_s)} / "
                                  f"{minutes(stat.p90_s)}", "chart-end"))
    chart.bars.append(Bar(round(zero, 1), 2, 1, chart.height - 20, "chart-cancelled", "0"))
    chart.labels.append(Label(round(zero, 1), chart.height - 4, _("on time"), "chart-middle"))
    return chart
