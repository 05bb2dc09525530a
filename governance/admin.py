from django.contrib import admin

from .models import (
    Action,
    AgendaItem,
    Board,
    DayAllocation,
    Decision,
    Meeting,
    Minutes,
    Nomination,
    Priority,
    ProgressReport,
    Recommendation,
    Seat,
    TaskAndFinishGroup,
    TaskGroupDays,
)


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    autocomplete_fields = ["school"]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    inlines = [SeatInline]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "board", "date"]
    list_filter = ["board"]
    inlines = [AgendaItemInline]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["nominee_name", "seat", "status", "submitted_at"]
    list_filter = ["status"]


@admin.register(TaskAndFinishGroup)
class TaskAndFinishGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "priority", "start_date", "end_date", "closed_on"]


# Days used are read by finance by their reference: shown, never changed here.
@admin.register(TaskGroupDays)
class TaskGroupDaysAdmin(admin.ModelAdmin):
    list_display = ["group", "designation", "date", "days", "day_rate"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(
    [Action, Decision, Minutes, Priority, ProgressReport, Recommendation, DayAllocation]
)
