"""CPD pages: who may open each, the register on a phone, evaluations, certificates, the report."""

import io
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from offers import services_attendance as attendance
from offers import services_bookings as services
from offers.models import Booking, CourseSession, DelegatePlace, EvaluationQuestion
from offers.services_attendance import DEFAULT_QUESTIONS, Delegate
from tests.chart_reading import chart_shapes

from .booking_factories import *  # noqa: F403 (fixtures)
from .booking_factories import make_practitioner

pytestmark = pytest.mark.django_db
D = Decimal
ROLES = [
    "anonymous",
    "head_a",
    "head_b",
    "coordinator",
    "finance_officer",
    "board_member",
    "practitioner_user",
]


def _session(offer, day, facilitator, title=""):
    return CourseSession.objects.create(
        offer=offer,
        title=title,
        date=day,
        start_time=time(9, 30),
        end_time=time(15, 30),
        venue="Civic Centre, Uxbridge",
        places=10,
        facilitator=facilitator,
    )


@pytest.fixture
def cpd(cpd_course, school_a, head_a, school_b, head_b, sam, rita, coordinator):
    """Yesterday's session run by Sam (practitioner_user), another run by Rita; Alpha's Ann
    attended and evaluated; Beta's Bea attended; a session next month with Alpha's places."""
    yesterday = timezone.localdate() - timedelta(days=1)
    own = _session(cpd_course, yesterday, sam, title="Day 1: leading phonics")
    other = _session(cpd_course, yesterday, rita)
    later = _session(cpd_course, timezone.localdate() + timedelta(days=30), sam)
    alpha = services.book_places(
        school=school_a, session=own, delegates=[Delegate("Ann Ash", "ann@alpha.sch.uk")], by=head_a
    )
    beta = services.book_places(school=school_b, session=own, delegates=["Bea Best"], by=head_b)
    coming = services.book_places(
        school=school_a, session=later, delegates=["Cara Cole"], by=head_a, unnamed=1
    )
    ann, bea = alpha.delegates.get(), beta.delegates.get()
    attendance.take_register(
        session=own, marks={ann.pk: "present", bea.pk: "present"}, by=coordinator
    )
    ann.refresh_from_db()
    attendance.return_evaluation(
        place=ann, ratings=dict.fromkeys(DEFAULT_QUESTIONS, 5), comments="Very useful", by=head_a
    )
    return {
        "own": own,
        "other": other,
        "later": later,
        "alpha": alpha,
        "coming": coming,
        "ann": ann,
        "bea": bea,
    }


def _url(name, cpd):
    route, _, key = name.partition(":")
    return reverse(f"offers:{route}", args=[cpd[key].pk] if key else [])


# url name (with the object it is about) -> who gets 200 (everyone else signed in gets 403)
ACCESS = {
    "session_create": {"coordinator"},
    "session_edit:later": {"coordinator"},
    "register_list": {"coordinator", "practitioner_user"},
    "register:own": {"coordinator", "practitioner_user"},
    "register:other": {"coordinator"},
    "booking_delegates:coming": {"head_a", "coordinator"},
    "delegate_list": {"head_a", "head_b", "coordinator"},
    "evaluation:ann": {"head_a", "coordinator"},
    "evaluation:bea": {"head_b", "coordinator"},
    "certificate:ann": {"head_a", "coordinator"},
    "evaluation_report": {"coordinator"},
}
CASES = [(name, who) for name in ACCESS for who in ROLES]


