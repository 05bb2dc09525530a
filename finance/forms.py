import datetime
from decimal import Decimal

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from partnership.calendars import AcademicYear, FinancialYear
from partnership.money import parse_money
from partnership.widgets import PickedDateField
from partnership.words import financial_year

from . import rules
from .models import BudgetLine, LedgerEntry, Payment


def financial_date(value, field: str):
    """The date, if a financial record may carry it (see rules.financial_date_problem)."""
    if value is not None:
        problem = rules.financial_date_problem(value, timezone.localdate(), field)
        if problem:
            raise forms.ValidationError(problem)
    return value


class MoneyField(forms.Field):
    """Pounds as Decimal: accepts "1,050", "£19.00", "850"."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})

    def __init__(self, *args, allow_negative=False, **kwargs):
        self.allow_negative = allow_negative
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            amount = parse_money(value)
        except ValueError as exc:
            raise forms.ValidationError("Enter an amount in pounds, like 1200.00") from exc
        if amount.as_tuple().exponent < -2:
            raise forms.ValidationError("Enter an amount in pounds and pence, like 1200.50")
        if amount < 0 and not self.allow_negative:
            raise forms.ValidationError("Enter an amount of £0.00 or more")
        name = str(self.label or "The amount").removesuffix(" (£)")
        problem = rules.amount_problem(amount, name, allow_negative=self.allow_negative)
        if problem:
            raise forms.ValidationError(problem)
        return amount


class AcademicYearField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "For example, 2026/27")
        kwargs.setdefault("max_length", 7)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return str(AcademicYear.parse(value))
        except ValueError as exc:
            raise forms.ValidationError("Enter an academic year like 2026/27") from exc


class AnnualRunForm(forms.Form):
    academic_year = AcademicYearField(label="Academic year to invoice")
    issue_date = forms.DateField(
        label="Issue date", help_text="For example, 2026-09-01", required=False
    )

    def clean_issue_date(self):
        return financial_date(self.cleaned_data["issue_date"], "The issue date")


class MonthlyRunForm(forms.Form):
    month = forms.CharField(label="Month delivered", max_length=7, help_text="For example, 2026-10")
    issue_date = forms.DateField(
        label="Issue date", help_text="For example, 2026-11-01", required=False
    )

    def clean_month(self):
        text = self.cleaned_data["month"].strip()
        try:
            month = datetime.date.fromisoformat(f"{text}-01")
        except ValueError as exc:
            raise forms.ValidationError("Enter a month like 2026-10") from exc
        financial_date(month, "The month delivered")
        problem = rules.run_month_problem(month, timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return month.strftime("%Y-%m")

    def clean_issue_date(self):
        return financial_date(self.cleaned_data["issue_date"], "The issue date")


class PaymentForm(forms.Form):
    amount = MoneyField(label="Amount received (£)")
    received_on = PickedDateField(
        label="Date received",
        named="the date received",
        help_text="The day the money reached the partnership's account.",
    )
    method = forms.ChoiceField(label="How it was paid", choices=Payment.Method.choices)
    reference = forms.CharField(label="Reference", max_length=100, required=False)

    def clean_received_on(self):
        received_on = financial_date(self.cleaned_data["received_on"], "The date received")
        problem = rules.received_on_problem(received_on, timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return received_on


class CreditNoteForm(forms.Form):
    """One amount field per invoice line (net, in pounds), and the reason."""

    reason = forms.CharField(label="Reason for the credit note", max_length=300)
    issue_date = forms.DateField(label="Issue date", help_text="For example, 2026-11-03")

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"line_{line.pk}"] = PlanMoneyField(
                label=f"Line {line.position}: {line.description} – net amount to credit (£)",
                help_text=f"Up to £{line.creditable:,.2f}",
                required=False,
            )

    def clean_issue_date(self):
        return financial_date(self.cleaned_data["issue_date"], "The issue date")

    def amounts(self):
        return {
            line.pk: self.cleaned_data.get(f"line_{line.pk}") or Decimal("0") for line in self.lines
        }


class JournalForm(forms.Form):
    side = forms.ChoiceField(choices=LedgerEntry.Side.choices, widget=forms.RadioSelect)
    entry_date = forms.DateField(label="Date", help_text="For example, 2026-05-02")
    amount = MoneyField(
        label="Amount (£)", allow_negative=True, help_text="Negative to reduce the line"
    )
    budget_line = forms.ModelChoiceField(
        queryset=BudgetLine.objects.none(),
        required=False,
        label="Budget line",
        empty_label="Not budgeted",
    )
    description = forms.CharField(max_length=300)
    reason = forms.CharField(max_length=300, label="Reason for the journal")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = BudgetLine.objects.order_by(
            "-starts_on", "kind", "code"
        )

    def clean_entry_date(self):
        return financial_date(self.cleaned_data["entry_date"], "The date of the journal")


class BudgetLineForm(forms.Form):
    name = forms.CharField(max_length=200)
    quantity = forms.DecimalField(max_digits=9, decimal_places=2, min_value=0, required=False)
    unit_cost = MoneyField(label="Unit cost (£)", required=False)
    amount = MoneyField(label="Amount (£)", required=False, help_text="Income lines only")
    forecast_override = MoneyField(
        label="Forecast for the partnership year (£)",
        required=False,
        allow_negative=True,
        help_text="Leave blank to forecast from actuals and the budget",
    )

    def __init__(self, *args, line, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        if line.is_income:
            del self.fields["quantity"]
            del self.fields["unit_cost"]
            self.fields["amount"].required = True
            self.fields["amount"].help_text = ""
        else:
            del self.fields["amount"]
            self.fields["quantity"].required = True
            self.fields["unit_cost"].required = True


class BreakEvenForm(forms.Form):
    academic_year = AcademicYearField()
    average_fee = MoneyField(label="Average fee per school (£)", required=False)


class LedgerExportForm(forms.Form):
    start = forms.DateField(label="From", help_text="For example, 2026-04-01")
    end = forms.DateField(label="To", help_text="For example, 2027-03-31")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("The end date must be on or after the start date")
        return data


class FinancialYearField(forms.CharField):
    """A financial year typed as pages write it (2026/27) or as files do (2026-27); shown as
    pages write it, cleaned to the form records keep (2026-27)."""

    def prepare_value(self, value):
        return financial_year(value)

    def clean(self, value):
        value = super().clean(value)
        try:
            return str(FinancialYear.parse_typed(value))
        except ValueError as exc:
            raise forms.ValidationError("Enter a financial year like 2026/27") from exc


PERCENT = {"min_value": 0, "max_value": 100, "decimal_places": 1, "max_digits": 4}


class ScenarioForm(forms.Form):
    """The inputs of the Hillingdon review's three funding options, grouped by option."""

    financial_year = FinancialYearField(max_length=7, help_text="For example, 2026/27")
    take_up_primary = forms.DecimalField(label="Primary schools (%)", initial=80, **PERCENT)
    take_up_secondary = forms.DecimalField(label="Secondary schools (%)", initial=80, **PERCENT)
    take_up_special = forms.DecimalField(label="Special schools (%)", initial=80, **PERCENT)
    take_up_other = forms.DecimalField(
        label="Other schools: nursery, all-through, AP, 16 plus (%)", initial=50, **PERCENT
    )
    fee_primary = MoneyField(label="Fee for a primary school (£)", initial="2100")
    fee_secondary = MoneyField(label="Fee for a secondary school (£)", initial="4200")
    fee_special = MoneyField(label="Fee for a special school (£)", initial="1050")
    fee_other = MoneyField(label="Fee for any other school (£)", initial="1050")
    discounted_sales_percent = forms.DecimalField(
        label="Additional offer's costs recovered by its discounted sales (%)",
        help_text="80 means selling the additional offer at members' prices brings in 80% of "
        "what it costs.",
        initial=80,
        **PERCENT,
    )
    basic_fee = MoneyField(label="Basic fee, paid by every member (£)", initial="1000")
    standard_fee = MoneyField(
        label="Standard tier: extra fee on top of the basic fee (£)", initial="1500"
    )
    standard_take_up = forms.DecimalField(
        label="Standard tier: members who take it (%)", initial=30, **PERCENT
    )
    advanced_fee = MoneyField(
        label="Advanced tier: extra fee on top of the basic fee (£)", initial="3000"
    )
    advanced_take_up = forms.DecimalField(
        label="Advanced tier: members who take it (%)", initial=10, **PERCENT
    )
    tier_sales_percent = forms.DecimalField(
        label="Additional offer's costs recovered by selling what the tiers do not include (%)",
        initial=40,
        **PERCENT,
    )
    core_per_pupil = MoneyField(label="Core fee per pupil (£)", initial="5.00")

    GROUPS = (
        (
            "Schools that join",
            "The share of each type of school in the register that becomes a member. The same "
            "in every option.",
            ("take_up_primary", "take_up_secondary", "take_up_special", "take_up_other"),
        ),
        (
            "Option 1: single fee by type of school",
            "Every member pays one fee for its type of school. The additional offer is sold "
            "to members at a discount, so its sales recover only part of its costs.",
            (
                "fee_primary",
                "fee_secondary",
                "fee_special",
                "fee_other",
                "discounted_sales_percent",
            ),
        ),
        (
            "Option 2: basic fee plus tiers by level of support",
            "Every member pays the basic fee. Members who want more support take the standard "
            "or the advanced tier and pay its extra fee on top; the rest stay on basic. What "
            "the tiers do not include is sold.",
            (
                "basic_fee",
                "standard_fee",
                "standard_take_up",
                "advanced_fee",
                "advanced_take_up",
                "tier_sales_percent",
            ),
        ),
        (
            "Option 3: core only plus pay as you go",
            "Members pay a fee per pupil for the core offer, and only the core costs count. "
            "Each provider sells the additional offer itself, pay as you go, so neither its "
            "costs nor its sales are the partnership's.",
            ("core_per_pupil",),
        ),
    )

    def groups(self):
        """(legend, hint, bound fields) for each fieldset of the page."""
        return [
            (legend, hint, [self[name] for name in names]) for legend, hint, names in self.GROUPS
        ]

    def clean(self):
        data = super().clean()
        standard, advanced = data.get("standard_take_up"), data.get("advanced_take_up")
        if standard is not None and advanced is not None and standard + advanced > 100:
            # A member holds one tier, so the two shares cannot add up to more than all members.
            self.add_error(
                "advanced_take_up",
                "Advanced tier: members who take it and the standard tier's together must be "
                "100% or less",
            )
        return data


