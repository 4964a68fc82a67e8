"""What drivers are told: the evening manifest summary, changes, and ride requests."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session

from carshare.models import Notification, Offer, Resident, RideRequest, utcnow
from carshare.notifications.decide import route, send_time
from carshare.notifications.settings import NotifySettings
from carshare.services import notify_facts
from carshare.services.outbox import Draft, enqueue


def _to_driver(session: Session, driver: Resident | None, key: str, template: str,
               due: datetime, payload: dict, settings: NotifySettings,
               request_id: int | None = None) -> Notification | None:
    if driver is None:
        return None
    target = route(driver.contact_channel.value, notify_facts.phones(session, driver.id))
    when = send_time(due, template, settings.hours, settings.tz)
    if target is None or when is None:
        return None
    return enqueue(session, Draft(
        town_id=driver.town_id, key=key, template=template, channel=target[0],
        recipient=target[1], due_at=when, language=driver.language, payload=payload,
        resident_id=driver.id, ride_request_id=request_id))


def _day_payload(session: Session, offer_id: int, day: date, settings: NotifySettings) -> dict:
    rides = notify_facts.offer_day_rides(session, offer_id, day, settings.tz)
    return notify_facts.manifest_payload(session, rides, day)


def enqueue_driver_manifest(session: Session, offer_id: int, day: date,
                            now: datetime | None = None, settings: NotifySettings | None = None
                            ) -> Notification | None:
    """Write the driver's summary of ``day`` for the evening before (caller commits).

    Idempotent per offer and day (``manifest:<offer>:<day>``); ``None`` when the driver has
    no promised riders that day or cannot be messaged.
    """
    settings, now = settings or NotifySettings.from_app(), now or utcnow()
    payload = _day_payload(session, offer_id, day, settings)
    if not payload["riders"]:
        return None
    due = max(now, datetime.combine(day - timedelta(days=1), settings.evening_at,
                                    tzinfo=settings.tz))
    payload["expires_at"] = payload["first_start"]
    driver, _ = notify_facts.driver_of_offer(session, offer_id)
    return _to_driver(session, driver, f"manifest:{offer_id}:{day.isoformat()}",
                      "driver_manifest", due, payload, settings)


def enqueue_driver_change(session: Session, offer_id: int, day: date, reason: str,
                          now: datetime | None = None, settings: NotifySettings | None = None
                          ) -> Notification | None:
    """Tell the driver that their ``day`` changed (``reason`` makes the key unique,
    e.g. ``cancel:<request>``); the text gives the new rider count and first pick-up."""
    settings, now = settings or NotifySettings.from_app(), now or utcnow()
    payload = _day_payload(session, offer_id, day, settings)
    driver, _ = notify_facts.driver_of_offer(session, offer_id)
    return _to_driver(session, driver, f"driver_change:{offer_id}:{day.isoformat()}:{reason}",
                      "driver_change", now, payload, settings)


def enqueue_driver_request(session: Session, request_id: int, offer_id: int,
                           now: datetime | None = None, settings: NotifySettings | None = None,
                           attempt: str = "") -> Notification | None:
    """Ask the driver of ``offer_id`` whether they can take the request (voice: 1 yes, 2 no).

    Idempotent per ride and offer (``driver_request:<request>:<offer>``); ``attempt`` makes
    the key of a repeated question unique (the driver is asked again after declining).
    """
    settings, now = settings or NotifySettings.from_app(), now or utcnow()
    request, offer = session.get(RideRequest, request_id), session.get(Offer, offer_id)
    if request is None or offer is None:
        return None
    payload = {"start": request.window_start.isoformat(), "end": request.window_end.isoformat(),
               "offer_id": offer_id, "expires_at": request.window_end.isoformat(),
               **_whom(session, request, settings)}
    driver, _ = notify_facts.driver_of_offer(session, offer_id)
    key = f"driver_request:{request_id}:{offer_id}" + (f":{attempt}" if attempt else "")
    return _to_driver(session, driver, key, "driver_request", now, payload, settings, request_id)


def _whom(session: Session, request: RideRequest, settings: NotifySettings) -> dict:
    """What the driver is told of the ride (:func:`notify_facts.question_facts`) and the
    link that opens the question's card."""
    link = f"{settings.public_url}/driver/day" if settings.public_url else ""
    return {**notify_facts.question_facts(session, request), "link": link}
