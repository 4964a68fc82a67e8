"""SQLModel tables, one module per area; importing this package registers them all."""

from carshare.models.access import StaffTown
from carshare.models.api import ApiScope, ApiToken
from carshare.models.base import AwareDateTime, utcnow
from carshare.models.costs import FuelPrice, Gift, TownCostSettings, TripCostItem, TripDistance
from carshare.models.devices import DeviceSession, SigninCode
from carshare.models.fleet import Offer, OfferCreate, OfferPublic, OfferStatus, Vehicle
from carshare.models.notifications import (
    Notification,
    NotificationChannel,
    NotificationState,
)
from carshare.models.people import (
    ContactChannel,
    Driver,
    PhoneKind,
    Resident,
    ResidentCreate,
    ResidentPhone,
    ResidentPublic,
)
from carshare.models.plans import (
    Plan,
    PlanningRun,
    PlanStatus,
    Route,
    RunStatus,
    Stop,
    StopKind,
    StopStatus,
)
from carshare.models.privacy import ConsentMethod, ConsentScope, ResidentConsent
from carshare.models.rides import (
    OPEN_STATUSES,
    QUOTE_MINUTES,
    RequestChannel,
    RequestStatus,
    RideRequest,
    RideRequestCreate,
    RideRequestPublic,
    WindowKind,
)
from carshare.models.staff import AuditLog, StaffRole, StaffUser
from carshare.models.tasks import TaskMark
from carshare.models.town import Place, PlaceCreate, PlaceKind, PlacePublic, Town
from carshare.models.travel import ClosureKind, RoadClosure, TownTravelSettings
from carshare.models.trips import Assignment, AssignmentState, TripEvent, TripEventKind

__all__ = [
    "ApiScope", "ApiToken",
    "FuelPrice", "Gift", "TownCostSettings", "TripCostItem", "TripDistance",
    "OPEN_STATUSES", "QUOTE_MINUTES", "AuditLog", "AwareDateTime", "ContactChannel",
    "DeviceSession", "Driver",
    "Notification", "SigninCode", "Assignment", "AssignmentState", "TripEvent", "TripEventKind",
    "NotificationChannel", "NotificationState", "Offer", "OfferCreate", "OfferPublic",
    "OfferStatus", "PhoneKind", "Place", "PlaceCreate", "PlaceKind", "PlacePublic", "Plan",
    "PlanStatus", "PlanningRun", "RunStatus", "RequestChannel", "RequestStatus", "Resident",
    "ResidentCreate",
    "ResidentPhone", "ResidentPublic", "RideRequest", "RideRequestCreate", "RideRequestPublic",
    "Route", "StaffRole", "StaffTown", "StaffUser", "Stop", "StopKind", "StopStatus", "Town",
    "Vehicle",
    "WindowKind", "utcnow", "ConsentMethod", "ConsentScope", "ResidentConsent",
    "TownTravelSettings", "ClosureKind", "RoadClosure", "TaskMark",
]
