"""What riders (and, with consent, their caregivers) are told: confirmations, reminders,
change and cancellation notices. Each function only writes to the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from carshare.models import ConsentScope, Notification, utcnow
from carshare.notifications.decide import is_landline, route, send_time
from carshare.notifications.settings import NotifySettings
from carshare.services import notify_facts
from carshare.services.consents import effective_channel, has_consent
from carshare.services.notify_facts import RideFacts
from carshare.services.outbox import Draft, enqueue

RIDE_TEMPLATES = ("confirmation", "reminder_evening", "reminder_soon", "change")


def ride_drafts(session: Session, facts: RideFacts, key: str, template: str, due: datetime,
            settings: NotifySettings, extra: dict | None = None) -> list[Draft]:
    """Return the drafts of one message: to the rider and, if consented, the caregiver."""
    rider, payload = facts.rider, {**facts.payload, **(extra or {})}
    payload.setdefault("expires_at", facts.start.isoformat())
    when = send_time(due, template, settings.hours, settings.tz, facts.start)
    channel = effective_channel(session, rider)  # staff call without consent to go abroad
    target = route(channel.value, notify_facts.phones(session, rider.id))
    if when is None or target is None:
        return []
    base = dict(town_id=rider.town_id, template=template, due_at=when, language=rider.language,
                resident_id=rider.id, ride_request_id=facts.request.id)
    drafts = [Draft(key=key, channel=target[0], recipient=target[1], payload=payload, **base)]
    if rider.caregiver_phone and has_consent(session, rider.id, ConsentScope.CAREGIVER):
        channel = "voice" if is_landline(rider.caregiver_phone) else "sms"
        drafts.append(Draft(key=f"{key}:caregiver", channel=channel,
                            recipient=rider.caregiver_phone,
                            payload={**payload, "caregiver": True}, **base))
    return drafts


def write_all(session: Session, drafts: list[Draft]) -> list[Notification]:
    """Write every draft to the outbox; return the rows."""
    return [enqueue(session, draft) for draft in drafts]


def enqueue_confirmation(session: Session, request_id: int, now: datetime | None = None,
                         settings: NotifySettings | None = None) -> list[Notification]:
    """Write the confirmation of a promised ride and its two reminders (caller commits).

    Idempotent: keys carry the plan version (``confirmation:<request>:v<version>``).

    :param request_id: a request with a promise (``promised_pickup_start`` set).
    :return: the outbox rows (empty when the ride has no promise or the rider opted out).
    """
    settings, now = settings or NotifySettings.from_app(), now or utcnow()
    facts = notify_facts.ride_facts(session, request_id)
    if facts is None:
        return []
    key = f"confirmation:{request_id}:v{facts.plan_version}"
    rows = write_all(session, ride_drafts(session, facts, key, "confirmation", now, settings))
    return rows + enqueue_reminders(session, facts, now, settings)


def enqueue_reminders(session: Session, facts: RideFacts, now: datetime,
                      settings: NotifySettings) -> list[Notification]:
    """Write the evening-before and shortly-before reminders of the current plan version."""
    local_start = facts.start.astimezone(settings.tz)
    evening = datetime.combine(local_start.date() - timedelta(days=1), settings.evening_at,
                               tzinfo=settings.tz)
    soon = facts.start - settings.before
    drafts: list[Draft] = []
    for kind, due in (("reminder_evening", evening), ("reminder_soon", soon)):
        if due > now:  # a reminder whose time has passed would only repeat the confirmation
            key = f"reminder:{facts.request.id}:{kind}:v{facts.plan_version}"
            drafts += ride_drafts(session, facts, key, kind, due, settings)
    return write_all(session, drafts)
