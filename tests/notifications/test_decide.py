"""The pure decisions: calling hours, backoff, channel choice, status order."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from carshare.notifications.decide import (
    backoff,
    callback_state,
    is_landline,
    next_open,
    parse_hours,
    route,
    send_time,
)
from carshare.timeutil import TOKYO

HOURS = (time(8), time(20))


def jst(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=TOKYO)


def test_hours_are_parsed_and_checked() -> None:
    assert parse_hours("08:00-20:00") == HOURS
    with pytest.raises(ValueError, match="before the end"):
        parse_hours("20:00-08:00")


@pytest.mark.parametrize(("due", "expected"), [
    (jst(7, 7, 59), jst(7, 8)), (jst(7, 8), jst(7, 8)), (jst(7, 19, 59), jst(7, 19, 59)),
    (jst(7, 20), jst(8, 8)), (jst(7, 23, 30), jst(8, 8))])
def test_messages_wait_for_the_calling_hours(due: datetime, expected: datetime) -> None:
    assert next_open(due, HOURS, TOKYO) == expected
    assert send_time(due, "reminder_soon", HOURS, TOKYO) == expected


def test_a_message_that_cannot_go_before_its_deadline_is_not_written() -> None:
    assert send_time(jst(8, 7, 15), "reminder_soon", HOURS, TOKYO, deadline=jst(8, 8)) is None
    assert send_time(jst(7, 23), "signin_code", HOURS, TOKYO) == jst(7, 23)


def test_backoff_doubles_up_to_half_an_hour() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(20) == timedelta(minutes=30)


def test_channel_choice_follows_preference_and_the_number() -> None:
    mobile, landline = "+819012345678", "+81163221000"
    assert is_landline(landline) and not is_landline(mobile)
    assert route("sms", [(mobile, "mobile")]) == ("sms", mobile)
    assert route("sms", [(landline, "landline")]) == ("voice", landline)
    assert route("sms", [(landline, "mobile")]) == ("voice", landline)  # mislabelled landline
    assert route("voice", [(mobile, "mobile")]) == ("voice", mobile)
    assert route("staff_call", [(mobile, "mobile")]) is None
    assert route("none", [(mobile, "mobile")]) is None
    assert route("sms", []) is None


def test_status_callbacks_never_move_backwards() -> None:
    assert callback_state("sent", "delivered") == "delivered"
    assert callback_state("delivered", "sent") is None
    assert callback_state("delivered", "delivered") is None
    assert callback_state("failed", "delivered") is None
    assert callback_state("needs_attention", "queued") == "sent"
    assert callback_state("cancelled", "delivered") is None
    assert callback_state("sent", "no-such-status") is None
    assert callback_state("sent", "no-answer") == "failed"
