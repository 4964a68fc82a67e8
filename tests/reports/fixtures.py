"""A hand-computable report month: June 2026 in the town "rep", with a neighbour town "other".

Every place lies on the meridian 141.75 E, so the travel model's direct distances are
0.1 degree of latitude = 6,371,000 m x pi/1800 = 11,119.49 m x circuity 1.25 = 13,899.4 m
(13,900 m, 1,001 s at 50 km/h: the town stores these travel settings) and 0.2 degree =
27,798.7 m (27,799 m, 2,002 s).

Rides (legs) requested in June, by local day of their window:
  1  R1 home A -> hospital   2 Jun  completed, party 1, shared with 3 (pressed 24 min)
  2  R1 hospital -> home A   2 Jun  completed, party 1, alone (planned 20 min)
  3  R2 home B -> hospital   2 Jun  completed, party 2, shared with 1 (planned 42 min)
  4  R1 home A -> hospital   9 Jun  completed, party 1, alone (planned 20 min)
  5  R3 expired                   9 Jun  unmet (expired)
  6  R3 unmet                    16 Jun  unmet (unmet)
  7  R4 rider cancelled          16 Jun  cancelled (rider_cancel)
  8  R4 no-show                  23 Jun  no-show (no outcome code: counts as no_show)
  9  R2 weather                  23 Jun  cancelled (weather)
  10 R3 planned                  30 Jun  still open
Outside: R1 on 31 May 23:30 JST and on 1 Jul 00:00 JST; the other town's ride on 2 Jun.

Routes of the plans in force: 2 Jun 40 km 09:00-12:00; 9 Jun 30 km 10:00-11:30; 23 Jun 10 km
08:00-08:30 (the no-show: the driver went); 16 Jun 5 km for ride 7 only (cancelled: not driven).
A superseded 2 Jun plan (99.999 km) must not count.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from carshare.models import (
    Driver,
    Offer,
    Place,
    PlaceKind,
    Plan,
    PlanStatus,
    RequestStatus,
    Resident,
    RideRequest,
    Route,
    StaffRole,
    StaffUser,
    Stop,
    StopKind,
    Town,
    TownTravelSettings,
    TripEvent,
    TripEventKind,
    Vehicle,
    WindowKind,
)
from carshare.services.users import hash_password
from carshare.timeutil import TOKYO
from tests.factories import add

LON = 141.75
PASSWORD = "report-pass-2026"


def jst(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    """Return a time in June 2026 (or ``month``), Japan time."""
    return datetime(2026, month, day, hour, minute, tzinfo=TOKYO)


def report_town(session: Session, slug: str = "rep") -> dict[str, Any]:
    """Build the town, its places, riders, a driver and two staff accounts (staff, admin)."""
    town = add(session, Town(slug=slug, name=f"{slug}町", taxi_base_fare_yen=700,
                             taxi_yen_per_km=350, co2_g_per_km=130))
    add(session, TownTravelSettings(town_id=town.id, circuity=1.25, speed_kmh=50.0))  # see top
    place = lambda kind, name, lat, settlement: add(session, Place(  # noqa: E731
        town_id=town.id, kind=kind, name=name, lat=lat, lon=LON, settlement=settlement))
    hospital = place(PlaceKind.HOSPITAL, "病院", 45.0, "本町")
    homes = {"A": place(PlaceKind.HOME, "宅A", 44.9, "北"), "B": place(PlaceKind.HOME, "宅B",
                                                                     44.8, "南"),
             "C": place(PlaceKind.HOME, "宅C", 44.9, "北"), "D": place(PlaceKind.HOME, "宅D",
                                                                     44.8, "南")}
    person = lambda n, home, year: add(session, Resident(  # noqa: E731
        town_id=town.id, family_name=f"利用{n}", given_name="花", family_name_kana="リヨウ",
        given_name_kana="ハナ", home_place_id=home.id, birth_year=year))
    riders = {"R1": person(1, homes["A"], 1950), "R2": person(2, homes["B"], 1940),
              "R3": person(3, homes["C"], None), "R4": person(4, homes["A"], 1970)}
    driver_person = person(9, homes["D"], 1960)
    driver = add(session, Driver(resident_id=driver_person.id, licence_expiry=date(2030, 1, 1),
                                 insurance_expiry=date(2030, 1, 1)))
    car = add(session, Vehicle(driver_id=driver.id, seats=3, fuel_economy_km_per_l=20,
                               colour="白", plate=f"{slug} 1"))
    staff = {role: add(session, StaffUser(
        town_id=town.id, username=f"{slug}-{role.value}", display_name="職員",
        password_hash=hash_password(PASSWORD), role=role, session_token="t"))
        for role in (StaffRole.STAFF, StaffRole.ADMIN)}
    return {"town": town, "hospital": hospital, "homes": homes, "riders": riders,
            "driver": driver, "car": car, "staff": staff}


def ride(session: Session, t: dict[str, Any], rider: str, home: str, start: datetime,
         status: RequestStatus, code: str | None = None, party: int = 1,
         back: bool = False) -> RideRequest:
    """Add one leg between a home and the hospital with a one-hour window."""
    ends = (t["homes"][home].id, t["hospital"].id)
    pickup, dropoff = reversed(ends) if back else ends
    return add(session, RideRequest(
        town_id=t["town"].id, rider_id=t["riders"][rider].id, pickup_place_id=pickup,
        dropoff_place_id=dropoff, window_kind=WindowKind.PICKUP_AFTER, window_start=start,
        window_end=start + timedelta(hours=1), party_size=party, status=status,
        outcome_code=code))


def route(session: Session, t: dict[str, Any], day: int, km: float, hours: tuple[int, int, int],
          stops: list[tuple[StopKind, RideRequest | None, int, int]],
          status: PlanStatus = PlanStatus.ACTIVE, version: int = 1) -> Route:
    """Add a plan with one route; ``stops`` are (kind, ride, hour, minute) in order."""
    service_day = date(2026, 6, day)
    offer = add(session, Offer(town_id=t["town"].id, driver_id=t["driver"].id,
                               vehicle_id=t["car"].id, service_date=service_day,
                               depart_after=time(7), return_by=time(19),
                               start_place_id=t["homes"]["D"].id,
                               end_place_id=t["homes"]["D"].id, seats=3))
    plan = add(session, Plan(town_id=t["town"].id, service_date=service_day, version=version,
                             status=status))
    start_h, end_h, end_m = hours
    row = add(session, Route(plan_id=plan.id, offer_id=offer.id, vehicle_id=t["car"].id,
                             seats=3, peak_load=3, distance_m=int(km * 1000),
                             driving_s=3600, starts_at=jst(day, start_h),
                             ends_at=jst(day, end_h, end_m)))
    for sequence, (kind, request, hour, minute) in enumerate(stops):
        at = jst(day, hour, minute)
        place = _stop_place(t, kind, request)
        add(session, Stop(route_id=row.id, sequence=sequence, kind=kind, place_id=place,
                          request_id=request.id if request else None, arrival_at=at,
                          service_start_at=at, departure_at=at))
    return row


def _stop_place(t: dict[str, Any], kind: StopKind, request: RideRequest | None) -> int:
    if request is None:
        return t["homes"]["D"].id
    return request.pickup_place_id if kind is StopKind.PICKUP else request.dropoff_place_id


def fixture_month(session: Session) -> dict[str, Any]:
    """Build the June 2026 fixture described in the module docstring; commit."""
    t = report_town(session)
    done, K = RequestStatus.COMPLETED, StopKind
    r = {1: ride(session, t, "R1", "A", jst(2, 9), done),
         2: ride(session, t, "R1", "A", jst(2, 11), done, back=True),
         3: ride(session, t, "R2", "B", jst(2, 9), done, party=2),
         4: ride(session, t, "R1", "A", jst(9, 10), done),
         5: ride(session, t, "R3", "C", jst(9, 10), RequestStatus.UNMET, "expired"),
         6: ride(session, t, "R3", "C", jst(16, 10), RequestStatus.UNMET, "unmet"),
         7: ride(session, t, "R4", "A", jst(16, 10), RequestStatus.CANCELLED, "rider_cancel"),
         8: ride(session, t, "R4", "A", jst(23, 8), RequestStatus.NO_SHOW),
         9: ride(session, t, "R2", "B", jst(23, 10), RequestStatus.CANCELLED, "weather"),
         10: ride(session, t, "R3", "C", jst(30, 10), RequestStatus.PLANNED)}
    ride(session, t, "R1", "A", jst(31, 23, 30, month=5), done)
    ride(session, t, "R1", "A", jst(1, 0, month=7), done)
    first = route(session, t, 2, 40, (9, 12, 0), [
        (K.START, None, 9, 0), (K.PICKUP, r[3], 9, 10), (K.PICKUP, r[1], 9, 30),
        (K.DROPOFF, r[1], 9, 50), (K.DROPOFF, r[3], 9, 52), (K.PICKUP, r[2], 11, 0),
        (K.DROPOFF, r[2], 11, 20), (K.END, None, 11, 50)])
    route(session, t, 2, 99.999, (9, 12, 0), [(K.PICKUP, r[1], 9, 30), (K.DROPOFF, r[1], 9, 50)],
          status=PlanStatus.SUPERSEDED, version=2)
    route(session, t, 9, 30, (10, 11, 30), [(K.PICKUP, r[4], 10, 10), (K.DROPOFF, r[4], 10, 30)])
    route(session, t, 23, 10, (8, 8, 30), [(K.PICKUP, r[8], 8, 5), (K.DROPOFF, r[8], 8, 20)])
    route(session, t, 16, 5, (10, 10, 30), [(K.PICKUP, r[7], 10, 5), (K.DROPOFF, r[7], 10, 20)])
    for kind, hour, minute in ((TripEventKind.PICKED_UP, 9, 31),
                               (TripEventKind.DROPPED_OFF, 9, 55)):
        add(session, TripEvent(town_id=t["town"].id, offer_id=first.offer_id,
                               service_date=date(2026, 6, 2), request_id=r[1].id, kind=kind,
                               happened_at=jst(2, hour, minute),
                               client_event_id=f"{kind.value}-{r[1].id}"))
    other = report_town(session, "other")
    ride(session, other, "R1", "A", jst(2, 9), done)
    session.commit()
    return {**t, "rides": r, "other": other}
