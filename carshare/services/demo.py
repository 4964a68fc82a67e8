"""Load the Teshio–Wakkanai demo town, dated relative to the day it is loaded."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import phonenumbers
from sqlmodel import Session, select

from carshare.models import (
    ConsentMethod,
    ConsentScope,
    ContactChannel,
    Driver,
    FuelPrice,
    Offer,
    PhoneKind,
    Place,
    PlaceKind,
    RequestStatus,
    Resident,
    ResidentConsent,
    ResidentPhone,
    RideRequest,
    StaffRole,
    StaffUser,
    Town,
    Vehicle,
    WindowKind,
)
from carshare.services import demo_data as data
from carshare.services.booking import window
from carshare.services.offers import default_stay, whole_trip_minutes
from carshare.services.users import hash_password


@dataclass(frozen=True)
class SeedResult:
    """What the demo loader did."""

    created: bool
    residents: int = 0
    offers: int = 0
    requests: int = 0


def seed_demo(session: Session, now: datetime, tz: ZoneInfo) -> SeedResult:
    """Load the demo town in one transaction unless it is already there (idempotent)."""
    if session.exec(select(Town).where(Town.slug == data.TOWN["slug"])).first():
        return SeedResult(created=False)
    loader = _Loader(session, now.astimezone(tz), tz)
    result = loader.load()
    session.commit()
    return result


@dataclass(frozen=True)
class _DemoDriver:
    driver_id: int
    vehicle_id: int
    home_id: int


class _Loader:
    """Builds the demo rows; ids come from flushes inside one transaction."""

    def __init__(self, session: Session, now: datetime, tz: ZoneInfo) -> None:
        self.session, self.now, self.tz = session, now, tz
        self.today: date = now.date()
        self.rng = random.Random(2017)  # the year Teshio and Wakkanai started ride sharing
        self.places: dict[str, Place] = {}

    def load(self) -> SeedResult:
        self.town = self._add(Town(**data.TOWN, timezone=str(self.tz)))
        for row in data.FACILITIES:
            self._facility(*row)
        riders = [self._rider(i, row) for i, row in enumerate(data.RIDERS)]
        drivers = [self._driver(i, row) for i, row in enumerate(data.DRIVERS)]
        offers = [self._weekly_offer(drivers, *row) for row in data.WEEKLY_OFFERS]
        offers += self._one_off_offers(drivers)
        requests = [r for index, *row in data.TODAY_REQUESTS
                    for r in self._request(riders, index, self.today, *row)]
        requests += [r for index, weekday, *row in data.REQUESTS
                     for r in self._request(riders, index, next_weekday(self.today, weekday),
                                            *row)]
        self._staff()
        self._add(FuelPrice(town_id=self.town.id, valid_from=self.today - timedelta(days=7),
                            yen_per_litre=data.FUEL_PRICE_YEN_PER_LITRE))
        return SeedResult(True, len(riders) + len(drivers), len(offers), len(requests))

    def _add(self, row):  # type: ignore[no-untyped-def]
        self.session.add(row)
        self.session.flush()
        return row

    def _facility(self, key, kind, name, kana, lat, lon, settlement) -> None:  # type: ignore[no-untyped-def]
        self.places[key] = self._add(Place(town_id=self.town.id, kind=PlaceKind(kind), name=name,
                                           kana=kana, lat=lat, lon=lon, settlement=settlement))

    def _home(self, family: str, given: str, kana: str, settlement: str) -> Place:
        lat, lon, _ = data.SETTLEMENTS[settlement]
        jitter = self.rng.uniform
        return self._add(Place(town_id=self.town.id, kind=PlaceKind.HOME,
                               name=f"{family} {given} 宅", kana=f"{kana} タク",
                               lat=round(lat + jitter(-0.008, 0.008), 5),
                               lon=round(lon + jitter(-0.008, 0.008), 5), settlement=settlement))

    def _resident(self, n: int, family, given, fkana, gkana, settlement, phone_kind, **extra):  # type: ignore[no-untyped-def]
        home = self._home(family, given, fkana, settlement)
        resident = self._add(Resident(
            town_id=self.town.id, family_name=family, given_name=given, family_name_kana=fkana,
            given_name_kana=gkana, home_place_id=home.id, **extra))
        for scope in (ConsentScope.RIDES, ConsentScope.NEEDS, ConsentScope.PROVIDER_ABROAD):
            self._add(ResidentConsent(resident_id=resident.id, scope=scope,
                                      given_on=self.today - timedelta(days=30 + 7 * n),
                                      method=ConsentMethod.PAPER))
        self._add(ResidentPhone(resident_id=resident.id, e164=_phone(n, phone_kind, settlement),
                                kind=PhoneKind(phone_kind), is_primary=True))
        return resident

    def _rider(self, n: int, row: tuple) -> Resident:
        family, given, fkana, gkana, settlement, phone_kind, needs, channel, lang = row
        return self._resident(
            n, family, given, fkana, gkana, settlement, phone_kind,
            wheelchair="w" in needs, walker="k" in needs, boarding_help="b" in needs,
            contact_channel=ContactChannel(channel), language=lang,
            driver_notes="玄関まで迎えをお願いします" if "b" in needs else "",
            staff_notes="耳が遠いので、ゆっくり話す" if n % 9 == 3 else "")

    def _driver(self, n: int, row: tuple) -> _DemoDriver:
        family, given, fkana, gkana, settlement, colour, model, seats, wheelchair, kmpl = row
        resident = self._resident(100 + n, family, given, fkana, gkana, settlement, "mobile",
                                  contact_channel=ContactChannel.SMS)
        driver = self._add(Driver(resident_id=resident.id,
                                  licence_expiry=self.today + timedelta(days=200 + 90 * n),
                                  insurance_expiry=self.today + timedelta(days=20 + 60 * n)))
        vehicle = self._add(Vehicle(
            driver_id=driver.id, seats=seats, wheelchair_spaces=wheelchair,
            fuel_economy_km_per_l=kmpl, colour=colour, make_model=model,
            plate=f"旭川 500 あ {11 + n:02d}-{23 + 7 * n:02d}"))
        return _DemoDriver(driver.id, vehicle.id, resident.home_place_id)

    def _weekly_offer(self, drivers, index, weekday, depart, back, dest, seats, detour, auto,  # type: ignore[no-untyped-def]
                      note) -> Offer:
        trip = own_trip(index, weekday, depart, back, seats, detour)
        return self._offer(drivers[index], dest, trip, depart, back, seats, auto, note,
                           weekday=weekday, valid_from=self.today,
                           valid_until=self.today + timedelta(days=90))

    def _one_off_offers(self, drivers: list[_DemoDriver]) -> list[Offer]:
        return [
            self._offer(drivers[5], "teshio_hospital",
                        own_trip(5, None, "13:00", "16:00", 3, 15), "13:00", "16:00", 3, True,
                        "午後なら町内どこでも", service_date=self.today + timedelta(days=2)),
            self._offer(drivers[6], "wakkanai_mall",
                        own_trip(6, None, "13:00", "17:00", 5, 20), "13:00", "17:00", 5, False,
                        "稚内市内で用事あり", service_date=self.today + timedelta(days=5)),
        ]

    def _offer(self, driver, dest, trip, depart, back, seats, auto, note, **when) -> Offer:  # type: ignore[no-untyped-def]
        depart_after, return_by = time.fromisoformat(depart), time.fromisoformat(back)
        arrive_by, leave_after, extra = trip
        car = self.session.get(Vehicle, driver.vehicle_id)
        return self._add(Offer(
            town_id=self.town.id, driver_id=driver.driver_id, vehicle_id=driver.vehicle_id,
            depart_after=depart_after, return_by=return_by,
            start_place_id=driver.home_id, end_place_id=driver.home_id,
            destination_place_id=self.places[dest].id, arrive_by=arrive_by,
            leave_after=leave_after, seats=seats, wheelchair_spaces=car.wheelchair_spaces,
            extra_minutes=extra, auto_accept=auto, note=note, **when))

    def _request(self, riders, index, day, dest, kind, clock, back, party):  # type: ignore[no-untyped-def]
        rider = riders[index]
        start, end = _window(day, kind, clock, self.tz)
        if end <= self.now:
            return []
        outbound = self._ride(rider, rider.home_place_id, self.places[dest].id, kind, start, end,
                              party, return_open=back == "open", index=index)
        if back in ("", "open"):
            return [outbound]
        r_start, r_end = _window(day, "pickup_after", back, self.tz)
        inbound = self._ride(rider, self.places[dest].id, rider.home_place_id, "pickup_after",
                             r_start, r_end, party, outbound_id=outbound.id, index=index)
        return [outbound, inbound]

    def _ride(self, rider, pickup, dropoff, kind, start, end, party, index, **extra):  # type: ignore[no-untyped-def]
        status = RequestStatus.WAITING if index % 7 == 3 else RequestStatus.REQUESTED
        return self._add(RideRequest(
            town_id=self.town.id, rider_id=rider.id, pickup_place_id=pickup,
            dropoff_place_id=dropoff, window_kind=WindowKind(kind), window_start=start,
            window_end=end, party_size=party, wheelchair=rider.wheelchair, walker=rider.walker,
            boarding_help=rider.boarding_help, status=status, **extra))

    def _staff(self) -> None:
        for username, name, role, password in data.DEMO_LOGINS:
            self._add(StaffUser(town_id=self.town.id, username=username, display_name=name,
                                role=StaffRole(role), password_hash=hash_password(password),
                                session_token=secrets.token_hex(16)))


def own_trip(index: int, weekday: int | None, depart: str, back: str, seats: int,
             detour: int) -> tuple[time, time, int]:
    """Return (there by, leaving after, extra minutes) of a demo offer: as its driver gave them
    in :data:`demo_data.OWN_TRIPS`, else as migration 0012 set them from the window."""
    if (index, weekday) in data.OWN_TRIPS:
        arrive, leave, extra = data.OWN_TRIPS[index, weekday]
        return time.fromisoformat(arrive), time.fromisoformat(leave), extra
    arrive_by, leave_after = default_stay(time.fromisoformat(depart), time.fromisoformat(back))
    return arrive_by, leave_after, whole_trip_minutes(detour, seats)


def next_weekday(today: date, weekday: int) -> date:
    """Return the first day after ``today`` that falls on ``weekday`` (0 = Monday)."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _window(day: date, kind: str, clock: str, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return window(day, WindowKind(kind), time.fromisoformat(clock), tz)


def _phone(n: int, kind: str, settlement: str) -> str:
    """Return a fictional, well-formed Japanese number in E.164 form."""
    national = (f"{data.SETTLEMENTS[settlement][2]}-{1000 + 37 * n:04d}" if kind == "landline"
                else f"090-{2000 + 13 * n:04d}-{4000 + 29 * n:04d}")
    number = phonenumbers.parse(national, "JP")
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"demo phone {national} is not a valid Japanese number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
