"""Signing, deciding, renewing and lapsing memberships (services, no HTTP)."""

from datetime import date
from decimal import Decimal

import pytest

from membership import selectors, services
from membership.models import ExpressionOfInterest, Membership
from offers.membership_port import member_tier
from schools.models import PupilCount
from tests.factories import SchoolFactory, school_user

from .conftest import BEFORE_YEAR

pytestmark = pytest.mark.django_db
Status = Membership.Status


def sign(school, tier, year, on=BEFORE_YEAR, by=None, **kwargs):
    return services.sign_agreement(school=school, year=year, tier=tier, by=by, on=on, **kwargs)


def test_signing_freezes_the_quote_and_waits_for_approval(school_a, head_a, tiers, membership_year):
    membership = sign(school_a, tiers["core"], membership_year, by=head_a, purchase_order=" PO-77 ")
    membership.refresh_from_db()
    assert membership.status == Status.PENDING
    assert membership.fee_amount == Decimal("7980.00")
    assert membership.fee_basis == "420 pupils × £19.00 = £7,980.00"
    assert (membership.fee_pupils, membership.fee_census_date) == (420, date(2026, 1, 15))
    assert membership.joined_on == date(2026, 9, 1)
    assert membership.purchase_order == "PO-77"
    assert membership.signed_by == head_a and membership.signed_at is not None


def test_mid_year_signing_is_pro_rata_from_the_signing_month(school_a, tiers, membership_year):
    membership = sign(school_a, tiers["core"], membership_year, on=date(2027, 1, 12))
    assert membership.joined_on == date(2027, 1, 12)
    assert membership.fee_amount == Decimal("5320.00")
    assert membership.fee_basis == (
        "420 pupils × £19.00 = £7,980.00; joined in January: 8/12 of £7,980.00 = £5,320.00"
    )


def test_the_frozen_quote_does_not_change_when_the_rate_and_roll_change(
    school_a, tiers, membership_year
):
    membership = sign(school_a, tiers["core"], membership_year)
    services.approve(membership=membership, by=None)
    services.load_fee_scheme(
        tier=tiers["core"], year=membership_year, kind="per_pupil", rate=Decimal("25")
    )
    PupilCount.objects.filter(school=school_a).update(pupils=600)
    membership.refresh_from_db()
    assert (membership.fee_amount, membership.fee_pupils) == (Decimal("7980.00"), 420)
    assert membership.fee_basis == "420 pupils × £19.00 = £7,980.00"
    # ... while a fresh quote for the same school sees the new rate and roll.
    fresh = selectors.tier_options(
        school=school_a, year=membership_year, joined_on=membership_year.starts_on
    )
    assert fresh[0].quote.amount == Decimal("15000.00")


def test_a_tier_that_cannot_be_costed_cannot_be_signed(tiers, membership_year):
    school = SchoolFactory(pupils=None)
    with pytest.raises(
        services.MembershipError, match="no pupil count at the census date 15 January 2026"
    ):
        sign(school, tiers["core"], membership_year)
    special = SchoolFactory(category="special", pupils=80)
    with pytest.raises(services.MembershipError, match="no fee for special schools"):
        sign(special, tiers["subscription"], membership_year)
    assert not Membership.objects.exists()


def test_a_school_cannot_sign_twice_for_a_year(school_a, tiers, membership_year):
    sign(school_a, tiers["core"], membership_year)
    with pytest.raises(
        services.MembershipError, match=r"already has a 2026/27 membership \(awaiting approval\)"
    ):
        sign(school_a, tiers["standard"], membership_year)
    assert Membership.objects.count() == 1


def test_signing_after_the_year_has_ended_is_refused(school_a, tiers, membership_year):
    with pytest.raises(services.MembershipError, match="The 2026/27 membership year has ended"):
        sign(school_a, tiers["core"], membership_year, on=date(2027, 9, 1))


def test_a_withdrawn_school_may_sign_again(school_a, tiers, membership_year):
    first = sign(school_a, tiers["core"], membership_year)
    services.withdraw(membership=first, by=None)
    second = sign(school_a, tiers["standard"], membership_year)
    assert second.pk != first.pk
    assert (second.status, second.fee_amount) == (Status.PENDING, Decimal("373.80"))
    first.refresh_from_db()
    assert first.status == Status.WITHDRAWN


