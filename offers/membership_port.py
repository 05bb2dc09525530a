"""What offers needs to know about memberships, without importing the membership app.

Membership depends on offers (a membership is of a tier), so offers may not read
membership. Booking prices still depend on whether a school is a member and in which
tier: the membership app registers its lookup here when Django starts.
"""

_tier_lookup = None


def register_tier_lookup(lookup):
    """lookup(school, academic_year: str) -> offers.Tier | None: the tier of a signed
    membership (approved or awaiting approval) that the school books under."""
    global _tier_lookup
    _tier_lookup = lookup


def member_tier(school, academic_year):
    """The tier the school books under in that academic year, or None (a non-member)."""
    if _tier_lookup is None:
        return None
    return _tier_lookup(school, academic_year)
