"""Objectives of brokered support, their review, the school's record and the impact report."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from offers import selectors_impact as selectors
from offers import services_bookings as bookings
from offers import services_impact as services
from offers.models import SupportObjective

from .booking_factories import *  # noqa: F403 (fixtures)
from .booking_factories import YEAR

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = date(2026, 12, 2)
AGREED = date(2026, 11, 2)
ROLES = [
    "anonymous",
    "head_a",
    "head_b",
    "coordinator",
    "finance_officer",
    "board_member",
    "practitioner_user",
]


@pytest.fixture
def world(school_a, head_a, school_b, coordinator, lle_days, members, standard_tier, sam, rita):
    """A's confirmed LLE booking with Sam (practitioner_user) deployed; B (causing concern)
    has an LA-commissioned package with Rita deployed; one objective on each."""
    members[school_a.pk] = standard_tier
    booking = bookings.confirm(
        booking=bookings.book(
            school=school_a, offer=lle_days, units=D("3"), by=head_a, academic_year=YEAR
        ),
        by=coordinator,
    )
    bookings.deploy(
        work=booking, practitioner=sam, dates=[date(2026, 11, 16)], days=D("1"), by=coordinator
    )
    school_b.causing_concern = True
    school_b.ofsted_rating = "Requires improvement"
    school_b.ofsted_last_inspection = date(2025, 3, 12)
    school_b.save()
    package = bookings.commission(
        school=school_b,
        offer=lle_days,
        units=D("1"),
        budget=D("500"),
        by=coordinator,
        reason="School causing concern",
        academic_year=YEAR,
    )
    bookings.deploy(
        work=package, practitioner=rita, dates=[date(2026, 11, 17)], days=D("1"), by=coordinator
    )
    return {
        "booking": booking,
        "package": package,
        "own": _objective(booking, coordinator, "Improve phonics in Year 1"),
        "other": _objective(package, coordinator, "Secure leadership of maths"),
    }


def _objective(work, by, text="Improve phonics in Year 1"):
    return services.add_objective(
        work=work,
        objective=text,
        expected_impact="More pupils pass the phonics check",
        agreed_on=AGREED,
        by=by,
        today=TODAY,
    )


def _review(objective, by, rating="green", on=TODAY):
    return services.review_objective(
        objective=objective,
        evidence="Check results up",
        rating=rating,
        reviewed_on=on,
        by=by,
        today=TODAY,
    )


# --- rules ---------------------------------------------------------------------------


def test_an_objective_belongs_to_exactly_one_piece_of_work(world, coordinator):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportObjective.objects.create(
            booking=world["booking"],
            package=world["package"],
            objective="x",
            expected_impact="y",
            agreed_on=AGREED,
            agreed_by=coordinator,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportObjective.objects.create(
            objective="x", expected_impact="y", agreed_on=AGREED, agreed_by=coordinator
        )


def test_a_cancelled_booking_takes_no_objectives(world, coordinator, head_a):
    booking = bookings.cancel(booking=world["booking"], by=head_a, today=TODAY)
    with pytest.raises(ValidationError) as refused:
        _objective(booking, coordinator)
    assert refused.value.messages == [
        f"{booking.reference} is cancelled: objectives cannot be added"
    ]


def test_an_objective_cannot_be_agreed_in_the_future(world, coordinator):
    with pytest.raises(ValidationError):
        services.add_objective(
            work=world["booking"],
            objective="x",
            expected_impact="y",
            agreed_on=date(2026, 12, 3),
            by=coordinator,
            today=TODAY,
        )


def test_a_review_records_evidence_judgement_date_and_reviewer(world, practitioner_user):
    objective = _review(world["own"], practitioner_user, rating="amber")
    objective.refresh_from_db()
    assert (objective.rating, objective.get_rating_display()) == ("amber", "Partly met")
    assert objective.reviewed_on == TODAY
    assert objective.reviewed_by == practitioner_user
    # Audited: created, then reviewed.
    assert [h.history_type for h in objective.history.order_by("history_date")] == ["+", "~"]


def test_a_review_before_the_objective_was_agreed_is_refused(world, coordinator):
    with pytest.raises(ValidationError) as refused:
        _review(world["own"], coordinator, on=date(2026, 11, 1))
    assert refused.value.messages == [
        "The review date must be on or after the day the objective was agreed (2 November 2026)"
    ]
    world["own"].refresh_from_db()
    assert world["own"].rating == ""


def test_a_review_needs_evidence_and_a_known_judgement(world, coordinator):
    with pytest.raises(ValidationError):
        services.review_objective(
            objective=world["own"],
            evidence=" ",
            rating="green",
            reviewed_on=TODAY,
            by=coordinator,
            today=TODAY,
        )
    with pytest.raises(ValidationError):
        _review(world["own"], coordinator, rating="blue")


def test_only_the_practitioner_deployed_may_review(world, practitioner_user, coordinator, head_a):
    assert services.may_review(practitioner_user, world["own"])
    assert not services.may_review(practitioner_user, world["other"])
    assert services.may_review(coordinator, world["other"])
    assert not services.may_review(head_a, world["own"])


def test_outcomes_are_counted_by_strand_provider_and_concern(world, coordinator):
    _review(world["own"], coordinator, rating="green")
    _objective(world["package"], coordinator, "Attendance")
    _review(world["other"], coordinator, rating="red")
    (strand,) = selectors.outcomes_by_strand()
    assert (strand.label, strand.met, strand.partly, strand.not_met, strand.not_reviewed) == (
        "Additional offer",
        1,
        0,
        1,
        1,
    )
    (provider,) = selectors.outcomes_by_provider()
    assert (provider.label, provider.total) == ("HASH / Primary Forum", 3)
    concern, others = selectors.outcomes_by_concern()
    assert (concern.label, concern.not_met, concern.not_reviewed) == (
        "Schools causing concern",
        1,
        1,
    )
    assert (others.label, others.met, others.total) == ("Other schools", 1, 1)


# --- pages ---------------------------------------------------------------------------


def _url(name, world):
    objects = {
        "booking": world["booking"].pk,
        "package": world["package"].pk,
        "own": world["own"].pk,
        "other": world["other"].pk,
    }
    route, _, key = name.partition(":")
    return reverse(f"offers:{route}", args=[objects[key]] if key else [])


ACCESS = {
    "booking_objective_add:booking": {"coordinator"},
    "package_objective_add:package": {"coordinator"},
    "objective_review:own": {"coordinator", "practitioner_user"},
    "objective_review:other": {"coordinator"},
    "impact_report": {"coordinator", "board_member"},
}
CASES = [(name, who) for name in ACCESS for who in ROLES]


@pytest.mark.parametrize("name, who", CASES)
def test_who_may_open_each_page(request, client_for, world, partnership_record, name, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = client_for(user).get(_url(name, world))
    if who == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == (200 if who in ACCESS[name] else 403)


def test_the_coordinator_adds_an_objective_from_the_booking(
    client_for, world, coordinator, partnership_record
):
    client = client_for(coordinator)
    url = _url("booking_objective_add:booking", world)
    response = client.post(url, {"objective": "", "expected_impact": "", "agreed_on": "31/02/2026"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    for message in (
        "Enter the objective",
        "Enter the expected impact",
        "Enter the date the objective was agreed, like 27/01/2027",
    ):
        assert message in body
    assert world["booking"].objectives.count() == 1
    response = client.post(
        url,
        {
            "objective": "Writing in KS2",
            "expected_impact": "Moderated writing at ARE",
            "agreed_on": "20/11/2026",
        },
    )
    assert response.status_code == 302
    assert world["booking"].objectives.filter(objective="Writing in KS2").exists()
    page = client.get(_url("booking_detail:booking", world)).content.decode()
    assert "Writing in KS2" in page
    assert "Not yet reviewed" in page


def test_the_practitioner_reviews_an_objective(client_for, world, practitioner_user):
    client = client_for(practitioner_user)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert _url("objective_review:own", world) in dashboard
    assert _url("objective_review:other", world) not in dashboard
    url = _url("objective_review:own", world)
    response = client.post(url, {"evidence": "", "reviewed_on": "02/12/2026"})
    body = response.content.decode()
    assert "Choose whether the objective was met, partly met or not met" in body
    assert "Enter the evidence for the judgement" in body
    response = client.post(
        url, {"rating": "green", "evidence": "82% passed", "reviewed_on": "01/12/2026"}
    )
    assert response.status_code == 302
    world["own"].refresh_from_db()
    assert world["own"].get_rating_display() == "Met"
    assert (
        client.post(
            _url("objective_review:other", world),
            {"rating": "green", "evidence": "x", "reviewed_on": "01/12/2026"},
        ).status_code
        == 403
    )


def test_the_headteacher_reads_only_their_own_schools_outcomes(
    client_for, world, coordinator, head_a, head_b, school_a, school_b
):
    _review(world["other"], coordinator, rating="red")
    own = client_for(head_b).get(reverse("schools:detail", args=[school_b.urn])).content.decode()
    assert "Secure leadership of maths" in own
    assert "Not met" in own
    assert "Requires improvement" in own
    assert "12 March 2025" in own
    assert "Improve phonics in Year 1" not in own
    other = client_for(head_b).get(reverse("schools:detail", args=[school_a.urn]))
    assert other.status_code in (403, 404)
    booking_page = client_for(head_a).get(_url("booking_detail:booking", world)).content.decode()
    assert "Improve phonics in Year 1" in booking_page
    assert "Review" not in booking_page.split("Objectives and impact")[1].split("</h3>")[0]


def test_the_board_reads_the_impact_report(client_for, world, coordinator, board_member):
    _review(world["own"], coordinator, rating="green")
    body = client_for(board_member).get(reverse("offers:impact_report")).content.decode()
    assert "Schools causing concern" in body
    assert "Additional offer" in body
    assert "HASH / Primary Forum" in body


def test_pages_queries_do_not_grow_with_objectives(
    client_for, world, coordinator, school_b, django_assert_max_num_queries
):
    client = client_for(coordinator)
    pages = [
        reverse("schools:detail", args=[school_b.urn]),
        _url("package_detail:package", world),
        reverse("offers:impact_report"),
    ]
    counts = []
    for page in pages:
        with django_assert_max_num_queries(60) as few:
            assert client.get(page).status_code == 200
        counts.append(len(few.captured_queries))
    for n in range(6):
        _review(_objective(world["package"], coordinator, f"Objective {n}"), coordinator)
    for page, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(page).status_code == 200
