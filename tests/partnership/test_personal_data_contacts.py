"""Subject access and erasure for school contacts recorded without an account (found by
their name or email address), and the "only contact" refusal counting only contacts who
still act for the school (not those who have left)."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from membership.models import Membership, MembershipYear
from partnership import personal_data
from partnership.models import PersonalDataRequest
from schools.models import SchoolContact
from schools.services import NAME_REMOVED
from tests.factories import school_user

pytestmark = pytest.mark.django_db


def member(school):
    year, _ = MembershipYear.objects.get_or_create(
        academic_year="2026/27", defaults={"census_date": date(2026, 1, 15)}
    )
    return Membership.objects.create(
        school=school,
        year=year,
        status=Membership.Status.ACTIVE,
        signed_at=timezone.now(),
        fee_amount=Decimal("2100.00"),
        fee_basis="Primary school: £2,100.00",
    )


@pytest.fixture
def chair(school_a):
    """Priya Shah, chair of governors at Alpha, with no portal account."""
    return SchoolContact.objects.create(
        school=school_a,
        name="Priya Shah",
        email="chair@alpha.example",
        role=SchoolContact.Role.CHAIR_OF_GOVERNORS,
        position="Chair of governors",
        is_finance_contact=True,
    )


def _sections(response):
    return {s["title"]: s["records"] for s in json.loads(response.content)["sections"]}


@pytest.mark.parametrize("found_by", [{"name": "priya shah"}, {"email": "CHAIR@alpha.example"}])
def test_a_contact_without_an_account_is_in_the_export_by_name_or_email(
    client_for, coordinator, chair, school_a, found_by
):
    response = client_for(coordinator).post(
        "/people/personal-data/named/", {"name": "", "email": "", **found_by, "step": "download"}
    )
    assert response.status_code == 200
    assert _sections(response)["Schools they act or acted for"] == [
        {
            "school": school_a.name,
            "URN": school_a.urn,
            "name": "Priya Shah",
            "email address": "chair@alpha.example",
            "portal account": False,
            "role": "Chair of governors",
            "position": "Chair of governors",
            "duties": "Finance contact",
            "left on": None,
        }
    ]
    assert PersonalDataRequest.objects.get().records == 1


def test_the_find_page_lists_contacts_without_an_account(client_for, coordinator, chair):
    page = client_for(coordinator).get("/people/personal-data/", {"q": "priya"}).content.decode()
    assert "School contacts without an account" in page
    assert "Priya Shah" in page and "chair@alpha.example" in page
    assert "chair of governors at Alpha Primary School" in page


def test_erasing_a_contact_without_an_account_removes_the_name_from_its_history(
    client_for, coordinator, chair, school_a
):
    school_user(school_a)  # the school keeps someone who acts for it
    chair.position = "Chair of the governing body"
    chair.save()  # a second history row that also holds her name
    response = client_for(coordinator).post(
        "/people/personal-data/named/",
        {"name": "Priya Shah", "email": "", "step": "erase", "confirm": "on"},
    )
    assert response.status_code == 302
    chair.refresh_from_db()
    assert (chair.name, chair.email, chair.role, chair.left_on) == (
        NAME_REMOVED,
        "",
        SchoolContact.Role.CHAIR_OF_GOVERNORS,
        timezone.localdate(),
    )
    assert chair.history.count() == 3
    assert not chair.history.filter(name="Priya Shah").exists()
    assert not chair.history.exclude(email="").exists()
    assert PersonalDataRequest.objects.get(action="erasure").records == 1


def test_the_only_current_contact_of_a_member_school_cannot_be_erased(coordinator, chair, school_a):
    member(school_a)
    # Someone who left does not count as another contact.
    left = school_user(school_a)
    SchoolContact.objects.filter(user=left).update(left_on=date(2026, 7, 31))
    subject = personal_data.Subject(name="Priya Shah")
    assert personal_data.refusals(subject, by=coordinator) == [
        f"They are the only contact for {school_a.name}, a member school: "
        "add another contact for the school first"
    ]
    with pytest.raises(personal_data.ErasureRefused):
        personal_data.erase(subject, by=coordinator)
    chair.refresh_from_db()
    assert chair.name == "Priya Shah"


def test_an_account_holder_is_alone_when_the_others_have_left(coordinator, school_a):
    member(school_a)
    ann = school_user(school_a, email="ann@alpha.example")
    SchoolContact.objects.create(school=school_a, name="Old Chair", left_on=date(2026, 3, 31))
    (reason,) = personal_data.refusals(personal_data.Subject.of(ann), by=coordinator)
    assert reason.startswith(f"They are the only contact for {school_a.name}")


def test_a_contact_who_has_left_can_be_erased_and_does_not_hold_the_school(
    coordinator, chair, school_a
):
    member(school_a)
    school_user(school_a)
    chair.left_on = date(2026, 8, 31)
    chair.save()
    subject = personal_data.Subject(email="chair@alpha.example")
    assert personal_data.refusals(subject, by=coordinator) == []
    assert personal_data.erase(subject, by=coordinator) == 1
    chair.refresh_from_db()
    assert (chair.name, chair.left_on) == (NAME_REMOVED, date(2026, 8, 31))


def _pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    # Words as read, whatever the lines they wrapped onto.
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_the_subject_access_export_as_a_pdf_for_someone_without_an_account(
    client_for, coordinator, chair, school_a
):
    response = client_for(coordinator).post(
        "/people/personal-data/named/",
        {"name": "Priya Shah", "email": "", "step": "download_pdf"},
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-')
    text = _pdf_text(response.content)
    assert "Personal data held about Priya Shah" in text
    assert "Schools they act or acted for" in text
    assert school_a.name in text and "chair@alpha.example" in text
    assert "Finance contact" in text
    request = PersonalDataRequest.objects.get()
    assert (request.action, request.user, request.records) == ("export", None, 1)


def test_the_subject_access_export_as_a_pdf_for_an_account(client_for, coordinator, school_a):
    ann = school_user(school_a, email="ann@alpha.example", first_name="Ann", last_name="Smith")
    response = client_for(coordinator).get(f"/people/{ann.pk}/personal-data/download.pdf")
    text = _pdf_text(response.content)
    assert "Personal data held about Ann Smith" in text
    assert "ann@alpha.example" in text and "Account" in text and school_a.name in text
    assert PersonalDataRequest.objects.get().user == ann


@pytest.mark.parametrize("who", ["finance_officer", "head_a", "board_member"])
def test_only_coordinators_download_the_pdf(request, client_for, school_a, who):
    ann = school_user(school_a, email="ann@alpha.example")
    response = client_for(request.getfixturevalue(who)).get(
        f"/people/{ann.pk}/personal-data/download.pdf"
    )
    assert response.status_code == 403
    assert not PersonalDataRequest.objects.exists()
