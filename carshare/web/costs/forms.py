"""Forms of the cost pages: town settings, fuel prices, trip items and km, gifts."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from carshare.domain.costs import MAX_ITEM_YEN, ItemKind
from carshare.web.records.fields import (
    NOT_A_DATE,
    NOT_A_NUMBER,
    NOT_A_WHOLE_NUMBER,
    LooseIntegerField,
    PlainDateField,
    PlainRadioField,
    PlainSelectField,
    optional_int,
)
from carshare.web.validators import InHorizon

RULES = [("whole_trip", _l("Whole trip: all actual costs of the trip are divided among the "
                           "riders (Teshio's practice)")),
         ("extra_only", _l("Extra only: only the extra cost of carrying riders (the detour "
                           "from the driver's own trip) is divided among them"))]
UNITS = [(1, _l("¥1")), (10, _l("¥10")), (100, _l("¥100"))]
MODES = [("nearest", _l("to the nearest")), ("up", _l("up")), ("down", _l("down"))]
TOP_YEN = max(MAX_ITEM_YEN.values())


class TextNumberField(StringField):
    """A decimal typed in half- or full-width characters, kept as text for exact parsing."""

    def process_formdata(self, valuelist: list) -> None:  # type: ignore[type-arg]
        """Fold full-width digits and minus signs."""
        import unicodedata

        super().process_formdata([unicodedata.normalize("NFKC", v).replace("−", "-").strip()
                                  for v in valuelist])


class SettingsForm(FlaskForm):
    """How the town shares costs."""

    split_rule = PlainRadioField(_l("Split rule"), choices=RULES,
                                 validators=[InputRequired(_l("Choose a split rule."))])
    rounding_unit = PlainRadioField(_l("Round the trip's total to"), choices=UNITS, coerce=int,
                                    validators=[InputRequired(_l("Choose a rounding unit."))])
    rounding_mode = PlainRadioField(_l("Rounding"), choices=MODES,
                                    validators=[InputRequired(_l("Choose how to round."))])
    insurance_enabled = BooleanField(_l("Riders share an insurance premium (entered per trip)"))
    rental_enabled = BooleanField(_l("Riders share a vehicle rental (entered per trip)"))
    submit = SubmitField(_l("Save the settings"))


class FuelPriceForm(FlaskForm):
    """A fuel price per litre valid from a date."""

    valid_from = PlainDateField(_l("Valid from"), validators=[InputRequired(NOT_A_DATE),
                                                              InHorizon()])
    yen_per_litre = TextNumberField(_l("Price per litre (yen)"), [
        DataRequired(NOT_A_NUMBER), Length(max=12)], render_kw={"inputmode": "decimal"})
    submit = SubmitField(_l("Save the price"))


def kind_choices(insurance: bool, rental: bool) -> list[tuple[str, object]]:
    """Return the kinds that may be entered in a town with these optional items."""
    from carshare.web.costs.messages import KIND_LABELS

    kinds = [ItemKind.TOLL, ItemKind.PARKING]
    kinds += [ItemKind.INSURANCE] if insurance else []
    kinds += [ItemKind.RENTAL] if rental else []
    return [(k.value, KIND_LABELS[k]) for k in kinds]


class ItemForm(FlaskForm):
    """A toll, parking fee or optional item of a trip, in whole yen."""

    kind = PlainSelectField(_l("Kind"), validators=[InputRequired(_l("Choose the kind."))])
    amount_yen = LooseIntegerField(_l("Amount (yen)"), [
        InputRequired(NOT_A_WHOLE_NUMBER),
        NumberRange(0, TOP_YEN, _l("Enter between ¥0 and ¥%(n)s.", n=f"{TOP_YEN:,}"))],
        render_kw={"inputmode": "numeric"})
    extra = BooleanField(_l("Only because of the riders (the driver would not have paid it)"),
                         default=True)
    note = StringField(_l("Note"), [Optional(), Length(max=200)])
    submit = SubmitField(_l("Add"))


class DistanceForm(FlaskForm):
    """The driven kilometres read from the odometer (empty: use the route's)."""

    km = TextNumberField(_l("Driven km (odometer)"), [Optional(), Length(max=12)],
                         render_kw={"inputmode": "decimal"})
    note = StringField(_l("Note"), [Optional(), Length(max=200)])
    submit = SubmitField(_l("Save the km"))


class GiftForm(FlaskForm):
    """A voluntary gift from a rider to a driver."""

    given_on = PlainDateField(_l("Date"), validators=[InputRequired(NOT_A_DATE), InHorizon()])
    rider_id = PlainSelectField(_l("From (optional)"), coerce=optional_int, validate_choice=True)
    description = StringField(_l("What"), [DataRequired(_l("Describe the gift.")),
                                           Length(max=200)])
    value_yen = LooseIntegerField(_l("Value in yen (optional)"), [
        Optional(), NumberRange(0, 100_000, _l("Enter between ¥0 and ¥100,000."))],
        render_kw={"inputmode": "numeric"})
    submit = SubmitField(_l("Record the gift"))



class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (remove an item, a price)."""
