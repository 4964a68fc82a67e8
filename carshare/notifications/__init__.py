"""Notifications: the Notifier protocol, one adapter module per provider, ja/en templates.

Services never call a provider: they write rows to the outbox (``carshare.services.outbox``);
the dispatcher (``carshare.services.notify_dispatch``) renders them and calls ``make_notifier``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from carshare.notifications.base import (
    Notifier,
    OutgoingMessage,
    SendFailed,
    SendUncertain,
)
from carshare.notifications.console import ConsoleNotifier

CHANNELS = ("console", "twilio")

__all__ = ["CHANNELS", "ChannelRouter", "ConsoleNotifier", "Notifier", "OutgoingMessage",
           "SendFailed", "SendUncertain", "make_notifier"]


class ChannelRouter:
    """Send each message through the adapter of its channel (``sms`` or ``voice``)."""

    def __init__(self, sms: Notifier, voice: Notifier) -> None:
        self.adapters = {"sms": sms, "voice": voice}

    def send(self, message: OutgoingMessage) -> str:
        """Send ``message`` through its channel's adapter and return the provider id."""
        return self.adapters[message.channel].send(message)


def make_notifier(config: Mapping[str, Any]) -> Notifier:
    """Return the notifier that ``NOTIFY_CHANNEL`` names.

    :raise ValueError: for an unknown channel or missing Twilio settings.
    """
    channel = config["NOTIFY_CHANNEL"]
    if channel == "console":
        return ConsoleNotifier()
    if channel != "twilio":
        raise ValueError(f"CARSHARE_NOTIFY_CHANNEL={channel!r} is unknown; use console or twilio")
    from carshare.notifications.twilio_client import make_client
    from carshare.notifications.twilio_sms import TwilioSmsNotifier
    from carshare.notifications.twilio_voice import TwilioVoiceNotifier

    client = make_client(config)
    voice_from = config["TWILIO_VOICE_FROM"] or config["TWILIO_SMS_FROM"]
    return ChannelRouter(TwilioSmsNotifier(client, config["TWILIO_SMS_FROM"]),
                         TwilioVoiceNotifier(client, voice_from))
