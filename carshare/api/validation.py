"""Input types shared by every API model, and pydantic errors as translated field errors."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from flask_babel import gettext as _
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    StrictInt,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from carshare.presenters.problems import FieldError

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


class Input(BaseModel):
    """Base of every request model: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    """Base of every response model."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)


def from_row[OutputT: Output](model: type[OutputT], row: object, **values: Any) -> OutputT:
    """Return ``model`` filled from the attributes of ``row`` (and ``values``, which win)."""
    names = [name for name in model.model_fields if name not in values]
    return model.model_validate({name: getattr(row, name) for name in names} | values)


def _printable(value: str) -> str:
    if any(unicodedata.category(c) in ("Cc", "Cs", "Co") and c not in "\n\t" for c in value):
        raise PydanticCustomError("control_character", "control characters are not allowed")
    return value


def _text_only(value: Any) -> Any:
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "a string is required")
    return value


def _plausible(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError("date_implausible", "the date is out of range")
    return value


def _plausible_moment(value: datetime) -> datetime:
    _plausible(value.date())
    return value


def _number_only(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("number_type", "a number is required")
    return value


State = Literal["active", "inactive", "all"]
ACTIVE: dict[str, bool | None] = {"active": True, "inactive": False, "all": None}
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Bool = StrictBool
Number = Annotated[float, BeforeValidator(_number_only)]
Day = Annotated[date, BeforeValidator(_text_only), AfterValidator(_plausible),
                Field(examples=["2026-12-01"])]
CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
CLOCK_SCHEMA = {"type": "string", "pattern": CLOCK_PATTERN, "examples": ["09:30"],
                "description": "A time of day in the town's zone, HH:MM."}


def _clock(value: Any) -> Any:
    if not isinstance(value, str) or not re.fullmatch(CLOCK_PATTERN, value):
        raise PydanticCustomError("time_parsing", "a time of day HH:MM is required")
    return value


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M" if value.second == 0 else "%H:%M:%S")


Clock = Annotated[time, BeforeValidator(_clock), WithJsonSchema(CLOCK_SCHEMA)]
LocalTime = Annotated[time, PlainSerializer(_hhmm, return_type=str), WithJsonSchema(CLOCK_SCHEMA)]
Moment = Annotated[AwareDatetime, BeforeValidator(_text_only), AfterValidator(_plausible_moment),
                   Field(examples=["2026-12-01T09:30:00+09:00"])]


def _filled(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("string_too_short", "enter some text", {"min_length": 1})
    return value


def text(max_length: int, min_length: int = 0) -> Any:
    """Return a string type without control characters, of a bounded length.

    With ``min_length`` the text must also hold more than spaces.
    """
    checks = (AfterValidator(_printable), AfterValidator(_filled)) if min_length else (
        AfterValidator(_printable),)
    return Annotated[str, Field(min_length=min_length, max_length=max_length), *checks]


def _message(error: dict[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    table = {
        "missing": _("This field is required."),
        "extra_forbidden": _("This field is not known."),
        "int_type": _("Enter a whole number."), "int_parsing": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "number_type": _("Enter a number."), "float_type": _("Enter a number."),
        "float_parsing": _("Enter a number."), "finite_number": _("Enter a number."),
        "bool_type": _("Enter true or false."), "bool_parsing": _("Enter true or false."),
        "string_type": _("Enter text."), "control_character":
            _("Control characters are not allowed."),
        "date_type": _("Enter a date as YYYY-MM-DD."), "date_parsing":
            _("Enter a date as YYYY-MM-DD."), "date_from_datetime_parsing":
            _("Enter a date as YYYY-MM-DD."), "date_from_datetime_inexact":
            _("Enter a date as YYYY-MM-DD."),
        "date_implausible": _("Enter a date between 2000 and 2099."),
        "time_type": _("Enter a time as HH:MM."), "time_parsing": _("Enter a time as HH:MM."),
        "datetime_type": _("Enter a date and time with its offset, e.g. "
                           "2026-12-01T09:30:00+09:00."),
        "datetime_parsing": _("Enter a date and time with its offset, e.g. "
                              "2026-12-01T09:30:00+09:00."),
        "datetime_from_date_parsing": _("Enter a date and time with its offset, e.g. "
                                        "2026-12-01T09:30:00+09:00."),
        "timezone_aware": _("Give the time with its offset, e.g. +09:00."),
        "enum": _("Choose one of: %(values)s.", values=ctx.get("expected", "")),
        "literal_error": _("Choose one of: %(values)s.", values=ctx.get("expected", "")),
        "model_type": _("Send a JSON object."), "model_attributes_type": _("Send a JSON object."),
        "dict_type": _("Send a JSON object."), "list_type": _("Send a list."),
    }
    if kind in table:
        return table[kind]
    return _bounds(kind, ctx) or _("This value is not valid.")


def _bounds(kind: str, ctx: dict[str, Any]) -> str | None:
    if kind == "string_too_long":
        return _("Use at most %(n)d characters.", n=ctx.get("max_length", 0))
    if kind == "string_too_short":
        return _("Enter at least %(n)d characters.", n=ctx.get("min_length", 0))
    limits = {"greater_than_equal": ("ge", _("Enter %(n)s or more.")),
              "greater_than": ("gt", _("Enter more than %(n)s.")),
              "less_than_equal": ("le", _("Enter %(n)s or less.")),
              "less_than": ("lt", _("Enter less than %(n)s."))}
    if kind in limits:
        key, message = limits[kind]
        return message % {"n": ctx.get(key, "")}
    return None


def field_errors(error: ValidationError) -> list[FieldError]:
    """Return a pydantic error as translated field errors."""
    return [FieldError(field=".".join(str(part) for part in e["loc"]), code=e["type"],
                       message=_message(e)) for e in error.errors()]
