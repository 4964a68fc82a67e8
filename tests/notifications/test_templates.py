"""Every SMS fits one segment with worst-case data; texts carry the minimum personal data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from carshare.notifications.segments import segments
from carshare.notifications.templates import (
    KINDS,
    SMS,
    TWO_SEGMENTS,
    render_sms,
    render_voice,
)
from carshare.notifications.twilio_voice import call_twiml
from carshare.timeutil import TOKYO

KANJI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
KANA = st.characters(min_codepoint=0x30A1, max_codepoint=0x30F6)
NAME = st.text(KANJI | KANA, min_size=1, max_size=40)
WHEN = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 12, 31),
                    timezones=st.just(UTC))
KIND = st.sampled_from(["home", "hospital", "clinic", "shop", "town_office", "station", "other"])


@st.composite
def payloads(draw: st.DrawFn) -> dict:
    start = draw(WHEN)
    return {"start": start.isoformat(), "end": (start + timedelta(minutes=draw(
                st.integers(1, 600)))).isoformat(),
            "old_start": draw(WHEN).isoformat(), "first_start": draw(WHEN).isoformat(),
            "pickup_name": draw(NAME), "pickup_kind": draw(KIND), "driver": draw(NAME),
            "driver_kana": draw(st.text(KANA, min_size=1, max_size=40)), "car": draw(NAME),
            "riders": draw(st.integers(0, 99)), "settlement": draw(NAME),
            "place_kind": draw(KIND), "place_name": draw(NAME),
            "code": draw(st.text("0123456789", min_size=4, max_size=8)),
            "caregiver": draw(st.booleans()), "trip_name": draw(NAME), "trip_kind": draw(KIND),
            "trip_back": draw(st.booleans()), "rider": draw(NAME), "dest_name": draw(NAME),
            "rider_kana": draw(st.text(KANA, min_size=1, max_size=40)),
            "dest_kind": draw(KIND), "party": draw(st.integers(1, 8)),
            "link": draw(st.sampled_from(["", "https://carshare.example.jp/driver/day",
                                          "https://" + "x" * 70 + ".jp/driver/day"]))}


@settings(max_examples=300, deadline=None)
@given(payload=payloads(), kind=st.sampled_from(KINDS), language=st.sampled_from(["ja", "en"]))
def test_every_sms_fits_one_segment(payload: dict, kind: str, language: str) -> None:
    """Every message fits one segment; a driver's question with its card link, two."""
    text = render_sms(kind, language, payload, TOKYO)
    assert segments(text) == (2 if kind in TWO_SEGMENTS and segments(text) > 1 else 1), (
        len(text), text)


def test_a_drivers_question_says_whom_where_and_links_the_card() -> None:
    ask = {**RIDE, "rider": "鈴木", "rider_kana": "スズキ", "dest_name": "市立稚内病院",
           "dest_kind": "hospital", "party": 2, "link": "https://carshare.example.jp/driver/day"}
    text = render_sms("driver_request", "ja", ask, TOKYO)
    assert "天塩地区発市立稚内病院行き" in text and "鈴木様2名" in text
    assert text.endswith("https://carshare.example.jp/driver/day") and segments(text) == 2
    assert "佐藤" not in text and "和子" not in text  # the home is never named
    english = render_sms("driver_request", "en", ask, TOKYO)
    assert "Suzuki, 2 people" in english and "to hospital" in english
    said = render_voice("driver_request", "ja", ask, TOKYO)
    assert "https" not in said and "鈴木様" in said
    plain = render_sms("driver_request", "ja", {**ask, "link": ""}, TOKYO)
    assert plain.endswith("ご返事はマイページか役場へ") and segments(plain) == 1


def test_segment_counting() -> None:
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2
    assert segments("あ" * 70) == 1 and segments("あ" * 71) == 2
    assert segments("[" * 80) == 1 and segments("[" * 81) == 2  # GSM-7 escapes count twice
    assert segments("a" * 69 + "é") == 1 and segments("a" * 70 + "€" * 45) == 1
    assert segments("a" * 70 + "€" * 46) == 2


def test_both_languages_have_every_kind() -> None:
    assert set(SMS["ja"]) == set(SMS["en"]) == set(KINDS)


RIDE = {"start": "2026-12-08T00:30:00+00:00", "end": "2026-12-08T01:00:00+00:00",
        "pickup_name": "佐藤 和子 宅", "pickup_kind": "home", "driver": "村上",
        "driver_kana": "ムラカミ", "car": "白", "settlement": "天塩", "place_kind": "home",
        "place_name": "佐藤 和子 宅", "riders": 2}


def test_homes_are_never_named_so_no_rider_surname_is_sent() -> None:
    for kind in KINDS[:-1]:
        for language in ("ja", "en"):
            assert "佐藤" not in render_sms(kind, language, RIDE, TOKYO)
            assert "佐藤" not in render_voice(kind, language, RIDE, TOKYO)
    assert "ご自宅" in render_sms("confirmation", "ja", RIDE, TOKYO)
    assert "天塩地区" in render_sms("driver_manifest", "ja", RIDE, TOKYO)


def test_voice_asks_in_japanese_for_one_key_twice() -> None:
    text = render_voice("confirmation", "ja", RIDE, TOKYO)
    assert text.startswith("天塩町の相乗りサービスからのお知らせです。") and "2を" in text
    twiml = call_twiml(text, "ja", "https://x.example/hooks/twilio/voice/1/gather")
    assert twiml.count('<Gather action="https://x.example/hooks/twilio/voice/1/gather" '
                       'method="POST" numDigits="1" timeout="8"><Say language="ja-JP">') == 2
    assert "<Gather" not in call_twiml("お知らせ", "ja")


def test_ride_messages_say_whose_car_and_where_the_trip_goes() -> None:
    trip = {**RIDE, "trip_name": "市立稚内病院", "trip_kind": "hospital"}
    assert "村上様の車(市立稚内病院へ・白)" in render_sms("confirmation", "ja", trip, TOKYO)
    assert "Murakami's white car to hospital" in render_sms("confirmation", "en", trip, TOKYO)
    assert "村上様の車、市立稚内病院へ、白" in render_voice("confirmation", "ja", trip, TOKYO)
    assert render_sms("reminder_soon", "ja", RIDE, TOKYO).endswith("村上様の車(白)")
    assert "to " not in render_sms("reminder_soon", "en", RIDE, TOKYO).split("car")[-1]


def test_a_ride_back_says_where_the_car_comes_from() -> None:
    back = {**RIDE, "trip_name": "市立稚内病院", "trip_kind": "hospital", "trip_back": True}
    assert "村上様の車(市立稚内病院から・白)" in render_sms("confirmation", "ja", back, TOKYO)
    assert "white car from hospital" in render_sms("confirmation", "en", back, TOKYO)
