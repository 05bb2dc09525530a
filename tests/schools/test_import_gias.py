"""Importing GIAS files into the register: idempotent by URN, all-or-nothing."""

import datetime
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schools.models import PupilCount, School
from schools.services import GiasFileError, import_gias

from .gias_files import gias_csv, school_row

pytestmark = pytest.mark.django_db
CENSUS = datetime.date(2026, 1, 15)
DEMO_FILE = Path(__file__).resolve().parents[2] / "examples" / "gias-demo.csv"
# SQLite caps query parameters (smaller batches), takes a whole-database write lock and
# is not what runs national imports; CI sets DATABASE_URL to PostgreSQL.
postgresql_only = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="PostgreSQL behaviour (batching, locks, speed); CI sets DATABASE_URL",
)


def three_schools(**changes):
    rows = [
        school_row("102401", "Alder Primary School", NumberOfPupils="280"),
        school_row(
            "137501",
            "Birch Academy",
            **{
                "TypeOfEstablishment (name)": "Academy converter",
                "EstablishmentTypeGroup (name)": "Academies",
                "PhaseOfEducation (name)": "Secondary",
                "NumberOfPupils": "1000",
            },
        ),
        school_row(
            "102419",
            "Cedar Special School",
            **{
                "TypeOfEstablishment (name)": "Community special school",
                "EstablishmentTypeGroup (name)": "Special schools",
                "PhaseOfEducation (name)": "Not applicable",
                "NumberOfPupils": "",
            },
        ),
    ]
    for row in rows:
        row.update(changes.get(row["URN"], {}))
    return gias_csv(rows)


def test_first_import_creates_schools_with_derived_classification():
    report = import_gias(three_schools(), census_date=CENSUS, source="gias.csv")
    assert (report.created, report.updated, report.unchanged, report.rejected) == (3, 0, 0, 0)
    alder = School.objects.get(urn="102401")
    assert (alder.name, alder.la_name, alder.category, alder.governance, alder.status) == (
        "Alder Primary School",
        "Hillingdon",
        "primary",
        "community",
        "open",
    )
    cedar = School.objects.get(urn="102419")
    birch = School.objects.get(urn="137501")
    assert (birch.category, birch.governance) == ("secondary", "academy")
    assert (cedar.category, cedar.governance) == ("special", "community")
    assert list(
        PupilCount.objects.order_by("school__urn").values_list("school__urn", "pupils", "source")
    ) == [("102401", 280, "gias.csv"), ("137501", 1000, "gias.csv")]


def test_reimporting_the_same_file_changes_nothing():
    import_gias(three_schools(), census_date=CENSUS)
    report = import_gias(three_schools(), census_date=CENSUS)
    assert report.summary() == "created 0, updated 0, unchanged 3, rejected 0"
    assert School.history.count() == 3


def test_changed_fields_update_the_school_and_keep_partnership_fields():
    import_gias(three_schools(), census_date=CENSUS)
    School.objects.filter(urn="102401").update(
        causing_concern=True, concern_reason="Ofsted: requires improvement", concern_since=CENSUS
    )
    report = import_gias(
        three_schools(
            **{
                "102401": {
                    "EstablishmentName": "Alder Primary Academy",
                    "TypeOfEstablishment (name)": "Academy converter",
                    "EstablishmentTypeGroup (name)": "Academies",
                    "EstablishmentStatus (name)": "Open, but proposed to close",
                }
            }
        ),
        census_date=CENSUS,
    )
    assert report.summary() == "created 0, updated 1, unchanged 2, rejected 0"
    alder = School.objects.get(urn="102401")
    assert (alder.name, alder.governance, alder.status, alder.gias_status) == (
        "Alder Primary Academy",
        "academy",
        "open",
        "Open, but proposed to close",
    )
    assert (alder.causing_concern, alder.concern_reason) == (True, "Ofsted: requires improvement")
    assert alder.history.first().history_change_reason == "GIAS import"


def test_a_closed_school_is_marked_closed():
    import_gias(three_schools())
    import_gias(three_schools(**{"137501": {"EstablishmentStatus (name)": "Closed"}}))
    birch = School.objects.get(urn="137501")
    assert (birch.status, birch.gias_status) == ("closed", "Closed")


