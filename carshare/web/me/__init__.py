"""Pages for riders and drivers on their phones, signed in with a one-time code."""

from carshare.web.me import booking as _booking  # noqa: F401  (registers the rider's booking)
from carshare.web.me.access import current_resident, resident_required
from carshare.web.me.views import bp

__all__ = ["bp", "current_resident", "resident_required"]
