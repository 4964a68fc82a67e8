"""A driver's secret calendar feed: each trip an event with a stable id, cancelled ones marked."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlmodel import Session, select

from carshare.models import Driver, Offer, OfferStatus, Plan, PlanStatus, Route, Stop, StopKind

PAST_DAYS, AHEAD_DAYS = 7, 90


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reset_token(session: Session, driver: Driver) -> str:
    """Give the driver a new secret (the old URL stops working); store its hash only; commit."""
    token = secrets.token_urlsafe(32)
    driver.calendar_token_hash = _hash(token)
    session.add(driver)
    session.commit()
    return token


def driver_for_token(session: Session, token: str) -> Driver | None:
    """Return the active driver whose secret is ``token``, if any."""
    if not token or len(token) > 100:
        return None
    driver = session.exec(select(Driver).where(Driver.calendar_token_hash == _hash(token))).first()
    return driver if driver and driver.active else None


def feed(session: Session, driver: Driver, today: date, title: str = "carshare",
         summary: Callable[[int], str] = lambda n: f"carshare: {n} riders") -> bytes:
    """Return the iCalendar text of the driver's trips from a week ago to three months ahead.

    A trip (offer and day) that was once planned but has no route now, or whose offer was
    withdrawn, is published with ``STATUS:CANCELLED`` under the same UID.
    """
    cal = Calendar()
    cal.add("prodid", "-//carshare//driver trips//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", title)
    for (offer_id, day), route in _trips(session, driver, today).items():
        cal.add_component(_event(session, offer_id, day, route, summary))
    return cal.to_ical()


def _trips(session: Session, driver: Driver, today: date) -> dict[tuple[int, date],
                                                                  Route | None]:
    query = (select(Route, Plan, Offer).join(Plan, Route.plan_id == Plan.id)
             .join(Offer, Route.offer_id == Offer.id)
             .where(Offer.driver_id == driver.id,
                    Plan.service_date >= today - timedelta(days=PAST_DAYS),
                    Plan.service_date <= today + timedelta(days=AHEAD_DAYS))
             .order_by(Plan.service_date, Plan.version))
    trips: dict[tuple[int, date], Route | None] = {}
    for route, plan, offer in session.exec(query):
        trips.setdefault((offer.id, plan.service_date), None)
        if plan.status == PlanStatus.ACTIVE and offer.status == OfferStatus.ACTIVE:
            trips[(offer.id, plan.service_date)] = route
    return trips


def _event(session: Session, offer_id: int, day: date, route: Route | None,
           summary: Callable[[int], str]) -> Event:
    event = Event()
    event.add("uid", f"trip-{offer_id}-{day.isoformat()}@carshare")
    event.add("dtstamp", datetime.now().astimezone())
    riders = _riders(session, route) if route else 0
    if route is None or not riders:
        event.add("status", "CANCELLED")
        event.add("dtstart", day)
        event.add("summary", summary(0))
        return event
    event.add("status", "CONFIRMED")
    event.add("dtstart", route.starts_at)
    event.add("dtend", route.ends_at)
    event.add("summary", summary(riders))
    return event


def _riders(session: Session, route: Route) -> int:
    stops = session.exec(select(Stop).where(Stop.route_id == route.id,
                                            Stop.kind == StopKind.PICKUP))
    return len(list(stops))
