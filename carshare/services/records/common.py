"""What the record services share: errors, searching residents, booked rides, audit rows."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from carshare.models import RequestStatus, Resident, ResidentPhone, RideRequest, StaffUser, utcnow
from carshare.services import audit
from carshare.services.lookup import fold, to_e164

LIST_LIMIT = 100
SOON = timedelta(days=30)
BOOKED = (RequestStatus.PLANNED, RequestStatus.CONFIRMED)


class RecordError(ValueError):
    """Input that cannot be stored; ``field`` names the form field, ``code`` the reason."""

    def __init__(self, field: str, code: str, **params: object) -> None:
        super().__init__(code)
        self.field, self.code, self.params = field, code, params


class RecordNotFound(LookupError):
    """No such record in the staff member's town (another town's rows count as missing)."""


def found[T](row: T | None, town_id: int | None, staff: StaffUser) -> T:
    """Return ``row`` if it exists and belongs to the staff member's town.

    :raise RecordNotFound: the row is missing or belongs to another town.
    """
    if row is None or town_id != staff.town_id:
        raise RecordNotFound
    return row


def nfkc(text: str) -> str:
    """Return ``text`` with full-width forms folded and runs of spaces made single."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def fit(field: str, value: str, limit: int) -> str:
    """Return ``value`` if it fits its column (normalising may lengthen it, e.g. ㍿)."""
    if len(value) > limit:
        raise RecordError(field, "too_long", n=limit)
    return value


@contextmanager
def unique_or(field: str, code: str) -> Iterator[None]:
    """Report a unique constraint that another staff member won meanwhile as a form error."""
    try:
        yield
    except IntegrityError:
        raise RecordError(field, code) from None


def resident_filter(query: str) -> ColumnElement[bool]:
    """Return a condition matching residents by phone digits, name in kanji or any kana form."""
    text = nfkc(query)
    if re.search(r"\d", text):
        exact = to_e164(text)
        digits = re.sub(r"\D", "", text).removeprefix("81" if text.startswith("+") else "0")
        phone = (ResidentPhone.e164 == exact if exact
                 else ResidentPhone.e164.contains(digits, autoescape=True))
        return Resident.id.in_(select(ResidentPhone.resident_id).where(phone))
    kana, raw = fold(text), text.replace(" ", "")
    return or_(*(column.contains(value, autoescape=True) for column, value in (
        (Resident.family_name_kana + Resident.given_name_kana, kana),
        (Resident.family_name + Resident.given_name, raw))))


def booked_rides(session: Session, offer_ids: Iterable[int]) -> int:
    """Return how many planned or confirmed rides still to come were promised on these offers."""
    ids = list(offer_ids)
    if not ids:
        return 0
    stmt = select(RideRequest.id).where(RideRequest.promised_offer_id.in_(ids),
                                        RideRequest.status.in_(BOOKED),
                                        RideRequest.window_end > utcnow())
    return len(session.exec(stmt).all())


def expiry_state(expiry: date, today: date) -> str:
    """Return ``expired`` (past), ``soon`` (within 30 days) or ``ok`` for a document's expiry."""
    if expiry < today:
        return "expired"
    return "soon" if expiry - today <= SOON else "ok"


def audit_list(session: Session, staff: StaffUser, entity: str,
               rows: Iterable[tuple[int | None, int | None]]) -> None:
    """Record that staff saw each listed row (entity id, resident id) of personal data."""
    for entity_id, resident_id in rows:
        audit.record(session, staff, "list", entity, entity_id, resident_id, "records list")


def snapshot(row: object, names: Iterable[str]) -> dict[str, object]:
    """Return the current values of some columns of a row (loading expired ones)."""
    return {name: getattr(row, name) for name in names}


def changed(before: dict[str, object], after: dict[str, object]) -> str:
    """Return the names (never the values) of the fields that differ, for the audit reason."""
    names = sorted(k for k in after if before.get(k) != after[k])
    return "changed: " + ", ".join(names) if names else "no change"
