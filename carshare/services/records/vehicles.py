"""Drivers' cars: seats, wheelchair spaces, fuel economy, colour, make and plate."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlmodel import Session, select

from carshare.models import Driver, Offer, Resident, StaffUser, Vehicle
from carshare.models.fleet import MAX_SEATS
from carshare.services import audit
from carshare.services.records.common import (
    LIST_LIMIT,
    RecordError,
    RecordNotFound,
    booked_rides,
    changed,
    fit,
    nfkc,
    resident_filter,
    snapshot,
    unique_or,
)
from carshare.services.records.drivers import own_driver


@dataclass(frozen=True)
class VehicleInput:
    """What staff enter on the vehicle form (the driver is fixed once the car exists)."""

    seats: int
    wheelchair_spaces: int
    fuel_economy_km_per_l: float
    colour: str
    make_model: str
    plate: str


@dataclass(frozen=True)
class VehicleRow:
    """A car with its driver."""

    vehicle: Vehicle
    driver: Driver
    resident: Resident


def own_vehicle(session: Session, staff: StaffUser, vehicle_id: int) -> VehicleRow:
    """Return a car of the staff member's town. :raise RecordNotFound: no such car there."""
    vehicle = session.get(Vehicle, vehicle_id)
    if vehicle is None:
        raise RecordNotFound
    driver, resident = own_driver(session, staff, vehicle.driver_id)
    return VehicleRow(vehicle, driver, resident)


def list_vehicles(session: Session, staff: StaffUser, query: str = "",
                  inactive: bool = False) -> list[VehicleRow]:
    """Return up to 100 cars of the town; ``query`` matches the plate, colour or driver."""
    stmt = (select(Vehicle, Driver, Resident).join(Driver, Vehicle.driver_id == Driver.id)
            .join(Resident, Driver.resident_id == Resident.id)
            .where(Resident.town_id == staff.town_id))
    text = nfkc(query)
    if text:
        stmt = stmt.where(Vehicle.plate.contains(text, autoescape=True)
                          | Vehicle.colour.contains(text, autoescape=True)
                          | Vehicle.make_model.contains(text, autoescape=True)
                          | resident_filter(text))
    if not inactive:
        stmt = stmt.where(Vehicle.active)
    stmt = stmt.order_by(Resident.family_name_kana, Vehicle.id).limit(LIST_LIMIT)
    return [VehicleRow(v, d, r) for v, d, r in session.exec(stmt)]


def _columns(session: Session, data: VehicleInput, own_id: int | None) -> dict:
    if not 1 <= data.seats <= MAX_SEATS:
        raise RecordError("seats", "seats_range", n=MAX_SEATS)
    if not 0 <= data.wheelchair_spaces <= data.seats:
        raise RecordError("wheelchair_spaces", "wheelchair_over_seats")
    if not 0 < data.fuel_economy_km_per_l < 100:
        raise RecordError("fuel_economy_km_per_l", "fuel_economy_range")
    plate = fit("plate", nfkc(data.plate), 40)
    clash = session.exec(select(Vehicle.id).where(Vehicle.plate == plate)).first()
    if clash is not None and clash != own_id:
        raise RecordError("plate", "plate_taken")
    return asdict(data) | {"plate": plate, "colour": data.colour.strip(),
                           "make_model": data.make_model.strip()}


def create_vehicle(session: Session, staff: StaffUser, driver_id: int,
                   data: VehicleInput) -> Vehicle:
    """Add a car to a driver of the town; audit; commit. :raise RecordError: invalid input."""
    try:
        driver, resident = own_driver(session, staff, driver_id)
    except RecordNotFound:
        raise RecordError("driver_id", "unknown_driver") from None
    if not driver.active:
        raise RecordError("driver_id", "unknown_driver")
    vehicle = Vehicle(driver_id=driver.id, **_columns(session, data, None))
    session.add(vehicle)
    with unique_or("plate", "plate_taken"):
        session.flush()
    audit.record(session, staff, "create", "vehicle", vehicle.id, resident.id, "records")
    session.commit()
    return vehicle


def update_vehicle(session: Session, staff: StaffUser, vehicle_id: int,
                   data: VehicleInput) -> Vehicle:
    """Change a car's details; audit; commit. :raise RecordError: invalid input."""
    row = own_vehicle(session, staff, vehicle_id)
    values = _columns(session, data, row.vehicle.id)
    before = snapshot(row.vehicle, values)
    for name, value in values.items():
        setattr(row.vehicle, name, value)
    session.add(row.vehicle)
    audit.record(session, staff, "update", "vehicle", row.vehicle.id, row.resident.id,
                 changed(before, values))
    with unique_or("plate", "plate_taken"):
        session.commit()
    return row.vehicle


def deactivate_vehicle(session: Session, staff: StaffUser, vehicle_id: int) -> Vehicle:
    """Take a car out of service; audit; commit. :raise RecordError: riders are booked in it."""
    row = own_vehicle(session, staff, vehicle_id)
    offers = session.exec(select(Offer.id).where(Offer.vehicle_id == row.vehicle.id))
    if booked_rides(session, offers):
        raise RecordError("form", "has_booked_rides")
    row.vehicle.active = False
    session.add(row.vehicle)
    audit.record(session, staff, "deactivate", "vehicle", row.vehicle.id, row.resident.id,
                 "records")
    session.commit()
    return row.vehicle
