"""Pages of the offer catalogue: browsing it (anyone, signed in or not) and managing it
(coordinator)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import CreateView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from partnership.exports import ExportMixin
from partnership.permissions import RoleRequiredMixin, role_required
from partnership.public import public_page
from partnership.roles import Role
from schools.permissions import own_school
from schools.rules import Category

from . import filters_catalogue as filters
from . import forms_catalogue as forms
from . import selectors_catalogue as selectors
from . import tables_catalogue as tables
from .models import Offer, Practitioner, Provider, Tier
from .rules import CATEGORY_ORDER, LA, MEMBER, NON_MEMBER, UNIT_COST, offered_to, price_summary
from .rules_bookings import share_of_year_gone
from .services_catalogue import save_offer, save_tier

COORDINATOR = (Role.COORDINATOR,)


def _catalogue_crumbs(*more):
    return [("Offer catalogue", reverse("offers:catalogue")), *more]


def _manage_crumbs(*more):
    return [("Manage offer", reverse("offers:manage")), *more]


def _role(user):
    """The signed-in person's role; None for a visitor who has not signed in."""
    return getattr(user, "role", None) if user.is_authenticated else None


def _viewer_school(user):
    """The headteacher's own school (prices are shown for its category); None for others."""
    return own_school(user) if _role(user) == Role.HEADTEACHER else None


