"""/metrics: hidden without a token, 401 with a wrong one, and after real work the exposition
counts it per endpoint and town, with no person in it. SQLite and PostgreSQL.

The registry is per process (``carshare.metrics``), so each test compares a scrape after the
work with one before it; the outbox gauges come from the database and are exact.
"""

from __future__ import annotations

import hmac
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import time, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import Session, select

from carshare import metrics
from carshare.db import get_engine
from carshare.models import Resident, ResidentPhone, RideRequest, utcnow
from carshare.notifications import ConsoleNotifier, OutgoingMessage, SendFailed
from carshare.notifications.settings import NotifySettings
from carshare.services.notify_dispatch import dispatch_due
from carshare.services.outbox import Draft, enqueue
from carshare.services.planning import plan_day
from carshare.timeutil import TOKYO
from carshare.web import metrics_view
from tests.factories import small_town
from tests.test_change_pages import _book
from tests.test_console_pages import _next, _suzuki

TOKEN = "m" * 40
AUTH = {"Authorization": f"Bearer {TOKEN}"}
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: FlaskClient) -> tuple[str, Samples]:
    """Return the exposition text and its samples keyed by (name, sorted labels)."""
    response = client.get("/metrics", headers=AUTH)
    assert response.status_code == 200, response.status_code
    assert response.content_type.startswith("text/plain")
    text = response.get_data(as_text=True)
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for family in text_string_to_metric_families(text) for s in family.samples}
    return text, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    """One sample's value; 0 when the series does not exist yet."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def delta(before: Samples, after: Samples, name: str, **labels: str) -> float:
    """How much a series grew between two scrapes."""
    return value(after, name, **labels) - value(before, name, **labels)


@pytest.fixture
def metered(app: Flask) -> Flask:
    """The test app with a metrics token configured."""
    app.config["METRICS_TOKEN"] = TOKEN
    return app


def test_metrics_does_not_exist_without_a_token(client: FlaskClient) -> None:
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Bearer {TOKEN}x", f"Basic {TOKEN}",
                                    TOKEN, f"Bearer {TOKEN[:-1]}", "Bearer"])
def test_a_missing_or_wrong_token_is_refused(metered: Flask, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = metered.test_client().get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_data() == b""


def test_the_token_is_compared_in_constant_time(metered: Flask,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Every answer, right or wrong, long or short, comes from one ``hmac.compare_digest``
    of two SHA-256 digests: equal lengths, so neither the token's length nor a prefix leaks."""
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(metrics_view.hmac, "compare_digest", spy)
    client = metered.test_client()
    guesses = ["x", TOKEN[:20], TOKEN + "x" * 500, "Bearer " + TOKEN]
    for guess in guesses:
        assert client.get("/metrics", headers={"Authorization": f"Bearer {guess}"}
                          ).status_code == 401
    assert client.get("/metrics", headers=AUTH).status_code == 200
    assert len(calls) == len(guesses) + 1
    assert all(len(a) == len(b) == 32 for a, b in calls)


def test_a_booking_a_quote_and_a_planning_run_are_counted(
        metered: Flask, staff_client: FlaskClient, session: Session) -> None:
    _text, before = scrape(staff_client)
    request_id, _summary = _book(staff_client, _suzuki(session), "10:00")
    town_id = session.get(RideRequest, request_id).town_id
    result = plan_day(session, town_id, _next(1), TOKYO, time_limit_s=2, deterministic=True)
    assert staff_client.get("/static/back-link.js").status_code == 200
    text, after = scrape(staff_client)

    http = "carshare_http_request_duration_seconds_count"
    assert delta(before, after, http, endpoint="/book/<int:resident_id>", method="POST",
                 status="3xx") == 1
    assert delta(before, after, http, endpoint="/requests/<int:request_id>/options",
                 method="GET", status="2xx") == 1
    assert delta(before, after, http, endpoint="/requests/<int:request_id>/confirm",
                 method="POST", status="3xx") == 1
    assert delta(before, after, "carshare_quote_duration_seconds_count", town="teshio") == 1
    assert delta(before, after, "carshare_planning_duration_seconds_count", town="teshio") == 1
    assert value(after, "carshare_planning_rides_served", town="teshio") == result.served >= 1
    assert value(after, "carshare_planning_rides_waiting", town="teshio") == len(result.unserved)
    assert delta(before, after, "carshare_planning_duration_seconds_sum", town="teshio") > 0
    endpoints = {dict(labels).get("endpoint") for (_name, labels) in after}
    assert "/metrics" not in endpoints and not any("static" in e for e in endpoints if e)
    assert f"/requests/{request_id}" not in text  # URL rules, never concrete paths
    _assert_nobody_in(text, session)


