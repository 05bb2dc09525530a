from django.contrib import admin

from partnership.history_admin import HistoryAdmin

from .models import Offer, OfferPrice, Practitioner, Provider, Tier, TierInclusion


class OfferPriceInline(admin.TabularInline):
    model = OfferPrice
    extra = 0


class TierInclusionInline(admin.TabularInline):
    model = TierInclusion
    extra = 0
    autocomplete_fields = ["offer"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "contact_email"]
    search_fields = ["code", "name"]


@admin.register(Practitioner)
class PractitionerAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "designation",
        "provider",
        "day_cost",
        "days_available",
        "user",
        "active",
    ]
    list_filter = ["designation", "provider", "active"]
    search_fields = ["name", "email"]
    list_select_related = ["provider", "user"]
    raw_id_fields = ["user"]


@admin.register(Offer)
class OfferAdmin(HistoryAdmin):
    list_display = ["code", "name", "strand", "provider", "unit", "capacity", "active"]
    list_filter = ["strand", "provider", "unit", "active"]
    search_fields = ["code", "name"]
    list_select_related = ["provider"]
    inlines = [OfferPriceInline]


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name", "active"]
    search_fields = ["code", "name"]
    inlines = [TierInclusionInline]
