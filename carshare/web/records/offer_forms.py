"""The offer form: which car, one date or a weekly pattern, times, places, seats, extra driving."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from carshare.models.fleet import MAX_SEATS
from carshare.services.records.offer_rules import MAX_EXTRA, OfferInput
from carshare.web.records.fields import PlainDateField, PlainTimeField, id_select, whole

WEEKDAYS = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
            _l("Saturday"), _l("Sunday")]


class OfferForm(FlaskForm):
    """When and from where to where a driver can take riders along."""

    SECTIONS = (
        (_l("Driver and car"), ("vehicle_id",)),
        (_l("When: one date, or every week"), ("service_date", "weekday", "valid_from",
                                                "valid_until", "depart_after", "return_by")),
        (_l("Where"), ("start_place_id", "destination_place_id", "arrive_by", "leave_after",
                        "end_place_id")),
        (_l("Riders"), ("seats", "wheelchair_spaces", "extra_minutes", "auto_accept", "note")),
    )

    vehicle_id = id_select(_l("Driver and car"), message=_l("Choose the driver's car."))
    service_date = PlainDateField(_l("On this date"), validators=[Optional()])
    weekday = id_select(_l("Or every week on"), required=False)
    valid_from = PlainDateField(_l("Weekly from"), validators=[Optional()])
    valid_until = PlainDateField(_l("Weekly until"), validators=[Optional()])
    depart_after = PlainTimeField(_l("Leaves after"), validators=[
        InputRequired(_l("Enter when the driver leaves."))])
    return_by = PlainTimeField(_l("Back by"), validators=[
        InputRequired(_l("Enter when the driver is back."))])
    start_place_id = id_select(_l("Starts at"), message=_l("Choose where the driver starts."))
    destination_place_id = id_select(_l("Going to"), required=False)
    arrive_by = PlainTimeField(_l("There by (at the destination)"), validators=[Optional()])
    leave_after = PlainTimeField(_l("Leaving after (empty: one way)"), validators=[Optional()])
    end_place_id = id_select(_l("Ends at"), message=_l("Choose where the driver ends."))
    seats = whole(_l("Free seats"), 1, MAX_SEATS, _l("Between 1 and %(n)d seats.", n=MAX_SEATS),
                  render_kw={"inputmode": "numeric"})
    wheelchair_spaces = whole(_l("Wheelchair spaces offered"), 0, MAX_SEATS,
                              _l("Between 0 and %(n)d spaces.", n=MAX_SEATS), default=0,
                              render_kw={"inputmode": "numeric"})
    extra_minutes = whole(_l("Extra driving for riders, whole trip (minutes)"), 0, MAX_EXTRA,
                          _l("Between 0 and %(n)d minutes.", n=MAX_EXTRA), default=60,
                          render_kw={"inputmode": "numeric"})
    auto_accept = BooleanField(_l("Accept riders without asking the driver"))
    note = TextAreaField(_l("Note"), [Optional(), Length(max=300)])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.weekday.choices = [("", "—")] + [(i, day) for i, day in enumerate(WEEKDAYS)]

    def to_input(self) -> OfferInput:
        """Return the service input of the submitted form."""
        return OfferInput(
            vehicle_id=self.vehicle_id.data, service_date=self.service_date.data,
            weekday=self.weekday.data, valid_from=self.valid_from.data,
            valid_until=self.valid_until.data, depart_after=self.depart_after.data,
            return_by=self.return_by.data, start_place_id=self.start_place_id.data,
            end_place_id=self.end_place_id.data,
            destination_place_id=self.destination_place_id.data, seats=self.seats.data,
            arrive_by=self.arrive_by.data, leave_after=self.leave_after.data,
            wheelchair_spaces=self.wheelchair_spaces.data,
            extra_minutes=self.extra_minutes.data, auto_accept=self.auto_accept.data,
            note=self.note.data or "")
