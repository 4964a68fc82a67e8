"""The place form: kind, name and reading, settlement, and coordinates typed or picked."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from carshare.models import PlaceKind
from carshare.services.records.places import LAT_RANGE, LON_RANGE, PlaceInput
from carshare.web.records.fields import NOT_A_NUMBER, LooseFloatField, PlainSelectField, kana_field

KINDS = [(PlaceKind.HOSPITAL.value, _l("Hospital")), (PlaceKind.CLINIC.value, _l("Clinic")),
         (PlaceKind.SHOP.value, _l("Shop")), (PlaceKind.TOWN_OFFICE.value, _l("Town office")),
         (PlaceKind.STATION.value, _l("Station")), (PlaceKind.HOME.value, _l("Home")),
         (PlaceKind.OTHER.value, _l("Other"))]


def _coordinate(label: object, bounds: tuple[float, float], message: object) -> LooseFloatField:
    return LooseFloatField(label, [InputRequired(NOT_A_NUMBER),
                                   NumberRange(bounds[0], bounds[1], message)],
                           render_kw={"inputmode": "decimal", "autocomplete": "off"})


class PlaceForm(FlaskForm):
    """A named point with coordinates (WGS84, as on any web map)."""

    SECTIONS = (
        (_l("Place"), ("kind", "name", "kana", "settlement")),
        (_l("Position"), ("lat", "lon")),
    )

    kind = PlainSelectField(_l("Kind"), choices=KINDS, validators=[
        InputRequired(_l("Choose what kind of place this is."))])
    name = StringField(_l("Place name"), [DataRequired(_l("Enter the name of the place.")),
                                    Length(max=120)])
    kana = kana_field(_l("Reading (kana)"), False, 160)
    settlement = StringField(_l("Settlement"), [Optional(), Length(max=80)])
    lat = _coordinate(_l("Latitude"), LAT_RANGE,
                      _l("Latitude in Japan is between %(low)d and %(high)d.",
                         low=LAT_RANGE[0], high=LAT_RANGE[1]))
    lon = _coordinate(_l("Longitude"), LON_RANGE,
                      _l("Longitude in Japan is between %(low)d and %(high)d.",
                         low=LON_RANGE[0], high=LON_RANGE[1]))
    submit = SubmitField(_l("Save"))

    def to_input(self) -> PlaceInput:
        """Return the service input of the submitted form."""
        return PlaceInput(kind=PlaceKind(self.kind.data), name=self.name.data,
                          kana=self.kana.data or "", settlement=self.settlement.data or "",
                          lat=self.lat.data, lon=self.lon.data)
