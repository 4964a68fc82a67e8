"""Keep phone numbers, addresses and what people type into searches out of every log line.

``install()`` wraps the process's log record factory, so each record, from whichever logger
(the app's, Werkzeug's access log, Gunicorn's error and access logs, libraries), is masked
when it is created: its message with the arguments filled in, and its exception text.
``MaskingFilter`` does the same for handlers configured elsewhere.

What is masked, in this order:

- the value of every search parameter (``q=`` and the like) in a query string, also inside
  a percent-encoded ``next=`` and in free text: a search holds a name or some digits of a
  number, and three digits are enough for the caller lookup;
- phone numbers in every form the caller lookup (``services/lookup.py``) accepts: with or
  without the leading 0, +81, 81, 0081 or 010 81, half- or full-width, with any separators
  phonenumbers accepts (hyphens of every kind, dots, slashes, brackets, tildes, spaces,
  zero-width spaces, ``+`` for a space in a URL) or one space between every digit;
- postal codes, block numbers and address or phone fields (``address=``, ``phone:``).

ISO dates, clock times and IPv4 addresses are left alone.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from urllib.parse import unquote_plus

import phonenumbers

PHONE_MASK = "[phone]"
ADDRESS_MASK = "[address]"
SEARCH_MASK = "[search]"

#: Query parameters whose value is what someone typed to find a person.
SEARCH_KEYS = ("q", "query", "search", "term", "keyword", "kana", "family_name",
               "given_name", "family_kana", "given_kana")
_SEARCH = re.compile(
    r"(?P<key>(?:(?<![\w.%-])|(?<=%3F)|(?<=%26)|(?<=%253F)|(?<=%2526))"
    rf"(?:{'|'.join(SEARCH_KEYS)})(?:=|%3D|%253D))"
    r"(?P<value>(?:(?!%26|%2526|%23|%2523)[^&#\"'\x00-\x20]|\x20+(?=[\d+(]))*)",
    re.IGNORECASE)  # in free text, spaces before digits too (q=+81 90 ...)

#: What may stand between the digits of a phone number (after NFKC): what phonenumbers
#: accepts as punctuation, every dash, ``+`` (a space in a URL) and invisible spaces.
_SEP = (r"[\s\-\u2010-\u2015\u2212\u30fc\ufe63/.()\[\]~\u2053\u223c\u301c+"
        r"\u00ad\u200b-\u200d\u2060\ufeff]")
#: A run of digits with at most three separators between two digits ("tel:" included).
_RUN = re.compile(rf"(?<!\d)(?:tel:)?\+?\d(?:{_SEP}{{0,3}}\d)*(?!\d)", re.IGNORECASE)
#: Digits of a number with its trunk 0 or a country code 81 (after 00 or 010 too).
_DIALLED = re.compile(r"(?:0|81|0081|01081)[1-9]\d{8,9}")
#: Parts of a log line that look like numbers but are not phones; kept apart from runs.
_NOT_PHONE = re.compile(
    r"(?<![\d.])\d{4}-\d{2}-\d{2}(?![\d])"  # an ISO date
    r"|(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")  # an IPv4 address
_KEEP, _FIRST = "\ue000", 0xE100  # a kept part's place: private-use characters, no digits
_KEPT = re.compile("\ue000([\ue100-\uf8ff])")

#: Postal codes (〒098-3300) and block numbers (1-2-3, 4丁目5番地6号).
_POSTAL = re.compile(r"〒?\s?(?<![\d\-])\d{3}-\d{4}(?![\d\-])")
_BLOCK = re.compile(r"(?<![\d\-:])\d{1,3}(?:-\d{1,4}){1,2}(?![\d\-:])")
_CHOME = re.compile(r"[^\s,、。:=&\"']*\d+\s*(?:丁目|番地|番|号|条|線)[^\s,、。\"'&]*")
_CHOME_WORDS = re.compile("丁目|番地|番|号|条|線")
#: key=value or key: value pairs whose key names an address or phone field.
_FIELD = re.compile(
    r"(?P<key>\b(?:address(?:_note)?|addr|street|home(?:_address)?|住所|phone(?:_2)?|tel|"
    r"caregiver_phone|e164|recipient|From|To|Called|Caller)\b[\"']?\s*[=:]\s*[\"']?)"
    r"(?P<value>[^&\s,\"'}]+)", re.IGNORECASE)


def mask(text: str) -> str:
    """Return ``text`` with searches, phone numbers and address-like parts replaced."""
    if not text:
        return text
    text = mask_searches(text)
    if "%" in text:
        text = unquote_plus(text) if _changes(text) else text
    text = mask_phones(unicodedata.normalize("NFKC", text))
    for pattern in (_POSTAL, _CHOME, _BLOCK):
        if pattern is not _CHOME or _CHOME_WORDS.search(text):
            text = pattern.sub(ADDRESS_MASK, text)
    return _FIELD.sub(lambda m: m.group("key") + _field_mask(m.group("key")), text)


def mask_searches(text: str) -> str:
    """Return ``text`` with the value of every search parameter replaced by ``SEARCH_MASK``."""
    if "=" not in text and "%3d" not in text.lower():
        return text
    return _SEARCH.sub(lambda m: m.group("key") + SEARCH_MASK, text)


def mask_phones(text: str) -> str:
    """Return ``text`` (NFKC-normalised) with every phone number replaced by ``PHONE_MASK``."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group())
        return _KEEP + chr(_FIRST + len(kept) - 1)

    def back(match: re.Match[str]) -> str:
        index = ord(match.group(1)) - _FIRST
        return kept[index] if index < len(kept) else match.group()

    text = _RUN.sub(_masked_run, _NOT_PHONE.sub(keep, text))
    return _KEPT.sub(back, text) if kept else text


