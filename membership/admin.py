from django.contrib import admin

from partnership.history_admin import HistoryAdmin

from .models import ExpressionOfInterest, FeeScheme, Membership, MembershipYear


@admin.register(MembershipYear)
class MembershipYearAdmin(admin.ModelAdmin):
    list_display = ["academic_year", "census_date", "is_current"]


@admin.register(FeeScheme)
class FeeSchemeAdmin(admin.ModelAdmin):
    list_display = ["tier", "year", "kind", "rate", "minimum", "maximum", "flat_amount"]
    list_filter = ["year", "kind"]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["school", "year", "tier", "status", "fee_amount", "signed_at"]
    list_filter = ["year", "status", "tier"]
    search_fields = ["school__name", "school__urn", "purchase_order"]
    # The frozen quote is what the school signed: never edited, here or anywhere.
    readonly_fields = [
        "fee_amount",
        "fee_basis",
        "fee_pupils",
        "fee_census_date",
        "joined_on",
        "signed_at",
        "signed_by",
        "decided_at",
        "decided_by",
    ]

    # Once signed, the agreement stands as signed: approval, decline and withdrawal go
    # through the membership pages, which keep its invoice and credit notes in step.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_signed:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_signed:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(admin.ModelAdmin):
    list_display = ["school", "year", "intent", "preferred_tier", "submitted_at"]
    list_filter = ["year", "intent"]
