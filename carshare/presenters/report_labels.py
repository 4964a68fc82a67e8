"""The report's figures as labelled rows, shared by the page, the CSV and the printed report."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from carshare.domain.report_math import UNKNOWN
from carshare.presenters.outcomes import OUTCOME_CHOICES
from carshare.presenters.reasons import REASONS
from carshare.services.reports import ReportFigures

OUTCOMES = {**dict(OUTCOME_CHOICES), "cancelled": _l("Cancelled"),
            "rider_cancelled": _l("Rider cancelled"),
            "changed": _l("Changed to another ride")}
UNMET = {**REASONS, "expired": _l("The time passed without a driver."),
         "unmet": _l("Could not be served (recorded by staff)."),
         "waiting_list": _l("Still on the waiting list when the time passed.")}
RANGE_ERRORS = {
    "inverted": _l("The end date is before the start date."),
    "too_early": _l("A report cannot start before 1 January 2000."),
    "too_long": _l("A report covers at most three years."),
}


@dataclass(frozen=True)
class Figure:
    """One labelled figure: ``value`` is a number (or None: nothing to measure)."""

    key: str
    label: str
    value: float | int | None
    unit: str = ""
    decimals: int = 0


def figures(report: ReportFigures) -> list[Figure]:
    """Return the report's headline figures in the order the council reads them."""
    rate = None if report.repeat_rate is None else report.repeat_rate * 100
    f = Figure
    return [
        f("requested", _l("Rides requested"), report.requested),
        f("served", _l("Rides served"), report.served),
        f("unmet", _l("Rides unmet"), report.unmet),
        f("cancelled", _l("Rides cancelled or no-show"), report.cancelled),
        f("open", _l("Rides not yet closed"), report.open),
        f("unique_riders", _l("Riders (people)"), report.unique_riders),
        f("repeat_riders", _l("Riders who rode on two or more days"), report.repeat_riders),
        f("repeat_rate", _l("Repeat rate"), rate, "%", 1),
        f("routes_driven", _l("Trips driven by volunteers"), report.routes_driven),
        f("km_driven", _l("Kilometres driven"), report.km_driven, "km", 1),
        f("volunteer_hours", _l("Volunteer hours"), report.volunteer_hours, _l("h"), 1),
        f("avg_ride_minutes", _l("Average ride time"), report.avg_ride_minutes, _l("min"), 1),
        f("avg_direct_minutes", _l("Average direct driving time"), report.avg_direct_minutes,
          _l("min"), 1),
        f("shared_rides", _l("Rides shared with another rider"), report.shared_rides),
        f("rider_km", _l("Rider-kilometres"), report.rider_km, "km", 1),
        f("taxi_fares_yen", _l("Estimated taxi fares saved"), report.taxi_fares_yen, _l("yen")),
        f("co2_service_kg", _l("CO2 of the service"), report.co2_service_kg, "kg", 1),
        f("co2_alone_kg", _l("CO2 if every rider had driven alone"), report.co2_alone_kg, "kg",
          1),
        f("co2_service_g_per_rider_km", _l("CO2 per rider-km, shared rides"),
          report.co2_service_g_per_rider_km, "g", 1),
        f("co2_alone_g_per_rider_km", _l("CO2 per rider-km, driving alone"),
          report.co2_alone_g_per_rider_km, "g", 1),
    ]


def outcome_label(code: str) -> str:
    """Return the translated outcome of a cancelled ride."""
    return str(OUTCOMES.get(code, code))


def unmet_label(code: str) -> str:
    """Return the translated reason a ride went unmet."""
    return str(UNMET.get(code, code))


def group_label(key: str) -> str:
    """Return a settlement or age band as shown, with the unknown group named."""
    return str(_l("Not recorded")) if key == UNKNOWN else key


def shown(figure: Figure) -> str:
    """Return a figure's value for people: grouped digits, its decimals, "—" when unmeasured."""
    if figure.value is None:
        return "—"
    return f"{figure.value:,.{figure.decimals}f}"
