"""Small builders for notification tests: promised rides on plan versions, outbox rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from carshare.models import (
    Driver,
    Notification,
    Offer,
    Place,
    PlaceKind,
    Plan,
    PlanStatus,
    RequestStatus,
    Resident,
    RideRequest,
    Route,
    Stop,
    StopKind,
    WindowKind,
)
from carshare.timeutil import TOKYO


@dataclass
class Town:
    """Handles on the demo town's rows."""

    session: Session
    town_id: int
    hospital_id: int

    def resident(self, family: str) -> Resident:
        """Return the demo resident with this family name."""
        return self.session.exec(select(Resident).where(Resident.family_name == family)).one()

    def offer_of(self, family: str) -> Offer:
        """Return the first offer of the driver with this family name."""
        driver = self.session.exec(select(Driver).where(
            Driver.resident_id == self.resident(family).id)).one()
        return self.session.exec(select(Offer).where(Offer.driver_id == driver.id)).first()


def load_town(session: Session) -> Town:
    """Return handles on a freshly seeded demo town."""
    hospital = session.exec(select(Place).where(Place.kind == PlaceKind.HOSPITAL)).first()
    return Town(session, hospital.town_id, hospital.id)


def promised_ride(town: Town, rider: str, pickup: datetime, driver: str = "村上",
                  version: int = 1) -> RideRequest:
    """Create a ride of ``rider`` promised for ``pickup`` (30-minute window) on plan
    ``version``, carried by ``driver``'s offer; committed."""
    session, person = town.session, town.resident(rider)
    request = RideRequest(
        town_id=town.town_id, rider_id=person.id, pickup_place_id=person.home_place_id,
        dropoff_place_id=town.hospital_id, window_kind=WindowKind.PICKUP_AFTER,
        window_start=pickup, window_end=pickup + timedelta(hours=1),
        status=RequestStatus.PLANNED)
    session.add(request)
    session.flush()
    replan(town, request, pickup, driver, version)
    return request


def replan(town: Town, request: RideRequest, pickup: datetime, driver: str = "村上",
           version: int = 2) -> RideRequest:
    """Move the request's promise to ``pickup`` and ``driver`` on a new active plan version."""
    session, offer = town.session, town.offer_of(driver)
    day = pickup.astimezone(TOKYO).date()
    plan = session.exec(select(Plan).where(Plan.service_date == day,
                                           Plan.version == version)).first()
    if plan is None:
        for old in session.exec(select(Plan).where(Plan.status == PlanStatus.ACTIVE,
                                                   Plan.service_date == day)):
            old.status = PlanStatus.SUPERSEDED
            session.add(old)
        plan = Plan(town_id=town.town_id, service_date=day, version=version,
                    status=PlanStatus.ACTIVE)
        session.add(plan)
        session.flush()
    _route(session, plan, offer, request, pickup)
    request.promised_offer_id = offer.id
    request.promised_pickup_start, request.promised_pickup_end = pickup, pickup + timedelta(
        minutes=30)
    session.add(request)
    session.commit()
    return request


def _route(session: Session, plan: Plan, offer: Offer, request: RideRequest,
           pickup: datetime) -> None:
    arrive = pickup + timedelta(minutes=40)
    route = session.exec(select(Route).where(Route.plan_id == plan.id,
                                             Route.offer_id == offer.id)).first()
    sequence = 0
    if route is not None:
        sequence = len(list(session.exec(select(Stop).where(Stop.route_id == route.id))))
    else:
        route = Route(plan_id=plan.id, offer_id=offer.id, vehicle_id=offer.vehicle_id, seats=3,
                      peak_load=1, starts_at=pickup - timedelta(minutes=10), ends_at=arrive)
        session.add(route)
        session.flush()
    for seq, kind, place, at in ((0, StopKind.PICKUP, request.pickup_place_id, pickup),
                                 (1, StopKind.DROPOFF, request.dropoff_place_id, arrive)):
        session.add(Stop(route_id=route.id, sequence=sequence + seq, kind=kind, place_id=place,
                         request_id=request.id, arrival_at=at, service_start_at=at,
                         departure_at=at))
    session.flush()


def rows(session: Session, **where: object) -> list[Notification]:
    """Return outbox rows matching ``where`` (column=value), oldest first."""
    session.expire_all()
    query = select(Notification).order_by(Notification.id)
    for name, value in where.items():
        query = query.where(getattr(Notification, name) == value)
    return list(session.exec(query))
