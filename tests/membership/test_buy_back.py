"""The yearly buy-back: the window for renewing, changing membership or leaving, what each
school has said, the reminders before it closes, and the rule for late changes."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from membership import rules, selectors, services
from membership.models import Membership, RenewalReminder

from .test_services import sign

pytestmark = pytest.mark.django_db
Status = Membership.Status
OPENS, CLOSES = date(2027, 3, 1), date(2027, 5, 31)
IN_WINDOW = date(2027, 4, 15)


@pytest.fixture
def renewals(school_a, school_b, tiers, membership_year, next_year, coordinator):
    """Both schools were Core members in 2026/27 and are invited to renew for 2027/28."""
    for school in (school_a, school_b):
        services.approve(membership=sign(school, tiers["core"], membership_year), by=None)
    for tier in ("core", "standard"):
        services.load_fee_scheme(
            tier=tiers[tier], year=next_year, kind="flat", flat_amount=Decimal("900")
        )
    services.set_buy_back_window(year=next_year, opens=OPENS, closes=CLOSES, by=coordinator)
    created = services.offer_renewals(year=membership_year, by=coordinator)
    return {m.school: m for m in created}


def test_the_window_must_close_after_it_opens_and_before_the_year_starts(next_year, coordinator):
    with pytest.raises(services.MembershipError, match="close on or after the day it opens"):
        services.set_buy_back_window(year=next_year, opens=CLOSES, closes=OPENS, by=coordinator)
    with pytest.raises(services.MembershipError, match="close before 2027/28 starts"):
        services.set_buy_back_window(
            year=next_year, opens=OPENS, closes=date(2027, 9, 1), by=coordinator
        )
    next_year.refresh_from_db()
    assert next_year.buy_back_opens is None
    services.set_buy_back_window(year=next_year, opens=OPENS, closes=CLOSES, by=coordinator)
    next_year.refresh_from_db()
    assert (next_year.buy_back_opens, next_year.buy_back_closes) == (OPENS, CLOSES)
    assert next_year.history.first().history_user == coordinator


def test_a_school_renews_changes_or_leaves_only_within_the_window(
    renewals, school_a, school_b, head_a, head_b, tiers, next_year
):
    with pytest.raises(services.MembershipError, match="Renewals for 2027/28 open on 1 March 2027"):
        sign(school_a, tiers["core"], next_year, on=date(2027, 2, 28), by=head_a)
    changed = sign(school_a, tiers["standard"], next_year, on=IN_WINDOW, by=head_a)
    assert (changed.status, changed.tier) == (Status.PENDING, tiers["standard"])
    leaving = services.withdraw(membership=renewals[school_b], by=head_b, on=IN_WINDOW)
    assert leaving.status == Status.WITHDRAWN


def test_after_the_window_only_the_coordinator_changes_a_renewal(
    renewals, school_a, head_a, coordinator, tiers, next_year
):
    late = date(2027, 6, 1)
    with pytest.raises(
        services.MembershipError, match="closed on 31 May 2027: ask the partnership"
    ):
        sign(school_a, tiers["core"], next_year, on=late, by=head_a)
    with pytest.raises(services.MembershipError, match="closed on 31 May 2027"):
        services.withdraw(membership=renewals[school_a], by=head_a, on=late)
    assert (
        renewals[school_a].history.count()
        == Membership.objects.get(pk=renewals[school_a].pk).history.count()
    )
    renewed = sign(school_a, tiers["core"], next_year, on=late, by=coordinator)
    assert renewed.status == Status.PENDING


def test_each_answer_is_counted_in_the_coordinators_words(
    renewals, school_a, school_b, head_a, head_b, tiers, next_year
):
    assert selectors.renewal_counts(next_year) == {
        "No response": 2,
        "Renewing": 0,
        "Changing membership": 0,
        "Leaving": 0,
    }
    sign(school_a, tiers["core"], next_year, on=IN_WINDOW, by=head_a)
    services.withdraw(membership=renewals[school_b], by=head_b, on=IN_WINDOW)
    assert selectors.renewal_counts(next_year) == {
        "No response": 0,
        "Renewing": 1,
        "Changing membership": 0,
        "Leaving": 1,
    }


def test_reminders_go_to_schools_that_have_not_answered_once_each(
    renewals, school_a, school_b, head_a, head_b, tiers, next_year, mailoutbox
):
    sign(school_a, tiers["core"], next_year, on=IN_WINDOW, by=head_a)
    mailoutbox.clear()
    assert services.send_buy_back_reminders(on=date(2027, 5, 16)) == 0  # 15 days before
    assert services.send_buy_back_reminders(on=date(2027, 5, 17)) == 1  # 14 days before
    assert services.send_buy_back_reminders(on=date(2027, 5, 20)) == 0  # sent already
    assert [m.to for m in mailoutbox] == [[head_b.email]]
    assert mailoutbox[0].subject == (
        "Reminder: renew Beta Primary School's membership for 2027/28 by 31 May 2027"
    )
    assert services.send_buy_back_reminders(on=date(2027, 5, 28)) == 1  # 3 days before
    assert services.send_buy_back_reminders(on=date(2027, 6, 1)) == 0  # closed
    assert list(RenewalReminder.objects.values_list("membership__school__name", "days_before")) == [
        ("Beta Primary School", 14),
        ("Beta Primary School", 3),
    ]


def test_a_window_set_late_sends_only_the_nearest_reminder(renewals, next_year, mailoutbox):
    mailoutbox.clear()
    assert services.send_buy_back_reminders(on=date(2027, 5, 30)) == 2
    assert set(RenewalReminder.objects.values_list("days_before", flat=True)) == {3}
    assert services.send_buy_back_reminders(on=date(2027, 5, 31)) == 0


def test_the_window_rule_in_words():
    assert (
        rules.buy_back_problem(year_name="2027/28", opens=None, closes=None, today=IN_WINDOW) == ""
    )
    assert (
        rules.buy_back_problem(year_name="2027/28", opens=OPENS, closes=CLOSES, today=CLOSES) == ""
    )
    assert rules.reminder_due(closes=CLOSES, today=date(2027, 5, 28), days_before=3)
    assert not rules.reminder_due(closes=None, today=IN_WINDOW, days_before=3)


def test_the_coordinator_sets_the_window_and_reads_each_schools_answer(
    renewals,
    client_for,
    coordinator,
    head_a,
    finance_officer,
    next_year,
    school_a,
    school_b,
    django_assert_max_num_queries,
):
    client = client_for(coordinator)
    bad = client.post(
        reverse("membership:renewals"),
        {"action": "window", "window-opens": "2027-05-01", "window-closes": "2027-04-01"},
    )
    assert "Buy-back must close on or after the day it opens" in bad.content.decode()
    next_year.refresh_from_db()
    assert next_year.buy_back_opens == OPENS
    response = client.post(
        reverse("membership:renewals"),
        {"action": "window", "window-opens": "2027-02-01", "window-closes": "2027-05-15"},
    )
    assert response.status_code == 302
    next_year.refresh_from_db()
    assert next_year.buy_back_closes == date(2027, 5, 15)
    url = reverse("membership:renewal_responses") + "?year=2027%2F28"
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert "Alpha Primary School" in page and "No response" in page
    csv = client.get(url + "&_export=csv").content.decode()
    assert csv.splitlines()[0].startswith("School,Year,This year,Renewing as,Response")
    assert client_for(head_a).get(url).status_code == 403
    assert client_for(finance_officer).get(url).status_code == 403
