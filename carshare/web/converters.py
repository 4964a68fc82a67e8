"""URL converters: a path id is a row id of the database or the route does not match (404)."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

#: Row ids are INTEGER columns: 32-bit signed on PostgreSQL (SQLite would take 64 bits).
MAX_ID = 2**31 - 1


def up_to(limit: int) -> str:
    """Return a regular expression matching the decimal numbers 0..``limit`` (no sign).

    The path itself must not match: werkzeug checks a converter's bounds only after it chose
    a rule, so a number that matched the pattern but is out of bounds would be a 405 where
    the same path has a rule for another method.
    """
    digits = str(limit)
    parts = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        if digit != "0":
            rest = len(digits) - i - 1
            parts.append(f"{digits[:i]}[0-{int(digit) - 1}]" + (f"[0-9]{{{rest}}}" if rest
                                                                  else ""))
    parts.append(digits)
    return "(?:" + "|".join(parts) + ")"


class RowIdConverter(IntegerConverter):
    """``int`` in a route: a whole number from 0 to :data:`MAX_ID`; a larger one matches no
    route (404) instead of reaching the database driver as an overflow (500)."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = MAX_ID, signed: bool = False) -> None:
        bound = MAX_ID if max is None or max > MAX_ID else max
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=bound, signed=signed)
        if not signed and not fixed_digits:
            self.regex = up_to(bound)


def init_app(app: Flask) -> None:
    """Make ``<int:...>`` in every route (web and API) a database row id; call this before any
    blueprint is registered, as rules pick their converter when they are added."""
    app.url_map.converters["int"] = RowIdConverter
