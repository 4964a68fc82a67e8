"""Issue 19, finding 3: whether a number is registered cannot be told from the phone sign-in.

A known and an unknown number go through the same steps (ask for a code, type wrong codes
until the code is burnt, ask again, until locked out, ask again); every answer is the same
page with the same status, and both take comparable time.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session

from tests.factories import small_town
from tests.security.codes import answer, ask_code, mobiles, open_app, type_code

__all__ = ["open_app"]

KNOWN, UNKNOWN = "090-1111-2222", "090-9999-0000"
WRONG = "000000"


@pytest.fixture
def town(session: Session) -> dict[str, Any]:
    return small_town(session, seats=2)


def _journey(app: Flask, phone: str) -> list[tuple[int, str]]:
    client, seen = app.test_client(), []
    for _ in range(3):  # two codes burnt with wrong tries, then the lockout
        seen.append(answer(ask_code(client, phone), phone))
        seen += [answer(type_code(client, WRONG)) for _ in range(6)]
    return seen


def test_known_and_unknown_numbers_get_the_same_answers(open_app: Flask,
                                                        town: dict[str, Any]) -> None:
    known, unknown = _journey(open_app, KNOWN), _journey(open_app, UNKNOWN)
    assert [s for s, _ in known] == [s for s, _ in unknown]
    for step, (a, b) in enumerate(zip(known, unknown, strict=True)):
        assert a == b, f"step {step} differs"
    pages = "".join(page for _, page in known)
    assert "確認コードが違います" in pages
    assert "30分" in pages  # the lockout is told, to both


def _timed(call) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def test_known_and_unknown_numbers_take_comparable_time(open_app: Flask, session: Session,
                                                        town: dict[str, Any]) -> None:
    known = mobiles(session, town["town"].id, town["homes"][0].id, 8)
    unknown = [f"090-8765-43{n:02d}" for n in range(8)]
    asking: dict[str, list[float]] = {"known": [], "unknown": []}
    typing: dict[str, list[float]] = {"known": [], "unknown": []}
    for pair in zip(known, unknown, strict=True):
        for kind, phone in zip(("known", "unknown"), pair, strict=True):
            client = open_app.test_client()
            client.get("/me/login")
            asking[kind].append(_timed(lambda c=client, p=phone: ask_code(c, p)))
            client.get("/me/code")
            typing[kind] += [_timed(lambda c=client: type_code(c, WRONG)) for _ in range(4)]
    for name, samples in (("asking", asking), ("typing", typing)):
        a, b = (statistics.median(samples[k]) for k in ("known", "unknown"))
        assert abs(a - b) <= max(0.004, 0.35 * min(a, b)), (
            f"{name}: known {a * 1000:.1f} ms, unknown {b * 1000:.1f} ms")
