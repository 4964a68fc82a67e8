"""No phone number or address reaches a log line: the app's loggers, Werkzeug's and
Gunicorn's access logs, message sending, exceptions."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from carshare.logmask import ADDRESS_MASK, PHONE_MASK, SEARCH_MASK, MaskingFilter, install, mask
from carshare.models import NotificationState
from carshare.notifications.console import ConsoleNotifier
from carshare.notifications.settings import NotifySettings
from carshare.services.notify_dispatch import drain
from carshare.services.notify_rider import enqueue_confirmation
from tests.deploy.servers import _running, app_env, free_port
from tests.driver.conftest import book, tomorrow
from tests.logcapture import Capture, gunicorn_logging_to_stdout, serve_app

#: Real-looking numbers in the forms staff and residents type them.
NUMBERS = ["090-1234-5678", "09012345678", "+819012345678", "+81 90 1234 5678",
           "０９０－１２３４－５６７８", "01632-2-1037", "0163-22-1037", "(0163)22-1037",
           "819012345678", "+81-163-22-1037"]
DIGITS = ["9012345678", "1632221037", "163221037"]
ADDRESSES = ["天塩町新栄通7丁目", "北海道天塩郡天塩町字川口1-2-3", "〒098-3300", "住所: 川口の奥"]
KEPT = ["plan tomorrow (2026-11-27): 3 confirmations", "manifest:5:2026-12-08",
        "9:30-10:00", '127.0.0.1 - - [26/Nov/2026 11:00:00] "GET /healthz HTTP/1.1" 200 -',
        "dispatched notifications: {'sent': 3}", "[26/Nov/2026:11:00:00 +0000]",
        "outbox row 42: not a mobile number; calling instead"]


def _no_personal_data(text: str) -> None:
    for number in NUMBERS + DIGITS:
        assert number not in text, number
    for address in ADDRESSES:
        assert address not in text, address


@pytest.mark.parametrize("number", NUMBERS)
def test_phone_numbers_in_any_form_are_masked(number: str) -> None:
    for text in (f"search q={number} ok", f"GET /call/search?q={quote(number)} HTTP/1.1",
                 f"to {number}: sent", f"IntegrityError [parameters: ('{number}', 3)]"):
        masked = mask(text)
        assert PHONE_MASK in masked or SEARCH_MASK in masked, (text, masked)
        assert number not in masked, (text, masked)
        assert all(d not in masked for d in DIGITS), masked


@pytest.mark.parametrize("address", ADDRESSES)
def test_address_like_text_and_fields_are_masked(address: str) -> None:
    for text in (f"home {address}", f"address_note={quote(address)}&x=1",
                 f'{{"address": "{address}"}}'):
        masked = mask(text)
        assert address not in masked and ADDRESS_MASK in masked, (text, masked)


@pytest.mark.parametrize("text", KEPT)
def test_dates_times_keys_and_ips_are_left_alone(text: str) -> None:
    assert mask(text) == text


def test_app_loggers_and_exceptions_are_masked(captured: Capture) -> None:
    log = logging.getLogger("carshare.test")
    log.info("caller %s typed %s", "090-1234-5678", "+819012345678")
    log.warning("home %s", {"address": "天塩町新栄通7丁目", "phone": "0163-22-1037"})
    try:
        raise ValueError("duplicate key (e164)=(+819012345678)")
    except ValueError:
        log.exception("could not store 01632-2-1037")
    logging.getLogger("twilio.http_client").info(
        "POST Request: https://api.twilio.com/Messages.json To=%2B819012345678")
    _no_personal_data(captured.text)
    assert captured.text.count(PHONE_MASK) >= 5 and "ValueError" in captured.text


def test_a_filter_masks_records_made_before_installation() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "to %s", ("09012345678",), None)
    MaskingFilter().filter(record)
    assert record.getMessage() == f"to {PHONE_MASK}"


def test_sending_messages_logs_no_numbers(session: Session, town: dict[str, Any], app: Flask,
                                          captured: Capture) -> None:
    ride = book(session, town, 0, tomorrow())
    rows = enqueue_confirmation(session, ride.id, settings=NotifySettings.from_app())
    session.commit()
    due = min(r.due_at for r in rows)
    counts = drain(session.get_bind(), ConsoleNotifier(), NotifySettings.from_app(),
                   clock=lambda: due)
    assert counts["sent"] >= 1
    assert "notify.console" in captured.text and PHONE_MASK in captured.text
    _no_personal_data(captured.text)
    for row in rows:
        session.refresh(row)
        assert row.state != NotificationState.PENDING or row.due_at > due
        assert row.recipient not in captured.text


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app on Werkzeug's development server on 127.0.0.1 (its access log included)."""
    yield from serve_app(app)


