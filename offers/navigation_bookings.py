from django.db.models import Count, Q
from django.utils import timezone

from partnership.navigation import NavItem, Panel
from partnership.roles import Role
from schools.permissions import schools_for

from . import selectors_bookings as selectors
from .models import Booking, Deployment


def items(user):
    if user.role == Role.HEADTEACHER:
        return [
            NavItem("Bookings", "offers:booking_list", order=30),
            NavItem("CPD courses", "offers:session_list", order=32),
            NavItem("CPD delegates", "offers:delegate_list", order=33),
        ]
    if user.role == Role.COORDINATOR:
        return [
            NavItem("Bookings", "offers:booking_list", order=30),
            NavItem("Deployments", "offers:deployment_list", order=31),
            NavItem("CPD courses", "offers:session_list", order=32),
            NavItem("CPD registers", "offers:register_list", order=33),
            NavItem("Demand", "offers:demand", order=34),
            NavItem("Waiting lists", "offers:waiting_lists", order=34),
            NavItem("Commissioned support", "offers:package_list", order=35),
        ]
    if user.role == Role.PRACTITIONER:
        # First in their section: a practitioner comes for their own days, not the offer.
        return [
            NavItem("Your deployments", "offers:my_deployments", order=15),
            NavItem("CPD registers", "offers:register_list", order=32),
        ]
    return []


def panels(user):
    if user.role == Role.HEADTEACHER:
        counts = Booking.objects.filter(school__in=schools_for(user)).aggregate(
            open=Count(
                "pk", filter=Q(status__in=[Booking.Status.REQUESTED, Booking.Status.CONFIRMED])
            ),
            waiting=Count("pk", distinct=True, filter=Q(status=Booking.Status.WAITING)),
        )
        counts["offered"] = list(
            Booking.objects.filter(school__in=schools_for(user), status=Booking.Status.OFFERED)
            .select_related("offer")
            .order_by("offer_expires_at")[:5]
        )
        return [Panel("offers/bookings/panel_head.html", counts, order=30)]
    if user.role == Role.COORDINATOR:
        # Only open bookings count here; most bookings are delivered or cancelled.
        open_statuses = [
            Booking.Status.REQUESTED,
            Booking.Status.WAITING,
            Booking.Status.OFFERED,
            Booking.Status.CONFIRMED,
        ]
        counts = Booking.objects.filter(status__in=open_statuses).aggregate(
            requested=Count("pk", distinct=True, filter=Q(status=Booking.Status.REQUESTED)),
            waiting=Count("pk", distinct=True, filter=Q(status=Booking.Status.WAITING)),
            offered=Count("pk", distinct=True, filter=Q(status=Booking.Status.OFFERED)),
            to_deploy=Count(
                "pk",
                distinct=True,
                filter=Q(
                    status=Booking.Status.CONFIRMED, session__isnull=True, deployments__isnull=True
                ),
            ),
        )
        return [Panel("offers/bookings/panel_coordinator.html", counts, order=30)]
    if user.role == Role.PRACTITIONER:
        today = timezone.localdate()
        return [
            Panel(
                "offers/deployments/panel_practitioner.html",
                {
                    "days": selectors.upcoming_days(user, today),
                    "to_confirm": Deployment.objects.filter(
                        practitioner__user=user,
                        status=Deployment.Status.PLANNED,
                        dates__date__lt=today,
                    )
                    .distinct()
                    .count(),
                },
                order=30,
            )
        ]
    return []


def school_panels(user, school):
    """The school's latest bookings (charge as it stands: a cancelled booking's is its
    cancellation charge) and, for the coordinator, the practitioners deployed to it."""
    if user.role not in (Role.COORDINATOR, Role.FINANCE, Role.HEADTEACHER):
        return []
    bookings = list(
        Booking.objects.filter(school=school)
        .select_related("offer", "session")
        .order_by("-created", "-pk")[:15]
    )
    deployments = []
    if user.role == Role.COORDINATOR:
        deployments = list(
            Deployment.objects.filter(Q(booking__school=school) | Q(package__school=school))
            .select_related("practitioner", "booking__offer", "package__offer")
            .prefetch_related("dates")
            .order_by("-pk")[:15]
        )
    return [
        Panel(
            "offers/panels/school_record.html",
            {"bookings": bookings, "deployments": deployments, "school": school},
            order=20,
        )
    ]
