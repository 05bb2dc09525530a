"""CPD delegates, the register and what missed places cost, through the services."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from offers import services_attendance as attendance
from offers import services_bookings as services
from offers.models import Booking, CourseSession, OfferCancellationPolicy
from offers.selectors import chargeable_deliveries, school_charges_total
from offers.services_attendance import Delegate

from .booking_factories import *  # noqa: F403 (fixtures)
from .booking_factories import make_offer, make_practitioner

pytestmark = pytest.mark.django_db
D = Decimal
NOV = (date(2026, 11, 1), date(2026, 11, 30))


def at(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@pytest.fixture
def november_session(cpd_course, sam):
    """Phonics CPD, £120 a place for non-members, 100% once within 7 days; Sam runs it."""
    return CourseSession.objects.create(
        offer=cpd_course,
        title="Day 1: leading phonics",
        date=date(2026, 11, 10),
        start_time=time(9, 30),
        end_time=time(15, 30),
        venue="Civic Centre, Uxbridge",
        places=10,
        facilitator=sam,
    )


@pytest.fixture
def free_course(db):
    """A free briefing: no charge for a place, £50 for a no-show (South Gloucestershire)."""
    offer = make_offer(
        "safeguarding-briefing",
        name="Safeguarding briefing",
        unit="place",
        member={"": "0"},
        non_member={"": "0"},
        policy=(7, "100"),
    )
    OfferCancellationPolicy.objects.filter(offer=offer).update(no_show_charge=D("50"))
    return CourseSession.objects.create(
        offer=offer,
        date=date(2026, 11, 12),
        start_time=time(16, 0),
        online_link="https://meet.example.org/briefing",
        places=20,
    )


def book(session, school, head, *names, unnamed=0):
    return services.book_places(
        school=school,
        session=session,
        delegates=[Delegate(*n) if isinstance(n, tuple) else n for n in names],
        by=head,
        unnamed=unnamed,
    )


def places(booking):
    return list(booking.delegates.order_by("pk"))


def test_places_can_be_booked_now_and_named_later(november_session, school_a, head_a):
    booking = book(november_session, school_a, head_a, ("Ann Ash", "ann@alpha.sch.uk"), unnamed=2)
    assert booking.units == 3
    assert [(p.delegate_name, p.delegate_email) for p in places(booking)] == [
        ("Ann Ash", "ann@alpha.sch.uk"),
        ("", ""),
        ("", ""),
    ]


@pytest.mark.parametrize(
    "delegates, message",
    [
        (["Ann Ash", "ann  ash"], "Ann Ash is named twice: each place needs its own"),
        (
            [("Ann Ash", "a@alpha.sch.uk"), ("Ben Bell", "A@alpha.sch.uk")],
            "a@alpha.sch.uk is given for two delegates: each needs their own",
        ),
    ],
)
def test_the_same_delegate_twice_in_one_booking_is_refused(
    november_session, school_a, head_a, delegates, message
):
    with pytest.raises(ValidationError) as refused:
        book(november_session, school_a, head_a, *delegates)
    assert refused.value.messages == [message]
    assert not Booking.objects.exists()


def test_a_delegate_is_named_then_substituted_until_the_session_starts(
    november_session, school_a, head_a
):
    booking = book(november_session, school_a, head_a, "Ann Ash", unnamed=1)
    attendance.name_delegates(
        booking=booking,
        delegates=[Delegate("Ann Ash"), Delegate("Ben Bell", "ben@alpha.sch.uk")],
        by=head_a,
        now=at(date(2026, 11, 1)),
    )
    attendance.name_delegates(
        booking=booking,
        delegates=[Delegate("Cara Cole"), Delegate("Ben Bell", "ben@alpha.sch.uk")],
        by=head_a,
        now=at(date(2026, 11, 10), 9),
    )
    assert [p.delegate_name for p in places(booking)] == ["Cara Cole", "Ben Bell"]
    with pytest.raises(ValidationError) as refused:
        attendance.name_delegates(
            booking=booking,
            delegates=[Delegate("Dan Dee"), Delegate("Ben Bell")],
            by=head_a,
            now=at(date(2026, 11, 10), 10),
        )
    assert refused.value.messages == [
        "The session started at 09:30 on 10 November 2026: delegates can no longer be "
        "named or changed"
    ]
    assert [p.delegate_name for p in places(booking)] == ["Cara Cole", "Ben Bell"]


def test_substituting_a_duplicate_is_refused(november_session, school_a, head_a):
    booking = book(november_session, school_a, head_a, "Ann Ash", "Ben Bell")
    with pytest.raises(ValidationError) as refused:
        attendance.name_delegates(
            booking=booking,
            delegates=[Delegate("Ben Bell"), Delegate("Ben Bell")],
            by=head_a,
            now=at(date(2026, 11, 1)),
        )
    assert refused.value.messages == ["Ben Bell is named twice: each place needs its own"]


def test_only_the_coordinator_or_the_sessions_facilitator_takes_the_register(
    november_session, school_a, head_a, practitioner_user, coordinator, rita
):
    booking = book(november_session, school_a, head_a, "Ann Ash")
    mark = {places(booking)[0].pk: "present"}
    with pytest.raises(PermissionDenied):
        attendance.take_register(
            session=november_session, marks=mark, by=head_a, now=at(date(2026, 11, 10))
        )
    november_session.facilitator = rita
    november_session.save()
    with pytest.raises(PermissionDenied):
        attendance.take_register(
            session=november_session, marks=mark, by=practitioner_user, now=at(date(2026, 11, 10))
        )
    november_session.facilitator = make_practitioner("Sam Two", user=None)
    november_session.save()
    assert attendance.take_register(
        session=november_session, marks=mark, by=coordinator, now=at(date(2026, 11, 10))
    ) == [booking]


def test_the_register_waits_for_the_session_to_start(
    november_session, school_a, head_a, practitioner_user
):
    booking = book(november_session, school_a, head_a, "Ann Ash")
    with pytest.raises(ValidationError) as refused:
        attendance.take_register(
            session=november_session,
            marks={places(booking)[0].pk: "present"},
            by=practitioner_user,
            now=at(date(2026, 11, 10), 9),
        )
    assert "once the session starts, at 09:30 on 10 November 2026" in refused.value.messages[0]


def test_a_booking_is_delivered_once_every_place_is_marked(
    november_session, school_a, head_a, practitioner_user
):
    booking = book(november_session, school_a, head_a, "Ann Ash", "Ben Bell")
    first, second = places(booking)
    now = at(date(2026, 11, 10))
    attendance.take_register(
        session=november_session, marks={first.pk: "present"}, by=practitioner_user, now=now
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    attendance.take_register(
        session=november_session, marks={second.pk: "absent"}, by=practitioner_user, now=now
    )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DELIVERED
    assert booking.delivered_on == date(2026, 11, 10)
    # Its marks are final: the register no longer offers its places.
    with pytest.raises(ValidationError):
        attendance.take_register(
            session=november_session, marks={second.pk: "present"}, by=practitioner_user, now=now
        )


def test_missed_places_are_charged_through_the_monthly_lines(
    november_session,
    free_course,
    school_a,
    head_a,
    school_b,
    head_b,
    practitioner_user,
    coordinator,
):
    """A: 3 paid places at £120 (one came, one absent, one cancelled late at 100%); B: free
    briefing, 2 places (one came, one absent: £50)."""
    paid = book(november_session, school_a, head_a, "Ann Ash", "Ben Bell", "Cara Cole")
    ann, ben, cara = places(paid)
    attendance.take_register(
        session=november_session,
        marks={ann.pk: "present", ben.pk: "absent", cara.pk: "late"},
        by=practitioner_user,
        now=at(date(2026, 11, 10)),
    )
    free = book(free_course, school_b, head_b, "Dev Dunn", "Eve Egan")
    dev, eve = places(free)
    attendance.take_register(
        session=free_course,
        marks={dev.pk: "present", eve.pk: "absent"},
        by=coordinator,
        now=at(date(2026, 11, 12), 17),
    )
    lines = {
        line.reference: (line.school, line.description, line.quantity, line.unit_price)
        for line in chargeable_deliveries(*NOV)
    }
    assert lines == {
        f"booking:{paid.pk}": (
            school_a,
            f"Phonics leadership CPD: 3 places ({paid.reference})",
            D("2"),
            D("120.00"),
        ),
        f"attendance:{cara.pk}": (
            school_a,
            f"Late cancellation: Cara Cole, Day 1: leading phonics ({paid.reference})",
            D("1"),
            D("120.00"),
        ),
        f"attendance:{eve.pk}": (
            school_b,
            f"Absent: Eve Egan, Safeguarding briefing ({free.reference})",
            D("1"),
            D("50.00"),
        ),
    }
    assert school_charges_total(*NOV) == D("240.00") + D("120.00") + D("50.00")


def test_a_late_cancellation_at_half_price_replaces_the_places_full_price(
    november_session, school_a, head_a, coordinator
):
    OfferCancellationPolicy.objects.filter(offer=november_session.offer).update(
        charge_percent=D("50")
    )
    booking = book(november_session, school_a, head_a, "Ann Ash", "Ben Bell")
    ann, ben = places(booking)
    attendance.take_register(
        session=november_session,
        marks={ann.pk: "present", ben.pk: "late"},
        by=coordinator,
        now=at(date(2026, 11, 10)),
    )
    lines = [
        (line.reference, line.quantity, line.unit_price) for line in chargeable_deliveries(*NOV)
    ]
    assert lines == [
        (f"attendance:{ben.pk}", D("1"), D("60.00")),
        (f"booking:{booking.pk}", D("1"), D("120.00")),
    ]
    assert school_charges_total(*NOV) == D("180.00")


def test_the_monthly_run_invoices_a_no_show_on_a_free_course(
    free_course, school_b, head_b, coordinator, partnership_record
):
    from finance.models import InvoiceLine
    from finance.services import run_monthly_bookings

    free = book(free_course, school_b, head_b, "Dev Dunn")
    attendance.take_register(
        session=free_course,
        marks={places(free)[0].pk: "absent"},
        by=coordinator,
        now=at(date(2026, 11, 12), 17),
    )
    run_monthly_bookings(month=date(2026, 11, 1), issue_date=date(2026, 12, 1))
    run_monthly_bookings(month=date(2026, 11, 1), issue_date=date(2026, 12, 1))
    line = InvoiceLine.objects.get()
    assert line.invoice.school == school_b
    assert line.net == D("50.00")
    assert line.source == f"attendance:{places(free)[0].pk}"


def test_evaluation_only_from_a_delegate_who_attended_then_the_certificate(
    november_session, school_a, head_a, coordinator
):
    booking = book(november_session, school_a, head_a, "Ann Ash", "Ben Bell")
    ann, ben = places(booking)
    attendance.take_register(
        session=november_session,
        marks={ann.pk: "present", ben.pk: "absent"},
        by=coordinator,
        now=at(date(2026, 11, 10)),
    )
    ann.refresh_from_db()
    ben.refresh_from_db()
    ratings = {question: 4 for question in attendance.DEFAULT_QUESTIONS}
    with pytest.raises(ValidationError):
        attendance.return_evaluation(place=ben, ratings=ratings, by=head_a)
    assert not attendance.certificate_released(ann)
    with pytest.raises(ValidationError) as refused:
        attendance.return_evaluation(place=ann, ratings={**ratings, "How well was it led?": 6})
    assert refused.value.messages == ["Rate 'How well was it led?' from 1 to 5"]
    attendance.return_evaluation(place=ann, ratings=ratings, comments=" Useful ", by=head_a)
    ann.refresh_from_db()
    assert attendance.certificate_released(ann)
    assert ann.evaluation.comments == "Useful"
    assert [r.rating for r in ann.evaluation.ratings.all()] == [4, 4, 4, 4]
    with pytest.raises(ValidationError):
        attendance.return_evaluation(place=ann, ratings=ratings, by=head_a)
