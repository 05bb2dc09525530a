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
