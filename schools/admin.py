from django.contrib import admin

from partnership.history_admin import HistoryAdmin

from .models import PupilCount, School, SchoolContact


class PupilCountInline(admin.TabularInline):
    model = PupilCount
    extra = 0


@admin.register(School)
class SchoolAdmin(HistoryAdmin):
    list_display = ["urn", "name", "category", "governance", "status", "causing_concern"]
    list_filter = ["category", "governance", "status", "causing_concern"]
    search_fields = ["urn", "name"]
    inlines = [PupilCountInline]


admin.site.register(SchoolContact)
