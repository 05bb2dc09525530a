from . import navigation_bookings, navigation_catalogue, navigation_impact
from .navigation_catalogue import settings_panels  # noqa: F401 (gathered by partnership)


def items(user):
    return (
        navigation_catalogue.items(user)
        + navigation_bookings.items(user)
        + navigation_impact.items(user)
    )


def panels(user):
    return (
        navigation_catalogue.panels(user)
        + navigation_bookings.panels(user)
        + navigation_impact.panels(user)
    )


def school_panels(user, school):
    return navigation_bookings.school_panels(user, school) + navigation_impact.school_panels(
        user, school
    )
