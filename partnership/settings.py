"""One settings module, read from the environment.

Embedded default (no environment): SQLite, tasks run eagerly in-process, emails to
the console. Real deployment: DATABASE_URL (PostgreSQL), REDIS_URL (Celery broker and
results), DJANGO_SECRET_KEY, DJANGO_DEBUG=0, DJANGO_ALLOWED_HOSTS.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Published in this repository, so good only where DEBUG is on (make run, tests).
EMBEDDED_SECRET_KEY = "django-insecure-embedded-default-only-for-make-run-and-tests-0123456789"
SECRET_KEY = env("DJANGO_SECRET_KEY", default=EMBEDDED_SECRET_KEY).strip()
if not DEBUG and (not SECRET_KEY or SECRET_KEY.startswith("django-insecure-")):
    # The key signs sessions and password-reset links and encrypts authenticator secrets.
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a long random secret of your own when DEBUG is off"
        " (it is empty or a published default)."
    )
# Old keys kept only while sessions and authenticator secrets move to the new one
# (docs/security.md, "Rotating keys").
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "partnership",
    "schools",
    "offers",
    "membership",
    "finance",
    "governance",
]

MIDDLEWARE = [
    # Before the host check and the HTTPS redirect, which would refuse docker's probe.
    "partnership.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session, CSRF and messages middleware: it must see the cookies they set.
    "partnership.public.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "partnership.second_factor.SecondFactorMiddleware",
    "partnership.second_factor.StaffIdleTimeoutMiddleware",
    # Axes last: it reads the result of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "partnership.urls"
WSGI_APPLICATION = "partnership.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partnership.context_processors.portal",
            ],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Tests open many short-lived connections (live server, threads): do not keep them.
    conn_max_age = 0 if env.bool("DJANGO_TESTING", default=False) else 60
    DATABASES["default"].setdefault(
        "CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=conn_max_age)
    )
    # Page queries are short: compiling them (PostgreSQL's JIT) costs more than it saves.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "partnership.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# allauth: email is the login; accounts are created by invitation, never by open sign-up.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# One address per account, the one invited: a second could take password-reset links.
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
ACCOUNT_ADAPTER = "partnership.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Choosing a password from an invitation (or a reset link) signs the person in and takes
# them to their dashboard, through allauth's sign-in steps: someone with an authenticator
# app is asked for its code, and the SecondFactorMiddleware sends a coordinator or finance
# officer without one to set one up (docs/security.md).
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Partnership portal] "
ACCOUNT_RATE_LIMITS = False if env.bool("DJANGO_TESTING", default=False) else {}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "partnership.mfa_adapter.EncryptingMFAAdapter"
MFA_TOTP_ISSUER = "Partnership portal"

# The client's address: the X-Forwarded-For entry added by the outermost of this many
# proxies we run in front of the portal (the TLS proxy), else the connection's own address.
# 0 when nothing sits in front (make run); docker-compose.yml sets 1. Too high and a client
# chooses its own address; too low and every client looks like the proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# django-axes: lock the account (the email address tried) after repeated failed sign-ins,
# from whatever address they come; never an address alone, which would lock everyone in a
# school office, or everyone behind the TLS proxy. (Account + address is within the account
# lock; it is listed too because axes' deploy check asks for the address in some rule.)
# Many accounts tried from one address are slowed by allauth's rate limits, not locked.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username"], ["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "partnership.lockout.email_tried"
AXES_CLIENT_IP_CALLABLE = "partnership.lockout.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"

LANGUAGE_CODE = "en-gb"

# How long browsers and shared caches may keep a public page seen by someone not signed in
# (partnership/public.py): the offer, fees and contact details change rarely.
PUBLIC_PAGE_MAX_AGE = env.int("PUBLIC_PAGE_MAX_AGE", default=300)
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Board papers and uploads: size limit checked by the forms that take files.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
# The portal's address as schools reach it, for links in emails sent from background tasks.
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="portal@partnership.example")


def _redis_database(url: str, number: int) -> str:
    base, _, current = url.rpartition("/")
    if not current.isdigit():
        return f"{url.rstrip('/')}/{number}"
    return f"{base}/{number}"


def _own_databases_for_this_test_worker(url: str) -> str:
    """The suite runs in parallel (pytest-xdist, `make test`): worker gwN takes Redis
    databases 2N and 2N+1 above the given one, so one worker's purge of the broker or clear
    of the cache never touches another's jobs. Celery workers the tests start inherit the
    variable and so use the same databases."""
    worker = env("PYTEST_XDIST_WORKER", default="")
    if not (url and env.bool("DJANGO_TESTING", default=False) and worker.startswith("gw")):
        return url
    current = url.rpartition("/")[2]
    return _redis_database(url, (int(current) if current.isdigit() else 0) + 2 * int(worker[2:]))


# Celery: Redis when REDIS_URL is set; otherwise tasks run eagerly in-process so the
# embedded default needs nothing but Python.
REDIS_URL = _own_databases_for_this_test_worker(env("REDIS_URL", default=""))
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL or env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_RESULT_EXTENDED = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker died unacknowledged is handed to another worker after this long;
# it must be longer than the longest run (an annual run of 600 schools takes seconds).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "max_retries": 1,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
# Queuing a run waits on Redis within the request: with Redis down it must give up in a
# second or two (the job is then marked failed and the page says so), not after Celery's
# default 20 reconnection tries to the result store (about 19 s). Workers still reconnect
# for as long as it takes.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
}
CELERY_TIMEZONE = TIME_ZONE
# Run by the beat container (docker-compose.yml).
CELERY_BEAT_SCHEDULE = {
    "apply-retention-rules": {
        "task": "partnership.tasks.apply_retention_rules",
        "schedule": 24 * 60 * 60,  # daily; the rules work in whole days
    },
    "send-due-reminders": {
        "task": "partnership.tasks.send_due_reminders",
        # 07:00 London time: "tomorrow" reminders arrive before the working day.
        "schedule": crontab(hour=7, minute=0),
    },
    "expire-place-offers": {
        "task": "offers.tasks.expire_place_offers",
        # Holds are set in hours; pages also pass on a lapsed place when they read its list.
        "schedule": 10 * 60,
    },
    "send-buy-back-reminders": {
        "task": "membership.tasks.send_buy_back_reminders",
        "schedule": 24 * 60 * 60,  # daily; reminders are due by the day
    },
}


# The progress cache's Redis: never the broker's. Jobs queued in the broker must not be
# evicted when the cache fills, and cache keys must not sit among Celery's. Its own instance
# (compose: redis-cache, with a memory cap and volatile-lru) or, when REDIS_CACHE_URL is
# not set, the next database number of the broker's Redis.
def _next_database(url: str) -> str:
    number = url.rpartition("/")[2]
    return _redis_database(url, int(number) + 1 if number.isdigit() else 1)


REDIS_CACHE_URL = _own_databases_for_this_test_worker(env("REDIS_CACHE_URL", default="")) or (
    _next_database(REDIS_URL) if REDIS_URL else ""
)
if REDIS_CACHE_URL and REDIS_CACHE_URL == REDIS_URL:
    raise ImproperlyConfigured("REDIS_CACHE_URL must not be the Celery broker's REDIS_URL")

# Two caches. The default, in the database, holds what signing in needs (allauth's rate
# limits, which fail closed, and its used-code markers) and the sent-email markers: with it
# in Redis, Redis down meant nobody could sign in. allauth has no setting to choose another
# cache, so the default is the one that must not vanish. Its table is made by a migration
# (partnership 0004). "progress" holds only what can be lost, running jobs' and imports'
# progress: in Redis, and when Redis is down the pages show the status alone.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
    "progress": (
        {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
        if REDIS_CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# The read-only reporting API (partnership/api): bearer tokens only, JSON only, paginated.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["partnership.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["partnership.api.permissions.RoleAllowed"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "partnership.api.pagination.Pages",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    # Assumption: a reporting system pulling nightly needs far fewer; this stops a runaway loop.
    "DEFAULT_THROTTLE_RATES": {"user": env.str("API_RATE", default="3600/hour")},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# django-tables2 renders with our GOV.UK-styled template.
DJANGO_TABLES2_TEMPLATE = "includes/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "govuk-table"}

# Security headers; secure cookies and HSTS whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Finance officers, coordinators and admins are signed out after this long unused; a
# school's session keeps Django's two weeks (SESSION_COOKIE_AGE).
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}

FORM_RENDERER = "partnership.forms_renderer.GovukFormRenderer"
