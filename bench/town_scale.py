"""Grow the demo town N-fold for benchmarks: more residents, drivers, offers and requests.

Copies of the demo's residents (new names' suffix, new phones, homes jittered around the same
settlements), drivers with cars and weekly offers, and ride requests over the same week.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlmodel import Session, select

from carshare.models import (
    Driver,
    Offer,
    Place,
    Resident,
    ResidentPhone,
    RideRequest,
    Vehicle,
)


def scale_town(session: Session, factor: int, seed: int = 7) -> dict[str, int]:
    """Add ``factor - 1`` copies of every resident, driver, offer and request; commit."""
    rng = random.Random(seed)
    residents = list(session.exec(select(Resident)))
    drivers = {d.resident_id: d for d in session.exec(select(Driver))}
    for copy in range(1, factor):
        for person in residents:
            _copy_person(session, person, drivers.get(person.id), copy, rng)
    session.commit()
    return {name: len(list(session.exec(select(model)))) for name, model in
            (("residents", Resident), ("offers", Offer), ("requests", RideRequest))}


def _copy_person(session: Session, person: Resident, driver: Driver | None, copy: int,
                 rng: random.Random) -> None:
    home = session.get(Place, person.home_place_id)
    new_home = _add(session, Place(town_id=home.town_id, kind=home.kind, name=f"{home.name}{copy}",
                                   kana=home.kana, settlement=home.settlement,
                                   lat=home.lat + rng.uniform(-0.01, 0.01),
                                   lon=home.lon + rng.uniform(-0.01, 0.01)))
    fields = person.model_dump(exclude={"id", "home_place_id", "created_at"})
    twin = _add(session, Resident(**{**fields, "given_name": f"{person.given_name}{copy}",
                                     "home_place_id": new_home.id}))
    for phone in session.exec(select(ResidentPhone).where(ResidentPhone.resident_id == person.id)):
        digits = f"{int(phone.e164[-4:]) + 37 * copy:04d}"[-4:]
        _add(session, ResidentPhone(resident_id=twin.id, e164=phone.e164[:-4] + digits,
                                    kind=phone.kind, is_primary=phone.is_primary))
    _copy_requests(session, person, twin, new_home, home)
    if driver is not None:
        _copy_driver(session, driver, twin, new_home, copy)


def _copy_requests(session: Session, person: Resident, twin: Resident, new_home: Place,
                   home: Place) -> None:
    swap = {home.id: new_home.id}
    for request in session.exec(select(RideRequest).where(RideRequest.rider_id == person.id,
                                                          RideRequest.outbound_id.is_(None))):
        fields = request.model_dump(exclude={"id", "created_at"})
        _add(session, RideRequest(**{**fields, "rider_id": twin.id,
                                     "pickup_place_id": swap.get(request.pickup_place_id,
                                                                 request.pickup_place_id),
                                     "dropoff_place_id": swap.get(request.dropoff_place_id,
                                                                  request.dropoff_place_id),
                                     "window_start": request.window_start + timedelta(minutes=5),
                                     "window_end": request.window_end + timedelta(minutes=5)}))


def _copy_driver(session: Session, driver: Driver, twin: Resident, new_home: Place,
                 copy: int) -> None:
    new_driver = _add(session, Driver(resident_id=twin.id, licence_expiry=driver.licence_expiry,
                                      insurance_expiry=driver.insurance_expiry))
    for car in session.exec(select(Vehicle).where(Vehicle.driver_id == driver.id)):
        fields = car.model_dump(exclude={"id", "driver_id", "plate"})
        new_car = _add(session, Vehicle(**fields, driver_id=new_driver.id,
                                        plate=f"{car.plate}-{copy}"))
        for offer in session.exec(select(Offer).where(Offer.vehicle_id == car.id)):
            data = offer.model_dump(exclude={"id", "driver_id", "vehicle_id", "created_at",
                                             "start_place_id", "end_place_id"})
            _add(session, Offer(**data, driver_id=new_driver.id, vehicle_id=new_car.id,
                                start_place_id=new_home.id, end_place_id=new_home.id))


def _add(session: Session, row):  # type: ignore[no-untyped-def]
    session.add(row)
    session.flush()
    return row
