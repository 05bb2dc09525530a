"""The coordinator's GIAS upload: the file is kept until imported in the background, and its
page shows the progress, then the report (or why nothing was changed)."""

import datetime
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from schools import services
from schools.models import GiasImport, PupilCount, School, gias_import_progress_key

from .gias_files import gias_csv, school_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Post a file to the upload page; the queued import runs (eagerly) on commit."""

    def post(client, data, name="edubasealldata.csv", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("schools:import"),
                {"file": SimpleUploadedFile(name, data, "text/csv"), **fields},
            )

    return post


def test_upload_imports_in_the_background_and_its_page_shows_the_report(
    client_for, coordinator, partnership_record, upload, settings
):
    client = client_for(coordinator)
    assert client.get(reverse("schools:import")).context["form"]["la_codes"].value() == "312"
    data = gias_csv(
        [
            school_row("102401", "Alder Primary School"),
            school_row("100001", "Camden Primary", **{"LA (code)": "202"}),
            school_row("102402", NumberOfPupils="lots"),
        ]
    )
    response = upload(client, data, la_codes="312", census_date="15/01/2026")

    record = GiasImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("schools:import_detail", args=[record.pk])
    assert (record.status, record.file_name, record.la_codes, record.census_date) == (
        "finished",
        "edubasealldata.csv",
        ["312"],
        datetime.date(2026, 1, 15),
    )
    assert record.imported_by == coordinator
    assert record.started_at and record.finished_at
    assert record.summary() == "created 1, updated 0, unchanged 0, rejected 1"
    assert record.skipped == 1
    assert record.rejections == [
        {"line": 4, "reason": "NumberOfPupils “lots” is not a whole number"}
    ]

    page = client.get(response.url)
    html = page.content.decode()
    assert "Import report" in html
    assert "1 row of the file was rejected; the rest was imported" in html
    assert "NumberOfPupils “lots” is not a whole number" in html
    assert 'data-count="created">1<' in html
    assert "data-job-status-url" not in html  # finished: no progress bar
    school = School.objects.get(urn="102401")
    assert school.pupils_at(datetime.date(2026, 1, 15)).pupils == 280
    assert school.history.first().history_user == coordinator

    assert client.get(reverse("schools:import_status", args=[record.pk])).json() == {
        "percent": 100,
        "message": "Finished",
        "finished": True,
        "redirect": reverse("schools:import_detail", args=[record.pk]),
    }
    # The upload page lists the import among the recent ones.
    listing = client.get(reverse("schools:import"))
    assert list(listing.context["imports"]) == [record]
    assert "Created 1, updated 0, unchanged 0, rejected 1" in listing.content.decode()


def test_a_file_that_cannot_be_read_changes_nothing_and_its_page_says_so(
    client_for, coordinator, upload
):
    client = client_for(coordinator)
    response = upload(client, b"Name,Pupils\nAlpha,1\n", census_date="15/01/2026")
    record = GiasImport.objects.get()
    assert response.url == reverse("schools:import_detail", args=[record.pk])
    assert record.status == "failed"
    assert record.message.startswith("The file is not a GIAS establishment CSV: it has no “URN”")
    assert record.message.endswith("Nothing was changed.")
    html = client.get(response.url).content.decode()
    assert "There is a problem" in html
    assert "The file was not imported" in html
    assert "Nothing was changed." in html
    assert not School.objects.exists()
    assert not PupilCount.objects.exists()
    assert client.get(reverse("schools:import_status", args=[record.pk])).json()["finished"]


def test_a_failure_during_the_import_keeps_nothing(client_for, coordinator, upload, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_record_in_history", broken)
    School.objects.create(urn="102401", name="Old name")
    response = upload(
        client_for(coordinator), gias_csv([school_row("102401"), school_row("102402")])
    )
    record = GiasImport.objects.get()
    assert response.url == reverse("schools:import_detail", args=[record.pk])
    assert record.status == "failed"
    assert record.message == "The import failed: the database went away. Nothing was changed."
    assert list(School.objects.values_list("urn", "name")) == [("102401", "Old name")]


@pytest.mark.parametrize(
    "fields, errors",
    [
        (
            {"la_codes": "312, Camden"},
            {"la_codes": ["Local authority codes must be 3 digits, like 312 (not Camden)"]},
        ),
        (
            {"census_date": "January"},
            {"census_date": ["The census date must be a real date, like 27 January 2027"]},
        ),
        (
            {"census_date": "31/02/2026"},
            {"census_date": ["The census date must be a real date, like 27 January 2027"]},
        ),
        (
            {"census_date": "2099-01-15"},
            {
                "census_date": [
                    "The census date must be today or in the past: a census counts pupils "
                    "who are on roll"
                ]
            },
        ),
    ],
)
def test_upload_form_errors(client_for, coordinator, upload, fields, errors):
    response = upload(client_for(coordinator), gias_csv([school_row("102401")]), **fields)
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert not GiasImport.objects.exists()
    assert not School.objects.exists()


def test_upload_with_several_la_codes(client_for, coordinator, upload):
    data = gias_csv(
        [
            school_row("102401"),
            school_row("100001", **{"LA (code)": "202"}),
            school_row("100002", **{"LA (code)": "309"}),
        ]
    )
    response = upload(client_for(coordinator), data, la_codes="312 202")
    assert GiasImport.objects.get().summary() == "created 2, updated 0, unchanged 0, rejected 0"
    page = client_for(coordinator).get(response.url)
    assert "Every row of the file was imported" in page.content.decode()


def test_while_running_the_page_and_status_show_the_cached_progress(client_for, coordinator):
    record = GiasImport.objects.create(
        file="gias/national.csv",
        file_name="national.csv",
        imported_by=coordinator,
        status=GiasImport.Status.RUNNING,
    )
    services.report_import_progress(record.pk, 12000, 50000, "Created 12000 of 50000 new schools")
    client = client_for(coordinator)
    status_url = reverse("schools:import_status", args=[record.pk])
    assert client.get(status_url).json() == {
        "percent": 24,
        "message": "Created 12000 of 50000 new schools",
        "finished": False,
        "redirect": "",
    }
    html = client.get(reverse("schools:import_detail", args=[record.pk])).content.decode()
    assert f'data-job-status-url="{status_url}"' in html
    assert 'value="24"' in html
    assert "Created 12000 of 50000 new schools" in html

    # All written but not yet committed: never 100% before the report is recorded.
    services.report_import_progress(record.pk, 50000, 50000, "Recording pupil numbers")
    assert client.get(status_url).json()["percent"] == 99
    caches["progress"].delete(gias_import_progress_key(record.pk))
    assert client.get(status_url).json()["message"] == "Running"


def test_import_gias_reports_progress_at_parse_and_per_batch(monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    School.objects.create(urn="100001", name="Alder Primary School")
    calls = []
    rows = [school_row(f"10000{n}") for n in range(1, 6)]
    report = services.import_gias(gias_csv(rows), on_progress=lambda *args: calls.append(args))
    assert report.summary() == "created 4, updated 1, unchanged 0, rejected 0"
    assert [(done, total) for done, total, _ in calls] == [(0, 5), (0, 5), (2, 5), (4, 5), (5, 5)]
    assert calls[0][2] == "Read the file: 5 schools to compare with the register"
    assert calls[1][2] == "Writing 4 new and 1 changed schools"
    assert calls[-1][2] == "Updated 1 of 1 changed schools"


def test_an_unreachable_task_queue_fails_the_import_not_the_page(
    client_for, coordinator, upload, monkeypatch
):
    from schools import tasks

    def unreachable(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to redis")

    monkeypatch.setattr(tasks.import_gias_file, "delay", unreachable)
    response = upload(client_for(coordinator), gias_csv([school_row("102401")]))
    record = GiasImport.objects.get()
    assert response.url == reverse("schools:import_detail", args=[record.pk])
    assert record.status == "failed"
    assert "the task queue is not reachable" in record.message
    assert not School.objects.exists()


@pytest.mark.parametrize(
    "person", ["head_a", "finance_officer", "board_member", "practitioner_user"]
)
def test_only_the_coordinator_may_open_imports(client_for, request, person):
    record = GiasImport.objects.create(file="gias/x.csv", file_name="x.csv")
    client = client_for(request.getfixturevalue(person))
    for name in ("schools:import", "schools:import_detail", "schools:import_status"):
        args = [] if name == "schools:import" else [record.pk]
        assert client.get(reverse(name, args=args)).status_code == 403, name


def stored_gias_files(settings):
    folder = settings.MEDIA_ROOT / "gias"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize(
    "data",
    [gias_csv([school_row("102401")]), b"Name,Pupils\nAlpha,1\n"],
    ids=["finished", "failed"],
)
def test_the_uploaded_file_is_deleted_once_the_import_has_ended(
    client_for, coordinator, upload, settings, data
):
    upload(client_for(coordinator), data)

    record = GiasImport.objects.get()
    assert record.status in ("finished", "failed")
    assert record.file_name == "edubasealldata.csv"  # the report still names it
    assert not record.file
    assert stored_gias_files(settings) == []


def test_a_queued_import_keeps_its_file_until_it_runs(client_for, coordinator, settings):
    data = gias_csv([school_row("102401")])
    client_for(coordinator).post(
        reverse("schools:import"), {"file": SimpleUploadedFile("edubasealldata.csv", data)}
    )  # the import is queued on commit, which this test never reaches

    record = GiasImport.objects.get()
    assert record.status == "queued"
    assert record.file.name.startswith("gias/")
    assert stored_gias_files(settings) == [Path(record.file.name).name]
    assert (settings.MEDIA_ROOT / record.file.name).read_bytes() == data


def test_the_census_date_is_a_date_picker(client_for, coordinator):
    page = client_for(coordinator).get(reverse("schools:import")).content.decode()
    assert 'type="date" name="census_date"' in page
