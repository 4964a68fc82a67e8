"""Service errors as problems: missing rows are 404, broken rules 422, clashes 409."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from carshare.db import get_session
from carshare.presenters.problems import ApiProblem, FieldError, from_exception, from_http
from carshare.presenters.record_messages import record_message
from carshare.services.booking import BookingError
from carshare.services.driver_trips import TripError as PressError
from carshare.services.quoting import QuoteError
from carshare.services.records.common import RecordError, RecordNotFound
from carshare.services.trips import TripError

#: Codes that describe the state of the data rather than the input: 409 Conflict.
CONFLICTS = frozenset({
    "has_open_rides", "has_booked_rides", "offer_booked", "place_in_use", "offer_withdrawn",
    "duplicate", "not_open", "option_gone", "full", "was_no_show", "was_picked_up", "not_picked_up",
    "phone_taken", "plate_taken", "already_driver", "resident_inactive", "driver_inactive",
})
#: Service field names that differ from the API's.
FIELDS = {"rider": "rider_id", "pickup": "pickup_place_id", "dropoff": "dropoff_place_id",
          "form": "", "phone": "phones.0", "phone_2": "phones.1"}
PRESS_MESSAGES = {"not_picked_up", "was_no_show", "was_picked_up", "reason_missing",
                  "not_on_trip"}


def rule_problem(field: str, code: str, **params: object) -> ApiProblem:
    """Return the problem for a broken rule of a service."""
    status = 409 if code in CONFLICTS else 422
    message = _press_message(code) if code in PRESS_MESSAGES else record_message(code, **params)
    errors = [FieldError(field=_field(field), code=code, message=message)]
    return ApiProblem(status, code, message, errors)


def _field(name: str) -> str:
    if name.startswith("consent_") and name.endswith("_on"):  # consent_<scope>_on
        return f"consents.{name[len('consent_'):-len('_on')]}.given_on"
    return FIELDS.get(name, name)


def _press_message(code: str) -> str:
    return {
        "not_picked_up": _("The rider was not picked up yet."),
        "was_no_show": _("The rider was recorded as a no-show."),
        "was_picked_up": _("The rider was already picked up."),
        "reason_missing": _("Give the reason for a no-show."),
        "not_on_trip": _("This rider is not on this trip."),
    }[code]


def _rollback() -> None:
    get_session().rollback()


def _not_found(_error: Exception):  # type: ignore[no-untyped-def]
    _rollback()
    return from_exception(ApiProblem(404, "not_found", _("There is no such resource in your "
                                                         "town.")))


def _record(error: RecordError):  # type: ignore[no-untyped-def]
    _rollback()
    return from_exception(rule_problem(error.field, error.code, **error.params))


def _booking(error: BookingError):  # type: ignore[no-untyped-def]
    _rollback()
    return from_exception(rule_problem(error.field, error.code, **error.params))


def _coded(error: QuoteError | TripError | PressError):  # type: ignore[no-untyped-def]
    _rollback()
    field = "offer_id" if isinstance(error, QuoteError) else ""
    if error.code == "unknown_outcome":
        field = "outcome"
    return from_exception(rule_problem(field, error.code))


def _problem(error: ApiProblem):  # type: ignore[no-untyped-def]
    _rollback()
    return from_exception(error)


def _http(error: HTTPException):  # type: ignore[no-untyped-def]
    _rollback()
    return from_http(error)


def _unexpected(error: Exception):  # type: ignore[no-untyped-def]
    _rollback()
    current_app.logger.exception("unhandled API error on %s", request.path, exc_info=error)
    return from_exception(ApiProblem(500, "internal", _("Something went wrong on our side. "
                                                        "Please try again later.")))


def _database(error):  # type: ignore[no-untyped-def]
    """The database cannot be reached: 503, try again later (nothing was stored)."""
    from carshare.db import RETRY_AFTER, forget_request, outage_message

    forget_request(error)
    return from_exception(ApiProblem(503, "database_unavailable", outage_message(),
                                     headers=RETRY_AFTER))


def register(bp: Blueprint) -> None:
    """Register the API's error handlers on its blueprint."""
    from carshare.db import DATABASE_ERRORS

    for error in DATABASE_ERRORS:
        bp.register_error_handler(error, _database)
    bp.register_error_handler(ApiProblem, _problem)
    bp.register_error_handler(RecordNotFound, _not_found)
    bp.register_error_handler(RecordError, _record)
    bp.register_error_handler(BookingError, _booking)
    for error in (QuoteError, TripError, PressError):
        bp.register_error_handler(error, _coded)
    bp.register_error_handler(HTTPException, _http)
    bp.register_error_handler(Exception, _unexpected)
