"""Finding a caller by any common form of their phone number or name."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from carshare.services.lookup import find_callers, fold, to_e164


@pytest.mark.parametrize("typed", ["01632-2-1037", "０１６３２－２－１０３７", "+81 1632-2-1037",
                                   "(01632) 2-1037", "0163221037"])
def test_phone_numbers_in_any_common_form(typed: str) -> None:
    assert to_e164(typed) == "+81163221037"


def test_invalid_numbers_are_none() -> None:
    assert to_e164("12") is None and to_e164("abc") is None


def test_kana_folds_to_one_katakana_form() -> None:
    assert fold("さとう") == fold("サトウ") == fold("ｻﾄｳ") == fold("サ トウ") == "サトウ"


def _names(matches) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.resident.family_name + m.resident.given_name for m in matches]


@pytest.mark.parametrize("query", ["０１６３２－２－１０３７", "01632-2-1037", "2-1037", "すずき",
                                   "ｽｽﾞｷ", "スズキ キヨシ", "鈴木", "鈴木清"])
def test_find_the_demo_caller(session: Session, demo: None, query: str) -> None:
    from sqlmodel import select

    from carshare.models import Town

    town = session.exec(select(Town)).one()
    assert "鈴木清" in _names(find_callers(session, town.id, query))


def test_short_or_unknown_queries_find_nobody(session: Session, demo: None) -> None:
    from sqlmodel import select

    from carshare.models import Town

    town = session.exec(select(Town)).one()
    assert find_callers(session, town.id, "12") == []
    assert find_callers(session, town.id, "ぬぬぬ") == []
    assert find_callers(session, town.id + 1, "すずき") == []
