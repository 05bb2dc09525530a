"""Walks every URL of the project for every role and checks who is let in.

Who may open a page is declared on its view (`allowed_roles`, set by
partnership.permissions); this test holds every view to its declaration, and holds
school-scoped pages to "a headteacher sees only their own school" with the object
URLs of another school (no IDOR). The world is the demo partnership.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from finance.ledger_batches import export_batch
from finance.models import (
    BankStatement,
    BudgetLine,
    CreditNote,
    ExportBatch,
    Invoice,
    Job,
    LedgerEntry,
    Plan,
)
from finance.receipts import read_statement
from finance.services import issue_credit_note, start_job
from finance.tasks import render_report_pdf
from governance.models import (
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
from governance.services import nominate
from membership.models import Membership
from offers.models import Offer, Practitioner, Provider, SupportObjective, Tier
from offers.models.bookings import (
    Booking,
    CommissionedPackage,
    CourseSession,
    DelegatePlace,
    Deployment,
)
from offers.services_bookings import book_places
from partnership import calendar_feed
from partnership.api.tokens import create_token
from partnership.demo import DEMO_PEOPLE
from partnership.models import ApiToken, User
from partnership.public import is_public
from partnership.roles import Role
from schools.models import AccessRequest, GiasImport, School, SchoolContact
from tests.factories import school_user

# Pages anyone may open without signing in. Those marked public_page (partnership/public.py)
# may be kept by shared caches when the visitor is anonymous, never when signed in.
PUBLIC = {
    "home",
    "health",
    "bare_view",
    "privacy",
    "accessibility",
    "contact",
    "join",
    "fees",
    "offers:catalogue",
    "offers:offer_detail",
    "request_access",
    "request_access_sent",
}
SKIPPED_PREFIXES = ("admin/", "accounts/")  # Django admin and allauth check their own access.
# Pages of one school's records: another school's headteacher must be refused.
SCHOOL_SCOPED = {
    "schools:detail",
    "membership:school",
    "membership:interest",
    "membership:agreement",
    "membership:agreement_year",
    "membership:withdraw",
    "offers:booking_detail",
    "offers:booking_cancel",
    "offers:booking_delegates",
    "offers:booking_place",
    "offers:evaluation",
    "offers:certificate",
    "finance:invoice",
    "finance:invoice_pdf",
    "finance:credit_note_pdf",
    "api:schools-detail",
    "api:memberships-detail",
    "api:invoices-detail",
}
# Records of one person (a nomination, a practitioner's deployment, the register of a
# session someone else facilitates, an objective reviewed by the practitioner deployed):
# only that person and the coordinator may open another's.
PERSON_SCOPED = {
    "governance:nomination",
    "offers:deployment_deliver",
    "offers:register",
    "offers:objective_review",
}
# Opened by the secret in the address, not by signing in (calendar apps cannot sign in): the
# right address opens for anyone, a wrong token for no one.
SECRET_ADDRESSES = {"calendar_feed"}
# Emailed links signed with SECRET_KEY (a place offered from a waiting list, a delegate's
# evaluation): the pages they show are tested in tests/offers/test_waiting_list_pages.py
# and test_delegate_evaluation_link.py; a made-up token finds nothing.
SIGNED_LINKS = {"offers:place_offer_link", "offers:delegate_evaluation"}
# A headteacher asking for the register is taken to their own school instead.
MOVED_ON = {("schools:list", Role.HEADTEACHER)}
ALLOWED = {200, 302, 405}  # 302: a page that moves on (not to sign-in); 405: POST-only action


def walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name, pattern


def allowed_roles(callback):
    roles = getattr(callback, "allowed_roles", None)
    if roles is None:
        roles = getattr(getattr(callback, "view_class", None), "allowed_roles", None)
    if roles is None:  # a REST framework viewset
        roles = getattr(getattr(callback, "cls", None), "allowed_roles", None)
    return roles


def cache_directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def public_page_problems(url, name, callback, clients):
    """A public page opens for everyone; if it is a public_page, only the anonymous
    response may be kept by a shared cache."""
    if name not in PUBLIC:
        return [f"{url}: a public page the walk does not list in PUBLIC"]
    problems = []
    anonymous = clients[None].get(url)
    if anonymous.status_code != 200:
        problems.append(f"{url} anonymous: {anonymous.status_code}, expected 200")
    if is_public(callback) and "public" not in cache_directives(anonymous):
        problems.append(f"{url} anonymous: not cacheable ({anonymous.get('Cache-Control')})")
    for role in Role:
        response = clients[role].get(url)
        if response.status_code not in ALLOWED:
            problems.append(f"{url} {role}: {response.status_code}, expected to be let in")
        if "public" in cache_directives(response):
            problems.append(f"{url} {role}: signed in, yet Cache-Control is public")
    return problems


def first(queryset, what):
    found = queryset.first()
    assert found is not None, f"the demo has no {what}; the walk needs one"
    return found


def object_kwargs(name, pattern, other):
    """URL arguments naming records of `other` (a school that is not the headteacher's)."""
    keys = set(pattern.pattern.regex.groupindex)
    if not keys:
        return {}
    if "urn" in keys:
        kwargs = {"urn": other.urn}
        if "start_year" in keys:
            kwargs["start_year"] = 2026
        if "pk" in keys:  # one of the school's contacts
            kwargs["pk"] = first(
                SchoolContact.objects.current().filter(school=other), "contact of another school"
            ).pk
        return kwargs
    if keys == {"token"}:
        return {"token": "made-up"}
    if keys == {"report"}:
        return {"report": "break-even"}
    if keys == {"key", "token"}:
        feed = calendar_feed.feed_for(first(User.objects.filter(role=Role.HEADTEACHER), "head"))
        return {"key": feed.key, "token": calendar_feed.token_for(feed.key)}
    by_name = {
        "offers:booking_": lambda: first(
            Booking.objects.filter(school=other), "booking of another school"
        ),
        "offers:session_book": lambda: first(CourseSession.objects, "course session"),
        "offers:waiting_list_offer": lambda: first(Offer.objects, "offer"),
        "offers:waiting_list_session": lambda: first(CourseSession.objects, "course session"),
        "offers:session_edit": lambda: first(CourseSession.objects, "course session"),
        "offers:register": lambda: first(CourseSession.objects, "course session"),
        "offers:evaluation": lambda: first(
            DelegatePlace.objects.filter(booking__school=other), "CPD place of another school"
        ),
        "offers:certificate": lambda: first(
            DelegatePlace.objects.filter(booking__school=other), "CPD place of another school"
        ),
        "offers:deployment_deliver": lambda: first(Deployment.objects, "deployment"),
        "offers:objective_review": lambda: first(SupportObjective.objects, "objective"),
        "offers:package_": lambda: first(CommissionedPackage.objects, "commissioned package"),
        "offers:manage_provider_edit": lambda: first(Provider.objects, "provider"),
        "offers:manage_practitioner_edit": lambda: first(Practitioner.objects, "practitioner"),
        "offers:manage_offer_edit": lambda: first(Offer.objects, "offer"),
        "offers:offer_detail": lambda: first(Offer.objects, "offer"),
        "offers:manage_tier_edit": lambda: first(Tier.objects, "tier"),
        "membership:withdraw": lambda: first(
            Membership.objects.filter(school=other), "membership of another school"
        ),
        "membership:decide": lambda: first(Membership.objects, "membership"),
        "finance:budget_line": lambda: first(BudgetLine.objects, "budget line"),
        "finance:credit_note_pdf": lambda: first(
            CreditNote.objects.filter(invoice__school=other), "credit note"
        ),
        "finance:job": lambda: first(Job.objects, "job"),
        "finance:plan": lambda: first(Plan.objects, "three-year plan"),
        "finance:bank_statement": lambda: first(BankStatement.objects, "uploaded bank file"),
        "finance:report_download": lambda: first(
            Job.objects.filter(kind=Job.Kind.REPORT_PDF), "report job"
        ),
        "api:memberships-": lambda: first(
            Membership.objects.filter(school=other), "membership of another school"
        ),
        "api:invoices-": lambda: first(
            Invoice.objects.filter(school=other), "invoice of another school"
        ),
        "api_token_revoke": lambda: first(ApiToken.objects, "API token"),
        "person_": lambda: first(User.objects.filter(role=Role.BOARD), "board member"),
        "finance:": lambda: first(
            Invoice.objects.filter(school=other), "invoice of another school"
        ),
        "schools:import_": lambda: first(GiasImport.objects, "GIAS import"),
        "schools:access_request": lambda: first(AccessRequest.objects, "request for access"),
        "governance:seat_": lambda: first(Seat.objects, "seat"),
        "governance:nomination": lambda: first(Nomination.objects, "nomination"),
        "governance:paper_": lambda: first(Paper.objects, "paper"),
        "governance:paper_new": lambda: first(Meeting.objects, "meeting"),
        "governance:minutes_edit": lambda: first(Meeting.objects, "meeting"),
        "governance:action_new": lambda: first(Meeting.objects, "meeting"),
        "finance:ledger_batch": lambda: first(ExportBatch.objects, "ledger export batch"),
        "finance:correct_entry": lambda: first(
            LedgerEntry.objects.filter(
                entry_type=LedgerEntry.EntryType.JOURNAL, reversed_by__isnull=True
            ),
            "journal entry",
        ),
        "finance:reverse_entry": lambda: first(
            LedgerEntry.objects.filter(
                entry_type=LedgerEntry.EntryType.JOURNAL, reversed_by__isnull=True
            ),
            "journal entry",
        ),
        "governance:action_": lambda: first(Action.objects, "action"),
        "governance:minutes": lambda: first(
            Meeting.objects.filter(minutes__status=Minutes.Status.PUBLISHED),
            "meeting with published minutes",
        ),
        "governance:priority_": lambda: first(Priority.objects, "priority"),
        "governance:board": lambda: first(Board.objects, "board"),
        "governance:seat_new": lambda: first(Board.objects, "board"),
        "governance:task_group": lambda: first(TaskAndFinishGroup.objects, "task-and-finish group"),
        "governance:allocation_new": lambda: first(TaskAndFinishGroup.objects, "group"),
        "governance:days_used_new": lambda: first(TaskAndFinishGroup.objects, "group"),
        "governance:progress_report_new": lambda: first(TaskAndFinishGroup.objects, "group"),
        "governance:recommendation_new": lambda: first(TaskAndFinishGroup.objects, "group"),
        "governance:": lambda: first(Meeting.objects, "meeting"),
    }
    # The longest matching prefix decides, so specific names beat their family.
    prefix = max((p for p in by_name if name.startswith(p)), key=len, default=None)
    assert prefix is not None, f"{name}: the walk does not know which record its URL names"
    record = by_name[prefix]()
    key = next(iter(keys))
    return {key: getattr(record, key if key != "pk" else "pk")}


@pytest.mark.django_db
def test_every_url_admits_exactly_the_roles_it_declares(django_capture_on_commit_callbacks):
    call_command("load_demo", "--force-demo", stdout=open("/dev/null", "w"))
    people = {role: User.objects.get(email=email) for email, _, _, role, _ in DEMO_PEOPLE}
    own = SchoolContact.objects.get(user=people[Role.HEADTEACHER]).school
    other = (
        School.objects.filter(invoices__isnull=False, bookings__isnull=False)
        .exclude(pk=own.pk)
        .distinct()
        .first()
    )
    assert other is not None, "the demo needs a school with invoices and bookings"
    other_head = school_user(other, email="other.head@example.org")
    if not CreditNote.objects.filter(invoice__school=other).exists():
        invoice = other.invoices.first()
        line = invoice.lines.first()
        issue_credit_note(
            invoice=invoice,
            amounts={line.pk: Decimal("1.00")},
            reason="Walk",
            issue_date=datetime.date(2026, 11, 1),
        )
    vacant = next(seat for seat in Seat.objects.all() if seat.is_vacant())
    nominate(
        seat=vacant,
        nominated_by=other_head,
        nominee_name="Other Head",
        nominee_email=other_head.email,
        school=other,
        statement="I would like to serve.",
    )
    if not AccessRequest.objects.exists():
        AccessRequest.objects.create(
            first_name="Asking",
            last_name="Person",
            email="asking@example.org",
            school=other,
            role_at_school=AccessRequest.RoleAtSchool.CPD_LEAD,
        )
    if not DelegatePlace.objects.filter(
        booking__school=other, booking__status="confirmed"
    ).exists():
        # A CPD place of the other school, for its evaluation and certificate pages.
        session = CourseSession.objects.create(
            offer=first(Offer.objects.filter(unit=Offer.Unit.PLACE), "CPD course"),
            date=datetime.date(2027, 3, 3),
            start_time=datetime.time(9, 30),
            venue="Walk",
            places=5,
        )
        book_places(school=other, session=session, delegates=["Walk Delegate"], by=other_head)
    if not BankStatement.objects.exists():
        bank_file = b"Date,Description,Money in\n03/11/2026,A SCHOOL,100.00\n"
        read_statement(SimpleUploadedFile("statement.csv", bank_file))
    if not ExportBatch.objects.exists():
        export_batch(up_to=datetime.date.today())
    if not Job.objects.filter(kind=Job.Kind.REPORT_PDF).exists():
        job = start_job(kind=Job.Kind.REPORT_PDF, parameter="break-even 2026/27")
        render_report_pdf.delay(job.pk, "break-even", "2026/27")
    if not SupportObjective.objects.exists():
        # On work the demo's practitioner is not deployed to: they must be refused it.
        work = Booking.objects.exclude(
            deployments__practitioner__user=people[Role.PRACTITIONER]
        ).first()
        SupportObjective.objects.create(
            booking=work,
            objective="Walk",
            expected_impact="Walk",
            agreed_on=datetime.date(2026, 11, 1),
            agreed_by=people[Role.COORDINATOR],
        )
    clients = {None: Client()}
    # The API is read by reporting systems with a token, not a browser session.
    api_clients = {None: Client()}
    for role, user in people.items():
        clients[role] = Client()
        clients[role].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        api_clients[role] = Client(
            HTTP_AUTHORIZATION=f"Bearer {create_token(user=user, name='Walk')[1]}"
        )

    wrong, walked, walked_public = [], 0, 0
    for route, name, pattern in walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES):
            continue
        url = reverse(name, kwargs=object_kwargs(name, pattern, other))
        roles = allowed_roles(pattern.callback)
        if name in SECRET_ADDRESSES:
            walked_public += 1
            if clients[None].get(url).status_code != 200:
                wrong.append(f"{url} anonymous with the secret address: expected 200")
            tampered = url.replace(url.rsplit("/", 1)[1], "0" * 32 + ".ics")
            for role, client in clients.items():
                if client.get(tampered).status_code != 404:
                    wrong.append(f"{tampered} {role}: a wrong token must find nothing (404)")
            continue
        if name in SIGNED_LINKS:
            walked_public += 1
            for role, client in clients.items():
                if client.get(url).status_code != 404:
                    wrong.append(f"{url} {role}: a made-up signed link must find nothing (404)")
            continue
        if name in PUBLIC or is_public(pattern.callback):
            walked_public += 1
            wrong.extend(public_page_problems(url, name, pattern.callback, clients))
            continue
        if roles is None and name != "dashboard":
            wrong.append(f"{url}: the view does not declare who may see it")
            continue
        roles = roles or tuple(Role)
        walked += 1
        is_api = route.startswith("api/")
        role_clients = api_clients if is_api else clients
        anonymous = role_clients[None].get(url)
        if is_api:
            if anonymous.status_code != 401:
                wrong.append(f"{url} no token: {anonymous.status_code}, expected 401")
        elif not (anonymous.status_code == 302 and "/accounts/login/" in anonymous.url):
            wrong.append(f"{url} anonymous: {anonymous.status_code}, expected a sign-in redirect")
        for role in Role:
            response = role_clients[role].get(url)
            status = response.status_code
            refused_here = (role == Role.HEADTEACHER and name in SCHOOL_SCOPED) or (
                name in PERSON_SCOPED and role != Role.COORDINATOR
            )
            if refused_here:
                if status not in (403, 404):
                    wrong.append(f"{url} {role} (another's record): {status}, expected 403/404")
                continue
            if role in roles and status not in ALLOWED:
                wrong.append(f"{url} {role}: {status}, expected to be let in")
            if (name, role) in MOVED_ON:
                if status != 302:
                    wrong.append(f"{url} {role}: {status}, expected to be taken elsewhere")
                continue
            if role not in roles and status != 403:
                wrong.append(f"{url} {role}: {status}, expected 403")
        if name in SCHOOL_SCOPED or name == "governance:nomination":
            own_client = Client()
            own_client.force_login(other_head, backend="django.contrib.auth.backends.ModelBackend")
            if is_api:
                token = create_token(user=other_head, name="Walk")[1]
                own_client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
            status = own_client.get(url).status_code
            if status not in ALLOWED:
                wrong.append(f"{url} the school's own headteacher: {status}, expected to be let in")
    assert walked > 80
    assert walked_public == len(PUBLIC) + len(SECRET_ADDRESSES) + len(SIGNED_LINKS)
    assert wrong == [], "\n".join(wrong)
