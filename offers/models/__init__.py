# The offer catalogue (providers, practitioners, offers, tiers) and, separately,
# bookings and deployments, so each part can grow on its own.
from .catalogue import Offer, OfferPrice, Practitioner, Provider, Tier, TierInclusion

__all__ = ["Offer", "OfferPrice", "Practitioner", "Provider", "Tier", "TierInclusion"]
