"""Staff pages of actual-cost sharing: settings, fuel prices, trip costs, receipts, ledgers."""

from carshare.web.costs import ledger, settings, trips  # noqa: F401  (routes)
from carshare.web.costs.blueprint import bp

__all__ = ["bp"]
