"""Switch the interface language (Japanese by default, English)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, request, session, url_for

bp = Blueprint("i18n", __name__)


@bp.get("/lang/<code>")
def switch(code: str):  # type: ignore[no-untyped-def]
    """Remember the chosen language for this session and go back where the user was."""
    if code not in [c.strip() for c in current_app.config["LOCALES"].split(",")]:
        abort(404)
    session["lang"] = code
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/"):
        target = url_for("dashboard.index")
    return redirect(target)
