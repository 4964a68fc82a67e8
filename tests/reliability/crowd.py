"""A crowd of riders wanting the same car: one driver, a few seats, many callers at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from secrets import token_hex

from sqlmodel import Session, select

from carshare.models import (
    ContactChannel,
    Driver,
    Offer,
    PhoneKind,
    Place,
    PlaceKind,
    Plan,
    PlanStatus,
    RequestStatus,
    Resident,
    ResidentPhone,
    RideRequest,
    Route,
    StaffRole,
    StaffUser,
    Stop,
    Town,
    Vehicle,
    WindowKind,
    utcnow,
)
from carshare.models.privacy import ConsentMethod, ConsentScope
from carshare.services.booking import BookingInput, create_booking
from carshare.services.consents import ConsentInput, set_consents
from carshare.services.users import hash_password
from carshare.timeutil import TOKYO
from tests.factories import FUTURE, add

PASSWORD = "crowd-staff-pass-2026"


@dataclass(frozen=True)
class Crowd:
    """Ids of what the crowd needs: the offer everyone wants and each rider's open request."""

    town_id: int
    offer_id: int
    request_ids: list[int]
    usernames: list[str]
    offer_ids: tuple[int, ...] = ()  # every driver's offer (the first is ``offer_id``)


def crowd_town(session: Session, riders: int, seats: int = 3, wheelchair_spaces: int = 0,
               wheelchairs: bool = False, staff: int = 1, slug: str = "crowd",
               asking: int | None = None, drivers: int = 1) -> Crowd:
    """Store a town where ``riders`` residents each ask for the same car's ride; commit.

    Everyone is picked up at the community hall and must arrive at the clinic (about 40 km
    away) by 10:00 on FUTURE, so only the car's seats (or wheelchair spaces) limit how many
    can go. Only the first ``asking`` riders (default: all) have a request; ``drivers``
    drivers offer the same trip.
    """
    town = add(session, Town(slug=slug, name="混雑町"))
    place = lambda kind, name, lat: add(session, Place(  # noqa: E731
        town_id=town.id, kind=kind, name=name, lat=lat, lon=141.75, settlement="本町"))
    hall = place(PlaceKind.OTHER, "集会所", 44.885)
    clinic = place(PlaceKind.CLINIC, "診療所", 45.25)
    offers = [_driver(session, town.id, hall.id, seats, wheelchair_spaces, n)
              for n in range(drivers)]
    users = [add(session, StaffUser(town_id=town.id, username=f"{slug}-staff{n}",
                                    display_name="職員", password_hash=hash_password(PASSWORD),
                                    role=StaffRole.STAFF, session_token=token_hex(16)))
             for n in range(staff)]
    ids = []
    for n in range(riders):
        rider = add(session, Resident(town_id=town.id, family_name=f"利用{n}", given_name="花",
                                      family_name_kana="リヨウ", given_name_kana="ハナ",
                                      home_place_id=hall.id, wheelchair=wheelchairs,
                                      contact_channel=ContactChannel.VOICE))
        add(session, ResidentPhone(resident_id=rider.id, e164=f"+811632{n:06d}",
                                   kind=PhoneKind.LANDLINE, is_primary=True))
        if wheelchairs:  # needs are kept only with the rider's consent
            set_consents(session, users[0], rider, {ConsentScope.NEEDS: ConsentInput(
                date.today(), ConsentMethod.PAPER)}, date.today())
        if asking is not None and n >= asking:
            continue
        data = BookingInput(rider_id=rider.id, pickup_place_id=hall.id,
                            dropoff_place_id=clinic.id, day=FUTURE,
                            window_kind=WindowKind.ARRIVE_BY, clock=time(10),
                            wheelchair=wheelchairs)
        ids.append(create_booking(session, users[0], data, utcnow(), TOKYO).outbound.id)
    session.commit()
    return Crowd(town.id, offers[0].id, ids, [u.username for u in users],
                 tuple(o.id for o in offers))


def _driver(session: Session, town_id: int, start: int, seats: int, spaces: int,
            n: int = 0) -> Offer:
    person = add(session, Resident(town_id=town_id, family_name="運転", given_name="太郎",
                                   family_name_kana="ウンテン", given_name_kana="タロウ",
                                   home_place_id=start, contact_channel=ContactChannel.SMS))
    add(session, ResidentPhone(resident_id=person.id, e164=f"+81901111{9999 - n:04d}",
                               kind=PhoneKind.MOBILE, is_primary=True))
    driver = add(session, Driver(resident_id=person.id, licence_expiry=FUTURE + timedelta(400),
                                 insurance_expiry=FUTURE + timedelta(400)))
    car = add(session, Vehicle(driver_id=driver.id, seats=max(seats, 1),
                               wheelchair_spaces=spaces, fuel_economy_km_per_l=20,
                               colour="白", plate=f"混雑 {n + 1}"))
    return add(session, Offer(town_id=town_id, driver_id=driver.id, vehicle_id=car.id,
                              service_date=FUTURE, depart_after=time(7), return_by=time(13),
                              start_place_id=start, end_place_id=start, seats=seats,
                              wheelchair_spaces=spaces, extra_minutes=360))


@dataclass(frozen=True)
class Stored:
    """What the database says after the crowd: confirmed requests and the active plan's load."""

    confirmed: int
    riders_in_plan: int
    peak_load: int
    seats: int
    active_plans: int


def stored(session: Session, crowd: Crowd) -> Stored:
    """Read back what was committed for the crowd's day."""
    confirmed = session.exec(select(RideRequest).where(
        RideRequest.id.in_(crowd.request_ids),
        RideRequest.status == RequestStatus.CONFIRMED)).all()
    plans = session.exec(select(Plan).where(Plan.town_id == crowd.town_id,
                                            Plan.status == PlanStatus.ACTIVE)).all()
    routes = session.exec(select(Route).where(Route.plan_id.in_([p.id for p in plans]))).all()
    in_plan = session.exec(select(Stop).where(
        Stop.route_id.in_([r.id for r in routes]), Stop.kind == "pickup")).all()
    return Stored(len(confirmed), len(in_plan), max((r.peak_load for r in routes), default=0),
                  max((r.seats for r in routes), default=0), len(plans))