def _masked_run(match: re.Match[str]) -> str:
    run = match.group()
    return PHONE_MASK if is_phone_digits(re.sub(r"\D", "", run)) else run


def is_phone_digits(digits: str) -> bool:
    """Tell whether a string of digits holds a Japanese phone number, dialled (0, 81, 0081,
    010 81) or as its bare national number the way the lookup accepts it (9020264058)."""
    if len(digits) < 9:
        return False
    if _DIALLED.search(digits):
        return True
    return any(_valid_national(digits[i:i + size]) for size in (9, 10)
               for i in range(len(digits) - size + 1))


def _valid_national(digits: str) -> bool:
    if digits[0] == "0":
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(digits, "JP"))
    except phonenumbers.NumberParseException:
        return False


def _changes(text: str) -> bool:
    """Return whether decoding percent-escapes would reveal something to mask."""
    decoded = unicodedata.normalize("NFKC", unquote_plus(text))
    return decoded != text and mask(decoded) != decoded


def _field_mask(key: str) -> str:
    lowered = key.lower()
    return PHONE_MASK if any(w in lowered for w in ("phone", "tel", "e164", "recipient",
                                                    "from", "to", "call")) else ADDRESS_MASK


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Mask a record in place: message (arguments filled in), exception and stack text."""
    if getattr(record, "_carshare_masked", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: keep what logging would report  # noqa: BLE001
        message = f"{record.msg!r} {record.args!r}"
    record.msg, record.args = mask(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask(record.exc_text)
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    record._carshare_masked = True  # type: ignore[attr-defined]
    return record


class MaskingFilter(logging.Filter):
    """A handler or logger filter that masks each record it sees (and drops none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask ``record``; always let it through."""
        mask_record(record)
        return True


def install() -> None:
    """Mask every log record this process creates from now on (idempotent)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "_carshare_masking", False):
        return

    def masking_factory(*args: object, **kwargs: object) -> logging.LogRecord:
        return mask_record(factory(*args, **kwargs))

    masking_factory._carshare_masking = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masking_factory)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
