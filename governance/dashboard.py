"""The partnership dashboard the board reads: take-up, delivery, trading and the
progress of task-and-finish groups, each as a chart and a table.

Figures owned by other apps are read through their selectors, never their models. An
app whose selector is not there (a partnership that does not run it) leaves its part
of the dashboard saying so rather than breaking the page.
"""

import datetime
from decimal import Decimal

from django.db.models import Count

from partnership.calendars import FinancialYear
from partnership.money import format_money, money
from partnership.words import count_of
from partnership.words import financial_year as financial_year_words
from schools.rules import Category

from . import selectors
from .charts import bar_chart
from .models import today
from .other_apps import academic_year, optional_selector

ZERO = Decimal("0")


def take_up(year: str):
    """Open schools in the register by category, with how many are members in the year."""
    by_category = optional_selector("membership.selectors", "take_up_by_category")
    if by_category is not None:
        return [
            {
                "category": row.label,
                "schools": row.open_schools,
                "members": row.members,
                "percent": round(100 * row.members / row.open_schools)
                if row.open_schools
                else None,
            }
            for row in by_category(year)
        ], True
    register = dict(
        selectors.School.objects.open().values_list("category").annotate(n=Count("pk")).order_by()
    )
    return [
        {"category": label, "schools": register[key], "members": None, "percent": None}
        for key, label in Category.choices
        if register.get(key)
    ], False


def delivery(year: str):
    """Units delivered by offer and practitioner days deployed in the academic year."""
    demand = optional_selector("offers.selectors_bookings", "demand")
    days_summary = optional_selector("offers.selectors_bookings", "practitioner_days_summary")
    if demand is None or days_summary is None:
        return None
    offers = [
        {"offer": row.offer.name, "unit": row.offer.get_unit_display(), "delivered": row.delivered}
        for row in demand(year)
        if row.delivered
    ]
    practitioners = list(days_summary(year))
    deployed = sum((p.deployed or ZERO for p in practitioners), ZERO)
    available = sum((p.days_available or ZERO for p in practitioners), ZERO)
    # Days are kept to the half day; show 4.5 and 90, not 4.50 and 90.0.
    deployed, available = (f"{value.normalize():f}" for value in (deployed, available))
    return {
        "offers": offers,
        "delivered_units": f"{sum((row['delivered'] for row in offers), ZERO).normalize():f}",
        "days_deployed": deployed,
        "days_available": available,
    }


def trading(on: datetime.date):
    """The trading account's income, expenditure and surplus: budget, actual, forecast."""
    account_for = optional_selector("finance.selectors", "trading_account")
    if account_for is None:
        return None
    financial_year = str(FinancialYear.containing(on))
    account = account_for(financial_year, today=on)
    income, spend, surplus = account.income_totals, account.expenditure_totals, account.surplus
    rows = [
        {"label": "Income", **{k: money(v) for k, v in income.items()}},
        {"label": "Expenditure", **{k: money(v) for k, v in spend.items()}},
        {
            "label": "Surplus or deficit",
            "is_surplus": True,
            **{k: money(v) for k, v in surplus.items()},
        },
    ]
    return {
        "financial_year": financial_year,
        "rows": rows,
        "forecast_surplus": money(surplus["forecast"]),
        "not_recorded": len(account.not_recorded),
    }


def task_group_progress():
    return [
        {
            "group": group,
            "rag": group.latest_rag,
            "report_date": group.latest_report_date,
            "flagged": group.flagged,
        }
        for group in selectors.task_groups()
    ]


def partnership_dashboard(on: datetime.date | None = None):
    on = on or today()
    year = academic_year(on)
    take_up_rows, membership_known = take_up(year)
    if membership_known:
        take_up_chart = bar_chart(
            "take-up",
            f"Member schools by category, {year}",
            [
                (
                    r["category"],
                    r["members"],
                    f"{r['members']} of {r['schools']}",
                    "blue",
                )
                for r in take_up_rows
            ],
            headers=("Category", "Members"),
            out_of=[r["schools"] for r in take_up_rows],
            description=(
                "A bar for each category: its members, on a pale track as long as its open "
                "schools, ended by a black line. The table below gives the same figures."
            ),
        )
    else:
        take_up_chart = bar_chart(
            "take-up",
            "Open schools in the register by category",
            [(r["category"], r["schools"], str(r["schools"]), "blue") for r in take_up_rows],
            headers=("Category", "Schools"),
        )
    delivered = delivery(year)
    delivery_chart = None
    if delivered and delivered["offers"]:
        delivery_chart = bar_chart(
            "delivery",
            f"Units delivered by offer, {year}",
            [
                (
                    r["offer"],
                    r["delivered"],
                    f"{r['delivered'].normalize():f} {r['unit']}",
                    "blue",
                )
                for r in delivered["offers"]
            ],
            headers=("Offer", "Delivered"),
        )
    trade = trading(on)
    trading_chart = None
    if trade:
        income, spend = trade["rows"][0], trade["rows"][1]
        trading_chart = bar_chart(
            "trading",
            f"Income and expenditure forecast, {financial_year_words(trade['financial_year'])}",
            [
                (
                    "Income (budget)",
                    income["budget"],
                    format_money(income["budget"]),
                    "green",
                ),
                (
                    "Income (forecast)",
                    income["forecast"],
                    format_money(income["forecast"]),
                    "green",
                ),
                (
                    "Spend (budget)",
                    spend["budget"],
                    format_money(spend["budget"]),
                    "red",
                ),
                (
                    "Spend (forecast)",
                    spend["forecast"],
                    format_money(spend["forecast"]),
                    "red",
                ),
            ],
            headers=("Line", "Amount"),
        )
    progress = task_group_progress()
    rag_counts = {"red": 0, "amber": 0, "green": 0}
    for row in progress:
        if row["rag"] in rag_counts:
            rag_counts[row["rag"]] += 1
    rag_chart = bar_chart(
        "rag",
        "Task-and-finish groups by latest RAG status",
        [
            (rag.capitalize(), count, count_of(count, "group"), rag)
            for rag, count in rag_counts.items()
        ],
        headers=("RAG status", "Groups"),
    )
    return {
        "academic_year": year,
        "take_up": take_up_rows,
        "membership_known": membership_known,
        "take_up_chart": take_up_chart,
        "delivery": delivered,
        "delivery_chart": delivery_chart,
        "trading": trade,
        "trading_chart": trading_chart,
        "progress": progress,
        "rag_chart": rag_chart,
        "flagged_groups": [row["group"] for row in progress if row["flagged"]],
        "overdue_actions": list(selectors.overdue_actions(on)),
    }
