"""Create, change and deactivate a resident's record; every step is audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date

from sqlmodel import Session, select

from carshare.models import (
    OPEN_STATUSES,
    ConsentScope,
    ContactChannel,
    Driver,
    Place,
    Resident,
    RideRequest,
    StaffUser,
)
from carshare.services import audit, consents, plausible
from carshare.services.consents import ConsentError, ConsentInput
from carshare.services.lookup import fold
from carshare.services.records import contacts
from carshare.services.records.common import RecordError, changed, fit, found, snapshot
from carshare.services.records.drivers import driver_booked


@dataclass(frozen=True)
class ResidentInput:
    """What staff enter on the resident form; ``phones`` lists the primary number first."""

    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    phones: tuple[str, ...]
    home_place_id: int | None = None
    wheelchair: bool = False
    walker: bool = False
    boarding_help: bool = False
    contact_channel: ContactChannel = ContactChannel.STAFF_CALL
    language: str = "ja"
    caregiver_name: str = ""
    caregiver_phone: str = ""
    staff_notes: str = ""
    driver_notes: str = ""
    birth_year: int | None = None  # optional; only the report's age bands use it
    consents: Mapping[ConsentScope, ConsentInput | None] | None = None  # None: keep as they are


def _columns(session: Session, staff: StaffUser, data: ResidentInput, today: date) -> dict:
    """Return the validated column values of ``data``."""
    if data.home_place_id is not None:
        place = session.get(Place, data.home_place_id)
        if place is None or place.town_id != staff.town_id or not place.active:
            raise RecordError("home_place_id", "unknown_place")
    for field in ("family_name", "given_name", "caregiver_name"):
        if field != "caregiver_name" or data.caregiver_name.strip():
            plausible.check_name(getattr(data, field), field)
    if data.birth_year is not None and not 1900 <= data.birth_year <= today.year:
        raise RecordError("birth_year", "birth_year_range")
    try:
        consents.check_consents(data.consents or {}, today)
    except ConsentError as error:
        raise RecordError(f"consent_{error.field}_on", error.code) from None
    values = {f.name: getattr(data, f.name) for f in fields(data)
              if f.name not in ("phones", "consents")}
    values.update(family_name=data.family_name.strip(), given_name=data.given_name.strip(),
                  family_name_kana=fit("family_name_kana", fold(data.family_name_kana), 80),
                  given_name_kana=fit("given_name_kana", fold(data.given_name_kana), 80),
                  caregiver_phone=contacts.parse_caregiver(data.caregiver_phone))
    return values


def _phones(session: Session, staff: StaffUser, data: ResidentInput, own: int | None) -> list:
    phones = contacts.parse_phones(data.phones)
    contacts.check_free(session, staff.town_id, phones, own)
    contacts.check_channel(data.contact_channel, phones)
    return phones


def create_resident(session: Session, staff: StaffUser, data: ResidentInput,
                    today: date) -> Resident:
    """Register a resident with their phones; audit; commit.

    :raise RecordError: a field is invalid (nothing is stored).
    """
    values = _columns(session, staff, data, today)
    phones = _phones(session, staff, data, None)
    _check_needs(session, None, values, data.consents)
    resident = Resident(town_id=staff.town_id, **values)
    session.add(resident)
    session.flush()
    contacts.store_phones(session, resident.id, phones)
    audit.record(session, staff, "create", "resident", resident.id, resident.id, "records")
    _store_consents(session, staff, resident, data, today)
    session.commit()
    return resident


def update_resident(session: Session, staff: StaffUser, resident_id: int, data: ResidentInput,
                    today: date) -> Resident:
    """Change a resident's record and phones; audit which fields changed; commit.

    :raise RecordNotFound: no such resident in the staff member's town.
    :raise RecordError: a field is invalid (nothing is changed).
    """
    resident = own_resident(session, staff, resident_id)
    values = _columns(session, staff, data, today)
    phones = _phones(session, staff, data, resident.id)
    before = snapshot(resident, values) | {"phones": [p.e164 for p in
                                                 contacts.phones_of(session, resident.id)]}
    _check_needs(session, resident.id, values, data.consents)
    for name, value in values.items():
        setattr(resident, name, value)
    contacts.store_phones(session, resident.id, phones)
    audit.record(session, staff, "update", "resident", resident.id, resident.id,
                 changed(before, values | {"phones": phones}))
    _store_consents(session, staff, resident, data, today)
    session.commit()
    return resident


def _check_needs(session: Session, resident_id: int | None, values: dict,
                 wanted: Mapping[ConsentScope, ConsentInput | None] | None) -> None:
    """Mobility and health needs are stored only with the consent for them."""
    if not consents.has_needs(values):
        return
    if wanted is not None:
        allowed = wanted.get(ConsentScope.NEEDS) is not None
    else:
        allowed = consents.has_consent(session, resident_id, ConsentScope.NEEDS)
    if not allowed:
        raise RecordError("form", "needs_without_consent")


def _store_consents(session: Session, staff: StaffUser, resident: Resident,
                    data: ResidentInput, today: date) -> None:
    if data.consents is None:
        return
    try:
        consents.set_consents(session, staff, resident, data.consents, today)
    except ConsentError as error:
        raise RecordError(f"consent_{error.field}_on", error.code) from None


def deactivate_resident(session: Session, staff: StaffUser, resident_id: int,
                        today: date) -> Resident:
    """Mark a resident as gone (never deleted) and end their driver role; audit; commit.

    :raise RecordError: the resident still has open rides or riders booked with them.
    """
    resident = own_resident(session, staff, resident_id)
    open_rides = session.exec(select(RideRequest.id).where(
        RideRequest.rider_id == resident.id, RideRequest.status.in_(OPEN_STATUSES))).first()
    if open_rides is not None:
        raise RecordError("form", "has_open_rides")
    resident.active, resident.left_at = False, today
    driver = session.exec(select(Driver).where(Driver.resident_id == resident.id)).first()
    if driver is not None and driver_booked(session, driver.id):
        raise RecordError("form", "has_booked_rides")
    if driver is not None:
        driver.active = False
        session.add(driver)
    session.add(resident)
    audit.record(session, staff, "deactivate", "resident", resident.id, resident.id, "records")
    session.commit()
    return resident


def own_resident(session: Session, staff: StaffUser, resident_id: int) -> Resident:
    """Return a resident of the staff member's town. :raise RecordNotFound: none there."""
    resident = session.get(Resident, resident_id)
    return found(resident, resident.town_id if resident else None, staff)
