"""Security wiring: headers and CSP, sign-in rate limits, the idle timeout and the town switch.

- Flask-Talisman sets the security headers and a content security policy without
  ``'unsafe-inline'``: every script and style is a static file.
- Flask-Limiter counts failed staff sign-ins and phone sign-in attempts; memory storage for
  one process, ``CARSHARE_RATELIMIT_STORAGE_URI`` (e.g. Redis) when several workers share.
- A staff session ends after ``CARSHARE_IDLE_TIMEOUT_MINUTES`` without activity (checked on
  the server against the last-activity time in the signed session); ``session-timeout.js``
  warns before that and offers to stay signed in.
- An admin linked to several towns switches the town they work in; every view then sees only
  that town, through ``current_user.town_id``.
"""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, logout_user
from flask_talisman import Talisman
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms.validators import ValidationError

from carshare.db import get_session
from carshare.extensions import login_manager
from carshare.models import StaffUser
from carshare.services.users import towns_of, user_for_session

bp = Blueprint("security", __name__)

#: Requests that refresh a page by themselves: they do not count as activity.
BACKGROUND_ENDPOINTS = frozenset({"dashboard.days", "dashboard.replan_status", "static",
                                  "security.session_state"})
IDLE_HEADER = "X-Carshare-Idle-Left"
SEEN_KEY = "seen_at"
TOWN_KEY = "town_id"


def init_app(app: Flask) -> None:
    """Wire headers, limits, the idle timeout and the security views into ``app``."""
    register_headers(app)
    register_limits(app)
    app.before_request(_refuse_control_characters)
    app.before_request(_idle_check)
    app.after_request(_idle_left_header)
    app.after_request(_private_answers)
    app.context_processor(_context)
    app.register_error_handler(RateLimitExceeded, _too_many)
    app.register_error_handler(ValidationError, _bad_token)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_blueprint(bp)
    login_manager.user_loader(load_user)


def load_user(identity: str) -> StaffUser | None:
    """Return the user of a signed-in session (staff act in the town they chose), or None."""
    user = user_for_session(get_session(), identity)
    return act_in_chosen_town(user) if user is not None else None


# --- headers and content security policy -------------------------------------------------

def content_security_policy(app: Flask) -> dict[str, str | list[str]]:
    """Return the CSP: only this site's scripts, styles and connections; map tiles if set.

    Trusted Types are required for every HTML sink, and only the ``default`` policy of
    ``static/trusted-types.js`` may exist: markup any script inserts loses its ``<meta
    http-equiv>`` tags, since browsers honour an inserted refresh and no other directive stops
    it (``navigate-to`` never shipped). Browsers without Trusted Types ignore both directives.
    """
    images = ["'self'", "data:"]
    tiles = app.config["MAP_TILES_URL"]
    if tiles:
        parts = urlsplit(tiles.replace("{s}", "*"))
        images.append(f"{parts.scheme}://{parts.netloc}")
    return {"default-src": "'self'", "script-src": "'self'", "style-src": "'self'",
            "img-src": images, "connect-src": "'self'", "font-src": "'self'",
            "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'",
            "frame-ancestors": "'none'", "worker-src": "'self'", "manifest-src": "'self'",
            "require-trusted-types-for": "'script'", "trusted-types": "default"}


