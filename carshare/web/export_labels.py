"""Translated column headings of the staff exports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

COLUMNS = {
    "id": _l("ID"), "family_name": _l("Family name"), "given_name": _l("Given name"),
    "family_name_kana": _l("Family name (kana)"), "given_name_kana": _l("Given name (kana)"),
    "birth_year": _l("Birth year"), "home": _l("Home"), "settlement": _l("Settlement"),
    "phones": _l("Phone numbers"), "contact_channel": _l("How to reach them"),
    "language": _l("Language"), "wheelchair": _l("Wheelchair"), "walker": _l("Walker"),
    "boarding_help": _l("Needs help boarding"), "caregiver_name": _l("Caregiver or family contact"),
    "caregiver_phone": _l("Caregiver's phone number"), "driver": _l("Driver"),
    "active": _l("Active"), "left_at": _l("Left on"),
    "consent_rides": _l("Consent: arranging rides (given on)"),
    "consent_needs": _l("Consent: mobility and health needs (given on)"),
    "consent_provider_abroad": _l("Consent: SMS and voice provider abroad (given on)"),
    "consent_caregiver": _l("Consent: copies to the caregiver (given on)"),
    "status": _l("Status"), "vehicle": _l("Vehicle"), "service_date": _l("Date"),
    "weekday": _l("Weekday (0 = Monday)"), "valid_from": _l("Valid from"),
    "valid_until": _l("Valid until"), "depart_after": _l("Leaves after"),
    "return_by": _l("Back by"), "start": _l("Start"), "end": _l("End"),
    "destination": _l("Destination"), "seats": _l("Seats"),
    "arrive_by": _l("There by"), "leave_after": _l("Leaving after"),
    "wheelchair_spaces": _l("Wheelchair spaces"),
    "extra_minutes": _l("Extra driving (minutes, whole trip)"),
    "auto_accept": _l("Accepts automatically"),
    "note": _l("Note"), "day": _l("Date"), "rider": _l("Rider"), "rider_kana": _l("Rider (kana)"),
    "from": _l("From"), "to": _l("To"), "window_kind": _l("Window kind"),
    "window_start": _l("Window start"), "window_end": _l("Window end"),
    "party_size": _l("Party"), "outcome_code": _l("Outcome code"),
    "outcome_reason": _l("Outcome reason"), "planned_pickup": _l("Planned pick-up"),
    "planned_dropoff": _l("Planned drop-off"), "route_km": _l("Route km"), "at": _l("When"),
    "actor": _l("Who"), "action": _l("Action"), "entity": _l("Record"),
    "entity_id": _l("Record ID"), "resident_id": _l("Resident ID"), "reason": _l("Why"),
}


def column_label(key: str) -> str:
    """Return the translated heading of an export column (the key when unknown)."""
    return str(COLUMNS.get(key, key))


def value_label(column: str, value: object) -> object:
    """Return a stored code as the reader's word (status, time kind, outcome); CSV values
    are read by people, so they use the same words as the screens."""
    from carshare.presenters.reasons import reason_label
    from carshare.presenters.report_labels import OUTCOMES
    from carshare.web.labels import REQUEST_STATUS

    if not isinstance(value, str) or not value:
        return value
    if column == "status" and value in {s.value for s in REQUEST_STATUS}:
        return str(REQUEST_STATUS[value])  # type: ignore[index]
    if column == "window_kind":
        return str(WINDOW_KINDS.get(value, value))
    if column == "outcome_code":
        return str(OUTCOMES.get(value, "")) or reason_label(value) or value
    return value


WINDOW_KINDS = {"arrive_by": _l("Arrive by"), "pickup_after": _l("Pick up after")}
