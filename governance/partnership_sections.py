"""The `boards:` and `priorities:` sections of the partnership file
(docs/partnership-file-extensions.md).

Validation only reads (the schools named by URN must be in the register); loading runs
after the whole file is valid, inside the loader's transaction, and matches boards by
code, seats by board and code, priorities by code, so loading twice changes nothing.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from partnership.models import User
from partnership.records import update_or_create_changed
from schools.models import School

from .models import Board, Priority, Seat

BOARD_REQUIRED = ("code", "name")
BOARD_OPTIONAL = ("description", "seats")
SEAT_REQUIRED = ("code", "role")
SEAT_OPTIONAL = ("holder", "email", "school_urn", "term_start", "term_end")
PRIORITY_REQUIRED = ("code", "title")
PRIORITY_OPTIONAL = ("description", "status")


def _summary(created, updated):
    return f"{created} created, {updated} updated"


def _seat(entry, path, checker, seen_codes, known_urns):
    data = checker.mapping(entry, path, required=SEAT_REQUIRED, optional=SEAT_OPTIONAL)
    if data is None:
        return None
    seat = {
        "code": checker.code(data["code"], f"{path}.code", seen_codes),
        "role": checker.choice(data["role"], f"{path}.role", Seat.Role.values),
        "holder_name": "",
        "holder_email": "",
        "school_urn": None,
        "term_start": None,
        "term_end": None,
    }
    if data.get("holder") not in (None, ""):
        seat["holder_name"] = checker.text(data["holder"], f"{path}.holder") or ""
    if data.get("email") not in (None, ""):
        email = checker.text(data["email"], f"{path}.email", max_length=254)
        if email is not None:
            try:
                validate_email(email)
            except ValidationError:
                checker.error(f"{path}.email", "not an email address")
            seat["holder_email"] = email.lower()
        if not seat["holder_name"]:
            checker.error(f"{path}.holder", "is required when an email is given")
    if data.get("school_urn") not in (None, ""):
        urn = str(data["school_urn"]).strip()
        if not urn.isdigit() or len(urn) != 6:
            checker.error(f"{path}.school_urn", "must be a six-digit URN")
        elif urn not in known_urns:
            checker.error(f"{path}.school_urn", f"no school with URN {urn} in the register")
        else:
            seat["school_urn"] = urn
    for key in ("term_start", "term_end"):
        if data.get(key) not in (None, ""):
            seat[key] = checker.date(data[key], f"{path}.{key}")
    if seat["term_start"] and seat["term_end"] and seat["term_end"] <= seat["term_start"]:
        checker.error(f"{path}.term_end", "must be after term_start")
    return seat


def validate_boards(section, checker, document):
    """boards: [{code, name, description?, seats: [{code, role, holder?, email?,
    school_urn?, term_start?, term_end?}]}]"""
    cleaned = []
    seen = set()
    entries = checker.sequence(section, "boards")
    urns = set()
    for entry in entries:
        for seat in (entry.get("seats") or []) if isinstance(entry, dict) else []:
            if isinstance(seat, dict) and seat.get("school_urn") not in (None, ""):
                urns.add(str(seat["school_urn"]).strip())
    known_urns = set(School.objects.filter(urn__in=urns).values_list("urn", flat=True))
    for index, entry in enumerate(entries):
        path = f"boards[{index}]"
        data = checker.mapping(entry, path, required=BOARD_REQUIRED, optional=BOARD_OPTIONAL)
        if data is None:
            continue
        board = {
            "code": checker.code(data["code"], f"{path}.code", seen),
            "name": checker.text(data["name"], f"{path}.name"),
            "description": checker.text(
                data.get("description"), f"{path}.description", max_length=2000, required=False
            )
            or "",
            "seats": [],
        }
        seat_codes = set()
        for seat_index, seat_entry in enumerate(
            checker.sequence(data.get("seats", []), f"{path}.seats")
        ):
            seat = _seat(seat_entry, f"{path}.seats[{seat_index}]", checker, seat_codes, known_urns)
            if seat is not None:
                board["seats"].append(seat)
        cleaned.append(board)
    return cleaned


def load_boards(cleaned, context):
    boards_created = boards_updated = seats_created = seats_updated = 0
    urns = {
        seat["school_urn"] for board in cleaned for seat in board["seats"] if seat["school_urn"]
    }
    schools = {school.urn: school for school in School.objects.filter(urn__in=urns)}
    emails = {
        seat["holder_email"] for board in cleaned for seat in board["seats"] if seat["holder_email"]
    }
    users = {user.email.lower(): user for user in User.objects.filter(email__in=emails)}
    for order, data in enumerate(cleaned):
        board, created = update_or_create_changed(
            Board,
            code=data["code"],
            defaults={"name": data["name"], "description": data["description"], "order": order},
        )
        boards_created += created
        boards_updated += not created
        for seat_order, seat in enumerate(data["seats"]):
            _, created = update_or_create_changed(
                Seat,
                board=board,
                code=seat["code"],
                defaults={
                    "role": seat["role"],
                    "holder_name": seat["holder_name"],
                    "holder_email": seat["holder_email"],
                    "holder_user": users.get(seat["holder_email"]),
                    "school": schools.get(seat["school_urn"]),
                    "term_start": seat["term_start"],
                    "term_end": seat["term_end"],
                    "order": seat_order,
                },
            )
            seats_created += created
            seats_updated += not created
    context["summary"]["boards"] = (
        f"{_summary(boards_created, boards_updated)}; "
        f"seats {_summary(seats_created, seats_updated)}"
    )


def validate_priorities(section, checker, document):
    """priorities: [{code, title, description?, status?}] in the order agreed."""
    cleaned = []
    seen = set()
    for index, entry in enumerate(checker.sequence(section, "priorities")):
        path = f"priorities[{index}]"
        data = checker.mapping(entry, path, required=PRIORITY_REQUIRED, optional=PRIORITY_OPTIONAL)
        if data is None:
            continue
        cleaned.append(
            {
                "code": checker.code(data["code"], f"{path}.code", seen),
                "title": checker.text(data["title"], f"{path}.title"),
                "description": checker.text(
                    data.get("description"), f"{path}.description", max_length=2000, required=False
                )
                or "",
                "status": checker.choice(
                    data.get("status", Priority.Status.ACTIVE),
                    f"{path}.status",
                    Priority.Status.values,
                ),
            }
        )
    return cleaned


def load_priorities(cleaned, context):
    created_count = updated_count = 0
    for order, data in enumerate(cleaned, start=1):
        _, created = update_or_create_changed(
            Priority,
            code=data["code"],
            defaults={**{k: v for k, v in data.items() if k != "code"}, "order": order},
        )
        created_count += created
        updated_count += not created
    context["summary"]["priorities"] = _summary(created_count, updated_count)
