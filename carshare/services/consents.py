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

from sqlmodel import Session

from carshare.models import (
    ConsentMethod,
    ConsentScope,
    Resident,
    ResidentConsent,
    StaffUser,
)
from carshare.services import audit
from carshare.services.consent_checks import (  # noqa: F401 (the questions, re-exported)
    AUTOMATED,
    consents_of,
    effective_channel,
    has_consent,
    may_use_provider,
)
from carshare.services.outbox import hold_for_staff


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
        hold_for_staff(session, resident.id, "no consent to send the number abroad")


def clear_needs(resident: Resident) -> None:
    """Forget a resident's mobility needs."""
    resident.wheelchair = resident.walker = resident.boarding_help = False


def has_needs(values: Mapping[str, object]) -> bool:
    """Return whether any mobility need is set in ``values`` (resident or request fields)."""
    return any(bool(values.get(name)) for name in ("wheelchair", "walker", "boarding_help"))
