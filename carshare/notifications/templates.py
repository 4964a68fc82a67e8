"""The ja/en texts of every message kind, for SMS (one segment) and for voice calls."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from carshare.notifications import fields, spoken
from carshare.notifications.segments import segments

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
        "driver_request": ("{date}{time}{area}発{dest}行き {rider}様{party}名の"
                           "同乗のお願いです。{answer}"),
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
        "driver_request": "ride request {date} {time} from {area} to {dest}: {rider}, "
                          "{party} people. {answer}",
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
    if template == "driver_request":
        found.update(_request_words(payload, language))
    return found


def _request_words(payload: dict[str, Any], language: str) -> dict[str, str]:
    """Whom a driver is asked to take, to where, and how to answer (the card's link)."""
    link = str(payload.get("link", ""))[:80]
    answers = {"ja": (f"ご返事はこちら {link}", "ご返事はマイページか役場へ"),
               "en": (f"Answer: {link}", "Please answer on your page or call the office")}
    return {"dest": fields.place(payload.get("dest_name", ""), payload.get("dest_kind", "other"),
                                 language),
            "rider": fields.person(payload.get("rider", ""), payload.get("rider_kana", ""),
                                   language),
            "party": str(min(max(int(payload.get("party", 1)), 1), 8)),
            "answer": answers[language][0 if link else 1]}


def spoken_words(template: str, payload: dict[str, Any], language: str, tz: ZoneInfo
                 ) -> dict[str, str]:
    """The words of a message as a voice call says them: dates and times as words
    (「12月8日火曜日、」「午前7時30分から午前7時50分の間」), never ``12/8`` or ``7:30``."""
    found = words(template, payload, language, tz)
    if template == "driver_request":  # the call asks for a key press instead of a link
        found["answer"] = ""
    if "start" not in payload:
        return found
    start = fields.local(payload["start"], tz)
    end = fields.local(payload.get("end", payload["start"]), tz)
    found["date"] = spoken.day_words(start.date(), language)
    found["time"] = (spoken.window_words(start, end, language) if end > start
                     else spoken.time_words(start.time(), language))
    for key, source in (("first", "first_start"), ("was", "old_start")):
        if key in found:
            said = fields.local(payload.get(source) or payload["start"], tz)
            found[key] = spoken.time_words(said.time(), language)
    return found


#: Kinds that may take two segments: a driver's question carries the link to its card.
TWO_SEGMENTS = ("driver_request",)


def render_sms(template: str, language: str, payload: dict[str, Any], tz: ZoneInfo) -> str:
    """Return the SMS text of one message: one segment for any realistic data, two for a
    driver's question with its link (without the link when even two would not hold it)."""
    lang = language if language in SMS else "ja"
    prefix = (CAREGIVER_PREFIX if payload.get("caregiver") else PREFIX)[lang]
    text = prefix + SMS[lang][template].format(**words(template, payload, lang, tz))
    if template in TWO_SEGMENTS and payload.get("link") and segments(text) > 2:
        return render_sms(template, language, {**payload, "link": ""}, tz)
    return text


def render_voice(template: str, language: str, payload: dict[str, Any], tz: ZoneInfo) -> str:
    """Return the words a voice call speaks (with the keypress menu where it applies)."""
    lang = language if language in SMS else "ja"
    body = SMS[lang][template].format(**spoken_words(template, payload, lang, tz))
    for written, said in (("〜", "から"), ("・", "、"), ("(", "、"), (")", "、")):
        body = body.replace(written, said)
    body = body.rstrip("、")
    menu = VOICE_MENU[lang] if template in ASKS_TO_CONFIRM else ""
    stop = "。" if lang == "ja" else ". "
    return f"{VOICE_INTRO[lang]}{body}{stop}{menu}".strip()
