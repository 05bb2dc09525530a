"""The health check, for docker's probe and a load balancer's."""

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


class HealthCheckMiddleware:
    """Answer GET /health/ before the host check and the HTTPS redirect (first in MIDDLEWARE).

    The container's own probe and a load balancer reach gunicorn by address over plain HTTP,
    not through the TLS proxy with the portal's name: behind SECURE_SSL_REDIRECT and
    ALLOWED_HOSTS they would get 400 or 301 and call a healthy portal dead. The answer says
    only whether the database and Redis reply, and is built from nothing in the request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/health/" and request.method in ("GET", "HEAD"):
            return health(request)
        return self.get_response(request)
