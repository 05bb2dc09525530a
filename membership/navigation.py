from partnership.navigation import NavItem, Panel
from partnership.roles import Role


def items(user):
    if user.role == Role.HEADTEACHER:
        return [NavItem("Membership", "membership:mine", order=20)]
    if user.role == Role.COORDINATOR:
        return [
            NavItem("Memberships", "membership:list", order=20),
            NavItem("Expressions of interest", "membership:interests", order=21),
            NavItem("Renewals", "membership:renewals", order=22),
        ]
    if user.role == Role.FINANCE:
        return [NavItem("Fee schedule", "membership:fee_schedule", order=40)]
    return []


def panels(user):
    from schools.permissions import own_school

    from . import selectors

    if user.role == Role.COORDINATOR:
        return [
            Panel(
                "membership/panels/pending.html",
                {
                    "memberships": list(selectors.pending_approvals()),
                    "count": selectors.pending_approval_count(),
                },
                order=10,
            )
        ]
    if user.role == Role.HEADTEACHER:
        school = own_school(user)
        year = selectors.current_year()
        if school is None or year is None:
            return []
        return [
            Panel(
                "membership/panels/school.html",
                {
                    "school": school,
                    "year": year,
                    "membership": selectors.open_membership(school, year),
                },
                order=10,
            )
        ]
    return []


def school_panels(user, school):
    """The school's memberships, year by year, with the fee and how it was worked out."""
    from .selectors import memberships_of_school

    if user.role not in (Role.COORDINATOR, Role.FINANCE, Role.HEADTEACHER):
        return []
    return [
        Panel(
            "membership/panels/school_record.html",
            {"memberships": list(memberships_of_school(school)[:10]), "school": school},
            order=10,
        )
    ]
