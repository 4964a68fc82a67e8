"""Build the twilio SDK client from settings, and map its errors to the Notifier's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import NewConnectionError

from carshare.notifications.base import SendFailed, SendUncertain

TIMEOUT_SECONDS = 10.0


def make_client(config: Mapping[str, Any], http_client: TwilioHttpClient | None = None
                ) -> Client:
    """Return a twilio client; ``TWILIO_API_BASE`` (when set) replaces api.twilio.com.

    :raise ValueError: when the account or token is missing.
    """
    sid, token = config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"]
    if not sid or not token:
        raise ValueError("set CARSHARE_TWILIO_ACCOUNT_SID and CARSHARE_TWILIO_AUTH_TOKEN "
                         "to send through Twilio")
    client = Client(sid, token, http_client=http_client or TwilioHttpClient(
        timeout=TIMEOUT_SECONDS))
    if config["TWILIO_API_BASE"]:
        client.region = client.edge = None  # TWILIO_REGION/EDGE would rewrite the host
        client.api.base_url = config["TWILIO_API_BASE"].rstrip("/")
    return client


def call_twilio[T](create: Callable[[], T]) -> T:
    """Run one create call, turning its failures into ``SendFailed`` or ``SendUncertain``."""
    try:
        return create()
    except TwilioRestException as error:
        retryable = error.status == 429 or error.status >= 500
        raise SendFailed(f"twilio {error.status} {error.code}: {error.msg}"[:400], retryable,
                         error.code) from error
    except requests.RequestException as error:
        if never_sent(error):
            raise SendFailed(f"cannot reach twilio: {type(error).__name__}", True) from error
        raise SendUncertain(f"no answer from twilio: {type(error).__name__}") from error


def never_sent(error: requests.RequestException) -> bool:
    """Return whether ``error`` happened before the request left (no connection made)."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = error.args[0] if error.args else None
    inner = getattr(reason, "reason", reason)
    return isinstance(inner, NewConnectionError)
