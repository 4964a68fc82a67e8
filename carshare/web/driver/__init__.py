"""The driver's pages on their phone: offers, questions to answer, the day's manifest, calendar."""

from carshare.web.driver import answers, calendar, costs, day, offers  # noqa: F401  (routes)
from carshare.web.driver.blueprint import bp

__all__ = ["bp"]
