"""Find a caller by phone number (any common form) or by name (kanji or any kana)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import jaconv
import phonenumbers
from sqlalchemy import or_
from sqlmodel import Session, select

from carshare.models import Place, Resident, ResidentPhone

MAX_MATCHES = 10
MIN_DIGITS = 3


@dataclass(frozen=True)
class CallerMatch:
    """One resident that matches the search, with what staff need to recognise them."""

    resident: Resident
    phones: list[ResidentPhone]
    home: Place | None


def fold(text: str) -> str:
    """Fold full-width/half-width forms and hiragana to one katakana form without spaces."""
    folded = jaconv.hira2kata(unicodedata.normalize("NFKC", text))
    return re.sub(r"\s+", "", folded)


def to_e164(text: str) -> str | None:
    """Return the E.164 form of a Japanese phone number typed any common way, else None."""
    normalized = unicodedata.normalize("NFKC", text).strip()
    try:
        number = phonenumbers.parse(normalized, "JP")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(
            number) != "JP":  # a resident of a Japanese town: +81 or a domestic number
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    """Tell whether a valid number is a mobile (it can receive SMS)."""
    kind = phonenumbers.number_type(phonenumbers.parse(e164, None))
    return kind in (phonenumbers.PhoneNumberType.MOBILE,
                    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _digits(text: str) -> str:
    normalized = unicodedata.normalize("NFKC", text)
    digits = re.sub(r"\D", "", normalized)
    if normalized.lstrip().startswith("+") and digits.startswith("81"):
        return digits[2:]
    return digits.removeprefix("0")


def find_callers(session: Session, town_id: int, query: str) -> list[CallerMatch]:
    """Return up to ten active residents of a town matching ``query``, best first."""
    query = query.strip()
    if not query:
        return []
    if re.search(r"\d", unicodedata.normalize("NFKC", query)):
        residents = _by_phone(session, town_id, query)
    else:
        residents = _by_name(session, town_id, query)
    return [_match(session, r) for r in residents[:MAX_MATCHES]]


def _by_phone(session: Session, town_id: int, query: str) -> list[Resident]:
    exact = to_e164(query)
    digits = _digits(query)
    if exact is None and len(digits) < MIN_DIGITS:
        return []
    condition = ResidentPhone.e164 == exact if exact else ResidentPhone.e164.contains(digits)
    stmt = (select(Resident).join(ResidentPhone, ResidentPhone.resident_id == Resident.id)
            .where(Resident.town_id == town_id, Resident.active, condition)
            .distinct().order_by(Resident.family_name_kana, Resident.given_name_kana))
    return list(session.exec(stmt))


def _by_name(session: Session, town_id: int, query: str) -> list[Resident]:
    kana, raw = fold(query), re.sub(r"\s+", "", unicodedata.normalize("NFKC", query))
    stmt = (select(Resident).where(Resident.town_id == town_id, Resident.active)
            .where(or_(Resident.family_name_kana.startswith(kana),
                       Resident.given_name_kana.startswith(kana),
                       (Resident.family_name_kana + Resident.given_name_kana).startswith(kana),
                       Resident.family_name.startswith(raw),
                       (Resident.family_name + Resident.given_name).startswith(raw)))
            .order_by(Resident.family_name_kana, Resident.given_name_kana))
    return list(session.exec(stmt.limit(MAX_MATCHES)))


def _match(session: Session, resident: Resident) -> CallerMatch:
    phones = list(session.exec(select(ResidentPhone)
                               .where(ResidentPhone.resident_id == resident.id)
                               .order_by(ResidentPhone.is_primary.desc())))
    home = session.get(Place, resident.home_place_id) if resident.home_place_id else None
    return CallerMatch(resident, phones, home)


def primary_phone(session: Session, resident_id: int) -> str | None:
    """Return a resident's primary phone number (E.164), else any of theirs."""
    return session.exec(select(ResidentPhone.e164).where(
        ResidentPhone.resident_id == resident_id)
        .order_by(ResidentPhone.is_primary.desc())).first()
