from datetime import date

import pytest
from django.db import IntegrityError, transaction

from membership.models import Membership

pytestmark = pytest.mark.django_db


def test_an_active_membership_must_have_been_signed(school_a, membership_year):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(school=school_a, year=membership_year, status="active")


def test_a_signed_membership_must_carry_its_fee_and_basis(school_a, membership_year):
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            school=school_a, year=membership_year, status="pending", signed_at=timezone.now()
        )


def test_one_open_membership_per_school_and_year_but_closed_ones_may_repeat(
    school_a, membership_year
):
    Membership.objects.create(school=school_a, year=membership_year, status="withdrawn")
    Membership.objects.create(school=school_a, year=membership_year, status="withdrawn")
    Membership.objects.create(school=school_a, year=membership_year, status="interested")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(school=school_a, year=membership_year, status="interested")


def test_membership_year_dates(membership_year):
    assert str(membership_year.academic) == "2026/27"
    assert (membership_year.starts_on, membership_year.ends_on) == (
        date(2026, 9, 1),
        date(2027, 8, 31),
    )