def test_census_history_adds_a_row_per_census_and_updates_the_same_census():
    import_gias(three_schools(), census_date=CENSUS)
    report = import_gias(
        three_schools(**{"102401": {"NumberOfPupils": "301"}}),
        census_date=datetime.date(2027, 1, 21),
    )
    # Alder and Birch each gain a count at the new census; Cedar has no number.
    assert report.summary() == "created 0, updated 2, unchanged 1, rejected 0"
    report = import_gias(
        three_schools(**{"102401": {"NumberOfPupils": "305"}}),
        census_date=datetime.date(2027, 1, 21),
    )
    assert report.summary() == "created 0, updated 1, unchanged 2, rejected 0"
    alder = School.objects.get(urn="102401")
    assert list(alder.pupil_counts.values_list("census_date", "pupils")) == [
        (datetime.date(2027, 1, 21), 305),
        (CENSUS, 280),
    ]
    assert alder.pupils_at(datetime.date(2026, 12, 31)).pupils == 280


def test_without_a_census_date_pupil_counts_are_left_alone():
    import_gias(three_schools(), census_date=CENSUS)
    report = import_gias(three_schools(**{"102401": {"NumberOfPupils": "999"}}))
    assert report.summary() == "created 0, updated 0, unchanged 3, rejected 0"
    assert list(
        PupilCount.objects.filter(school__urn="102401").values_list("pupils", flat=True)
    ) == [280]


def test_blank_pupil_number_records_nothing():
    import_gias(three_schools(), census_date=CENSUS)
    assert not PupilCount.objects.filter(school__urn="102419").exists()


def test_bad_rows_are_reported_and_the_rest_imported():
    data = gias_csv(
        [
            school_row("102401"),
            school_row("10240", "Short URN"),
            school_row("102402", NumberOfPupils="2.5"),
            school_row("102401", "Duplicate"),
            school_row("102403", ""),
            school_row("102404", "Good Primary"),
        ]
    )
    report = import_gias(data, census_date=CENSUS)
    assert report.lines() == [
        "created 2, updated 0, unchanged 0, rejected 4",
        "pupil numbers recorded: 2 at the 15-01-2026 census",
        "line 3: URN “10240” is not 6 digits",
        "line 4: NumberOfPupils “2.5” is not a whole number",
        "line 5: URN 102401 appears more than once in the file (first on line 2)",
        "line 6: EstablishmentName is missing",
    ]
    assert sorted(School.objects.values_list("urn", flat=True)) == ["102401", "102404"]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x01\x02\x03",
        b"not,a,gias,file\n1,2,3,4\n",
        gias_csv([school_row("102401")]).replace(b"NumberOfPupils", b"Pupils"),
        b"\x81\x8d\x8f",
    ],
    ids=["empty", "binary", "other-csv", "missing-column", "undecodable"],
)
def test_an_unreadable_file_changes_nothing(data):
    import_gias(three_schools(), census_date=CENSUS)
    before = list(School.objects.order_by("urn").values())
    with pytest.raises(GiasFileError):
        import_gias(data, census_date=datetime.date(2027, 1, 21))
    assert list(School.objects.order_by("urn").values()) == before
    assert PupilCount.objects.count() == 2


def test_la_filter_imports_only_those_local_authorities():
    data = gias_csv(
        [
            school_row("102401"),
            school_row("100001", "Camden School", **{"LA (code)": "202", "LA (name)": "Camden"}),
            school_row("100002", "Haringey School", **{"LA (code)": "309"}),
        ]
    )
    report = import_gias(data, la_codes=["312", "202"])
    assert report.summary() == "created 2, updated 0, unchanged 0, rejected 0"
    assert report.skipped == 1
    assert sorted(School.objects.values_list("la_code", flat=True)) == ["202", "312"]


@postgresql_only
def test_queries_do_not_grow_with_the_number_of_rows():
    def queries_for(count, first_urn):
        rows = [school_row(str(first_urn + i), f"School {i}") for i in range(count)]
        with CaptureQueriesContext(connection) as first:
            import_gias(gias_csv(rows), census_date=CENSUS)
        changed = [dict(row, NumberOfPupils="300", Town="Hayes") for row in rows]
        changed = [
            dict(row, **{"EstablishmentName": row["EstablishmentName"] + " (renamed)"})
            for row in changed
        ]
        with CaptureQueriesContext(connection) as second:
            import_gias(gias_csv(changed), census_date=CENSUS)
        return len(first), len(second)

    assert queries_for(5, 200001) == queries_for(50, 300001)


def test_command_prints_the_report_and_rejected_lines(tmp_path):
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes(gias_csv([school_row("102401"), school_row("", "No URN")]))
    out = StringIO()
    call_command("import_gias", str(path), "--census-date", "2026-01-15", stdout=out)
    assert (
        out.getvalue() == "created 1, updated 0, unchanged 0, rejected 1\n"
        "pupil numbers recorded: 1 at the 15-01-2026 census\n"
        "line 3: URN is missing\n"
    )
    assert PupilCount.objects.get().source == "edubasealldata.csv"


