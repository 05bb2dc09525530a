"""Demo practitioners, cancellation policies, CPD sessions, bookings and deployments.

Runs after the partnership file (which brings the demo offers) and the schools demo.
Idempotent: practitioners and sessions are matched by name and date, bookings by a
"Demo:" note, and a booking that already has deployments is left alone.
"""

from datetime import date, time
from decimal import Decimal

from django.utils import timezone

from partnership.roles import Role
from schools.models import School, SchoolContact
from schools.services import set_causing_concern

from . import services_bookings as services
from . import services_impact
from .models import (
    Booking,
    CommissionedPackage,
    CourseSession,
    Offer,
    OfferCancellationPolicy,
    Practitioner,
    Provider,
)

YEAR = "2026/27"
# Deliveries in the demo are recorded as on this day, so they work whenever it is run.
DELIVERY_RECORDED_ON = date(2026, 11, 20)

PRACTITIONERS = [
    # name, designation, provider code, day cost, days available, demo person?
    ("Priya Practitioner", Practitioner.Designation.SLE, "lle", "350.00", "30", True),
    ("Daniel Okoro", Practitioner.Designation.LLE, "lle", "500.00", "20", False),
    ("Grace Mensah", Practitioner.Designation.ADVISER, "la", "400.00", "40", False),
]
POLICIES = {"peer-review": (14, "50"), "adviser-visit": (10, "50"), "cpd-course": (7, "100")}
SESSIONS = [
    (date(2027, 1, 20), time(9, 30), "Civic Centre, Uxbridge", 30),
    (date(2027, 3, 10), time(13, 30), "Brookfield Primary School, Uxbridge", 2),
]


def build(context):
    offers = {offer.code: offer for offer in Offer.objects.filter(code__in=list(POLICIES))}
    if not offers:
        return
    people = context["people"]
    practitioners = _practitioners(people[Role.PRACTITIONER])
    _home_schools(practitioners)
    for code, (days, percent) in POLICIES.items():
        if code in offers:
            OfferCancellationPolicy.objects.update_or_create(
                offer=offers[code],
                defaults={"free_until_days": days, "charge_percent": Decimal(percent)},
            )
    sessions = []
    if "cpd-course" in offers:
        for day, start, venue, places in SESSIONS:
            session, _ = CourseSession.objects.get_or_create(
                offer=offers["cpd-course"],
                date=day,
                start_time=start,
                defaults={"venue": venue, "places": places},
            )
            sessions.append(session)
    _bookings(people, offers, practitioners, sessions)
    _objectives(people[Role.COORDINATOR])


def _practitioners(demo_user):
    found = {}
    for name, designation, provider_code, day_cost, days, is_demo_person in PRACTITIONERS:
        provider = Provider.objects.filter(code=provider_code).first() or Provider.objects.first()
        if provider is None:
            continue
        practitioner, _ = Practitioner.objects.update_or_create(
            name=name,
            defaults={
                "designation": designation,
                "provider": provider,
                "day_cost": Decimal(day_cost),
                "days_available": Decimal(days),
                "user": demo_user if is_demo_person else None,
                "email": demo_user.email if is_demo_person else "",
            },
        )
        found[name] = practitioner
    return found


def _home_schools(practitioners):
    """The SLE and the LLE are released by schools in the register (not the demo head's
    own), so their delivered days pay those schools' share of the day rate."""
    schools = list(School.objects.open().order_by("-urn")[:2])
    if len(schools) < 2:
        return
    for name, school in zip(("Priya Practitioner", "Daniel Okoro"), schools, strict=True):
        practitioner = practitioners.get(name)
        if practitioner is not None and practitioner.home_school_id is None:
            practitioner.home_school = school
            practitioner.save(update_fields=["home_school"])


def _booking(school, offer, units, head, note, **kwargs):
    existing = Booking.objects.filter(school=school, offer=offer, notes=note).first()
    if existing is not None:
        return existing, False
    booking = services.book(
        school=school,
        offer=offer,
        units=Decimal(units),
        by=head,
        academic_year=YEAR,
        notes=note,
        **kwargs,
    )
    return booking, True


def _head_for(school):
    contact = (
        SchoolContact.objects.current()
        .filter(school=school, user__isnull=False)
        .select_related("user")
        .first()
    )
    return contact.user if contact else None


