"""Background work for the register: a thin task that imports an uploaded GIAS file.

The import is one transaction; its progress goes to the cache (the page cannot see
the transaction's writes until it commits) and the GiasImport row records only the
status and the outcome. A second delivery of a finished import does nothing.
"""

from celery import shared_task
from django.db import OperationalError

from . import services
from .models import GiasImport

TRANSIENT = (OperationalError, ConnectionError)
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "retry_backoff_max": 120,
    "max_retries": 5,
}


@shared_task(bind=True, **RETRY)
def import_gias_file(self, import_id):
    record = GiasImport.objects.get(pk=import_id)
    if record.finished:
        return {"import": import_id, "status": record.status}
    services.update_gias_import(import_id, status=GiasImport.Status.RUNNING)

    def progress(done, total, message):
        services.report_import_progress(import_id, done, total, message)
        if self.request.id:
            self.update_state(
                state="PROGRESS", meta={"done": done, "total": total, "message": message}
            )

    progress(0, 0, "Reading the file")
    try:
        # Read line by line from storage, never whole into the worker's memory.
        with record.file.open("rb") as file:
            report = services.import_gias(
                file,
                la_codes=record.la_codes or None,
                census_date=record.census_date,
                source=record.file_name,
                imported_by=record.imported_by,
                on_progress=progress,
            )
    except services.GiasFileError as exc:
        # The coordinator's file, not the task, is at fault: no retry, no error raised.
        services.update_gias_import(
            import_id, status=GiasImport.Status.FAILED, message=f"{exc}. Nothing was changed."
        )
        return {"import": import_id, "status": GiasImport.Status.FAILED}
    except TRANSIENT:
        services.update_gias_import(
            import_id, message="Waiting to retry after a connection problem. Nothing was changed."
        )
        raise
    except Exception as exc:
        services.update_gias_import(
            import_id,
            status=GiasImport.Status.FAILED,
            message=f"The import failed: {exc}. Nothing was changed.",
        )
        raise
    services.finish_gias_import(import_id, report)
    return {"import": import_id, "status": GiasImport.Status.FINISHED, "summary": report.summary()}