class ReversalForm(forms.Form):
    entry_date = forms.DateField(label="Date of the reversal", help_text="For example, 2026-06-01")
    reason = forms.CharField(max_length=300, label="Reason for the reversal")

    def clean_entry_date(self):
        return financial_date(self.cleaned_data["entry_date"], "The date of the reversal")


class CorrectionForm(ReversalForm):
    """Reverse an entry and post it again corrected (finance.ledger_batches.repost_entry)."""

    entry_date = forms.DateField(
        label="Date of the correction",
        help_text="The reversal and the corrected entry both carry it. For example, 2026-06-01",
    )
    amount = MoneyField(label="Corrected amount (£)", allow_negative=True)
    description = forms.CharField(max_length=300, label="Corrected description")
    reason = forms.CharField(max_length=300, label="Reason for the correction")
    field_order = ["amount", "description", "entry_date", "reason"]

    def clean_entry_date(self):
        return financial_date(self.cleaned_data["entry_date"], "The date of the correction")


class ExportBatchForm(forms.Form):
    up_to = forms.DateField(
        label="Export the entries not yet exported up to",
        help_text="The last day whose entries go in the batch. For example, 2026-11-30",
    )

    def clean_up_to(self):
        from .ledger_batches import up_to_problem

        problem = up_to_problem(self.cleaned_data["up_to"])
        if problem:
            raise forms.ValidationError(problem)
        return self.cleaned_data["up_to"]


