"""Exports for staff: residents, offers, rides and the audit log as rows for a CSV.

Every export names its purpose; exporting personal data writes who, what and why to the
audit log in the same transaction (one entry per person exported, and one for the export).
Only the acting staff member's town is ever read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from carshare.models import (
    AuditLog,
    ConsentScope,
    Driver,
    Offer,
    Place,
    RequestStatus,
    Resident,
    ResidentConsent,
    ResidentPhone,
    RideRequest,
    StaffRole,
    StaffUser,
    Vehicle,
)
from carshare.services import audit
from carshare.services.export_trips import TRIP_COLUMNS, trip_rows
from carshare.services.report_data import by_id
from carshare.services.reports import ReportError, check_range

CONSENT_SCOPES = tuple(ConsentScope)


class ExportError(ValueError):
    """The export cannot be made; ``code`` says why (admin_only, inverted, too_long...)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Table:
    """Column keys (the web translates them) and the rows of an export."""

    columns: tuple[str, ...]
    rows: list[list[object]]


RESIDENT_COLUMNS = (
    "id", "family_name", "given_name", "family_name_kana", "given_name_kana", "birth_year",
    "home", "settlement", "phones", "contact_channel", "language", "wheelchair", "walker",
    "boarding_help", "caregiver_name", "caregiver_phone", "driver", "active", "left_at",
    *(f"consent_{scope.value}" for scope in CONSENT_SCOPES),
)


def export_residents(session: Session, staff: StaffUser, purpose: str) -> Table:
    """Return every resident of the staff member's town, with their consents; audit; commit.

    Staff notes and notes for drivers are left out (free text, not needed outside).
    """
    residents = list(session.exec(select(Resident).where(Resident.town_id == staff.town_id)
                                  .order_by(Resident.id)))
    ids = [r.id for r in residents]
    homes = by_id(session, Place, {r.home_place_id for r in residents if r.home_place_id})
    phones = _grouped(session, ResidentPhone, ResidentPhone.resident_id, ids)
    consents = _grouped(session, ResidentConsent, ResidentConsent.resident_id, ids)
    drivers = set(session.exec(select(Driver.resident_id).where(col(Driver.resident_id)
                                                                .in_(ids)))) if ids else set()
    rows = [_resident_row(r, homes.get(r.home_place_id), phones.get(r.id, []),
                          {c.scope: c for c in consents.get(r.id, [])}, r.id in drivers)
            for r in residents]
    _audit(session, staff, "resident", ids, purpose)
    return Table(RESIDENT_COLUMNS, rows)


def _resident_row(r: Resident, home: Place | None, phones: list[ResidentPhone],
                  consents: dict, is_driver: bool) -> list[object]:
    numbers = "; ".join(p.e164 for p in sorted(phones, key=lambda p: not p.is_primary))
    given = [consents[s].given_on if s in consents else None for s in CONSENT_SCOPES]
    needs = ([r.wheelchair, r.walker, r.boarding_help] if ConsentScope.NEEDS in consents
             else [None, None, None])  # needs are held and shown only with their consent
    return [r.id, r.family_name, r.given_name, r.family_name_kana, r.given_name_kana,
            r.birth_year, home.name if home else "", home.settlement if home else "", numbers,
            r.contact_channel.value, r.language, *needs,
            r.caregiver_name, r.caregiver_phone or "", is_driver, r.active, r.left_at, *given]


OFFER_COLUMNS = ("id", "status", "driver", "vehicle", "service_date", "weekday", "valid_from",
                 "valid_until", "depart_after", "return_by", "start", "end", "destination",
                 "arrive_by", "leave_after", "seats", "wheelchair_spaces", "extra_minutes",
                 "auto_accept", "note")


