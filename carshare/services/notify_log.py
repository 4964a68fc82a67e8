"""Read the outbox for staff: recent messages with the text that was (or would be) sent."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from carshare.models import Notification, NotificationChannel
from carshare.notifications.settings import NotifySettings
from carshare.services.notify_send import build_message


@dataclass(frozen=True)
class LoggedMessage:
    """One outbox row with its rendered text."""

    row: Notification
    text: str


def recent_messages(session: Session, town_id: int, settings: NotifySettings,
                    limit: int = 100) -> list[LoggedMessage]:
    """Return the town's newest SMS and voice messages with their text."""
    query = (select(Notification)
             .where(Notification.town_id == town_id,
                    Notification.channel != NotificationChannel.STAFF)
             .order_by(Notification.due_at.desc(), Notification.id.desc()).limit(limit))
    return [LoggedMessage(row, _text(row, settings)) for row in session.exec(query)]


def _text(row: Notification, settings: NotifySettings) -> str:
    try:
        return build_message(row, settings).text
    except (KeyError, ValueError):  # a payload from an older template version
        return ""