class BankFileForm(forms.Form):
    file = forms.FileField(
        label="Bank file of receipts (CSV)",
        help_text="The account's transactions downloaded from the bank as a CSV file.",
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        name = file.name or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in ("csv", "txt"):
            raise forms.ValidationError(
                f"The file must be a CSV file (.csv): {name} is not"
                + (". Save an Excel workbook as “CSV (comma delimited)”" if extension else "")
            )
        if file.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {filesizeformat(settings.UPLOAD_MAX_BYTES)} "
                f"(this one is {filesizeformat(file.size)}): download a shorter period"
            )
        if not file.size:
            raise forms.ValidationError("The file is empty")
        return file


class ReceiptAllocationForm(forms.Form):
    """The check page's choices: for each line that can be recorded, the invoice to record
    it against (a matched line's ticked box carries its invoice number), or blank to leave
    it. Numbers are read as payers type them (rules.invoice_numbers_in)."""

    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check
        self.open_by_number = {invoice.number: invoice for invoice in check.open_invoices}
        for checked in check.matched + check.to_allocate:
            line = checked.line
            self.fields[checked.field_name] = forms.CharField(
                label=f"Line {line.line}: invoice to record £{line.amount:,.2f} against",
                required=False,
                max_length=60,
            )

    def clean(self):
        data = super().clean()
        self.allocations = {}
        for checked in self.check.matched + self.check.to_allocate:
            text = (data.get(checked.field_name) or "").strip()
            if not text:
                continue
            numbers = rules.invoice_numbers_in(text, self.check.prefix)
            invoice = self.open_by_number.get(numbers[0]) if numbers else None
            if invoice is None:
                self.add_error(
                    checked.field_name,
                    f"Line {checked.line.line}: “{text}” is not an invoice with something left "
                    "to pay: choose one from the list, or leave it blank",
                )
                continue
            self.allocations[checked.line.pk] = invoice
        if not self.errors and not self.allocations:
            raise forms.ValidationError(
                "Nothing was chosen to record: tick a match or give a line an invoice"
            )
        return data


