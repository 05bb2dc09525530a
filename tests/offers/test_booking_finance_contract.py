"""The finance contract: chargeable_deliveries and delivered_deployment_costs, exact figures."""

from datetime import date
from decimal import Decimal

import pytest

from offers import services_bookings as services
from offers.selectors import (
    ChargeableDelivery,
    DeploymentCost,
    chargeable_deliveries,
    delivered_deployment_costs,
)

from .booking_factories import *  # noqa: F403 (fixtures)
from .booking_factories import YEAR

pytestmark = pytest.mark.django_db
D = Decimal
NOV = (date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture
def november(
    school_a,
    head_a,
    school_b,
    head_b,
    coordinator,
    practitioner_user,
    peer_review,
    lle_days,
    members,
    standard_tier,
    sam,
):
    """What happened in November 2026, for two schools and the LA."""
    members[school_a.pk] = standard_tier
    peer_review.vat_rate = D("20")
    peer_review.save()
    # School A: 3 LLE days, 2 included; Sam delivers all three on 16-18 November.
    days = services.confirm(
        booking=services.book(
            school=school_a,
            offer=lle_days,
            units=D("3"),
            by=head_a,
            academic_year=YEAR,
            purchase_order="PO-A1",
        ),
        by=coordinator,
    )
    deployment = services.deploy(
        work=days,
        practitioner=sam,
        dates=[date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18)],
        days=D("3"),
        by=coordinator,
    )
    services.record_delivery(deployment=deployment, by=practitioner_user, today=date(2026, 11, 20))
    # School A: its included peer review, delivered: nothing to charge.
    review = services.book(
        school=school_a, offer=peer_review, units=D("1"), by=head_a, academic_year=YEAR
    )
    services.mark_delivered(work=review, by=coordinator, on=date(2026, 11, 12))
    # School B (non-member) cancels a peer review inside 14 days of its first date: 50% of £1,200.
    late = services.book(
        school=school_b,
        offer=peer_review,
        units=D("1"),
        by=head_b,
        academic_year=YEAR,
        preferred_start=date(2026, 11, 30),
    )
    services.cancel(booking=late, by=head_b, today=date(2026, 11, 25))
    # School B, causing concern: the LA commissions one LLE day, delivered on 19 November.
    school_b.causing_concern = True
    school_b.save()
    package = services.commission(
        school=school_b,
        offer=lle_days,
        units=D("1"),
        budget=D("600"),
        by=coordinator,
        reason="School causing concern",
        academic_year=YEAR,
    )
    la_day = services.deploy(
        work=package, practitioner=sam, dates=[date(2026, 11, 19)], days=D("1"), by=coordinator
    )
    services.record_delivery(deployment=la_day, by=coordinator, today=date(2026, 11, 20))
    return {
        "days": days,
        "review": review,
        "late": late,
        "package": package,
        "deployment": deployment,
        "la_day": la_day,
    }


def test_chargeable_deliveries_in_november(november, school_a, school_b):
    days, late, package = november["days"], november["late"], november["package"]
    assert chargeable_deliveries(*NOV) == [
        ChargeableDelivery(
            reference=f"booking:{days.pk}",
            school=school_a,
            description=f"Extra LLE support: 3 days, 2 included in membership ({days.reference})",
            quantity=D("1"),
            unit_price=D("500.00"),
            vat_rate=None,
            purchase_order="PO-A1",
            delivered_on=date(2026, 11, 18),
            payer="school",
        ),
        ChargeableDelivery(
            reference=f"package:{package.pk}",
            school=school_b,
            description=(
                f"LA-commissioned support: Extra LLE support for Beta Primary School, 1 day "
                f"({package.reference})"
            ),
            quantity=D("1"),
            unit_price=D("500.00"),
            vat_rate=None,
            purchase_order="",
            delivered_on=date(2026, 11, 19),
            payer="la",
        ),
        ChargeableDelivery(
            reference=f"cancellation:{late.pk}",
            school=school_b,
            description=f"Cancellation charge: Peer review ({late.reference})",
            quantity=D("1"),
            unit_price=D("600.00"),
            vat_rate=D("20.00"),
            purchase_order="",
            delivered_on=date(2026, 11, 25),
            payer="school",
        ),
    ]


def test_nothing_outside_the_range_is_charged(november):
    assert chargeable_deliveries(date(2026, 12, 1), date(2026, 12, 31)) == []
    assert [
        line.reference for line in chargeable_deliveries(date(2026, 11, 19), date(2026, 11, 24))
    ] == [f"package:{november['package'].pk}"]


def test_delivered_deployment_costs_in_november(november):
    deployment, la_day = november["deployment"], november["la_day"]
    assert delivered_deployment_costs(*NOV) == [
        DeploymentCost(
            reference=f"deployment:{deployment.pk}",
            description="Sam Lee, 3 days: Extra LLE support at Alpha Primary School",
            delivered_on=date(2026, 11, 18),
            amount=D("1350.00"),
            practitioner_name="Sam Lee",
            commissioned=False,
        ),
        DeploymentCost(
            reference=f"deployment:{la_day.pk}",
            description="Sam Lee, 1 day: Extra LLE support at Beta Primary School",
            delivered_on=date(2026, 11, 19),
            amount=D("450.00"),
            practitioner_name="Sam Lee",
            commissioned=True,
        ),
    ]


def test_the_finance_contract_is_stable_when_called_twice(november):
    assert chargeable_deliveries(*NOV) == chargeable_deliveries(*NOV)
    assert len({line.reference for line in chargeable_deliveries(*NOV)}) == 3


def test_the_schools_charges_total_rounds_each_line_as_invoiced(
    november, school_b, head_b, coordinator
):
    """Two half days at £333.33 are two lines of £166.67 (£333.34), not £333.33 rounded once."""
    from offers.selectors import school_charges_total

    from .booking_factories import make_offer

    odd = make_offer("odd-days", name="Odd days", unit="day", non_member={"": "333.33"})
    for _ in range(2):
        half = services.book(
            school=school_b, offer=odd, units=D("0.5"), by=head_b, academic_year=YEAR
        )
        services.confirm(booking=half, by=coordinator)
        services.mark_delivered(work=half, by=coordinator, on=date(2026, 11, 20))
    # School A's extra LLE day £500, School B's cancellation £600; not the LA's package.
    assert school_charges_total(*NOV) == D("500.00") + D("600.00") + D("333.34")
    assert school_charges_total(date(2026, 12, 1), date(2026, 12, 31)) == D("0.00")


def test_a_deployment_is_recorded_against_its_offers_cost_line(november, lle_days):
    """Delivered costs count towards the budget line the offer names, so the trading account
    shows them against their budget instead of as unbudgeted spending."""
    from pathlib import Path

    from django.conf import settings

    from finance.selectors import trading_account
    from finance.services import run_monthly_bookings
    from partnership.partnership_file import load_text

    load_text(
        (
            Path(settings.BASE_DIR) / "tests" / "finance" / "files" / "hillingdon-costing.yaml"
        ).read_text()
    )
    lle_days.cost_line = "extra-lle-sle"
    lle_days.save()
    run_monthly_bookings(month=date(2026, 11, 1), issue_date=date(2026, 12, 1))
    account = trading_account("2026-27", today=date(2026, 12, 1))
    rows = {row.code or row.label: row for row in account.expenditure}
    assert rows["extra-lle-sle"].actual == D("1800.00")  # £1,350 and the LA's £450
    assert "Other expenditure (not budgeted)" not in rows
