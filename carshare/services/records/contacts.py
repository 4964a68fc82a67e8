"""Phone numbers of a resident: parse to E.164, detect the kind, replace the stored set."""

from __future__ import annotations

from sqlmodel import Session, select

from carshare.models import ContactChannel, PhoneKind, Resident, ResidentPhone
from carshare.services.lookup import is_mobile, to_e164
from carshare.services.records.common import RecordError

PHONE_FIELDS = ("phone", "phone_2")


def parse_phones(numbers: tuple[str, ...]) -> list[str]:
    """Return the E.164 forms of the typed numbers (the first is the primary one).

    :raise RecordError: a number is not a valid Japanese number, or is typed twice.
    """
    parsed: list[str] = []
    for field, number in zip(PHONE_FIELDS, numbers, strict=False):
        if not number.strip():
            continue
        e164 = to_e164(number)
        if e164 is None:
            raise RecordError(field, "invalid_phone")
        if e164 in parsed:
            raise RecordError(field, "same_phone")
        parsed.append(e164)
    if not parsed:
        raise RecordError("phone", "phone_missing")
    return parsed


def parse_caregiver(number: str) -> str | None:
    """Return the caregiver's number in E.164 form, or None when left empty."""
    if not number.strip():
        return None
    e164 = to_e164(number)
    if e164 is None:
        raise RecordError("caregiver_phone", "invalid_phone")
    return e164


def check_channel(channel: ContactChannel, phones: list[str]) -> None:
    """SMS needs a mobile number; voice calls go to any number."""
    if channel == ContactChannel.SMS and not any(is_mobile(p) for p in phones):
        raise RecordError("contact_channel", "sms_needs_mobile")


def check_free(session: Session, town_id: int, phones: list[str], own_id: int | None) -> None:
    """Refuse numbers that another resident of the town already has."""
    stmt = (select(ResidentPhone.e164).join(Resident)
            .where(Resident.town_id == town_id, ResidentPhone.e164.in_(phones)))
    if own_id is not None:
        stmt = stmt.where(Resident.id != own_id)
    taken = set(session.exec(stmt))
    for field, e164 in zip(PHONE_FIELDS, phones, strict=False):
        if e164 in taken:
            raise RecordError(field, "phone_taken")


def phones_of(session: Session, resident_id: int) -> list[ResidentPhone]:
    """Return a resident's phones, the primary one first."""
    return list(session.exec(select(ResidentPhone).where(ResidentPhone.resident_id == resident_id)
                             .order_by(ResidentPhone.is_primary.desc(), ResidentPhone.id)))


def store_phones(session: Session, resident_id: int, phones: list[str]) -> None:
    """Make the stored phones exactly ``phones``, keeping rows that stay (no delete-then-insert)."""
    existing = {row.e164: row for row in phones_of(session, resident_id)}
    for e164, row in existing.items():
        if e164 not in phones:
            session.delete(row)
    session.flush()
    for position, e164 in enumerate(phones):
        row = existing.get(e164) or ResidentPhone(resident_id=resident_id, e164=e164,
                                                  kind=PhoneKind.LANDLINE)
        row.kind = PhoneKind.MOBILE if is_mobile(e164) else PhoneKind.LANDLINE
        row.is_primary = position == 0
        session.add(row)
