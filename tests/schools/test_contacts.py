"""A school's contacts by role: added with or without a portal account, their role changed,
marked as left (kept, with the date), shown grouped by role on the school's record."""

import datetime
import importlib

import pytest
from django.urls import reverse
from django.utils import timezone

from schools import selectors
from schools.models import SchoolContact
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Role = SchoolContact.Role

roles_from_positions = importlib.import_module("schools.migrations.0010_roles_from_positions")


@pytest.mark.parametrize(
    "position, expected",
    [
        ("Headteacher", ("headteacher", False, False)),
        ("Head Teacher", ("headteacher", False, False)),
        ("Executive headteacher", ("headteacher", False, False)),
        ("Head of school", ("headteacher", False, False)),
        ("Deputy headteacher", ("other", False, False)),
        ("Head of maths", ("other", False, False)),
        ("School business manager", ("business_manager", True, False)),
        ("Bursar", ("business_manager", True, False)),
        ("Chair of governors", ("chair_of_governors", False, False)),
        ("Assistant head and CPD lead", ("other", False, True)),
        ("", ("other", False, False)),
    ],
)
def test_existing_positions_become_roles(position, expected):
    assert roles_from_positions.role_from_position(position) == expected


def chair(school, **fields):
    return SchoolContact.objects.create(
        school=school,
        name=fields.pop("name", "Carol Chair"),
        email=fields.pop("email", "chair@alpha.example"),
        role=Role.CHAIR_OF_GOVERNORS,
        **fields,
    )