@pytest.mark.parametrize("name, who", CASES)
def test_who_may_open_each_cpd_page(request, client_for, cpd, partnership_record, name, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = client_for(user).get(_url(name, cpd))
    if who == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == (200 if who in ACCESS[name] else 403)


def test_a_headteacher_sees_only_their_own_schools_delegates(client_for, cpd, head_b):
    page = client_for(head_b).get(reverse("offers:delegate_list")).content.decode()
    assert "Bea Best" in page
    assert "Ann Ash" not in page and "Cara Cole" not in page


def test_a_missing_place_is_404(client_for, head_a, cpd):
    assert client_for(head_a).get(reverse("offers:certificate", args=[999999])).status_code == 404


def test_no_certificate_before_the_evaluation_is_returned(client_for, cpd, head_b):
    response = client_for(head_b).get(reverse("offers:certificate", args=[cpd["bea"].pk]))
    assert response.status_code == 302
    assert response.url == reverse("offers:evaluation", args=[cpd["bea"].pk])


def test_the_certificate_reads_back_with_the_delegate_and_session(client_for, cpd, head_a):
    response = client_for(head_a).get(reverse("offers:certificate", args=[cpd["ann"].pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Certificate of attendance" in text
    assert "Ann Ash" in text
    assert "Alpha Primary School" in text
    assert "Day 1: leading phonics" in text
    assert "led by Sam Lee" in text


def test_the_register_marks_delegates_on_a_phone_form(client_for, cpd, practitioner_user, sam):
    session = _session(cpd["own"].offer, timezone.localdate(), sam)
    session.start_time = time(0, 0)
    session.save()
    booking = services.book_places(
        school=cpd["alpha"].school,
        session=session,
        delegates=["Dee Dunn", "Eli Egan"],
        by=cpd["alpha"].booked_by,
    )
    dee, eli = booking.delegates.order_by("pk")
    client = client_for(practitioner_user)
    page = client.get(reverse("offers:register", args=[session.pk])).content.decode()
    assert page.count('type="radio"') == 6
    assert "govuk-radios--inline" in page
    response = client.post(
        reverse("offers:register", args=[session.pk]),
        {f"place-{dee.pk}": "present", f"place-{eli.pk}": "late"},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DELIVERED
    assert [p.attendance for p in booking.delegates.order_by("pk")] == ["present", "late"]


def test_a_school_names_a_delegate_later_and_a_duplicate_is_refused(client_for, cpd, head_a):
    coming = cpd["coming"]
    url = reverse("offers:booking_delegates", args=[coming.pk])
    form = {
        "place-TOTAL_FORMS": "2",
        "place-INITIAL_FORMS": "2",
        "place-0-name": "Cara Cole",
        "place-0-email": "",
        "place-1-name": "cara cole",
        "place-1-email": "",
    }
    response = client_for(head_a).post(url, form)
    assert response.status_code == 200
    assert "Cara Cole is named twice: each place needs its own" in response.content.decode()
    assert list(coming.delegates.order_by("pk").values_list("delegate_name", flat=True)) == [
        "Cara Cole",
        "",
    ]
    form["place-1-name"] = "Dan Dee"
    form["place-1-email"] = "dan@alpha.sch.uk"
    assert client_for(head_a).post(url, form).status_code == 302
    assert list(coming.delegates.order_by("pk").values_list("delegate_name", flat=True)) == [
        "Cara Cole",
        "Dan Dee",
    ]


def test_the_evaluation_form_names_each_missing_rating(client_for, cpd, head_b):
    url = reverse("offers:evaluation", args=[cpd["bea"].pk])
    response = client_for(head_b).post(url, {"q1": "4", "comments": "Good"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rate &#x27;How useful was it for your work in school?&#x27; from 1 to 5" in page
    assert not attendance.has_evaluation(DelegatePlace.objects.get(pk=cpd["bea"].pk))
    posted = {f"q{n}": "3" for n in range(1, 5)} | {"comments": "Good"}
    assert client_for(head_b).post(url, posted).status_code == 302
    assert (
        client_for(head_b).get(reverse("offers:certificate", args=[cpd["bea"].pk])).status_code
        == 200
    )


def test_the_partnerships_questions_are_asked(client_for, cpd, head_b):
    EvaluationQuestion.objects.create(position=1, text="Was it worth the time?")
    page = client_for(head_b).get(reverse("offers:evaluation", args=[cpd["bea"].pk]))
    assert "Was it worth the time?" in page.content.decode()
    assert list(page.context["form"].fields) == ["q1", "comments"]


def test_the_evaluation_report_averages_by_course_practitioner_provider_and_question(
    client_for, cpd, coordinator, head_b
):
    attendance.return_evaluation(
        place=cpd["bea"], ratings=dict.fromkeys(DEFAULT_QUESTIONS, 4), by=head_b
    )
    response = client_for(coordinator).get(reverse("offers:evaluation_report"))
    by_offer = response.context["by_offer"]
    assert [(r.name, r.attended, r.returned, r.average) for r in by_offer] == [
        ("Phonics leadership CPD", 2, 2, D("4.5"))
    ]
    assert [(r.name, r.average) for r in response.context["by_practitioner"]] == [
        ("Sam Lee", D("4.5"))
    ]
    assert [(r["question"], r["count"], r["average"]) for r in response.context["by_question"]][
        0
    ] == (DEFAULT_QUESTIONS[0], 2, D("4.5"))
    page = response.content.decode()
    assert "<svg" in page and "Phonics leadership CPD: 4.5" in page
    # Drawn by the shared chart module on a fixed scale of 5: 4.5 fills nine tenths.
    (bar,) = chart_shapes(page, "by-offer", "rect")
    assert (bar["title"], bar["width"]) == ("Phonics leadership CPD: 4.5", str(round(620 * 0.9)))


def test_cpd_pages_queries_do_not_grow_with_rows(
    client_for, cpd, coordinator, head_a, django_assert_max_num_queries, cpd_course
):
    def counts():
        out = {}
        for user, names in (
            (coordinator, ["register_list", "register:own", "delegate_list", "evaluation_report"]),
            (head_a, ["delegate_list"]),
        ):
            client = client_for(user)
            for name in names:
                from django.db import connection
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as queries:
                    assert client.get(_url(name, cpd)).status_code == 200
                out[(user.pk, name)] = len(queries)
        return out

    before = counts()
    for n in range(3):  # 2 + 3 × 2 places of the session's 10
        school_session = _session(cpd_course, cpd["own"].date, make_practitioner(f"P{n}"))
        booking = services.book_places(
            school=cpd["alpha"].school,
            session=cpd["own"],
            delegates=[f"Extra {n}", f"Other {n}"],
            by=cpd["alpha"].booked_by,
        )
        places = list(booking.delegates.all())
        attendance.take_register(
            session=cpd["own"], marks={p.pk: "present" for p in places}, by=coordinator
        )
        for place in places:
            place.refresh_from_db()
            attendance.return_evaluation(
                place=place, ratings=dict.fromkeys(DEFAULT_QUESTIONS, 3), by=coordinator
            )
        assert school_session.pk
    assert counts() == before


def test_the_coordinator_sets_up_an_online_session_and_must_say_where(
    client_for, coordinator, cpd_course, sam
):
    url = reverse("offers:session_create")
    form = {
        "offer": cpd_course.pk,
        "title": "Day 2: assessment",
        "date": "03/03/2027",
        "start_time": "16:00",
        "end_time": "15:00",
        "venue": "",
        "online_link": "",
        "places": "30",
        "facilitator": sam.pk,
    }
    page = client_for(coordinator).post(url, form).content.decode()
    assert "Enter the venue, or an online joining link" in page
    assert "The end time must be after the start time" in page
    assert not CourseSession.objects.exists()
    form.update(end_time="17:30", online_link="https://meet.example.org/phonics-2")
    assert client_for(coordinator).post(url, form).status_code == 302
    session = CourseSession.objects.get()
    assert (session.name, session.where, session.places, session.facilitator) == (
        "Day 2: assessment",
        "Online",
        30,
        sam,
    )


def test_places_booked_with_emails_and_some_to_name_later(client_for, head_a, cpd_session):
    url = reverse("offers:session_book", args=[cpd_session.pk])
    page = client_for(head_a).post(
        url, {"delegates": "Ann Ash, ann@alpha.sch.uk\nann ash", "unnamed": "0"}
    )
    assert "Ann Ash is named twice: each place needs its own" in page.content.decode()
    response = client_for(head_a).post(
        url, {"delegates": "Ann Ash, ann@alpha.sch.uk", "unnamed": "1"}
    )
    booking = Booking.objects.get()
    assert response.url == reverse("offers:booking_detail", args=[booking.pk])
    assert list(
        booking.delegates.order_by("pk").values_list("delegate_name", "delegate_email")
    ) == [
        ("Ann Ash", "ann@alpha.sch.uk"),
        ("", ""),
    ]
