"""Voice calls and the read-aloud card say dates and times as words, never 12/8 or 7:30."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from hypothesis import given
from hypothesis import strategies as st

from carshare.notifications.spoken import (
    day_words,
    moment_words,
    rounded,
    time_words,
    window_words,
)
from carshare.notifications.templates import KINDS, render_voice
from carshare.timeutil import TOKYO
from tests.notifications.test_templates import RIDE


def test_japanese_words() -> None:
    assert day_words(date(2026, 12, 8)) == "12月8日火曜日"
    assert time_words(time(7, 30)) == "午前7時30分"
    assert time_words(time(13, 0)) == "午後1時"
    assert time_words(time(12, 0)) == "正午"
    assert time_words(time(12, 30)) == "午後12時30分"
    assert time_words(time(0, 5)) == "午前0時5分"
    assert moment_words(datetime(2026, 12, 8, 7, 30, tzinfo=TOKYO)) == "12月8日火曜日、午前7時30分"
    start, end = (datetime(2026, 12, 8, 9, 5, tzinfo=TOKYO),
                  datetime(2026, 12, 8, 9, 25, tzinfo=TOKYO))
    assert window_words(start, end) == "午前9時5分から午前9時25分の間"


def test_english_words() -> None:
    assert day_words(date(2026, 12, 8), "en") == "Tuesday 8 December"
    assert time_words(time(7, 30), "en") == "7:30 in the morning"
    assert time_words(time(13, 0), "en") == "1 in the afternoon"
    assert time_words(time(19, 5), "en") == "7:05 in the evening"


def test_rounding_as_said_on_the_phone() -> None:
    at = datetime(2026, 12, 8, 9, 37, 30, tzinfo=TOKYO)
    assert rounded(at).time() == time(9, 35)
    assert rounded(at, up=True).time() == time(9, 40)
    assert rounded(datetime(2026, 12, 8, 9, 55, 1, tzinfo=TOKYO), up=True).time() == time(10, 0)
    assert rounded(datetime(2026, 12, 8, 9, 40, tzinfo=TOKYO), up=True).time() == time(9, 40)


@given(st.times())
def test_every_japanese_time_is_words_only(clock: time) -> None:
    said = time_words(clock)
    assert ":" not in said and "/" not in said
    assert said == "正午" or said.startswith(("午前", "午後"))
    assert said.endswith(("時", "分", "正午"))


def test_voice_calls_say_dates_and_times_as_words() -> None:
    for kind in KINDS[:-1]:
        for language in ("ja", "en"):
            text = render_voice(kind, language, RIDE, TOKYO)
            assert not re.search(r"\d+/\d+", text), text  # no 12/8: it may be read as a fraction
            if language == "ja":
                assert not re.search(r"\d:\d\d", text), text
    said = render_voice("confirmation", "ja", RIDE, TOKYO)
    assert "12月8日火曜日" in said and "午前9時30分から午前10時の間" in said