def _typed_requests(base: str) -> None:
    for number in NUMBERS:
        requests.get(f"{base}/call/search", params={"q": number}, timeout=10,
                     allow_redirects=False)
    requests.get(f"{base}/healthz", params={"address_note": "天塩町新栄通7丁目"}, timeout=10)
    requests.get(f"{base}/nowhere/090-1234-5678", timeout=10)


def test_the_werkzeug_access_log_masks_query_strings(served: str, captured: Capture) -> None:
    _typed_requests(served)
    access = [line for line in captured.lines if line.startswith("werkzeug")]
    assert len(access) >= len(NUMBERS) + 2, captured.text
    assert any("/call/search?q=" + SEARCH_MASK in line for line in access), access
    _no_personal_data(captured.text)


def test_the_gunicorn_access_and_error_logs_mask_them_too(migrated_url: str, app: Flask,
                                                          tmp_path: Path) -> None:
    log, port = tmp_path / "gunicorn.log", free_port()
    command = gunicorn_logging_to_stdout(port, workers=1)
    with _running(command, app_env(migrated_url, CARSHARE_LOG_LEVEL="INFO"), log, port) as base:
        _typed_requests(base)
    text = log.read_text()
    assert "/call/search?q=" + SEARCH_MASK in text and "GET /healthz" in text, text[-2000:]
    _no_personal_data(text)


def test_install_is_idempotent() -> None:
    install()
    factory = logging.getLogRecordFactory()
    install()
    assert logging.getLogRecordFactory() is factory


SEPARATORS = st.sampled_from(["-", " ", "", "－", "‐", "ー"])


@st.composite
def japanese_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A mobile (0X0 + 8 digits) or landline (10 digits, area code of 2-5 digits) number,
    typed with any separators, half- or full-width; returns (typed, digits)."""
    digits = st.text("0123456789", min_size=1, max_size=1)
    if draw(st.booleans()):
        body = draw(st.sampled_from(["70", "80", "90"])) + "".join(
            draw(digits) for _ in range(8))
        parts = [body[:3], body[3:7], body[7:]]
    else:
        area = draw(st.integers(2, 5))
        body = "1" + "".join(draw(digits) for _ in range(8))
        parts = [body[: area - 1], body[area - 1:6], body[6:]]
    sep = draw(SEPARATORS)
    typed = "0" + sep.join(parts) if draw(st.booleans()) else "+81 " + sep.join(parts)
    if draw(st.booleans()):
        typed = typed.translate(str.maketrans("0123456789+", "０１２３４５６７８９＋"))
    return typed, body


@given(number=japanese_numbers(), before=st.sampled_from(["", "q=", "電話 ", "to ", "("]),
       after=st.sampled_from(["", " ok", "&x=1", ")", "。"]))
@settings(max_examples=300, deadline=None)
def test_any_typing_of_a_number_is_masked(number: tuple[str, str], before: str,
                                          after: str) -> None:
    typed, digits = number
    masked = mask(f"{before}{typed}{after}")
    assert digits not in masked.replace(" ", "").replace("-", ""), (typed, masked)
