"""CSV downloads that Japanese Excel opens correctly and safely.

- UTF-8 with a byte-order mark: Excel in a Japanese locale otherwise reads the file as
  Shift_JIS and garbles every kana and kanji.
- CRLF line ends, as Excel writes them.
- Spreadsheet-formula injection neutralised (OWASP "CSV Injection"): a text cell that starts
  with ``=`` ``+`` ``-`` ``@``, a tab or a carriage return (or their full-width forms, which a
  Japanese IME produces) gets a leading apostrophe, so a resident's name such as
  ``=HYPERLINK(...)`` is shown as text and never run. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from flask import Response

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: Any) -> Any:
    """Return ``value`` safe for a spreadsheet cell: risky text gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Return the CSV document (with BOM) of ``header`` and ``rows``, every cell neutralised."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """Return a CSV download named ``filename`` (ASCII, e.g. ``residents-2026-06-01.csv``)."""
    body = csv_text(header, rows).encode("utf-8")
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
