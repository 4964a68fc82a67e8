"""Small factories for a hand-checkable town (two settlements 5 km apart)."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from sqlmodel import Session

from carshare.models import (
    ConsentMethod,
    ConsentScope,
    ContactChannel,
    Driver,
    Offer,
    PhoneKind,
    Place,
    PlaceKind,
    Resident,
    ResidentConsent,
    ResidentPhone,
    StaffRole,
    StaffUser,
    Town,
    Vehicle,
)
from carshare.services.users import hash_password

FUTURE = date.today() + timedelta(days=7)


def add(session: Session, row: Any) -> Any:
    """Add and flush a row, returning it with its id."""
    session.add(row)
    session.flush()
    return row


def consent_all(session: Session, resident_id: int) -> None:
    """Record every consent scope for a resident (given on paper a month ago)."""
    for scope in ConsentScope:
        add(session, ResidentConsent(resident_id=resident_id, scope=scope,
                                     given_on=date.today() - timedelta(days=30),
                                     method=ConsentMethod.PAPER))


def small_town(session: Session, seats: int = 1, slug: str = "mini") -> dict[str, Any]:
    """A town with a clinic an hour away, two riders, one driver offering ``seats`` on FUTURE."""
    town = add(session, Town(slug=slug, name="小町"))
    place = lambda kind, name, lat, lon: add(session, Place(  # noqa: E731
        town_id=town.id, kind=kind, name=name, lat=lat, lon=lon, settlement="本町"))
    clinic = place(PlaceKind.CLINIC, "本町診療所", 45.25, 141.75)  # about 40 km away
    homes = [place(PlaceKind.HOME, f"宅{n}", 44.88 + n * 0.002, 141.74) for n in range(3)]
    riders = [add(session, Resident(town_id=town.id, family_name=f"利用{n}", given_name="花",
                                    family_name_kana="リヨウ", given_name_kana="ハナ",
                                    home_place_id=homes[n].id,
                                    contact_channel=ContactChannel.VOICE)) for n in range(2)]
    for n, rider in enumerate(riders):
        consent_all(session, rider.id)
        add(session, ResidentPhone(resident_id=rider.id, e164=f"+8116322{1000 + n}",
                                   kind=PhoneKind.LANDLINE, is_primary=True))
    person = add(session, Resident(town_id=town.id, family_name="運転", given_name="太郎",
                                   family_name_kana="ウンテン", given_name_kana="タロウ",
                                   home_place_id=homes[2].id,
                                   contact_channel=ContactChannel.SMS))
    consent_all(session, person.id)
    add(session, ResidentPhone(resident_id=person.id, e164="+819011112222",
                               kind=PhoneKind.MOBILE, is_primary=True))
    driver = add(session, Driver(resident_id=person.id, licence_expiry=FUTURE + timedelta(400),
                                 insurance_expiry=FUTURE + timedelta(400)))
    car = add(session, Vehicle(driver_id=driver.id, seats=seats, fuel_economy_km_per_l=20,
                               colour="白", plate=f"{slug} 1"))
    offer = add(session, Offer(town_id=town.id, driver_id=driver.id, vehicle_id=car.id,
                               service_date=FUTURE, depart_after=time(8), return_by=time(12),
                               start_place_id=homes[2].id, end_place_id=homes[2].id,
                               seats=seats, extra_minutes=240))
    staff = add(session, StaffUser(town_id=town.id, username=f"{slug}-staff",
                                   display_name="職員", password_hash=hash_password("x" * 12),
                                   role=StaffRole.STAFF, session_token="t"))
    session.commit()
    return {"town": town, "clinic": clinic, "homes": homes, "riders": riders, "driver": driver,
            "car": car, "offer": offer, "staff": staff}
