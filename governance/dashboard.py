"""The partnership dashboard the board reads: take-up, delivery, trading and the
progress of task-and-finish groups, each as a chart and a table.

Figures owned by other apps are read through their selectors, never their models.
"""

from importlib import import_module

from django.db.models import Count

from schools.rules import Category

from . import selectors
from .charts import bar_chart

RAG_ORDER = {"red": 0, "amber": 1, "green": 2}


def _optional(module_name):
    try:
        return import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None


def take_up_by_category():
    """Open schools in the register by category, with how many are members."""
    register = dict(
        selectors.School.objects.open().values_list("category").annotate(n=Count("pk")).order_by()
    )
    members = {}
    membership_known = False
    member_schools = getattr(_optional("membership.selectors"), "member_schools", None)
    if member_schools is not None:
        membership_known = True
        members = dict(member_schools().values_list("category").annotate(n=Count("pk")).order_by())
    rows = []
    for key, label in Category.choices:
        in_register = register.get(key, 0)
        if not in_register and not members.get(key):
            continue
        member_count = members.get(key, 0)
        rows.append({
            "category": label,
            "schools": in_register,
            "members": member_count if membership_known else None,
            "percent": round(100 * member_count / in_register) if membership_known and in_register else None,
        })
    return rows, membership_known


def task_group_progress():
    groups = list(selectors.task_groups().order_by("end_date", "name"))
    return [
        {
            "group": group,
            "rag": group.latest_rag,
            "report_date": group.latest_report_date,
            "flagged": group.flagged,
        }
        for group in groups
    ]


def partnership_dashboard():
    take_up, membership_known = take_up_by_category()
    if membership_known:
        take_up_chart = bar_chart(
            "take-up", "Member schools by category",
            [(row["category"], row["members"], f"{row['members']} of {row['schools']}", "portal-bar--members")
             for row in take_up],
            headers=("Category", "Members"),
        )
    else:
        take_up_chart = bar_chart(
            "take-up", "Open schools in the register by category",
            [(row["category"], row["schools"], str(row["schools"]), "portal-bar--schools") for row in take_up],
            headers=("Category", "Schools"),
        )
    progress = task_group_progress()
    rag_counts = {"red": 0, "amber": 0, "green": 0}
    for row in progress:
        if row["rag"] in rag_counts:
            rag_counts[row["rag"]] += 1
    rag_chart = bar_chart(
        "rag", "Task-and-finish groups by latest RAG status",
        [(rag.capitalize(), count, str(count), f"portal-bar--{rag}") for rag, count in rag_counts.items()],
        headers=("RAG status", "Groups"),
    )
    return {
        "take_up": take_up,
        "membership_known": membership_known,
        "take_up_chart": take_up_chart,
        "progress": progress,
        "rag_chart": rag_chart,
        "flagged_groups": [row["group"] for row in progress if row["flagged"]],
        "overdue_actions": list(selectors.overdue_actions()),
    }
