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
    """Bind the extensions to ``app`` (``carshare.web.security`` loads the signed-in user)."""
    from flask_babel import lazy_gettext

    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_message = lazy_gettext("Please sign in to see this page.")

