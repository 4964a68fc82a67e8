"""Twilio webhooks: delivery status and voice keypresses, signed, CSRF-exempt, idempotent."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, current_app, request
from twilio.request_validator import RequestValidator
from werkzeug.middleware.proxy_fix import ProxyFix

from carshare.db import get_session
from carshare.extensions import csrf
from carshare.models import Notification
from carshare.notifications.settings import NotifySettings
from carshare.notifications.twilio_voice import answer_twiml
from carshare.services import notify_hooks

bp = Blueprint("hooks", __name__, url_prefix="/hooks/twilio")
csrf.exempt(bp)


def init_app(app: Flask) -> None:
    """Register the blueprint; trust ``PROXY_FIX_HOPS`` proxies for the signed URL."""
    hops = app.config["PROXY_FIX_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops,  # type: ignore[method-assign]
                                x_port=hops, x_prefix=hops)
    app.register_blueprint(bp)


def _signed_urls() -> list[str]:
    """The URLs Twilio may have signed: as this request arrived, and as we published it."""
    urls = [request.url]
    public = current_app.config["PUBLIC_URL"].rstrip("/")
    if public:
        query = request.query_string.decode()
        urls.append(f"{public}{request.path}" + (f"?{query}" if query else ""))
    return urls


def require_signature() -> None:
    """Abort with 403 unless ``X-Twilio-Signature`` signs this request with our token."""
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        abort(403)
    validator = RequestValidator(token)
    if not any(validator.validate(url, request.form, signature) for url in _signed_urls()):
        abort(403)


def _row(row_id: int) -> Notification:
    sid = request.form.get("MessageSid") or request.form.get("CallSid") or ""
    row = notify_hooks.callback_row(get_session(), row_id, sid)
    if row is None:
        abort(404)
    return row


@bp.post("/status/<int:row_id>")
def status(row_id: int) -> tuple[str, int]:
    """Record a message's or call's delivery status."""
    require_signature()
    row = _row(row_id)
    state = (request.form.get("MessageStatus") or request.form.get("SmsStatus")
             or request.form.get("CallStatus") or "")
    if not state:
        abort(400)
    notify_hooks.apply_status(get_session(), row, state, request.form.get("ErrorCode", ""))
    return "", 204


@bp.post("/voice/<int:row_id>/gather")
def gather(row_id: int) -> Response:
    """Act on the key a called resident pressed and answer with TwiML."""
    require_signature()
    row = _row(row_id)
    digit = request.form.get("Digits", "")[:1]
    answer = notify_hooks.apply_keypress(get_session(), row, digit,
                                         NotifySettings.from_config(current_app.config))
    again = request.url if answer == "unknown" else ""
    return Response(answer_twiml(answer, row.language, again), mimetype="application/xml")
