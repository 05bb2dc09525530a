"""Reading a GIAS establishment CSV ("edubasealldata"): pure parsing, no database.

GIAS files carry about 140 columns whose order changes between releases, so columns
are read by name. The public download is windows-1252; files saved by spreadsheets
are often UTF-8 with a byte-order mark. Every row is either a `GiasRow` or a
`Rejection` naming its physical line in the file (the header is line 1), so a
coordinator can find it in a spreadsheet or text editor.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

URN = "URN"
NAME = "EstablishmentName"
LA_CODE = "LA (code)"
LA_NAME = "LA (name)"
ESTABLISHMENT_NUMBER = "EstablishmentNumber"
TYPE = "TypeOfEstablishment (name)"
TYPE_GROUP = "EstablishmentTypeGroup (name)"
STATUS = "EstablishmentStatus (name)"
PHASE = "PhaseOfEducation (name)"
PUPILS = "NumberOfPupils"
POSTCODE = "Postcode"

REQUIRED_COLUMNS = (
    URN,
    NAME,
    LA_CODE,
    LA_NAME,
    ESTABLISHMENT_NUMBER,
    TYPE,
    TYPE_GROUP,
    STATUS,
    PHASE,
    PUPILS,
    POSTCODE,
)

# The register's field sizes (schools.models.School): a longer value would fail the
# whole import at the database, so it is a rejected row instead.
MAX_LENGTHS = {
    NAME: 200,
    LA_CODE: 3,
    LA_NAME: 100,
    ESTABLISHMENT_NUMBER: 10,
    TYPE: 120,
    TYPE_GROUP: 120,
    STATUS: 60,
    PHASE: 60,
    POSTCODE: 10,
}

URN_PATTERN = re.compile(r"\d{6}")
WHOLE_NUMBER = re.compile(r"\d+")


class GiasFileError(Exception):
    """The file cannot be read as a GIAS establishment CSV at all; nothing is imported."""


@dataclass(frozen=True)
class GiasRow:
    line: int
    urn: str
    name: str
    la_code: str
    la_name: str
    establishment_number: str
    establishment_type: str
    type_group: str
    gias_status: str
    phase: str
    pupils: int | None
    postcode: str


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str

    def __str__(self):
        return f"line {self.line}: {self.reason}"


@dataclass
class ParsedFile:
    rows: list[GiasRow] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    # Rows of local authorities outside the --la filter: not imported, not errors.
    skipped: int = 0


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else windows-1252 as GIAS publishes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise GiasFileError(
            "The file is not text in UTF-8 or windows-1252, so it cannot be a GIAS CSV "
            f"(unreadable byte at position {exc.start})"
        ) from exc


def parse(data: bytes, *, la_codes: Iterable[str] | None = None) -> ParsedFile:
    """Split a GIAS CSV into rows to import and rejected rows.

    Raises GiasFileError when the file as a whole is unusable: empty, not text, not
    CSV, missing a required column, or with no schools in it.
    """
    if not data.strip():
        raise GiasFileError("The file is empty")
    text = decode(data)
    if "\x00" in text:
        raise GiasFileError("The file is not a CSV file (it contains binary data)")
    wanted_las = {code.strip() for code in la_codes} if la_codes else None

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise GiasFileError("The file is empty") from None
    except csv.Error as exc:
        raise GiasFileError(f"The file is not a readable CSV file: {exc}") from exc
    positions = {name.strip(): index for index, name in reversed(list(enumerate(header)))}
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        raise GiasFileError(
            "The file is not a GIAS establishment CSV: it has no "
            + ", ".join(f"“{name}”" for name in missing)
            + (" column" if len(missing) == 1 else " columns")
        )

    parsed = ParsedFile()
    first_line_of_urn: dict[str, int] = {}
    seen_any_row = False
    # A quoted cell may span lines, so a record starts on the line after the last one ended.
    line = reader.line_num + 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            seen_any_row = True

            def cell(name, cells=cells):
                index = positions[name]
                return cells[index].strip() if index < len(cells) else ""

            if wanted_las is not None and cell(LA_CODE) not in wanted_las:
                parsed.skipped += 1
                continue
            reason = _problem(cell, first_line_of_urn)
            urn = cell(URN)
            if URN_PATTERN.fullmatch(urn):
                # Even a rejected row claims its URN: a later row with the same URN
                # is as ambiguous as if the first had been accepted.
                first_line_of_urn.setdefault(urn, start)
            if reason:
                parsed.rejections.append(Rejection(start, reason))
                continue
            pupils = cell(PUPILS)
            parsed.rows.append(
                GiasRow(
                    line=start,
                    urn=urn,
                    name=cell(NAME),
                    la_code=cell(LA_CODE),
                    la_name=cell(LA_NAME),
                    establishment_number=cell(ESTABLISHMENT_NUMBER),
                    establishment_type=cell(TYPE),
                    type_group=cell(TYPE_GROUP),
                    gias_status=cell(STATUS),
                    phase=cell(PHASE),
                    pupils=int(pupils) if pupils else None,
                    postcode=cell(POSTCODE),
                )
            )
    except csv.Error as exc:
        raise GiasFileError(f"The file is not a readable CSV file: line {line}: {exc}") from exc
    if not seen_any_row:
        raise GiasFileError("The file has a header row but no schools")
    return parsed


def _problem(cell, first_line_of_urn) -> str:
    """Why a row cannot be imported, or '' when it can."""
    urn = cell(URN)
    if not urn:
        return "URN is missing"
    if not URN_PATTERN.fullmatch(urn):
        return f"URN “{urn}” is not 6 digits"
    if urn in first_line_of_urn:
        return (
            f"URN {urn} appears more than once in the file (first on line {first_line_of_urn[urn]})"
        )
    if not cell(NAME):
        return "EstablishmentName is missing"
    pupils = cell(PUPILS)
    if pupils and not WHOLE_NUMBER.fullmatch(pupils):
        return f"NumberOfPupils “{pupils}” is not a whole number"
    for name, limit in MAX_LENGTHS.items():
        if len(cell(name)) > limit:
            return f"{name} is longer than {limit} characters"
    return ""
