"""The twilio SMS channel: the Messages API with a status callback."""

from __future__ import annotations

from twilio.rest import Client

from carshare.notifications.base import OutgoingMessage
from carshare.notifications.twilio_client import call_twilio


class TwilioSmsNotifier:
    """Send SMS through Twilio's Messages API."""

    def __init__(self, client: Client, sender: str) -> None:
        """:param sender: the SMS sender number (E.164) or alphanumeric id."""
        self.client, self.sender = client, sender

    def send(self, message: OutgoingMessage) -> str:
        """Create the message and return its sid (``SM...``)."""
        extra = {"status_callback": message.status_url} if message.status_url else {}
        created = call_twilio(lambda: self.client.messages.create(
            to=message.to, from_=self.sender, body=message.text, **extra))
        return created.sid