class CatalogueView(ExportMixin, SingleTableMixin, FilterView):
    """The offer, filtered by strand, provider and phase, priced for the viewer's school.

    Public: anyone may read the offer before they have an account. A headteacher sees the
    prices for their own school's category. Anyone else sees the prices for the category
    they filter by, or every price when they choose none.
    """

    table_class = tables.CatalogueTable
    filterset_class = filters.CatalogueFilter
    template_name = "offers/catalogue/catalogue.html"
    export_formats = ["csv"]
    export_name = "offer-catalogue"
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return selectors.catalogue_offers()

    @cached_property
    def school(self):
        return _viewer_school(self.request.user)

    def price_category(self):
        if self.school is not None:
            return self.school.category
        chosen = self.request.GET.get("category", "")
        return chosen if chosen in Category.values else ""

    def get_table_kwargs(self):
        return {"category": self.price_category()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        category = self.price_category()
        if self.school is not None:
            context["academic_year"], context["tier"] = selectors.school_membership(self.school)
        context.update(
            school=self.school,
            price_category=Category(category).label if category else "",
            export_formats=self.export_formats,
            breadcrumbs=[],
            tiers=selectors.active_tiers(),
        )
        return context


catalogue = public_page(CatalogueView.as_view())


@public_page
def offer_detail(request, code):
    role = _role(request.user)
    # Coordinators can look at an offer withdrawn from the catalogue; no one else can.
    offer = selectors.offer_by_code(code, active_only=role != Role.COORDINATOR)
    if offer is None:
        raise Http404("No such offer in the catalogue")
    prices = selectors.offer_prices(offer)
    school = _viewer_school(request.user)
    context = {
        "offer": offer,
        "school": school,
        "member_prices": price_summary(prices[MEMBER]),
        "non_member_prices": price_summary(prices[NON_MEMBER]),
        "phases": [Category(c).label for c in CATEGORY_ORDER if c in offer.phases],
        "breadcrumbs": _catalogue_crumbs((offer.name, None)),
        "can_book": role == Role.HEADTEACHER and offer.active,
        "cancellation_policy": selectors.cancellation_policy(offer),
    }
    # What an offer costs the partnership, and what the LA pays when it commissions it, are
    # for the people who run its accounts.
    if role in (Role.COORDINATOR, Role.FINANCE):
        context["unit_costs"] = price_summary(prices[UNIT_COST])
        context["la_prices"] = price_summary(prices[LA])
    if school is not None:
        context["academic_year"], context["tier"] = selectors.school_membership(school)
        context.update(
            your_member_price=selectors.offer_school_price(
                offer, category=school.category, member=True
            ),
            your_non_member_price=selectors.offer_school_price(
                offer, category=school.category, member=False
            ),
            for_your_school=offered_to(offer.phases, school.category),
            school_category=Category(school.category).label if school.category else "",
        )
    return render(request, "offers/catalogue/offer_detail.html", context)


@role_required(*COORDINATOR)
def manage(request):
    return render(
        request,
        "offers/catalogue/manage.html",
        {
            "counts": selectors.catalogue_counts(),
            "tier_count": Tier.objects.count(),
            "breadcrumbs": [],
        },
    )


class ManageList(RoleRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """A coordinator's list: filterable, sortable, downloadable as CSV."""

    allowed_roles = COORDINATOR
    template_name = "offers/catalogue/manage_list.html"
    export_formats = ["csv"]
    table_pagination = {"per_page": 50}
    title = ""
    add_url_name = ""
    add_label = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            add_url=reverse(self.add_url_name),
            add_label=self.add_label,
            export_formats=self.export_formats,
            breadcrumbs=_manage_crumbs((self.title, None)),
        )
        return context


class ProviderList(ManageList):
    table_class = tables.ProviderTable
    filterset_class = filters.ProviderFilter
    export_name = "providers"
    title = "Providers"
    add_url_name = "offers:manage_provider_create"
    add_label = "Add a provider"

    def get_queryset(self):
        return selectors.providers_list()


class PractitionerList(ManageList):
    table_class = tables.PractitionerTable
    filterset_class = filters.PractitionerFilter
    export_name = "practitioners"
    title = "Practitioners"
    add_url_name = "offers:manage_practitioner_create"
    add_label = "Add a practitioner"

    def get_queryset(self):
        return selectors.practitioners_list()

    def get_table_kwargs(self):
        return {"share_of_year_gone": share_of_year_gone(timezone.localdate())}


class OfferList(ManageList):
    table_class = tables.OfferAdminTable
    filterset_class = filters.OfferAdminFilter
    export_name = "offers"
    title = "Offers"
    add_url_name = "offers:manage_offer_create"
    add_label = "Add an offer"

    def get_queryset(self):
        return selectors.catalogue_offers(active_only=False)


class TierList(ManageList):
    table_class = tables.TierTable
    filterset_class = filters.TierFilter
    export_name = "tiers"
    title = "Tiers"
    add_url_name = "offers:manage_tier_create"
    add_label = "Add a tier"

    def get_queryset(self):
        return selectors.tiers_list()


class ManageForm(RoleRequiredMixin):
    """Create or change one record; on success say so and go back to the list."""

    allowed_roles = COORDINATOR
    template_name = "offers/catalogue/manage_form.html"
    what = ""
    list_url_name = ""
    list_title = ""

    def get_success_url(self):
        return reverse(self.list_url_name)

    def save(self, form):
        return form.save()

    def form_valid(self, form):
        new = form.instance._state.adding
        self.object = self.save(form)
        messages.success(self.request, f"{self.object} {'added' if new else 'changed'}")
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        editing = self.object is not None and self.object.pk is not None
        title = f"Change {self.what} {self.object}" if editing else f"Add {self.what}"
        context.update(
            title=title,
            list_url=reverse(self.list_url_name),
            breadcrumbs=_manage_crumbs(
                (self.list_title, reverse(self.list_url_name)), (title, None)
            ),
        )
        return context


class ProviderCreate(ManageForm, CreateView):
    form_class = forms.ProviderForm
    what = "a provider"
    list_url_name = "offers:manage_providers"
    list_title = "Providers"


class ProviderUpdate(ManageForm, UpdateView):
    model = Provider
    form_class = forms.ProviderForm
    slug_field = slug_url_kwarg = "code"
    what = "provider"
    list_url_name = "offers:manage_providers"
    list_title = "Providers"


class PractitionerCreate(ManageForm, CreateView):
    form_class = forms.PractitionerForm
    what = "a practitioner"
    list_url_name = "offers:manage_practitioners"
    list_title = "Practitioners"


class PractitionerUpdate(ManageForm, UpdateView):
    model = Practitioner
    form_class = forms.PractitionerForm
    what = "practitioner"
    list_url_name = "offers:manage_practitioners"
    list_title = "Practitioners"


class OfferFormMixin(ManageForm):
    form_class = forms.OfferForm
    template_name = "offers/catalogue/offer_form.html"
    list_url_name = "offers:manage_offers"
    list_title = "Offers"

    def save(self, form):
        return save_offer(form)


class OfferCreate(OfferFormMixin, CreateView):
    what = "an offer"


class OfferUpdate(OfferFormMixin, UpdateView):
    what = "offer"
    slug_field = slug_url_kwarg = "code"

    def get_queryset(self):
        return selectors.with_prices(Offer.objects.all())


@role_required(*COORDINATOR)
def tier_form(request, code=None):
    """A tier and the units of offers its fee includes, saved together or not at all."""
    tier = get_object_or_404(Tier, code=code) if code else Tier()
    new = tier.pk is None
    data = request.POST if request.method == "POST" else None
    form = forms.TierForm(data, instance=tier)
    inclusions = forms.TierInclusionFormSet(data, instance=tier, prefix="inclusions")
    if request.method == "POST" and form.is_valid() and inclusions.is_valid():
        tier = save_tier(form, inclusions)
        messages.success(request, f"{tier} {'added' if new else 'changed'}")
        return redirect("offers:manage_tiers")
    title = "Add a tier" if new else f"Change tier {tier}"
    return render(
        request,
        "offers/catalogue/tier_form.html",
        {
            "form": form,
            "inclusions": inclusions,
            "title": title,
            "list_url": reverse("offers:manage_tiers"),
            "breadcrumbs": _manage_crumbs(("Tiers", reverse("offers:manage_tiers")), (title, None)),
            "has_errors": bool(
                form.errors or any(inclusions.errors) or inclusions.non_form_errors()
            ),
        },
    )
