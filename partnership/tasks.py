from celery import shared_task
from django.db import connection


@shared_task
def ping(token):
    """Round trip through the broker and the database: proves a worker is serving."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"token": token, "database": one == 1}


@shared_task
def apply_retention_rules():
    """Nightly (celery beat): anonymise personal data past its retention period. Idempotent."""
    from .privacy import apply_retention_rules as apply

    return apply()


@shared_task
def send_due_reminders():
    """Daily (celery beat): sessions tomorrow, invoices and actions overdue. Each reminder
    goes once to each person who has not turned its kind off."""
    from .reminders import send_due_reminders as send

    return send()
