"""Forms of the phone-call flow: register a caller, book a ride with its return."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import HiddenInput

KANA = r"^[\u3040-\u30ff\uff66-\uff9f\s\u30fc]+$"



class BoundedIntegerField(IntegerField):
    """A whole number; absurdly long ones are refused (NumberRange would overflow on them)."""

    def process_formdata(self, valuelist: list) -> None:
        """Parse the value; one beyond 10**15 leaves ``data`` empty with the usual message."""
        super().process_formdata(valuelist)
        if self.data is not None and abs(self.data) > 10**15:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))

class NewCallerForm(FlaskForm):
    """The minimum to register a first-time caller."""

    family_name = StringField(_l("Family name"), [DataRequired(_l("Enter the family name.")),
                                                  Length(max=40)],
                              render_kw={"autofocus": True})
    given_name = StringField(_l("Given name"), [DataRequired(_l("Enter the given name.")),
                                                Length(max=40)])
    family_name_kana = StringField(_l("Family name (kana)"), [
        DataRequired(_l("Enter the reading in kana.")), Length(max=80),
        Regexp(KANA, message=_l("Use hiragana or katakana only."))])
    given_name_kana = StringField(_l("Given name (kana)"), [
        DataRequired(_l("Enter the reading in kana.")), Length(max=80),
        Regexp(KANA, message=_l("Use hiragana or katakana only."))])
    phone = StringField(_l("Phone number"), [DataRequired(_l("Enter a phone number.")),
                                             Length(max=30)],
                        render_kw={"inputmode": "tel", "autocomplete": "off"})
    settlement = SelectField(_l("Settlement"), validators=[DataRequired()])
    address_note = StringField(_l("Address or landmark"), [Optional(), Length(max=200)])
    consent_rides = BooleanField(_l("On this call they agree to their data being used to "
                                    "arrange rides"))
    consent_provider_abroad = BooleanField(_l(
        "On this call they agree to their number going to the SMS and voice provider in the "
        "USA (Twilio); otherwise the office phones them"))
    submit = SubmitField(_l("Register"))


class BookingForm(FlaskForm):
    """One screen: where, when, who, needs and the return leg."""

    pickup_place_id = SelectField(_l("Pick up at"), coerce=int,
                                  validators=[InputRequired(_l("Choose where to pick up."))])
    dropoff_place_id = SelectField(_l("Destination"), coerce=int,
                                   validators=[InputRequired(_l("Choose the destination."))],
                                   render_kw={"autofocus": True})  # pick-up is already home
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
    window_kind = RadioField(_l("Time"), choices=[("arrive_by", _l("Arrive by")),
                                                  ("pickup_after", _l("Pick up after"))],
                             default="arrive_by", validators=[InputRequired()])
    clock = TimeField(_l("At"), validators=[InputRequired(_l("Enter the time."))])
    party_size = BoundedIntegerField(_l("People"), default=1, validators=[
        InputRequired(_l("Enter how many people travel.")),
        NumberRange(1, 8, _l("Between 1 and 8 people."))])
    wheelchair = BooleanField(_l("Wheelchair"))
    walker = BooleanField(_l("Walker"))
    boarding_help = BooleanField(_l("Needs help boarding"))
    return_mode = RadioField(_l("Return trip"), default="after",
                             choices=[("after", _l("Pick up after")),
                                      ("open", _l("Open — the rider will call")),
                                      ("none", _l("No return trip"))])
    return_clock = TimeField(_l("Return pick-up after"), validators=[Optional()])
    note = TextAreaField(_l("Note for staff"), [Optional(), Length(max=500)])
    replaces_id = BoundedIntegerField(widget=HiddenInput(), validators=[Optional()])
    submit = SubmitField(_l("Find a driver"))


class ConfirmForm(FlaskForm):
    """Confirm one option (or, without an offer, put the request on the waiting list)."""

    offer_id = BoundedIntegerField(validators=[Optional()])


class AlternativeForm(FlaskForm):
    """Book an alternative the caller accepted: another time that day, or another day."""

    offer_id = BoundedIntegerField(validators=[InputRequired()])
    day_offset = BoundedIntegerField(validators=[InputRequired(), NumberRange(0, 14)])
    shift = BoundedIntegerField(validators=[InputRequired(), NumberRange(-86400, 86400)])
