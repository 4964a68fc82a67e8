"""The driver's offer form: one day or every week, times, where to and when, seats."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from carshare.models.fleet import MAX_SEATS
from carshare.services.records.offer_rules import MAX_EXTRA, OfferInput
from carshare.web.records.fields import PlainDateField, PlainTimeField, id_select, whole
from carshare.web.records.offer_forms import WEEKDAYS


class DriverOfferForm(FlaskForm):
    """What a driver posts: a trip on one day (with a destination) or a weekly window."""

    service_date = PlainDateField(_l("On this date"), validators=[Optional()])
    weekday = id_select(_l("Or every week on"), required=False)
    valid_until = PlainDateField(_l("Weekly until"), validators=[Optional()])
    depart_after = PlainTimeField(_l("I leave at"), validators=[
        InputRequired(_l("Enter when you leave."))])
    return_by = PlainTimeField(_l("I am back by"), validators=[
        InputRequired(_l("Enter when you are back."))])
    start_place_id = id_select(_l("I start from"), message=_l("Choose where you start."))
    destination_place_id = id_select(_l("I am going to"), required=False)
    arrive_by = PlainTimeField(_l("I must be there by"), validators=[Optional()])
    leave_after = PlainTimeField(_l("I leave there after (empty: one way, I stay there)"),
                                 validators=[Optional()])
    vehicle_id = id_select(_l("Car"), message=_l("Choose your car."))
    seats = whole(_l("Free seats"), 1, MAX_SEATS, _l("Between 1 and %(n)d seats.", n=MAX_SEATS),
                  render_kw={"inputmode": "numeric"})
    wheelchair_spaces = whole(_l("Wheelchair spaces I offer"), 0, MAX_SEATS,
                              _l("Between 0 and %(n)d spaces.", n=MAX_SEATS), default=0,
                              render_kw={"inputmode": "numeric"})
    extra_minutes = whole(_l("Extra driving I can do for riders, whole trip (minutes)"), 0,
                          MAX_EXTRA, _l("Between 0 and %(n)d minutes.", n=MAX_EXTRA),
                          default=60, render_kw={"inputmode": "numeric"})
    auto_accept = BooleanField(_l("Take riders without asking me"))
    note = TextAreaField(_l("Note for the office"), [Optional(), Length(max=300)])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.weekday.choices = [("", "—")] + [(i, day) for i, day in enumerate(WEEKDAYS)]

    def to_input(self) -> OfferInput:
        """Return the service input; the driver comes back to where they started, or ends at
        the destination when they do not leave it (one way)."""
        destination = self.destination_place_id.data
        one_way = destination is not None and self.leave_after.data is None
        return OfferInput(
            vehicle_id=self.vehicle_id.data, service_date=self.service_date.data,
            weekday=self.weekday.data, valid_from=None,
            valid_until=self.valid_until.data,
            depart_after=self.depart_after.data, return_by=self.return_by.data,
            start_place_id=self.start_place_id.data,
            end_place_id=destination if one_way else self.start_place_id.data,
            destination_place_id=destination, seats=self.seats.data,
            arrive_by=self.arrive_by.data, leave_after=self.leave_after.data,
            wheelchair_spaces=self.wheelchair_spaces.data,
            extra_minutes=self.extra_minutes.data, auto_accept=self.auto_accept.data,
            note=self.note.data or "")
