"""Which files may be board papers: checked by extension AND by content, because a
renamed executable or web page must never reach a board member's computer."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

PDF = "pdf"
OFFICE = ("docx", "xlsx", "pptx")
TEXT = ("txt", "csv")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
ALLOWED = "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), plain text (.txt) or CSV"
# Starts of files that are never papers, whatever they are called.
FORBIDDEN_STARTS = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa", b"#!")
MARKUP_STARTS = (
    b"<!doctype",
    b"<html",
    b"<script",
    b"<svg",
    b"<?xml",
    b"<body",
    b"<head",
    b"<iframe",
)


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def sniff(name: str, head: bytes) -> str | None:
    """The problem with a file, from its name and its first bytes; None when it is fine."""
    ext = extension(name)
    if ext not in CONTENT_TYPES:
        return f"The paper must be a {ALLOWED} file"
    if head.startswith(FORBIDDEN_STARTS):
        return "The file is a program, not a document: upload a " + ALLOWED + " file"
    if ext == PDF:
        if not head.startswith(b"%PDF-"):
            return "The file is called .pdf but is not a PDF"
        return None
    if ext in OFFICE:
        if not head.startswith(b"PK\x03\x04"):
            return f"The file is called .{ext} but is not a {ext.upper()} document"
        return None
    if b"\x00" in head:
        return f"The file is called .{ext} but is not plain text"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The sniffed prefix may cut a multibyte character in half at its end.
        if exc.start < len(head) - 3:
            return f"The file is called .{ext} but is not UTF-8 plain text"
        text = head[: exc.start].decode("utf-8")
    if text.lstrip("\ufeff \t\r\n").lower().encode().startswith(MARKUP_STARTS):
        return "Web pages and markup files cannot be papers: upload a " + ALLOWED + " file"
    return None


SNIFF_BYTES = 2048
# An Office Open XML document is a zip with a content-types part and its own folder;
# any other zip (an archive of programs, say) renamed .docx is not a paper.
OFFICE_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def office_problem(uploaded, ext: str) -> str | None:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return f"The file is called .{ext} but is not a {ext.upper()} document"
    folder = OFFICE_FOLDERS[ext]
    if "[Content_Types].xml" not in names or not any(name.startswith(folder) for name in names):
        return f"The file is called .{ext} but is not a {ext.upper()} document"
    return None


def validate_paper(uploaded) -> None:
    """Raise ValidationError with a message for the person uploading, or return."""
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            f"The file must be smaller than {filesizeformat(limit)} "
            f"(this one is {filesizeformat(uploaded.size)})"
        )
    if uploaded.size == 0:
        raise ValidationError("The file is empty")
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    problem = sniff(uploaded.name, head)
    if problem is None and extension(uploaded.name) in OFFICE:
        problem = office_problem(uploaded, extension(uploaded.name))
        uploaded.seek(0)
    if problem:
        raise ValidationError(problem)


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(extension(name), "application/octet-stream")
