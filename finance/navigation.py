from django.db.models import Sum

from partnership.navigation import NavItem, Panel
from partnership.roles import Role


def items(user):
    if user.role == Role.FINANCE:
        return [
            NavItem("Trading account", "finance:trading_account", order=10),
            NavItem("Invoices", "finance:invoices", order=20),
            NavItem("Invoice runs", "finance:runs", order=21),
            NavItem("Ledger", "finance:ledger", order=22),
            NavItem("Home-school payments", "finance:home_school_payments", order=23),
            # Three-year plans are reports, listed on the reports page.
            NavItem("Reports", "finance:reports", order=30, also=("finance:plans",)),
            NavItem("Audit trail", "finance:audit", order=35),
        ]
    if user.role == Role.HEADTEACHER:
        return [NavItem("Invoices", "finance:invoices", order=60)]
    if user.role == Role.BOARD:
        return [NavItem("Three-year plans", "finance:plans", order=65)]
    if user.role == Role.COORDINATOR:
        # Break-even and scenarios: the coordinator answers for the partnership breaking even.
        return [
            NavItem("Reports", "finance:reports", order=55, also=("finance:plans",)),
            NavItem("Home-school payments", "finance:home_school_payments", order=56),
        ]
    return []


def panels(user):
    from . import selectors
    from .models import Invoice, Job

    if user.role == Role.FINANCE:
        year = selectors.default_financial_year()
        account = selectors.trading_account(year)
        return [
            Panel(
                "finance/panels/finance.html",
                {
                    "year": year,
                    "income": account.income_totals,
                    "expenditure": account.expenditure_totals,
                    "surplus": account.surplus,
                    "running": list(
                        Job.objects.exclude(status__in=[Job.Status.FINISHED, Job.Status.FAILED])[:5]
                    ),
                    "overdue": list(
                        selectors.invoices_with_status()
                        .filter(status="overdue")
                        .order_by("due_date")[:10]
                    ),
                },
                order=5,
            )
        ]
    if user.role == Role.HEADTEACHER:
        outstanding = selectors.invoices_for(user).filter(balance__gt=0).order_by("due_date")
        # A recharge is taken from the school's budget by the council: nothing for it to pay.
        to_pay = outstanding.exclude(billing=Invoice.Billing.INTERNAL_RECHARGE)
        recharged = outstanding.filter(billing=Invoice.Billing.INTERNAL_RECHARGE)
        return [
            Panel(
                "finance/panels/headteacher.html",
                {"invoices": list(to_pay[:10]), "recharged": list(recharged[:10])},
                order=40,
            )
        ]
    if user.role == Role.COORDINATOR:
        return [
            Panel(
                "finance/panels/coordinator.html",
                {"year": selectors.default_financial_year()},
                order=80,
            )
        ]
    return []


def school_panels(user, school):
    """The school's invoices and what it owes, for finance and the school's own head."""
    from . import selectors
    from .models import Invoice

    if user.role not in (Role.FINANCE, Role.HEADTEACHER):
        return []
    invoices = selectors.invoices_with_status().filter(school=school)
    owed = invoices.exclude(billing=Invoice.Billing.INTERNAL_RECHARGE).aggregate(
        total=Sum("balance")
    )["total"]
    return [
        Panel(
            "finance/panels/school_record.html",
            {
                "invoices": list(invoices.order_by("-issue_date", "-pk")[:10]),
                "owed": owed or 0,
                "school": school,
            },
            order=30,
        )
    ]
