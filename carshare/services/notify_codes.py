"""One-time sign-in codes: derived from the sign-in's nonce with the secret key, never stored.

The outbox row of a code holds only the nonce (a reference). The six digits are computed
with the installation's secret key (``SECRET_KEY``) when the message is rendered for the
provider, so neither the database nor the staff's Messages page ever holds them, and the
row can be retried or rerouted to a voice call like any other.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlmodel import Session

from carshare.models import Notification, Resident, utcnow
from carshare.notifications.decide import is_landline
from carshare.services import notify_facts
from carshare.services.consents import may_use_provider
from carshare.services.outbox import Draft, enqueue

CODE_LIFETIME = timedelta(minutes=10)
TEMPLATE = "signin_code"
_PURPOSE = b"carshare sign-in code v1"


def keyed_hash(key: str, *parts: str) -> str:
    """Return an HMAC-SHA256 (hex) of ``parts`` under a key derived from ``key``."""
    derived = hmac.new(key.encode(), _PURPOSE, hashlib.sha256).digest()
    return hmac.new(derived, ":".join(parts).encode(), hashlib.sha256).hexdigest()


def code_for(key: str, nonce: str) -> str:
    """Return the six-digit code of the sign-in named ``nonce``."""
    return f"{int(keyed_hash(key, 'code', nonce), 16) % 1_000_000:06d}"


def code_of(row: Notification, key: str) -> str:
    """Return the code a sign-in message carries (for the sender; never for display)."""
    nonce = str(row.payload.get("nonce") or row.idempotency_key.rsplit(":", 1)[-1])
    return code_for(key, nonce)


def with_code(row: Notification, key: str) -> dict:
    """The row's payload with its code filled in, in memory only, for the provider."""
    if row.template != TEMPLATE:
        return row.payload
    return {**row.payload, "code": code_of(row, key)}


def enqueue_signin_code(session: Session, resident_id: int, nonce: str,
                        now: datetime | None = None, voice_allowed: bool = True
                        ) -> Notification | None:
    """Write a sign-in code to the resident's mobile (SMS) or else their phone (voice).

    Whatever the resident's channel preference (they asked for it); expires with the code.
    The payload names the sign-in (``nonce``); the code itself is never written.

    :param nonce: unique per code request (the key is ``signin:<resident>:<nonce>``).
    :param voice_allowed: whether a call may be made now (calling hours); without it a
        resident who has only landlines gets nothing.
    :return: the outbox row, or ``None`` when nothing may be sent: no phone, no consent to
        the provider abroad, or only a call outside the calling hours.
    """
    now = now or utcnow()
    resident = session.get(Resident, resident_id)
    numbers = notify_facts.phones(session, resident_id) if resident else []
    if resident is None or not numbers or not may_use_provider(session, resident_id):
        return None
    mobiles = [n for n, kind in numbers if kind == "mobile" and not is_landline(n)]
    channel, number = ("sms", mobiles[0]) if mobiles else ("voice", numbers[0][0])
    if channel == "voice" and not voice_allowed:
        return None
    expires = now + CODE_LIFETIME
    return enqueue(session, Draft(
        town_id=resident.town_id, key=f"signin:{resident_id}:{nonce}", template=TEMPLATE,
        channel=channel, recipient=number, due_at=now, language=resident.language,
        payload={"nonce": nonce, "start": now.isoformat(), "expires_at": expires.isoformat()},
        resident_id=resident_id))
