import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from finance.models import BudgetLine
from finance.reports import break_even_report, budget_totals
from offers.models import Offer
from partnership.partnership_file import PartnershipFileError, load_text

D = Decimal
pytestmark = pytest.mark.django_db
HILLINGDON = Path(__file__).parent / "files" / "hillingdon-costing.yaml"
EXPECTED_TOTALS = [
    "total,core,,,,70000.00",
    "total,additional,,,,128300.00",
    "total,all,,,,198300.00",
]


def test_costs_and_income_are_the_budget_of_the_partnership_year():
    load_text(HILLINGDON.read_text())
    assert set(BudgetLine.objects.values_list("budget_year", "starts_on", "ends_on")) == {
        ("2026/27", datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))
    }
    chair = BudgetLine.objects.get(code="chair")
    assert (chair.kind, chair.quantity, chair.unit, chair.unit_cost, chair.amount) == (
        "core",
        D("20.00"),
        "day",
        D("600.00"),
        D("12000.00"),
    )
    assert budget_totals("2026/27") == {
        "core": D("70000.00"),
        "additional": D("128300.00"),
        "income": D("20000.00"),
    }


def test_loading_twice_updates_by_code_and_keeps_edits_in_history():
    load_text(HILLINGDON.read_text())
    document = yaml.safe_load(HILLINGDON.read_text())
    document["costs"][0]["quantity"] = 22
    load_text(yaml.safe_dump(document))
    chair = BudgetLine.objects.get(code="chair")
    assert chair.amount == D("13200.00")
    assert BudgetLine.objects.count() == 9
    assert [h.amount for h in chair.history.order_by("history_date")] == [
        D("12000.00"),
        D("13200.00"),
    ]


@pytest.mark.parametrize("start_month", ["0", "13", "April", "4.5"])
def test_a_start_month_must_be_a_month(start_month):
    text = HILLINGDON.read_text().replace(
        "  census_date:", f"  start_month: {start_month}\n  census_date:"
    )
    with pytest.raises(PartnershipFileError) as error:
        load_text(text)
    assert any(problem.startswith("year.start_month:") for problem in error.value.problems)
    assert BudgetLine.objects.count() == 0


