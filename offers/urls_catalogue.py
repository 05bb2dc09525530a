from django.urls import path

from . import views_brokerage
from . import views_catalogue as views

# Included under /offer/ by offers/urls.py. `<code>/` (an offer's page) matches any
# single segment, so offers/urls.py includes these after the bookings pages, and an
# offer code may not be the address of another page (see offer_code_clashes_with_page).
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("manage/", views.manage, name="manage"),
    path("manage/providers/", views.ProviderList.as_view(), name="manage_providers"),
    path("manage/providers/add/", views.ProviderCreate.as_view(), name="manage_provider_create"),
    path(
        "manage/providers/<slug:code>/edit/",
        views.ProviderUpdate.as_view(),
        name="manage_provider_edit",
    ),
    path("manage/practitioners/", views.PractitionerList.as_view(), name="manage_practitioners"),
    path(
        "manage/practitioners/add/",
        views.PractitionerCreate.as_view(),
        name="manage_practitioner_create",
    ),
    path(
        "manage/practitioners/<int:pk>/edit/",
        views.PractitionerUpdate.as_view(),
        name="manage_practitioner_edit",
    ),
    path("manage/offers/", views.OfferList.as_view(), name="manage_offers"),
    path("manage/offers/add/", views.OfferCreate.as_view(), name="manage_offer_create"),
    path("manage/offers/<slug:code>/edit/", views.OfferUpdate.as_view(), name="manage_offer_edit"),
    path("manage/day-rates/", views_brokerage.day_rates, name="manage_day_rates"),
    path("manage/tiers/", views.TierList.as_view(), name="manage_tiers"),
    path("manage/tiers/add/", views.tier_form, name="manage_tier_create"),
    path("manage/tiers/<slug:code>/edit/", views.tier_form, name="manage_tier_edit"),
    path("<slug:code>/", views.offer_detail, name="offer_detail"),
]