def test_command_la_option_repeats(tmp_path):
    path = tmp_path / "national.csv"
    path.write_bytes(
        gias_csv(
            [
                school_row("102401"),
                school_row("100001", **{"LA (code)": "202"}),
                school_row("100002", **{"LA (code)": "309"}),
            ]
        )
    )
    out = StringIO()
    call_command("import_gias", str(path), "--la", "312", "--la", "202", stdout=out)
    assert out.getvalue() == (
        "created 2, updated 0, unchanged 0, rejected 0\n"
        "no pupil numbers recorded; 2 schools with NumberOfPupils but no CensusDate "
        "(not recorded)\n"
    )


def test_command_fails_on_an_unreadable_file_and_changes_nothing(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7\x00binary")
    with pytest.raises(CommandError) as error:
        call_command("import_gias", str(path), stdout=StringIO())
    assert "it contains binary data" in str(error.value)
    assert "Nothing was changed" in str(error.value)
    assert School.objects.count() == 0


def test_command_fails_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_gias", str(tmp_path / "missing.csv"), stdout=StringIO())


def test_the_demo_file_imports_every_school_and_is_idempotent():
    out = StringIO()
    # As downloaded: each row's CensusDate says when its NumberOfPupils was counted.
    call_command("import_gias", str(DEMO_FILE), stdout=out)
    assert out.getvalue() == (
        "created 43, updated 0, unchanged 0, rejected 0\n"
        "pupil numbers recorded: 40 at the 15-01-2026 census\n"
    )
    out = StringIO()
    call_command("import_gias", str(DEMO_FILE), stdout=out)
    assert out.getvalue().startswith("created 0, updated 0, unchanged 43, rejected 0\n")
    assert School.objects.get(urn="102408").name == "St Mary's Église Catholic Primary School"
    assert School.objects.filter(la_code="202").count() == 3
    categories = set(School.objects.values_list("category", flat=True))
    assert categories == {
        "nursery",
        "primary",
        "secondary",
        "all_through",
        "sixteen_plus",
        "special",
        "alternative_provision",
    }
    assert School.objects.filter(status="closed").count() == 2  # closed and proposed to open
    assert PupilCount.objects.count() == 43 - 3  # three blank NumberOfPupils


@postgresql_only
def test_a_large_file_imports_whole_then_unchanged_then_updated_with_history():
    # Speed at national scale is measured by `make bench` (benchmarks/), not asserted here.
    rows = [
        school_row(
            str(100000 + i),
            f"National School {i}",
            **{"LA (code)": str(201 + i % 150), "NumberOfPupils": str(100 + i % 1200)},
        )
        for i in range(5_000)
    ]
    data = gias_csv(rows)
    report = import_gias(data, census_date=CENSUS)
    assert report.summary() == "created 5000, updated 0, unchanged 0, rejected 0"
    report = import_gias(data, census_date=CENSUS)
    assert report.summary() == "created 0, updated 0, unchanged 5000, rejected 0"
    renamed = gias_csv(
        [dict(row, EstablishmentName=row["EstablishmentName"] + " Academy") for row in rows]
    )
    report = import_gias(renamed, census_date=datetime.date(2027, 1, 21))
    assert report.summary() == "created 0, updated 5000, unchanged 0, rejected 0"
    assert School.objects.get(urn="104999").name == "National School 4999 Academy"
    assert School.history.filter(urn="104999").count() == 2
    assert PupilCount.objects.count() == 10_000


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_the_same_file_run_one_after_the_other():
    data = gias_csv([school_row(str(200000 + i), f"School {i}") for i in range(3000)])
    results = []

    def run():
        try:
            results.append(import_gias(data, census_date=CENSUS).summary())
        except Exception as exc:  # noqa: BLE001 - the failure is what the test reports
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [
        "created 0, updated 0, unchanged 3000, rejected 0",
        "created 3000, updated 0, unchanged 0, rejected 0",
    ]
    assert PupilCount.objects.count() == 3000


def test_schools_missing_from_the_file_are_left_alone():
    import_gias(three_schools(), census_date=CENSUS)
    report = import_gias(gias_csv([school_row("102401", "Alder Primary School")]))
    assert report.summary() == "created 0, updated 0, unchanged 1, rejected 0"
    assert School.objects.filter(urn__in=["137501", "102419"], status="open").count() == 2
