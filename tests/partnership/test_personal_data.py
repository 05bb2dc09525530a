"""Subject access and erasure: what the portal holds about a person, downloaded by a
coordinator; erased (anonymised) after a check page, refused while the person is still
needed, recorded without the erased data; invoices and the trail's pointers stay."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from governance.models import Board, Nomination, Seat
from membership.models import Membership, MembershipYear
from offers import services_bookings
from offers.models.bookings import Booking, CourseSession, DelegatePlace
from partnership import personal_data
from partnership.models import PersonalDataRequest, User
from schools.models import SchoolContact
from tests.factories import UserFactory, school_user
from tests.offers.booking_factories import cpd_course, cpd_session  # noqa: F401, F811

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(school_a):
    user = school_user(school_a, email="ann.smith@school.example", first_name="Ann")
    user.last_name = "Smith"
    user.job_title = "Deputy head"
    user.save()
    return user


@pytest.fixture
def booked(school_a, ann, cpd_session):  # noqa: F811
    return services_bookings.book_places(
        school=school_a, session=cpd_session, delegates=["Ann Smith", "Raj Patel"], by=ann
    )


def member(school, status="active"):
    year, _ = MembershipYear.objects.get_or_create(
        academic_year="2026/27", defaults={"census_date": date(2026, 1, 15)}
    )
    return Membership.objects.create(
        school=school,
        year=year,
        status=status,
        signed_at=timezone.now(),
        fee_amount=Decimal("2100.00"),
        fee_basis="Primary school: £2,100.00",
    )


def test_the_download_holds_the_account_its_schools_delegates_and_audit_rows(
    client_for, coordinator, ann, booked, school_a
):
    # She made the booking signed in, so the trail names her (a service called here does not).
    Booking.history.filter(id=booked.pk).update(history_user=ann)
    response = client_for(coordinator).get(f"/people/{ann.pk}/personal-data/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-')
    document = json.loads(response.content)
    sections = {section["title"]: section["records"] for section in document["sections"]}
    assert sections["Account"][0]["email address"] == "ann.smith@school.example"
    assert sections["Schools they act or acted for"] == [
        {
            "school": school_a.name,
            "URN": school_a.urn,
            "name": "Ann Smith",
            "email address": "ann.smith@school.example",
            "portal account": True,
            "role": "Headteacher",
            "position": "Headteacher",
            "duties": "",
            "left on": None,
        }
    ]
    assert [r["delegate name"] for r in sections["Places on courses (by the delegate's name)"]] == [
        "Ann Smith"
    ]
    assert sections["Bookings they made"][0]["school"] == school_a.name
    # The booking she made is in the trail under her name.
    assert {"record": "booking", "what": "Created"}.items() <= next(
        row for row in sections["Changes they made (audit trail)"] if row["record"] == "booking"
    ).items()
    request = PersonalDataRequest.objects.get()
    assert (request.action, request.user, request.made_by) == ("export", ann, coordinator)
    assert request.records == sum(len(records) for records in sections.values())


def test_erasing_anonymises_the_person_their_history_and_their_delegate_place(
    client_for, coordinator, ann, booked, school_a
):
    other = school_user(school_a)  # the school keeps a contact
    page = client_for(coordinator).get(f"/people/{ann.pk}/erase/")
    assert page.status_code == 200
    assert "Erase the data of" in page.content.decode()
    old_email = ann.email
    response = client_for(coordinator).post(f"/people/{ann.pk}/erase/", {"confirm": "on"})
    assert response.status_code == 302
    ann.refresh_from_db()
    assert (ann.first_name, ann.last_name, ann.job_title, ann.is_active) == (
        "Erased",
        "person",
        "",
        False,
    )
    assert ann.email.endswith("@erased.invalid") and not ann.has_usable_password()
    # No version of the account in the audit trail still holds her name or address.
    versions = User.history.filter(id=ann.pk)
    assert versions.count() >= 2
    assert not versions.filter(email=old_email).exists()
    assert not versions.filter(first_name="Ann").exists()
    assert not versions.filter(last_name="Smith").exists()
    # Her booking stays, made by the anonymised account; her delegate place loses her name.
    booked.refresh_from_db()
    assert booked.booked_by_id == ann.pk and booked.units == 2
    assert sorted(DelegatePlace.objects.values_list("delegate_name", flat=True)) == [
        services_bookings.REMOVED_DELEGATE_NAME,
        "Raj Patel",
    ]
    assert not SchoolContact.objects.filter(user=ann).exists()
    assert SchoolContact.objects.filter(user=other).exists()
    erasure = PersonalDataRequest.objects.get(action="erasure")
    assert (erasure.user, erasure.made_by) == (ann, coordinator)
    assert erasure.records == 3  # her account, her being a contact, her delegate place


def test_erasure_is_refused_for_the_only_contact_of_a_member_school(
    client_for, coordinator, ann, school_a
):
    member(school_a)
    response = client_for(coordinator).post(f"/people/{ann.pk}/erase/", {"confirm": "on"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "cannot be erased yet" in body
    assert f"They are the only contact for {school_a.name}, a member school" in body
    ann.refresh_from_db()
    assert ann.email == "ann.smith@school.example" and ann.is_active
    assert not PersonalDataRequest.objects.exists()


def test_erasure_is_refused_while_they_hold_a_board_seat(coordinator, ann):
    board = Board.objects.create(name="Partnership Board")
    Seat.objects.create(
        board=board,
        code="head-primary",
        role=Seat.Role.HEAD_PRIMARY,
        holder_user=ann,
        holder_name="Ann Smith",
        term_end=date.today() + timedelta(days=30),
    )
    reasons = personal_data.refusals(personal_data.Subject.of(ann), by=coordinator)
    assert len(reasons) == 1 and "seat on Partnership Board until" in reasons[0]
    with pytest.raises(personal_data.ErasureRefused):
        personal_data.erase(personal_data.Subject.of(ann), by=coordinator)


def test_a_coordinator_cannot_erase_themself(coordinator):
    reasons = personal_data.refusals(personal_data.Subject.of(coordinator), by=coordinator)
    assert "You cannot erase your own account: ask another coordinator" in reasons


def test_the_check_page_needs_the_box_ticked(client_for, coordinator, ann):
    response = client_for(coordinator).post(f"/people/{ann.pk}/erase/", {})
    assert response.status_code == 200
    assert "Confirm you have checked this is the right person" in response.content.decode()
    ann.refresh_from_db()
    assert ann.is_active


def test_someone_without_an_account_is_found_by_name_and_erased(
    client_for, coordinator, booked, school_a
):
    board = Board.objects.create(name="Partnership Board")
    seat = Seat.objects.create(board=board, code="gov", role=Seat.Role.GOVERNOR)
    Nomination.objects.create(
        seat=seat,
        nominated_by=coordinator,
        nominee_name="Raj Patel",
        nominee_email="raj@school.example",
        statement="I would like to serve.",
        status=Nomination.Status.NOT_ELECTED,
    )
    client = client_for(coordinator)
    page = client.post("/people/personal-data/named/", {"name": "raj patel", "email": ""})
    assert page.status_code == 200
    assert "Nominations for board seats" in page.content.decode()
    download = client.post(
        "/people/personal-data/named/", {"name": "Raj Patel", "email": "", "step": "download"}
    )
    sections = {s["title"]: s["records"] for s in json.loads(download.content)["sections"]}
    assert len(sections["Places on courses (by the delegate's name)"]) == 1
    assert sections["Nominations for board seats"][0]["statement"] == "I would like to serve."
    erased = client.post(
        "/people/personal-data/named/",
        {"name": "Raj Patel", "email": "raj@school.example", "step": "erase", "confirm": "on"},
    )
    assert erased.status_code == 302
    assert not DelegatePlace.objects.filter(delegate_name="Raj Patel").exists()
    nomination = Nomination.objects.get()
    assert (nomination.nominee_name, nomination.statement) == ("Name removed", "Statement removed")
    assert nomination.status == Nomination.Status.NOT_ELECTED
    erasure = PersonalDataRequest.objects.get(action="erasure")
    assert erasure.user is None and erasure.records == 2


def test_a_named_person_needs_a_name_or_email(client_for, coordinator):
    response = client_for(coordinator).post("/people/personal-data/named/", {"name": ""})
    assert response.status_code == 200
    assert "Enter the person&#x27;s full name or email address" in response.content.decode()


def test_the_find_page_lists_accounts_and_the_requests_made(client_for, coordinator, ann):
    personal_data.export(personal_data.Subject.of(ann), by=coordinator)
    body = client_for(coordinator).get("/people/personal-data/?q=smith").content.decode()
    assert f'href="/people/{ann.pk}/personal-data/"' in body
    assert "Data exported (subject access)" in body
    assert "ann.smith@school.example" in body


@pytest.mark.parametrize("url", ["personal-data/", "{pk}/personal-data/", "{pk}/erase/"])
@pytest.mark.parametrize(
    "who, status",
    [
        ("head_a", 403),
        ("finance_officer", 403),
        ("board_member", 403),
        ("practitioner_user", 403),
        ("coordinator", 200),
    ],
)
def test_only_coordinators_see_personal_data(request, client_for, ann, url, who, status):
    path = "/people/" + url.format(pk=ann.pk)
    assert client_for(request.getfixturevalue(who)).get(path).status_code == status


def test_a_headteacher_cannot_download_even_their_own_data(client_for, ann):
    assert client_for(ann).get(f"/people/{ann.pk}/personal-data/download/").status_code == 403


def test_queries_do_not_grow_with_the_person_s_records(
    client_for,
    coordinator,
    ann,
    school_a,
    cpd_session,  # noqa: F811
):
    client = client_for(coordinator)

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/people/{ann.pk}/personal-data/").status_code == 200
        return len(captured)

    services_bookings.book_places(
        school=school_a, session=cpd_session, delegates=["Ann Smith"], by=ann
    )
    few = queries()
    for n in range(5):
        UserFactory(first_name=f"Other{n}")
        school_user(school_a)
    # Five more courses she was booked on, each its own session.
    for n in range(5):
        session = CourseSession.objects.create(
            offer=cpd_session.offer,
            date=cpd_session.date + timedelta(days=n + 1),
            start_time=cpd_session.start_time,
            venue=cpd_session.venue,
            places=2,
        )
        services_bookings.book_places(
            school=school_a, session=session, delegates=["Ann Smith"], by=ann
        )
    assert queries() == few


def test_a_request_for_an_account_is_in_the_export_and_goes_with_its_history(coordinator, school_a):
    from schools.models import AccessRequest

    request = AccessRequest.objects.create(
        first_name="Raj",
        last_name="Patel",
        email="raj@school.example",
        school=school_a,
        role_at_school=AccessRequest.RoleAtSchool.HEADTEACHER,
    )
    subject = personal_data.Subject(name="Raj Patel")
    (section,) = [s for s in personal_data.held(subject) if s.title == "Requests for an account"]
    assert section.records[0]["work email address"] == "raj@school.example"
    assert personal_data.erase(subject, by=coordinator) == 1
    assert not AccessRequest.objects.filter(pk=request.pk).exists()
    assert not AccessRequest.history.filter(id=request.pk).exists()