def export_offers(session: Session, staff: StaffUser, purpose: str) -> Table:
    """Return every offer of the staff member's town with driver and places; audit; commit."""
    offers = list(session.exec(select(Offer).where(Offer.town_id == staff.town_id)
                               .order_by(Offer.id)))
    drivers = by_id(session, Driver, {o.driver_id for o in offers})
    people = by_id(session, Resident, {d.resident_id for d in drivers.values()})
    cars = by_id(session, Vehicle, {o.vehicle_id for o in offers})
    places = by_id(session, Place, {p for o in offers for p in (
        o.start_place_id, o.end_place_id, o.destination_place_id) if p})
    name = lambda o: _name(people[drivers[o.driver_id].resident_id])  # noqa: E731
    rows = [[o.id, o.status.value, name(o), cars[o.vehicle_id].plate, o.service_date,
             o.weekday, o.valid_from, o.valid_until, o.depart_after.isoformat("minutes"),
             o.return_by.isoformat("minutes"), places[o.start_place_id].name,
             places[o.end_place_id].name,
             places[o.destination_place_id].name if o.destination_place_id else "",
             _clock(o.arrive_by), _clock(o.leave_after), o.seats, o.wheelchair_spaces,
             o.extra_minutes, o.auto_accept, o.note] for o in offers]
    _audit(session, staff, "offer", sorted({d.resident_id for d in drivers.values()}), purpose)
    return Table(OFFER_COLUMNS, rows)


def _clock(value: time | None) -> str:
    return value.isoformat("minutes") if value else ""


def export_trips(session: Session, staff: StaffUser, purpose: str, start: date, end: date,
                 tz: ZoneInfo) -> Table:
    """Return the town's rides requested for days ``start``..``end`` with driver and times.

    :raise ExportError: a bad range.
    """
    lo, hi = _bounds(start, end, tz)
    requests = list(session.exec(select(RideRequest).where(
        RideRequest.town_id == staff.town_id, RideRequest.window_start >= lo,
        RideRequest.window_start < hi, RideRequest.status != RequestStatus.QUOTED)
        .order_by(RideRequest.window_start, RideRequest.id)))
    rows = trip_rows(session, requests, tz)
    _audit(session, staff, "ride_request", sorted({r.rider_id for r in requests}), purpose)
    return Table(TRIP_COLUMNS, rows)


AUDIT_COLUMNS = ("id", "at", "actor", "action", "entity", "entity_id", "resident_id", "reason")


def export_audit_log(session: Session, staff: StaffUser, purpose: str, start: date, end: date,
                     tz: ZoneInfo) -> Table:
    """Return the town's audit log for days ``start``..``end`` (admins only); audit; commit.

    :raise ExportError: ``admin_only``, or a bad range.
    """
    if staff.role is not StaffRole.ADMIN:
        raise ExportError("admin_only")
    lo, hi = _bounds(start, end, tz)
    entries = session.exec(select(AuditLog).where(
        AuditLog.town_id == staff.town_id, AuditLog.at >= lo, AuditLog.at < hi)
        .order_by(AuditLog.at, AuditLog.id))
    rows = [[e.id, e.at.astimezone(tz).isoformat(timespec="seconds"), e.actor, e.action,
             e.entity, e.entity_id, e.resident_id, e.reason] for e in entries]
    _audit(session, staff, "audit_log", [], f"{purpose} ({start}..{end})")
    return Table(AUDIT_COLUMNS, rows)


def _bounds(start: date, end: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    try:
        check_range(start, end)
    except ReportError as error:
        raise ExportError(error.code) from None
    return (datetime.combine(start, time(0), tzinfo=tz),
            datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz))


def _audit(session: Session, staff: StaffUser, entity: str, resident_ids: Iterable[int],
           purpose: str) -> None:
    """Record the export and each person in it (who, what, why); commit."""
    ids = list(resident_ids)
    for resident_id in ids:
        audit.record(session, staff, "export", "resident", resident_id, resident_id,
                     f"{entity} export: {purpose}")
    audit.record(session, staff, "export", entity, None, None,
                 f"{purpose} ({len(ids)} people)")
    session.commit()


def _grouped(session: Session, model, column, ids: list[int]) -> dict:  # type: ignore[no-untyped-def]
    grouped: dict[int, list] = {}
    if ids:
        for row in session.exec(select(model).where(col(column).in_(ids))):
            grouped.setdefault(getattr(row, column.key), []).append(row)
    return grouped


def _name(person: Resident) -> str:
    return f"{person.family_name} {person.given_name}"
