"""The console channel: log what would have been sent (development and the staff page)."""

from __future__ import annotations

import logging
import uuid

from carshare.notifications.base import OutgoingMessage

log = logging.getLogger("carshare.notify.console")


class ConsoleNotifier:
    """Write each message to the ``carshare.notify.console`` log instead of sending it."""

    def send(self, message: OutgoingMessage) -> str:
        """Log ``message`` and return a made-up provider id."""
        provider_id = f"console-{uuid.uuid4().hex[:24]}"
        log.info("%s to %s [%s] %s: %s", message.channel, message.to, message.key,
                 provider_id, message.text.replace("\n", " "))
        return provider_id
