"""Ask drivers of offers that are not auto-accept to accept each rider, by a deadline."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from carshare.models import (
    Assignment,
    AssignmentState,
    Driver,
    Offer,
    OfferStatus,
    RideRequest,
)
from carshare.services.driver_pending import HELD

SHORTEST = timedelta(minutes=15)  # a deadline is never sooner than this after the question
BEFORE_PICKUP = timedelta(hours=1)  # a late question lapses this long before the pick-up
ALWAYS = (time(0), time(23, 59, 59))


@dataclass(frozen=True)
class AskRules:
    """How long a driver has to answer, the latest clock time on the day before, and the
    hours messages may be sent (the question reaches the driver only then)."""

    hours: float
    latest: time
    tz: ZoneInfo
    send_hours: tuple[time, time] = ALWAYS

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> AskRules:
        """Build the rules from ``app.config`` (``DRIVER_ANSWER_*``, ``NOTIFY_HOURS`` and
        ``TIMEZONE``)."""
        from carshare.notifications.decide import parse_hours

        return cls(float(config["DRIVER_ANSWER_HOURS"]),
                   time.fromisoformat(config["DRIVER_ANSWER_LATEST"]), ZoneInfo(config["TIMEZONE"]),
                   parse_hours(config["NOTIFY_HOURS"]))

    @classmethod
    def from_app(cls) -> AskRules:
        """Build the rules of the current Flask app."""
        from flask import current_app

        return cls.from_config(current_app.config)


def deadline(asked: datetime, pickup: datetime, rules: AskRules) -> datetime:
    """Return when the question lapses, counted from when it reaches the driver (the next
    sending hour, not the moment it was asked at night).

    ``hours`` after it is sent, never after the evening before the pick-up; once that evening
    has passed, never later than an hour before the pick-up; at least a quarter of an hour.
    """
    from carshare.notifications.decide import next_open

    sent = next_open(asked, rules.send_hours, rules.tz)
    evening = datetime.combine(pickup.astimezone(rules.tz).date() - timedelta(days=1),
                               rules.latest, tzinfo=rules.tz)
    latest = evening if evening > sent else pickup - BEFORE_PICKUP
    return max(min(sent + timedelta(hours=rules.hours), latest), sent + SHORTEST)


def ask(session: Session, request: RideRequest, now: datetime, rules: AskRules,
        again: bool = False) -> Assignment | None:
    """Ask the driver of the request's promised offer to accept it, and write the question to
    the driver's outbox in the same transaction (the caller commits).

    Nothing happens for an auto-accept or inactive offer, a ride already begun, or a driver
    already asked or who accepted. A driver who declined or let the time pass is asked again
    only with ``again`` (the rider was just put back on that car). Idempotent: one open
    question per ride and offer.
    """
    from carshare.services.notify_driver import enqueue_driver_request

    offer = session.get(Offer, request.promised_offer_id) if request.promised_offer_id else None
    if offer is None or offer.auto_accept or offer.status != OfferStatus.ACTIVE \
            or request.status not in HELD or request.window_start <= now:
        return None
    row = session.exec(select(Assignment).where(Assignment.request_id == request.id,
                                                Assignment.offer_id == offer.id)).first()
    if row is not None and (not again or row.state in (AssignmentState.ASKED,
                                                       AssignmentState.ACCEPTED)):
        return None
    attempt = f"{now.timestamp():.0f}" if row is not None else ""
    row = row or Assignment(request_id=request.id, offer_id=offer.id, deadline=now)
    pickup = request.promised_pickup_start or request.window_start
    row.state, row.asked_at, row.answered_at = AssignmentState.ASKED, now, None
    row.deadline = deadline(now, pickup, rules)
    session.add(row)
    session.flush()
    if enqueue_driver_request(session, request.id, offer.id, now, attempt=attempt) is None:
        _ask_by_phone(session, request, offer, attempt)
    return row


def _ask_by_phone(session: Session, request: RideRequest, offer: Offer, attempt: str) -> None:
    """The driver gets no automated messages: staff phone them (the page shows the question)."""
    from carshare.services.outbox import alert_staff

    driver = session.get(Driver, offer.driver_id)
    alert_staff(session, request.town_id, f"ask_driver:{request.id}:{offer.id}:{attempt}",
                "a rider waits for this driver's answer and the driver gets no automated "
                "messages; phone the driver to accept or decline", request_id=request.id,
                resident_id=driver.resident_id if driver else None)


def ask_all(session: Session, requests: Iterable[RideRequest], now: datetime | None = None,
            rules: AskRules | None = None, again: bool = False) -> list[Assignment]:
    """Ask the drivers of every promised ride in ``requests`` that needs it (caller commits).

    :param again: also ask drivers who declined or let the time pass (see :func:`ask`).
    """
    from carshare.models import utcnow

    now, rules = now or utcnow(), rules or AskRules.from_app()
    return [row for request in requests if (row := ask(session, request, now, rules, again))]


def ask_new(session: Session, now: datetime, rules: AskRules) -> list[Assignment]:
    """Safety net of the periodic job: ask for every rider promised on an active offer that
    is not auto-accept and whose driver was never asked (e.g. the offer stopped being
    auto-accept); commit. Confirming and planning already ask at once."""
    asked = select(Assignment.id).where(Assignment.request_id == RideRequest.id,
                                        Assignment.offer_id == RideRequest.promised_offer_id)
    query = (select(RideRequest).join(Offer, Offer.id == RideRequest.promised_offer_id)
             .where(RideRequest.status.in_(HELD),
                    RideRequest.window_start > now, Offer.status == OfferStatus.ACTIVE,
                    Offer.auto_accept.is_(False), ~asked.exists()))
    made = ask_all(session, list(session.exec(query)), now, rules)
    session.commit()
    return made


def pending(session: Session, driver: Driver, now: datetime) -> list[tuple[Assignment,
                                                                           RideRequest]]:
    """Return the driver's open questions with their rides, soonest deadline first."""
    query = (select(Assignment, RideRequest).join(Offer, Offer.id == Assignment.offer_id)
             .join(RideRequest, RideRequest.id == Assignment.request_id)
             .where(Offer.driver_id == driver.id, Assignment.state == AssignmentState.ASKED,
                    Assignment.deadline > now, RideRequest.status.in_(HELD),
                    RideRequest.promised_offer_id == Assignment.offer_id)
             .order_by(Assignment.deadline))
    return list(session.exec(query))


def documents_valid(driver: Driver, day: date) -> bool:
    """Tell whether the driver's licence and insurance are valid on ``day``."""
    return driver.licence_expiry >= day and driver.insurance_expiry >= day
