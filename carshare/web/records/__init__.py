"""Staff records: residents, drivers, vehicles, places and offers of the signed-in town."""

from carshare.web.records import (  # noqa: F401  (each module adds its views to the blueprint)
    drivers,
    home,
    labels,
    offers,
    places,
    residents,
    vehicles,
)
from carshare.web.records.blueprint import bp

__all__ = ["bp"]