def test_an_active_membership_cannot_be_withdrawn(school_a, tiers, membership_year):
    membership = services.approve(
        membership=sign(school_a, tiers["core"], membership_year), by=None
    )
    with pytest.raises(
        services.MembershipError,
        match="This membership is active: only one not yet approved can be withdrawn",
    ):
        services.withdraw(membership=membership, by=None)


def test_approving_makes_it_active_and_emails_the_schools_contacts(
    school_a, head_a, coordinator, tiers, membership_year, mailoutbox
):
    school_user(school_a, email="sbm@alpha.sch.uk")
    membership = services.approve(
        membership=sign(school_a, tiers["core"], membership_year), by=coordinator
    )
    assert membership.status == Status.ACTIVE
    assert membership.decided_by == coordinator
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == ["head.a@alpha.sch.uk", "sbm@alpha.sch.uk"]
    assert message.subject == "Your 2026/27 membership is confirmed"
    assert "Fee: £7,980.00" in message.body
    assert "How it is worked out: 420 pupils × £19.00 = £7,980.00" in message.body


def test_declining_needs_a_reason_which_is_emailed(
    school_a, head_a, coordinator, tiers, membership_year, mailoutbox
):
    membership = sign(school_a, tiers["core"], membership_year)
    with pytest.raises(services.MembershipError, match="Enter the reason for declining"):
        services.decline(membership=membership, by=coordinator, reason="  ")
    membership.refresh_from_db()
    assert membership.status == Status.PENDING and mailoutbox == []
    services.decline(membership=membership, by=coordinator, reason="Not in our local authority")
    membership.refresh_from_db()
    assert (membership.status, membership.decline_reason) == (
        Status.DECLINED,
        "Not in our local authority",
    )
    assert mailoutbox[0].to == ["head.a@alpha.sch.uk"]
    assert "Reason: Not in our local authority" in mailoutbox[0].body


def test_only_a_pending_membership_can_be_decided(school_a, tiers, membership_year):
    membership = services.approve(
        membership=sign(school_a, tiers["core"], membership_year), by=None
    )
    with pytest.raises(
        services.MembershipError, match="Only a membership awaiting approval can be approved"
    ):
        services.approve(membership=membership, by=None)
    with pytest.raises(
        services.MembershipError, match="Only a membership awaiting approval can be declined"
    ):
        services.decline(membership=membership, by=None, reason="late")


def test_expression_of_interest_puts_the_school_on_the_list_and_no_takes_it_off(
    school_a, head_a, tiers, membership_year
):
    services.submit_expression_of_interest(
        school=school_a,
        year=membership_year,
        intent="maybe",
        preferred_tier=tiers["standard"],
        notes="Budget",
        by=head_a,
    )
    membership = Membership.objects.get()
    assert (membership.status, membership.tier) == (Status.INTERESTED, tiers["standard"])
    services.submit_expression_of_interest(
        school=school_a, year=membership_year, intent="no", by=head_a
    )
    membership.refresh_from_db()
    assert membership.status == Status.WITHDRAWN
    expression = ExpressionOfInterest.objects.get()
    assert (expression.intent, expression.preferred_tier, expression.submitted_by) == (
        "no",
        None,
        head_a,
    )


def test_signing_after_an_expression_of_interest_uses_the_same_membership(
    school_a, head_a, tiers, membership_year
):
    services.submit_expression_of_interest(
        school=school_a, year=membership_year, intent="yes", preferred_tier=tiers["core"], by=head_a
    )
    interested = Membership.objects.get()
    signed = sign(school_a, tiers["banded"], membership_year, by=head_a)
    assert signed.pk == interested.pk
    assert (signed.status, signed.fee_amount, signed.fee_basis) == (
        Status.PENDING,
        Decimal("3000.00"),
        "band 211–500 pupils: £3,000.00",
    )


def test_offering_renewal_invites_active_members_once_and_emails_them(
    school_a, school_b, head_a, tiers, membership_year, next_year, mailoutbox
):
    services.approve(membership=sign(school_a, tiers["core"], membership_year), by=None)
    sign(school_b, tiers["core"], membership_year)  # pending: not a member to renew
    mailoutbox.clear()
    created = services.offer_renewals(year=membership_year, by=None)
    assert [(m.school, m.year, m.tier, m.status) for m in created] == [
        (school_a, next_year, tiers["core"], Status.INTERESTED)
    ]
    assert created[0].renewal_of.year == membership_year
    assert mailoutbox[0].subject == "Renew your membership for 2027/28"
    assert services.offer_renewals(year=membership_year, by=None) == []
    assert Membership.objects.filter(year=next_year).count() == 1


