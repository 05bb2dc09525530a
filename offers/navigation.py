from . import navigation_bookings, navigation_catalogue


def items(user):
    return navigation_catalogue.items(user) + navigation_bookings.items(user)


def panels(user):
    return navigation_catalogue.panels(user) + navigation_bookings.panels(user)


def school_panels(user, school):
    return navigation_bookings.school_panels(user, school)
