"""Registering a new caller with the minimum the town office needs to give them a ride."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from carshare.models import (
    ConsentMethod,
    ConsentScope,
    ContactChannel,
    PhoneKind,
    Place,
    PlaceKind,
    Resident,
    ResidentPhone,
    StaffUser,
)
from carshare.services import audit, consents
from carshare.services.lookup import fold, is_mobile, to_e164
from carshare.services.plausible import Implausible, check_name


class RegistrationError(ValueError):
    """The new caller cannot be registered; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NewCaller:
    """What staff ask a first-time caller."""

    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    phone: str
    settlement: str
    address_note: str = ""
    consents: tuple[ConsentScope, ...] = ()  # given on this call (method: phone)
    today: date | None = None  # the town's date, when consents are given


def settlements(session: Session, town_id: int) -> list[str]:
    """Return the settlements of a town that have places, in name order."""
    rows = session.exec(select(Place.settlement).where(Place.town_id == town_id,
                                                       Place.settlement != "").distinct())
    return sorted(rows)


def register_caller(session: Session, staff: StaffUser, caller: NewCaller) -> Resident:
    """Create the resident, their phone and a home at the settlement centre; audit; commit.

    :raise RegistrationError: invalid phone, a phone already on record, unknown settlement.
    """
    for field in ("family_name", "given_name"):
        try:
            check_name(getattr(caller, field), field)
        except Implausible as error:
            raise RegistrationError(field, error.code) from None
    e164 = to_e164(caller.phone)
    if e164 is None:
        raise RegistrationError("phone", "invalid_phone")
    if session.exec(select(ResidentPhone).join(Resident).where(
            ResidentPhone.e164 == e164, Resident.town_id == staff.town_id)).first():
        raise RegistrationError("phone", "phone_taken")
    centre = _settlement_centre(session, staff.town_id, caller.settlement)
    home = Place(town_id=staff.town_id, kind=PlaceKind.HOME, settlement=caller.settlement,
                 name=f"{caller.family_name} {caller.given_name} 宅",
                 kana=f"{fold(caller.family_name_kana)} タク", lat=centre.lat, lon=centre.lon)
    session.add(home)
    session.flush()
    mobile = is_mobile(e164)
    resident = Resident(
        town_id=staff.town_id, family_name=caller.family_name.strip(),
        given_name=caller.given_name.strip(), family_name_kana=fold(caller.family_name_kana),
        given_name_kana=fold(caller.given_name_kana), home_place_id=home.id,
        contact_channel=ContactChannel.SMS if mobile else ContactChannel.VOICE,
        staff_notes=caller.address_note)
    session.add(resident)
    session.flush()
    session.add(ResidentPhone(resident_id=resident.id, e164=e164, is_primary=True,
                              kind=PhoneKind.MOBILE if mobile else PhoneKind.LANDLINE))
    audit.record(session, staff, "create", "resident", resident.id, resident.id,
                 "registered during a call")
    if caller.consents:
        today = caller.today or date.today()
        consents.set_consents(session, staff, resident, {
            scope: consents.ConsentInput(today, ConsentMethod.PHONE)
            for scope in caller.consents}, today)
    session.commit()
    return resident


def _settlement_centre(session: Session, town_id: int, settlement: str) -> Place:
    stmt = (select(Place).where(Place.town_id == town_id, Place.settlement == settlement)
            .order_by((Place.kind == PlaceKind.HOME).asc(), Place.id))
    place = session.exec(stmt).first()
    if place is None:
        raise RegistrationError("settlement", "unknown_settlement")
    return place
