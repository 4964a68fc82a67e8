"""The twilio adapters through the real twilio SDK against Twilio's own API contract (Prism)."""

from __future__ import annotations

import dataclasses
import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import time_machine
from flask import Flask

from carshare.db import get_engine
from carshare.notifications import ChannelRouter, make_notifier
from carshare.notifications.settings import NotifySettings
from carshare.notifications.twilio_client import make_client
from carshare.notifications.twilio_sms import TwilioSmsNotifier
from carshare.notifications.twilio_voice import TwilioVoiceNotifier
from carshare.services.notify_dispatch import dispatch_due
from carshare.services.notify_rider import enqueue_confirmation
from carshare.services.notify_send import build_message
from carshare.timeutil import TOKYO
from tests.notifications.factories import Town, promised_ride, rows
from tests.notifications.twilio_http import RecordingClient

PUBLIC = "https://carshare.example.jp"
SMS_FROM, VOICE_FROM = "+815031234567", "+815031234568"
PICKUP = datetime(2026, 12, 8, 9, 30, tzinfo=TOKYO)


def twilio_config(base: str) -> dict[str, str]:
    return {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "token",
            "TWILIO_API_BASE": base, "TWILIO_SMS_FROM": SMS_FROM, "TWILIO_VOICE_FROM": VOICE_FROM}


def router(base: str, http: RecordingClient) -> ChannelRouter:
    client = make_client(twilio_config(base), http)
    return ChannelRouter(TwilioSmsNotifier(client, SMS_FROM), TwilioVoiceNotifier(client,
                                                                                  VOICE_FROM))


@pytest.fixture
def public(settings: NotifySettings) -> NotifySettings:
    return dataclasses.replace(settings, public_url=PUBLIC)


@pytest.fixture
def http() -> RecordingClient:
    return RecordingClient()


def confirm(town: Town, rider: str, settings: NotifySettings) -> int:
    """Write a confirmation for ``rider``; return its outbox id."""
    ride = promised_ride(town, rider, PICKUP)
    row = enqueue_confirmation(town.session, ride.id, settings=settings)[0]
    town.session.commit()
    return row.id


def test_sms_and_voice_pass_twilio_contract(town: Town, prism_url: str, http: RecordingClient,
                                            public: NotifySettings) -> None:
    sms_id, voice_id = confirm(town, "高橋", public), confirm(town, "佐藤", public)
    assert dispatch_due(get_engine(), router(prism_url, http), public) == {"sent": 2}
    sms, voice = rows(town.session, id=sms_id)[0], rows(town.session, id=voice_id)[0]
    assert sms.state == "sent" and sms.provider_id.startswith("SM")
    assert voice.state == "sent" and voice.provider_id.startswith("CA")
    by_to = {req["data"]["To"]: req for req in http.sent}
    sms_req = by_to[sms.recipient]
    assert sms_req["url"].endswith("/Messages.json")
    assert sms_req["data"]["Body"] == build_message(sms, public).text
    assert sms_req["data"]["From"] == SMS_FROM
    assert sms_req["data"]["StatusCallback"] == f"{PUBLIC}/hooks/twilio/status/{sms_id}"
    twiml = by_to[voice.recipient]["data"]["Twiml"]
    gather = (f'<Gather action="{PUBLIC}/hooks/twilio/voice/{voice_id}/gather" method="POST" '
              'numDigits="1" timeout="8"><Say language="ja-JP">')
    assert twiml.count(gather) == 2  # said once and repeated once


def test_throttling_and_provider_errors_are_retried_with_backoff(
        town: Town, prism_url: str, http: RecordingClient, settings: NotifySettings,
        clock: time_machine.Coordinates) -> None:
    row_id = confirm(town, "高橋", settings)
    notifier = router(prism_url, http)
    http.prefer = ["code=429"]
    assert dispatch_due(get_engine(), notifier, settings) == {"retry": 1}
    row = rows(town.session, id=row_id)[0]
    assert (row.state, row.attempts, row.provider_id) == ("pending", 1, None)
    assert "20429" in row.last_error
    assert dispatch_due(get_engine(), notifier, settings) == {}  # backing off
    clock.shift(timedelta(seconds=30))
    http.prefer = ["code=500"]
    assert dispatch_due(get_engine(), notifier, settings) == {"retry": 1}
    clock.shift(timedelta(seconds=59))
    assert dispatch_due(get_engine(), notifier, settings) == {}
    clock.shift(timedelta(seconds=1))
    assert dispatch_due(get_engine(), notifier, settings) == {"sent": 1}
    row = rows(town.session, id=row_id)[0]
    assert (row.state, row.attempts) == ("sent", 3) and len(http.sent) == 3


