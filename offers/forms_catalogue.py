"""Coordinator forms for the catalogue: providers, practitioners, offers with prices, tiers."""

from decimal import Decimal

from django import forms

from partnership.models import User
from partnership.money import parse_money
from partnership.roles import Role
from schools.models import School
from schools.rules import Category

from .models import Offer, Practitioner, Provider, Tier, TierInclusion
from .rules import ALL_SCHOOLS, CATEGORY_ORDER, KIND_LABELS, PRICE_KINDS
from .selectors_catalogue import cancellation_policy, offer_code_clashes_with_page, offer_prices


class MoneyField(forms.Field):
    """Pounds typed as "1,050", "£1050.00" or "850": Decimal, never negative, whole pence."""

    def __init__(self, *, what="an amount", **kwargs):
        self.what = what
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        )
        kwargs.setdefault("error_messages", {"required": f"Enter {what}"})
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        value = str(value).strip()
        try:
            amount = parse_money(value)
        except ValueError:
            raise forms.ValidationError(
                f"Enter {self.what} in pounds, like 1050 or 1050.00"
            ) from None
        if amount < 0:
            raise forms.ValidationError(f"Enter {self.what} of £0 or more")
        if amount.as_tuple().exponent < -2:
            raise forms.ValidationError(f"Enter {self.what} in whole pence, like 1050.50")
        if amount >= Decimal("100000000"):
            raise forms.ValidationError(f"Enter {self.what} under £100,000,000")
        return amount


def _unique_code(model, code, instance, what):
    clash = model.objects.filter(code__iexact=code)
    if instance is not None and instance.pk:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise forms.ValidationError(f"There is already {what} with the code {code}")
    return code


CODE_HELP = "Letters, digits, hyphens or underscores, used in the partnership file and addresses."


class ProviderForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = ["code", "name", "contact_email"]
        help_texts = {"code": CODE_HELP}
        error_messages = {
            "code": {
                "required": "Enter a code",
                "invalid": "Enter a code of letters, digits, hyphens or underscores",
            },
            "name": {"required": "Enter the provider's name"},
            "contact_email": {"invalid": "Enter an email address like name@example.org"},
        }

    def clean_code(self):
        return _unique_code(Provider, self.cleaned_data["code"], self.instance, "a provider")


class PractitionerForm(forms.ModelForm):
    day_cost = MoneyField(
        what="a day cost",
        label="Day cost (£)",
        help_text="What one day of their time costs the partnership.",
    )
    days_available = forms.DecimalField(
        label="Days available in the year",
        min_value=0,
        max_digits=6,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the days available in the year",
            "invalid": "Enter the days available as a number, like 10 or 7.5",
            "min_value": "Enter days available of 0 or more",
            "max_decimal_places": "Enter days available in half days, like 7.5",
        },
    )

    class Meta:
        model = Practitioner
        fields = [
            "name",
            "designation",
            "provider",
            "home_school",
            "email",
            "day_cost",
            "days_available",
            "user",
            "active",
        ]
        labels = {"user": "Portal account", "active": "Available for deployment"}
        error_messages = {
            "name": {"required": "Enter the practitioner's name"},
            "designation": {"required": "Select a designation"},
            "provider": {"required": "Select the provider they work for"},
            "email": {"invalid": "Enter an email address like name@example.org"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only practitioner accounts not already linked to someone else can be chosen.
        accounts = User.objects.filter(role=Role.PRACTITIONER, is_active=True).filter(
            practitioner__isnull=True
        )
        if self.instance.pk and self.instance.user_id:
            accounts = accounts | User.objects.filter(pk=self.instance.user_id)
        self.fields["user"].queryset = accounts.order_by("last_name", "first_name")
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.email} ({u.email})"
        )
        self.fields[
            "user"
        ].help_text = "The practitioner account they sign in with to confirm days delivered."
        self.fields["user"].empty_label = "No account"
        self.fields["home_school"].queryset = School.objects.open().order_by("name")
        self.fields["home_school"].empty_label = "None: employed by the partnership or the LA"

    def clean_days_available(self):
        days = self.cleaned_data["days_available"]
        if days is not None and days * 2 != int(days * 2):
            raise forms.ValidationError("Enter days available in half days, like 7.5")
        return days


