"""The JSON API under ``/api/v1``: the console's use cases for other systems.

Thin views again: each parses its input with a pydantic model (through SpecTree, which also
writes the OpenAPI description), calls one service and answers with a pydantic model.
"""

from __future__ import annotations

from flask import Flask

from carshare.api.blueprint import bp


def _register_views() -> None:
    """Import the resource modules, whose views register on the blueprint."""
    from carshare.api import (  # noqa: F401
        docs,
        offers,
        places,
        plans,
        reports,
        residents,
        rides,
        trips,
    )


_register_views()


def init_app(app: Flask) -> None:
    """Mount the API and its token command; the API answers to tokens, not to the CSRF cookie."""
    from carshare.api.cli import api_token_cli
    from carshare.api.tokens_page import pages
    from carshare.extensions import csrf

    csrf.exempt(bp)
    app.register_blueprint(bp)
    app.register_blueprint(pages)
    app.cli.add_command(api_token_cli)