def test_renewal_is_signed_with_a_fresh_quote_at_next_years_fees(
    school_a, tiers, membership_year, next_year
):
    previous = services.approve(membership=sign(school_a, tiers["core"], membership_year), by=None)
    services.load_fee_scheme(
        tier=tiers["core"], year=next_year, kind="per_pupil", rate=Decimal("20")
    )
    PupilCount.objects.create(school=school_a, census_date=date(2027, 1, 21), pupils=430)
    services.offer_renewals(year=membership_year, by=None)
    renewal = sign(school_a, tiers["core"], next_year, on=date(2027, 7, 1))
    assert renewal.renewal_of == previous
    assert (renewal.fee_amount, renewal.fee_basis, renewal.fee_census_date) == (
        Decimal("8600.00"),
        "430 pupils × £20.00 = £8,600.00",
        date(2027, 1, 21),
    )
    previous.refresh_from_db()
    assert previous.fee_amount == Decimal("7980.00")


def test_offering_renewal_needs_next_years_set_up(school_a, tiers, membership_year):
    with pytest.raises(services.MembershipError, match="Load the partnership file for 2027/28"):
        services.offer_renewals(year=membership_year, by=None)


def test_lapsing_marks_only_unrenewed_active_memberships_of_a_finished_year(
    school_a, school_b, tiers, membership_year, next_year
):
    renewed = services.approve(membership=sign(school_a, tiers["core"], membership_year), by=None)
    unrenewed = services.approve(membership=sign(school_b, tiers["core"], membership_year), by=None)
    services.load_fee_scheme(
        tier=tiers["core"], year=next_year, kind="flat", flat_amount=Decimal("900")
    )
    sign(school_a, tiers["core"], next_year, on=date(2027, 7, 1))
    with pytest.raises(services.MembershipError, match="has not ended yet"):
        services.lapse_unrenewed(year=membership_year, by=None, on=date(2027, 8, 31))
    assert services.lapse_unrenewed(year=membership_year, by=None, on=date(2027, 9, 1)) == 1
    renewed.refresh_from_db()
    unrenewed.refresh_from_db()
    assert (renewed.status, unrenewed.status) == (Status.ACTIVE, Status.LAPSED)


def test_selectors_for_finance_and_offers(school_a, school_b, tiers, membership_year):
    active = services.approve(
        membership=sign(school_a, tiers["core"], membership_year, purchase_order="PO1"), by=None
    )
    sign(school_b, tiers["standard"], membership_year)
    assert list(selectors.memberships_to_invoice("2026/27")) == [active]
    assert selectors.memberships_to_invoice("2027/28").count() == 0
    assert selectors.signed_membership_income("2026/27") == Decimal("7980.00")
    assert selectors.signed_membership_income("2026/27", include_pending=True) == Decimal("8230.00")
    assert selectors.active_tier_for(school_a, "2026/27") == tiers["core"]
    assert selectors.active_tier_for(school_b, "2026/27") is None
    # Offers reads the tier through its port, filled in when the app starts.
    assert member_tier(school_a, "2026/27") == tiers["core"]
    take_up = selectors.take_up_by_category("2026/27")
    assert [
        (t.category, t.open_schools, t.members, t.pending, t.interested, t.income) for t in take_up
    ] == [("primary", 2, 1, 1, 0, Decimal("7980.00"))]


def test_memberships_to_invoice_needs_no_query_per_row(
    school_a, school_b, tiers, membership_year, django_assert_num_queries
):
    for school in (school_a, school_b, SchoolFactory(pupils=100)):
        services.approve(membership=sign(school, tiers["core"], membership_year), by=None)
    # Two, however many rows: the memberships, and the academies any of their schools
    # became (who is billed after a conversion), fetched together.
    with django_assert_num_queries(2):
        rows = [
            (m.school.name, m.tier.name, m.year.academic_year, m.fee_amount, m.school.conversion())
            for m in selectors.memberships_to_invoice("2026/27")
        ]
    assert len(rows) == 3
