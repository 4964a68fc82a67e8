"""Paged lists: ``limit`` and an opaque ``cursor``; each page links to the next one."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from flask import request, url_for
from flask_babel import gettext as _
from pydantic import Field

from carshare.api.validation import Input, Output
from carshare.presenters.problems import ApiProblem, FieldError
from carshare.services.api_queries import Window

DEFAULT_LIMIT, MAX_LIMIT = 50, 100


class PageQuery(Input):
    """How much of a list to return, and where to go on."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    cursor: str | None = Field(None, max_length=40,
                               description="The `cursor` of `links.next` of the page before.")


class Links(Output):
    """Where this page is, and where the next one is (null on the last page)."""

    self: str
    next: str | None = None


def window(query: PageQuery) -> Window:
    """Return the rows to fetch for a query. :raise ApiProblem: a cursor that is not ours."""
    after = 0
    if query.cursor is not None:
        try:
            after = int(base64.urlsafe_b64decode(query.cursor.encode() + b"==").decode())
        except (binascii.Error, ValueError, UnicodeDecodeError):
            after = -1
        if not 0 < after < 2**31:
            message = _("This cursor is not valid; start again without it.")
            raise ApiProblem(422, "validation", message,
                             [FieldError(field="cursor", code="cursor_invalid", message=message)])
    return Window(after, query.limit)


def links(rows: Sequence[Any], limit: int, more: bool) -> Links:
    """Return the links of a page whose rows have an ``id``."""
    args = {**request.view_args, **request.args.to_dict()}
    nxt = None
    if more and rows:
        cursor = base64.urlsafe_b64encode(str(rows[-1].id).encode()).decode().rstrip("=")
        nxt = url_for(request.endpoint, **(args | {"cursor": cursor, "limit": limit}))
    return Links(self=request.full_path.rstrip("?"), next=nxt)
