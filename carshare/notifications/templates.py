"""The ja/en texts of every message kind, for SMS (one segment) and for voice calls."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from carshare.notifications import fields

RIDER_KINDS = ("confirmation", "reminder_evening", "reminder_soon", "change", "cancellation")
DRIVER_KINDS = ("driver_manifest", "driver_change", "driver_request")
KINDS = (*RIDER_KINDS, *DRIVER_KINDS, "signin_code")
#: Kinds a voice call asks "press 1 to confirm, 2 to cancel" for.
ASKS_TO_CONFIRM = ("confirmation", "reminder_evening", "change")

PREFIX = {"ja": "【天塩相乗り】", "en": "Teshio rides: "}
CAREGIVER_PREFIX = {"ja": "【相乗り・ご家族へ】", "en": "Teshio rides (family): "}

SMS = {
    "ja": {
        "confirmation": "{date}{time}に{pickup}へお迎えに伺います。{driver}様の車({trip}{car})",
        "reminder_evening": "明日{date}{time}に{pickup}へお迎えです。{driver}様の車({trip}{car})",
        "reminder_soon": "まもなく{time}に{pickup}へお迎えです。{driver}様の車({trip}{car})",
        "change": "変更:{date}のお迎えは{time}({was}から)。{driver}様の車({trip}{car})",
        "cancellation": "{date}{time}のお迎えは取り消されました。ご用は役場へお電話を",
        "driver_manifest": "明日{date}の乗車{riders}名。最初のお迎え{first}{area}。詳細は名簿で",
        "driver_change": "{date}の予定変更:乗車{riders}名、最初のお迎え{first}{area}",
        "driver_request": "{date}{time}{area}発の同乗依頼です。お受けできるか役場へご連絡を",
        "signin_code": "確認コード {code}(10分間有効)。他の人には教えないでください",
    },
    "en": {
        "confirmation": "pickup {date} {time} at {pickup}, {driver}'s {car}{trip}",
        "reminder_evening": "tomorrow {date} pickup {time} at {pickup}, {driver}'s {car}{trip}",
        "reminder_soon": "pickup soon, {time} at {pickup}, {driver}'s {car}{trip}",
        "change": "changed: {date} pickup now {time} (was {was}), {driver}'s {car}{trip}",
        "cancellation": "your {date} {time} pickup is cancelled. Questions: call the office",
        "driver_manifest": "tomorrow {date}: {riders} riders, first pickup {first} {area}",
        "driver_change": "{date} changed: {riders} riders, first pickup {first} {area}",
        "driver_request": "ride request {date} {time} from {area}. Please call the office",
        "signin_code": "sign-in code {code} (valid 10 minutes). Never share it.",
    },
}

VOICE_INTRO = {"ja": "天塩町の相乗りサービスからのお知らせです。",
               "en": "This is Teshio ride share. "}
VOICE_MENU = {
    "ja": "ご確認いただけたら1を、取り消す場合は2を、自動のお電話が不要なら9を押してください。",
    "en": "Press 1 to confirm, 2 to cancel, or 9 to stop automated calls.",
}


def words(template: str, payload: dict[str, Any], language: str, tz: ZoneInfo
          ) -> dict[str, str]:
    """Return the words to fill ``template`` with, from ``payload``."""
    if template in RIDER_KINDS:
        return fields.ride_words(payload, language, tz)
    if template == "signin_code":
        return {"code": str(payload["code"])[:8]}
    if not int(payload.get("riders", 1)):
        payload = {**payload, "riders": 0, "first_start": payload["start"]}
    found = {"date": fields.day_label(payload["start"], language, tz),
             "time": fields.window(payload["start"], payload.get("end", payload["start"]),
                                   language, tz),
             "riders": str(min(int(payload.get("riders", 0)), 99)),
             "first": fields.clock(payload.get("first_start", payload["start"]), tz),
             "area": fields.area(payload.get("settlement", ""), payload.get("place_kind", "home"),
                                 payload.get("place_name", ""), language)}
    return found


def render_sms(template: str, language: str, payload: dict[str, Any], tz: ZoneInfo) -> str:
    """Return the SMS text of one message (one segment for any realistic data)."""
    lang = language if language in SMS else "ja"
    prefix = (CAREGIVER_PREFIX if payload.get("caregiver") else PREFIX)[lang]
    return prefix + SMS[lang][template].format(**words(template, payload, lang, tz))


def render_voice(template: str, language: str, payload: dict[str, Any], tz: ZoneInfo) -> str:
    """Return the words a voice call speaks (with the keypress menu where it applies)."""
    lang = language if language in SMS else "ja"
    body = SMS[lang][template].format(**words(template, payload, lang, tz))
    for written, spoken in (("〜", "から"), ("・", "、"), ("(", "、"), (")", "、")):
        body = body.replace(written, spoken)
    body = body.rstrip("、")
    menu = VOICE_MENU[lang] if template in ASKS_TO_CONFIRM else ""
    stop = "。" if lang == "ja" else ". "
    return f"{VOICE_INTRO[lang]}{body}{stop}{menu}".strip()