def test_export_costing_prints_the_hillingdon_totals():
    load_text(HILLINGDON.read_text())
    out = StringIO()
    call_command("export_costing", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "code,name,kind,quantity,unit_cost,amount"
    assert lines[1] == "chair,Independent chair,core,20,600.00,12000.00"
    assert lines[-3:] == EXPECTED_TOTALS
    assert len(lines) == 1 + 8 + 3


def test_the_costing_download_matches_the_command(client_for, coordinator):
    load_text(HILLINGDON.read_text())
    response = client_for(coordinator).get("/finance/reports/costing/?year=2026-27")
    assert response.content.decode().splitlines()[-3:] == EXPECTED_TOTALS


def test_break_even_on_the_hillingdon_costing(school_a, school_b, join, head_a, head_b):
    load_text(HILLINGDON.read_text())
    join(school_a, head_a)
    join(school_b, head_b)
    report = break_even_report("2026/27", average_fee=D("1500"))
    r = report.result
    assert (r.core_costs, r.budgeted_income, r.membership_income_needed) == (
        D("70000.00"),
        D("20000.00"),
        D("50000.00"),
    )
    assert r.total_pupils == 630
    assert r.per_pupil_rate == D("79.37")  # 50,000 / 630 = 79.365..., rounded up
    assert r.schools_needed == 34
    assert report.signed_income == D("1260.00")
    assert report.total_costs == D("198300.00")
    assert report.surplus == D("1260.00") + D("20000.00") - D("198300.00")


@pytest.mark.parametrize(
    "change, problem",
    [
        (
            lambda d: d["costs"][0].update(unit_cost="six hundred"),
            "costs[0].unit_cost: not a number",
        ),
        (
            lambda d: d["costs"][1].update(kind="fixed"),
            "costs[1].kind: must be one of additional, core",
        ),
        (lambda d: d["costs"][2].update(colour="red"), "costs[2].colour: unknown key"),
        (lambda d: d["costs"][3].update(code="chair"), "costs[3].code: duplicate code 'chair'"),
        (lambda d: d["income"][0].pop("amount"), "income[0].amount: is required"),
        (
            lambda d: d.pop("year"),
            "costs: needs year.academic_year to know which year it budgets",
        ),
        (
            lambda d: d["income"][0].update(code="chair"),
            "costs[0].code: 'chair' is also an income line's code",
        ),
    ],
)
def test_a_bad_costs_or_income_section_changes_nothing(change, problem):
    document = yaml.safe_load(HILLINGDON.read_text())
    change(document)
    with pytest.raises(PartnershipFileError) as error:
        load_text(yaml.safe_dump(document))
    assert problem in error.value.problems
    assert BudgetLine.objects.count() == 0


def costing_of_example(name):
    load_text((Path(settings.BASE_DIR) / "examples" / name).read_text())
    out = StringIO()
    call_command("export_costing", stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.parametrize(
    "example, totals",
    [
        ("hillingdon-option1.yaml", EXPECTED_TOTALS),
        ("hillingdon-option2.yaml", EXPECTED_TOTALS),
        ("demo-partnership.yaml", EXPECTED_TOTALS),
        # Option 3 is core only: the providers sell and cost the additional offer.
        (
            "hillingdon-option3.yaml",
            ["total,core,,,,70000.00", "total,additional,,,,0.00", "total,all,,,,70000.00"],
        ),
    ],
)
def test_each_hillingdon_example_costs_what_its_option_keeps(example, totals):
    lines = costing_of_example(example)
    assert lines[-3:] == totals
    assert len(lines) == 1 + (8 if totals == EXPECTED_TOTALS else 4) + 3


def test_the_sle_networks_are_priced_and_counted_as_networks():
    lines = costing_of_example("hillingdon-option2.yaml")
    assert (
        "sle-networks,SLE-led subject networks (each 10 SLE days at £350),additional,"
        "10,3500.00,35000.00"
    ) in lines
    # The review's own £1,050 a school for extra LLE/SLE support stays as written.
    assert (
        "extra-lle-sle,Extra LLE/SLE support (1 LLE day and 3 SLE days a school),additional,"
        "42,1050.00,44100.00"
    ) in lines
    network = Offer.objects.get(code="sle-network")
    assert (network.unit, network.capacity, network.cost_line) == ("network", 10, "sle-networks")
    assert {(p.kind, p.amount) for p in network.prices.all()} == {
        ("member", D("3500.00")),
        ("non_member", D("4500.00")),
        ("unit_cost", D("3500.00")),
    }


@pytest.mark.parametrize(
    "example", ["hillingdon-option1.yaml", "hillingdon-option2.yaml", "hillingdon-option3.yaml"]
)
def test_no_hillingdon_example_budgets_an_la_contribution_no_seed_gives(example):
    load_text((Path(settings.BASE_DIR) / "examples" / example).read_text())
    assert budget_totals("2026/27")["income"] == D("0")
    assert not BudgetLine.objects.filter(code="la-contribution").exists()


def test_the_demo_partnership_loads_its_budget():
    load_text((Path(settings.BASE_DIR) / "examples" / "demo-partnership.yaml").read_text())
    assert budget_totals("2026/27") == {
        "core": D("70000.00"),
        "additional": D("128300.00"),
        "income": D("15000.00"),  # LA commissioning, an assumption of the demo
    }


def test_an_offer_names_the_cost_line_its_deliveries_cost(settings):
    from offers.models import Offer

    example = Path(settings.BASE_DIR) / "examples" / "hillingdon-option2.yaml"
    document = yaml.safe_load(example.read_text())
    document["offers"][0]["cost_line"] = "no-such-line"
    with pytest.raises(PartnershipFileError) as error:
        load_text(yaml.safe_dump(document))
    assert "offers[0].cost_line: no cost line has the code 'no-such-line'" in error.value.problems
    assert not Offer.objects.exists()
    document["offers"][0]["cost_line"] = "chair"
    load_text(yaml.safe_dump(document))
    assert Offer.objects.get(code=document["offers"][0]["code"]).cost_line == "chair"
