"""Flask extensions, created once and bound to the app in ``init_app``."""

from __future__ import annotations

from flask import Flask, request, session
from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "basic"


def select_locale() -> str:
    """Pick the UI language: the one chosen in this session, else Japanese (the default)."""
    from flask import current_app

    locales = [loc.strip() for loc in current_app.config["LOCALES"].split(",")]
    if request.path.startswith("/api/v1/"):  # the API has no session: Accept-Language decides
        return request.accept_languages.best_match(locales) or current_app.config["DEFAULT_LOCALE"]
    chosen = request.args.get("lang") or session.get("lang")
    return chosen if chosen in locales else current_app.config["DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    """Bind the extensions to ``app``."""
    from flask_babel import lazy_gettext

    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_message = lazy_gettext("Please sign in to see this page.")
    login_manager.user_loader(_load_user)


def _load_user(identity: str):  # type: ignore[no-untyped-def]
    from carshare.db import get_session
    from carshare.services.users import user_for_session
    from carshare.web.security import act_in_chosen_town

    user = user_for_session(get_session(), identity)
    return act_in_chosen_town(user) if user is not None else None
