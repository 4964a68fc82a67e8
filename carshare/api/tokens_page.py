"""The API tokens page: staff manage their own tokens, admins also the town's integrations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from carshare.db import get_session
from carshare.models import ApiScope, ApiToken, StaffRole, StaffUser
from carshare.services.api_tokens import (
    TokenError,
    create_token,
    list_tokens,
    may_manage,
    revoke_token,
)

pages = Blueprint("api_tokens", __name__)
MESSAGES = {"name_missing": _l("Enter a name for the token."),
            "too_long": _l("Use at most 80 characters."),
            "name_taken": _l("A token of your town already has this name."),
            "unknown_owner": _l("Choose who the token acts for.")}


class TokenForm(FlaskForm):
    """A new token: its name, what it may do, and whom it acts for."""

    name = StringField(_l("Name (what the token is for)"),
                       validators=[DataRequired(_l("Enter a name for the token.")),
                                   Length(max=80)])
    scope = RadioField(_l("May"), default="read",
                       choices=[("read", _l("Read only")), ("write", _l("Read and write"))])
    owner = RadioField(_l("Acts for"), default="me",
                       choices=[("me", _l("Me")),
                                ("integration", _l("An integration (no person)"))])
    submit = SubmitField(_l("Create token"))


class RevokeForm(FlaskForm):
    """Revoke a token (CSRF only)."""


def _form() -> TokenForm:
    form = TokenForm()
    if current_user.role != StaffRole.ADMIN:
        form.owner.choices = [("me", _l("Me"))]
    return form


def _owners(tokens: list[ApiToken]) -> dict[int, str]:
    ids = {t.staff_user_id for t in tokens if t.staff_user_id}
    return {i: get_session().get(StaffUser, i).display_name for i in ids}


def _render(form: TokenForm, secret: str | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    tokens = list_tokens(get_session(), current_user.town_id, current_user)
    return render_template("api/tokens.html", form=form, tokens=tokens, owners=_owners(tokens),
                           secret=secret, revoke_form=RevokeForm()), status


@pages.get("/api-tokens")
@login_required
def index():  # type: ignore[no-untyped-def]
    """List the tokens the staff member may manage, with the form for a new one."""
    return _render(_form())


@pages.post("/api-tokens")
@login_required
def create():  # type: ignore[no-untyped-def]
    """Create a token and show its secret once (the page is not cached)."""
    form = _form()
    if not form.validate_on_submit():
        return _render(form, status=400)
    owner = current_user if form.owner.data == "me" else None
    try:
        new = create_token(get_session(), current_user.town_id, form.name.data,
                           ApiScope(form.scope.data), owner, current_user)
    except TokenError as error:
        form.name.errors = [str(MESSAGES.get(error.code, error.code))]
        return _render(form, status=400)
    response, status = _render(_form(), new.secret)
    return response, status, {"Cache-Control": "no-store"}


@pages.post("/api-tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):  # type: ignore[no-untyped-def]
    """Revoke a token: it stops opening the API at once."""
    token = get_session().get(ApiToken, token_id)
    if token is None or not may_manage(current_user, token):
        abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    revoke_token(get_session(), token, current_user)
    flash(_("The token was revoked."))
    return redirect(url_for("api_tokens.index"))
