"""Plain, translated messages for the codes the record services raise."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from carshare.presenters.messages import message as shared_message

CODES = {
    "same_phone": _l("This number is already entered above."),
    "phone_missing": _l("Enter a phone number."),
    "sms_needs_mobile": _l("SMS needs a mobile number. Add one, or choose a voice call."),
    "consent_in_future": _l("The consent date cannot be in the future."),
    "birth_year_range": _l("Enter the year of birth as four digits, e.g. 1948."),
    "needs_without_consent": _l("Mobility and health needs are kept only with the resident's "
                                "consent for them. Record that consent first."),
    "has_open_rides": _l("This resident still has rides booked. Cancel them first."),
    "has_booked_rides": _l("Riders are booked with this driver or car. Move or cancel "
                           "their rides first."),
    "unknown_resident": _l("Choose a resident from the list."),
    "already_driver": _l("This resident is already registered as a driver."),
    "date_implausible": _l("Check this date; it is too far in the past or the future."),
    "unknown_driver": _l("Choose a driver from the list."),
    "wheelchair_over_seats": _l("A car cannot have more wheelchair spaces than seats."),
    "fuel_economy_range": _l("Enter between 1 and 99 km per litre."),
    "plate_taken": _l("This number plate is already registered."),
    "name_missing": _l("Enter the name of the place."),
    "place_in_use": _l("This place is still used by a resident, an offer or a booked ride."),
    "unknown_vehicle": _l("Choose the driver's car from the list."),
    "date_and_weekday": _l("Choose either one date or a weekday, not both."),
    "date_or_weekday": _l("Enter a date, or choose a weekday for a weekly offer."),
    "range_needs_weekday": _l("From and until are only for weekly offers."),
    "date_passed": _l("This date has already passed."),
    "unknown_weekday": _l("Choose a weekday from the list."),
    "until_before_from": _l("The end date must not be before the start date."),
    "return_before_depart": _l("The return time must be later than the departure time."),
    "own_times_need_destination": _l("Times at the destination need a destination. Choose "
                                      "where the driver is going, or leave them empty."),
    "arrive_by_missing": _l("Enter by when the driver must be at the destination."),
    "arrive_outside_window": _l("The arrival must lie between the departure and the return "
                                "time."),
    "leave_outside_stay": _l("Leaving the destination must be after arriving there and no "
                             "later than the return time."),
    "one_way_ends_at_destination": _l("A one-way trip ends at the destination. Choose the "
                                      "destination as the end, or enter when the driver "
                                      "leaves it."),
    "resident_inactive": _l("The resident is deactivated. Make them active first."),
    "driver_inactive": _l("The driver role has ended. Give it back first."),
    "offer_withdrawn": _l("This offer has been withdrawn and cannot be changed."),
    "offer_booked": _l("Riders are booked on this offer; only the note and auto-accept can "
                       "change. Move or cancel their rides first."),
}


def record_message(code: str, **params: object) -> str:
    """Return the translated message of a record error code, filled with its parameters."""
    if code in ("seats_range", "seats_over_vehicle"):
        return _("Between 1 and %(n)d seats.", n=params.get("n", 0))
    if code == "too_long":
        return _("Use at most %(n)d characters.", n=params.get("n", 0))
    if code == "extra_range":
        return _("Between 0 and %(n)d minutes.", n=params.get("n", 0))
    if code == "wheelchair_over_vehicle":
        return _("The car has %(n)d wheelchair spaces; offer at most that many.",
                 n=params.get("n", 0))
    if code == "lat_range":
        return _("Latitude in Japan is between %(low)d and %(high)d.", **params)
    if code == "lon_range":
        return _("Longitude in Japan is between %(low)d and %(high)d.", **params)
    if code in CODES:
        return str(CODES[code])
    return shared_message(code, **params)
