"""What offers needs to know about memberships, without importing the membership app.

Membership depends on offers (a membership is of a tier), so offers may not read
membership. Booking prices still depend on whether a school is a member and in which
tier: the membership app registers its lookup here when Django starts.
"""

_tier_lookup = None


def register_tier_lookup(lookup):
    """lookup(school, academic_year: str) -> offers.Tier | None for an active membership."""
    global _tier_lookup
    _tier_lookup = lookup


def member_tier(school, academic_year):
    """The tier of the school's active membership in that academic year, or None."""
    if _tier_lookup is None:
        return None
    return _tier_lookup(school, academic_year)
