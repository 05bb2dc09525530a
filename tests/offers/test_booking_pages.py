"""Booking pages: who may open each one, and the headteacher's and coordinator's journeys."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from offers import services_bookings as services
from offers.models import Booking, CommissionedPackage, Deployment
from partnership.navigation import nav_items

from .booking_factories import *  # noqa: F403 (fixtures)
from .booking_factories import YEAR, book_schools, make_practitioner

pytestmark = pytest.mark.django_db
D = Decimal
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
def world(
    school_a,
    head_a,
    school_b,
    coordinator,
    lle_days,
    peer_review,
    members,
    standard_tier,
    sam,
    rita,
    cpd_session,
):
    """A confirmed LLE booking for A, with Sam (practitioner_user) and Rita; a package for B."""
    members[school_a.pk] = standard_tier
    booking = services.confirm(
        booking=services.book(
            school=school_a, offer=lle_days, units=D("3"), by=head_a, academic_year=YEAR
        ),
        by=coordinator,
    )
    own = services.deploy(
        work=booking, practitioner=sam, dates=[date(2026, 11, 16)], days=D("1"), by=coordinator
    )
    other = services.deploy(
        work=booking, practitioner=rita, dates=[date(2026, 11, 17)], days=D("1"), by=coordinator
    )
    school_b.causing_concern = True
    school_b.save()
    package = services.commission(
        school=school_b,
        offer=lle_days,
        units=D("1"),
        budget=D("500"),
        by=coordinator,
        reason="School causing concern",
        academic_year=YEAR,
    )
    return {
        "booking": booking,
        "own": own,
        "other": other,
        "package": package,
        "session": cpd_session,
    }


def _url(name, world):
    objects = {
        "booking": world["booking"].pk,
        "own": world["own"].pk,
        "other": world["other"].pk,
        "package": world["package"].pk,
        "session": world["session"].pk,
    }
    route, _, key = name.partition(":")
    return reverse(f"offers:{route}", args=[objects[key]] if key else [])


# url name (with the object it is about) -> who gets 200 (everyone else signed in gets 403)
ACCESS = {
    "booking_list": {"head_a", "head_b", "coordinator", "finance_officer"},
    "booking_create": {"head_a", "head_b"},
    "booking_detail:booking": {"head_a", "coordinator", "finance_officer"},
    "booking_cancel:booking": {"head_a", "coordinator"},
    "booking_deliver:booking": {"coordinator"},
    "booking_deploy:booking": {"coordinator"},
    "session_list": {"head_a", "head_b", "coordinator"},
    "session_book:session": {"head_a", "head_b"},
    "demand": {"coordinator"},
    "deployment_list": {"coordinator"},
    "my_deployments": {"practitioner_user"},
    "deployment_calendar": {"coordinator"},
    "deployment_deliver:own": {"coordinator", "practitioner_user"},
    "deployment_deliver:other": {"coordinator"},
    "package_list": {"coordinator"},
    "package_create": {"coordinator"},
    "package_detail:package": {"coordinator"},
    "package_deploy:package": {"coordinator"},
    "package_deliver:package": {"coordinator"},
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


@pytest.mark.parametrize(
    "who", ["head_a", "head_b", "finance_officer", "board_member", "practitioner_user"]
)
def test_only_the_coordinator_confirms_bookings(
    request, client_for, school_a, head_a, lle_days, members, standard_tier, who
):
    members[school_a.pk] = standard_tier
    booking = services.book(
        school=school_a, offer=lle_days, units=D("1"), by=head_a, academic_year=YEAR
    )
    response = client_for(request.getfixturevalue(who)).post(
        reverse("offers:booking_confirm", args=[booking.pk])
    )
    assert response.status_code == 403
    booking.refresh_from_db()
    assert booking.status == Booking.Status.REQUESTED


def test_head_of_another_school_cannot_cancel(client_for, world, head_b):
    booking = world["booking"]
    response = client_for(head_b).post(reverse("offers:booking_cancel", args=[booking.pk]))
    assert response.status_code == 403
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_a_missing_booking_is_404(client_for, head_a):
    assert (
        client_for(head_a).get(reverse("offers:booking_detail", args=[999999])).status_code == 404
    )


def test_head_sees_only_their_own_schools_bookings(
    client_for, world, head_b, school_b, peer_review
):
    services.book(school=school_b, offer=peer_review, units=D("1"), by=head_b, academic_year=YEAR)
    page = client_for(head_b).get(reverse("offers:booking_list")).content.decode()
    assert "Beta Primary School" in page
    assert "Alpha Primary School" not in page


def test_headteacher_sees_the_price_and_cancellation_rule_before_confirming(
    client_for, head_a, school_a, peer_review, members, standard_tier
):
    members[school_a.pk] = standard_tier
    client = client_for(head_a)
    form = {
        "offer": peer_review.pk,
        "units": "2",
        "preferred_start": "27/01/2027",
        "preferred_dates": "Spring term",
        "purchase_order": "PO-9",
        "notes": "",
    }
    check = client.post(reverse("offers:booking_create"), form)
    page = check.content.decode()
    assert check.status_code == 200
    assert "Check your booking" in page
    assert "£1,000.00" in page  # member price for primary schools, one review included
    assert (
        "Free to cancel until 14 days before the first date; "
        "after that, 50% of the booking&#x27;s charge." in page
    )
    assert Booking.objects.count() == 0
    done = client.post(reverse("offers:booking_create"), {**form, "confirm": "1"})
    booking = Booking.objects.get()
    assert done.status_code == 302
    assert done.url == reverse("offers:booking_detail", args=[booking.pk])
    assert (booking.units, booking.included_units, booking.unit_price) == (
        D("2"),
        D("1"),
        D("1000.00"),
    )
    assert (booking.purchase_order, booking.preferred_start) == ("PO-9", date(2027, 1, 27))


def test_a_booking_says_how_many_units_its_membership_included(
    client_for, head_a, school_a, peer_review, members, standard_tier
):
    members[school_a.pk] = standard_tier
    booking = services.book(
        school=school_a, offer=peer_review, units=D("1"), by=head_a, academic_year=YEAR
    )
    page = client_for(head_a).get(reverse("offers:booking_detail", args=[booking.pk]))
    assert "1 review, at no charge" in page.content.decode()
    again = services.book(
        school=school_a, offer=peer_review, units=D("1"), by=head_a, academic_year=YEAR
    )
    page = client_for(head_a).get(reverse("offers:booking_detail", args=[again.pk]))
    assert re.search(r"Included in membership</dt>\s*<dd[^>]*>None</dd>", page.content.decode())


def test_an_empty_bookings_list_says_nothing_is_booked_not_that_no_filter_matches(
    client_for, head_a, coordinator
):
    page = client_for(head_a).get(reverse("offers:booking_list")).content.decode()
    assert "Your school has no bookings yet." in page
    assert "match these filters" not in page
    staff = client_for(coordinator).get(reverse("offers:booking_list")).content.decode()
    assert "No bookings yet." in staff
    filtered = client_for(head_a).get(reverse("offers:booking_list") + "?status=cancelled")
    assert "No bookings match these filters." in filtered.content.decode()


def test_the_heads_dashboard_counts_open_bookings_in_words(
    client_for, head_a, school_a, peer_review
):
    client = client_for(head_a)
    assert "No open bookings" in client.get(reverse("dashboard")).content.decode()
    services.book(school=school_a, offer=peer_review, units=D("1"), by=head_a, academic_year=YEAR)
    page = client.get(reverse("dashboard")).content.decode()
    assert "1 open booking" in page and "No open bookings" not in page


def test_bad_booking_input_shows_errors_and_saves_nothing(client_for, head_a, peer_review):
    response = client_for(head_a).post(
        reverse("offers:booking_create"), {"offer": "", "units": "lots"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Choose the support to book" in page
    assert "Enter a number, like 2 or 1.5" in page
    assert Booking.objects.count() == 0


def test_cancel_page_shows_the_charge_then_cancels(
    client_for, head_a, school_a, peer_review, members
):
    booking = services.book(
        school=school_a,
        offer=peer_review,
        units=D("1"),
        by=head_a,
        academic_year=YEAR,
        preferred_start=date(2026, 11, 24),
    )
    client = client_for(head_a)
    page = client.get(reverse("offers:booking_cancel", args=[booking.pk])).content.decode()
    assert "Charge if you cancel today" in page
    assert "£600.00" in page  # 50% of £1,200, inside 14 days of 24 November
    response = client.post(reverse("offers:booking_cancel", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert booking.cancellation_charge == D("600.00")


def test_coordinator_deploys_through_the_form_and_sees_refusals(
    client_for, world, coordinator, sam
):
    url = reverse("offers:booking_deploy", args=[world["booking"].pk])
    clash = client_for(coordinator).post(
        url, {"practitioner": sam.pk, "dates": "16/11/2026", "days": "1"}
    )
    assert (
        "Sam Lee is already deployed on 16 November 2026 (at Alpha Primary School)"
        in clash.content.decode()
    )
    ok = client_for(coordinator).post(
        url, {"practitioner": sam.pk, "dates": "18/11/2026, 19/11/2026", "days": "1.5"}
    )
    assert ok.status_code == 302
    assert Deployment.objects.filter(practitioner=sam, days=D("1.5")).count() == 1


def test_practitioner_confirms_their_own_days(client_for, world, practitioner_user):
    own = world["own"]
    response = client_for(practitioner_user).post(
        reverse("offers:deployment_deliver", args=[own.pk])
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.cost) == (Deployment.Status.DELIVERED, D("450.00"))


def test_practitioner_cannot_confirm_another_practitioners_days(
    client_for, world, practitioner_user
):
    other = world["other"]
    response = client_for(practitioner_user).post(
        reverse("offers:deployment_deliver", args=[other.pk])
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == Deployment.Status.PLANNED


def test_practitioner_list_shows_only_their_deployments(client_for, world, practitioner_user):
    page = client_for(practitioner_user).get(reverse("offers:my_deployments")).content.decode()
    assert "Sam Lee" in page
    assert "Rita Patel" not in page


def test_coordinator_commissions_support_for_a_school_causing_concern(
    client_for, coordinator, school_b, peer_review
):
    school_b.causing_concern = True
    school_b.save()
    response = client_for(coordinator).post(
        reverse("offers:package_create"),
        {
            "school": school_b.pk,
            "offer": peer_review.pk,
            "units": "1",
            "budget": "1,500",
            "reason": "Ofsted: requires improvement",
        },
    )
    package = CommissionedPackage.objects.get()
    assert response.url == reverse("offers:package_detail", args=[package.pk])
    assert (package.unit_price, package.budget) == (D("1000.00"), D("1500.00"))
    assert package.reason == "Ofsted: requires improvement"


def test_coordinator_commissions_support_for_any_school_and_must_give_the_reason(
    client_for, coordinator, school_a, peer_review
):
    client = client_for(coordinator)
    url = reverse("offers:package_create")
    data = {"school": school_a.pk, "offer": peer_review.pk, "units": "1", "budget": "1,500"}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Enter the reason the LA is commissioning this support" in refused.content.decode()
    assert CommissionedPackage.objects.count() == 0
    client.post(url, {**data, "reason": "Early years training"})
    package = CommissionedPackage.objects.get()
    assert (package.school, package.reason) == (school_a, "Early years training")
    page = client.get(reverse("offers:package_detail", args=[package.pk])).content.decode()
    assert "Early years training" in page


def test_cpd_places_booked_per_delegate(client_for, head_a, cpd_session):
    response = client_for(head_a).post(
        reverse("offers:session_book", args=[cpd_session.pk]),
        {"delegates": "Ann Smith\nRaj Patel\n"},
    )
    booking = Booking.objects.get()
    assert response.url == reverse("offers:booking_detail", args=[booking.pk])
    assert booking.units == D("2")
    assert booking.delegates.count() == 2


def test_booking_list_exports_csv(client_for, coordinator, world):
    response = client_for(coordinator).get(reverse("offers:booking_list") + "?_export=csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "Booking,School,Support,Units,Included,Unit price,Charge,Status,Date of support,Booked"
    )
    assert lines[1].startswith(
        f"{world['booking'].reference},Alpha Primary School,Extra LLE support,"
        "3,2,500.00,500.00,Confirmed,2026-11-16,"
    )


def _bookings(n, offer, head, school):
    for _ in range(n):
        services.book(school=school, offer=offer, units=D("1"), by=head, academic_year=YEAR)


def test_booking_list_queries_do_not_grow_with_rows(
    client_for,
    coordinator,
    school_a,
    head_a,
    lle_days,
    members,
    standard_tier,
    django_assert_max_num_queries,
):
    members[school_a.pk] = standard_tier
    _bookings(3, lle_days, head_a, school_a)
    client = client_for(coordinator)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("offers:booking_list"))
    _bookings(20, lle_days, head_a, school_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("offers:booking_list"))


def test_deployment_list_and_calendar_queries_do_not_grow(
    client_for, coordinator, world, sam, django_assert_max_num_queries
):
    client = client_for(coordinator)
    week = reverse("offers:deployment_calendar") + "?week=2026-W47"
    with django_assert_max_num_queries(14) as list_queries:
        client.get(reverse("offers:deployment_list"))
    with django_assert_max_num_queries(10) as calendar_queries:
        client.get(week)
    for n in range(4):
        make_practitioner(f"Extra {n}")
    services.deploy(
        work=world["booking"],
        practitioner=sam,
        dates=[date(2026, 11, 19), date(2026, 11, 20)],
        days=D("2"),
        by=coordinator,
    )
    with django_assert_max_num_queries(len(list_queries.captured_queries)):
        client.get(reverse("offers:deployment_list"))
    with django_assert_max_num_queries(len(calendar_queries.captured_queries)):
        page = client.get(week).content.decode()
    assert "Extra 3" in page


def test_calendar_shows_practitioners_by_weekday_with_week_links(client_for, coordinator, world):
    page = (
        client_for(coordinator)
        .get(reverse("offers:deployment_calendar") + "?week=2026-W47")
        .content.decode()
    )
    assert "Mon 16 Nov" in page and "Fri 20 Nov" in page
    assert "?week=2026-W46" in page and "?week=2026-W48" in page
    assert page.count("Alpha Primary School") == 2  # Sam on Monday, Rita on Tuesday


def test_demand_page_shows_units_by_status_and_waiting_lists(
    client_for, coordinator, peer_review, members, school_b
):
    from offers.selectors_bookings import demand

    book_schools(peer_review, 3)
    school_b.causing_concern = True
    school_b.save()
    with pytest.raises(Exception, match="Peer review has 0 units left in 2026/27"):
        services.commission(
            school=school_b,
            offer=peer_review,
            units=D("1"),
            budget=D("1000"),
            by=coordinator,
            reason="School causing concern",
            academic_year=YEAR,
        )
    (row,) = demand(YEAR)
    assert (row.confirmed, row.waiting, row.requested, row.left) == (D("2"), D("1"), D("0"), D("0"))
    assert [b.school.name for b in row.waiting_list] == ["Waiting School 2"]
    page = client_for(coordinator).get(reverse("offers:demand") + "?year=2026/27").content.decode()
    assert "Peer review" in page
    assert "Waiting School 2" in page


def test_practitioner_dashboard_lists_their_upcoming_days(
    client_for, world, coordinator, sam, practitioner_user, partnership_record
):
    later = [date(2027, 6, 14), date(2027, 6, 15)]
    services.deploy(
        work=world["booking"], practitioner=sam, dates=later, days=D("2"), by=coordinator
    )
    page = client_for(practitioner_user).get("/dashboard/").content.decode()
    assert "Your upcoming days" in page
    assert "Monday 14 June 2027" in page and "Tuesday 15 June 2027" in page
    assert "Rita" not in page


def test_navigation_per_role(
    client_for, head_a, coordinator, practitioner_user, partnership_record
):
    def labels(user):
        """Every page in this person's menu, in whichever section it sits."""
        return [item.label for item in nav_items(user)]

    assert "Bookings" in labels(head_a)
    assert {"Bookings", "Deployments"} <= set(labels(coordinator))
    assert "Your deployments" in labels(practitioner_user)
    sections = [item["label"] for item in client_for(head_a).get("/dashboard/").context["nav"]]
    assert "Offer and bookings" in sections


def test_practitioner_and_package_lists_queries_do_not_grow(
    client_for,
    coordinator,
    practitioner_user,
    world,
    sam,
    lle_days,
    school_b,
    django_assert_max_num_queries,
):
    mine, packages = reverse("offers:my_deployments"), reverse("offers:package_list")
    practitioner, coordinator_client = client_for(practitioner_user), client_for(coordinator)
    with django_assert_max_num_queries(12) as mine_queries:
        practitioner.get(mine)
    with django_assert_max_num_queries(12) as package_queries:
        coordinator_client.get(packages)
    for day in [date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25)]:
        package = services.commission(
            school=school_b,
            offer=lle_days,
            units=D("1"),
            budget=D("500"),
            by=coordinator,
            reason="School causing concern",
            academic_year=YEAR,
        )
        services.deploy(work=package, practitioner=sam, dates=[day], days=D("1"), by=coordinator)
    with django_assert_max_num_queries(len(mine_queries.captured_queries)):
        page = practitioner.get(mine).content.decode()
    assert page.count("Beta Primary School (commissioned by the LA)") == 3
    with django_assert_max_num_queries(len(package_queries.captured_queries)):
        coordinator_client.get(packages)
