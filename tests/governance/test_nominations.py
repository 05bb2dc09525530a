import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance import services
from governance.models import Nomination, Seat, today


def test_a_headteacher_nominates_themself_for_a_vacant_seat(
    client_for, head_a, school_a, vacant_seat
):
    response = client_for(head_a).post(
        reverse("governance:nominate"),
        {
            "seat": vacant_seat.pk,
            "nominee_name": "Ann Alpha",
            "nominee_email": "Head.A@alpha.sch.uk",
            "school": school_a.pk,
            "statement": "Ten years leading a special resource base.",
        },
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("governance:nomination", args=[nomination.pk])
    assert (
        nomination.seat,
        nomination.nominated_by,
        nomination.nominee_email,
        nomination.status,
    ) == (vacant_seat, head_a, "head.a@alpha.sch.uk", "pending")
    assert nomination.self_nomination


def test_a_board_member_nominates_another_person(client_for, board_member, vacant_seat):
    client_for(board_member).post(
        reverse("governance:nominate"),
        {
            "seat": vacant_seat.pk,
            "nominee_name": "Gina Governor",
            "nominee_email": "gina@example.org",
            "statement": "Chair of governors at two schools.",
        },
    )
    nomination = Nomination.objects.get()
    assert nomination.school is None
    assert not nomination.self_nomination


def test_a_held_seat_with_a_long_term_takes_no_nominations(client_for, head_a, held_seat):
    response = client_for(head_a).post(
        reverse("governance:nominate"),
        {
            "seat": held_seat.pk,
            "nominee_name": "Ann",
            "nominee_email": "a@example.org",
            "statement": "x",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Nomination.objects.count() == 0


def test_a_seat_whose_term_ends_within_60_days_takes_nominations(head_a, held_seat):
    held_seat.term_end = today() + datetime.timedelta(days=30)
    held_seat.save()
    nomination = services.nominate(
        seat=held_seat,
        nominated_by=head_a,
        nominee_name="Ann",
        nominee_email="a@example.org",
        school=None,
        statement="Ready",
    )
    assert nomination.status == "pending"


def test_missing_fields_are_reported_and_nothing_is_saved(client_for, head_a, vacant_seat):
    response = client_for(head_a).post(
        reverse("governance:nominate"), {"seat": vacant_seat.pk, "nominee_email": "bad"}
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter a valid email address." in page
    assert Nomination.objects.count() == 0


def test_election_fills_the_seat_and_closes_the_other_nominations(
    client_for, coordinator, nomination, head_a, head_b
):
    rival = Nomination.objects.create(
        seat=nomination.seat,
        nominated_by=head_b,
        nominee_name="Bob Beta",
        nominee_email=head_b.email,
        statement="Me too",
    )
    response = client_for(coordinator).post(
        reverse("governance:nomination", args=[nomination.pk]),
        {
            "outcome": "elected",
            "term_start": "2026-09-01",
            "term_end": "2029-08-31",
        },
    )
    assert response.status_code == 302
    seat = Seat.objects.get(pk=nomination.seat_id)
    assert (seat.holder_name, seat.holder_email, seat.holder_user, seat.school) == (
        "Ann Alpha",
        head_a.email,
        head_a,
        nomination.school,
    )
    assert (seat.term_start, seat.term_end) == (
        datetime.date(2026, 9, 1),
        datetime.date(2029, 8, 31),
    )
    nomination.refresh_from_db()
    rival.refresh_from_db()
    assert (nomination.status, nomination.decided_by) == ("elected", coordinator)
    assert (rival.status, rival.decided_by) == ("not_elected", coordinator)


def test_an_elected_outcome_needs_a_term(client_for, coordinator, nomination):
    response = client_for(coordinator).post(
        reverse("governance:nomination", args=[nomination.pk]),
        {
            "outcome": "appointed",
            "term_start": "2026-09-01",
            "term_end": "2026-08-31",
        },
    )
    assert "The term must end after it starts" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == "pending"
    assert not Seat.objects.get(pk=nomination.seat_id).has_holder


def test_not_elected_leaves_the_seat_vacant(coordinator, nomination):
    services.decide_nomination(nomination=nomination, decided_by=coordinator, outcome="not_elected")
    nomination.refresh_from_db()
    assert nomination.status == "not_elected"
    assert Seat.objects.get(pk=nomination.seat_id).vacant


def test_a_decision_is_final(coordinator, nomination):
    services.decide_nomination(nomination=nomination, decided_by=coordinator, outcome="not_elected")
    with pytest.raises(ValidationError, match="already been decided"):
        services.decide_nomination(
            nomination=nomination,
            decided_by=coordinator,
            outcome="elected",
            term_start=datetime.date(2026, 9, 1),
            term_end=datetime.date(2027, 8, 31),
        )


def test_the_nominator_cannot_decide_their_own_nomination(client_for, head_a, nomination):
    response = client_for(head_a).post(
        reverse("governance:nomination", args=[nomination.pk]),
        {
            "outcome": "elected",
            "term_start": "2026-09-01",
            "term_end": "2029-08-31",
        },
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == "pending"


def test_seat_vacancy_and_expiry_on_the_model(held_seat):
    assert not held_seat.vacant and not held_seat.expiring
    held_seat.term_end = today() + datetime.timedelta(days=60)
    assert held_seat.expiring and not held_seat.vacant
    held_seat.term_end = today() - datetime.timedelta(days=1)
    assert held_seat.vacant and not held_seat.expiring


def test_vacancies_list_shows_ended_and_empty_seats(
    client_for, head_a, board, vacant_seat, held_seat
):
    Seat.objects.create(
        board=board,
        code="gov-ended",
        role=Seat.Role.GOVERNOR,
        holder_name="Old Governor",
        term_start=datetime.date(2022, 9, 1),
        term_end=today() - datetime.timedelta(days=1),
    )
    response = client_for(head_a).get(reverse("governance:vacancies"))
    rows = [row.record.code for row in response.context["table"].rows]
    assert rows == ["gov-ended", "special-1"]
