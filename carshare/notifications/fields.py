"""Turn an outbox payload into the short words the ja/en templates need (pure)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import jaconv

WEEKDAYS = {"ja": "月火水木金土日", "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}
PLACE_KINDS_EN = {"home": "home", "hospital": "hospital", "clinic": "clinic", "shop": "shop",
                  "town_office": "town office", "station": "station", "other": "meeting point"}
COLOURS_EN = {"白": "white", "黒": "black", "銀": "silver", "紺": "navy", "赤": "red",
              "青": "blue", "緑": "green", "灰": "grey", "黄": "yellow", "茶": "brown"}
#: Longest name or label kept in one SMS (longer ones are cut, so one segment always holds).
MAX_NAME, MAX_PLACE, MAX_COLOUR, MAX_ROMAJI, MAX_TRIP = 4, 8, 4, 10, 6


def local(iso: str, tz: ZoneInfo) -> datetime:
    """Parse a stored ISO time and convert it to the town's zone."""
    return datetime.fromisoformat(iso).astimezone(tz)


def day_label(iso: str, language: str, tz: ZoneInfo) -> str:
    """``12/31(水)`` or ``Wed 12/31``."""
    moment = local(iso, tz)
    weekday = WEEKDAYS[language][moment.weekday()]
    md = f"{moment.month}/{moment.day}"
    return f"{md}({weekday})" if language == "ja" else f"{weekday} {md}"


def clock(iso: str, tz: ZoneInfo) -> str:
    """``9:05``: the hour without a leading zero."""
    moment = local(iso, tz)
    return f"{moment.hour}:{moment.minute:02d}"


def window(start: str, end: str, language: str, tz: ZoneInfo) -> str:
    """``10:30〜11:00`` or ``10:30-11:00``."""
    return f"{clock(start, tz)}{'〜' if language == 'ja' else '-'}{clock(end, tz)}"


def place(name: str, kind: str, language: str) -> str:
    """A place's short label; a rider's home is never named (it carries their surname)."""
    if language == "en":
        return PLACE_KINDS_EN.get(kind, "meeting point")
    return "ご自宅" if kind == "home" else name[:MAX_PLACE]


def area(settlement: str, kind: str, name: str, language: str) -> str:
    """Where a driver picks someone up: the settlement for homes, else the facility."""
    if kind != "home":
        return place(name, kind, language)
    if language == "en":
        return romaji(settlement) or "home"
    return f"{settlement[:MAX_PLACE - 2]}地区"


def romaji(kana: str) -> str:
    """Spell kana in Latin letters for English texts (other characters are dropped)."""
    latin = jaconv.kana2alphabet(jaconv.kata2hira(kana))
    return "".join(ch for ch in latin if ch.isascii() and ch.isalpha()).title()[:MAX_ROMAJI]


def person(family: str, kana: str, language: str) -> str:
    """A driver's family name, or its romaji in English."""
    if language == "en":
        return romaji(kana) or "your driver"
    return family[:MAX_NAME]


def colour(name: str, language: str) -> str:
    """The car's colour (``白``) or its English word (``white``)."""
    if language == "en":
        return f"{COLOURS_EN[name[:1]]} car" if name[:1] in COLOURS_EN else "car"
    return name[:MAX_COLOUR]


def trip(name: str, kind: str, back: bool, language: str) -> str:
    """Where the driver's own trip goes (``市立稚内病院へ・``, `` to hospital``) or, for a ride
    back, comes from (``市立稚内病院から・``); nothing for availability-only offers or a home
    (a home's name carries a surname)."""
    if not name or kind == "home":
        return ""
    if language == "en":
        return f" {'from' if back else 'to'} {PLACE_KINDS_EN.get(kind, 'meeting point')}"
    return f"{name[:MAX_TRIP]}{'から' if back else 'へ'}・"


def ride_words(payload: dict[str, Any], language: str, tz: ZoneInfo) -> dict[str, str]:
    """The words of a rider's ride message."""
    words = {"date": day_label(payload["start"], language, tz),
             "time": window(payload["start"], payload["end"], language, tz),
             "pickup": place(payload.get("pickup_name", ""), payload.get("pickup_kind", "home"),
                             language),
             "driver": person(payload.get("driver", ""), payload.get("driver_kana", ""), language),
             "car": colour(payload.get("car", ""), language),
             "trip": trip(payload.get("trip_name", ""), payload.get("trip_kind", "home"),
                          bool(payload.get("trip_back")), language)}
    words["was"] = clock(payload.get("old_start") or payload["start"], tz)
    return words
