"""No log line carries a phone number typed any way the caller lookup accepts, nor a name
typed into a search (issue 19, finding 6).

``/call/search?q=9020264058`` (also ``090+2026+4058``, ``090.2026.4058``, U+2010 hyphens,
full-width and spaced digits) was logged as sent, and so was every name typed into a search.
The requests go to the real app on Werkzeug's server and on gunicorn; the check reads the
log lines as a person would: percent-escapes decoded, full-width folded, separators dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote_plus

import pytest
import requests
from flask import Flask

from carshare.logmask import PHONE_MASK, mask
from carshare.services.lookup import find_callers, fold
from tests.deploy.servers import _running, app_env, free_port, sign_in
from tests.logcapture import Capture, gunicorn_logging_to_stdout, serve_app

#: The demo resident's mobile number 090-2026-4058, typed every way the lookup accepts.
DIGITS = "9020264058"
PHONES = ["9020264058", "090+2026+4058", "090.2026.4058", "090\u20102026\u20104058",
          "090\u20112026\u20114058", "０９０２０２６４０５８", "０９０－２０２６－４０５８",
          "0 9 0 2 0 2 6 4 0 5 8", "9 0 2 0 2 6 4 0 5 8", "090 2026 4058", "090/2026/4058",
          "(090)2026-4058", "090ー2026ー4058", "+81 90 2026 4058", "81-90-2026-4058",
          "010 81 90 2026 4058", "tel:+81-90-2026-4058", "090\u200b2026\u200b4058"]
#: Parts of the number: the lookup finds residents by any three digits or more.
PARTS = ["2026-4058", "20264058"]
#: Names typed into a search, kanji, kana, half-width kana and romaji.
NAMES = ["鈴木 清", "鈴木", "すずき", "ｽｽﾞｷ", "スズキ　キヨシ", "Suzuki"]
#: What a log line shows instead of a search's words.
SEARCH_MASK = "[search]"
SEARCHES = ["/call/search", "/records/residents", "/records/drivers", "/api/v1/residents"]


def _readable(line: str) -> str:
    """A log line as a reader would see it: escapes decoded, full-width folded."""
    return unicodedata.normalize("NFKC", unquote_plus(unquote_plus(line)))


def leaks(text: str) -> list[str]:
    """Return the lines of ``text`` that still show the number, a part of it, or a name."""
    found = []
    for line in text.splitlines():
        readable = _readable(line)
        digits = re.sub(r"\D", "", readable)
        folded = fold(readable)
        if "20264058" in digits or any(fold(n) in folded for n in NAMES) \
                or "suzuki" in readable.lower():
            found.append(line)
    return found


def test_the_lookup_accepts_every_form_here(session, app: Flask, demo: None) -> None:  # type: ignore[no-untyped-def]
    """The forms tested are forms the caller lookup really finds (else the test proves little)."""
    from sqlmodel import select

    from carshare.models import Town

    town = session.exec(select(Town)).first()
    for typed in PHONES + PARTS + NAMES[:4]:
        assert find_callers(session, town.id, typed), typed


@pytest.mark.parametrize("typed", PHONES)
def test_mask_catches_every_phone_form_in_free_text(typed: str) -> None:
    for text in (f"caller typed {typed} at the desk", f"to={typed}", f"({typed})",
                 f"GET /x/{quote(typed)} HTTP/1.1", f"IntegrityError ('{typed}', 3)"):
        masked = mask(text)
        assert PHONE_MASK in masked and not leaks(masked), (text, masked)


@pytest.mark.parametrize("typed", PHONES + PARTS + NAMES)
def test_mask_empties_search_queries(typed: str) -> None:
    for text in (f'"GET /call/search?q={quote(typed)} HTTP/1.1" 200',
                 f'"GET /call/search?q={typed.replace(" ", "+")}&x=1 HTTP/1.1" 200',
                 f'"GET /login?next={quote("/call/search?q=" + quote(typed), safe="")} HTTP/1.1"',
                 f"GET /api/v1/residents?active=1&q={quote(typed)}"):
        masked = mask(text)
        assert SEARCH_MASK in masked and not leaks(masked), (text, masked)


KEPT = ["plan tomorrow (2026-11-27): 3 confirmations", "manifest:5:2026-12-08",
        "replan 2026-11-27 09:30 done", "9:30-10:00",
        '127.0.0.1 - - [26/Nov/2026 11:00:00] "GET /healthz HTTP/1.1" 200 -',
        '127.0.0.1 - - [03/Dec/2026:06:16:27 +0000] "GET /dashboard?day=2026-12-03 HTTP/1.1" '
        '200 15321 "-" "python-requests/2.32.3"', "outbox row 42: 3 of 12 sent",
        '"GET /static/style.css HTTP/1.1" 304 -']


@pytest.mark.parametrize("text", KEPT)
def test_dates_sizes_and_ids_are_left_alone(text: str) -> None:
    assert mask(text) == text


@pytest.fixture
def served(app: Flask, demo: None) -> Iterator[str]:
    """The demo town on Werkzeug's development server on 127.0.0.1 (its access log included)."""
    yield from serve_app(app)


def _search_everywhere(base: str, http: requests.Session) -> int:
    """Search every search route for every form, encoded by the client and typed raw;
    return how many requests were answered."""
    answered = 0
    for path in SEARCHES:
        for typed in PHONES + PARTS + NAMES:
            for url in (f"{base}{path}?q={typed}", f"{base}{path}?q={quote(typed)}"):
                answered += http.get(url, timeout=30).status_code < 500
    return answered


def test_werkzeug_and_app_logs_show_no_number_or_name(served: str, captured: Capture) -> None:
    signed_in = sign_in(served, "madoguchi", "teshio-demo-2026")
    total = len(SEARCHES) * len(PHONES + PARTS + NAMES) * 2
    assert _search_everywhere(served, signed_in) == total
    assert _search_everywhere(served, requests.Session()) == total  # redirected to sign in
    text = "\n".join(captured.lines)
    assert text.count(SEARCH_MASK) >= total, text[-3000:]
    assert leaks(text) == [], "\n".join(leaks(text)[:20])


def test_gunicorn_access_log_shows_no_number_or_name(migrated_url: str, app: Flask,
                                                     demo: None, tmp_path: Path) -> None:
    log, port = tmp_path / "gunicorn.log", free_port()
    command = gunicorn_logging_to_stdout(port, workers=2)
    with _running(command, app_env(migrated_url, CARSHARE_LOG_LEVEL="DEBUG"), log, port) as base:
        _search_everywhere(base, requests.Session())
    text = log.read_text()
    assert text.count(SEARCH_MASK) >= len(SEARCHES) * len(PHONES + PARTS + NAMES), text[-3000:]
    assert leaks(text) == [], "\n".join(leaks(text)[:20])
