"""Form pieces the record forms share: tolerant number fields, optional ids, action form."""

from __future__ import annotations

import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import TextInput

from carshare.web.booking_forms import KANA

NOT_A_NUMBER = _l("Enter a number, for example 44.884.")
NOT_A_WHOLE_NUMBER = _l("Enter a whole number.")
NOT_A_DATE = _l("Enter a date such as 2026-06-03.")
NOT_A_TIME = _l("Enter a time such as 08:30.")
NOT_IN_LIST = _l("Choose one from the list.")


def _normalized(valuelist: list[Any]) -> list[Any]:
    """Fold full-width digits, points and minus signs that a Japanese keyboard may type."""
    return [unicodedata.normalize("NFKC", v).replace("−", "-").strip() if isinstance(v, str)
            else v for v in valuelist]


class LooseFloatField(FloatField):
    """A decimal number typed in half-width or full-width characters (a text box, as number
    boxes drop full-width digits)."""

    widget = TextInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Parse the typed value; a bad one leaves ``data`` empty with a plain message."""
        try:
            super().process_formdata(_normalized(valuelist))
        except ValueError:
            raise ValueError(str(NOT_A_NUMBER)) from None


class LooseIntegerField(IntegerField):
    """A whole number typed in half-width or full-width characters (a text box)."""

    widget = TextInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Parse the typed value; a bad one leaves ``data`` empty with a plain message."""
        try:
            super().process_formdata(_normalized(valuelist))
        except ValueError:
            raise ValueError(str(NOT_A_WHOLE_NUMBER)) from None
        if self.data is not None and abs(self.data) > 10**15:  # NumberRange would overflow
            self.data = None
            raise ValueError(str(NOT_A_WHOLE_NUMBER))


class PlainDateField(DateField):
    """A date whose typing errors read plainly."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Parse the date; a bad one gets a plain message."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(NOT_A_DATE)) from None


class PlainTimeField(TimeField):
    """A time of day whose typing errors read plainly."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Parse the time; a bad one gets a plain message."""
        try:
            super().process_formdata(_normalized(valuelist))
        except ValueError:
            raise ValueError(str(NOT_A_TIME)) from None


class _PlainChoice:
    """Say "choose one from the list" for any value that is not among the choices."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Coerce the chosen value; one that cannot be coerced gets the plain message."""
        try:
            super().process_formdata(valuelist)  # type: ignore[misc]
        except ValueError:
            raise ValueError(str(NOT_IN_LIST)) from None

    def pre_validate(self, form: Any) -> None:
        """Refuse a value that is not among the choices, with the plain message."""
        try:
            super().pre_validate(form)  # type: ignore[misc]
        except ValidationError:
            raise ValidationError(str(NOT_IN_LIST)) from None


class PlainSelectField(_PlainChoice, SelectField):
    """A select that refuses unknown values plainly."""


class PlainRadioField(_PlainChoice, RadioField):
    """Radio buttons that refuse unknown values plainly."""


def optional_int(value: Any) -> int | None:
    """Coerce a select's value to an id, the empty choice to None (garbage stays invalid)."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # never among the choices, so the field reports it


def id_select(label: Any, required: bool = True, message: Any = None) -> SelectField:
    """A select of record ids; required ones refuse the empty choice."""
    checks = [InputRequired(message or NOT_IN_LIST)] if required else []
    return PlainSelectField(label, coerce=int if required else optional_int, validators=checks,
                       validate_choice=True)


def kana_field(label: Any, required: bool, max_length: int) -> StringField:
    """A name's reading in hiragana, katakana or half-width kana."""
    first = InputRequired(_l("Enter the reading in kana.")) if required else Optional()
    return StringField(label, [first, Length(max=max_length),
                               Regexp(KANA, message=_l("Use hiragana or katakana only."))])


def whole(label: Any, low: int, high: int, message: Any, **kwargs: Any) -> LooseIntegerField:
    """A required whole number between ``low`` and ``high``."""
    return LooseIntegerField(label, [InputRequired(NOT_A_WHOLE_NUMBER),
                                     NumberRange(low, high, message)], **kwargs)
