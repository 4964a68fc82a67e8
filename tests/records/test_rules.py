"""Record rules that need no web page: normalised lengths, races on unique columns."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from carshare.services.records.common import RecordError, fit, unique_or


def test_text_that_normalising_lengthens_must_still_fit() -> None:
    assert fit("name", "ab", 2) == "ab"
    with pytest.raises(RecordError) as caught:
        fit("name", "株式会社", 3)
    assert (caught.value.field, caught.value.code, caught.value.params) == ("name", "too_long",
                                                                            {"n": 3})


def test_a_unique_column_taken_meanwhile_becomes_a_form_error() -> None:
    with pytest.raises(RecordError) as caught, unique_or("plate", "plate_taken"):
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))
    assert (caught.value.field, caught.value.code) == ("plate", "plate_taken")
