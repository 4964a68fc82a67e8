"""Drivers' offers as they apply to a given day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_
from sqlmodel import Session, select

from carshare.models import Offer, OfferStatus


def offers_on(session: Session, town_id: int, day: date) -> list[Offer]:
    """Return the active offers of a town that apply on ``day`` (one-off or weekly pattern)."""
    weekly = and_(
        Offer.weekday == day.weekday(),
        or_(Offer.valid_from.is_(None), Offer.valid_from <= day),
        or_(Offer.valid_until.is_(None), Offer.valid_until >= day),
    )
    query = (
        select(Offer)
        .where(Offer.town_id == town_id, Offer.status == OfferStatus.ACTIVE)
        .where(or_(Offer.service_date == day, weekly))
        .order_by(Offer.depart_after, Offer.id)
    )
    return list(session.exec(query))
