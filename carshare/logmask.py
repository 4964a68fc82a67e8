"""Keep phone numbers and addresses out of every log line.

``install()`` wraps the process's log record factory, so each record, from whichever logger
(the app's, Werkzeug's access log, Gunicorn's error and access logs, libraries), is masked
when it is created: its message with the arguments filled in, and its exception text.
``MaskingFilter`` does the same for handlers configured elsewhere.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from urllib.parse import unquote_plus

PHONE_MASK = "[phone]"
ADDRESS_MASK = "[address]"

#: E.164 (+81 90 1234 5678), also percent-encoded (%2B81...) in query strings.
_E164 = re.compile(r"(?:\+|%2B)\d(?:[\s\-()]?\d){6,15}", re.IGNORECASE)
#: A domestic number: a leading 0 then 9 or 10 more digits, with hyphens, spaces or brackets.
_DOMESTIC = re.compile(r"(?<![\w.])\(?0\d(?:[\s\-()]{0,2}\d){8,9}(?![\w])")
#: A number typed without its leading + or 0 (81 90 1234 5678).
_BARE_81 = re.compile(r"(?<!\d)81\d{9,10}(?!\d)")
#: Postal codes (〒098-3300) and block numbers (1-2-3, 4丁目5番地6号).
_POSTAL = re.compile(r"〒?\s?(?<![\d\-])\d{3}-\d{4}(?![\d\-])")
_BLOCK = re.compile(r"(?<![\d\-:])\d{1,3}(?:-\d{1,4}){1,2}(?![\d\-:])")
_CHOME = re.compile(r"[^\s,、。:=&\"']*\d+\s*(?:丁目|番地|番|号|条|線)[^\s,、。\"'&]*")
#: key=value or key: value pairs whose key names an address or phone field.
_FIELD = re.compile(
    r"(?P<key>\b(?:address(?:_note)?|addr|street|home(?:_address)?|住所|phone(?:_2)?|tel|"
    r"caregiver_phone|e164|recipient|From|To|Called|Caller)\b[\"']?\s*[=:]\s*[\"']?)"
    r"(?P<value>[^&\s,\"'}]+)", re.IGNORECASE)


def mask(text: str) -> str:
    """Return ``text`` with phone numbers and address-like parts replaced by placeholders."""
    if not text:
        return text
    if "%" in text:
        text = unquote_plus(text) if _changes(text) else text
    text = unicodedata.normalize("NFKC", text)
    for pattern in (_E164, _DOMESTIC, _BARE_81):
        text = pattern.sub(PHONE_MASK, text)
    for pattern in (_POSTAL, _CHOME, _BLOCK):
        text = pattern.sub(ADDRESS_MASK, text)
    return _FIELD.sub(lambda m: m.group("key") + _field_mask(m.group("key")), text)


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
