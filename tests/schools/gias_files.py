"""Build GIAS establishment CSVs for tests, with the columns real files carry around ours."""

import csv
import io

COLUMNS = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (name)",
    "OpenDate",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "NumberOfPupils",
    "OfstedRating (name)",
    "Street",
    "Town",
    "Postcode",
]


def school_row(urn, name="Alder Primary School", **fields):
    row = {
        "URN": urn,
        "LA (code)": "312",
        "LA (name)": "Hillingdon",
        "EstablishmentNumber": "2001",
        "EstablishmentName": name,
        "TypeOfEstablishment (name)": "Community school",
        "EstablishmentTypeGroup (name)": "Local authority maintained schools",
        "EstablishmentStatus (name)": "Open",
        "OpenDate": "",
        "PhaseOfEducation (name)": "Primary",
        "StatutoryLowAge": "4",
        "StatutoryHighAge": "11",
        "NumberOfPupils": "280",
        "OfstedRating (name)": "Good",
        "Street": "1 Park Road",
        "Town": "Uxbridge",
        "Postcode": "UB8 1AA",
    }
    row.update(fields)
    return row


def gias_csv(rows, *, encoding="cp1252", columns=COLUMNS) -> bytes:
    """A GIAS CSV; columns are shuffled relative to ours on purpose (read by name)."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode(encoding)
