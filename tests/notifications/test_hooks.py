"""Twilio webhooks: signed or 403, idempotent, never backwards; keypresses act on rides."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from carshare import create_app
from carshare.db import get_engine
from carshare.models import ContactChannel, Notification, RequestStatus, RideRequest
from carshare.notifications import ConsoleNotifier
from carshare.notifications.settings import NotifySettings
from carshare.services.notify_dispatch import dispatch_due
from carshare.services.notify_rider import enqueue_confirmation
from carshare.timeutil import TOKYO
from tests.notifications.factories import Town, promised_ride, rows

TOKEN, PUBLIC = "hook-secret-token", "https://carshare.example.jp"
CALL_SID = "CA" + "1" * 32
PICKUP = datetime(2026, 12, 8, 9, 30, tzinfo=TOKYO)


@pytest.fixture
def hooked(app: Flask) -> Flask:
    app.config.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_URL=PUBLIC)
    return app


def signed_post(client: FlaskClient, path: str, form: dict[str, str], url: str | None = None,
                token: str = TOKEN, **kwargs):  # type: ignore[no-untyped-def]
    signature = RequestValidator(token).compute_signature(url or PUBLIC + path, form)
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature}, **kwargs)


def sent_call(town: Town, settings: NotifySettings, rider: str = "佐藤") -> Notification:
    """A voice confirmation of a promised ride, sent, with a Twilio call sid."""
    ride = promised_ride(town, rider, PICKUP)
    row = enqueue_confirmation(town.session, ride.id, settings=settings)[0]
    town.session.commit()
    dispatch_due(get_engine(), ConsoleNotifier(), settings)
    row = rows(town.session, id=row.id)[0]
    row.provider_id = CALL_SID
    town.session.add(row)
    town.session.commit()
    return row


def test_forged_or_missing_signature_is_403(hooked: Flask, client: FlaskClient, town: Town,
                                             settings: NotifySettings) -> None:
    row = sent_call(town, settings)
    path, form = f"/hooks/twilio/status/{row.id}", {"CallSid": CALL_SID,
                                                    "CallStatus": "completed"}
    assert signed_post(client, path, form, token="not-our-token").status_code == 403
    assert client.post(path, data=form).status_code == 403
    tampered = signed_post(client, path, {**form, "CallStatus": "busy"},
                           url=PUBLIC + "/hooks/twilio/status/999")
    assert tampered.status_code == 403
    assert rows(town.session, id=row.id)[0].state == "sent"


def test_valid_callbacks_are_idempotent_and_never_move_back(
        hooked: Flask, client: FlaskClient, town: Town, settings: NotifySettings) -> None:
    row = sent_call(town, settings)
    path = f"/hooks/twilio/status/{row.id}"
    done = {"CallSid": CALL_SID, "CallStatus": "completed"}
    assert signed_post(client, path, done).status_code == 204  # no CSRF token needed
    assert signed_post(client, path, done).status_code == 204
    ringing = {"CallSid": CALL_SID, "CallStatus": "ringing"}
    assert signed_post(client, path, ringing).status_code == 204
    assert rows(town.session, id=row.id)[0].state == "delivered"


def test_unknown_callbacks_are_4xx(hooked: Flask, client: FlaskClient, town: Town,
                                   settings: NotifySettings) -> None:
    row = sent_call(town, settings)
    assert signed_post(client, "/hooks/twilio/status/99999",
                       {"CallSid": CALL_SID, "CallStatus": "completed"}).status_code == 404
    assert signed_post(client, f"/hooks/twilio/status/{row.id}",
                       {"CallSid": "CA" + "2" * 32, "CallStatus": "busy"}).status_code == 404
    assert signed_post(client, f"/hooks/twilio/status/{row.id}",
                       {"CallSid": CALL_SID}).status_code == 400
    assert signed_post(client, f"/hooks/twilio/voice/{row.id}/gather",
                       {"Digits": "1"}).status_code == 404


def test_a_timed_out_send_is_settled_by_its_callback(
        hooked: Flask, client: FlaskClient, town: Town, settings: NotifySettings) -> None:
    row = sent_call(town, settings)
    row.state, row.provider_id = "needs_attention", None
    town.session.add(row)
    town.session.commit()
    form = {"MessageSid": "SM" + "3" * 32, "MessageStatus": "delivered"}
    assert signed_post(client, f"/hooks/twilio/status/{row.id}", form).status_code == 204
    row = rows(town.session, id=row.id)[0]
    assert (row.state, row.provider_id) == ("delivered", "SM" + "3" * 32)


def test_undelivered_sms_to_a_landline_becomes_a_call(
        hooked: Flask, client: FlaskClient, town: Town, settings: NotifySettings) -> None:
    row = sent_call(town, settings, rider="高橋")
    form = {"MessageSid": CALL_SID, "MessageStatus": "undelivered", "ErrorCode": "21614"}
    assert signed_post(client, f"/hooks/twilio/status/{row.id}", form).status_code == 204
    assert rows(town.session, id=row.id)[0].state == "failed"
    assert rows(town.session, idempotency_key=f"{row.idempotency_key}:voice")[0].channel == "voice"


def test_keypress_2_cancels_the_ride_and_tells_the_driver(
        hooked: Flask, client: FlaskClient, town: Town, settings: NotifySettings) -> None:
    row = sent_call(town, settings)
    path, form = f"/hooks/twilio/voice/{row.id}/gather", {"CallSid": CALL_SID, "Digits": "2"}
    response = signed_post(client, path, form)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert "ご予約を取り消しました" in response.get_data(as_text=True)
    town.session.expire_all()
    ride = town.session.get(RideRequest, row.ride_request_id)
    assert (ride.status, ride.outcome_code) == (RequestStatus.CANCELLED, "rider_cancelled")
    reminders = [r for r in rows(town.session, ride_request_id=ride.id)
                 if r.template.startswith("reminder")]
    assert reminders and {r.state for r in reminders} == {"cancelled"}
    driver = town.resident("村上")
    [notice] = rows(town.session, template="driver_change")
    assert (notice.resident_id, notice.channel, notice.state) == (driver.id, "sms", "pending")
    assert notice.idempotency_key.endswith(f":cancel:{ride.id}")
    before = len(rows(town.session))
    assert signed_post(client, path, form).status_code == 200  # pressed again: nothing new
    assert len(rows(town.session)) == before


def test_keypress_1_confirms_and_9_opts_out(hooked: Flask, client: FlaskClient, town: Town,
                                            settings: NotifySettings) -> None:
    row = sent_call(town, settings)
    path = f"/hooks/twilio/voice/{row.id}/gather"
    assert "確認しました" in signed_post(client, path, {"CallSid": CALL_SID, "Digits": "1"}
                                    ).get_data(as_text=True)
    town.session.expire_all()
    assert town.session.get(RideRequest, row.ride_request_id).status == RequestStatus.CONFIRMED
    again = signed_post(client, path, {"CallSid": CALL_SID, "Digits": "7"}).get_data(as_text=True)
    assert "<Gather" in again  # an unknown key asks again
    signed_post(client, path, {"CallSid": CALL_SID, "Digits": "9"})
    town.session.expire_all()
    assert town.resident("佐藤").contact_channel == ContactChannel.STAFF_CALL
    assert {r.state for r in rows(town.session, state="pending")} == set()
    assert rows(town.session, idempotency_key=f"alert:optout:{row.resident_id}")


def test_behind_a_proxy_the_forwarded_url_is_validated(migrated_url: str, town: Town,
                                                        settings: NotifySettings) -> None:
    row = sent_call(town, settings)
    path, form = f"/hooks/twilio/status/{row.id}", {"CallSid": CALL_SID,
                                                    "CallStatus": "completed"}
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "rides.example.org"}
    public_url = "https://rides.example.org" + path
    for hops, expected in ((0, 403), (1, 204)):
        proxied = create_app("testing", DATABASE_URL=migrated_url, TWILIO_AUTH_TOKEN=TOKEN,
                             PROXY_FIX_HOPS=hops)
        signature = RequestValidator(TOKEN).compute_signature(public_url, form)
        response = proxied.test_client().post(path, data=form, headers={
            **forwarded, "X-Twilio-Signature": signature})
        assert response.status_code == expected
        proxied.extensions["carshare.engine"].dispose()