def test_a_contact_needs_an_account_or_a_name(school_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SchoolContact.objects.create(school=school_a, role=Role.OTHER)


def test_coordinator_adds_a_chair_of_governors_without_an_account(
    client_for, coordinator, school_a, head_a
):
    client = client_for(coordinator)
    response = client.post(
        reverse("schools:add_contact", args=[school_a.urn]),
        {
            "name": " Carol Chair ",
            "email": "Carol@Alpha.example",
            "role": "chair_of_governors",
            "position": "",
        },
    )
    assert response.status_code == 302
    contact = SchoolContact.objects.get(name="Carol Chair")
    assert (contact.user, contact.email, contact.role) == (
        None,
        "carol@alpha.example",
        Role.CHAIR_OF_GOVERNORS,
    )
    assert contact.history.count() == 1  # audited
    page = client.get(response["Location"]).content.decode()
    assert "Carol Chair added as a contact" in page
    assert "No portal account" in page


def test_adding_a_contact_without_a_name_or_role_names_both_fields(
    client_for, coordinator, school_a
):
    response = client_for(coordinator).post(
        reverse("schools:add_contact", args=[school_a.urn]), {"email": "not-an-email"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter full name" in page
    assert "Select role at the school" in page
    assert not SchoolContact.objects.filter(school=school_a).exists()


def test_coordinator_changes_a_contacts_role_and_duties(client_for, coordinator, school_a, head_a):
    contact = SchoolContact.objects.get(user=head_a)
    url = reverse("schools:change_contact", args=[school_a.urn, contact.pk])
    client = client_for(coordinator)
    form = client.get(url).context["form"]
    # Someone with an account keeps their account's name and email.
    assert "name" not in form.fields and "email" not in form.fields
    response = client.post(url, {"role": "headteacher", "duties": ["finance", "cpd"]})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.role, contact.is_finance_contact, contact.is_cpd_lead) == (
        Role.HEADTEACHER,
        True,
        True,
    )
    assert contact.history.count() == 2


def test_coordinator_marks_a_contact_as_left_and_they_lose_the_school(
    client_for, coordinator, school_a, head_a
):
    contact = SchoolContact.objects.get(user=head_a)
    head = client_for(head_a)
    assert head.get(reverse("schools:detail", args=[school_a.urn])).status_code == 200
    response = client_for(coordinator).post(
        reverse("schools:contact_left", args=[school_a.urn, contact.pk]),
        {"left_on": "31/08/2026"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.left_on == datetime.date(2026, 8, 31)  # kept, with the date
    assert head.get(reverse("schools:detail", args=[school_a.urn])).status_code == 403
    page = client_for(coordinator).get(response["Location"])
    assert page.context["contacts"] == []
    assert page.context["former_contacts"] == [contact]
    assert "left on 31 August 2026" in page.content.decode()
    # Someone who has left is not changed, nor marked as left again.
    for name in ("change_contact", "contact_left"):
        url = reverse(f"schools:{name}", args=[school_a.urn, contact.pk])
        assert client_for(coordinator).get(url).status_code == 404


def test_a_leaving_date_in_the_future_is_refused_and_changes_nothing(
    client_for, coordinator, school_a
):
    contact = chair(school_a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(coordinator).post(
        reverse("schools:contact_left", args=[school_a.urn, contact.pk]),
        {"left_on": tomorrow.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "left_on": ["The date they left must be today or in the past"]
    }
    contact.refresh_from_db()
    assert contact.left_on is None


def test_the_record_groups_contacts_by_role(client_for, coordinator, school_a, head_a):
    SchoolContact.objects.filter(user=head_a).update(is_cpd_lead=True)
    chair(school_a)
    SchoolContact.objects.create(
        school=school_a,
        name="Sam Okafor",
        email="sbm@alpha.example",
        role=Role.BUSINESS_MANAGER,
        is_finance_contact=True,
    )
    chair(school_a, name="Old Chair", email="old@alpha.example", left_on=datetime.date(2025, 8, 31))
    response = client_for(coordinator).get(reverse("schools:detail", args=[school_a.urn]))
    groups = [
        (group.heading, [c.full_name for c in group.contacts])
        for group in response.context["contact_groups"]
    ]
    head = head_a.get_full_name()
    assert groups == [
        ("Headteacher", [head]),
        ("School business manager", ["Sam Okafor"]),
        ("Chair of governors", ["Carol Chair"]),
        ("Finance contact", ["Sam Okafor"]),
        ("CPD lead", [head]),
    ]
    page = response.content.decode()
    assert "People who have left (1)" in page
    assert reverse("schools:add_contact", args=[school_a.urn]) in page


def test_a_headteacher_sees_the_contacts_but_not_the_coordinators_actions(
    client_for, school_a, head_a
):
    contact = chair(school_a)
    page = client_for(head_a).get(reverse("schools:detail", args=[school_a.urn])).content.decode()
    assert "Carol Chair" in page
    assert reverse("schools:change_contact", args=[school_a.urn, contact.pk]) not in page
    assert reverse("schools:add_contact", args=[school_a.urn]) not in page


def test_the_records_queries_do_not_grow_with_its_contacts(
    client_for, coordinator, school_a, django_assert_num_queries
):
    client = client_for(coordinator)
    url = reverse("schools:detail", args=[school_a.urn])

    def queries_with(n):
        for i in range(n - school_a.contacts.count()):
            user = UserFactory() if i % 2 else None
            SchoolContact.objects.create(
                school=school_a,
                user=user,
                name="" if user else f"Person {i}",
                role=Role.OTHER,
                left_on=datetime.date(2025, 1, 1) if i % 3 == 0 else None,
            )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries_with(3) == queries_with(30)


def test_invoices_go_to_the_finance_contact_else_the_headteacher(school_a, head_a):
    head_email = head_a.email
    assert selectors.invoice_recipients(school_a) == [head_email]
    chair(school_a)  # the chair is not written to about invoices
    assert selectors.invoice_recipients(school_a) == [head_email]
    sbm = SchoolContact.objects.create(
        school=school_a,
        name="Sam Okafor",
        email="sbm@alpha.example",
        role=Role.BUSINESS_MANAGER,
        is_finance_contact=True,
    )
    assert selectors.invoice_recipients(school_a) == ["sbm@alpha.example"]
    sbm.left_on = datetime.date(2026, 1, 1)
    sbm.save()
    assert selectors.invoice_recipients(school_a) == [head_email]


def test_without_a_headteacher_invoices_go_to_everyone_acting_for_the_school(school_a):
    user = UserFactory(email="deputy@alpha.example")
    SchoolContact.objects.create(school=school_a, user=user, role=Role.OTHER)
    assert selectors.invoice_recipients(school_a) == ["deputy@alpha.example"]


def test_a_contact_without_an_account_gets_no_school_user_emails(school_a, head_a):
    chair(school_a, is_cpd_lead=True)
    assert selectors.school_user_emails(school_a) == [head_a.email]
    assert selectors.cpd_lead_emails(school_a) == ["chair@alpha.example"]
