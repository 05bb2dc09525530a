"""Demo governance: the partnership board (some seats vacant, the secondary seat held by
an academy head as on Haringey's board), a meeting with its agenda and a paper, the
partnership's priorities and two task-and-finish groups. Idempotent: records are found
by code or title and created only when missing; dates follow today so the demo always
has a meeting coming up and one group past its end without a closing report."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from partnership.models import User
from partnership.roles import Role
from schools.models import School

from .models import (
    Action,
    AgendaItem,
    Board,
    DayAllocation,
    Decision,
    Meeting,
    Minutes,
    Paper,
    Priority,
    ProgressReport,
    Recommendation,
    Seat,
    TaskAndFinishGroup,
    TaskGroupDays,
    today,
)

PRIORITIES = [
    (
        "literacy",
        "Literacy",
        "Every pupil reads fluently by the end of Year 2; close the gap for disadvantaged pupils.",
    ),
    (
        "post-16",
        "Post-16 attainment",
        "Raise A level and vocational outcomes to the London average.",
    ),
    (
        "early-years",
        "Early years",
        "A good level of development for more children at the end of reception.",
    ),
]

# (code, role, holder, email, school URN, term start offset, term length in days)
SEATS = [
    ("chair", Seat.Role.CHAIR, "Margaret Oyelaran", "chair@demo.partnership", None, -400, 1095),
    ("primary-1", Seat.Role.HEAD_PRIMARY, "Helen Head", "head@demo.school", "102401", -300, 730),
    ("primary-2", Seat.Role.HEAD_PRIMARY, "Tom Barker", "", "137501", -680, 720),
    ("secondary-1", Seat.Role.HEAD_SECONDARY, "Rachel Ahmed", "", "137506", -200, 1095),
    ("special-1", Seat.Role.HEAD_SPECIAL, "", "", None, None, None),
    ("governor-1", Seat.Role.GOVERNOR, "Ben Board", "board@demo.partnership", None, -100, 1095),
    ("la-officer", Seat.Role.LA_OFFICER, "Sam Patel", "", None, -500, 1460),
    ("governor-2", Seat.Role.GOVERNOR, "", "", None, None, None),
]


def demo_pdf(title: str) -> bytes:
    """A small valid one-page PDF, so the demo needs no PDF renderer."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def build(context):
    now = today()
    people = context.get("people", {})
    coordinator = people.get(Role.COORDINATOR)
    board, _ = Board.objects.get_or_create(
        code="partnership-board",
        defaults={
            "name": "Partnership Board",
            "description": "Sets the partnership's priorities and oversees its work.",
        },
    )
    schools = {
        school.urn: school
        for school in School.objects.filter(urn__in=[s[4] for s in SEATS if s[4]])
    }
    for order, (code, role, holder, email, urn, start, length) in enumerate(SEATS):
        existing = Seat.objects.filter(board=board, code=code).first()
        if existing is not None:
            # The partnership file names holders but cannot name schools before GIAS is
            # imported; the demo knows which demo school each demo holder comes from.
            if existing.school_id is None and urn in schools and existing.holder_name == holder:
                existing.school = schools[urn]
                existing.save(update_fields=["school"])
            if existing.holder_user_id is None and existing.holder_email:
                existing.holder_user = User.objects.filter(
                    email__iexact=existing.holder_email
                ).first()
                existing.save(update_fields=["holder_user"])
            continue
        term_start = now + datetime.timedelta(days=start) if start is not None else None
        Seat.objects.create(
            board=board,
            code=code,
            role=role,
            holder_name=holder,
            holder_email=email,
            holder_user=people.get(Role.BOARD) if email == "board@demo.partnership" else None,
            school=schools.get(urn),
            order=order,
            term_start=term_start,
            term_end=term_start + datetime.timedelta(days=length) if term_start else None,
        )

    priorities = {}
    for order, (code, title, description) in enumerate(PRIORITIES, start=1):
        priorities[code], _ = Priority.objects.get_or_create(
            code=code, defaults={"title": title, "description": description, "order": order}
        )

    _meetings(board, coordinator, now)
    _task_groups(priorities, now)


