"""Strip personal data from rides, messages and residents while keeping rows for statistics.

Rows stay (foreign keys, counts, outcomes, times, settlements, age bands hold); what could
identify a person goes: free text, names, phone numbers, exact homes. Each function is
idempotent (it skips rows already anonymised) and leaves committing to the caller.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session, select

from carshare.models import (
    AuditLog,
    DeviceSession,
    Driver,
    Notification,
    NotificationState,
    Offer,
    OfferStatus,
    Place,
    PlaceKind,
    Resident,
    ResidentConsent,
    ResidentPhone,
    RideRequest,
    SigninCode,
    Stop,
    TripEvent,
    Vehicle,
)
from carshare.services.consents import clear_needs

ANON_NAME = "匿名"  # the stored name of an anonymised person or place (data, not UI text)
ANON_RECIPIENT = "+0"
UNSENT = (NotificationState.PENDING, NotificationState.SENDING,
          NotificationState.NEEDS_ATTENTION)


def coarse(value: float) -> float:
    """Round a coordinate to 0.1° (about 10 km), the size of a settlement here."""
    return round(value, 1)


def placeholder_home(session: Session, home: Place) -> Place:
    """Return the town's anonymous home of ``home``'s settlement and area (made once)."""
    lat, lon = coarse(home.lat), coarse(home.lon)
    found = session.exec(select(Place).where(
        Place.town_id == home.town_id, Place.kind == PlaceKind.HOME, Place.name == ANON_NAME,
        Place.settlement == home.settlement, Place.lat == lat, Place.lon == lon)).first()
    if found is None:
        found = Place(town_id=home.town_id, kind=PlaceKind.HOME, name=ANON_NAME, kana="",
                      lat=lat, lon=lon, settlement=home.settlement, active=False)
        session.add(found)
        session.flush()
    return found


def is_anonymous(place: Place) -> bool:
    """Return whether ``place`` is an anonymous placeholder (or an anonymised home)."""
    return place.kind == PlaceKind.HOME and place.name == ANON_NAME


def anonymise_ride(session: Session, ride: RideRequest, now: datetime) -> bool:
    """Strip a ride's free text and point its homes at anonymous placeholders (its stops
    too); return whether anything was done."""
    if ride.anonymised_at is not None:
        return False
    ride.note, ride.outcome_reason = "", ""
    for column in ("pickup_place_id", "dropoff_place_id"):
        place = session.get(Place, getattr(ride, column))
        if place is not None and place.kind == PlaceKind.HOME and not is_anonymous(place):
            anonymous = placeholder_home(session, place)
            _move_stops(session, ride.id, place.id, anonymous.id)
            setattr(ride, column, anonymous.id)
    for event in session.exec(select(TripEvent).where(TripEvent.request_id == ride.id)):
        event.note = ""  # a driver's words about the rider (e.g. why they were not there)
        session.add(event)
    ride.anonymised_at = now
    session.add(ride)
    return True


def _move_stops(session: Session, request_id: int, old: int, new: int) -> None:
    for stop in session.exec(select(Stop).where(Stop.request_id == request_id,
                                                Stop.place_id == old)):
        stop.place_id = new
        session.add(stop)


def anonymise_notification(session: Session, row: Notification, now: datetime) -> bool:
    """Strip a message's number, words and provider id (kind, state and times stay); an unsent
    one is cancelled first. Return whether anything was done."""
    if row.anonymised_at is not None:
        return False
    if row.state in UNSENT:
        row.state = NotificationState.CANCELLED
    if row.recipient != "staff":
        row.recipient = ANON_RECIPIENT
    row.payload, row.last_error, row.provider_id = {}, "", None
    row.anonymised_at = now
    session.add(row)
    return True


def anonymise_resident(session: Session, resident: Resident, now: datetime) -> bool:
    """Remove what identifies a resident, keeping the row (town, settlement of the home, birth
    year for the age band) so past rides still count. Return whether anything was done."""
    if resident.anonymised_at is not None:
        return False
    resident.family_name, resident.given_name = ANON_NAME, "-"
    resident.family_name_kana = resident.given_name_kana = ""
    resident.caregiver_name, resident.caregiver_phone = "", None
    resident.staff_notes = resident.driver_notes = ""
    clear_needs(resident)
    resident.active, resident.anonymised_at = False, now
    resident.left_at = resident.left_at or now.date()
    _anonymise_home(session, resident)
    _delete_personal_rows(session, resident.id)
    _anonymise_driver(session, resident.id, now.date())
    session.add(resident)
    return True


def _anonymise_home(session: Session, resident: Resident) -> None:
    home = session.get(Place, resident.home_place_id) if resident.home_place_id else None
    if home is not None and home.kind == PlaceKind.HOME and not is_anonymous(home):
        home.name, home.kana, home.active = ANON_NAME, "", False
        home.lat, home.lon = coarse(home.lat), coarse(home.lon)
        session.add(home)


def _delete_personal_rows(session: Session, resident_id: int) -> None:
    for model in (ResidentPhone, ResidentConsent, DeviceSession, SigninCode):
        for row in session.exec(select(model).where(model.resident_id == resident_id)):
            session.delete(row)


def _anonymise_driver(session: Session, resident_id: int, today: date) -> None:
    driver = session.exec(select(Driver).where(Driver.resident_id == resident_id)).first()
    if driver is None:
        return
    driver.active, driver.calendar_token_hash = False, None
    session.add(driver)
    for vehicle in session.exec(select(Vehicle).where(Vehicle.driver_id == driver.id)):
        vehicle.plate, vehicle.make_model = f"{ANON_NAME}-{vehicle.id}", ""
        vehicle.active = False
        session.add(vehicle)
    for offer in session.exec(select(Offer).where(Offer.driver_id == driver.id)):
        offer.note = ""
        if offer.service_date is None or offer.service_date >= today:
            offer.status = OfferStatus.WITHDRAWN  # no more rides with a removed driver
        session.add(offer)


def trim_cancel_reasons(session: Session, rides: list[int]) -> int:
    """Cut the free text off the audit entries of these rides' cancellations (the log keeps
    who cancelled, when and the outcome code; the words were a copy of the ride's reason)."""
    if not rides:
        return 0
    rows = session.exec(select(AuditLog).where(
        AuditLog.entity == "ride_request", AuditLog.action == "cancel",
        AuditLog.entity_id.in_(rides), AuditLog.reason.contains(":")))
    count = 0
    for row in rows:
        row.reason, count = row.reason.split(":", 1)[0], count + 1
        session.add(row)
    return count
