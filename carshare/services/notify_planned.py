"""After a day is planned: confirm each promised ride and send each driver's manifest."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from carshare.models import RideRequest, utcnow
from carshare.notifications.settings import NotifySettings
from carshare.services.notify_changes import notify_plan_change
from carshare.services.notify_driver import enqueue_driver_manifest
from carshare.services.notify_facts import PROMISED
from carshare.timeutil import day_bounds


def send_day_confirmations(session: Session, town_id: int, day: date,
                           settings: NotifySettings) -> int:
    """Write confirmations (or change notices) for every promised ride of ``day`` and the
    drivers' manifests; idempotent, so a re-run writes nothing new. Return the ride count."""
    start, end = day_bounds(day, settings.tz)
    query = select(RideRequest).where(
        RideRequest.town_id == town_id, RideRequest.status.in_(PROMISED),
        RideRequest.promised_pickup_start >= start, RideRequest.promised_pickup_start < end)
    rides = list(session.exec(query))
    now = utcnow()
    for ride in rides:
        notify_plan_change(session, ride.id, now, settings)  # type: ignore[arg-type]
    for offer_id in sorted({r.promised_offer_id for r in rides if r.promised_offer_id}):
        enqueue_driver_manifest(session, offer_id, day, now, settings)
    return len(rides)
