"""Staff records of one town: residents, drivers, vehicles, places and offers.

One small module per entity. Every function takes the signed-in staff member and touches only
rows of their town; a row of another town is reported as :class:`RecordNotFound`.
"""

from carshare.services.records.common import RecordError, RecordNotFound

__all__ = ["RecordError", "RecordNotFound"]
