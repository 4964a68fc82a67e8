"""WSGI entry point: ``flask --app app ...`` and ``gunicorn app:app``."""

from carshare import create_app
from config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    raise SystemExit(f"carshare: configuration error: {error}") from None
