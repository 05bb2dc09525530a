"""Who may open each page of the register: every URL for every role."""

import pytest
from django.urls import reverse

from schools.models import School, SchoolContact

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "head_a",
    "head_b",
    "coordinator",
    "finance_officer",
    "board_member",
    "practitioner_user",
]
LOGIN = "login"
OWN = "own"

# What each person gets from each page about school A (head_b is another school's head).
EXPECTED = {
    "list": {
        "anonymous": LOGIN,
        "head_a": OWN,
        "head_b": OWN,
        "coordinator": 200,
        "finance_officer": 200,
        "board_member": 403,
        "practitioner_user": 403,
    },
    "import": {
        "anonymous": LOGIN,
        "head_a": 403,
        "head_b": 403,
        "coordinator": 200,
        "finance_officer": 403,
        "board_member": 403,
        "practitioner_user": 403,
    },
    "detail": {
        "anonymous": LOGIN,
        "head_a": 200,
        "head_b": 403,
        "coordinator": 200,
        "finance_officer": 200,
        "board_member": 403,
        "practitioner_user": 403,
    },
    "concern": {
        "anonymous": LOGIN,
        "head_a": 403,
        "head_b": 403,
        "coordinator": 200,
        "finance_officer": 403,
        "board_member": 403,
        "practitioner_user": 403,
    },
    "invite_contact": {
        "anonymous": LOGIN,
        "head_a": 403,
        "head_b": 403,
        "coordinator": 200,
        "finance_officer": 403,
        "board_member": 403,
        "practitioner_user": 403,
    },
}
# Adding, changing and marking contacts as left: the coordinator's alone.
for _page in ("add_contact", "change_contact", "contact_left"):
    EXPECTED[_page] = EXPECTED["invite_contact"]


def url_for(name, school):
    if name in ("list", "import"):
        return reverse(f"schools:{name}")
    if name in ("change_contact", "contact_left"):
        chair = SchoolContact.objects.create(
            school=school, name="Carol Chair", role=SchoolContact.Role.CHAIR_OF_GOVERNORS
        )
        return reverse(f"schools:{name}", args=[school.urn, chair.pk])
    return reverse(f"schools:{name}", args=[school.urn])


def person(request, who):
    return None if who == "anonymous" else request.getfixturevalue(who)


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("page", list(EXPECTED))
def test_get(request, client_for, school_a, school_b, page, who):
    user = person(request, who)
    url = url_for(page, school_a)
    response = client_for(user).get(url)
    expected = EXPECTED[page][who]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"
    elif expected == OWN:
        own = school_a if who == "head_a" else school_b
        assert response.status_code == 302
        assert response["Location"] == reverse("schools:detail", args=[own.urn])
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("who", ["head_a", "finance_officer", "board_member", "practitioner_user"])
def test_only_coordinators_can_flag_a_school_causing_concern(request, client_for, school_a, who):
    response = client_for(request.getfixturevalue(who)).post(
        reverse("schools:concern", args=[school_a.urn]),
        {"causing_concern": "yes", "reason": "Ofsted inadequate", "since": "01/09/2025"},
    )
    assert response.status_code == 403
    assert School.objects.get(pk=school_a.pk).causing_concern is False


def test_a_headteacher_cannot_invite_users_for_their_school(client_for, head_a, school_a):
    response = client_for(head_a).post(
        reverse("schools:invite_contact", args=[school_a.urn]),
        {
            "first_name": "Eve",
            "last_name": "Intruder",
            "email": "eve@example.org",
            "role": "headteacher",
        },
    )
    assert response.status_code == 403
    assert school_a.contacts.count() == 1


@pytest.mark.parametrize("who", ["head_a", "finance_officer", "board_member", "practitioner_user"])
def test_only_coordinators_can_add_change_or_mark_contacts_as_left(
    request, client_for, school_a, head_a, who
):
    client = client_for(request.getfixturevalue(who))
    contact = SchoolContact.objects.get(user=head_a)
    add = client.post(
        reverse("schools:add_contact", args=[school_a.urn]),
        {"name": "Eve Intruder", "role": "chair_of_governors"},
    )
    change = client.post(
        reverse("schools:change_contact", args=[school_a.urn, contact.pk]),
        {"role": "other", "duties": ["finance"]},
    )
    left = client.post(
        reverse("schools:contact_left", args=[school_a.urn, contact.pk]),
        {"left_on": "01/09/2026"},
    )
    assert (add.status_code, change.status_code, left.status_code) == (403, 403, 403)
    contact.refresh_from_db()
    assert (school_a.contacts.count(), contact.role, contact.left_on) == (1, "headteacher", None)


def test_a_contact_of_another_school_is_not_found_under_this_one(
    client_for, coordinator, school_a, head_b
):
    other = SchoolContact.objects.get(user=head_b)
    for name in ("change_contact", "contact_left"):
        url = reverse(f"schools:{name}", args=[school_a.urn, other.pk])
        assert client_for(coordinator).get(url).status_code == 404


def test_a_headteacher_cannot_open_another_schools_page(client_for, head_a, school_b):
    assert client_for(head_a).get(reverse("schools:detail", args=[school_b.urn])).status_code == 403


def test_a_headteacher_cannot_export_the_register(client_for, head_a, school_b):
    response = client_for(head_a).get(reverse("schools:list") + "?_export=csv")
    assert response.status_code == 302
    assert school_b.name not in response.content.decode()


def test_a_headteacher_without_a_school_gets_403_from_the_list(client_for):
    from tests.factories import UserFactory

    assert client_for(UserFactory()).get(reverse("schools:list")).status_code == 403


def test_unknown_urn_is_404(client_for, coordinator):
    assert (
        client_for(coordinator).get(reverse("schools:detail", args=["999999"])).status_code == 404
    )
