"""What stays the same for a whole page, looked up once per render instead of once per row.

A day's list calls ``_()`` and the label helpers hundreds of times; through Flask-Babel each
call finds the request, its locale and the catalogue again (about half of the dashboard's
rendering time, issue 21 item 4). Every ``render_template`` gets, instead:

- ``gettext`` / ``_`` / ``ngettext`` bound to the catalogue of this render's locale (a page
  rendered inside ``force_locale`` gets that locale's), escaping and formatting exactly as
  Jinja's own new-style gettext does;
- ``status_label``, ``stop_label``, ``risk_label``: the same labels, each code translated
  once per page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask_babel import get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from carshare.web import labels


def init_app(app: Flask) -> None:
    """Give every template the per-render translations and labels."""
    app.context_processor(_per_render)


def _per_render() -> dict[str, Any]:
    catalogue = get_translations()
    gettext = _gettext(catalogue.ugettext)
    return {"gettext": gettext, "_": gettext, "ngettext": _ngettext(catalogue.ungettext),
            "status_label": _once(labels.status_label), "stop_label": _once(labels.stop_label),
            "risk_label": _once(labels.risk_label)}


def _gettext(translate: Callable[[str], str]) -> Callable[..., str]:
    """Jinja's new-style ``gettext`` (``jinja2.ext``) over ``translate``."""

    @pass_context
    def gettext(context: Context, string: str, /, **variables: Any) -> str:
        text = translate(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables  # always a format string, as Jinja does

    return gettext


def _ngettext(translate: Callable[[str, str, int], str]) -> Callable[..., str]:
    """Jinja's new-style ``ngettext`` (``jinja2.ext``) over ``translate``."""

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, /,
                 **variables: Any) -> str:
        variables.setdefault("num", num)
        text = translate(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return ngettext


def _once(label: Callable[[Any], str]) -> Callable[[Any], str]:
    """``label`` remembering each code's text for this render (the locale cannot change)."""
    seen: dict[Any, str] = {}

    def remembered(code: Any) -> str:
        text = seen.get(code)
        if text is None:
            text = seen[code] = label(code)
        return text

    return remembered
