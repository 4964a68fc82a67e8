"""Settings production refuses to start with, each named with the variable that fixes it.

An operator who knowingly runs with one of them (a test behind no TLS proxy, one worker)
lists its name in ``CARSHARE_UNSAFE_ALLOWED``; nothing else switches a check off.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

#: Set by ``deploy/gunicorn.conf.py`` in the master before the workers fork.
WORKERS_VAR = "CARSHARE_WEB_WORKERS"
#: Placeholders shipped in example files: a key containing one is not a secret.
PLACEHOLDERS = ("change-me", "changeme", "dev-only", "not-secret", "testing-secret")
MIN_SECRET_LENGTH = 32
MIN_DISTINCT_CHARACTERS = 10
_REPEATED = re.compile(r"^(.{1,16}?)\1+.{0,16}$", re.DOTALL)


def weak_secret(key: str) -> str | None:
    """Return why ``key`` is no secret (too short, a placeholder, repetitive), or ``None``."""
    lowered = key.lower()
    if len(key) < MIN_SECRET_LENGTH:
        return f"it has {len(key)} characters (at least {MIN_SECRET_LENGTH} are needed)"
    if any(word in lowered for word in PLACEHOLDERS):
        return "it is the placeholder from an example file"
    if len(set(key)) < MIN_DISTINCT_CHARACTERS or _REPEATED.match(key):
        return "it repeats a few characters"
    return None


def web_workers(environ: Mapping[str, str] | None = None) -> int:
    """Return how many web worker processes share this installation (1 when unknown)."""
    raw = (environ if environ is not None else os.environ).get(WORKERS_VAR, "")
    return int(raw) if raw.strip().isdigit() else 1


def unsafe_settings(settings: Mapping[str, Any], workers: int) -> dict[str, str]:
    """Return the unsafe production settings: ``{setting: what is wrong and what to set}``."""
    found: dict[str, str] = {}
    if not settings["WTF_CSRF_ENABLED"]:
        found["WTF_CSRF_ENABLED"] = ("CSRF protection is off; set "
                                     "CARSHARE_WTF_CSRF_ENABLED=true")
    if not settings["SESSION_COOKIE_SECURE"]:
        found["SESSION_COOKIE_SECURE"] = ("cookies would travel without HTTPS; set "
                                          "CARSHARE_SESSION_COOKIE_SECURE=true")
    if str(settings["SESSION_COOKIE_SAMESITE"]).lower() == "none":
        found["SESSION_COOKIE_SAMESITE"] = ("SameSite=None sends the session cookie with "
                                            "other sites' requests; set "
                                            "CARSHARE_SESSION_COOKIE_SAMESITE=Lax or Strict")
    storage = str(settings["RATELIMIT_STORAGE_URI"])
    if storage.startswith("memory://") and workers > 1:
        found["RATELIMIT_STORAGE_URI"] = (
            f"memory:// counts sign-in attempts per process, and {workers} workers run; set "
            "CARSHARE_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 (a shared store)")
    return found


def refusal(settings: Mapping[str, Any], environ: Mapping[str, str] | None = None
            ) -> str | None:
    """Return the message production refuses to start with, naming every unsafe setting,
    or ``None`` when all are safe (or knowingly allowed in ``UNSAFE_ALLOWED``)."""
    allowed = {name.strip().upper() for name in str(settings.get("UNSAFE_ALLOWED", "")).split(",")}
    found = {name: why for name, why in unsafe_settings(settings, web_workers(environ)).items()
             if name not in allowed}
    if not found:
        return None
    reasons = "; ".join(f"CARSHARE_{name}: {why}" for name, why in found.items())
    return f"Production refuses to start with unsafe settings: {reasons}."