def _meetings(board, coordinator, now):
    last, created = Meeting.objects.get_or_create(
        board=board,
        title="Autumn board meeting",
        defaults={
            "date": now - datetime.timedelta(days=42),
            "location": "Civic Centre, Committee Room 3",
        },
    )
    if created:
        AgendaItem.objects.create(
            meeting=last, order=1, title="Welcome and apologies", presenter="Chair"
        )
        AgendaItem.objects.create(
            meeting=last, order=2, title="Membership take-up", presenter="Coordinator"
        )
        Minutes.objects.create(
            meeting=last,
            status=Minutes.Status.PUBLISHED,
            published_at=timezone.now(),
            text="Present: the chair, four headteacher representatives and the LA officer.\n\n"
            "The board agreed the three priorities for the year and set up "
            "two task-and-finish groups.",
        )
        Decision.objects.create(
            meeting=last,
            order=1,
            text="Priorities for the year agreed: literacy, post-16 attainment, early years.",
        )
        Action.objects.create(
            meeting=last,
            description="Circulate the draft reading strategy",
            owner="Coordinator",
            due_date=now - datetime.timedelta(days=10),
        )
        Action.objects.create(
            meeting=last,
            description="Invite nominations for the special school seat",
            owner="Chair",
            due_date=now + datetime.timedelta(days=20),
        )

    upcoming, created = Meeting.objects.get_or_create(
        board=board,
        title="Spring board meeting",
        defaults={
            "date": now + datetime.timedelta(days=14),
            "location": "Civic Centre, Committee Room 3",
        },
    )
    if created:
        AgendaItem.objects.create(
            meeting=upcoming, order=1, title="Minutes of the last meeting", presenter="Chair"
        )
        finance = AgendaItem.objects.create(
            meeting=upcoming,
            order=2,
            title="Trading position and forecast",
            presenter="LA finance officer",
        )
        AgendaItem.objects.create(
            meeting=upcoming,
            order=3,
            title="Task-and-finish group reports",
            presenter="Group leads",
        )
        Minutes.objects.create(meeting=upcoming, text="Draft: to be written at the meeting.")
        if coordinator is not None:
            content = demo_pdf("Trading position, quarter 3")
            Paper.objects.create(
                agenda_item=finance,
                title="Trading position, quarter 3",
                file=ContentFile(content, name="paper.pdf"),
                original_name="trading-position-q3.pdf",
                size=len(content),
                uploaded_by=coordinator,
            )


def _task_groups(priorities, now):
    reading, created = TaskAndFinishGroup.objects.get_or_create(
        code="early-reading",
        defaults={
            "name": "Early reading",
            "priority": priorities["literacy"],
            "remit": "Review phonics teaching in Key Stage 1 and recommend a shared approach.",
            "start_date": now - datetime.timedelta(days=240),
            "end_date": now - datetime.timedelta(days=30),
        },
    )
    if created:
        reading.schools.set(School.objects.filter(urn__in=["102401", "102402", "102408"]))
        DayAllocation.objects.create(
            group=reading, designation="LLE", days=Decimal("10"), day_rate=Decimal("500")
        )
        DayAllocation.objects.create(
            group=reading, designation="SLE", days=Decimal("15"), day_rate=Decimal("350")
        )
        TaskGroupDays.objects.create(
            group=reading,
            designation="LLE",
            days=Decimal("4"),
            day_rate=Decimal("500"),
            date=now - datetime.timedelta(days=150),
            note="Phonics audits",
        )
        TaskGroupDays.objects.create(
            group=reading,
            designation="SLE",
            days=Decimal("6.5"),
            day_rate=Decimal("350"),
            date=now - datetime.timedelta(days=90),
            note="Coaching in Year 1 classes",
        )
        ProgressReport.objects.create(
            group=reading,
            date=now - datetime.timedelta(days=150),
            rag="amber",
            summary="Audits in three schools done; two schools still to start.",
        )
        ProgressReport.objects.create(
            group=reading,
            date=now - datetime.timedelta(days=60),
            rag="green",
            summary="Audits complete; shared approach drafted.",
        )
        Recommendation.objects.create(
            group=reading,
            made_on=now - datetime.timedelta(days=60),
            text="Adopt one validated phonics programme across member schools.",
        )

    post16, created = TaskAndFinishGroup.objects.get_or_create(
        code="post-16-pathways",
        defaults={
            "name": "Post-16 pathways",
            "priority": priorities["post-16"],
            "remit": "Map post-16 provision and raise A level outcomes.",
            "start_date": now - datetime.timedelta(days=60),
            "end_date": now + datetime.timedelta(days=180),
        },
    )
    if created:
        post16.schools.set(School.objects.filter(urn__in=["102415", "102416", "137511"]))
        DayAllocation.objects.create(
            group=post16, designation="LLE", days=Decimal("10"), day_rate=Decimal("500")
        )
        DayAllocation.objects.create(
            group=post16, designation="SLE", days=Decimal("15"), day_rate=Decimal("350")
        )
        TaskGroupDays.objects.create(
            group=post16,
            designation="SLE",
            days=Decimal("2"),
            day_rate=Decimal("350"),
            date=now - datetime.timedelta(days=20),
            note="Data analysis",
        )
        ProgressReport.objects.create(
            group=post16,
            date=now - datetime.timedelta(days=14),
            rag="red",
            summary="Two secondaries have not yet shared their results data.",
        )