def test_retries_stop_after_the_limit_and_alert_staff(
        town: Town, prism_url: str, http: RecordingClient, settings: NotifySettings,
        clock: time_machine.Coordinates) -> None:
    row_id = confirm(town, "高橋", settings)
    http.prefer = ["code=429"] * settings.max_attempts
    for _ in range(settings.max_attempts):
        dispatch_due(get_engine(), router(prism_url, http), settings)
        clock.shift(timedelta(minutes=30))
    row = rows(town.session, id=row_id)[0]
    assert (row.state, row.attempts) == ("failed", settings.max_attempts)
    alerts = rows(town.session, idempotency_key=f"alert:failed:{row_id}")
    assert alerts and alerts[0].state == "needs_attention"
    assert len(http.sent) == settings.max_attempts


def test_a_bad_number_is_not_retried(town: Town, prism_url: str, http: RecordingClient,
                                     settings: NotifySettings) -> None:
    row_id = confirm(town, "高橋", settings)
    http.prefer = ["code=400"]
    assert dispatch_due(get_engine(), router(prism_url, http), settings) == {"failed": 1}
    assert dispatch_due(get_engine(), router(prism_url, http), settings) == {}
    assert "21211" in rows(town.session, id=row_id)[0].last_error
    assert rows(town.session, idempotency_key=f"alert:failed:{row_id}")
    assert len(http.sent) == 1


def test_a_landline_found_by_twilio_21614_gets_a_voice_call(
        town: Town, prism_url: str, http: RecordingClient, settings: NotifySettings) -> None:
    row_id = confirm(town, "高橋", settings)
    sms = rows(town.session, id=row_id)[0]
    http.prefer = ["code=400, example=not_mobile"]
    assert dispatch_due(get_engine(), router(prism_url, http), settings) == {"failed": 1,
                                                                            "sent": 1}
    call = rows(town.session, idempotency_key=f"{sms.idempotency_key}:voice")[0]
    assert (call.channel, call.state, call.recipient) == ("voice", "sent", sms.recipient)
    assert call.provider_id.startswith("CA") and http.sent[1]["url"].endswith("/Calls.json")


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that accepts the request and never answers (a timeout after sending)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(server.accept()[0]), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    for conn in accepted:
        conn.close()
    server.close()


def test_a_timeout_after_sending_goes_to_staff_never_resent(
        town: Town, silent_server: str, settings: NotifySettings,
        clock: time_machine.Coordinates) -> None:
    row_id = confirm(town, "高橋", settings)
    http = RecordingClient(timeout=0.5)
    assert dispatch_due(get_engine(), router(silent_server, http), settings) == {"uncertain": 1}
    clock.shift(timedelta(hours=1))
    assert dispatch_due(get_engine(), router(silent_server, http), settings) == {}
    row = rows(town.session, id=row_id)[0]
    assert row.state == "needs_attention" and "delivery unknown" in row.last_error
    assert len(http.sent) == 1


def test_no_connection_means_never_sent_so_it_is_retried(
        town: Town, settings: NotifySettings) -> None:
    from carshare.notifications.prism import free_port

    row_id = confirm(town, "高橋", settings)
    closed = f"http://127.0.0.1:{free_port()}"
    assert dispatch_due(get_engine(), router(closed, RecordingClient()), settings) == {
        "retry": 1}
    assert "cannot reach twilio" in rows(town.session, id=row_id)[0].last_error


def test_the_configured_channel_reaches_the_mock(town: Town, prism_url: str, app: Flask,
                                                 settings: NotifySettings) -> None:
    config = {**app.config, **twilio_config(prism_url), "NOTIFY_CHANNEL": "twilio"}
    row_id = confirm(town, "高橋", settings)
    assert dispatch_due(get_engine(), make_notifier(config), settings) == {"sent": 1}
    assert rows(town.session, id=row_id)[0].provider_id.startswith("SM")
    with pytest.raises(ValueError, match="CARSHARE_TWILIO_ACCOUNT_SID"):
        make_notifier({**config, "TWILIO_AUTH_TOKEN": ""})
