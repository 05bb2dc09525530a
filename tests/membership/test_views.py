"""The membership pages: sign-up journey, coordinator decisions, lists, fee schedule."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from membership import services
from membership.models import ExpressionOfInterest, Membership
from tests.factories import SchoolFactory

from .conftest import BEFORE_YEAR

pytestmark = pytest.mark.django_db
Status = Membership.Status


@pytest.fixture
def on_day(monkeypatch):
    """Pretend today is a given day for the pages (joining date and pro-rata depend on it)."""

    def set_day(day):
        monkeypatch.setattr(services, "today", lambda: day)

    set_day(BEFORE_YEAR)
    return set_day


def text(response):
    return " ".join(response.content.decode().split())


def test_the_agreement_shows_each_tiers_fee_for_this_school(
    client_for, head_a, school_a, tiers, on_day
):
    page = text(client_for(head_a).get(reverse("membership:agreement", args=[school_a.urn])))
    assert "Core membership: £7,980.00" in page
    assert "420 pupils × £19.00 = £7,980.00" in page
    assert "Standard membership: £373.80" in page
    assert "Includes: 1 review of Peer review" in page
    assert "Service level: £3,000.00" in page and "band 211–500 pupils: £3,000.00" in page
    assert "Subscription: £2,100.00" in page


def test_a_tier_that_cannot_be_costed_is_shown_disabled_with_the_reason(client_for, tiers, on_day):
    from tests.factories import school_user

    special = SchoolFactory(category="special", pupils=None)
    head = school_user(special)
    client = client_for(head)
    page = text(client.get(reverse("membership:agreement", args=[special.urn])))
    assert "Subscription: cannot be costed for your school" in page
    assert "Not available: no fee for special schools." in page
    assert "Not available: no pupil count at the census date 15 January 2026." in page
    assert 'value="subscription" aria-describedby="tier-3-hint" disabled' in page
    response = client.post(
        reverse("membership:agreement", args=[special.urn]),
        {"tier": "subscription", "accept_terms": "on"},
    )
    assert "Select a membership that can be costed for your school" in text(response)
    assert not Membership.objects.exists()


def test_signing_freezes_the_fee_and_shows_it_on_the_membership_page(
    client_for, head_a, school_a, tiers, on_day
):
    client = client_for(head_a)
    response = client.post(
        reverse("membership:agreement", args=[school_a.urn]),
        {"tier": "standard", "purchase_order": "PO-2026-14", "accept_terms": "on"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert (
        membership.status,
        membership.tier.code,
        membership.fee_amount,
        membership.purchase_order,
    ) == (Status.PENDING, "standard", Decimal("373.80"), "PO-2026-14")
    page = text(client.get(response.url))
    assert "Awaiting approval" in page
    assert "£373.80" in page and "420 pupils × £0.89 = £373.80" in page
    assert "1 review" in page and "Peer review" in page
    assert "PO-2026-14" in page


def test_the_terms_must_be_accepted_and_nothing_is_signed_without(
    client_for, head_a, school_a, tiers, on_day
):
    response = client_for(head_a).post(
        reverse("membership:agreement", args=[school_a.urn]), {"tier": "core"}
    )
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Confirm that you accept the terms of membership" in page
    assert not Membership.objects.exists()


def test_a_mid_year_joiner_sees_and_signs_the_pro_rata_fee(
    client_for, head_a, school_a, tiers, on_day
):
    on_day(date(2027, 1, 12))
    client = client_for(head_a)
    page = text(client.get(reverse("membership:agreement", args=[school_a.urn])))
    assert "would start on 12 January 2027" in page
    assert "Core membership: £5,320.00" in page
    assert "joined in January: 8/12 of £7,980.00 = £5,320.00" in page
    client.post(
        reverse("membership:agreement", args=[school_a.urn]), {"tier": "core", "accept_terms": "on"}
    )
    assert Membership.objects.get().fee_amount == Decimal("5320.00")


def test_a_signed_school_is_sent_to_its_membership_page(
    client_for, head_a, school_a, tiers, membership_year, on_day
):
    services.sign_agreement(
        school=school_a, year=membership_year, tier=tiers["core"], by=head_a, on=BEFORE_YEAR
    )
    response = client_for(head_a).get(reverse("membership:agreement", args=[school_a.urn]))
    assert response.status_code == 302 and response.url == reverse(
        "membership:school", args=[school_a.urn]
    )


def test_expression_of_interest(client_for, head_a, school_a, tiers, membership_year):
    client = client_for(head_a)
    response = client.post(reverse("membership:interest", args=[school_a.urn]), {})
    assert "Select whether your school intends to join" in text(response)
    assert not ExpressionOfInterest.objects.exists()
    response = client.post(
        reverse("membership:interest", args=[school_a.urn]),
        {"intent": "yes", "preferred_tier": tiers["banded"].pk, "notes": "From September"},
    )
    assert response.status_code == 302
    expression = ExpressionOfInterest.objects.get()
    assert (expression.intent, expression.preferred_tier, expression.notes) == (
        "yes",
        tiers["banded"],
        "From September",
    )
    page = text(client.get(response.url))
    assert "Yes, we intend to join" in page and "Interested" in page


def test_withdrawing_a_pending_membership(client_for, head_a, school_a, tiers, membership_year):
    membership = services.sign_agreement(
        school=school_a, year=membership_year, tier=tiers["core"], by=head_a, on=BEFORE_YEAR
    )
    client = client_for(head_a)
    assert "Withdraw your 2026/27 membership?" in text(
        client.get(reverse("membership:withdraw", args=[membership.pk]))
    )
    client.post(reverse("membership:withdraw", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.status == Status.WITHDRAWN


def test_coordinator_approves(
    client_for, coordinator, head_a, school_a, tiers, membership_year, mailoutbox
):
    membership = services.sign_agreement(
        school=school_a, year=membership_year, tier=tiers["core"], by=head_a, on=BEFORE_YEAR
    )
    client = client_for(coordinator)
    assert "420 pupils × £19.00 = £7,980.00" in text(
        client.get(reverse("membership:decide", args=[membership.pk]))
    )
    response = client.post(
        reverse("membership:decide", args=[membership.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE and membership.decided_by == coordinator
    assert mailoutbox[0].to == ["head.a@alpha.sch.uk"]


def test_coordinator_must_give_a_reason_to_decline(
    client_for, coordinator, school_a, head_a, tiers, membership_year, mailoutbox
):
    membership = services.sign_agreement(
        school=school_a, year=membership_year, tier=tiers["core"], by=head_a, on=BEFORE_YEAR
    )
    client = client_for(coordinator)
    response = client.post(
        reverse("membership:decide", args=[membership.pk]), {"decision": "decline", "reason": ""}
    )
    assert "Enter the reason for declining" in text(response)
    membership.refresh_from_db()
    assert membership.status == Status.PENDING and mailoutbox == []
    client.post(
        reverse("membership:decide", args=[membership.pk]),
        {"decision": "decline", "reason": "Outside the LA"},
    )
    membership.refresh_from_db()
    assert (membership.status, membership.decline_reason) == (Status.DECLINED, "Outside the LA")
    assert "Reason: Outside the LA" in mailoutbox[0].body


def test_membership_list_filters_and_exports_csv(
    client_for, coordinator, school_a, school_b, tiers, membership_year
):
    services.approve(
        membership=services.sign_agreement(
            school=school_a, year=membership_year, tier=tiers["core"], by=None, on=BEFORE_YEAR
        ),
        by=coordinator,
    )
    services.sign_agreement(
        school=school_b, year=membership_year, tier=tiers["banded"], by=None, on=BEFORE_YEAR
    )
    client = client_for(coordinator)
    page = text(client.get(reverse("membership:list"), {"status": "pending"}))
    assert "Beta Primary School" in page and "Alpha Primary School" not in page
    response = client.get(reverse("membership:list"), {"_export": "csv"})
    signed = timezone.localdate().isoformat()
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["School", "Category", "Year", "Tier", "Status", "Fee", "Signed"],
        [
            "Alpha Primary School",
            "primary",
            "2026/27",
            "Core membership",
            "active",
            "7980.00",
            signed,
        ],
        ["Beta Primary School", "primary", "2026/27", "Service level", "pending", "850.00", signed],
    ]


def test_membership_list_query_count_does_not_grow_with_rows(
    client_for, coordinator, tiers, membership_year, django_assert_max_num_queries
):
    for _ in range(12):
        services.sign_agreement(
            school=SchoolFactory(pupils=300),
            year=membership_year,
            tier=tiers["core"],
            by=None,
            on=BEFORE_YEAR,
        )
    client = client_for(coordinator)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("membership:list"))
    assert text(response).count('govuk-tag--yellow">Awaiting approval') == 12


def test_expressions_of_interest_list_has_planning_totals(
    client_for, coordinator, tiers, membership_year
):
    for intent, tier in (("yes", "core"), ("yes", "core"), ("maybe", "standard"), ("no", None)):
        services.submit_expression_of_interest(
            school=SchoolFactory(pupils=100),
            year=membership_year,
            intent=intent,
            preferred_tier=tiers[tier] if tier else None,
            by=coordinator,
        )
    page = text(client_for(coordinator).get(reverse("membership:interests")))
    assert "Planning totals for 2026/27" in page
    assert '<span class="portal-card__figure">2</span> Yes, we intend to join' in page
    assert '<span class="portal-card__figure">1</span> Maybe, we are considering it' in page
    assert (
        '<th scope="row" class="govuk-table__header">Core membership</th>'
        '<td class="govuk-table__cell portal-num">2</td>'
        '<td class="govuk-table__cell portal-num">0</td>' in page
    )


def test_coordinator_offers_renewal_from_the_renewals_page(
    client_for, coordinator, school_a, head_a, tiers, membership_year, next_year, mailoutbox
):
    services.approve(
        membership=services.sign_agreement(
            school=school_a, year=membership_year, tier=tiers["core"], by=None, on=BEFORE_YEAR
        ),
        by=coordinator,
    )
    client = client_for(coordinator)
    assert "Offer renewal for 2027/28" in text(client.get(reverse("membership:renewals")))
    client.post(reverse("membership:renewals"), {"action": "renew"})
    renewal = Membership.objects.get(year=next_year)
    assert (renewal.status, renewal.renewal_of.year.academic_year) == (Status.INTERESTED, "2026/27")
    assert mailoutbox[-1].subject == "Renew your membership for 2027/28"


def test_headteacher_signs_a_renewal_at_next_years_fee(
    client_for, head_a, school_a, tiers, membership_year, next_year, on_day
):
    services.approve(
        membership=services.sign_agreement(
            school=school_a, year=membership_year, tier=tiers["core"], by=None, on=BEFORE_YEAR
        ),
        by=None,
    )
    services.load_fee_scheme(
        tier=tiers["core"], year=next_year, kind="per_pupil", rate=Decimal("20")
    )
    services.offer_renewals(year=membership_year, by=None)
    on_day(date(2027, 6, 1))
    client = client_for(head_a)
    assert "Renew or change membership" in text(
        client.get(reverse("membership:school", args=[school_a.urn]))
    )
    url = reverse("membership:agreement_year", args=[school_a.urn, 2027])
    page = text(client.get(url))
    assert "This renews your 2026/27 membership" in page
    # No 2027 census count yet: the latest count on or before 21 January 2027 is January 2026's.
    assert "Core membership: £8,400.00" in page
    client.post(url, {"tier": "core", "accept_terms": "on"})
    renewal = Membership.objects.get(year=next_year)
    assert (renewal.status, renewal.fee_amount) == (Status.PENDING, Decimal("8400.00"))


def test_fee_schedule_page_totals_every_tier_by_category(
    client_for, finance_officer, tiers, membership_year, django_assert_max_num_queries
):
    SchoolFactory(name="Small Primary", pupils=100)
    SchoolFactory(name="Big Secondary", category="secondary", phase="Secondary", pupils=1000)
    SchoolFactory(name="Closed Primary", pupils=300, status="closed")
    SchoolFactory(name="Uncounted Primary", pupils=None)
    client = client_for(finance_officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("membership:fee_schedule"))
    page = text(response)
    assert "Closed Primary" not in page
    # core: 100×19 + 1000×19 = 20,900; the uncounted school has no fee.
    assert (
        '<td class="govuk-table__cell portal-num govuk-!-font-weight-bold">£20,900.00</td>' in page
    )
    assert "no pupil count at the census date 15 January 2026" in page
    # subscription by category: primary 2 × 2,100 (uncounted school too), secondary 4,200.
    assert "£8,400.00" in page


def test_fee_schedule_download_is_the_export(client_for, coordinator, tiers, membership_year):
    SchoolFactory(urn="200001", name="Small Primary", pupils=100)
    response = client_for(coordinator).get(reverse("membership:fee_schedule"), {"tier": "standard"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode() == (
        "urn,name,category,pupils,tier,fee,basis\n"
        "200001,Small Primary,primary,100,standard,250.00,"
        '"100 pupils × £0.89 = £89.00, raised to the minimum of £250.00"\n'
    )
    assert (
        client_for(coordinator)
        .get(reverse("membership:fee_schedule"), {"tier": "nope"})
        .status_code
        == 404
    )


def test_export_fee_schedule_command_prints_every_open_school(tiers, membership_year, capsys):
    SchoolFactory(
        urn="300003", name="Gamma Secondary", category="secondary", phase="Secondary", pupils=1200
    )
    SchoolFactory(urn="300001", name="Alpha Primary", pupils=210)
    SchoolFactory(urn="300002", name="Beta Primary", pupils=211)
    SchoolFactory(urn="300004", name="Delta Special", category="special", pupils=None)
    SchoolFactory(urn="300005", name="Closed Primary", pupils=300, status="closed")
    out = io.StringIO()
    call_command("export_fee_schedule", "--tier", "banded", stdout=out)
    assert out.getvalue() == (
        "urn,name,category,pupils,tier,fee,basis\n"
        "300001,Alpha Primary,primary,210,banded,850.00,band up to 210 pupils: £850.00\n"
        '300002,Beta Primary,primary,211,banded,3000.00,"band 211–500 pupils: £3,000.00"\n'
        '300003,Gamma Secondary,secondary,1200,banded,13000.00,"band over 500 pupils: £13,000.00"\n'
        "300004,Delta Special,special,,banded,,no pupil count at the census date 15 January 2026\n"
    )


def test_export_fee_schedule_with_a_join_date_is_pro_rata(tiers, membership_year):
    SchoolFactory(urn="400001", name="Alpha Primary", pupils=420)
    out = io.StringIO()
    call_command("export_fee_schedule", "--tier", "core", "--join-date", "2027-01-04", stdout=out)
    assert out.getvalue().splitlines()[1] == (
        "400001,Alpha Primary,primary,420,core,5320.00,"
        '"420 pupils × £19.00 = £7,980.00; joined in January: 8/12 of £7,980.00 = £5,320.00"'
    )


def test_export_fee_schedule_refuses_an_unknown_tier_or_date(tiers, membership_year):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no fee scheme for tier 'gold' in 2026/27"):
        call_command("export_fee_schedule", "--tier", "gold", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--join-date: not a date"):
        call_command(
            "export_fee_schedule",
            "--tier",
            "core",
            "--join-date",
            "04/01/2027",
            stdout=io.StringIO(),
        )
