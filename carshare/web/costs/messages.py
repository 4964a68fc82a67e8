"""Translated messages for the cost error codes, and the label of each cost kind."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from carshare.domain.costs import ItemKind

CODES = {
    "fuel_price_missing": _l("No fuel price is entered for this date (or only one older than "
                             "three months). Enter the current price on the fuel price page; "
                             "costs are never computed with a price of zero."),
    "no_trip": _l("This trip was not found in your town's plan."),
    "no_item": _l("This cost item was not found."),
    "no_price": _l("This fuel price was not found."),
    "no_driver": _l("Choose a driver of your town."),
    "no_rider": _l("Choose a rider of your town."),
    "no_completed_riders": _l("No rider of this trip has been dropped off yet: costs are shared "
                              "after the trip, among the riders who rode."),
    "no_riders": _l("No rider shares this trip."),
    "bad_kind": _l("Choose toll, parking or an item your town allows."),
    "item_not_enabled": _l("Your town does not share this kind of cost. An administrator can "
                           "enable it in the cost settings."),
    "negative_amount": _l("Amounts cannot be negative."),
    "amount_too_large": _l("This amount is too large for one item. Please check it "
                           "(at most ¥30,000 for a toll or a rental, ¥10,000 for parking or "
                           "an insurance share)."),
    "fuel_is_computed": _l("Fuel is computed from the distance; it cannot be entered."),
    "bad_fuel_price": _l("Enter the price per litre in yen between 50 and 500, with at most "
                         "one decimal (for example 172.5)."),
    "bad_distance": _l("Enter the kilometres between 0 and 1000, with at most one decimal."),
    "bad_fuel_economy": _l("The car's fuel economy is not valid; correct it in the records."),
    "bad_split_rule": _l("Choose one of the two split rules."),
    "bad_rounding_unit": _l("Choose rounding to ¥1, ¥10 or ¥100."),
    "bad_rounding_mode": _l("Choose rounding up, down or to the nearest."),
    "bad_weight": _l("A ride's party size is not valid."),
    "gift_description_missing": _l("Describe the gift."),
    "conflict": _l("Someone else saved the same entry at the same moment. Please try again."),
}

KIND_LABELS = {
    ItemKind.FUEL: _l("Fuel"),
    ItemKind.TOLL: _l("Toll"),
    ItemKind.PARKING: _l("Parking"),
    ItemKind.INSURANCE: _l("Insurance share"),
    ItemKind.RENTAL: _l("Vehicle rental"),
}


def cost_message(code: str) -> str:
    """Return the translated message of a cost error code."""
    return str(CODES.get(code, code))


def kind_label(kind: str) -> str:
    """Return the translated label of a cost kind."""
    return str(KIND_LABELS.get(ItemKind(kind), kind))
