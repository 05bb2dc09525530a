from partnership.navigation import NavItem, Panel
from partnership.roles import Role

from . import selectors


def items(user):
    if user.role == Role.BOARD:
        return [
            NavItem("Board", "governance:boards", order=60),
            NavItem("Meetings", "governance:meetings", order=61),
            NavItem("Task-and-finish", "governance:task_groups", order=62),
            NavItem("Partnership dashboard", "governance:dashboard", order=63),
            NavItem("Priorities", "governance:priorities", order=64),
            NavItem("Actions", "governance:actions", order=65),
        ]
    if user.role == Role.COORDINATOR:
        return [
            NavItem("Board", "governance:boards", order=60),
            NavItem("Meetings", "governance:meetings", order=61),
            NavItem("Task-and-finish", "governance:task_groups", order=62),
            NavItem("Partnership dashboard", "governance:dashboard", order=63),
            NavItem("Priorities", "governance:priorities", order=64),
            NavItem("Actions", "governance:actions", order=65),
            NavItem("Nominations", "governance:nominations", order=66),
        ]
    if user.role == Role.HEADTEACHER:
        return [NavItem("Board minutes", "governance:minutes_list", order=60)]
    if user.role == Role.FINANCE:
        return [NavItem("Board minutes", "governance:minutes_list", order=60)]
    return []


def panels(user):
    if user.role == Role.BOARD:
        meeting = selectors.next_meeting()
        papers = (
            [paper for item in meeting.agenda_items.all() for paper in item.papers.all()]
            if meeting
            else []
        )
        return [
            Panel(
                "governance/panels/board.html",
                {
                    "meeting": meeting,
                    "papers": papers,
                    "overdue_actions": list(selectors.overdue_actions()[:10]),
                    "flagged_groups": list(selectors.flagged_groups()),
                },
                order=20,
            )
        ]
    if user.role == Role.COORDINATOR:
        return [
            Panel(
                "governance/panels/coordinator.html",
                {
                    "vacancies": list(selectors.vacancies()),
                    "expiring": list(selectors.expiring_seats()),
                    "nominations": list(selectors.pending_nominations()),
                    "flagged_groups": list(selectors.flagged_groups()),
                },
                order=60,
            )
        ]
    if user.role == Role.HEADTEACHER:
        return [
            Panel(
                "governance/panels/headteacher.html",
                {
                    "latest_minutes": selectors.meetings_with_published_minutes().first(),
                    "vacancy_count": selectors.vacancies().count(),
                },
                order=80,
            )
        ]
    return []
