from celery import shared_task


@shared_task
def send_buy_back_reminders():
    """Daily (celery beat): remind schools that have not answered their renewal as the
    buy-back window nears its close. Each reminder is sent once, however often this runs."""
    from .services import send_buy_back_reminders as send

    return send()
