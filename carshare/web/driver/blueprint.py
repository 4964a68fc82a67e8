"""The ``driver`` blueprint and what its views share: who drives, the town's clock, 404s."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, request

from carshare.models import Driver, Resident
from carshare.timeutil import local_today
from carshare.web.me.access import current_driver, current_resident, resident_required

bp = Blueprint("driver", __name__, url_prefix="/driver")


def driver_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let only signed-in residents with a driver role in; others get a 404."""

    @resident_required
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_driver() is None:
            not_yours("driver page", request.path)
        return view(*args, **kwargs)

    return wrapper


def me() -> tuple[Resident, Driver]:
    """Return the signed-in resident and their driver role."""
    return current_resident(), current_driver()  # type: ignore[return-value]


def not_yours(what: str, ident: object) -> NoReturn:
    """Log an attempt to open something that is not the driver's, then answer 404."""
    resident = current_resident()
    current_app.logger.warning("resident %s tried %s %s", resident.id if resident else None,
                               what, ident)
    abort(404)


def tz() -> ZoneInfo:
    """Return the town's time zone."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def today() -> date:
    """Return today's date in the town."""
    return local_today(tz())


@bp.context_processor
def _driver_context() -> dict[str, Any]:
    from datetime import timedelta

    from carshare.web.records.offer_forms import WEEKDAYS

    return {"today": today(), "tomorrow": today() + timedelta(days=1),
            "weekday_name": lambda n: WEEKDAYS[n]}


@bp.app_context_processor
def _staff_progress() -> dict[str, Any]:
    """Give every template ``trip_progress(offer_id, day)`` (the staff dashboard uses it)."""
    from carshare.db import get_session
    from carshare.services.trip_progress import events_for

    return {"trip_progress": lambda offer_id, day: events_for(get_session(), offer_id, day)}


@bp.app_context_processor
def _place_labels() -> dict[str, Any]:
    """Give every template ``driver_place_label(place, own_home_id)`` (phone and print)."""
    from carshare.web.driver.labels import driver_place_label

    return {"driver_place_label": driver_place_label}
