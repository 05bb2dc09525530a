from governance import demo
from governance.models import Board, Meeting, Paper, Priority, Seat, TaskAndFinishGroup
from governance.selectors import flagged_groups
from partnership.roles import Role


def test_demo_builds_the_board_meetings_priorities_and_groups_once(coordinator, board_member):
    context = {"people": {Role.COORDINATOR: coordinator, Role.BOARD: board_member}}
    demo.build(context)
    demo.build(context)
    assert Board.objects.count() == 1
    assert Seat.objects.count() == 8
    assert sorted(seat.code for seat in Seat.objects.all() if seat.vacant) == [
        "governor-2",
        "special-1",
    ]
    assert list(Priority.objects.values_list("title", flat=True)) == [
        "Literacy",
        "Post-16 attainment",
        "Early years",
    ]
    assert Meeting.objects.count() == 2
    paper = Paper.objects.get()
    assert paper.file.read().startswith(b"%PDF-1.4")
    assert TaskAndFinishGroup.objects.count() == 2
    assert [group.code for group in flagged_groups()] == ["early-reading"]
    assert Seat.objects.get(code="governor-1").holder_user == board_member


def test_load_demo_gives_a_board_with_haringeys_gap(db, settings):
    import io

    from django.core.management import call_command

    from governance.selectors import board_representation

    call_command("load_demo", "--force-demo", stdout=io.StringIO())
    call_command("load_demo", "--force-demo", stdout=io.StringIO())
    board = Board.objects.get(code="partnership-board")
    secondary = Seat.objects.get(board=board, code="secondary-1")
    assert (secondary.holder_name, secondary.school.urn, secondary.school.governance) == (
        "Rachel Ahmed",
        "137506",
        "academy",
    )
    assert Seat.objects.get(code="governor-1").holder_user.email == "board@demo.partnership"
    representation, _ = board_representation(board)
    assert "no community secondary headteacher" in representation.gaps
    assert Seat.objects.filter(board=board).count() == 8
