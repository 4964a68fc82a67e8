"""How a place is named to a driver: a home never by the name it is stored under.

Home places are stored as 「鈴木 花子 宅」 for staff; a driver (on the phone, or on the printed
manifest staff hand over) sees 「利用者様宅（雄信内）」, the rider being greeted by family
name + 様 on the same line, and their own home as 「ご自宅」. Facilities keep their names.
"""

from __future__ import annotations

from flask_babel import gettext as _

from carshare.models import Place, PlaceKind


def driver_place_label(place: Place, own_home_id: int | None = None) -> str:
    """Return the label a driver sees for ``place``.

    :param own_home_id: the driver's own home place (shown as "Your home").
    """
    if place.kind != PlaceKind.HOME:
        return place.name
    if own_home_id is not None and place.id == own_home_id:
        return _("Your home")
    settlement = place.settlement.strip()
    if settlement:
        return _("Rider's home (%(settlement)s)", settlement=settlement)
    return _("Rider's home")