# --- Three-year plans -------------------------------------------------------------------------

# Bounds a plan's percentages are held to: a fall of more than half, or more than doubling, in
# one year is a typing mistake, not a plan.
UPLIFT_LOWEST, UPLIFT_HIGHEST = Decimal("-50"), Decimal("100")
# More members than any LA has schools (the largest have about 600) is a typing mistake.
MOST_MEMBERS = 5000


def percent_field(label, **kwargs):
    """A percentage to one decimal place between the plan's bounds; errors name the field."""
    return forms.DecimalField(
        label=label,
        min_value=UPLIFT_LOWEST,
        max_value=UPLIFT_HIGHEST,
        decimal_places=1,  # the bounds hold the digits: no second message for 1000
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": f"Enter {label.lower()} as a number, like 2.5",
            # Django fills these in with %-formatting: a % of ours is written %%.
            "min_value": f"{label} must be {UPLIFT_LOWEST}%% or more",
            "max_value": f"{label} must be {UPLIFT_HIGHEST}%% or less",
            "max_decimal_places": f"{label} can have one decimal place, like 2.5",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        **kwargs,
    )


def members_field(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MOST_MEMBERS,
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": f"Enter {label.lower()} as a whole number, like 40",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be {MOST_MEMBERS:,} or fewer",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )


class PlanMoneyField(MoneyField):
    """MoneyField whose messages name the field: a plan's form has a dozen amounts."""

    def to_python(self, value):
        name = str(self.label).removesuffix(" (£)")
        try:
            amount = super().to_python(value)
        except forms.ValidationError as error:
            if "must be" in error.messages[0]:
                raise
            if "or more" in error.messages[0]:
                raise forms.ValidationError(f"{name} must be £0.00 or more") from error
            raise forms.ValidationError(
                f"Enter {name[0].lower()}{name[1:]} in pounds and pence, like 1200.50"
            ) from error
        return amount


def _unique_plan_name(name, plan=None):
    from .models import Plan

    name = name.strip()
    others = Plan.objects.filter(name__iexact=name)
    if plan is not None:
        others = others.exclude(pk=plan.pk)
    if others.exists():
        raise forms.ValidationError(f"There is already a plan called {name}: choose another name")
    return name


