"""Staff sign-in and sign-out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from carshare.db import get_session
from carshare.services.users import authenticate, revoke_sessions
from carshare.web.forms import LoginForm

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    """Show the sign-in form; sign the user in when the credentials are right."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(get_session(), form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("The user name or password is not correct."))
    status = 400 if form.errors else 200
    return render_template("login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():  # type: ignore[no-untyped-def]
    """Sign out everywhere: the session token is rotated, so old cookies stop working."""
    revoke_sessions(get_session(), current_user._get_current_object())
    logout_user()
    flash(_("You have signed out."))
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str:
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/"):
        return target
    return url_for("dashboard.index")
