import datetime

import pytest

from governance.demo import demo_pdf
from governance.models import Board, Meeting, Minutes, Seat

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_uploads_a_paper_and_a_board_member_reads_it(
    page, browser, live_server, partnership_record, coordinator, board_member, school_a
):
    Board.objects.create(code="partnership-board", name="Partnership Board")
    Seat.objects.create(
        board=Board.objects.get(),
        code="primary-1",
        role=Seat.Role.HEAD_PRIMARY,
        holder_name="Ann Alpha",
        school=school_a,
    )
    sign_in(page, coordinator.email)
    page.goto("/governance/meetings/new/")
    page.get_by_label("Title").fill("Spring board meeting")
    page.get_by_label("Date").fill(
        (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    )
    page.get_by_role("button", name="Save meeting").click()
    page.get_by_role("heading", level=1, name="Spring board meeting").wait_for()

    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Title").fill("Trading position")
    page.get_by_label("Presenter (optional)").fill("Finance officer")
    page.get_by_role("button", name="Add agenda item").click()

    page.get_by_role("link", name="Upload a paper").click()
    page.get_by_label("Title").fill("Quarter 3 figures")
    page.get_by_label("File").set_input_files(
        files=[{"name": "q3.pdf", "mimeType": "application/pdf", "buffer": demo_pdf("Q3")}]
    )
    page.get_by_role("button", name="Upload paper").click()
    page.get_by_text("Paper “Quarter 3 figures” uploaded").wait_for()
    assert_accessible(page)
    meeting_url = page.url

    reader = browser.new_context(base_url=live_server.url, bypass_csp=True).new_page()
    sign_in(reader, board_member.email)
    reader.get_by_role("link", name="Spring board meeting").first.wait_for()
    reader.goto(meeting_url)
    with reader.expect_download() as download_info:
        reader.get_by_role("link", name="Quarter 3 figures").click()
    download = download_info.value
    assert download.suggested_filename == "q3.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == demo_pdf("Q3")

    reader.goto("/governance/boards/partnership-board/")
    reader.get_by_role("heading", level=2, name="Representation").wait_for()
    assert_accessible(reader)
    reader.goto("/governance/dashboard/")
    reader.get_by_role("heading", level=1, name="Partnership dashboard").wait_for()
    assert_accessible(reader)
    reader.context.close()


def test_headteacher_reads_published_minutes_only(page, partnership_record, head_a):
    board = Board.objects.create(code="partnership-board", name="Partnership Board")
    published = Meeting.objects.create(
        board=board, title="Autumn board meeting", date=datetime.date(2026, 10, 1)
    )
    Minutes.objects.create(
        meeting=published, text="The board agreed its priorities.", status="published"
    )
    draft = Meeting.objects.create(
        board=board, title="Spring board meeting", date=datetime.date(2027, 3, 1)
    )
    Minutes.objects.create(meeting=draft, text="Secret draft", status="draft")

    sign_in(page, head_a.email)
    page.get_by_role("link", name="Board minutes").first.click()
    page.get_by_role("heading", level=1, name="Board minutes").wait_for()
    assert page.get_by_role("link", name="Autumn board meeting").is_visible()
    assert page.get_by_text("Spring board meeting").count() == 0
    page.get_by_role("link", name="Autumn board meeting").click()
    page.get_by_text("The board agreed its priorities.").wait_for()
    assert_accessible(page)
    response = page.goto(f"/governance/minutes/{draft.pk}/")
    assert response.status == 404
    response = page.goto(f"/governance/meetings/{published.pk}/")
    assert response.status == 403


def test_board_pages_fit_a_phone(phone_page, partnership_record, board_member, school_a):
    from governance.demo import build

    build({"people": {}})
    sign_in(phone_page, board_member.email)
    for url in ("/governance/dashboard/", "/governance/boards/partnership-board/"):
        phone_page.goto(url)
        phone_page.get_by_role("heading", level=1).wait_for()
        assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(phone_page)
