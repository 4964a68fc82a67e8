"""The Notifier protocol: what every channel adapter takes, returns and raises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OutgoingMessage:
    """One rendered message, ready for a provider.

    :param key: the outbox idempotency key (for logs and the console page).
    :param channel: ``sms`` or ``voice``.
    :param to: the recipient in E.164 form.
    :param text: the SMS body, or the words a voice call speaks.
    :param language: ``ja`` or ``en``.
    :param gather_url: voice only: where Twilio posts the keypress (empty: no keypress).
    :param status_url: where the provider posts delivery status (empty: none).
    """

    key: str
    channel: str
    to: str
    text: str
    language: str = "ja"
    gather_url: str = ""
    status_url: str = ""


class SendFailed(Exception):
    """The provider certainly did not accept the message (an error answer, no message id).

    :param retryable: ``True`` for throttling or provider trouble (429, 5xx), ``False`` when
        the same request would fail again (a bad number).
    :param code: the provider's error code, e.g. Twilio 21614 (not a mobile number).
    """

    def __init__(self, message: str, retryable: bool, code: int | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.code = code


class SendUncertain(Exception):
    """The request may have reached the provider (a timeout after sending): never resend blindly."""


class Notifier(Protocol):
    """A channel adapter: hands one message to a provider."""

    def send(self, message: OutgoingMessage) -> str:
        """Send ``message`` and return the provider's id.

        :raise SendFailed: the message was certainly not accepted.
        :raise SendUncertain: it is unknown whether the message was accepted.
        """
        ...


#: Twilio: "To number is not a mobile number" (an SMS to a landline).
NOT_MOBILE = 21614