def register_headers(app: Flask) -> None:
    """Set security headers and cookie flags with Flask-Talisman (TLS is the proxy's job)."""
    secure, same_site = app.config["SESSION_COOKIE_SECURE"], app.config["SESSION_COOKIE_SAMESITE"]
    if same_site not in ("Lax", "Strict", "None"):
        from config import ConfigError

        raise ConfigError(f"CARSHARE_SESSION_COOKIE_SAMESITE={same_site!r}: use Lax, Strict "
                          "or None.")
    Talisman(app, force_https=False, strict_transport_security=secure,
             session_cookie_secure=secure, session_cookie_http_only=True,
             session_cookie_samesite=same_site,
             content_security_policy=content_security_policy(app), frame_options="DENY",
             referrer_policy="same-origin",
             permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"})
    app.config["SESSION_COOKIE_HTTPONLY"] = True


#: Answers that carry personal data or a signed-in page: never kept in any cache.
NO_STORE_PREFIXES = ("/api/", "/me/", "/driver/")
#: Sign-out answers: the browser forgets this site's caches and storage (the driver's offline
#: manifest, its service worker, queued presses). Cookies are ended one by one by the views,
#: since "cookies" would also end sessions of other sites under the same registrable domain.
CLEAR_SITE_DATA = '"cache", "storage"'
SIGN_OUT_ENDPOINTS = frozenset({"auth.logout", "me.logout"})


def _private_answers(response):  # type: ignore[no-untyped-def]
    """``no-store`` on API, phone and driver answers; ``Clear-Site-Data`` on every sign-out,
    including a phone whose sign-in ended elsewhere (its cookie no longer signs anyone in)."""
    if _is_private(request.path) and "no-store" not in response.headers.get("Cache-Control", ""):
        response.headers["Cache-Control"] = "no-store"
    if request.endpoint in SIGN_OUT_ENDPOINTS or _phone_signed_out_elsewhere(response):
        response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def _is_private(path: str) -> bool:
    return path.startswith(NO_STORE_PREFIXES) or path in ("/api/v1", "/me", "/driver")


def _phone_signed_out_elsewhere(response) -> bool:  # type: ignore[no-untyped-def]
    """Tell whether this phone sent a sign-in cookie that no longer signs anyone in; if so,
    drop the cookie too (so the clearing happens once)."""
    from carshare.web.me.access import COOKIE, current_resident

    if (not request.cookies.get(COOKIE) or response.status_code >= 500
            or not _is_private(request.path) or request.path.startswith("/api")):
        return False
    if any(h.startswith(f"{COOKIE}=") for h in response.headers.getlist("Set-Cookie")):
        return False  # a new sign-in on this answer
    if current_resident() is not None:
        return False
    response.delete_cookie(COOKIE, httponly=True, samesite="Lax",
                           secure=current_app.config["SESSION_COOKIE_SECURE"])
    return True


# --- rate limits -----------------------------------------------------------------------

def _user_and_address() -> str:
    name = request.form.get("username", "").strip().lower()[:40]
    return f"{get_remote_address()}|{name}"


def _signed_in_resident() -> str:
    """Count a phone's bookings per signed-in resident (else per address)."""
    from carshare.web.me.access import current_resident

    resident = current_resident()
    return f"resident:{resident.id}" if resident is not None else get_remote_address()


def _failed(response: Any) -> bool:
    return response.status_code >= 400


def register_limits(app: Flask) -> Limiter:
    """Limit failed staff sign-ins and phone sign-in attempts; return the limiter."""
    limiter = Limiter(key_func=get_remote_address, app=app,
                      storage_uri=app.config["RATELIMIT_STORAGE_URI"],
                      key_prefix=app.config.get("RATELIMIT_KEY_PREFIX", "carshare"))
    login, code = app.config["LOGIN_RATE_LIMIT"], app.config["SIGNIN_CODE_RATE_LIMIT"]
    _limit(app, limiter, "auth.login", login, key_func=_user_and_address, deduct_when=_failed)
    _limit(app, limiter, "auth.login", app.config["LOGIN_RATE_LIMIT_PER_ADDRESS"],
           deduct_when=_failed, scope="address")
    _limit(app, limiter, "me.login", code)
    _limit(app, limiter, "me.code", code, deduct_when=_failed)
    _limit(app, limiter, "me.book", app.config["RIDER_BOOKING_RATE_LIMIT"],
           key_func=_signed_in_resident, scope="rider")
    app.extensions["carshare.limiter"] = limiter
    return limiter


def _limit(app: Flask, limiter: Limiter, endpoint: str, value: str, **options: Any) -> None:
    view = app.view_functions.get(endpoint)
    if view is not None:
        app.view_functions[endpoint] = limiter.limit(value, methods=["POST"], **options)(view)


def _too_many(error: RateLimitExceeded):  # type: ignore[no-untyped-def]
    message = _("Too many attempts. Please wait a few minutes and try again.")
    response = current_app.make_response(
        (render_template("error.html", status=429, message=message), 429))
    response.headers["Retry-After"] = str(60)
    return response


def _too_large(error: RequestEntityTooLarge):  # type: ignore[no-untyped-def]
    """A body over ``MAX_CONTENT_LENGTH``: a problem for the API, else a translated page."""
    if request.path.startswith("/api/"):
        from carshare.presenters.problems import from_http

        return from_http(error)
    message = _("What was sent is too large. Please send less at once.")
    return render_template("error.html", status=413, message=message), 413


def _bad_token(error: ValidationError):  # type: ignore[no-untyped-def]
    """A view that checks its CSRF token itself (``validate_csrf``) got none or a bad one."""
    from flask_wtf.csrf import CSRFError

    from carshare.web.errors import handle_csrf_error

    return handle_csrf_error(CSRFError(str(error)))


# --- control characters -----------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_OWN_VALIDATION = ("/hooks/", "/api/")  # Twilio's signed fields; the API answers in JSON


def _refuse_control_characters():  # type: ignore[no-untyped-def]
    """Refuse form fields and query values with control characters (tabs and newlines pass).

    Nothing typed on a keyboard produces them; stored, they break CSV files, SMS and
    PostgreSQL (NUL). One check here covers every form, including those added later.
    """
    if request.path.startswith(_OWN_VALIDATION):
        return None
    values = [*request.args.values(), *(request.form.values() if request.form else [])]
    if any(_CONTROL.search(v) for v in values):
        message = _("The text contains invisible control characters. Please type it again.")
        return render_template("error.html", status=400, message=message), 400
    return None


# --- idle timeout ------------------------------------------------------------------------

def idle_seconds() -> int:
    """Return how long a staff session may stay unused."""
    return int(current_app.config["IDLE_TIMEOUT_MINUTES"]) * 60


def _idle_check():  # type: ignore[no-untyped-def]
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = time.time()
    seen = session.get(SEEN_KEY)
    if isinstance(seen, int | float) and now - seen > idle_seconds():
        logout_user()
        session.pop(SEEN_KEY, None)
        session.pop(TOWN_KEY, None)
        flash(_("You were signed out because the page was not used for a while."))
        target = url_for("auth.login", next=request.path if request.method == "GET" else None)
        if request.headers.get("HX-Request"):
            return "", 204, {"HX-Redirect": target}
        return redirect(target)
    if seen is None or request.endpoint not in BACKGROUND_ENDPOINTS:
        session[SEEN_KEY] = now
    return None


def mark_active() -> None:
    """Start the idle clock now (at sign-in)."""
    session[SEEN_KEY] = time.time()


def _idle_left_header(response):  # type: ignore[no-untyped-def]
    seen = session.get(SEEN_KEY)
    if current_user.is_authenticated and isinstance(seen, int | float):
        left = max(0, int(seen + idle_seconds() - time.time()))
        response.headers[IDLE_HEADER] = str(left)
        response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.post("/session/keepalive")
@login_required
def keepalive():  # type: ignore[no-untyped-def]
    """Stay signed in: the request itself counts as activity; go back to the page."""
    if request.headers.get("HX-Request") or request.accept_mimetypes.best == "application/json":
        return {"idle_left": idle_seconds()}
    return redirect(_same_site(request.form.get("next")))


@bp.get("/session/state")
@login_required
def session_state():  # type: ignore[no-untyped-def]
    """Tell the idle-warning script how long this session has left (not counted as activity)."""
    seen = session.get(SEEN_KEY, time.time())
    return {"idle_left": max(0, int(seen + idle_seconds() - time.time()))}


def _same_site(target: str | None) -> str:
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/"):
        return target
    return url_for("dashboard.index")


# --- the town an admin works in ----------------------------------------------------------

def act_in_chosen_town(user: StaffUser) -> StaffUser:
    """Make ``user`` work in the town chosen with the switcher, if they may; return it.

    The loaded row is detached from the database session first, so the switch lives only in
    this request and is never written back.
    """
    chosen = session.get(TOWN_KEY)
    if not isinstance(chosen, int) or chosen == user.town_id:
        return user
    db = get_session()
    if chosen not in {t.id for t in towns_of(db, user.id)}:
        session.pop(TOWN_KEY, None)
        return user
    db.expunge(user)
    user.town_id = chosen
    return user


@bp.post("/town")
@login_required
def switch_town():  # type: ignore[no-untyped-def]
    """Work in another of the admin's towns from now on (404 for a town not theirs)."""
    from flask import abort

    raw = request.form.get("town_id", "")
    if not raw.isdigit():
        abort(400)
    allowed = {t.id: t for t in towns_of(get_session(), current_user.id)}
    if int(raw) not in allowed:
        abort(404)
    session[TOWN_KEY] = int(raw)
    flash(_("You now work in %(town)s.", town=allowed[int(raw)].name))
    return redirect(url_for("dashboard.index"))


def _context() -> dict[str, Any]:
    if not current_user.is_authenticated:
        return {"staff_towns": [], "idle_timeout": 0}
    towns = towns_of(get_session(), current_user.id)
    return {"staff_towns": towns if len(towns) > 1 else [], "idle_timeout": idle_seconds(),
            "idle_warning": int(current_app.config["IDLE_WARNING_SECONDS"])}
