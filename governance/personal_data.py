"""What governance holds about a person: seats they hold or held, nominations of them
and by them, papers they uploaded (partnership.personal_data)."""

from django.db.models import Q

from .models import Nomination, Paper, Seat

REMOVED_NAME = "Name removed"
REMOVED_STATEMENT = "Statement removed"


def _seats(subject):
    found = subject.named("holder_name", "holder_email")
    if subject.user is not None:
        found |= Q(holder_user=subject.user)
    return Seat.objects.filter(found)


def _nominations(subject):
    return Nomination.objects.filter(subject.named("nominee_name", "nominee_email"))


def held(subject):
    from partnership.personal_data import Section

    seats = [
        {
            "board": seat.board.name,
            "seat": seat.get_role_display(),
            "holder's name": seat.holder_name,
            "holder's email address": seat.holder_email,
            "school": seat.school.name if seat.school else "",
            "term starts": seat.term_start,
            "term ends": seat.term_end,
        }
        for seat in _seats(subject).select_related("board", "school")
    ]
    nominations = [
        {
            "seat": f"{n.seat.board.name}: {n.seat.get_role_display()}",
            "nominee's name": n.nominee_name,
            "nominee's email address": n.nominee_email,
            "statement": n.statement,
            "submitted": n.submitted_at,
            "status": n.get_status_display(),
        }
        for n in _nominations(subject).select_related("seat__board")
    ]
    sections = [
        Section("Board seats", seats, "Holder's name and email removed (the seat stays)"),
        Section(
            "Nominations for board seats",
            nominations,
            "Name, email and statement removed; the outcome stays",
        ),
    ]
    if subject.user is not None:
        papers = [
            {"paper": paper.title, "file": paper.original_name, "uploaded": paper.uploaded_at}
            for paper in Paper.objects.filter(uploaded_by=subject.user)
        ]
        sections.append(Section("Board papers they uploaded", papers, "Kept"))
    return sections


def refusals(subject, today):
    found = []
    for seat in _seats(subject).select_related("board"):
        if not seat.is_vacant(on=today):
            found.append(
                f"They hold the {seat.get_role_display().lower()} seat on {seat.board.name}"
                + (f" until {seat.term_end:%-d %B %Y}" if seat.term_end else "")
                + ": end their term or give the seat to someone else first"
            )
    pending = _nominations(subject).filter(status=Nomination.Status.PENDING)
    for nomination in pending.select_related("seat__board"):
        found.append(
            f"Their nomination for {nomination.seat.board.name} awaits a decision: decide it first"
        )
    return found


def erase(subject) -> int:
    # Seats: the holder's name and email go; an account holding it stays as a pointer.
    changed = _seats(subject).update(holder_name="", holder_email="")
    from partnership.personal_data import ERASED_DOMAIN

    changed += _nominations(subject).update(
        nominee_name=REMOVED_NAME,
        nominee_email=f"removed@{ERASED_DOMAIN}",
        statement=REMOVED_STATEMENT,
    )
    return changed
