"""Staff sign-in, sign-out and password change; a staff session lasts at most 12 hours."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from carshare.db import get_session
from carshare.services.users import UserError, change_password, revoke_sessions, sign_in
from carshare.web.forms import LoginForm, PasswordForm
from carshare.web.security import mark_active

bp = Blueprint("auth", __name__)

SIGNED_IN_KEY = "signed_in_at"
#: A staff session ends this long after sign-in, however busy (the idle limit comes first
#: when the page is left alone).
SESSION_MAX_SECONDS = 12 * 3600


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    """Show the sign-in form; sign the user in when the credentials are right."""
    form = LoginForm()
    if form.validate_on_submit():
        outcome = sign_in(get_session(), form.username.data, form.password.data)
        if outcome.user is not None:
            _fresh_session()
            login_user(outcome.user)
            mark_active()
            session[SIGNED_IN_KEY] = time.time()
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(
            _("This account is locked for 15 minutes after too many wrong passwords. "
              "Please wait, or ask an administrator.") if outcome.refusal == "locked"
            else _("The user name or password is not correct."))
    status = 400 if form.errors else 200
    return render_template("login.html", form=form), status


@bp.before_app_request
def _absolute_lifetime():  # type: ignore[no-untyped-def]
    """End a staff session 12 hours after sign-in, even a busy one (a stolen cookie or a
    shared office PC does not stay signed in for days)."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    started = session.get(SIGNED_IN_KEY)
    if not isinstance(started, int | float):
        session[SIGNED_IN_KEY] = time.time()  # a session from before this rule
        return None
    if time.time() - started <= SESSION_MAX_SECONDS:
        return None
    logout_user()
    _fresh_session()
    flash(_("You were signed out 12 hours after signing in. Please sign in again."))
    target = url_for("auth.login")
    if request.headers.get("HX-Request"):
        return "", 204, {"HX-Redirect": target}
    return redirect(target)


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