class PlanStartForm(forms.Form):
    """A new plan: its name and the partnership year it starts from."""

    name = forms.CharField(
        label="Name of the plan",
        max_length=120,
        help_text="For example, LA contribution halves each year",
        error_messages={"required": "Enter the name of the plan"},
    )
    base_year = forms.ChoiceField(
        label="Year 1 of the plan",
        widget=forms.RadioSelect,
        help_text="The plan starts from this partnership year's budget and members.",
        error_messages={
            "required": "Select the year the plan starts from",
            "invalid_choice": "Select the year the plan starts from: one with a budget",
        },
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base_year"].choices = [(year, year) for year in years]

    def clean_name(self):
        return _unique_plan_name(self.cleaned_data["name"])


class PlanCopyForm(forms.Form):
    name = forms.CharField(
        label="Name of the copy",
        max_length=120,
        error_messages={"required": "Enter the name of the copy"},
    )

    def clean_name(self):
        return _unique_plan_name(self.cleaned_data["name"])


class PlanForm(forms.Form):
    """A plan's assumptions: its starting point, each year's, and each budget line's amount
    in the base year. Fields are grouped (groups()) for the page."""

    YEAR_FIELDS = (
        ("la_contribution", "LA contribution (£)"),
        ("members", "Members"),
        ("fee_uplift_percent", "Fee uplift on the year before (%)"),
        ("cost_uplift_percent", "Cost uplift on the year before (%)"),
    )

    def __init__(self, *args, plan, year_names, **kwargs):
        self.plan = plan
        self.year_names = year_names
        years = {year.number: year for year in plan.years.all()}
        self.lines = list(plan.lines.all())
        initial = {
            "name": plan.name,
            "notes": plan.notes,
            "starting_members": plan.starting_members,
            "starting_fees": plan.starting_fees,
        }
        for number, year in years.items():
            for field, _ in self.YEAR_FIELDS:
                initial[f"year{number}_{field}"] = getattr(year, field)
        for line in self.lines:
            initial[f"line_{line.pk}"] = line.amount
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["name"] = forms.CharField(
            label="Name of the plan",
            max_length=120,
            error_messages={"required": "Enter the name of the plan"},
        )
        self.fields["notes"] = forms.CharField(
            label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
        )
        self.fields["starting_members"] = members_field(f"Members in {plan.base_year}")
        self.fields["starting_members"].help_text = (
            "The members (and pledges) whose fees are below: the average fee is the fees / "
            "these members."
        )
        self.fields["starting_fees"] = PlanMoneyField(label=f"Their fees in {plan.base_year} (£)")
        for number in sorted(years):
            prefix = f"Year {number} ({year_names[number - 1]})"
            for field, label in self.YEAR_FIELDS:
                name = f"year{number}_{field}"
                # "LA contribution" keeps its capitals; "Members" is "members" mid-sentence.
                full = f"{prefix}: {label if label[1].isupper() else label[0].lower() + label[1:]}"
                if field == "la_contribution":
                    self.fields[name] = PlanMoneyField(label=full)
                elif field == "members":
                    self.fields[name] = members_field(full)
                else:
                    self.fields[name] = percent_field(full.removesuffix(" (%)"))
                    self.fields[name].label = full
        for line in self.lines:
            self.fields[f"line_{line.pk}"] = PlanMoneyField(
                label=f"{line.name} in {plan.base_year} (£)"
            )

    def clean_name(self):
        return _unique_plan_name(self.cleaned_data["name"], self.plan)

    def clean(self):
        data = super().clean()
        if data.get("starting_fees") and data.get("starting_members") == 0:
            self.add_error(
                "starting_members",
                f"Enter the members in {self.plan.base_year}: their fees are more than £0.00",
            )
        return data

    def groups(self):
        """(legend, fields) for the page: the starting point, each year, the budget lines."""
        starting = (
            f"Starting point: {self.plan.base_year}",
            [self["name"], self["notes"], self["starting_members"], self["starting_fees"]],
        )
        years = [
            (
                f"Year {number} ({name})",
                [self[f"year{number}_{field}"] for field, _ in self.YEAR_FIELDS],
            )
            for number, name in enumerate(self.year_names, start=1)
            if f"year{number}_members" in self.fields
        ]
        lines = (
            f"Budget lines in {self.plan.base_year} (each year's cost uplift applies to costs)",
            [self[f"line_{line.pk}"] for line in self.lines],
        )
        return [starting, *years, lines]
