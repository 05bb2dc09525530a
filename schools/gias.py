"""Reading a GIAS establishment CSV ("edubasealldata"): pure parsing, no database.

GIAS files carry about 140 columns whose order changes between releases, so columns
are read by name; dates are dd-mm-yyyy. The public download is windows-1252; files
saved by spreadsheets are often UTF-8 with a byte-order mark. Every row is either a
`GiasRow` or a `Rejection` naming its physical line in the file (the header is line 1),
so a coordinator can find it in a spreadsheet or text editor.

The file is read as a stream of lines (twice: once to tell its encoding, once to read
it), never whole into memory: the national download is about 60 MB.
"""

import csv
import datetime
import io
import operator
import re
from collections.abc import Iterable, Iterator
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
CENSUS_DATE = "CensusDate"
POSTCODE = "Postcode"
OFSTED_RATING = "OfstedRating (name)"
OFSTED_LAST_INSPECTION = "OfstedLastInsp"
TRUST = "Trusts (name)"
HEAD_FIRST_NAME = "HeadFirstName"
HEAD_LAST_NAME = "HeadLastName"
TELEPHONE = "TelephoneNum"
WEBSITE = "SchoolWebsite"
OPEN_DATE = "OpenDate"
CLOSE_DATE = "CloseDate"
PREVIOUS_LA_CODE = "PreviousLA (code)"
PREVIOUS_ESTABLISHMENT_NUMBER = "PreviousEstablishmentNumber"

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
# Read when the file has them (the full download does); blank when it has not.
OPTIONAL_COLUMNS = (
    CENSUS_DATE,
    OFSTED_RATING,
    OFSTED_LAST_INSPECTION,
    TRUST,
    HEAD_FIRST_NAME,
    HEAD_LAST_NAME,
    TELEPHONE,
    WEBSITE,
    OPEN_DATE,
    CLOSE_DATE,
    PREVIOUS_LA_CODE,
    PREVIOUS_ESTABLISHMENT_NUMBER,
)
DATE_COLUMNS = (CENSUS_DATE, OFSTED_LAST_INSPECTION, OPEN_DATE, CLOSE_DATE)

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
    OFSTED_RATING: 60,
    TRUST: 255,
    HEAD_FIRST_NAME: 100,
    HEAD_LAST_NAME: 100,
    TELEPHONE: 30,
    WEBSITE: 300,
}

URN_PATTERN = re.compile(r"\d{6}")
WHOLE_NUMBER = re.compile(r"\d+")
# GIAS writes dd-mm-yyyy; spreadsheets re-save as dd/mm/yyyy or ISO yyyy-mm-dd.
DAY_FIRST = re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
BOM = b"\xef\xbb\xbf"


class GiasFileError(Exception):
    """The file cannot be read as a GIAS establishment CSV at all; nothing is imported."""


@dataclass(frozen=True, slots=True)
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
    # The census NumberOfPupils comes from (the file's CensusDate), or None.
    census_date: datetime.date | None = None
    ofsted_rating: str = ""
    ofsted_last_inspection: datetime.date | None = None
    trust_name: str = ""
    head_first_name: str = ""
    head_last_name: str = ""
    telephone: str = ""
    website: str = ""
    opened_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    previous_la_code: str = ""
    previous_establishment_number: str = ""


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str

    def __str__(self):
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class RowWarning:
    """Something the import did with a row that the coordinator should check."""

    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}"


@dataclass
class ParsedFile:
    rows: list[GiasRow] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)
    # Rows of local authorities outside the --la filter: not imported, not errors.
    skipped: int = 0
    encoding: str = ""


# Each column in the order GiasRow takes it (after `line`), with how to read it.
ROW_COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
COLUMN_INDEX = {name: index for index, name in enumerate(ROW_COLUMNS)}
PUPILS_AT = COLUMN_INDEX[PUPILS]
DATE_AT = tuple((COLUMN_INDEX[name], name) for name in DATE_COLUMNS)
LENGTH_AT = tuple((COLUMN_INDEX[name], name, limit) for name, limit in MAX_LENGTHS.items())


def _as_stream(data):
    return io.BytesIO(data) if isinstance(data, bytes | bytearray) else data


def _byte_lines(stream) -> Iterator[bytes]:
    stream.seek(0)
    return iter(stream.readline, b"")


def sniff_encoding(stream) -> str:
    """'utf-8' or 'cp1252', from a first pass over the lines.

    A line with non-ASCII bytes either decodes as UTF-8 or does not. The GIAS download
    (windows-1252) has no lines that do; a UTF-8 file saved by a spreadsheet has many,
    and one damaged byte should not turn every other accent into mojibake, so UTF-8 wins
    whenever at least as many lines are UTF-8 as are not (the others are then warned about).
    """
    utf8 = not_utf8 = 0
    anything = False
    for number, raw in enumerate(_byte_lines(stream), start=1):
        if number == 1 and raw.startswith(BOM):
            return "utf-8-sig"
        if b"\x00" in raw:
            raise GiasFileError("The file is not a CSV file (it contains binary data)")
        if not anything and raw.strip():
            anything = True
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            not_utf8 += 1
    if not anything:
        raise GiasFileError("The file is empty")
    return "utf-8" if utf8 and utf8 >= not_utf8 else "cp1252"


