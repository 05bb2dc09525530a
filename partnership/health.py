from django.conf import settings
from django.db import connection
from django.http import JsonResponse


def health(request):
    """For load balancers and docker health checks: the database answers (and Redis, if used)."""
    status = {"database": False, "redis": None}
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        status["database"] = cursor.fetchone()[0] == 1
    if settings.REDIS_URL:
        import redis

        try:
            status["redis"] = bool(
                redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1).ping()
            )
        except redis.RedisError:
            status["redis"] = False
    healthy = status["database"] and status["redis"] is not False
    return JsonResponse(status, status=200 if healthy else 503)
