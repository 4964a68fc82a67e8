"""Dates and times as words, the way a town office says them on the phone.

``12/8`` read by a speech engine may come out as a fraction and ``7:30`` as a ratio; a person
says 「12月8日火曜日」 and 「午前7時30分」. The same words serve the voice call and the card staff
read out during the call.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

WEEKDAYS_JA = ("月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def day_words(day: date, language: str = "ja") -> str:
    """``12月8日火曜日`` or ``Tuesday 8 December``."""
    if language == "en":
        return f"{WEEKDAYS_EN[day.weekday()]} {day.day} {MONTHS_EN[day.month - 1]}"
    return f"{day.month}月{day.day}日{WEEKDAYS_JA[day.weekday()]}"


def time_words(clock: time, language: str = "ja") -> str:
    """``午前7時30分``, ``午後1時``, ``正午`` or ``7:30 in the morning``, ``1 in the afternoon``."""
    hour, minute = clock.hour, clock.minute
    if language == "en":
        return _time_en(hour, minute)
    if (hour, minute) == (12, 0):
        return "正午"
    half = "午前" if hour < 12 else "午後"
    shown = hour if hour <= 12 else hour - 12
    return f"{half}{shown}時" + (f"{minute}分" if minute else "")


def _time_en(hour: int, minute: int) -> str:
    if (hour, minute) == (12, 0):
        return "noon"
    part = "in the morning" if hour < 12 else ("in the afternoon" if hour < 18
                                               else "in the evening")
    shown = hour % 12 or 12
    return f"{shown}:{minute:02d} {part}" if minute else f"{shown} {part}"


def moment_words(moment: datetime, language: str = "ja") -> str:
    """``12月8日火曜日、午前7時30分`` (the moment in its own zone)."""
    sep = "、" if language == "ja" else ", "
    return f"{day_words(moment.date(), language)}{sep}{time_words(moment.time(), language)}"


def rounded(moment: datetime, minutes: int = 5, up: bool = False) -> datetime:
    """Round to ``minutes`` (down, or up with ``up``), as a time is said on the phone."""
    step = minutes * 60
    seconds = moment.minute * 60 + moment.second
    whole = seconds - seconds % step
    if up and (seconds % step or moment.microsecond):
        whole += step
    base = moment.replace(minute=0, second=0, microsecond=0)
    return base + timedelta(seconds=whole)


def window_words(start: datetime, end: datetime, language: str = "ja") -> str:
    """``午前9時5分から午前9時25分の間`` or ``between 9:05 and 9:25 in the morning``."""
    if language == "en":
        first, last = time_words(start.time(), language), time_words(end.time(), language)
        return f"between {first} and {last}"
    return f"{time_words(start.time())}から{time_words(end.time())}の間"
