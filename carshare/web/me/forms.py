"""Forms of the phone sign-in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp


class PhoneForm(FlaskForm):
    """Ask for the phone number on record."""

    phone = StringField(_l("Your phone number"), [DataRequired(_l("Enter a phone number.")),
                                                  Length(max=30)],
                        render_kw={"inputmode": "tel", "autocomplete": "tel"})
    submit = SubmitField(_l("Send me a code"))


class CodeForm(FlaskForm):
    """The six-digit code from the SMS or the voice call."""

    code = StringField(_l("Code"), [DataRequired(_l("Enter the code.")),
                                    Regexp(r"^\s*[0-9０-９]{6}\s*$",
                                           message=_l("The code has six digits."))],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})
    submit = SubmitField(_l("Sign in"))


class RiderBookingForm(FlaskForm):
    """A rider asks for a ride from home: where, which day, by when; the return."""

    dropoff_place_id = SelectField(_l("Where to"), coerce=int,
                                   validators=[InputRequired(_l("Choose the destination."))])
    day = DateField(_l("Day"), validators=[InputRequired(_l("Enter the date."))])
    window_kind = RadioField(_l("Time"), default="arrive_by",
                             choices=[("arrive_by", _l("Arrive by")),
                                      ("pickup_after", _l("Pick up after"))])
    clock = TimeField(_l("At"), validators=[InputRequired(_l("Enter the time."))])
    return_mode = RadioField(_l("Return trip"), default="open",
                             choices=[("open", _l("I will call for the return")),
                                      ("after", _l("Pick me up after")),
                                      ("none", _l("No return trip"))])
    return_clock = TimeField(_l("Return pick-up after"), validators=[Optional()])
    submit = SubmitField(_l("Find a driver"))
