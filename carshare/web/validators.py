"""The plausibility bounds (``carshare.services.plausible``) for web views and forms: a day in
the URL, a date field, a name field. Each refusal is a 400 or a form error in plain words."""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

from flask import abort, make_response, render_template
from wtforms.validators import ValidationError

from carshare.presenters.messages import message
from carshare.presenters.town import town_tz
from carshare.services.plausible import DAYS_AHEAD, Implausible, check_day, check_name, parse_day
from carshare.timeutil import local_today


def refuse(text: str) -> NoReturn:
    """Answer 400 with the error page saying ``text``."""
    abort(make_response(render_template("error.html", status=400, message=text), 400))


def day_arg(text: str | None, ahead: int = DAYS_AHEAD) -> date:
    """Return the day given in the URL (today in the town when none), within the service
    horizon; answer 400 with a plain message otherwise."""
    today = local_today(town_tz())
    if not text:
        return today
    try:
        return parse_day(text, today, ahead=ahead)
    except Implausible as error:
        refuse(message(error.code, **error.params))


class InHorizon:
    """A date field's value must lie within the service horizon (default: as far ahead as
    rides can be booked; ``ahead`` days for the end of a period)."""

    def __init__(self, ahead: int = DAYS_AHEAD) -> None:
        self.ahead = ahead

    def __call__(self, form: Any, field: Any) -> None:
        """Raise a translated ValidationError for a date outside the horizon."""
        if isinstance(field.data, date):
            try:
                check_day(field.data, local_today(town_tz()), field.name, self.ahead)
            except Implausible as error:
                raise ValidationError(message(error.code, **error.params)) from None


class PersonName:
    """A name field: no line breaks, control, invisible or direction characters; a letter."""

    def __call__(self, form: Any, field: Any) -> None:
        """Raise a translated ValidationError for a name no person writes."""
        if field.data:
            try:
                check_name(field.data, field.name)
            except Implausible as error:
                raise ValidationError(message(error.code)) from None
