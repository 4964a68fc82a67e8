"""Scoped consents: what a resident agreed to, and what the system may therefore do.

Without ``rides`` nothing changes today (the office still books by phone), but the form shows
it; without ``needs`` mobility and health needs are neither stored nor shown; without
``provider_abroad`` no SMS or voice call goes to the provider abroad (staff phone instead);
without ``caregiver`` nothing is copied to the caregiver.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from carshare.models import (
    ConsentMethod,
    ConsentScope,
    ContactChannel,
    Resident,
    ResidentConsent,
    StaffUser,
)
from carshare.services import audit

AUTOMATED = (ContactChannel.SMS, ContactChannel.VOICE)


@dataclass(frozen=True)
class ConsentInput:
    """A consent as staff enter it: when and how it was given."""

    given_on: date
    method: ConsentMethod


class ConsentError(ValueError):
    """A consent that cannot be stored; ``field`` names the scope, ``code`` the reason."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(code)
        self.field, self.code = field, code


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


def check_consents(wanted: Mapping[ConsentScope, ConsentInput | None], today: date) -> None:
    """Refuse consents dated in the future.

    :raise ConsentError: a consent date is after ``today``.
    """
    for scope, given in wanted.items():
        if given is not None and given.given_on > today:
            raise ConsentError(scope.value, "consent_in_future")


def set_consents(session: Session, staff: StaffUser, resident: Resident,
                 wanted: Mapping[ConsentScope, ConsentInput | None], today: date) -> list[str]:
    """Make the resident's consents those of ``wanted`` (``None`` withdraws); audit each
    change; return the changed scopes. The caller commits.

    Withdrawing ``needs`` clears the stored needs; withdrawing ``provider_abroad`` stops the
    unsent messages to the provider (they go to the staff call list).
    """
    check_consents(wanted, today)
    current, changed = consents_of(session, resident.id), []
    for scope, given in wanted.items():
        row = current.get(scope)
        if given is None and row is not None:
            session.delete(row)
            _withdrawn(session, resident, scope)
        elif given is not None and (row is None or (row.given_on, row.method) != (
                given.given_on, given.method)):
            row = row or ResidentConsent(resident_id=resident.id, scope=scope,
                                         given_on=given.given_on, method=given.method)
            row.given_on, row.method, row.recorded_by_id = given.given_on, given.method, staff.id
            session.add(row)
        else:
            continue
        changed.append(scope.value)
        audit.record(session, staff, "consent" if given else "withdraw", "consent", None,
                     resident.id, f"{scope.value}: {given.method.value if given else 'withdrawn'}")
    session.flush()
    return changed


def _withdrawn(session: Session, resident: Resident, scope: ConsentScope) -> None:
    if scope == ConsentScope.NEEDS:
        clear_needs(resident)
        session.add(resident)
    elif scope == ConsentScope.PROVIDER_ABROAD:
        from carshare.services.outbox import hold_for_staff

        hold_for_staff(session, resident.id, "no consent to send the number abroad")


def clear_needs(resident: Resident) -> None:
    """Forget a resident's mobility needs."""
    resident.wheelchair = resident.walker = resident.boarding_help = False


def has_needs(values: Mapping[str, object]) -> bool:
    """Return whether any mobility need is set in ``values`` (resident or request fields)."""
    return any(bool(values.get(name)) for name in ("wheelchair", "walker", "boarding_help"))