def price_field_name(kind, category):
    return f"{kind}__{category or 'all'}"


class OfferForm(forms.ModelForm):
    """An offer and its prices: one all-schools amount per kind plus optional ones by category."""

    phases = forms.MultipleChoiceField(
        label="School categories it is for",
        choices=[(c.value, Category(c).label) for c in CATEGORY_ORDER],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked if it is for every school.",
    )
    vat_rate = forms.DecimalField(
        label="VAT rate (%)",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        help_text="Leave blank to use the partnership's rate.",
        error_messages={
            "invalid": "Enter the VAT rate as a number, like 20",
            "min_value": "Enter a VAT rate between 0 and 100",
            "max_value": "Enter a VAT rate between 0 and 100",
        },
    )

    class Meta:
        model = Offer
        fields = [
            "code",
            "name",
            "description",
            "strand",
            "provider",
            "unit",
            "capacity",
            "phases",
            "vat_rate",
            "active",
        ]
        widgets = {
            "strand": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "capacity": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}
            ),
        }
        labels = {"active": "Show in the catalogue", "unit": "Unit it is sold in"}
        help_texts = {"code": CODE_HELP}
        error_messages = {
            "code": {
                "required": "Enter a code",
                "invalid": "Enter a code of letters, digits, hyphens or underscores",
            },
            "name": {"required": "Enter the offer's name"},
            "strand": {"required": "Select core or additional offer"},
            "provider": {"required": "Select the provider"},
            "unit": {"required": "Select the unit it is sold in"},
            "capacity": {
                "invalid": "Enter the capacity as a whole number, like 42",
                "min_value": "Enter a capacity of 0 or more",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strand"].choices = Offer.Strand.choices
        self.fields["unit"].choices = [("", "Choose a unit")] + list(Offer.Unit.choices)
        self.fields["provider"].empty_label = "Choose a provider"
        existing = offer_prices(self.instance) if self.instance.pk else {k: {} for k in PRICE_KINDS}
        for kind in PRICE_KINDS:
            what = KIND_LABELS[kind].lower()
            for category in (ALL_SCHOOLS, *CATEGORY_ORDER):
                name = price_field_name(kind, category)
                label = "All schools (£)" if not category else f"{Category(category).label} (£)"
                self.fields[name] = MoneyField(what=f"a {what}", label=label, required=False)
                self.initial.setdefault(name, existing[kind].get(category))
        # Added after the prices so the error summary follows the page's order.
        self.fields["free_until_days"] = forms.IntegerField(
            label="Free to cancel until (days before the first date)",
            required=False,
            min_value=0,
            max_value=365,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
            error_messages={
                "invalid": "Enter the days as a whole number, like 14",
                "min_value": "Enter days of 0 or more",
                "max_value": "Enter days of 365 or fewer",
            },
        )
        self.fields["charge_percent"] = forms.DecimalField(
            label="Charge after that (% of the booking's charge)",
            required=False,
            min_value=0,
            max_value=100,
            max_digits=5,
            decimal_places=2,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
            # Django fills these with %-style parameters, so a literal % is written %%.
            error_messages={
                "invalid": "Enter the charge as a percentage, like 50",
                "min_value": "Enter a charge between 0%% and 100%%",
                "max_value": "Enter a charge between 0%% and 100%%",
                "max_decimal_places": "Enter the charge with at most 2 decimal places",
            },
        )
        policy = cancellation_policy(self.instance) if self.instance.pk else None
        if policy is not None:
            self.initial.setdefault("free_until_days", policy.free_until_days)
            self.initial.setdefault("charge_percent", policy.charge_percent)

    def clean_code(self):
        code = _unique_code(Offer, self.cleaned_data["code"], self.instance, "an offer")
        if offer_code_clashes_with_page(code):
            raise forms.ValidationError(
                f"The code {code} is the address of another page: choose another"
            )
        return code

    def clean(self):
        cleaned = super().clean()
        days, percent = cleaned.get("free_until_days"), cleaned.get("charge_percent")
        # A rule needs both halves; errors already on a box mean it was typed in.
        if days is None and percent is not None and not self.has_error("free_until_days"):
            self.add_error(
                "free_until_days", "Enter how many days before the first date it is free"
            )
        if percent is None and days is not None and not self.has_error("charge_percent"):
            self.add_error("charge_percent", "Enter the charge after that, as a percentage")
        return cleaned

    def cancellation(self) -> dict | None:
        """The cancellation rule typed in, or None for free cancelling at any time."""
        days, percent = (
            self.cleaned_data.get("free_until_days"),
            self.cleaned_data.get("charge_percent"),
        )
        if days is None or percent is None:
            return None
        return {"free_until_days": days, "charge_percent": percent}

    def cancellation_fields(self):
        return [self["free_until_days"], self["charge_percent"]]

    def prices_by_kind(self) -> dict:
        """{kind: {category or '': Decimal}} of the amounts typed in (blank boxes left out)."""
        return {
            kind: {
                category: self.cleaned_data[price_field_name(kind, category)]
                for category in (ALL_SCHOOLS, *CATEGORY_ORDER)
                if self.cleaned_data.get(price_field_name(kind, category)) is not None
            }
            for kind in PRICE_KINDS
        }

    def detail_fields(self):
        return [self[name] for name in self.Meta.fields]

    def price_groups(self):
        """(kind label, all-schools field, [category fields]) for the template's fieldsets."""
        return [
            (
                KIND_LABELS[kind],
                kind,
                self[price_field_name(kind, ALL_SCHOOLS)],
                [self[price_field_name(kind, c)] for c in CATEGORY_ORDER],
            )
            for kind in PRICE_KINDS
        ]


class TierForm(forms.ModelForm):
    class Meta:
        model = Tier
        fields = ["code", "name", "description", "order", "active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "order": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
            ),
        }
        labels = {"order": "Position in lists", "active": "Open to schools"}
        help_texts = {"code": CODE_HELP, "order": "Lower numbers are listed first."}
        error_messages = {
            "code": {
                "required": "Enter a code",
                "invalid": "Enter a code of letters, digits, hyphens or underscores",
            },
            "name": {"required": "Enter the tier's name"},
            "order": {
                "invalid": "Enter the position as a whole number, like 1",
                "required": "Enter the position as a whole number, like 1",
            },
        }

    def clean_code(self):
        return _unique_code(Tier, self.cleaned_data["code"], self.instance, "a tier")


class TierInclusionForm(forms.ModelForm):
    units = forms.DecimalField(
        label="Units included",
        min_value=Decimal("0.5"),
        max_digits=6,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the units included",
            "invalid": "Enter the units included as a number, like 1 or 1.5",
            "min_value": "Enter units included of 0.5 or more",
            "max_decimal_places": "Enter units included in halves, like 1.5",
            "max_digits": "Enter fewer units included",
        },
    )

    class Meta:
        model = TierInclusion
        fields = ["offer", "units"]
        error_messages = {"offer": {"required": "Select an offer"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = Offer.objects.order_by("name")
        self.fields["offer"].empty_label = "Choose an offer"
        self.fields["offer"].label = "Offer"


class BaseTierInclusionFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this offer from the tier"

    def clean(self):
        # Duplicates are reported on the row, in words, before the generic unique check.
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            offer = form.cleaned_data.get("offer")
            if offer is None:
                continue
            if offer.pk in seen:
                form.add_error("offer", f"{offer.name} is listed twice: give its units once")
            seen.add(offer.pk)
        super().clean()


TierInclusionFormSet = forms.inlineformset_factory(
    Tier,
    TierInclusion,
    form=TierInclusionForm,
    formset=BaseTierInclusionFormSet,
    extra=3,
    can_delete=True,
)
