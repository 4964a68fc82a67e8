"""What a resident's consents allow, asked by messages, booking and records alike (reading
only; giving and withdrawing consents is ``consents.py``)."""

from __future__ import annotations

from sqlmodel import Session, select

from carshare.models import ConsentScope, ContactChannel, Resident, ResidentConsent

AUTOMATED = (ContactChannel.SMS, ContactChannel.VOICE)


def consents_of(session: Session, resident_id: int) -> dict[ConsentScope, ResidentConsent]:
    """Return the resident's current consents by scope."""
    rows = session.exec(select(ResidentConsent).where(ResidentConsent.resident_id == resident_id))
    return {row.scope: row for row in rows}


def has_consent(session: Session, resident_id: int | None, scope: ConsentScope) -> bool:
    """Return whether the resident currently consents to ``scope``."""
    if resident_id is None:
        return False
    return session.exec(select(ResidentConsent.id).where(
        ResidentConsent.resident_id == resident_id,
        ResidentConsent.scope == scope)).first() is not None


def may_use_provider(session: Session, resident_id: int | None) -> bool:
    """Return whether the resident's number may go to the SMS/voice provider abroad."""
    return has_consent(session, resident_id, ConsentScope.PROVIDER_ABROAD)


def effective_channel(session: Session, resident: Resident) -> ContactChannel:
    """Return how the resident is actually reached: SMS or voice only with the consent to
    send their number abroad, otherwise a call from the office."""
    if resident.contact_channel in AUTOMATED and not may_use_provider(session, resident.id):
        return ContactChannel.STAFF_CALL
    return resident.contact_channel