def _bookings(people, offers, practitioners, sessions):
    head = people[Role.HEADTEACHER]
    coordinator = people[Role.COORDINATOR]
    own = (
        School.objects.filter(contacts__user=head, contacts__left_on__isnull=True)
        .order_by("urn")
        .first()
    )
    others = list(School.objects.open().exclude(pk=getattr(own, "pk", None)).order_by("urn")[:4])
    if own is None or len(others) < 3 or len(practitioners) < 3:
        return
    priya, daniel, grace = (practitioners[name] for name, *_ in PRACTITIONERS)

    if "adviser-visit" in offers:
        visits, new = _booking(
            own,
            offers["adviser-visit"],
            "2",
            head,
            "Demo: two adviser visits",
            preferred_dates="Autumn and spring terms",
            purchase_order="BPS-2026-014",
        )
        if new:
            services.confirm(booking=visits, by=coordinator)
            done = services.deploy(
                work=visits,
                practitioner=priya,
                dates=[date(2026, 11, 10)],
                days=Decimal("1"),
                by=coordinator,
            )
            services.deploy(
                work=visits,
                practitioner=priya,
                dates=[date(2026, 12, 2)],
                days=Decimal("1"),
                by=coordinator,
            )
            services.record_delivery(
                deployment=done, by=priya.user or coordinator, today=DELIVERY_RECORDED_ON
            )
        # Left requested (visits have no set capacity) so the coordinator has one to confirm.
        _booking(
            others[0],
            offers["adviser-visit"],
            "1",
            _head_for(others[0]) or coordinator,
            "Demo: adviser visit",
        )
    if "peer-review" in offers:
        _booking(
            own,
            offers["peer-review"],
            "1",
            head,
            "Demo: peer review",
            preferred_start=date(2027, 2, 9),
        )
        second, new_second = _booking(
            others[1],
            offers["peer-review"],
            "1",
            _head_for(others[1]) or coordinator,
            "Demo: peer review",
        )
        if new_second and second.status == Booking.Status.CONFIRMED:
            delivered = services.deploy(
                work=second,
                practitioner=daniel,
                dates=[date(2026, 11, 4), date(2026, 11, 5)],
                days=Decimal("1.5"),
                by=coordinator,
            )
            services.record_delivery(
                deployment=delivered, by=coordinator, today=DELIVERY_RECORDED_ON
            )
    if sessions:
        small = sessions[-1]
        for index, school in enumerate(others[:3]):
            _booking(
                school,
                small.offer,
                "1",
                _head_for(school) or coordinator,
                f"Demo: CPD place {index + 1}",
                session=small,
                delegates=[f"{school.name} delegate"],
                preferred_start=small.date,
            )
    if "adviser-visit" in offers:
        concern = others[3] if len(others) > 3 else others[2]
        if not School.objects.filter(causing_concern=True).exists():
            concern = set_causing_concern(
                concern,
                causing_concern=True,
                reason="Ofsted: requires improvement",
                since=date(2026, 7, 1),
            )
        concern = School.objects.filter(causing_concern=True).order_by("urn").first()
        if not CommissionedPackage.objects.filter(
            school=concern, notes="Demo: LA-commissioned visits"
        ).exists():
            package = services.commission(
                school=concern,
                offer=offers["adviser-visit"],
                units=Decimal("3"),
                budget=Decimal("1500"),
                by=coordinator,
                academic_year=YEAR,
                reason=f"School causing concern: {concern.concern_reason or 'see its record'}",
                notes="Demo: LA-commissioned visits",
            )
            services.deploy(
                work=package,
                practitioner=grace,
                dates=[date(2026, 11, 25)],
                days=Decimal("1"),
                by=coordinator,
            )


AGREED_ON = date(2026, 10, 1)
# (objective, expected impact, judgement or "" for not yet reviewed, evidence)
OBJECTIVES = {
    "Demo: two adviser visits": [
        (
            "Sharpen the school's self-evaluation of the quality of education",
            "Leaders' self-evaluation matches what the adviser finds in lessons and books",
            "green",
            "Self-evaluation form rewritten; the adviser's learning walk agreed its judgements.",
        ),
        (
            "Middle leaders check the impact of the new maths scheme",
            "Subject leaders report on pupils' progress to governors each term",
            "amber",
            "Two of three subject leaders reported in November; the third is new in post.",
        ),
    ],
    "Demo: peer review": [
        (
            "Act on the peer review's findings on reading in Key Stage 2",
            "More pupils reach the expected standard in reading",
            "red",
            "No action plan yet: the reading lead left at half term.",
        ),
    ],
    "Demo: LA-commissioned visits": [
        (
            "Secure leadership of safeguarding",
            "The single central record and referrals are in order at the next check",
            "green",
            "The LA's safeguarding audit in November found no actions outstanding.",
        ),
        (
            "Improve attendance of disadvantaged pupils",
            "Persistent absence falls below the LA average",
            "",
            "",
        ),
    ],
}


def _objectives(coordinator):
    """Objectives on the demo's brokered support, most reviewed with a RAG judgement, so the
    school's record and the board's impact report have outcomes to show."""
    today = max(timezone.localdate(), DELIVERY_RECORDED_ON)
    works = list(Booking.objects.filter(notes__in=list(OBJECTIVES))) + list(
        CommissionedPackage.objects.filter(notes__in=list(OBJECTIVES))
    )
    for work in works:
        # Objectives are agreed when a practitioner is brokered: not on a booking still waiting.
        if work.status == work.Status.CANCELLED or not work.deployments.exists():
            continue
        if work.objectives.exists():
            continue
        for text, impact, rating, evidence in OBJECTIVES[work.notes]:
            objective = services_impact.add_objective(
                work=work,
                objective=text,
                expected_impact=impact,
                agreed_on=AGREED_ON,
                by=coordinator,
                today=today,
            )
            if rating:
                services_impact.review_objective(
                    objective=objective,
                    evidence=evidence,
                    rating=rating,
                    reviewed_on=DELIVERY_RECORDED_ON,
                    by=coordinator,
                    today=today,
                )
