"""Staff sign-in, sign-out and password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from carshare.db import get_session
from carshare.services.users import UserError, authenticate, change_password, revoke_sessions
from carshare.web.forms import LoginForm, PasswordForm
from carshare.web.security import mark_active

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    """Show the sign-in form; sign the user in when the credentials are right."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(get_session(), form.username.data, form.password.data)
        if user is not None:
            _fresh_session()
            login_user(user)
            mark_active()
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("The user name or password is not correct."))
    status = 400 if form.errors else 200
    return render_template("login.html", form=form), status


def _fresh_session() -> None:
    """Drop everything an earlier visitor left in the session (fixation), keep the language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


@bp.post("/logout")
@login_required
def logout():  # type: ignore[no-untyped-def]
    """Sign out everywhere: the session token is rotated, so old cookies stop working."""
    revoke_sessions(get_session(), current_user.id)
    logout_user()
    _fresh_session()
    flash(_("You have signed out."))
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():  # type: ignore[no-untyped-def]
    """Change one's own password; every other session of the account ends."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(get_session(), current_user.id, form.current.data, form.new.data)
        except UserError as error:
            get_session().rollback()
            _field_error(form, str(error))
        else:
            logout_user()
            _fresh_session()
            flash(_("Your password was changed. Please sign in with the new one."))
            return redirect(url_for("auth.login"))
    return render_template("password.html", form=form), 400 if form.errors else 200


def _field_error(form: PasswordForm, reason: str) -> None:
    if "current password" in reason:
        form.current.errors = [_("The current password is not correct.")]
    elif "at least" in reason:
        form.new.errors = [_("Use at least 12 characters.")]
    else:
        form.new.errors = [_("This password is too common or too easy to guess. "
                             "Use a longer phrase of unrelated words.")]


def _safe_next(target: str | None) -> str:
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/"):
        return target
    return url_for("dashboard.index")
