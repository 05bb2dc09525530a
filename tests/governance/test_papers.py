"""Board papers: only safe document types, never too large, read only through the
permission-checked download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.demo import demo_pdf
from governance.models import Paper
from governance.uploads import sniff

PDF = demo_pdf("Budget")
ZIP = b"PK\x03\x04" + b"\x14\x00" * 30


@pytest.mark.parametrize(
    "name, head, problem",
    [
        ("budget.pdf", PDF, None),
        ("BUDGET.PDF", PDF, None),
        ("paper.docx", ZIP, None),
        ("figures.xlsx", ZIP, None),
        ("slides.pptx", ZIP, None),
        ("notes.txt", "Minutes – café £5".encode(), None),
        ("figures.csv", b"school,pupils\nAlpha,420\n", None),
        (
            "virus.pdf",
            b"MZ\x90\x00\x03" + b"\x00" * 50,
            "The file is a program, not a document: upload a PDF",
        ),
        ("tool.exe", b"MZ\x90\x00", "The paper must be a PDF"),
        ("fake.pdf", b"<html><body>hi</body></html>", "The file is called .pdf but is not a PDF"),
        ("fake.docx", PDF, "The file is called .docx but is not a DOCX document"),
        (
            "page.txt",
            b"  <!DOCTYPE html><html></html>",
            "Web pages and markup files cannot be papers",
        ),
        ("page.html", b"<html></html>", "The paper must be a PDF"),
        ("binary.csv", b"a,b\x00\x01", "The file is called .csv but is not plain text"),
        (
            "latin.txt",
            b"caf\xe9 au lait and more text here",
            "The file is called .txt but is not UTF-8 plain text",
        ),
        ("script.txt", b"#!/bin/sh\nrm -rf /", "The file is a program, not a document"),
        ("noextension", PDF, "The paper must be a PDF"),
    ],
)
def test_papers_are_checked_by_extension_and_content(name, head, problem):
    found = sniff(name, head)
    if problem is None:
        assert found is None
    else:
        assert found is not None and found.startswith(problem)


def upload(client, meeting, agenda_item, name, content, title="Budget paper"):
    return client.post(
        reverse("governance:paper_new", args=[meeting.pk]),
        {"agenda_item": agenda_item.pk, "title": title, "file": SimpleUploadedFile(name, content)},
    )


def test_coordinator_uploads_a_pdf_and_a_board_member_downloads_the_same_bytes(
    client_for, coordinator, board_member, meeting, agenda_item
):
    response = upload(client_for(coordinator), meeting, agenda_item, "Budget 2026.pdf", PDF)
    assert response.status_code == 302
    paper = Paper.objects.get()
    assert (paper.original_name, paper.size, paper.title) == (
        "Budget 2026.pdf",
        len(PDF),
        "Budget paper",
    )
    assert paper.file.name.startswith("governance/papers/") and paper.file.name.endswith(".pdf")

    download = client_for(board_member).get(reverse("governance:paper_download", args=[paper.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert 'attachment; filename="Budget 2026.pdf"' == download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize("who", ["head_a", "finance_officer", "practitioner_user"])
def test_no_one_else_downloads_a_paper(request, client_for, paper, who):
    response = client_for(request.getfixturevalue(who)).get(
        reverse("governance:paper_download", args=[paper.pk])
    )
    assert response.status_code == 403


def test_an_exe_renamed_pdf_is_refused_with_a_clear_message_and_nothing_is_stored(
    client_for, coordinator, meeting, agenda_item
):
    response = upload(
        client_for(coordinator), meeting, agenda_item, "minutes.pdf", b"MZ\x90\x00" + b"\x00" * 100
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The file is a program, not a document" in page
    assert Paper.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(
    client_for, coordinator, meeting, agenda_item, settings
):
    settings.UPLOAD_MAX_BYTES = 1000
    response = upload(
        client_for(coordinator), meeting, agenda_item, "big.pdf", b"%PDF-1.4\n" + b"0" * 1000
    )
    assert response.status_code == 200
    assert (
        "The file must be smaller than 1000\xa0bytes (this one is 1009\xa0bytes)"
        in response.content.decode()
    )
    assert Paper.objects.count() == 0


def test_a_file_exactly_at_the_limit_is_accepted(
    client_for, coordinator, meeting, agenda_item, settings
):
    settings.UPLOAD_MAX_BYTES = len(PDF)
    response = upload(client_for(coordinator), meeting, agenda_item, "exact.pdf", PDF)
    assert response.status_code == 302
    assert Paper.objects.count() == 1


def test_an_html_page_is_refused(client_for, coordinator, meeting, agenda_item):
    response = upload(
        client_for(coordinator),
        meeting,
        agenda_item,
        "paper.html",
        b"<html><script>x</script></html>",
    )
    assert (
        "The paper must be a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), "
        "plain text (.txt) or CSV file" in (response.content.decode())
    )
    assert Paper.objects.count() == 0


def test_the_stored_name_never_comes_from_the_uploader(
    client_for, coordinator, meeting, agenda_item
):
    upload(client_for(coordinator), meeting, agenda_item, "../../etc/passwd.txt", b"plain text")
    paper = Paper.objects.get()
    assert paper.original_name == "passwd.txt"
    assert ".." not in paper.file.name and "passwd" not in paper.file.name


def office_file(parts):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_word_document_is_accepted(client_for, coordinator, meeting, agenda_item):
    docx = office_file({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    response = upload(client_for(coordinator), meeting, agenda_item, "strategy.docx", docx)
    assert response.status_code == 302
    paper = Paper.objects.get()
    download = client_for(coordinator).get(reverse("governance:paper_download", args=[paper.pk]))
    assert download["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_a_zip_of_programs_renamed_docx_is_refused(client_for, coordinator, meeting, agenda_item):
    archive = office_file({"setup.exe": b"MZ\x90\x00"})
    response = upload(client_for(coordinator), meeting, agenda_item, "strategy.docx", archive)
    assert "The file is called .docx but is not a DOCX document" in response.content.decode()
    assert Paper.objects.count() == 0


def test_a_spreadsheet_renamed_docx_is_refused(client_for, coordinator, meeting, agenda_item):
    xlsx = office_file({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
    response = upload(client_for(coordinator), meeting, agenda_item, "budget.docx", xlsx)
    assert "The file is called .docx but is not a DOCX document" in response.content.decode()
    assert Paper.objects.count() == 0
