"""One-time sign-in codes: sent at any hour, expiring with the code."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from carshare.models import Notification, Resident, utcnow
from carshare.notifications.decide import is_landline
from carshare.services import notify_facts
from carshare.services.consents import may_use_provider
from carshare.services.outbox import Draft, enqueue

CODE_LIFETIME = timedelta(minutes=10)


def enqueue_signin_code(session: Session, resident_id: int, code: str, nonce: str,
                        now: datetime | None = None) -> Notification | None:
    """Write a sign-in code to the resident's mobile (SMS) or else their phone (voice).

    Sent whatever the calling hours and the resident's channel preference (they asked
    for it); expires with the code.

    :param nonce: unique per code request (the key is ``signin:<resident>:<nonce>``).
    :return: the outbox row, or ``None`` when the resident has no phone or did not consent
        to their number going to the provider abroad.
    """
    now = now or utcnow()
    resident = session.get(Resident, resident_id)
    numbers = notify_facts.phones(session, resident_id) if resident else []
    if resident is None or not numbers or not may_use_provider(session, resident_id):
        return None
    mobiles = [n for n, kind in numbers if kind == "mobile" and not is_landline(n)]
    channel, number = ("sms", mobiles[0]) if mobiles else ("voice", numbers[0][0])
    expires = now + CODE_LIFETIME
    return enqueue(session, Draft(
        town_id=resident.town_id, key=f"signin:{resident_id}:{nonce}", template="signin_code",
        channel=channel, recipient=number, due_at=now, language=resident.language,
        payload={"code": code, "start": now.isoformat(), "expires_at": expires.isoformat()},
        resident_id=resident_id))
