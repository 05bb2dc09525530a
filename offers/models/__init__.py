# The offer catalogue (providers, practitioners, offers, tiers) and, separately,
# bookings and deployments, so each part can grow on its own.
from .bookings import (
    Booking,
    CommissionedPackage,
    CourseSession,
    DelegatePlace,
    Deployment,
    DeploymentDay,
    OfferCancellationPolicy,
)
from .catalogue import DayRate, Offer, OfferPrice, Practitioner, Provider, Tier, TierInclusion
from .evaluations import Evaluation, EvaluationQuestion, EvaluationRating
from .impact import SupportObjective
from .waiting import WaitingListEvent

__all__ = [
    "Booking",
    "CommissionedPackage",
    "CourseSession",
    "DayRate",
    "DelegatePlace",
    "Deployment",
    "DeploymentDay",
    "Evaluation",
    "EvaluationQuestion",
    "EvaluationRating",
    "Offer",
    "OfferCancellationPolicy",
    "OfferPrice",
    "Practitioner",
    "Provider",
    "SupportObjective",
    "Tier",
    "TierInclusion",
    "WaitingListEvent",
]
