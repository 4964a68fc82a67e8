"""Ride requests of the demo's past days: riders who live where a driver starts, mostly."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.domain import types as d
from carshare.models import Offer, Place, RequestStatus, Resident, RideRequest, Vehicle, WindowKind
from carshare.services import demo_data as data
from carshare.services.booking import window
from carshare.services.travel import MEASURING, travel_for

STRANGER_RATE = 0.1  # an offer also gets a request from another settlement
ONE_WAY_RATE = 0.25  # a rider finds their own way home


class PastRequests:
    """Writes each past day's requests for the day's offers, from one seeded random source."""

    def __init__(self, session: Session, town_id: int, drivers: set[int], tz: ZoneInfo,
                 rng: random.Random) -> None:
        """:param drivers: resident ids of the drivers (they do not ask for rides here)."""
        self.session, self.town_id, self.tz, self.rng = session, town_id, tz, rng
        self.travel = travel_for(session, town_id, MEASURING)
        self.riders = [r for r in session.exec(select(Resident).where(
            Resident.town_id == town_id).order_by(Resident.id)) if r.id not in drivers]
        self.places = {p.id: p for p in session.exec(select(Place).where(
            Place.town_id == town_id))}
        names = {row[2]: row[0] for row in data.FACILITIES}
        self.facility = {names[p.name]: p for p in self.places.values() if p.name in names}

    def day(self, day: date, offers: list[Offer]) -> list[list[RideRequest]]:
        """Return the day's rides, grouped per rider (outbound, then return if any)."""
        groups, taken = [], set()
        for offer in offers:
            for rider in self._riders_for(offer, taken):
                taken.add(rider.id)
                groups.append(self._rides(day, offer, rider))
        if day.weekday() == 6 and offers:  # every Sunday someone far away asks in vain
            far = self._settled("声問")[0]
            groups.append(self._rides(day, offers[0], far, home_only=True))
        self.session.commit()
        return groups

    def _riders_for(self, offer: Offer, taken: set[int]) -> list[Resident]:
        """Pick riders who live where the driver starts; now and then one from elsewhere."""
        home = self.places[offer.start_place_id].settlement
        seats = self.session.get(Vehicle, offer.vehicle_id).wheelchair_spaces
        near = [r for r in self._settled(home) if (seats or not r.wheelchair)
                and r.id not in taken]
        chosen = self.rng.sample(near, min(len(near), self.rng.choice((1, 1, 2, 2, 3))))
        if self.rng.random() < STRANGER_RATE:
            chosen.append(self.rng.choice([r for r in self.riders if r not in near
                                           and r.id not in taken and not r.wheelchair]))
        return chosen

    def _settled(self, settlement: str) -> list[Resident]:
        return [r for r in self.riders if self.places[r.home_place_id].settlement == settlement]

    def _rides(self, day: date, offer: Offer, rider: Resident,
               home_only: bool = False) -> list[RideRequest]:
        home, dest = rider.home_place_id, offer.destination_place_id
        if home_only:
            dest = self.facility["teshio_hospital"].id
        minutes = self._minutes(home, dest, day)
        leave = _at(day, offer.depart_after, self.tz) + timedelta(minutes=self.rng.choice(
            (10, 20, 30)))
        shop = self.places[dest].kind.value == "shop"
        kind = WindowKind.PICKUP_AFTER if shop else WindowKind.ARRIVE_BY
        there = leave if shop else leave + timedelta(minutes=minutes + 15)
        if offer.arrive_by is not None and not shop:  # there when the driver is
            there = min(there, _at(day, offer.arrive_by, self.tz))
        clock = _quarter(there)
        out = self._add(rider, home, dest, kind, day, clock)
        back_at = _quarter(_at(day, offer.return_by, self.tz)
                           - timedelta(minutes=minutes + self.rng.choice((30, 45, 60))))
        if offer.leave_after is not None:  # and go home with the driver
            back_at = _quarter(_at(day, offer.leave_after, self.tz)
                               + timedelta(minutes=self.rng.choice((0, 0, 15))))
        if home_only or back_at <= clock or self.rng.random() < ONE_WAY_RATE:
            return [out]
        return [out, self._add(rider, dest, home, WindowKind.PICKUP_AFTER, day, back_at,
                               outbound_id=out.id)]

    def _minutes(self, a: int, b: int, day: date) -> int:
        points = [d.Place(p.id, p.name, p.lat, p.lon) for p in (self.places[a], self.places[b])]
        seconds, _metres = self.travel.matrix(points, points, day)
        return int(seconds[0][1] // 60)

    def _add(self, rider: Resident, pickup: int, dropoff: int, kind: WindowKind, day: date,
             clock: time, **extra) -> RideRequest:  # type: ignore[no-untyped-def]
        start, end = window(day, kind, clock, self.tz)
        row = RideRequest(town_id=self.town_id, rider_id=rider.id, pickup_place_id=pickup,
                          dropoff_place_id=dropoff, window_kind=kind, window_start=start,
                          window_end=end, party_size=1, wheelchair=rider.wheelchair,
                          walker=rider.walker, boarding_help=rider.boarding_help,
                          status=RequestStatus.REQUESTED, **extra)
        self.session.add(row)
        self.session.flush()
        return row


def _at(day: date, clock: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz)


def _quarter(when: datetime) -> time:
    """Round down to a quarter hour, as staff note times on the phone."""
    return time(when.hour, when.minute - when.minute % 15)