def _assert_nobody_in(text: str, session: Session) -> None:
    """No name (every one in the demo is Japanese) and no phone number, in any form."""
    assert text.isascii()
    for phone in session.exec(select(ResidentPhone.e164)):
        national = "0" + phone[3:]
        assert phone not in text and phone[1:] not in text and national not in text
    assert session.exec(select(Resident)).first() is not None


class _FailsFor:
    """The console channel, except that one number is refused for good."""

    def __init__(self, refused: str) -> None:
        self.refused, self.console = refused, ConsoleNotifier()

    def send(self, message: OutgoingMessage) -> str:
        if message.to == self.refused:
            raise SendFailed("invalid number", retryable=False)
        return self.console.send(message)


def _draft(t: dict[str, Any], n: int, channel: str, recipient: str) -> Draft:
    return Draft(town_id=t["town"].id, key=f"metrics:{n}", template="staff_call_notice",
                 channel=channel, recipient=recipient, due_at=utcnow() - timedelta(minutes=10),
                 payload={}, resident_id=None)


def test_messages_and_the_outbox_are_counted_per_town_and_channel(
        metered: Flask, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    t = small_town(session, slug="metered")
    phones = session.exec(select(ResidentPhone.e164).order_by(ResidentPhone.id)).all()
    for n, (channel, phone) in enumerate([("voice", phones[0]), ("voice", phones[1]),
                                          ("sms", phones[2])]):
        enqueue(session, _draft(t, n, channel, phone))
    session.commit()
    client = metered.test_client()
    _text, before = scrape(client)
    assert value(before, "carshare_outbox_pending", town="metered") == 3
    assert 600 <= value(before, "carshare_outbox_oldest_age_seconds", town="metered") < 3600

    monkeypatch.setattr("carshare.services.notify_send.build_message", _plain_message)
    settings = replace(NotifySettings.from_config(metered.config), hours=(time(0), time.max))
    outcomes = dispatch_due(get_engine(), _FailsFor(phones[1]), settings, workers=2)
    assert outcomes == {"sent": 2, "failed": 1}
    text, after = scrape(client)

    town = {"town": "metered"}
    assert delta(before, after, "carshare_messages_sent_total", **town, channel="voice") == 1
    assert delta(before, after, "carshare_messages_sent_total", **town, channel="sms") == 1
    assert delta(before, after, "carshare_messages_failed_total", **town, channel="voice") == 1
    assert delta(before, after, "carshare_messages_call_list_total", **town, channel="voice",
                 reason="failed") == 1
    assert value(after, "carshare_outbox_pending", **town) == 0
    assert value(after, "carshare_outbox_oldest_age_seconds", **town) == 0
    assert value(after, "carshare_outbox_needs_attention", **town) == 1  # the staff's alert
    _assert_nobody_in(text, session)


def _plain_message(row, settings, for_provider=False) -> OutgoingMessage:  # type: ignore[no-untyped-def]
    """A message without a template (the test rows' words do not matter)."""
    return OutgoingMessage(key=row.idempotency_key, channel=row.channel.value, to=row.recipient,
                           text="test", language=row.language)


class _Broken:
    def labels(self, *_labels: str) -> None:
        raise OSError("No space left on device")


def test_a_failure_to_count_never_fails_the_request(app: Flask,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metrics, "HTTP_SECONDS", _Broken())
    monkeypatch.setattr(metrics, "QUOTE_SECONDS", _Broken())
    assert app.test_client().get("/healthz").status_code == 200
    with app.app_context(), Session(get_engine()) as session:
        metrics.quote_answered(session, 1, 0.5)  # logged, not raised


MULTIPROC = """
import sys
from carshare import metrics
metrics.MESSAGES_SENT.labels("multi", "sms").inc()
if sys.argv[1] == "scrape":
    from carshare.db import make_engine
    sys.stdout.write(metrics.exposition(make_engine(sys.argv[2])).decode())
"""


def test_several_processes_are_merged_in_multiprocess_mode(migrated_url: str,
                                                           tmp_path: Any) -> None:
    """With ``PROMETHEUS_MULTIPROC_DIR`` every process writes there and one scrape adds up."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    run = [sys.executable, "-c", MULTIPROC]
    subprocess.run([*run, "count", migrated_url], env=env, check=True)
    out = subprocess.run([*run, "scrape", migrated_url], env=env, check=True,
                         capture_output=True, text=True).stdout
    line = re.search(r'^carshare_messages_sent_total\{channel="sms",town="multi"\} (\S+)$',
                     out, re.M)
    assert line and float(line.group(1)) == 2.0
    assert "carshare_outbox_pending" in out and "process_cpu" not in out
