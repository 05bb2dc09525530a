import pytest

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "who, heading",
    [
        ("head_a", "Your school"),
        ("coordinator", "Coordinator dashboard"),
        ("board_member", "Board dashboard"),
        ("practitioner_user", "Your deployments"),
    ],
)
def test_each_role_signs_in_and_lands_on_its_dashboard(
    page, request, partnership_record, who, heading
):
    user = request.getfixturevalue(who)
    sign_in(page, user.email)
    page.get_by_role("heading", level=1, name=heading).wait_for()
    assert page.url.endswith("/dashboard/")
    assert_accessible(page)


def test_finance_officer_signs_in_with_two_factor_code(page, partnership_record, finance_officer):
    sign_in(page, finance_officer.email, totp_user=finance_officer)
    page.get_by_role("heading", level=1, name="Finance dashboard").wait_for()
    assert_accessible(page)


def test_sign_in_page_is_accessible_and_rejects_a_wrong_password(page, head_a):
    page.goto("/accounts/login/")
    assert_accessible(page)
    sign_in(page, head_a.email, password="wrong-password")
    assert page.get_by_text("not correct").is_visible()
    assert "/accounts/login/" in page.url
