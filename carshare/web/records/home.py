"""The records start page: links to each kind of record."""

from __future__ import annotations

from flask import redirect, url_for

from carshare.web.records.blueprint import bp


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    """Open the residents list, the record staff need most."""
    return redirect(url_for("records.residents"))
