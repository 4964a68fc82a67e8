"""The council report's figures for any date range of the caller's town."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from carshare.api.auth import caller
from carshare.api.blueprint import bp
from carshare.api.spec import operation
from carshare.api.validation import Day, Input, Output
from carshare.db import get_session
from carshare.presenters.problems import ApiProblem, FieldError
from carshare.services.reports import ReportError, monthly_report


class ReportQuery(Input):
    """The range, both days included."""

    start: Day
    end: Day


class Count(Output):
    """How many, of what."""

    key: str
    count: int


class MonthOut(Output):
    """One calendar month of the trend."""

    month: date
    requested: int
    served: int
    unmet: int
    cancelled: int


class ReportOut(Output):
    """Every figure of the report (see the README's definitions)."""

    town_id: int
    town_name: str
    start: date
    end: date
    requested: int
    served: int
    unmet: int
    cancelled: int
    open: int
    unmet_by_reason: list[Count]
    cancelled_by_outcome: list[Count]
    unique_riders: int
    repeat_riders: int
    repeat_rate: float | None
    riders_by_settlement: list[Count]
    riders_by_age_band: list[Count]
    routes_driven: int
    km_driven: float
    volunteer_hours: float
    avg_ride_minutes: float | None
    avg_direct_minutes: float | None
    shared_rides: int
    rider_km: float
    taxi_fares_yen: int
    co2_service_kg: float
    co2_alone_kg: float
    co2_service_g_per_rider_km: float | None
    co2_alone_g_per_rider_km: float | None
    months: list[MonthOut] = Field(default_factory=list)


COUNTED = ("unmet_by_reason", "cancelled_by_outcome", "riders_by_settlement",
           "riders_by_age_band")


def _range_problem(error: ReportError) -> ApiProblem:
    from flask_babel import gettext as _

    from carshare.presenters.report_labels import RANGE_ERRORS

    message = str(RANGE_ERRORS.get(error.code, _("This range cannot be reported.")))
    return ApiProblem(422, error.code, message,
                      [FieldError(field="end" if error.code == "inverted" else "start",
                                  code=error.code, message=message)])


@bp.get("/reports")
@operation("reports", {"HTTP_200": ReportOut}, query=ReportQuery)
def report(query: ReportQuery) -> ReportOut:
    """The report's figures from ``start`` to ``end`` (a range without rides gives zeros)."""
    try:
        figures = monthly_report(get_session(), caller().actor.town_id, query.start, query.end)
    except ReportError as error:
        raise _range_problem(error) from None
    values = {name: getattr(figures, name) for name in ReportOut.model_fields}
    for name in COUNTED:
        values[name] = [Count(key=k, count=n) for k, n in values[name]]
    values["months"] = [MonthOut.model_validate(m) for m in figures.months]
    return ReportOut.model_validate(values)
