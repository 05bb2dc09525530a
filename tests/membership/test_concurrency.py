"""Two people signing for the same school at the same moment: exactly one membership."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from membership import services
from membership.models import Membership
from tests.conftest import requires_postgresql

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]


def test_simultaneous_signatures_create_one_membership(school_a):
    year, _ = services.load_membership_year(academic_year="2026/27", census_date=date(2026, 1, 15))
    tier, _ = services.load_tier(code="core", name="Core membership")
    services.load_fee_scheme(tier=tier, year=year, kind="per_pupil", rate=Decimal("19"))
    barrier = threading.Barrier(2)
    outcomes = []

    def sign():
        try:
            barrier.wait()
            services.sign_agreement(
                school=school_a, year=year, tier=tier, by=None, on=date(2026, 7, 1)
            )
            outcomes.append("signed")
        except services.MembershipError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [
        "Alpha Primary School already has a 2026/27 membership (awaiting approval)",
        "signed",
    ]
    assert Membership.objects.count() == 1
