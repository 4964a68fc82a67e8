"""The twilio voice channel: the Calls API with inline Japanese TwiML and a keypress menu."""

from __future__ import annotations

from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse

from carshare.notifications.base import OutgoingMessage
from carshare.notifications.twilio_client import call_twilio

LANGUAGES = {"ja": "ja-JP", "en": "en-US"}
GOODBYE = {"ja": "お電話を終了します。", "en": "Goodbye."}


def call_twiml(text: str, language: str, gather_url: str = "") -> str:
    """Return the TwiML of a call: say ``text``; with ``gather_url``, ask for one key, twice.

    :param gather_url: where Twilio posts ``Digits``; empty for a message without a menu.
    """
    voice_lang = LANGUAGES.get(language, "ja-JP")
    response = VoiceResponse()
    if not gather_url:
        response.say(text, language=voice_lang, loop=2)
        return str(response)
    for _ in range(2):  # say it, and once more when no key was pressed
        gather = response.gather(num_digits=1, action=gather_url, method="POST", timeout=8)
        gather.say(text, language=voice_lang)
    response.say(GOODBYE.get(language, GOODBYE["ja"]), language=voice_lang)
    return str(response)


class TwilioVoiceNotifier:
    """Place automated calls through Twilio's Calls API."""

    def __init__(self, client: Client, caller: str) -> None:
        """:param caller: the calling number (E.164)."""
        self.client, self.caller = client, caller

    def send(self, message: OutgoingMessage) -> str:
        """Start the call and return its sid (``CA...``)."""
        twiml = call_twiml(message.text, message.language, message.gather_url)
        extra = {"status_callback": message.status_url} if message.status_url else {}
        created = call_twilio(lambda: self.client.calls.create(
            to=message.to, from_=self.caller, twiml=twiml, **extra))
        return created.sid


ANSWERS = {
    "ja": {"confirmed": "ありがとうございます。ご予約を確認しました。",
           "cancelled": "ご予約を取り消しました。ドライバーにお知らせします。",
           "stopped": "自動のお電話を止めました。これからは役場からお電話します。",
           "accepted": "ありがとうございます。お引き受けを役場に伝えました。",
           "declined": "承知しました。お断りを役場に伝えました。",
           "unknown": "もう一度、番号を押してください。"},
    "en": {"confirmed": "Thank you. Your ride is confirmed.",
           "cancelled": "Your ride is cancelled. We will tell the driver.",
           "stopped": "Automated calls are stopped. The town office will phone you.",
           "accepted": "Thank you. We told the office you accept.",
           "declined": "Understood. We told the office you decline.",
           "unknown": "Please press a key again."},
}


def answer_twiml(answer: str, language: str, gather_url: str = "") -> str:
    """Return the TwiML reply to a keypress; with ``gather_url``, ask for a key again."""
    lang = language if language in ANSWERS else "ja"
    text = ANSWERS[lang].get(answer, ANSWERS[lang]["unknown"])
    response = VoiceResponse()
    if gather_url:
        response.gather(num_digits=1, action=gather_url, method="POST", timeout=8).say(
            text, language=LANGUAGES[lang])
    else:
        response.say(text, language=LANGUAGES[lang])
    return str(response)
