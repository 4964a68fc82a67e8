"""Count SMS segments: GSM-7 (160 septets) or UCS-2 (70 UTF-16 units) in one segment."""

from __future__ import annotations

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


def is_gsm7(text: str) -> bool:
    """Return whether ``text`` can be sent in the GSM-7 alphabet."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def segment_units(text: str) -> tuple[int, int]:
    """Return (units used, units that fit in one segment) for ``text``."""
    if is_gsm7(text):
        return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text), 160
    return len(text.encode("utf-16-le")) // 2, 70


def segments(text: str) -> int:
    """Return how many SMS segments ``text`` takes (concatenated parts carry a header)."""
    used, single = segment_units(text)
    if used <= single:
        return 1
    per_part = 153 if single == 160 else 67
    return -(-used // per_part)