def text_lines(stream, encoding: str, warnings: list[RowWarning]) -> Iterator[str]:
    """The file's lines as text; a byte that is not UTF-8 in a UTF-8 file is replaced
    (with U+FFFD) and warned about with its line, never silently read as windows-1252."""
    for number, raw in enumerate(_byte_lines(stream), start=1):
        if number == 1 and encoding == "utf-8-sig":
            raw = raw.removeprefix(BOM)
        if raw.isascii():
            yield raw.decode("ascii")
            continue
        try:
            yield raw.decode("cp1252" if encoding == "cp1252" else "utf-8")
        except UnicodeDecodeError as exc:
            if encoding == "cp1252":
                raise GiasFileError(
                    "The file is not text in UTF-8 or windows-1252, so it cannot be a GIAS CSV "
                    f"(unreadable byte on line {number})"
                ) from exc
            warnings.append(
                RowWarning(
                    number,
                    f"a byte that is not UTF-8 (0x{raw[exc.start]:02X}) was read as “\ufffd”: "
                    "check this row's names",
                )
            )
            yield raw.decode("utf-8", "replace")


def parse(data, *, la_codes: Iterable[str] | None = None) -> ParsedFile:
    """Split a GIAS CSV (bytes or a binary file) into rows to import and rejected rows.

    Raises GiasFileError when the file as a whole is unusable: empty, not text, not
    CSV, missing a required column, or with no schools in it.
    """
    stream = _as_stream(data)
    parsed = ParsedFile(encoding=sniff_encoding(stream))
    wanted_las = {code.strip() for code in la_codes} if la_codes else None

    reader = csv.reader(text_lines(stream, parsed.encoding, parsed.warnings))
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
    # A column the file lacks reads from one past the widest row: always blank.
    width = len(header)
    pick = operator.itemgetter(*(positions.get(name, width) for name in ROW_COLUMNS))
    la_at, urn_at = COLUMN_INDEX[LA_CODE], COLUMN_INDEX[URN]
    dates: dict[str, datetime.date | None] = {"": None}

    first_line_of_urn: dict[str, int] = {}
    seen_any_row = False
    # A quoted cell may span lines, so a record starts on the line after the last one ended.
    line = reader.line_num + 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if len(cells) <= width:
                cells.extend([""] * (width + 1 - len(cells)))
            values = [value.strip() for value in pick(cells)]
            if not any(values) and not any(cell.strip() for cell in cells):
                continue
            seen_any_row = True
            if wanted_las is not None and values[la_at] not in wanted_las:
                parsed.skipped += 1
                continue
            reason = _problem(values, first_line_of_urn, dates)
            urn = values[urn_at]
            if URN_PATTERN.fullmatch(urn):
                # Even a rejected row claims its URN: a later row with the same URN
                # is as ambiguous as if the first had been accepted.
                first_line_of_urn.setdefault(urn, start)
            if reason:
                parsed.rejections.append(Rejection(start, reason))
                continue
            pupils = values[PUPILS_AT]
            values[PUPILS_AT] = int(pupils) if pupils else None
            for index, _ in DATE_AT:
                values[index] = dates[values[index]]
            parsed.rows.append(GiasRow(start, *values))
    except csv.Error as exc:
        raise GiasFileError(f"The file is not a readable CSV file: line {line}: {exc}") from exc
    if not seen_any_row:
        raise GiasFileError("The file has a header row but no schools")
    return parsed


def parse_date(value: str) -> datetime.date | None:
    """A GIAS date (dd-mm-yyyy, or dd/mm/yyyy or yyyy-mm-dd), or None when it is not one."""
    if match := DAY_FIRST.fullmatch(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := ISO_DATE.fullmatch(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _problem(values, first_line_of_urn, dates) -> str:
    """Why a row cannot be imported, or '' when it can. Parsed dates are kept in `dates`."""
    urn = values[0]
    if not urn:
        return "URN is missing"
    if not URN_PATTERN.fullmatch(urn):
        return f"URN “{urn}” is not 6 digits"
    if urn in first_line_of_urn:
        return (
            f"URN {urn} appears more than once in the file (first on line {first_line_of_urn[urn]})"
        )
    if not values[1]:
        return "EstablishmentName is missing"
    pupils = values[PUPILS_AT]
    if pupils and not WHOLE_NUMBER.fullmatch(pupils):
        return f"NumberOfPupils “{pupils}” is not a whole number"
    for index, name, limit in LENGTH_AT:
        if len(values[index]) > limit:
            return f"{name} is longer than {limit} characters"
    for index, name in DATE_AT:
        value = values[index]
        if value not in dates:
            dates[value] = parse_date(value)
        if dates[value] is None and value:
            del dates[value]
            return f"{name} “{value}” is not a date (dd-mm-yyyy)"
    return ""
