"""Forms for the driver role (document expiry dates) and for drivers' cars."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from carshare.models.fleet import MAX_SEATS
from carshare.services.records.vehicles import VehicleInput
from carshare.web.records.fields import (
    NOT_A_NUMBER,
    LooseFloatField,
    PlainDateField,
    id_select,
    whole,
)


class DriverForm(FlaskForm):
    """A resident who drives others, and until when their licence and insurance run."""

    SECTIONS = ((_l("Driver"), ("resident_id", "licence_expiry", "insurance_expiry")),)

    resident_id = id_select(_l("Resident"), message=_l("Choose the resident who will drive."))
    licence_expiry = PlainDateField(_l("Driving licence valid until"), validators=[
        InputRequired(_l("Enter the expiry date of the driving licence."))])
    insurance_expiry = PlainDateField(_l("Passenger insurance valid until"), validators=[
        InputRequired(_l("Enter the expiry date of the passenger insurance."))])
    submit = SubmitField(_l("Save"))


class VehicleForm(FlaskForm):
    """A driver's car as the riders will recognise it, and what it can carry."""

    SECTIONS = (
        (_l("Car"), ("driver_id", "colour", "make_model", "plate")),
        (_l("Capacity"), ("seats", "wheelchair_spaces", "fuel_economy_km_per_l")),
    )

    driver_id = id_select(_l("Driver"), message=_l("Choose the driver who owns the car."))
    colour = StringField(_l("Colour"), [DataRequired(_l("Enter the colour of the car.")),
                                        Length(max=30)])
    make_model = StringField(_l("Make and model"), [Optional(), Length(max=60)])
    plate = StringField(_l("Number plate"), [DataRequired(_l("Enter the number plate.")),
                                             Length(max=40)])
    seats = whole(_l("Passenger seats (driver not counted)"), 1, MAX_SEATS,
                  _l("Between 1 and %(n)d seats.", n=MAX_SEATS), render_kw={"inputmode": "numeric"})
    wheelchair_spaces = whole(_l("Wheelchair spaces"), 0, MAX_SEATS,
                              _l("Between 0 and the number of seats."), default=0,
                              render_kw={"inputmode": "numeric"})
    fuel_economy_km_per_l = LooseFloatField(_l("Fuel economy (km per litre)"), [
        InputRequired(NOT_A_NUMBER),
        NumberRange(1, 99, _l("Enter between 1 and 99 km per litre."))],
        render_kw={"inputmode": "decimal"})
    submit = SubmitField(_l("Save"))

    def to_input(self) -> VehicleInput:
        """Return the service input of the submitted form."""
        return VehicleInput(seats=self.seats.data, wheelchair_spaces=self.wheelchair_spaces.data,
                            fuel_economy_km_per_l=self.fuel_economy_km_per_l.data,
                            colour=self.colour.data, make_model=self.make_model.data or "",
                            plate=self.plate.data)
