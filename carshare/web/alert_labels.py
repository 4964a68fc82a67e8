"""What a staff alert on the call list asks staff to do, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from carshare.models import Notification

ALERTS = {
    "unmet": _l("No driver for this ride. Call the rider."),
    "driver": _l("The driver can no longer take this ride and no other car can. "
                 "Call the rider."),
    "replan": _l("The rider cancelled on the telephone keypad. Re-plan the day."),
    "ask_driver": _l("A rider waits for this driver's answer, and the driver gets no "
                     "automatic messages. Phone the driver."),
    "expired": _l("A message expired before it was sent. Call them."),
    "failed": _l("A message could not be sent. Call them."),
    "undelivered": _l("A message did not reach them. Call them."),
    "optout": _l("They asked for no more automatic calls. Phone them instead."),
    "driver_answer": _l("A driver answered on the telephone, but it could not be recorded. "
                        "Call the driver."),
    "document": _l("A driver's licence or insurance expires soon."),
}
UNSURE = _l("It is not known whether a message reached them. Check and call them.")


def alert_label(row: Notification) -> str:
    """Return what staff should do about a call-list row (a staff alert or an unsure send)."""
    key = row.idempotency_key
    if row.template == "staff_alert" and key.startswith("alert:"):
        return str(ALERTS.get(key.split(":")[1], UNSURE))
    return str(UNSURE)


CHANNELS = {"sms": _l("SMS"), "voice": _l("voice call"), "staff": _l("office")}
STATES = {
    "pending": _l("waiting to be sent"), "sending": _l("being sent"), "sent": _l("sent"),
    "delivered": _l("delivered"), "failed": _l("not delivered"),
    "expired": _l("expired unsent"), "cancelled": _l("not needed any more"),
    "needs_attention": _l("needs a call"),
}


def channel_label(value: str) -> str:
    """Return how a message goes, in the reader's language."""
    return str(CHANNELS.get(str(value), value))


def state_label(value: str) -> str:
    """Return where a message stands, in the reader's language."""
    return str(STATES.get(str(value), value))
