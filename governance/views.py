"""Governance pages. Who may see what:

- board members and coordinators: boards, meetings with their papers (before the
  meeting), actions, priorities, task-and-finish groups, the partnership dashboard;
- coordinators alone change anything;
- headteachers: published minutes, vacancies, their own nominations;
- finance officers: published minutes; practitioners: nothing.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from partnership.exports import ExportMixin
from partnership.permissions import RoleRequiredMixin, role_required
from partnership.roles import Role

from . import forms, selectors, services
from .dashboard import partnership_dashboard
from .filters import ActionFilter, MeetingFilter, NominationFilter, TaskGroupFilter, VacancyFilter
from .models import (
    Action,
    Board,
    Meeting,
    Minutes,
    Nomination,
    Paper,
    Priority,
    Seat,
    TaskAndFinishGroup,
)
from .tables import ActionTable, MeetingTable, NominationTable, TaskGroupTable, VacancyTable
from .uploads import content_type

BOARD_READERS = (Role.BOARD, Role.COORDINATOR)
MINUTES_READERS = (Role.HEADTEACHER, Role.FINANCE, Role.BOARD, Role.COORDINATOR)
NOMINATORS = (Role.HEADTEACHER, Role.BOARD, Role.COORDINATOR)
MANAGERS = (Role.COORDINATOR,)


def form_page(
    request,
    form,
    *,
    title,
    submit,
    breadcrumbs,
    intro="",
    multipart=False,
    template="governance/form.html",
):
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "breadcrumbs": breadcrumbs,
            "multipart": multipart,
        },
    )


def crumbs(*extra):
    return [("Governance", reverse("governance:boards")), *extra]


class ListPage(RoleRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """A sortable, filterable list with CSV export."""

    template_name = "governance/list.html"
    export_formats = ["csv"]
    table_pagination = {"per_page": 50}  # tables2 pages the list (one count, not two)
    title = ""
    intro = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            intro=self.intro,
            breadcrumbs=crumbs((self.title, None)),
            export_formats=self.export_formats,
            actions=self.page_actions(),
        )
        return context

    def page_actions(self):
        return []


# Boards and seats ---------------------------------------------------------------


@role_required(*BOARD_READERS)
def board_list(request):
    return render(
        request,
        "governance/board_list.html",
        {
            "boards": selectors.boards(),
            "flagged_groups": selectors.flagged_groups(),
            "breadcrumbs": crumbs(("Boards", None)),
        },
    )


@role_required(*BOARD_READERS)
def board_detail(request, code):
    board = get_object_or_404(Board, code=code)
    seats = list(selectors.board_seats(board))
    representation, weighed_against = selectors.board_representation(board)
    return render(
        request,
        "governance/board_detail.html",
        {
            "board": board,
            "seats": seats,
            "vacant_count": sum(1 for seat in seats if seat.vacant),
            "expiring": [seat for seat in seats if seat.expiring],
            "representation": representation,
            "weighed_against": weighed_against,
            "flagged_groups": selectors.flagged_groups(),
            "breadcrumbs": crumbs((board.name, None)),
        },
    )


@role_required(*MANAGERS)
def board_edit(request, code=None):
    board = get_object_or_404(Board, code=code) if code else None
    form = forms.BoardForm(request.POST or None, instance=board)
    if request.method == "POST" and form.is_valid():
        board = form.save()
        messages.success(request, f"{board.name} saved")
        return redirect("governance:board", code=board.code)
    return form_page(
        request,
        form,
        title="Edit board" if board else "Add a board",
        submit="Save board",
        breadcrumbs=crumbs(("Board", None)),
    )


@role_required(*MANAGERS)
def seat_edit(request, code=None, pk=None):
    seat = get_object_or_404(Seat.objects.select_related("board"), pk=pk) if pk else None
    board = seat.board if seat else get_object_or_404(Board, code=code)
    form = forms.SeatForm(request.POST or None, instance=seat or Seat(board=board), board=board)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Seat saved")
        return redirect("governance:board", code=board.code)
    return form_page(
        request,
        form,
        title="Edit seat" if seat else f"Add a seat to {board.name}",
        submit="Save seat",
        breadcrumbs=crumbs(
            (board.name, reverse("governance:board", args=[board.code])), ("Seat", None)
        ),
    )


# Vacancies and nominations --------------------------------------------------------


class VacancyList(ListPage):
    allowed_roles = NOMINATORS
    table_class = VacancyTable
    filterset_class = VacancyFilter
    title = "Board vacancies"
    intro = (
        "Seats with nobody in them or whose term has ended. "
        "Anyone may be nominated, including yourself."
    )

    def get_queryset(self):
        return selectors.vacancies()

    def page_actions(self):
        return [("Nominate someone", reverse("governance:nominate"))]


class NominationList(ListPage):
    allowed_roles = NOMINATORS
    table_class = NominationTable
    filterset_class = NominationFilter
    title = "Nominations"

    def get_queryset(self):
        return selectors.nominations_for(self.request.user)

    def page_actions(self):
        return [("Nominate someone", reverse("governance:nominate"))]


@role_required(*NOMINATORS)
def nominate(request):
    seats = selectors.open_for_nomination()
    initial = {}
    if request.method == "GET":
        initial = {
            "nominee_name": request.user.get_full_name(),
            "nominee_email": request.user.email,
        }
        if request.GET.get("seat", "").isdigit():
            initial["seat"] = int(request.GET["seat"])
    form = forms.NominationForm(request.POST or None, seats=seats, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nominate(nominated_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Nomination of {nomination.nominee_name} received")
            return redirect("governance:nomination", pk=nomination.pk)
    if not seats:
        messages.info(request, "No seat is vacant or ending its term at the moment.")
    return form_page(
        request,
        form,
        title="Nominate someone for a board seat",
        submit="Send nomination",
        intro="You may nominate yourself or another person. The coordinator records the outcome.",
        breadcrumbs=[("Board vacancies", reverse("governance:vacancies")), ("Nominate", None)],
    )


@role_required(*NOMINATORS)
def nomination_detail(request, pk):
    # Not theirs is "not found" for anyone but the coordinator: nominations are personal.
    nomination = get_object_or_404(selectors.nominations_for(request.user), pk=pk)
    form = None
    if request.user.role == Role.COORDINATOR and nomination.status == Nomination.Status.PENDING:
        form = forms.NominationDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.decide_nomination(
                    nomination=nomination,
                    decided_by=request.user,
                    outcome=form.cleaned_data["outcome"],
                    term_start=form.cleaned_data["term_start"],
                    term_end=form.cleaned_data["term_end"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Outcome recorded")
                return redirect("governance:nomination", pk=nomination.pk)
    elif request.method == "POST":
        return redirect("governance:nomination", pk=nomination.pk)
    return render(
        request,
        "governance/nomination_detail.html",
        {
            "nomination": nomination,
            "form": form,
            "breadcrumbs": [
                ("Nominations", reverse("governance:nominations")),
                (nomination.nominee_name, None),
            ],
        },
    )


# Meetings, papers, minutes, decisions and actions ----------------------------------


class MeetingList(ListPage):
    allowed_roles = BOARD_READERS
    table_class = MeetingTable
    filterset_class = MeetingFilter
    title = "Meetings"

    def get_queryset(self):
        return selectors.meetings()

    def page_actions(self):
        if self.request.user.role == Role.COORDINATOR:
            return [("Add a meeting", reverse("governance:meeting_new"))]
        return []


@role_required(*BOARD_READERS)
def meeting_detail(request, pk):
    try:
        meeting = selectors.meeting_detail(pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc
    minutes = Minutes.objects.filter(meeting=meeting).first()
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "can_manage": request.user.role == Role.COORDINATOR,
            "breadcrumbs": [("Meetings", reverse("governance:meetings")), (meeting.title, None)],
        },
    )


@role_required(*MANAGERS)
def meeting_edit(request, pk=None):
    meeting = get_object_or_404(Meeting, pk=pk) if pk else None
    initial = {}
    if meeting is None:
        initial["board"] = Board.objects.order_by("order", "name").first()
    form = forms.MeetingForm(request.POST or None, instance=meeting, initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        messages.success(request, f"{meeting.title} saved")
        return redirect("governance:meeting", pk=meeting.pk)
    return form_page(
        request,
        form,
        title="Edit meeting" if meeting else "Add a meeting",
        submit="Save meeting",
        breadcrumbs=[("Meetings", reverse("governance:meetings")), ("Meeting", None)],
    )


def _meeting_crumbs(meeting, label):
    return [
        ("Meetings", reverse("governance:meetings")),
        (meeting.title, reverse("governance:meeting", args=[meeting.pk])),
        (label, None),
    ]


@role_required(*MANAGERS)
def agenda_item_new(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = forms.AgendaItemForm(
        request.POST or None, initial={"order": services.next_agenda_order(meeting)}
    )
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.meeting = meeting
        item.save()
        messages.success(request, f"Agenda item {item.order} added")
        return redirect("governance:meeting", pk=meeting.pk)
    return form_page(
        request,
        form,
        title=f"Add an agenda item to {meeting.title}",
        submit="Add agenda item",
        breadcrumbs=_meeting_crumbs(meeting, "Agenda item"),
    )


@role_required(*MANAGERS)
def paper_new(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    if not meeting.agenda_items.exists():
        messages.info(request, "Add an agenda item first: each paper belongs to one.")
        return redirect("governance:agenda_item_new", pk=meeting.pk)
    form = forms.PaperForm(
        request.POST or None,
        request.FILES or None,
        meeting=meeting,
        initial={"agenda_item": request.GET.get("item")},
    )
    if request.method == "POST" and form.is_valid():
        paper = services.add_paper(
            agenda_item=form.cleaned_data["agenda_item"],
            title=form.cleaned_data["title"],
            uploaded=form.cleaned_data["file"],
            uploaded_by=request.user,
        )
        messages.success(request, f"Paper “{paper.title}” uploaded")
        return redirect("governance:meeting", pk=meeting.pk)
    return form_page(
        request,
        form,
        title=f"Upload a paper for {meeting.title}",
        submit="Upload paper",
        multipart=True,
        breadcrumbs=_meeting_crumbs(meeting, "Paper"),
    )


@role_required(*BOARD_READERS)
def paper_download(request, pk):
    """The only way to a paper's file: never a public media URL."""
    paper = get_object_or_404(Paper, pk=pk)
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The paper's file is missing") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=paper.original_name,
        content_type=content_type(paper.original_name),
    )
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*MANAGERS)
def minutes_edit(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes and minutes.status == Minutes.Status.PUBLISHED:
        messages.info(request, "These minutes are published and can no longer be changed.")
        return redirect("governance:meeting", pk=meeting.pk)
    form = forms.MinutesForm(
        request.POST or None, initial={"text": minutes.text if minutes else ""}
    )
    if request.method == "POST" and form.is_valid():
        minutes = services.save_minutes(
            meeting=meeting, text=form.cleaned_data["text"], publish=form.cleaned_data["publish"]
        )
        messages.success(
            request,
            "Minutes published"
            if minutes.status == Minutes.Status.PUBLISHED
            else "Draft minutes saved",
        )
        return redirect("governance:meeting", pk=meeting.pk)
    return form_page(
        request,
        form,
        title=f"Minutes of {meeting.title}",
        submit="Save minutes",
        breadcrumbs=_meeting_crumbs(meeting, "Minutes"),
    )


@role_required(*MANAGERS)
def decision_new(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = forms.DecisionForm(
        request.POST or None, initial={"order": meeting.decisions.count() + 1}
    )
    if request.method == "POST" and form.is_valid():
        decision = form.save(commit=False)
        decision.meeting = meeting
        decision.save()
        messages.success(request, "Decision recorded")
        return redirect("governance:meeting", pk=meeting.pk)
    return form_page(
        request,
        form,
        title=f"Record a decision of {meeting.title}",
        submit="Record decision",
        breadcrumbs=_meeting_crumbs(meeting, "Decision"),
    )


@role_required(*MANAGERS)
def action_new(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = forms.ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.meeting = meeting
        action.save()
        messages.success(request, "Action recorded")
        return redirect("governance:meeting", pk=meeting.pk)
    return form_page(
        request,
        form,
        title=f"Record an action from {meeting.title}",
        submit="Record action",
        breadcrumbs=_meeting_crumbs(meeting, "Action"),
    )


@role_required(*MANAGERS)
def action_done(request, pk):
    action = get_object_or_404(Action, pk=pk)
    if request.method == "POST" and action.status == Action.Status.OPEN:
        services.complete_action(action=action)
        messages.success(request, f"“{action.description}” marked done")
    return redirect(
        request.POST.get("next")
        if request.POST.get("next", "").startswith("/governance/")
        else reverse("governance:meeting", args=[action.meeting_id])
    )


class ActionList(ListPage):
    allowed_roles = BOARD_READERS
    table_class = ActionTable
    filterset_class = ActionFilter
    title = "Actions"
    intro = "Actions agreed at board meetings. Open actions past their due date are overdue."

    def get_queryset(self):
        return selectors.actions()


@role_required(*MINUTES_READERS)
def minutes_list(request):
    return render(
        request,
        "governance/minutes_list.html",
        {
            "meetings": selectors.meetings_with_published_minutes(),
            "breadcrumbs": [("Board minutes", None)],
        },
    )


@role_required(*MINUTES_READERS)
def minutes_detail(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.select_related("board", "minutes"),
        pk=pk,
        minutes__status=Minutes.Status.PUBLISHED,
    )
    return render(
        request,
        "governance/minutes_detail.html",
        {
            "meeting": meeting,
            "decisions": meeting.decisions.all(),
            "breadcrumbs": [
                ("Board minutes", reverse("governance:minutes_list")),
                (meeting.title, None),
            ],
        },
    )


# Priorities and task-and-finish groups ----------------------------------------------


@role_required(*BOARD_READERS)
def priority_list(request):
    return render(
        request,
        "governance/priority_list.html",
        {
            "priorities": Priority.objects.all(),
            "can_manage": request.user.role == Role.COORDINATOR,
            "breadcrumbs": crumbs(("Priorities", None)),
        },
    )


@role_required(*MANAGERS)
def priority_edit(request, pk=None):
    priority = get_object_or_404(Priority, pk=pk) if pk else None
    form = forms.PriorityForm(request.POST or None, instance=priority)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Priority saved")
        return redirect("governance:priorities")
    return form_page(
        request,
        form,
        title="Edit priority" if priority else "Add a priority",
        submit="Save priority",
        breadcrumbs=crumbs(("Priorities", reverse("governance:priorities")), ("Priority", None)),
    )


class TaskGroupList(ListPage):
    allowed_roles = BOARD_READERS
    table_class = TaskGroupTable
    filterset_class = TaskGroupFilter
    title = "Task-and-finish groups"
    intro = "Time-limited groups, each on one of the partnership's priorities."

    def get_queryset(self):
        return selectors.task_groups()

    def page_actions(self):
        if self.request.user.role == Role.COORDINATOR:
            return [("Add a group", reverse("governance:task_group_new"))]
        return []


@role_required(*BOARD_READERS)
def task_group_detail(request, pk):
    try:
        group = selectors.group_detail(pk)
    except TaskAndFinishGroup.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "governance/task_group_detail.html",
        {
            "group": group,
            "days": selectors.group_days_summary(group),
            "can_manage": request.user.role == Role.COORDINATOR,
            "breadcrumbs": [
                ("Task-and-finish groups", reverse("governance:task_groups")),
                (group.name, None),
            ],
        },
    )


@role_required(*MANAGERS)
def task_group_edit(request, pk=None):
    group = get_object_or_404(TaskAndFinishGroup, pk=pk) if pk else None
    form = forms.TaskGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        group = form.save()
        messages.success(request, f"{group.name} saved")
        return redirect("governance:task_group", pk=group.pk)
    return form_page(
        request,
        form,
        title="Edit group" if group else "Add a task-and-finish group",
        submit="Save group",
        breadcrumbs=[
            ("Task-and-finish groups", reverse("governance:task_groups")),
            ("Group", None),
        ],
    )


def _group_child(request, pk, form_class, *, title, submit, success, **form_kwargs):
    group = get_object_or_404(TaskAndFinishGroup, pk=pk)
    if form_class in (forms.DayAllocationForm,):
        form_kwargs["group"] = group
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.group = group
        record.save()
        messages.success(request, success)
        return redirect("governance:task_group", pk=group.pk)
    return form_page(
        request,
        form,
        title=f"{title}: {group.name}",
        submit=submit,
        breadcrumbs=[
            ("Task-and-finish groups", reverse("governance:task_groups")),
            (group.name, reverse("governance:task_group", args=[group.pk])),
            (title, None),
        ],
    )


@role_required(*MANAGERS)
def allocation_new(request, pk):
    return _group_child(
        request,
        pk,
        forms.DayAllocationForm,
        title="Allocate practitioner days",
        submit="Allocate days",
        success="Days allocated",
    )


@role_required(*MANAGERS)
def days_used_new(request, pk):
    return _group_child(
        request,
        pk,
        forms.DaysUsedForm,
        title="Record days used",
        submit="Record days",
        success="Days recorded",
    )


@role_required(*MANAGERS)
def progress_report_new(request, pk):
    return _group_child(
        request,
        pk,
        forms.ProgressReportForm,
        title="Add a progress report",
        submit="Add report",
        success="Progress report added",
    )


@role_required(*MANAGERS)
def recommendation_new(request, pk):
    return _group_child(
        request,
        pk,
        forms.RecommendationForm,
        title="Add a recommendation",
        submit="Add recommendation",
        success="Recommendation added",
    )


@role_required(*MANAGERS)
def task_group_close(request, pk):
    group = get_object_or_404(TaskAndFinishGroup, pk=pk)
    form = forms.ClosingReportForm(
        request.POST or None, initial={"closing_report": group.closing_report}
    )
    if request.method == "POST" and form.is_valid():
        services.close_group(group=group, closing_report=form.cleaned_data["closing_report"])
        messages.success(request, f"{group.name} closed")
        return redirect("governance:task_group", pk=group.pk)
    return form_page(
        request,
        form,
        title=f"Closing report: {group.name}",
        submit="Close the group",
        breadcrumbs=[
            ("Task-and-finish groups", reverse("governance:task_groups")),
            (group.name, reverse("governance:task_group", args=[group.pk])),
            ("Closing report", None),
        ],
    )


# Partnership dashboard --------------------------------------------------------------


@role_required(*BOARD_READERS)
def dashboard(request):
    return render(
        request,
        "governance/dashboard.html",
        {
            **partnership_dashboard(),
            "breadcrumbs": [("Partnership dashboard", None)],
        },
    )
